//! A model's public methods: what a client may call on it besides the ORM's CRUD, as the server
//! describes them.
//!
//! Two descriptions exist. Odoo 19's `api_doc` addon (`GET /doc-bearer/<model>.json`) lists
//! every public method with its Python signature, the `@api.model` and `@api.readonly` flags and
//! the docstring ([`MethodSource::DocBearer`], read by [`MethodSchema::from_doc_bearer`] and
//! written back by [`MethodSchema::to_doc_bearer`]). Odoo 17 has no listing, but every
//! `<button type="object" name="...">` of a model's form view is a public method the web client
//! calls on the record's ids, without arguments ([`MethodSource::FormButton`]).

use crate::error::Problem;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Where a method's description came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodSource {
    /// Odoo 19's `/doc-bearer/<model>.json`: the method's own signature.
    DocBearer,
    /// An object button of the model's form view (Odoo 17): called on records, no arguments.
    FormButton,
}

/// How a parameter takes its argument (Python's `inspect.Parameter.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParameterKind {
    /// By position or by name (the usual kind; `api_doc` leaves `kind` out for it).
    PositionalOrKeyword,
    /// By position only (before a `/`).
    PositionalOnly,
    /// By name only (after a `*`).
    KeywordOnly,
    /// `*args`: any further positional arguments.
    VarPositional,
    /// `**kwargs`: any further named arguments.
    VarKeyword,
}

impl ParameterKind {
    /// `api_doc`'s name for the kind (`None` for the usual one, which it leaves out).
    pub fn api_doc_name(self) -> Option<&'static str> {
        match self {
            ParameterKind::PositionalOrKeyword => None,
            ParameterKind::PositionalOnly => Some("POSITIONAL_ONLY"),
            ParameterKind::KeywordOnly => Some("KEYWORD_ONLY"),
            ParameterKind::VarPositional => Some("VAR_POSITIONAL"),
            ParameterKind::VarKeyword => Some("VAR_KEYWORD"),
        }
    }

    fn from_api_doc(name: Option<&str>) -> Result<Self, String> {
        Ok(match name {
            None | Some("POSITIONAL_OR_KEYWORD") => ParameterKind::PositionalOrKeyword,
            Some("POSITIONAL_ONLY") => ParameterKind::PositionalOnly,
            Some("KEYWORD_ONLY") => ParameterKind::KeywordOnly,
            Some("VAR_POSITIONAL") => ParameterKind::VarPositional,
            Some("VAR_KEYWORD") => ParameterKind::VarKeyword,
            Some(other) => return Err(format!("unknown parameter kind `{other}`")),
        })
    }

    /// Whether the parameter collects any number of arguments (`*args`, `**kwargs`).
    pub fn is_variadic(self) -> bool {
        matches!(
            self,
            ParameterKind::VarPositional | ParameterKind::VarKeyword
        )
    }

    fn is_default(&self) -> bool {
        *self == ParameterKind::PositionalOrKeyword
    }
}

/// One parameter of a method, after `self`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterSchema {
    /// The Python name.
    pub name: String,
    /// How it takes its argument.
    #[serde(
        default = "positional_or_keyword",
        skip_serializing_if = "ParameterKind::is_default"
    )]
    pub kind: ParameterKind,
    /// The default, as Python writes it in the signature (`None`, `False`, `'notification'`,
    /// `()`); `None` when the parameter has none (it must be given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The type annotation as text (`int | None`, `Sequence[str]`), or the type the docstring
    /// declares when the code has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<String>,
    /// What the docstring says of it, as plain text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
}

fn positional_or_keyword() -> ParameterKind {
    ParameterKind::PositionalOrKeyword
}

impl ParameterSchema {
    /// Whether a call may leave the parameter out (it has a default, or collects arguments).
    pub fn is_optional(&self) -> bool {
        self.default.is_some() || self.kind.is_variadic()
    }
}

/// One public method of a model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodSchema {
    /// Where the description came from.
    pub source: MethodSource,
    /// `@api.model`: called on the model, without record ids.
    #[serde(default, skip_serializing_if = "is_false")]
    pub model: bool,
    /// `@api.readonly`: changes nothing, so a client may send it again after a failure.
    #[serde(default, skip_serializing_if = "is_false")]
    pub readonly: bool,
    /// The parameters after `self`, in the signature's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<ParameterSchema>,
    /// The return annotation as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// What the docstring says the method returns, as plain text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub returns_doc: String,
    /// The docstring as plain text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub doc: String,
    /// The button's label (`string`, else `title`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// The question the web client asks before calling the button's method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm: Option<String>,
    /// The groups the button is shown to (comma-separated external ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<String>,
    /// The model whose class introduced the method (`core` for the ORM's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub defined_in: Option<String>,
    /// The addon that introduced the method (`core` for the ORM's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// Whether a method name may be called remotely: Odoo refuses names with a leading underscore
