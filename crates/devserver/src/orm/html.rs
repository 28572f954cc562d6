//! Html fields sanitised as Odoo 17's `fields.Html` does on write: `html_sanitize`
//! (`odoo/tools/mail.py`) with the field's options, which cleans with lxml's `Cleaner`
//! (dangerous tags dropped with their content, unknown tags unwrapped, attributes kept to a
//! safe list, `on*` handlers and `javascript:` links removed) and then normalises as lxml's
//! `html.fromstring`/`tostring` do (leading text put in a `<p>`, several top-level nodes
//! wrapped in a `<div>` or `<span>`, an outer `<div>` dropped). The cleaning is ammonia's;
//! the tag and attribute lists are lxml's and Odoo's.
//!
//! Known differences from lxml: tables gain the `<tbody>` an HTML5 parser inserts, and a
//! `javascript:` link loses its `href` where lxml empties it.

use crate::registry::Field;
use std::collections::HashSet;

/// `lxml.html.defs.tags` and the HTML5 tags `SANITIZE_TAGS` adds.
const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "basefont",
    "bdi",
    "bdo",
    "big",
    "blink",
    "blockquote",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "command",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "isindex",
    "kbd",
    "keygen",
    "label",
    "legend",
    "li",
    "main",
    "map",
    "mark",
    "marquee",
    "math",
    "menu",
    "meter",
    "nav",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// `SANITIZE_TAGS['kill_tags']`: dropped with their content.
const KILL_TAGS: &[&str] = &[
    "base", "embed", "frame", "head", "iframe", "link", "meta", "noscript", "object", "script",
    "style", "title",
];

/// What lxml's `Cleaner(forms=True)` drops with their content (`form` itself is unwrapped).
const FORM_KILL_TAGS: &[&str] = &["button", "input", "select", "textarea"];

/// `lxml.html.defs.safe_attrs` and the attributes `odoo/tools/mail.py` adds.
const SAFE_ATTRS: &[&str] = &[
    "abbr",
    "accept",
    "accept-charset",
    "accesskey",
    "action",
    "align",
    "alt",
    "axis",
    "border",
    "cellpadding",
    "cellspacing",
    "char",
    "charoff",
    "charset",
    "checked",
    "cite",
    "class",
    "clear",
    "color",
    "cols",
    "colspan",
    "compact",
    "coords",
    "datetime",
    "dir",
    "disabled",
    "enctype",
    "for",
    "frame",
    "headers",
    "height",
    "href",
    "hreflang",
    "hspace",
    "id",
    "ismap",
    "label",
    "lang",
    "longdesc",
    "maxlength",
    "media",
    "method",
    "multiple",
    "name",
    "nohref",
    "noshade",
    "nowrap",
    "prompt",
    "readonly",
    "rel",
    "rev",
    "rows",
    "rowspan",
    "rules",
    "scope",
    "selected",
    "shape",
    "size",
    "span",
    "src",
    "start",
    "summary",
    "tabindex",
    "target",
    "title",
    "type",
    "usemap",
    "valign",
    "value",
    "vspace",
    "width",
    "style",
    "data-o-mail-quote",
    "data-o-mail-quote-node",
    "data-oe-model",
    "data-oe-id",
    "data-oe-field",
    "data-oe-type",
    "data-oe-expression",
    "data-oe-translation-initial-sha",
    "data-oe-nodeid",
    "data-last-history-steps",
    "data-oe-protected",
    "data-oe-transient-content",
    "data-publish",
    "data-id",
    "data-res_id",
    "data-interval",
    "data-member_id",
    "data-scroll-background-ratio",
    "data-view-id",
    "data-class",
    "data-mimetype",
    "data-original-src",
    "data-original-id",
    "data-gl-filter",
    "data-quality",
    "data-resize-width",
    "data-shape",
    "data-shape-colors",
    "data-file-name",
    "data-original-mimetype",
    "data-behavior-props",
    "data-prop-name",
    "data-mimetype-before-conversion",
];

