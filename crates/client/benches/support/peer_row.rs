//! The row of the peers comparison (`benches/peers/`): every active partner's name, email,
//! country and tags, as a record struct decoded straight from the answer.

use openspp_client::{Field, Id, Many2one, Model, Record};

#[derive(Debug, Clone, Copy)]
pub struct ResPartner;
impl Model for ResPartner {
    const NAME: &'static str = "res.partner";
    const FIELDS: &'static [&'static str] =
        &["active", "category_id", "country_id", "email", "name"];
    const REQUIRED: &'static [&'static str] = &[];
}

#[derive(Debug, Clone, Copy)]
pub struct ResCountry;
impl Model for ResCountry {
    const NAME: &'static str = "res.country";
    const FIELDS: &'static [&'static str] = &["name"];
    const REQUIRED: &'static [&'static str] = &[];
}

#[derive(Debug, Clone, Copy)]
pub struct Category;
impl Model for Category {
    const NAME: &'static str = "res.partner.category";
    const FIELDS: &'static [&'static str] = &["name"];
    const REQUIRED: &'static [&'static str] = &[];
}

pub const ACTIVE: Field<ResPartner, bool> = Field::new("active");

/// One partner row.
#[derive(Debug, PartialEq, serde::Deserialize)]
#[allow(dead_code)] // decoded, not read
pub struct Partner {
    pub id: i32,
    pub name: Option<String>,
    pub email: Option<String>,
    pub country_id: Option<Many2one<ResCountry>>,
    pub category_id: Vec<Id<Category>>,
}
impl Record for Partner {
    type Model = ResPartner;
    const FIELDS: &'static [&'static str] = &["name", "email", "country_id", "category_id"];
}