/// (`check_method_name`, and JSON-2's `get_public_method`).
pub fn is_public_method_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c == '_' || c.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl MethodSchema {
    /// A form button's method: called on records, no parameters.
    pub fn form_button(label: impl Into<String>) -> Self {
        MethodSchema {
            source: MethodSource::FormButton,
            model: false,
            readonly: false,
            parameters: Vec::new(),
            returns: None,
            returns_doc: String::new(),
            doc: String::new(),
            label: label.into(),
            confirm: None,
            groups: None,
            defined_in: None,
            module: None,
        }
    }

    /// Reads one entry of `/doc-bearer/<model>.json`'s `methods` (`_doc_method`'s dict): the
    /// parameters in the order of its `signature` (the `parameters` map may come sorted), the
    /// defaults as the signature writes them, the docs as plain text.
    pub fn from_doc_bearer(name: &str, entry: &Value) -> Result<Self, String> {
        let entry = entry
            .as_object()
            .ok_or_else(|| format!("method `{name}`: not an object"))?;
        let text = |map: &Map<String, Value>, key: &str| {
            map.get(key).and_then(Value::as_str).map(str::to_owned)
        };
        let signature =
            text(entry, "signature").ok_or_else(|| format!("method `{name}`: no `signature`"))?;
        let (params, returns) = split_signature(&signature)
            .ok_or_else(|| format!("method `{name}`: cannot read signature `{signature}`"))?;
        let described = entry
            .get("parameters")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut parameters = Vec::with_capacity(params.len());
        for (param_name, default) in params {
            let about = described
                .get(&param_name)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let kind = ParameterKind::from_api_doc(about.get("kind").and_then(Value::as_str))
                .map_err(|e| format!("method `{name}`, parameter `{param_name}`: {e}"))?;
            parameters.push(ParameterSchema {
                kind,
                default,
                annotation: text(&about, "annotation").or_else(|| text(&about, "annotations")),
                doc: text(&about, "doc")
                    .map(|d| html_to_text(&d))
                    .unwrap_or_default(),
                name: param_name,
            });
        }
        if let Some(unknown) = described
            .keys()
            .find(|key| !parameters.iter().any(|p| &p.name == *key))
        {
            return Err(format!(
                "method `{name}`: parameter `{unknown}` is not in its signature `{signature}`"
            ));
        }
        let api: Vec<&str> = entry
            .get("api")
            .and_then(Value::as_array)
            .map(|flags| flags.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let returned = entry
            .get("return")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        Ok(MethodSchema {
            source: MethodSource::DocBearer,
            model: api.contains(&"model"),
            readonly: api.contains(&"readonly"),
            parameters,
            returns: text(&returned, "annotation").or(returns),
            returns_doc: text(&returned, "doc")
                .map(|d| html_to_text(&d))
                .unwrap_or_default(),
            doc: text(entry, "doc")
                .map(|d| html_to_text(&d))
                .unwrap_or_default(),
            label: String::new(),
            confirm: None,
            groups: None,
            defined_in: text(entry, "model"),
            module: text(entry, "module"),
        })
    }

    /// The entry `/doc-bearer/<model>.json` would list for the method: what
    /// [`from_doc_bearer`](Self::from_doc_bearer) reads back into the same schema.
    pub fn to_doc_bearer(&self) -> Value {
        let mut entry = Map::new();
        let mut parameters = Map::new();
        for param in &self.parameters {
            let mut about = Map::new();
            if let Some(kind) = param.kind.api_doc_name() {
                about.insert("kind".into(), kind.into());
            }
            if let Some(default) = &param.default {
                about.insert("default".into(), python_literal_to_json(default));
            }
            if let Some(annotation) = &param.annotation {
                about.insert("annotation".into(), annotation.clone().into());
            }
            if !param.doc.is_empty() {
                about.insert("doc".into(), text_to_html(&param.doc).into());
            }
            parameters.insert(param.name.clone(), Value::Object(about));
        }
        entry.insert("signature".into(), self.signature().into());
        entry.insert("parameters".into(), Value::Object(parameters));
        let api: Vec<Value> = [(self.model, "model"), (self.readonly, "readonly")]
            .into_iter()
            .filter(|(set, _)| *set)
            .map(|(_, flag)| flag.into())
            .collect();
        if !api.is_empty() {
            entry.insert("api".into(), Value::Array(api));
        }
        let mut returned = Map::new();
        if let Some(returns) = &self.returns {
            returned.insert("annotation".into(), returns.clone().into());
        }
        if !self.returns_doc.is_empty() {
            returned.insert("doc".into(), text_to_html(&self.returns_doc).into());
        }
        if !returned.is_empty() {
            entry.insert("return".into(), Value::Object(returned));
        }
        if !self.doc.is_empty() {
            entry.insert("doc".into(), text_to_html(&self.doc).into());
        }
        let core = || Value::String("core".into());
        entry.insert(
            "model".into(),
            self.defined_in.clone().map_or_else(core, Value::String),
        );
        entry.insert(
            "module".into(),
            self.module.clone().map_or_else(core, Value::String),
        );
        Value::Object(entry)
    }

    /// The signature as `api_doc` writes it: `(domain=None, fields=None, read_kwargs) -> list`.
    pub fn signature(&self) -> String {
        let params: Vec<String> = self
            .parameters
            .iter()
            .map(|p| match &p.default {
                Some(default) => format!("{}={default}", p.name),
                None => p.name.clone(),
            })
            .collect();
        match &self.returns {
            Some(returns) => format!("({}) -> {returns}", params.join(", ")),
            None => format!("({})", params.join(", ")),
        }
    }

    /// The parameters a call must give (no default, not variadic).
    pub fn required_parameters(&self) -> impl Iterator<Item = &ParameterSchema> {
        self.parameters.iter().filter(|p| !p.is_optional())
    }

    pub(crate) fn validate(&self, path: &str) -> Result<(), Problem> {
        let mut seen = std::collections::BTreeSet::new();
        for param in &self.parameters {
            if !seen.insert(param.name.as_str()) {
                return Err(Problem::new(
                    path,
                    format!("parameter `{}` appears twice", param.name),
                ));
            }
        }
        if self.source == MethodSource::FormButton && (self.model || !self.parameters.is_empty()) {
            return Err(Problem::new(
                path,
                "a form button's method is called on records without arguments",
            ));
        }
        Ok(())
    }
}

/// A parameter's name and default text, as a signature writes them.
type SignatureParam = (String, Option<String>);

/// Splits `(a, b=None, c='x, y') -> ret` into its parameters (name, default text) and return
/// annotation; `None` when the text is not a signature.
fn split_signature(signature: &str) -> Option<(Vec<SignatureParam>, Option<String>)> {
    let signature = signature.trim();
    let inner_start = signature.strip_prefix('(')?;
    let close = matching_close(inner_start)?;
    let inner = &inner_start[..close];
    let rest = inner_start[close + 1..].trim();
    let returns = match rest.strip_prefix("->") {
        Some(returns) => Some(returns.trim().to_owned()),
        None if rest.is_empty() => None,
        None => return None,
    };
    let mut params = Vec::new();
    for part in top_level_split(inner) {
        let part = part.trim();
        if part.is_empty() || part == "*" || part == "/" {
            continue;
        }
        let part = part.trim_start_matches('*');
        let (head, default) = match top_level_find(part, '=') {
            Some(at) => (&part[..at], Some(part[at + 1..].trim().to_owned())),
            None => (part, None),
        };
        let name = match top_level_find(head, ':') {
            Some(at) => &head[..at],
            None => head,
        }
        .trim();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return None;
        }
        params.push((name.to_owned(), default));
    }
    Some((params, returns))
}

