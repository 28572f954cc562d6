//! What a read returns: tuples of chosen fields ([`FieldSet`]) or a program's own struct
//! ([`Record`]), and how the answer is decoded into them ([`Fetch`]). No I/O: the protocols
//! hand each answer's body to a [`Fetch`].

use std::marker::PhantomData;

use openspp_xmlrpc::{DecodeOptions, Fault, Struct, Value};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::ProtocolError;
use crate::typed::field::Field;
use crate::typed::model::{Id, Model};
use crate::typed::record::Record;
use crate::typed::types::FieldType;

/// A choice of fields to read, decoded into a typed tuple: a single [`Field`] reads as its
/// value, a tuple of field sets as the tuple of their values (nest tuples for more than 12).
///
/// ```
/// # use openspp_client::{Field, FieldSet, Many2one, Model};
/// # #[derive(Debug, Clone, Copy)] pub struct ResPartner;
/// # impl Model for ResPartner {
/// #     const NAME: &'static str = "res.partner";
/// #     const FIELDS: &'static [&'static str] = &["name", "parent_id"];
/// #     const REQUIRED: &'static [&'static str] = &[];
/// # }
/// # const NAME: Field<ResPartner, String> = Field::new("name");
/// # const PARENT_ID: Field<ResPartner, Many2one<ResPartner>> = Field::new("parent_id");
/// fn row_type<F: FieldSet<ResPartner>>(_: F) -> std::marker::PhantomData<F::Row> {
///     std::marker::PhantomData
/// }
/// let _: std::marker::PhantomData<(Option<String>, Option<Many2one<ResPartner>>)> =
///     row_type((NAME, PARENT_ID));
/// ```
pub trait FieldSet<M>: Send + Sync + 'static {
    /// The decoded values, one per field.
    type Row: Send + 'static;
    /// Appends the field names to request.
    fn push_names(&self, out: &mut Vec<&'static str>);
    /// Takes this set's columns out of one record; `Err((field, message))` if one is malformed.
    #[doc(hidden)]
    fn take(&self, record: &mut Struct) -> Result<Self::Row, (String, String)>;
}

impl<M: Model, T: FieldType, S: 'static, O: 'static, W: 'static> FieldSet<M>
    for Field<M, T, S, O, W>
where
    T::Read: Send + 'static,
{
    type Row = T::Read;
    fn push_names(&self, out: &mut Vec<&'static str>) {
        out.push(self.name());
    }
    fn take(&self, record: &mut Struct) -> Result<T::Read, (String, String)> {
        let name = self.name();
        let fail = |message: String| (name.to_owned(), message);
        let value = record
            .remove(name)
            .ok_or_else(|| fail("missing from the answer (or listed twice)".to_owned()))?;
        let wire: T::Wire = openspp_xmlrpc::from_value(value).map_err(|e| fail(e.to_string()))?;
        T::from_wire(wire).map_err(fail)
    }
}

impl<M: Model> FieldSet<M> for () {
    type Row = ();
    fn push_names(&self, _out: &mut Vec<&'static str>) {}
    fn take(&self, _record: &mut Struct) -> Result<(), (String, String)> {
        Ok(())
    }
}

macro_rules! tuple_field_sets {
    ($(($($t:ident $i:tt),+))*) => {$(
        impl<M: Model, $($t: FieldSet<M>),+> FieldSet<M> for ($($t,)+) {
            type Row = ($($t::Row,)+);
            fn push_names(&self, out: &mut Vec<&'static str>) {
                $(self.$i.push_names(out);)+
            }
            fn take(&self, record: &mut Struct) -> Result<Self::Row, (String, String)> {
                Ok(($(self.$i.take(record)?,)+))
            }
        }
    )*};
}

tuple_field_sets! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
}

/// How a read's answer becomes items: implemented by [`Columns`] and [`Records`].
pub trait Fetch<M>: Send + Sync + 'static {
    /// One decoded record.
    type Item: Send + 'static;
    /// The `fields` to request.
    fn field_names(&self) -> Vec<&'static str>;
    /// Decodes an XML-RPC response body holding a list of records.
    #[doc(hidden)]
    fn decode(
        &self,
        body: &[u8],
        opts: &DecodeOptions,
    ) -> Result<Result<Vec<Self::Item>, Fault>, ProtocolError>;
    /// Decodes a JSON list of records in one pass, from a deserializer that speaks Odoo's
    /// dialect (the JSON paths).
    #[doc(hidden)]
    #[allow(clippy::type_complexity)]
    fn decode_json<'de, D: serde::Deserializer<'de>>(
        &self,
        records: D,
    ) -> Result<Result<Vec<Self::Item>, ProtocolError>, D::Error>;
}

/// Reads a [`FieldSet`]; each item is `(Id<M>, row)`.
#[derive(Debug, Clone, Copy)]
pub struct Columns<F>(pub F);

