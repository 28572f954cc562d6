//! Every record of the real server's `search_read_*` / `read_*` answers
//! (`../shared/odoo17/wire`) decodes into the generated field types and re-encodes to exactly
//! the values the server sent.
#![cfg(all(
    feature = "g2p_programs",
    feature = "g2p_registry_group",
    feature = "g2p_registry_membership",
    feature = "spp_area"
))]

use chrono::{NaiveDate, NaiveDateTime};
use openspp_client::xmlrpc::{self, Struct, Value};
use openspp_client::{Binary, Field, FieldSet, FieldType, Id, Many2one, SelectionEnum};
use openspp_models::{g2p_entitlement as ent, res_partner as partner};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn wire(name: &str) -> PathBuf {
    test_captures::path("odoo17/wire").join(name)
}

/// The read value back in the server's wire shape.
trait Reencode {
    fn reencode(&self) -> Value;
}

impl Reencode for bool {
    fn reencode(&self) -> Value {
        Value::Bool(*self)
    }
}
impl Reencode for i32 {
    fn reencode(&self) -> Value {
        Value::Int(*self)
    }
}
impl Reencode for f64 {
    fn reencode(&self) -> Value {
        Value::Double(*self)
    }
}
impl Reencode for String {
    fn reencode(&self) -> Value {
        Value::String(self.clone())
    }
}
impl Reencode for NaiveDate {
    fn reencode(&self) -> Value {
        Value::String(self.format("%Y-%m-%d").to_string())
    }
}
impl Reencode for NaiveDateTime {
    fn reencode(&self) -> Value {
        Value::String(self.format("%Y-%m-%d %H:%M:%S").to_string())
    }
}
impl Reencode for Binary {
    fn reencode(&self) -> Value {
        Value::String(self.as_base64().to_owned())
    }
}
impl<M> Reencode for Id<M> {
    fn reencode(&self) -> Value {
        Value::Int(self.get())
    }
}
impl<M> Reencode for Many2one<M> {
    fn reencode(&self) -> Value {
        Value::Array(vec![
            Value::Int(self.id.get()),
            // `[id, False]` (no display name) reads as `None` and goes back as `False`.
            self.name.clone().map_or(Value::Bool(false), Value::String),
        ])
    }
}
impl<M> Reencode for Vec<Id<M>> {
    fn reencode(&self) -> Value {
        Value::Array(self.iter().map(Reencode::reencode).collect())
    }
}
impl<T: Reencode> Reencode for Option<T> {
    fn reencode(&self) -> Value {
        self.as_ref().map_or(Value::Bool(false), Reencode::reencode)
    }
}
/// Selection enums (a newtype so the blanket impl does not overlap the others).
struct Key<E>(E);
impl<E: SelectionEnum> Reencode for Key<E> {
    fn reencode(&self) -> Value {
        Value::String(self.0.key().to_owned())
    }
}

/// Decodes `field` out of `record` with the generated type and checks the round trip.
fn check<M, T, S, O, W>(record: &Struct, field: Field<M, T, S, O, W>, seen: &mut BTreeSet<String>)
where
    M: openspp_client::Model,
    T: FieldType,
    T::Read: Reencode + Send,
    S: 'static,
    O: 'static,
    W: 'static,
{
    check_with(record, field, seen, |read| read.reencode());
}

fn check_selection<M, E, S, O, W>(
    record: &Struct,
    field: Field<M, openspp_client::Selection<E>, S, O, W>,
    seen: &mut BTreeSet<String>,
) where
    M: openspp_client::Model,
    E: SelectionEnum,
    S: 'static,
    O: 'static,
    W: 'static,
{
    check_with(record, field, seen, |read: &Option<E>| {
        read.clone().map(Key).reencode()
    });
}

fn check_with<M, T, S, O, W>(
    record: &Struct,
    field: Field<M, T, S, O, W>,
    seen: &mut BTreeSet<String>,
    reencode: impl Fn(&T::Read) -> Value,
) where
    M: openspp_client::Model,
    T: FieldType,
    T::Read: Send,
    S: 'static,
    O: 'static,
    W: 'static,
{
    let name = field.name();
    let sent = record
        .get(name)
        .unwrap_or_else(|| panic!("the answer has no `{name}`"));
    let read = field
        .take(&mut record.clone())
        .unwrap_or_else(|(f, e)| panic!("`{f}` does not decode: {e}"));
    assert_eq!(&reencode(&read), sent, "`{name}` does not round-trip");
    assert!(M::FIELDS.contains(&name), "`{name}` is missing from FIELDS");
    seen.insert(name.to_owned());
}

fn records(file: &str) -> Vec<Struct> {
    let body = std::fs::read(wire(file)).expect("the capture is readable");
    xmlrpc::from_response::<Vec<Struct>>(&body)
        .expect("the capture is well-formed XML-RPC")
        .expect("the capture is not a fault")
}

fn assert_all_checked(record: &Struct, seen: &BTreeSet<String>) {
    let keys: BTreeSet<String> = record.keys().cloned().collect();
    assert_eq!(&keys, seen, "every member of the record is checked");
}