/// The index of the `)` closing a `(` just before `text`.
fn matching_close(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                c if c == q => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' | ']' | '}' => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    None
}

/// Byte offsets of `needle` outside brackets and quotes.
fn top_level_positions(text: &str, needle: char) -> Vec<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    let mut escaped = false;
    let mut found = Vec::new();
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                c if c == q => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            c if c == needle && depth == 0 => found.push(i),
            _ => {}
        }
    }
    found
}

fn top_level_find(text: &str, needle: char) -> Option<usize> {
    top_level_positions(text, needle).first().copied()
}

fn top_level_split(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for at in top_level_positions(text, ',') {
        parts.push(&text[start..at]);
        start = at + 1;
    }
    parts.push(&text[start..]);
    parts
}

/// The JSON value `api_doc` sends for a default Python writes as `literal` (`None` → `null`,
/// `'x'` → `"x"`, `()` → `[]`); a literal that is no plain value is sent as its text.
pub fn python_literal_to_json(literal: &str) -> Value {
    let literal = literal.trim();
    match literal {
        "None" => return Value::Null,
        "True" => return Value::Bool(true),
        "False" => return Value::Bool(false),
        "()" | "[]" => return Value::Array(Vec::new()),
        "{}" => return Value::Object(Map::new()),
        _ => {}
    }
    if let Ok(int) = literal.parse::<i64>() {
        return Value::from(int);
    }
    if let Some(float) = literal
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
    {
        return Value::Number(float);
    }
    for quote in ['\'', '"'] {
        if let Some(body) = literal
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return Value::String(unescape_python(body));
        }
    }
    Value::String(literal.to_owned())
}