/// `lxml.html.defs.block_tags`.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "blockquote",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "del",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "ins",
    "isindex",
    "legend",
    "li",
    "menu",
    "noscript",
    "ol",
    "optgroup",
    "option",
    "p",
    "pre",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements without content or end tag.
const VOID_TAGS: &[&str] = &[
    "area", "base", "basefont", "br", "col", "embed", "frame", "hr", "img", "input", "isindex",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// `Html._convert(value, validate=True)`: the text stored for `text` written to `field`
/// (unchanged when it is not an html field or has `sanitize=False`).
pub fn sanitize_for(field: &Field, text: &str) -> String {
    let Some(options) = field.sanitize else {
        return text.to_owned();
    };
    let sanitized = options.sanitize(text);
    if sanitized != text {
        tracing::debug!(field = %field.name, "html sanitised as Odoo's html_sanitize does");
    }
    sanitized
}

/// `html_sanitize`'s options as an html field passes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// `sanitize_tags`: only the allowed tags, dangerous ones dropped.
    pub tags: bool,
    /// `sanitize_attributes`: only the safe attributes.
    pub attributes: bool,
    /// `sanitize_form`: forms and their inputs removed.
    pub form: bool,
    /// `strip_style`: `style` attributes removed.
    pub strip_style: bool,
    /// `strip_classes`: `class` attributes removed.
    pub strip_classes: bool,
}

impl Options {
    /// An html field's options from its schema attributes (Odoo's defaults for those not
    /// recorded); none for `sanitize=False`.
    pub fn of<'a>(attribute: impl Fn(&str) -> Option<&'a serde_json::Value>) -> Option<Self> {
        let flag = |name: &str, default: bool| {
            attribute(name)
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(default)
        };
        flag("sanitize", true).then(|| Options {
            tags: flag("sanitize_tags", true),
            attributes: flag("sanitize_attributes", true),
            form: flag("sanitize_form", true),
            strip_style: flag("strip_style", false),
            strip_classes: flag("strip_classes", false),
        })
    }

    /// `html_sanitize(text, ...)`.
    pub fn sanitize(self, text: &str) -> String {
        if text.is_empty() {
            return String::new();
        }
        let mut kill: HashSet<&str> = HashSet::new();
        let mut tags: HashSet<&str> = HashSet::new();
        if self.tags {
            kill.extend(KILL_TAGS);
            tags.extend(ALLOWED_TAGS);
        } else {
            // without sanitize_tags lxml still drops scripts (javascript=True)
            kill.insert("script");
            tags.extend(ALLOWED_TAGS);
            tags.extend(KILL_TAGS.iter().filter(|t| **t != "script"));
        }
        if self.form {
            kill.extend(FORM_KILL_TAGS);
            tags.remove("form");
        }
        tags.retain(|t| !kill.contains(t));
        let mut attributes: HashSet<&str> = SAFE_ATTRS.iter().copied().collect();
        if self.strip_style {
            attributes.remove("style");
        }
        if self.strip_classes {
            attributes.remove("class");
        }
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(tags)
            .clean_content_tags(kill)
            .generic_attributes(attributes)
            .link_rel(None)
            .strip_comments(true)
            .url_relative(ammonia::UrlRelative::PassThrough)
            .url_schemes(
                [
                    "http", "https", "ftp", "ftps", "mailto", "tel", "sms", "data", "cid", "news",
                    "irc", "ircs", "sftp", "ssh", "xmpp", "callto", "skype", "whatsapp",
                ]
                .into_iter()
                .collect(),
            );
        if !self.attributes {
            // safe_attrs_only=False keeps the data-* attributes too
            builder.generic_attribute_prefixes(["data-"].into_iter().collect());
        }
        // lxml parses (and wraps) first, then cleans, then Odoo drops an outer <div>
        let cleaned = builder.clean(&normalize(text)).to_string();
        let html = match cleaned
            .strip_prefix("<div>")
            .and_then(|h| h.strip_suffix("</div>"))
        {
            Some(inner) => inner.to_owned(),
            None => cleaned,
        };
        html.replace('\u{a0}', "&nbsp;")
    }
}