impl<M: Model, F: FieldSet<M>> Fetch<M> for Columns<F> {
    type Item = (Id<M>, F::Row);
    fn field_names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        self.0.push_names(&mut names);
        if names.is_empty() {
            // An empty list means "every field" to the server; ask for the id only.
            names.push("id");
        }
        names
    }
    fn decode(
        &self,
        body: &[u8],
        opts: &DecodeOptions,
    ) -> Result<Result<Vec<Self::Item>, Fault>, ProtocolError> {
        match decode_response(body, opts)? {
            Ok(records) => self.rows(records).map(Ok),
            Err(fault) => Ok(Err(fault)),
        }
    }
    fn decode_json<'de, D: serde::Deserializer<'de>>(
        &self,
        records: D,
    ) -> Result<Result<Vec<Self::Item>, ProtocolError>, D::Error> {
        let records = Vec::<Struct>::deserialize(records)?;
        Ok(self.rows(records))
    }
}

/// The items of a [`Columns`] read.
type Rows<M, F> = Vec<(Id<M>, <F as FieldSet<M>>::Row)>;

impl<F> Columns<F> {
    /// Takes each record's id and this set's columns.
    fn rows<M: Model>(&self, records: Vec<Struct>) -> Result<Rows<M, F>, ProtocolError>
    where
        F: FieldSet<M>,
    {
        records
            .into_iter()
            .enumerate()
            .map(|(row, mut record)| {
                let id = match record.remove("id") {
                    Some(Value::Int(id)) => Id::new(id),
                    other => {
                        return Err(ProtocolError::Field {
                            row,
                            field: "id".to_owned(),
                            message: format!("expected an int id, got {other:?}"),
                        });
                    }
                };
                let values =
                    self.0
                        .take(&mut record)
                        .map_err(|(field, message)| ProtocolError::Field {
                            row,
                            field,
                            message,
                        })?;
                Ok((id, values))
            })
            .collect()
    }
}

/// Reads [`Record`] structs of type `R`.
#[derive(Debug)]
pub struct Records<R>(PhantomData<fn() -> R>);

impl<R> Records<R> {
    /// The fetch of `R::FIELDS`, decoded into `R`.
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

impl<R> Default for Records<R> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R: Record> Fetch<R::Model> for Records<R> {
    type Item = R;
    fn field_names(&self) -> Vec<&'static str> {
        if R::FIELDS.is_empty() {
            // An empty list means "every field" to the server; ask for the id only.
            return vec!["id"];
        }
        R::FIELDS.to_vec()
    }
    fn decode(
        &self,
        body: &[u8],
        opts: &DecodeOptions,
    ) -> Result<Result<Vec<R>, Fault>, ProtocolError> {
        decode_response(body, opts)
    }
    fn decode_json<'de, D: serde::Deserializer<'de>>(
        &self,
        records: D,
    ) -> Result<Result<Vec<R>, ProtocolError>, D::Error> {
        Vec::<R>::deserialize(records).map(Ok)
    }
}

/// An XML-RPC answer decoded with serde.
fn decode_response<R: DeserializeOwned>(
    body: &[u8],
    opts: &DecodeOptions,
) -> Result<Result<R, Fault>, ProtocolError> {
    openspp_xmlrpc::from_response_with(body, opts).map_err(ProtocolError::Decode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typed::types::Many2one;

    #[derive(Debug, Clone, Copy)]
    struct Partner;
    impl Model for Partner {
        const NAME: &'static str = "res.partner";
        const FIELDS: &'static [&'static str] = &["email", "country_id"];
        const REQUIRED: &'static [&'static str] = &[];
    }
    const EMAIL: Field<Partner, String> = Field::new("email");
    const COUNTRY: Field<Partner, Many2one<Partner>> = Field::new("country_id");

    fn record(email: Value, country: Value) -> Struct {
        Struct::from([
            ("email".to_owned(), email),
            ("country_id".to_owned(), country),
        ])
    }

    #[test]
    fn columns_decode_with_the_codec_rules() {
        let pair = Value::Array(vec![Value::Int(3), Value::String("BE".into())]);
        let mut rec = record(Value::Bool(false), pair);
        let (email, country) = (EMAIL, COUNTRY).take(&mut rec).unwrap();
        assert_eq!(email, None);
        assert_eq!(
            country,
            Some(Many2one {
                id: Id::new(3),
                name: Some("BE".to_owned())
            })
        );
        assert!(rec.is_empty(), "taken columns are removed: {rec:?}");

        let mut short = record(Value::Bool(false), Value::Array(vec![Value::Int(1)]));
        let (field, message) = (EMAIL, COUNTRY).take(&mut short).unwrap_err();
        assert_eq!(field, "country_id");
        assert!(message.contains("found 1 elements"), "{message}");

        let mut wrong = record(Value::Int(4), Value::Bool(false));
        let (field, _) = (EMAIL, COUNTRY).take(&mut wrong).unwrap_err();
        assert_eq!(field, "email");
    }
}
