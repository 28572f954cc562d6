//! Doc comments from server text (labels, help): escaped so rustdoc renders them as the plain
//! text they are, never as markdown, HTML, links or doctests.

/// Characters markdown or rustdoc would interpret anywhere in a line.
const INLINE: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '#'];

/// Escapes one paragraph of plain text for a doc comment. URLs become autolinks (`<url>`),
/// which rustdoc renders as links instead of warning about bare URLs.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let url_end = word
            .trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'', '"'])
            .len();
        let (url, rest) = word.split_at(url_end);
        let is_url = (url.starts_with("http://") || url.starts_with("https://"))
            && url.len() > "https://".len()
            && !url.contains(['<', '>', '`']);
        if is_url {
            out.push('<');
            out.push_str(url);
            out.push('>');
            escape_chars(rest, &mut out);
        } else {
            escape_chars(word, &mut out);
        }
    }
    // A paragraph must not open a list, a heading or a quote.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    } else if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

fn escape_chars(text: &str, out: &mut String) {
    for c in text.chars() {
        if INLINE.contains(&c) {
            out.push('\\');
        }
        if c.is_control() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
}

/// Server text as inline code: a code span when it holds no backtick (escapes do not apply
/// inside one), escaped plain text otherwise.
pub fn code(text: &str) -> String {
    if text.contains('`') || text.contains('\n') {
        escape(text)
    } else {
        format!("`{text}`")
    }
}

/// Splits server text into escaped paragraphs: lines are trimmed and joined (so indentation
/// never makes a code block and a line never starts a list), blank lines separate paragraphs.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(escape(&current.join(" ")));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(escape(&current.join(" ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_html_are_escaped() {
        assert_eq!(
            escape("a *b* [c] <d> `e` f_g"),
            r"a \*b\* \[c\] \<d\> \`e\` f\_g"
        );
        assert_eq!(escape("- item"), r"\- item");
        assert_eq!(escape("12. item"), r"12\. item");
        assert_eq!(escape("# title"), r"\# title");
        assert_eq!(escape("a\tb"), "a b");
    }

    #[test]
    fn code_spans_hold_text_verbatim_unless_they_cannot() {
        assert_eq!(code("Africa/Porto_Novo"), "`Africa/Porto_Novo`");
        assert_eq!(code("a`b"), r"a\`b");
    }

    #[test]
    fn urls_become_autolinks() {
        assert_eq!(
            escape("See https://docs.peppol.eu/a_b/. Or http://x.org, ok"),
            r"See <https://docs.peppol.eu/a_b/>. Or <http://x.org>, ok"
        );
        assert_eq!(escape("http:// alone"), "http:// alone");
    }

    #[test]
    fn lines_are_joined_and_paragraphs_kept() {
        let text = "First line\n    indented code?\n\n\n  - second para\n";
        assert_eq!(
            paragraphs(text),
            ["First line indented code?", r"\- second para"]
        );
        assert!(paragraphs("  \n ").is_empty());
    }
}