/// A top-level node of a fragment.
#[derive(Debug)]
enum Node<'a> {
    Text(&'a str),
    Element { html: &'a str, name: String },
    Comment,
}

/// Tags libxml2 puts in `<head>` when they come before any content.
const HEAD_TAGS: &[&str] = &["base", "link", "meta", "script", "style", "title"];

/// lxml's `html.fromstring` on a fragment, as markup: text met before any element goes into
/// an implied `<p>` (closed by a block), a lone element stands for itself, several
/// top-level nodes are wrapped in a `<div>` (when a block is among them) or a `<span>`.
fn normalize(fragment: &str) -> String {
    let nodes = top_level(fragment);
    let mut rest = nodes.as_slice();
    // head elements before any content leave the body
    while let Some((first, tail)) = rest.split_first() {
        match first {
            Node::Element { name, .. } if HEAD_TAGS.contains(&name.as_str()) => rest = tail,
            Node::Comment => rest = tail,
            Node::Text(t) if t.trim().is_empty() => rest = tail,
            _ => break,
        }
    }
    let mut body: Vec<(String, bool)> = Vec::new();
    if matches!(rest.first(), Some(Node::Text(_))) {
        let mut paragraph = String::new();
        while let Some((node, tail)) = rest.split_first() {
            match node {
                Node::Element { name, .. } if BLOCK_TAGS.contains(&name.as_str()) => break,
                Node::Text(t) if paragraph.is_empty() => paragraph.push_str(t.trim_start()),
                Node::Text(t) => paragraph.push_str(t),
                Node::Element { html, .. } => paragraph.push_str(html),
                Node::Comment => {}
            }
            rest = tail;
        }
        body.push((format!("<p>{paragraph}</p>"), true));
    }
    let mut texts = false;
    for node in rest {
        match node {
            Node::Text(t) => {
                texts |= !t.trim().is_empty();
                body.push(((*t).to_owned(), false));
            }
            Node::Element { html, .. } => body.push(((*html).to_owned(), true)),
            Node::Comment => {}
        }
    }
    let elements = body.iter().filter(|(_, element)| *element).count();
    let joined: String = body.iter().map(|(html, _)| html.as_str()).collect();
    if elements == 1 && !texts {
        return joined.trim().to_owned();
    }
    let lower = joined.to_ascii_lowercase();
    let block = BLOCK_TAGS.iter().any(|t| {
        lower.match_indices(&format!("<{t}")).any(|(i, m)| {
            lower[i + m.len()..]
                .chars()
                .next()
                .is_some_and(|c| c == '>' || c == '/' || c.is_ascii_whitespace())
        })
    });
    if block {
        format!("<div>{joined}</div>")
    } else {
        format!("<span>{joined}</span>")
    }
}

/// Splits a fragment into its top-level nodes: a `<` that opens no tag is text, an element
/// runs to the end tag that closes it (void elements have none).
fn top_level(fragment: &str) -> Vec<Node<'_>> {
    let opens_tag = |at: usize| {
        fragment[at + 1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
    };
    let next_tag = |from: usize| {
        let mut at = from;
        while let Some(n) = fragment[at..].find('<') {
            if opens_tag(at + n) {
                return Some(at + n);
            }
            at += n + 1;
        }
        None
    };
    let mut nodes = Vec::new();
    let mut i = 0;
    while i < fragment.len() {
        let Some(start) = next_tag(i) else {
            nodes.push(Node::Text(&fragment[i..]));
            break;
        };
        if start > i {
            nodes.push(Node::Text(&fragment[i..start]));
        }
        if fragment[start..].starts_with("<!") {
            let end = fragment[start..]
                .find(if fragment[start..].starts_with("<!--") {
                    "-->"
                } else {
                    ">"
                })
                .map_or(fragment.len(), |n| start + n);
            i = fragment[end..]
                .find('>')
                .map_or(fragment.len(), |n| end + n + 1);
            nodes.push(Node::Comment);
            continue;
        }
        let name = tag_name(&fragment[start + 1..]);
        let mut depth = 0usize;
        let mut at = start;
        let end = loop {
            let Some(close) = fragment[at..].find('>').map(|n| at + n) else {
                break fragment.len();
            };
            let tag = &fragment[at + 1..close];
            if tag.starts_with('/') {
                depth = depth.saturating_sub(1);
            } else if !VOID_TAGS.contains(&tag_name(tag).as_str()) && !tag.ends_with('/') {
                depth += 1;
            }
            if depth == 0 {
                break close + 1;
            }
            match next_tag(close + 1) {
                Some(n) => at = n,
                None => break fragment.len(),
            }
        };
        nodes.push(Node::Element {
            html: &fragment[start..end],
            name,
        });
        i = end;
    }
    nodes
}

fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELD: Options = Options {
        tags: true,
        attributes: true,
        form: true,
        strip_style: false,
        strip_classes: false,
    };

    /// Each case is what Odoo 17's `html_sanitize` answers with `res.partner.comment`'s
    /// options (run with lxml 4.9.3 on the cases themselves).
    #[test]
    fn sanitizes_as_odoo_17() {
        for (input, expected) in [
            ("plain text", "<p>plain text</p>"),
            ("<p>hi</p>", "<p>hi</p>"),
            ("<script>alert(1)</script>plain", "<p>plain</p>"),
            ("<p onclick=\"x()\">x</p>", "<p>x</p>"),
            ("a <b>b</b>", "<p>a <b>b</b></p>"),
            ("<b>x</b> tail", "<span><b>x</b> tail</span>"),
            ("text <div>d</div>", "<p>text </p><div>d</div>"),
            (
                "<img src=\"x.png\" onerror=\"alert(1)\">",
                "<img src=\"x.png\">",
            ),
            (
                "<p style=\"color:red\" class=\"c\">s</p>",
                "<p style=\"color:red\" class=\"c\">s</p>",
            ),
            ("<iframe src=\"x\"></iframe><p>ok</p>", "<p>ok</p>"),
            ("<unknown>u</unknown>", "u"),
            ("a &amp; b < c", "<p>a &amp; b &lt; c</p>"),
            ("<p>one</p><p>two</p>", "<p>one</p><p>two</p>"),
            ("<div><p>x</p></div>", "<p>x</p>"),
            ("<br>", "<br>"),
            ("line1<br>line2", "<p>line1<br>line2</p>"),
            ("<p>caf\u{e9} \u{a0}x</p>", "<p>caf\u{e9} &nbsp;x</p>"),
            ("<!-- c --><p>x</p>", "<p>x</p>"),
            ("<form><input name=q></form>", ""),
            ("<style>p{}</style><p>s</p>", "<p>s</p>"),
            (
                "<p data-oe-model=\"m\" data-x=\"y\">d</p>",
                "<p data-oe-model=\"m\">d</p>",
            ),
            ("<p>a</p> tail", "<p>a</p> tail"),
            ("<div class=\"k\">x</div>", "<div class=\"k\">x</div>"),
            (
                "<a href=\"https://x.org/?a=1&b=2\" target=\"_blank\">l</a>",
                "<a href=\"https://x.org/?a=1&amp;b=2\" target=\"_blank\">l</a>",
            ),
            ("<p>x</p>\n<p>y</p>", "<p>x</p>\n<p>y</p>"),
            ("<h1>T</h1>text after", "<h1>T</h1>text after"),
            ("<b>x</b>", "<b>x</b>"),
        ] {
            assert_eq!(FIELD.sanitize(input), expected, "{input:?}");
        }
    }
}
