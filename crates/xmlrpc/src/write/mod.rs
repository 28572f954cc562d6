//! Encoding: a serde `Serializer` that writes XML-RPC straight into a byte buffer, and the
//! document framing for calls, responses and faults.

/// serde's sequence traits for an array encoder: each element goes to `$element`, the end to
/// `$finish`. XML-RPC writes sequences, tuples, tuple structs and tuple variants alike; call
/// params take no tuple variant (`without variants`).
macro_rules! array_impls {
    (@one $trait:ident::$method:ident for $ty:ty => $ok:ty, $element:ident, $finish:ident) => {
        impl serde::ser::$trait for $ty {
            type Ok = $ok;
            type Error = $crate::error::Error;

            fn $method<T: serde::Serialize + ?Sized>(
                &mut self,
                value: &T,
            ) -> $crate::error::Result<()> {
                self.$element(value)
            }

            fn end(self) -> $crate::error::Result<$ok> {
                self.$finish()
            }
        }
    };
    ($ty:ty => $ok:ty, $element:ident, $finish:ident; without variants) => {
        $crate::write::array_impls!(@one SerializeSeq::serialize_element for $ty => $ok, $element, $finish);
        $crate::write::array_impls!(@one SerializeTuple::serialize_element for $ty => $ok, $element, $finish);
        $crate::write::array_impls!(@one SerializeTupleStruct::serialize_field for $ty => $ok, $element, $finish);
    };
    ($ty:ty => $ok:ty, $element:ident, $finish:ident) => {
        $crate::write::array_impls!($ty => $ok, $element, $finish; without variants);
        $crate::write::array_impls!(@one SerializeTupleVariant::serialize_field for $ty => $ok, $element, $finish);
    };
}
pub(crate) use array_impls;

mod escape;
mod ser;
mod to_value;

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result, Segment};
use crate::fault::{Fault, FaultCode};
use crate::options::EncodeOptions;

pub(crate) use ser::ValueSerializer;
pub(crate) use to_value::ToValue;

const PROLOG: &[u8] = b"<?xml version=\"1.0\"?>\n";

/// See [`crate::to_call_with`].
pub(crate) fn call<P: Serialize + ?Sized>(
    method: &str,
    params: &P,
    opts: &EncodeOptions,
) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(PROLOG);
    out.extend_from_slice(b"<methodCall><methodName>");
    escape::text(&mut out, method)
        .map_err(|e| Error::new(e.kind(), format!("method name: {}", e.message())))?;
    out.extend_from_slice(b"</methodName><params>");
    params.serialize(ser::ParamsSerializer {
        out: &mut out,
        opts,
    })?;
    out.extend_from_slice(b"</params></methodCall>\n");
    Ok(out)
}

/// See [`crate::to_response_with`].
pub(crate) fn response<T: Serialize + ?Sized>(value: &T, opts: &EncodeOptions) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(PROLOG);
    out.extend_from_slice(b"<methodResponse><params><param>");
    value
        .serialize(ValueSerializer {
            out: &mut out,
            opts,
        })
        .map_err(|e| e.within(Segment::Param(0)))?;
    out.extend_from_slice(b"</param></params></methodResponse>\n");
    Ok(out)
}

/// See [`crate::to_fault`]. Characters XML cannot carry are replaced by U+FFFD.
pub(crate) fn fault(fault: &Fault) -> Vec<u8> {
    let mut out = Vec::with_capacity(256 + fault.message.len());
    out.extend_from_slice(PROLOG);
    out.extend_from_slice(
        b"<methodResponse><fault><value><struct><member><name>faultCode</name><value>",
    );
    match &fault.code {
        FaultCode::Int(code) => {
            out.extend_from_slice(b"<int>");
            out.extend_from_slice(code.to_string().as_bytes());
            out.extend_from_slice(b"</int>");
        }
        FaultCode::String(code) => {
            out.extend_from_slice(b"<string>");
            escape::text_lossy(&mut out, code);
            out.extend_from_slice(b"</string>");
        }
    }
    out.extend_from_slice(b"</value></member><member><name>faultString</name><value><string>");
    escape::text_lossy(&mut out, &fault.message);
    out.extend_from_slice(
        b"</string></value></member></struct></value></fault></methodResponse>\n",
    );
    out
}

/// An `IntOutOfRange` error for `v`.
pub(crate) fn out_of_range(v: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::IntOutOfRange,
        format!("{v} does not fit an XML-RPC <int> (enable EncodeOptions::allow_i8 for <i8>)"),
    )
}
