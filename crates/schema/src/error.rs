//! The one error type of this crate: every variant names the file it is about.

use std::path::PathBuf;

/// Why a schemas directory could not be loaded, validated or saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file or directory.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A file or directory could not be written, renamed or removed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A file is not valid JSON, or does not have the shape of a schema file.
    #[error("{}: at `{json_path}`: {source}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// Where in the file, as a JSON path (`.` is the document itself).
        json_path: String,
        /// What serde_json reported.
        source: serde_json::Error,
    },
    /// A file was written by a format version this build does not read.
    #[error(
        "{}: format_version {found} is not supported (this build reads {expected})",
        path.display()
    )]
    FormatVersion {
        /// The file.
        path: PathBuf,
        /// The version found in the file (`null` when missing or not a number).
        found: serde_json::Value,
        /// The version this build reads and writes.
        expected: u32,
    },
    /// A file parses but says something inconsistent or of the wrong type.
    #[error("{}: at `{json_path}`: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Where in the file, as a JSON path.
        json_path: String,
        /// What is wrong.
        message: String,
    },
    /// An addon was asked for that the manifest does not list.
    #[error("unknown addon `{0}` (not in the manifest's installed addons)")]
    UnknownAddon(String),
}

impl Error {
    pub(crate) fn invalid(
        path: impl Into<PathBuf>,
        json_path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            path: path.into(),
            json_path: json_path.into(),
            message: message.into(),
        }
    }
}

/// A problem found by a `validate` method, before the file it belongs to is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) json_path: String,
    pub(crate) message: String,
}

impl Problem {
    pub(crate) fn new(json_path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            json_path: json_path.into(),
            message: message.into(),
        }
    }

    pub(crate) fn in_file(self, path: impl Into<PathBuf>) -> Error {
        Error::invalid(path, self.json_path, self.message)
    }
}
