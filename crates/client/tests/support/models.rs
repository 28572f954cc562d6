//! A hand-written `res.partner` + `res.country` exactly in the shape `openspp-codegen` emits
//! (a few fields each, taken from `odoo17/fields_get`). Used by the tests and the
//! compile-fail cases; the code generator copies this shape.
#![allow(dead_code)]

pub mod res_country {
    //! `res.country`: Country.
    use openspp_client::{
        Field, Id, Model, NotSearchable, NotSortable, NotWritable, Searchable, Sortable, Values,
        WriteValue, X2many,
    };

    /// Country (`res.country`).
    #[derive(Debug, Clone, Copy)]
    pub struct ResCountry;

    impl Model for ResCountry {
        const NAME: &'static str = "res.country";
        const FIELDS: &'static [&'static str] = &[
            "code",
            "create_date",
            "display_name",
            "id",
            "name",
            "phone_code",
            "state_ids",
        ];
        const REQUIRED: &'static [&'static str] = &["code", "name"];
    }

    impl ResCountry {
        /// Values for `create`, with every required field that has no server default.
        pub fn create(
            code: impl WriteValue<String>,
            name: impl WriteValue<String>,
        ) -> Values<Self> {
            Values::new().set(CODE, code).set(NAME, name)
        }
    }

    /// Country Code (char, required).
    pub const CODE: Field<ResCountry, String> = Field::new("code");
    /// Created on (datetime, magic).
    pub const CREATE_DATE: Field<
        ResCountry,
        chrono::NaiveDateTime,
        Searchable,
        Sortable,
        NotWritable,
    > = Field::new("create_date");
    /// Display Name (char, computed).
    pub const DISPLAY_NAME: Field<ResCountry, String, NotSearchable, NotSortable, NotWritable> =
        Field::new("display_name");
    /// ID.
    pub const ID: Field<ResCountry, Id<ResCountry>, Searchable, Sortable, NotWritable> =
        Field::new("id");
    /// Country Name (char, required).
    pub const NAME: Field<ResCountry, String> = Field::new("name");
    /// Country Calling Code (integer).
    pub const PHONE_CODE: Field<ResCountry, i32> = Field::new("phone_code");
    /// States (one2many to `res.country`; simplified target to keep the sample small).
    pub const STATE_IDS: Field<ResCountry, X2many<ResCountry>, Searchable, NotSortable> =
        Field::new("state_ids");
}

pub mod res_partner {
    //! `res.partner`: Contact.
    use openspp_client::{
        Binary, Field, Id, Many2one, Model, NotSearchable, NotSortable, NotWritable, Searchable,
        Selection, SelectionEnum, Sortable, Values, Writable, X2many,
    };

    use super::res_country::ResCountry;

    /// Contact (`res.partner`).
    #[derive(Debug, Clone, Copy)]
    pub struct ResPartner;

