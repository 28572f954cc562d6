//! The model of a diff: each change, where it is, and what it does to a program using the
//! bindings generated from the two sides.

use serde::Serialize;

/// What a change does to a program written against the bindings generated from `--from`, once
/// the bindings are generated from `--to` and the program talks to that server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// A Rust item the program may name disappears or changes type: it stops compiling.
    BreaksTheBuild,
    /// The program still compiles, but a call it makes is now refused or means something else.
    ChangesBehaviourSilently,
    /// Nothing a program relies on changes.
    Harmless,
}

impl Impact {
    /// Every impact, worst first.
    pub const ALL: [Impact; 3] = [
        Impact::BreaksTheBuild,
        Impact::ChangesBehaviourSilently,
        Impact::Harmless,
    ];

    /// How the report says it.
    pub fn label(self) -> &'static str {
        match self {
            Impact::BreaksTheBuild => "breaks the build",
            Impact::ChangesBehaviourSilently => "changes behaviour silently",
            Impact::Harmless => "harmless",
        }
    }

    /// Whether `--check` fails on it.
    pub fn fails_check(self) -> bool {
        self != Impact::Harmless
    }
}

/// A field's type as the server describes it: the Odoo type and, for a relation, its comodel.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Shape {
    /// The Odoo type (`many2one`, `selection`, ...).
    #[serde(rename = "type")]
    pub odoo_type: String,
    /// The comodel of a relational field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
}

/// A boolean attribute of a field that the report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flag {
    /// `required`.
    Required,
    /// `readonly`.
    Readonly,
    /// `store`.
    Stored,
    /// `searchable`.
    Searchable,
}

/// What a generated field constant lets a program do, as its marker types say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    /// `Searchable`: the field can be used in a domain.
    Search,
    /// `Sortable`: the field can be used in an order.
    Sort,
    /// `Writable`: the field can be set in `create` and `write`.
    Write,
}

/// Which side a fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// `--from`.
    From,
    /// `--to`.
    To,
}

/// What changed. A field's change names the field in [`Change::field`]. Methods, once the
/// schemas describe them, slot in beside fields: `method` beside `field`, and kinds for a
/// method added, removed or with another signature (a repository method that goes or changes
/// is the build's concern).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Kind {
    /// An addon installed on `--to` only.
    AddonAdded,
    /// An addon installed on `--from` only.
    AddonRemoved,
    /// An addon installed at another version.
    AddonVersion {
        /// The version on `--from`.
        from: String,
        /// The version on `--to`.
        to: String,
    },
    /// A model `--to` has and `--from` does not.
    ModelAdded {
        /// Its label.
        label: String,
    },
    /// A model `--from` has and `--to` does not.
    ModelRemoved {
        /// Its label.
        label: String,
    },
    /// A model gone while one with the same label (and transience) appeared: probably renamed.
    ModelRenamed {
        /// The new name.
        to: String,
        /// The label both have.
        label: String,
    },
    /// A model one side's dump had to skip (its `fields_get` faulted): not compared.
    ModelUnreadable {
        /// The side that could not read it.
        side: Side,
        /// The fault.
        fault: String,
    },
    /// The model belongs to another addon (its items are behind another cargo feature).
    ModelAddon {
        /// The addon on `--from`.
        from: String,
        /// The addon on `--to`.
        to: String,
    },
    /// The model's label.
    ModelLabel {
        /// On `--from`.
        from: String,
        /// On `--to`.
        to: String,
    },
    /// Whether the model is transient (a wizard).
    ModelTransient {
        /// On `--from`.
        from: bool,
        /// On `--to`.
        to: bool,
    },
    /// A field `--to` has and `--from` does not.
    FieldAdded {
        /// Its type.
        shape: Shape,
        /// Its label.
        label: String,
    },
    /// A field `--from` has and `--to` does not.
    FieldRemoved {
        /// Its type.
        shape: Shape,
        /// Its label.
        label: String,
    },
    /// A field gone while one of the same type and label appeared: probably renamed.
    FieldRenamed {
        /// The new name.
        to: String,
        /// The type both have.
        shape: Shape,
        /// The label both have.
        label: String,
    },
    /// The field's type or comodel.
    FieldType {
        /// On `--from`.
        from: Shape,
        /// On `--to`.
        to: Shape,
    },
    /// A boolean attribute of the field.
    FieldFlag {
        /// Which.
        flag: Flag,
        /// On `--from`.
        from: bool,
        /// On `--to`.
        to: bool,
    },
    /// Whether `create` must be given the field (the ORM's rule, `openspp_schema::required`).
    CreateArgument {
        /// On `--from`.
        from: bool,
        /// On `--to`.
        to: bool,
    },
    /// What the field's constant lets a program do.
    FieldCapability {
        /// Which.
        capability: Capability,
        /// On `--from`.
        from: bool,
        /// On `--to`.
        to: bool,
    },
    /// Selection keys `--from` has and `--to` does not, in `--from`'s order.
    SelectionRemoved {
        /// The keys (non-string keys as JSON).
        values: Vec<String>,
    },
    /// Selection keys `--to` has and `--from` does not, in `--to`'s order.
    SelectionAdded {
        /// The keys (non-string keys as JSON).
        values: Vec<String>,
    },
    /// The field's label.
    FieldLabel {
        /// On `--from`.
        from: String,
        /// On `--to`.
        to: String,
    },
}

