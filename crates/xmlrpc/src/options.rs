//! Knobs for decoding and encoding.

/// Limits applied while decoding.
///
/// ```
/// use openspp_xmlrpc::DecodeOptions;
/// let opts = DecodeOptions::new().max_depth(64).max_size(Some(16 << 20));
/// assert_eq!(opts.get_max_depth(), 64);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeOptions {
    max_depth: usize,
    max_size: Option<usize>,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            max_depth: 256,
            max_size: None,
        }
    }
}

impl DecodeOptions {
    /// The defaults: depth 256, no size limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// How deeply arrays and structs may nest (default 256). Decoding recurses once per level,
    /// so keep this well under what the thread's stack can hold (each level costs well under 1 KiB).
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// The largest document accepted, in bytes (default: no limit). A transport sets this to
    /// refuse huge bodies before they are parsed.
    pub fn max_size(mut self, size: Option<usize>) -> Self {
        self.max_size = size;
        self
    }

    /// The configured depth limit.
    pub fn get_max_depth(&self) -> usize {
        self.max_depth
    }

    /// The configured size limit.
    pub fn get_max_size(&self) -> Option<usize> {
        self.max_size
    }
}

/// Choices the encoder makes where XML-RPC dialects differ.
///
/// The defaults suit Odoo: an int beyond i32 is an error (Odoo cannot read `<i8>` results it
/// did not expect and Python marshals none), and `None`/`()` are written as `<boolean>0</boolean>`,
/// which is how Odoo spells "empty".
///
/// ```
/// use openspp_xmlrpc::EncodeOptions;
/// let opts = EncodeOptions::new().allow_i8(true).allow_nil(true);
/// assert!(opts.get_allow_i8() && opts.get_allow_nil());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EncodeOptions {
    allow_i8: bool,
    allow_nil: bool,
}

impl EncodeOptions {
    /// The defaults: no `<i8>`, no `<nil/>`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Write integers beyond i32 as `<i8>` instead of failing with
    /// [`ErrorKind::IntOutOfRange`](crate::ErrorKind::IntOutOfRange).
    pub fn allow_i8(mut self, allow: bool) -> Self {
        self.allow_i8 = allow;
        self
    }

    /// Write `None`, `()` and [`Value::Nil`](crate::Value::Nil) as `<nil/>` instead of `<boolean>0</boolean>`.
    pub fn allow_nil(mut self, allow: bool) -> Self {
        self.allow_nil = allow;
        self
    }

    /// Whether `<i8>` may be written.
    pub fn get_allow_i8(&self) -> bool {
        self.allow_i8
    }

    /// Whether `<nil/>` may be written.
    pub fn get_allow_nil(&self) -> bool {
        self.allow_nil
    }
}