#[test]
fn search_read_res_partner() {
    let records = records("search_read_res_partner.response.xml");
    assert_eq!(records.len(), 49);
    for record in &records {
        let mut seen = BTreeSet::new();
        let s = &mut seen;
        check(record, partner::ID, s);
        check(record, partner::NAME, s);
        check(record, partner::DISPLAY_NAME, s);
        check(record, partner::PARENT_ID, s);
        check(record, partner::COUNTRY_ID, s);
        check(record, partner::CHILD_IDS, s);
        check(record, partner::CATEGORY_ID, s);
        check(record, partner::DATE, s);
        check(record, partner::CREATE_DATE, s);
        check(record, partner::WRITE_DATE, s);
        check(record, partner::IMAGE_128, s);
        check_selection(record, partner::TYPE, s);
        check(record, partner::IS_COMPANY, s);
        check(record, partner::ACTIVE, s);
        check(record, partner::PARTNER_LATITUDE, s);
        check(record, partner::COLOR, s);
        check(record, partner::EMAIL, s);
        check(record, partner::BIRTHDATE, s);
        check(record, partner::REGISTRATION_DATE, s);
        check(record, partner::IS_REGISTRANT, s);
        check(record, partner::IS_GROUP, s);
        assert_all_checked(record, &seen);
    }
}

#[test]
fn read_res_partner() {
    let records = records("read_res_partner.response.xml");
    assert_eq!(records.len(), 3);
    for record in &records {
        let mut seen = BTreeSet::new();
        let s = &mut seen;
        check(record, partner::ID, s);
        check(record, partner::NAME, s);
        check(record, partner::COUNTRY_ID, s);
        check(record, partner::CHILD_IDS, s);
        check(record, partner::CATEGORY_ID, s);
        check(record, partner::CREATE_DATE, s);
        check(record, partner::IS_COMPANY, s);
        check_selection(record, partner::TYPE, s);
        check(record, partner::PARTNER_LATITUDE, s);
        assert_all_checked(record, &seen);
    }
}

#[test]
fn search_read_registrant_groups() {
    let records = records("search_read_registrant_groups.response.xml");
    assert!(!records.is_empty());
    for record in &records {
        let mut seen = BTreeSet::new();
        let s = &mut seen;
        check(record, partner::ID, s);
        check(record, partner::NAME, s);
        check(record, partner::KIND, s);
        check(record, partner::GROUP_MEMBERSHIP_IDS, s);
        check(record, partner::REGISTRATION_DATE, s);
        check(record, partner::AREA_ID, s);
        check(record, partner::Z_IND_GRP_NUM_INDIVIDUALS, s);
        assert_all_checked(record, &seen);
    }
}

#[test]
fn search_read_g2p_entitlement() {
    let records = records("search_read_g2p_entitlement.response.xml");
    assert!(!records.is_empty());
    for record in &records {
        let mut seen = BTreeSet::new();
        let s = &mut seen;
        check(record, ent::ID, s);
        check(record, ent::CODE, s);
        check(record, ent::PARTNER_ID, s);
        check(record, ent::CYCLE_ID, s);
        check(record, ent::PROGRAM_ID, s);
        check(record, ent::INITIAL_AMOUNT, s);
        check(record, ent::CURRENCY_ID, s);
        check_selection(record, ent::STATE, s);
        check(record, ent::VALID_FROM, s);
        check(record, ent::VALID_UNTIL, s);
        check(record, ent::DATE_APPROVED, s);
        check(record, ent::IS_CASH_ENTITLEMENT, s);
        assert_all_checked(record, &seen);
    }
}

#[test]
fn read_group_res_partner_groups_decode_by_their_groupby_field() {
    let records = records("read_group_res_partner.response.xml");
    assert!(!records.is_empty());
    for record in &records {
        let mut seen: BTreeSet<String> = ["__domain", "country_id_count"].map(String::from).into();
        check(record, partner::COUNTRY_ID, &mut seen);
        assert_all_checked(record, &seen);
    }
}

#[test]
fn a_missing_record_reads_as_no_record() {
    assert!(records("read_missing_record.response.xml").is_empty());
}

#[test]
fn search_read_of_every_entitlement_field_is_a_fault() {
    let file = "search_read_g2p_entitlement_allfields_fault.response.xml";
    let body = std::fs::read(wire(file)).expect("the capture is readable");
    let answer = xmlrpc::from_response::<Vec<Struct>>(&body).expect("well-formed");
    assert!(answer.is_err(), "{file} is a fault");
}

#[test]
fn every_record_capture_is_covered() {
    let mut found: Vec<String> = std::fs::read_dir(wire(""))
        .expect("the wire folder is readable")
        .map(|e| {
            e.expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| {
            n.ends_with(".response.xml")
                && (n.starts_with("search_read_") || n.starts_with("read_"))
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            "read_group_res_partner.response.xml",
            "read_missing_record.response.xml",
            "read_res_partner.response.xml",
            "search_read_g2p_entitlement.response.xml",
            "search_read_g2p_entitlement_allfields_fault.response.xml",
            "search_read_registrant_groups.response.xml",
            "search_read_res_partner.response.xml",
        ]
    );
}
