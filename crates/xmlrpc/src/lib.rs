//! Work in progress.
#![warn(missing_docs)]
