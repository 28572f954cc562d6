//! `<fault>`: the server-side error a response may carry instead of a value.

use std::fmt;

/// The `faultCode` of a fault.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FaultCode {
    /// An int code, as every spec-following server and Odoo's `/xmlrpc/2/` endpoints send.
    Int(i32),
    /// A string code, as Odoo's legacy `/xmlrpc/` endpoints send (e.g. `"AccessDenied"`).
    String(String),
}

impl fmt::Display for FaultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultCode::Int(code) => write!(f, "{code}"),
            FaultCode::String(code) => f.write_str(code),
        }
    }
}

/// A fault response: the call reached the server and failed there.
///
/// ```
/// use openspp_xmlrpc::{Fault, FaultCode};
/// let fault = Fault { code: FaultCode::Int(2), message: "Record does not exist".into() };
/// assert_eq!(fault.to_string(), "fault 2: Record does not exist");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fault {
    /// `faultCode`.
    pub code: FaultCode,
    /// `faultString` (for Odoo's code 1, a full Python traceback).
    pub message: String,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fault {}: {}", self.code, self.message)
    }
}

impl std::error::Error for Fault {}