    impl Model for ResPartner {
        const NAME: &'static str = "res.partner";
        const FIELDS: &'static [&'static str] = &[
            "active",
            "birthdate",
            "category_id",
            "child_ids",
            "color",
            "comment",
            "commercial_company_name",
            "company_type",
            "country_id",
            "create_date",
            "date",
            "display_name",
            "email",
            "id",
            "image_128",
            "is_company",
            "is_group",
            "is_registrant",
            "name",
            "parent_id",
            "partner_latitude",
            "registration_date",
            "type",
            "write_date",
            "write_uid",
        ];
        const REQUIRED: &'static [&'static str] = &[];
    }

    impl ResPartner {
        /// Values for `create` (no field is required without a server default).
        pub fn create() -> Values<Self> {
            Values::new()
        }
    }

    /// Active (boolean).
    pub const ACTIVE: Field<ResPartner, bool> = Field::new("active");
    /// Birthdate (date).
    pub const BIRTHDATE: Field<ResPartner, chrono::NaiveDate> = Field::new("birthdate");
    /// Tags (many2many to `res.partner.category`, here `res.partner` for brevity).
    pub const CATEGORY_ID: Field<ResPartner, X2many<ResPartner>, Searchable, NotSortable> =
        Field::new("category_id");
    /// Contact (one2many to `res.partner`).
    pub const CHILD_IDS: Field<ResPartner, X2many<ResPartner>, Searchable, NotSortable> =
        Field::new("child_ids");
    /// Color Index (integer).
    pub const COLOR: Field<ResPartner, i32> = Field::new("color");
    /// Notes (html).
    pub const COMMENT: Field<ResPartner, String> = Field::new("comment");
    /// Company Name Entity (char, stored readonly: written over RPC).
    pub const COMMERCIAL_COMPANY_NAME: Field<ResPartner, String> =
        Field::new("commercial_company_name");
    /// Company Type (selection, not stored, has an inverse: writable).
    pub const COMPANY_TYPE: Field<
        ResPartner,
        Selection<CompanyType>,
        NotSearchable,
        NotSortable,
        Writable,
    > = Field::new("company_type");
    /// Country (many2one to `res.country`).
    pub const COUNTRY_ID: Field<ResPartner, Many2one<ResCountry>> = Field::new("country_id");
    /// Created on (datetime, magic).
    pub const CREATE_DATE: Field<
        ResPartner,
        chrono::NaiveDateTime,
        Searchable,
        Sortable,
        NotWritable,
    > = Field::new("create_date");
    /// Date (date).
    pub const DATE: Field<ResPartner, chrono::NaiveDate> = Field::new("date");
    /// Display Name (char, computed, not stored).
    pub const DISPLAY_NAME: Field<ResPartner, String, NotSearchable, NotSortable, NotWritable> =
        Field::new("display_name");
    /// Email (char).
    pub const EMAIL: Field<ResPartner, String> = Field::new("email");
    /// ID.
    pub const ID: Field<ResPartner, Id<ResPartner>, Searchable, Sortable, NotWritable> =
        Field::new("id");
    /// Image 128 (binary, related to image_1920: writable).
    pub const IMAGE_128: Field<ResPartner, Binary, NotSearchable, NotSortable> =
        Field::new("image_128");
    /// Is a Company (boolean).
    pub const IS_COMPANY: Field<ResPartner, bool> = Field::new("is_company");
    /// Group (boolean, OpenSPP).
    pub const IS_GROUP: Field<ResPartner, bool> = Field::new("is_group");
    /// Registrant (boolean, OpenSPP).
    pub const IS_REGISTRANT: Field<ResPartner, bool> = Field::new("is_registrant");
    /// Registration Date (date, OpenSPP).
    pub const REGISTRATION_DATE: Field<ResPartner, chrono::NaiveDate> =
        Field::new("registration_date");
    /// Name (char).
    pub const NAME: Field<ResPartner, String> = Field::new("name");
    /// Related Company (many2one to `res.partner`).
    pub const PARENT_ID: Field<ResPartner, Many2one<ResPartner>> = Field::new("parent_id");
    /// Geo Latitude (float).
    pub const PARTNER_LATITUDE: Field<ResPartner, f64> = Field::new("partner_latitude");
    /// Address Type (selection).
    pub const TYPE: Field<ResPartner, Selection<Type>> = Field::new("type");
    /// Last Updated on (datetime, magic).
    pub const WRITE_DATE: Field<
        ResPartner,
        chrono::NaiveDateTime,
        Searchable,
        Sortable,
        NotWritable,
    > = Field::new("write_date");
    /// Last Updated by (many2one to `res.users`, here `res.partner` for brevity; magic).
    pub const WRITE_UID: Field<
        ResPartner,
        Many2one<ResPartner>,
        Searchable,
        Sortable,
        NotWritable,
    > = Field::new("write_uid");

    /// Values of `res.partner.type`. The catch-all is `Unknown` because `other` is a real key.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Type {
        /// `contact`: Contact.
        Contact,
        /// `invoice`: Invoice Address.
        Invoice,
        /// `delivery`: Delivery Address.
        Delivery,
        /// `other`: Other Address.
        Other,
        /// A key this binding does not know (from a newer server or a custom module).
        Unknown(String),
    }

    impl SelectionEnum for Type {
        const KEYS: &'static [&'static str] = &["contact", "invoice", "delivery", "other"];
        fn from_key(key: &str) -> Self {
            match key {
                "contact" => Self::Contact,
                "invoice" => Self::Invoice,
                "delivery" => Self::Delivery,
                "other" => Self::Other,
                _ => Self::Unknown(key.to_owned()),
            }
        }
        fn key(&self) -> &str {
            match self {
                Self::Contact => "contact",
                Self::Invoice => "invoice",
                Self::Delivery => "delivery",
                Self::Other => "other",
                Self::Unknown(key) => key,
            }
        }
    }

    /// Values of `res.partner.company_type`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum CompanyType {
        /// `person`: Individual.
        Person,
        /// `company`: Company.
        Company,
        /// A key this binding does not know.
        Unknown(String),
    }

    impl SelectionEnum for CompanyType {
        const KEYS: &'static [&'static str] = &["person", "company"];
        fn from_key(key: &str) -> Self {
            match key {
                "person" => Self::Person,
                "company" => Self::Company,
                _ => Self::Unknown(key.to_owned()),
            }
        }
        fn key(&self) -> &str {
            match self {
                Self::Person => "person",
                Self::Company => "company",
                Self::Unknown(key) => key,
            }
        }
    }
}