impl Kind {
    /// The summary row the change counts in.
    pub fn summary_row(&self) -> &'static str {
        match self {
            Kind::AddonAdded => "addons added",
            Kind::AddonRemoved => "addons removed",
            Kind::AddonVersion { .. } => "addon versions changed",
            Kind::ModelAdded { .. } => "models added",
            Kind::ModelRemoved { .. } => "models removed",
            Kind::ModelRenamed { .. } => "models probably renamed",
            Kind::ModelUnreadable { .. } => "models not compared (skipped by the dump)",
            Kind::ModelAddon { .. } => "models moved to another addon",
            Kind::ModelLabel { .. } => "model labels changed",
            Kind::ModelTransient { .. } => "models transient or not",
            Kind::FieldAdded { .. } => "fields added",
            Kind::FieldRemoved { .. } => "fields removed",
            Kind::FieldRenamed { .. } => "fields probably renamed",
            Kind::FieldType { .. } => "field types changed",
            Kind::FieldFlag { .. } => "field attributes changed",
            Kind::CreateArgument { .. } => "create() arguments changed",
            Kind::FieldCapability { .. } => "field capabilities changed",
            Kind::SelectionRemoved { .. } => "selections with values removed",
            Kind::SelectionAdded { .. } => "selections with values added",
            Kind::FieldLabel { .. } => "field labels changed",
        }
    }
}

/// What a generated item is, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A cargo feature (one per addon).
    CargoFeature,
    /// A model's module.
    Module,
    /// A model's type.
    ModelType,
    /// A field constant, with its value type.
    FieldConstant,
    /// A field of a program's `#[derive(Record)]` struct for the model, with its type.
    RecordField,
    /// An argument of the model's `create` function, with its type.
    CreateArgument,
    /// The model's `REQUIRED` list, checked before a create is sent.
    RequiredList,
    /// A selection enum.
    SelectionEnum,
    /// A variant of a selection enum.
    EnumVariant,
}

impl Role {
    /// How the report says it.
    pub fn label(self) -> &'static str {
        match self {
            Role::CargoFeature => "cargo feature",
            Role::Module => "module",
            Role::ModelType => "type",
            Role::FieldConstant => "field constant",
            Role::RecordField => "record-struct field",
            Role::CreateArgument => "create argument",
            Role::RequiredList => "required list",
            Role::SelectionEnum => "enum",
            Role::EnumVariant => "enum variant",
        }
    }
}

/// One generated item a change removes or alters, as the program writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RustItem {
    /// What it is.
    pub role: Role,
    /// In the bindings generated from `--from`, when it is there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// In the bindings generated from `--to`, when it is there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// One difference between the two sides.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// The addon the change is filed under: the model's (as `--to` has it, else as `--from`
    /// has it), or the addon that changed.
    pub addon: String,
    /// The model, unless an addon changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// What it does to a program using the bindings.
    pub impact: Impact,
    /// The field, for a change to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What changed.
    #[serde(flatten)]
    pub kind: Kind,
    /// The generated items it removes or alters.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rust: Vec<RustItem>,
}