fn unescape_python(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The plain text of docutils' HTML: paragraphs and list items on lines of their own, tags
/// removed, entities decoded, runs of blank lines made one.
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            text.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let closing = tag.starts_with('/');
        match name.as_str() {
            "p" | "div" | "pre" | "ul" | "ol" | "dl" | "dt" | "dd" | "table" | "tr"
            | "blockquote" | "h1" | "h2" | "h3" | "h4" => text.push_str("\n\n"),
            "br" => text.push('\n'),
            "li" if !closing => text.push_str("\n- "),
            "li" => text.push('\n'),
            _ => {}
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    let decoded = decode_entities(&text);
    let mut lines: Vec<&str> = Vec::new();
    for line in decoded.lines().map(str::trim_end) {
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// The HTML [`html_to_text`] reads back into `text`: a paragraph per blank-line-separated
/// block, escaped.
pub fn text_to_html(text: &str) -> String {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", escape_html(p)))
        .collect();
    paragraphs.concat()
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after.find(';').filter(|end| *end <= 10);
        let decoded = end.and_then(|end| {
            let entity = &after[..end];
            let c = match entity {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                _ => {
                    let number = entity.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn signatures_keep_their_order_and_defaults() {
        let (params, returns) = split_signature(
            "(domain, groupby, aggregates=(), limit=None, body='a, (b)', *, key: int = 80, kwargs) -> dict[str, int | list]",
        )
        .unwrap();
        let names: Vec<_> = params.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "domain",
                "groupby",
                "aggregates",
                "limit",
                "body",
                "key",
                "kwargs"
            ]
        );
        assert_eq!(params[2].1.as_deref(), Some("()"));
        assert_eq!(params[4].1.as_deref(), Some("'a, (b)'"));
        assert_eq!(params[5].1.as_deref(), Some("80"));
        assert_eq!(returns.as_deref(), Some("dict[str, int | list]"));
        assert_eq!(split_signature("()").unwrap(), (vec![], None));
        assert!(split_signature("(a").is_none());
        assert!(split_signature("(a) junk").is_none());
    }

    #[test]
    fn doc_bearer_entries_round_trip() {
        let entry = json!({
            "api": ["model", "readonly"],
            "doc": "<div class=\"document\">\n<p>Search &amp; read.</p>\n<ul><li>one</li></ul></div>",
            "model": "core", "module": "core",
            "parameters": {
                "domain": {"annotation": "DomainType | None", "default": null, "doc": "<p>the <tt>domain</tt></p>"},
                "read_kwargs": {"kind": "VAR_KEYWORD"},
                "load": {"annotations": "list(str)"}
            },
            "return": {"annotation": "list[ValuesType]"},
            "signature": "(load, domain=None, read_kwargs) -> list[ValuesType]"
        });
        let method = MethodSchema::from_doc_bearer("search_read", &entry).unwrap();
        assert!(method.model && method.readonly);
        assert_eq!(method.doc, "Search & read.\n\n- one");
        assert_eq!(
            method.parameters[0].annotation.as_deref(),
            Some("list(str)")
        );
        assert_eq!(method.parameters[1].doc, "the domain");
        assert_eq!(method.parameters[2].kind, ParameterKind::VarKeyword);
        assert_eq!(method.returns.as_deref(), Some("list[ValuesType]"));
        let again = MethodSchema::from_doc_bearer("search_read", &method.to_doc_bearer()).unwrap();
        assert_eq!(again, method);
    }

    #[test]
    fn parameters_missing_from_the_signature_are_refused() {
        let entry = json!({"signature": "()", "parameters": {"x": {}}});
        assert!(MethodSchema::from_doc_bearer("m", &entry).is_err());
    }

    #[test]
    fn python_literals_become_json() {
        assert_eq!(python_literal_to_json("None"), Value::Null);
        assert_eq!(
            python_literal_to_json("'notification'"),
            json!("notification")
        );
        assert_eq!(python_literal_to_json("80"), json!(80));
        assert_eq!(python_literal_to_json("()"), json!([]));
        assert_eq!(python_literal_to_json("''"), json!(""));
    }

    #[test]
    fn private_names_are_not_public() {
        assert!(is_public_method_name("action_approve"));
        assert!(!is_public_method_name("_read"));
        assert!(!is_public_method_name("450"));
        assert!(!is_public_method_name(""));
        assert!(!is_public_method_name("a.b"));
    }
}
