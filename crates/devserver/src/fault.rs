//! Errors raised while serving a call, named after the Python exceptions the real server would
//! raise, and their translation into XML-RPC faults exactly as Odoo 17's `rpc.py` does it.

use openspp_xmlrpc::{Fault, FaultCode};

/// An exception raised inside a call. The variant decides the fault code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OdooError {
    /// `odoo.exceptions.UserError` (fault 2).
    #[error("{0}")]
    User(String),
    /// `odoo.exceptions.ValidationError` (fault 2).
    #[error("{0}")]
    Validation(String),
    /// `odoo.exceptions.MissingError` (fault 2).
    #[error("{0}")]
    Missing(String),
    /// `odoo.exceptions.AccessError` (fault 4).
    #[error("{0}")]
    Access(String),
    /// `odoo.exceptions.AccessDenied` (fault 3).
    #[error("{0}")]
    AccessDenied(String),
    /// A fault 1 whose traceback ends with this line, verbatim (a fault the schemas recorded
    /// without an exception class).
    #[error("{0}")]
    Traceback(String),
    /// Any other Python exception (fault 1 with a traceback), e.g. `ValueError`.
    #[error("{class}: {message}")]
    Python {
        /// The exception class as Python prints it (`ValueError`, `psycopg2.OperationalError`).
        class: String,
        /// Its message.
        message: String,
    },
}

impl OdooError {
    /// A `ValueError`.
    pub fn value(message: impl Into<String>) -> Self {
        Self::python("ValueError", message)
    }

    /// A `TypeError`.
    pub fn type_error(message: impl Into<String>) -> Self {
        Self::python("TypeError", message)
    }

    /// Any Python exception class.
    pub fn python(class: &str, message: impl Into<String>) -> Self {
        OdooError::Python {
            class: class.to_owned(),
            message: message.into(),
        }
    }

    /// What Python's marshaller raises for an answer it cannot write: `OverflowError` for an
    /// int past 32 bits (Odoo never sends `<i8>`), a `TypeError` naming the problem otherwise.
    pub fn unmarshallable(error: &openspp_xmlrpc::Error) -> Self {
        match error.kind() {
            openspp_xmlrpc::ErrorKind::IntOutOfRange => {
                Self::python("OverflowError", "int exceeds XML-RPC limits")
            }
            _ => Self::type_error(format!("cannot marshal the answer: {error}")),
        }
    }

    /// The fault `/xmlrpc/2/*` sends (integer codes).
    pub fn to_fault(&self) -> Fault {
        let (code, message) = match self {
            OdooError::User(m) | OdooError::Validation(m) | OdooError::Missing(m) => (2, m.clone()),
            OdooError::Access(m) => (4, m.clone()),
            OdooError::AccessDenied(m) => (3, m.clone()),
            OdooError::Python { .. } | OdooError::Traceback(_) => (1, self.traceback()),
        };
        Fault {
            code: FaultCode::Int(code),
            message,
        }
    }

    /// The fault the legacy `/xmlrpc/*` endpoints send (string codes, `rpc.py`
    /// `xmlrpc_handle_exception_string`).
    pub fn to_legacy_fault(&self) -> Fault {
        let (code, message) = match self {
            OdooError::Missing(m) => (format!("warning -- MissingError\n\n{m}"), String::new()),
            OdooError::Access(m) => (format!("warning -- AccessError\n\n{m}"), String::new()),
            OdooError::User(m) | OdooError::Validation(m) => {
                (format!("warning -- UserError\n\n{m}"), String::new())
            }
            OdooError::AccessDenied(m) => ("AccessDenied".to_owned(), m.clone()),
            OdooError::Python { message, .. } | OdooError::Traceback(message) => {
                (message.clone(), self.traceback())
            }
        };
        Fault {
            code: FaultCode::String(code),
            message,
        }
    }

    /// A Python-style traceback: the first line and the exception line are what clients read.
    fn traceback(&self) -> String {
        format!(
            "Traceback (most recent call last):\n  File \"openspp-devserver\", in dispatch\n{self}\n"
        )
    }
}

/// A fault as Odoo 17's marshaller writes it: its strings without the characters XML 1.0
/// cannot carry.
pub fn xml_safe_fault(fault: Fault) -> Fault {
    let code = match fault.code {
        FaultCode::String(code) => FaultCode::String(crate::values::xml_text(&code).into_owned()),
        code => code,
    };
    Fault {
        code,
        message: crate::values::xml_text(&fault.message).into_owned(),
    }
}

/// Shorthand for results of the ORM methods.
pub type OdooResult<T> = Result<T, OdooError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_lose_what_xml_cannot_carry() {
        let fault = xml_safe_fault(Fault {
            code: FaultCode::String("warning -- UserError\n\nBad\u{7} name".into()),
            message: "Bad\u{1b}[0m name\t\n".into(),
        });
        assert_eq!(
            fault.code,
            FaultCode::String("warning -- UserError\n\nBad name".into())
        );
        assert_eq!(fault.message, "Bad[0m name\t\n");
    }
}
