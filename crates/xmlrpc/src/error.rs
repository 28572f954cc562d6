//! The one error type of the codec: what went wrong, where in the bytes, and where in the value.

use std::fmt;

/// What kind of problem an [`Error`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not well-formed XML or not a well-formed XML-RPC document.
    Syntax,
    /// Markup the codec refuses on principle: a DOCTYPE, an entity declaration.
    Forbidden,
    /// Arrays and structs nest deeper than [`DecodeOptions::max_depth`](crate::DecodeOptions::max_depth).
    TooDeep,
    /// The document is larger than [`DecodeOptions::max_size`](crate::DecodeOptions::max_size).
    TooLarge,
    /// The bytes are not valid in the document's encoding.
    InvalidUtf8,
    /// A character XML 1.0 forbids (a C0 control other than TAB/LF/CR, U+FFFE, U+FFFF, `&#0;`).
    InvalidChar,
    /// The document declares an encoding the codec cannot read.
    UnsupportedEncoding,
    /// A scalar whose text is not a valid int, double, boolean, dateTime or base64.
    InvalidValue,
    /// The value has the wrong structure for the Rust type (missing field, wrong length, unknown variant).
    UnexpectedShape,
    /// The value has the wrong XML-RPC type for the Rust type.
    UnexpectedType,
    /// An integer that does not fit: beyond i32 without `allow_i8`, or beyond the target Rust type.
    IntOutOfRange,
    /// A message from a `Serialize`/`Deserialize` implementation.
    Custom,
}

impl ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::Forbidden => "forbidden markup",
            ErrorKind::TooDeep => "nesting too deep",
            ErrorKind::TooLarge => "document too large",
            ErrorKind::InvalidUtf8 => "invalid encoding",
            ErrorKind::InvalidChar => "invalid character",
            ErrorKind::UnsupportedEncoding => "unsupported encoding",
            ErrorKind::InvalidValue => "invalid value",
            ErrorKind::UnexpectedShape => "unexpected shape",
            ErrorKind::UnexpectedType => "unexpected type",
            ErrorKind::IntOutOfRange => "integer out of range",
            ErrorKind::Custom => "error",
        }
    }
}

/// One step of a value path: an array index, a struct member or a document part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// `params[i]`, the i-th parameter of a call or response.
    Param(usize),
    /// The value of a `<fault>`.
    Fault,
    /// An array element.
    Index(usize),
    /// A struct member.
    Key(String),
}

/// An encode or decode failure.
///
/// `Display` gives the kind, the message, the value path (such as `params[0][12].country_id`)
/// and the byte offset in the decoded document when they are known. String contents are never
/// quoted in full, so a secret that fails to decode does not end up in a log.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    message: String,
    offset: Option<usize>,
    /// Innermost segment first: errors are built at the leaf and gain segments while unwinding.
    path: Vec<Segment>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                offset: None,
                path: Vec::new(),
            }),
        }
    }

    pub(crate) fn at(kind: ErrorKind, offset: usize, message: impl Into<String>) -> Self {
        Self::new(kind, message).with_offset(offset)
    }

    /// Sets the offset unless a more precise (inner) one is already known.
    pub(crate) fn with_offset(mut self, offset: usize) -> Self {
        if self.inner.offset.is_none() {
            self.inner.offset = Some(offset);
        }
        self
    }

    /// Prepends an outer path segment.
    pub(crate) fn within(mut self, segment: Segment) -> Self {
        self.inner.path.push(segment);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The byte offset in the document (after BOM removal, transcoding to UTF-8 and end-of-line
    /// normalisation) where the problem was found, for decode errors.
    pub fn offset(&self) -> Option<usize> {
        self.inner.offset
    }

    /// The message without kind, path or offset.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The path of the offending value, such as `params[0][12].country_id`, if known.
    pub fn path(&self) -> Option<String> {
        if self.inner.path.is_empty() {
            return None;
        }
        // A path through thousands of nested arrays is cut in the middle to stay readable.
        const KEEP: usize = 8;
        let n = self.inner.path.len();
        let mut out = String::new();
        for (i, segment) in self.inner.path.iter().rev().enumerate() {
            if n > 3 * KEEP && i >= KEEP && i < n - KEEP {
                if i == KEEP {
                    out.push_str(&format!("…({} more)…", n - 2 * KEEP));
                }
                continue;
            }
            match segment {
                Segment::Param(i) => out.push_str(&format!("params[{i}]")),
                Segment::Fault => out.push_str("fault"),
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
            }
        }
        Some(out)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.inner.kind.describe(), self.inner.message)?;
        if let Some(path) = self.path() {
            write!(f, " at {path}")?;
        }
        if let Some(offset) = self.inner.offset {
            write!(f, " (byte {offset})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("message", &self.inner.message)
            .field("path", &self.path())
            .field("offset", &self.inner.offset)
            .finish()
    }
}

impl std::error::Error for Error {}

/// Describes a serde `Unexpected` without quoting string or byte contents.
fn unexpected(unexp: serde::de::Unexpected<'_>) -> String {
    use serde::de::Unexpected;
    match unexp {
        Unexpected::Str(s) => format!("a string of {} characters", s.chars().count()),
        Unexpected::Bytes(b) => format!("{} bytes", b.len()),
        other => other.to_string(),
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(ErrorKind::Custom, msg.to_string())
    }

    fn invalid_type(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        Error::new(
            ErrorKind::UnexpectedType,
            format!("found {}, expected {exp}", unexpected(unexp)),
        )
    }

    fn invalid_value(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        use serde::de::Unexpected;
        let kind = match unexp {
            Unexpected::Signed(_) | Unexpected::Unsigned(_) => ErrorKind::IntOutOfRange,
            _ => ErrorKind::InvalidValue,
        };
        Error::new(kind, format!("found {}, expected {exp}", unexpected(unexp)))
    }

    fn invalid_length(len: usize, exp: &dyn serde::de::Expected) -> Self {
        Error::new(
            ErrorKind::UnexpectedShape,
            format!("found {len} elements, expected {exp}"),
        )
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Error::new(
            ErrorKind::UnexpectedShape,
            format!("unknown variant `{variant}`, expected one of {expected:?}"),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error::new(
            ErrorKind::UnexpectedShape,
            format!("unknown member `{field}`, expected one of {expected:?}"),
        )
    }

    fn missing_field(field: &'static str) -> Self {
        Error::new(
            ErrorKind::UnexpectedShape,
            format!("missing struct member `{field}`"),
        )
    }

    fn duplicate_field(field: &'static str) -> Self {
        Error::new(
            ErrorKind::UnexpectedShape,
            format!("duplicate struct member `{field}`"),
        )
    }
}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(ErrorKind::Custom, msg.to_string())
    }
}

/// Shorthand used throughout the crate.
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;
