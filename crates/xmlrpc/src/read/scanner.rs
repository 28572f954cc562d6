//! A byte-level scanner for the XML that XML-RPC uses: start/end tags (attributes are checked
//! for well-formedness and ignored), character data with the five predefined entities and
//! numeric character references, CDATA, comments and processing instructions. No DTD: a
//! DOCTYPE is refused. The input has already been checked for encoding, forbidden characters
//! and line ends (see `input`), so the scanner works on `&str` with ASCII delimiters.

use memchr::{memchr, memchr3, memmem};

use crate::error::{Error, ErrorKind, Result};

/// Character data read by [`Scanner::read_text`]: borrowed from the input when it held no
/// references, CDATA, comments or PIs, otherwise assembled in the scanner's scratch buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Text<'de> {
    /// Verbatim input.
    Borrowed(&'de str),
    /// Lives in [`Scanner::scratch`] until the next `read_text`.
    Scratch,
}

/// A tag as found in the input.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tag<'de> {
    /// Element name, including any prefix (`ex:i8`).
    pub name: &'de str,
    /// `</name>` rather than `<name>`.
    pub end: bool,
    /// `<name/>`.
    pub empty: bool,
    /// Offset of the `<`.
    pub at: usize,
}

/// Cursor over a prepared document.
pub(crate) struct Scanner<'de> {
    src: &'de str,
    bytes: &'de [u8],
    pos: usize,
    /// Assembled character data (see [`Text::Scratch`]).
    pub scratch: String,
}

#[inline]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Bytes that end a name.
#[inline]
fn ends_name(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\n'
            | b'\r'
            | b'/'
            | b'>'
            | b'='
            | b'<'
            | b'"'
            | b'\''
            | b'&'
            | b'?'
            | b'!'
    )
}

/// The XML 1.0 `Char` production for a character reference.
fn is_xml_char(c: u32) -> bool {
    matches!(c, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

impl<'de> Scanner<'de> {
    pub(crate) fn new(src: &'de str) -> Self {
        Scanner {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            scratch: String::new(),
        }
    }

    /// Current offset.
    #[inline]
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// An error at the current offset.
    pub(crate) fn err(&self, kind: ErrorKind, msg: impl Into<String>) -> Error {
        Error::at(kind, self.pos, msg)
    }

    fn eof(&self, what: &str) -> Error {
        self.err(
            ErrorKind::Syntax,
            format!("unexpected end of document in {what}"),
        )
    }

    #[inline]
    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    fn peek_at(&self, n: usize) -> Option<u8> {
        self.bytes.get(self.pos + n).copied()
    }

    /// Compares against a literal of known length, which compiles to a few word compares
    /// instead of a `memcmp` call.
    #[inline]
    pub(crate) fn rest_starts_with<const N: usize>(&self, lit: &[u8; N]) -> bool {
        match self.bytes.get(self.pos..self.pos + N) {
            Some(s) => <&[u8; N]>::try_from(s).is_ok_and(|a| a == lit),
            None => false,
        }
    }

    #[inline]
    fn skip_space(&mut self) {
        while self.pos < self.bytes.len() && is_space(self.bytes[self.pos]) {
            self.pos += 1;
        }
    }

    /// Skips whitespace, comments and processing instructions between elements. Stops at a
    /// tag, at other text (which the caller rejects) or at the end.
    pub(crate) fn skip_misc(&mut self) -> Result<()> {
        loop {
            self.skip_space();
            if self.peek() != Some(b'<') {
                return Ok(());
            }
            match self.peek_at(1) {
                Some(b'!') if self.rest_starts_with(b"<!--") => self.skip_comment()?,
                Some(b'?') => self.skip_pi()?,
                Some(b'!') if self.rest_starts_with(b"<!DOCTYPE") => {
                    return Err(self.err(
                        ErrorKind::Forbidden,
                        "DOCTYPE declarations are not accepted",
                    ));
                }
                Some(b'!') if self.rest_starts_with(b"<!ENTITY") => {
                    return Err(
                        self.err(ErrorKind::Forbidden, "entity declarations are not accepted")
                    );
                }
                _ => return Ok(()),
            }
        }
    }

    /// `<!-- ... -->`; `--` may not occur inside.
    fn skip_comment(&mut self) -> Result<()> {
        let body = self.pos + 4;
        let Some(end) = memmem::find(&self.bytes[body..], b"--") else {
            return Err(self.eof("a comment"));
        };
        if self.bytes.get(body + end + 2) != Some(&b'>') {
            return Err(Error::at(
                ErrorKind::Syntax,
                body + end,
                "`--` inside a comment",
            ));
        }
        self.pos = body + end + 3;
        Ok(())
    }

    /// `<?target ...?>`; the target `xml` (any case) is reserved for the declaration.
    fn skip_pi(&mut self) -> Result<()> {
        let start = self.pos;
        self.pos += 2;
        let name = self.read_name("a processing instruction target")?;
        if name.eq_ignore_ascii_case("xml") {
            return Err(Error::at(
                ErrorKind::Syntax,
                start,
                "XML declaration not at the start of the document",
            ));
        }
        match self.peek() {
            Some(b'?') if self.peek_at(1) == Some(b'>') => {
                self.pos += 2;
                return Ok(());
            }
            Some(b) if is_space(b) => {}
            _ => return Err(self.err(ErrorKind::Syntax, "malformed processing instruction")),
        }
        let Some(end) = memmem::find(&self.bytes[self.pos..], b"?>") else {
            return Err(self.eof("a processing instruction"));
        };
        self.pos += end + 2;
        Ok(())
    }

    /// The optional `<?xml version="1.x" encoding="..." standalone="..."?>` at offset 0.
    pub(crate) fn xml_declaration(&mut self) -> Result<()> {
        if !(self.rest_starts_with(b"<?xml") && self.peek_at(5).is_some_and(is_space)) {
            return Ok(());
        }
        self.pos += 5;
        let mut seen = 0;
        loop {
            let had_space = self.peek().is_some_and(is_space);
            self.skip_space();
            if self.rest_starts_with(b"?>") {
                self.pos += 2;
                break;
            }
            if !had_space {
                return Err(self.err(ErrorKind::Syntax, "malformed XML declaration"));
            }
            let at = self.pos;
            let name = self.read_name("an XML declaration")?;
            let value = self.attribute_value()?;
            let order = match name {
                "version" => 1,
                "encoding" => 2,
                "standalone" => 3,
                _ => 0,
            };
            let valid = match order {
                1 => {
                    value.len() > 2
                        && value.starts_with("1.")
                        && value[2..].bytes().all(|b| b.is_ascii_digit())
                }
                2 => {
                    value
                        .bytes()
                        .next()
                        .is_some_and(|b| b.is_ascii_alphabetic())
                        && value
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
                }
                3 => value == "yes" || value == "no",
                _ => false,
            };
            if !valid || order <= seen || (seen == 0 && order != 1) {
                return Err(Error::at(
                    ErrorKind::Syntax,
                    at,
                    "malformed XML declaration",
                ));
            }
            seen = order;
        }
        if seen == 0 {
            return Err(self.err(ErrorKind::Syntax, "XML declaration without a version"));
        }
        Ok(())
    }

    fn read_name(&mut self, what: &str) -> Result<&'de str> {
        let start = self.pos;
        while self.pos < self.bytes.len() && !ends_name(self.bytes[self.pos]) {
            self.pos += 1;
        }
        let name = &self.src[start..self.pos];
        match name.bytes().next() {
            None => Err(Error::at(
                ErrorKind::Syntax,
                start,
                format!("expected a name in {what}"),
            )),
            Some(b) if b.is_ascii_digit() || b == b'-' || b == b'.' => Err(Error::at(
                ErrorKind::Syntax,
                start,
                format!("invalid name in {what}"),
            )),
            Some(_) => Ok(name),
        }
    }

    /// `= "value"` after an attribute name; the value is checked (no `<`, valid references)
    /// and returned raw.
    fn attribute_value(&mut self) -> Result<&'de str> {
        self.skip_space();
        if self.peek() != Some(b'=') {
            return Err(self.err(ErrorKind::Syntax, "expected `=` after an attribute name"));
        }
        self.pos += 1;
        self.skip_space();
        let quote = match self.peek() {
            Some(q @ (b'"' | b'\'')) => q,
            _ => return Err(self.err(ErrorKind::Syntax, "expected a quoted attribute value")),
        };
        let start = self.pos + 1;
        let Some(len) = memchr(quote, &self.bytes[start..]) else {
            return Err(self.eof("an attribute value"));
        };
        let value = &self.src[start..start + len];
        let mut i = 0;
        while let Some(off) = memchr::memchr2(b'<', b'&', &value.as_bytes()[i..]) {
            let at = start + i + off;
            if value.as_bytes()[i + off] == b'<' {
                return Err(Error::at(
                    ErrorKind::Syntax,
                    at,
                    "`<` in an attribute value",
                ));
            }
            self.pos = at;
            self.reference(false)?;
            i = self.pos - start;
        }
        self.pos = start + len + 1;
        Ok(value)
    }

    /// Reads the tag at the current `<` (not a comment, PI or CDATA).
    pub(crate) fn tag(&mut self) -> Result<Tag<'de>> {
        let at = self.pos;
        // Fast path: `<name>` with an ASCII name and no attributes, as XML-RPC writers emit.
        let limit = self.bytes.len().min(at + 24);
        if self.peek() == Some(b'<') {
            if let Some(len) = self.bytes[at + 1..limit].iter().position(|&b| b == b'>') {
                let name = &self.bytes[at + 1..at + 1 + len];
                if name.first().is_some_and(u8::is_ascii_alphabetic)
                    && name.iter().all(|&b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'.' | b':' | b'_' | b'-')
                    })
                {
                    self.pos = at + len + 2;
                    let name = &self.src[at + 1..at + 1 + len];
                    return Ok(Tag {
                        name,
                        end: false,
                        empty: false,
                        at,
                    });
                }
            }
        }
        match self.peek() {
            Some(b'<') => {}
            Some(_) => return Err(self.err(ErrorKind::Syntax, "unexpected text between elements")),
            None => return Err(self.eof("the document")),
        }
        if self.peek_at(1) == Some(b'/') {
            self.pos += 2;
            let name = self.read_name("an end tag")?;
            self.skip_space();
            if self.peek() != Some(b'>') {
                return Err(self.err(ErrorKind::Syntax, format!("malformed end tag </{name}>")));
            }
            self.pos += 1;
            return Ok(Tag {
                name,
                end: true,
                empty: false,
                at,
            });
        }
        if self.peek_at(1) == Some(b'!') {
            return Err(self.err(
                ErrorKind::Syntax,
                "unexpected CDATA or declaration between elements",
            ));
        }
        self.pos += 1;
        let name = self.read_name("a start tag")?;
        let mut attrs: Vec<&'de str> = Vec::new();
        loop {
            let had_space = self.peek().is_some_and(is_space);
            self.skip_space();
            match self.peek() {
                Some(b'>') => {
                    self.pos += 1;
                    return Ok(Tag {
                        name,
                        end: false,
                        empty: false,
                        at,
                    });
                }
                Some(b'/') if self.peek_at(1) == Some(b'>') => {
                    self.pos += 2;
                    return Ok(Tag {
                        name,
                        end: false,
                        empty: true,
                        at,
                    });
                }
                None => return Err(self.eof("a start tag")),
                Some(_) if had_space => {
                    let attr_at = self.pos;
                    let attr = self.read_name("an attribute")?;
                    if attrs.contains(&attr) {
                        return Err(Error::at(
                            ErrorKind::Syntax,
                            attr_at,
                            format!("duplicate attribute `{attr}`"),
                        ));
                    }
                    attrs.push(attr);
                    self.attribute_value()?;
                }
                Some(_) => {
                    return Err(
                        self.err(ErrorKind::Syntax, format!("malformed start tag <{name}>"))
                    );
                }
            }
        }
    }

    /// Skips whitespace/comments/PIs and reads the next tag.
    pub(crate) fn next_tag(&mut self) -> Result<Tag<'de>> {
        self.skip_misc()?;
        self.tag()
    }

    /// Expects `<name>` (or `<name/>`, reported as `true`), after optional whitespace.
    /// `lit` is `<name>` spelled out, for the fast path.
    #[inline]
    pub(crate) fn open<const N: usize>(&mut self, lit: &[u8; N], name: &str) -> Result<bool> {
        self.skip_space();
        if self.rest_starts_with(lit) {
            self.pos += N;
            return Ok(false);
        }
        let tag = self.next_tag()?;
        if tag.end || tag.name != name {
            return Err(Error::at(
                ErrorKind::Syntax,
                tag.at,
                format!("expected <{name}>, found {}", describe(&tag)),
            ));
        }
        Ok(tag.empty)
    }

    /// Expects `</name>` after optional whitespace. `lit` is `</name>` spelled out.
    #[inline]
    pub(crate) fn close<const N: usize>(&mut self, lit: &[u8; N], name: &str) -> Result<()> {
        self.skip_space();
        if self.rest_starts_with(lit) {
            self.pos += N;
            return Ok(());
        }
        let tag = self.next_tag()?;
        if !tag.end || tag.name != name {
            return Err(Error::at(
                ErrorKind::Syntax,
                tag.at,
                format!("expected </{name}>, found {}", describe(&tag)),
            ));
        }
        Ok(())
    }

    /// After optional whitespace, consumes `</name>` if that comes next.
    #[inline]
    pub(crate) fn try_close<const N: usize>(&mut self, lit: &[u8; N], name: &str) -> Result<bool> {
        self.skip_space();
        if self.rest_starts_with(lit) {
            self.pos += N;
            return Ok(true);
        }
        self.skip_misc()?;
        if self.rest_starts_with(b"</") {
            self.close(lit, name)?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Whether the next markup is an end tag (call right after [`Self::read_text`]).
    #[inline]
    pub(crate) fn at_end_tag(&self) -> bool {
        self.peek_at(1) == Some(b'/')
    }

    /// Whether the next input is a start tag (not text, comment, PI or CDATA).
    #[inline]
    pub(crate) fn at_start_tag(&self) -> bool {
        self.peek() == Some(b'<') && !matches!(self.peek_at(1), Some(b'/' | b'!' | b'?') | None)
    }

    /// Reads character data up to the next start or end tag, resolving references and
    /// concatenating CDATA; comments and PIs are dropped. When `keep` is false the text is
    /// only checked (for skipping values without building them).
    pub(crate) fn read_text(&mut self, keep: bool) -> Result<Text<'de>> {
        let start = self.pos;
        // Fast path: plain text up to a tag.
        loop {
            let Some(off) = memchr3(b'<', b'&', b'>', &self.bytes[self.pos..]) else {
                self.pos = self.bytes.len();
                return Err(self.eof("character data"));
            };
            self.pos += off;
            match self.bytes[self.pos] {
                b'>' => {
                    self.check_cdata_end(start)?;
                    self.pos += 1;
                }
                b'<' if !matches!(self.peek_at(1), Some(b'!' | b'?')) => {
                    return Ok(Text::Borrowed(&self.src[start..self.pos]));
                }
                _ => break,
            }
        }
        // Slow path: assemble in scratch.
        self.scratch.clear();
        if keep {
            self.scratch.push_str(&self.src[start..self.pos]);
        }
        loop {
            let piece = self.pos;
            let Some(off) = memchr3(b'<', b'&', b'>', &self.bytes[self.pos..]) else {
                self.pos = self.bytes.len();
                return Err(self.eof("character data"));
            };
            self.pos += off;
            if keep {
                self.scratch.push_str(&self.src[piece..self.pos]);
            }
            match self.bytes[self.pos] {
                b'>' => {
                    self.check_cdata_end(piece)?;
                    if keep {
                        self.scratch.push('>');
                    }
                    self.pos += 1;
                }
                b'&' => {
                    let c = self.reference(true)?;
                    if keep {
                        self.scratch.push(c);
                    }
                }
                _ => match self.peek_at(1) {
                    Some(b'!') if self.rest_starts_with(b"<![CDATA[") => {
                        let body = self.pos + 9;
                        let Some(end) = memmem::find(&self.bytes[body..], b"]]>") else {
                            return Err(self.eof("a CDATA section"));
                        };
                        if keep {
                            self.scratch.push_str(&self.src[body..body + end]);
                        }
                        self.pos = body + end + 3;
                    }
                    Some(b'!') if self.rest_starts_with(b"<!--") => self.skip_comment()?,
                    Some(b'!') => {
                        return Err(
                            self.err(ErrorKind::Forbidden, "markup declarations are not accepted")
                        );
                    }
                    Some(b'?') => self.skip_pi()?,
                    _ => return Ok(Text::Scratch),
                },
            }
        }
    }

    /// `]]>` may not appear in character data; `self.pos` is at a `>`.
    #[inline]
    fn check_cdata_end(&self, piece_start: usize) -> Result<()> {
        if self.pos >= piece_start + 2 && &self.bytes[self.pos - 2..self.pos] == b"]]" {
            return Err(Error::at(
                ErrorKind::Syntax,
                self.pos - 2,
                "`]]>` in character data",
            ));
        }
        Ok(())
    }

    /// Resolves the reference at `&` (predefined entity or numeric character reference).
    fn reference(&mut self, _in_text: bool) -> Result<char> {
        let at = self.pos;
        let rest = &self.bytes[at + 1..];
        let Some(semi) = memchr(b';', &rest[..rest.len().min(64)]) else {
            return Err(Error::at(
                ErrorKind::Syntax,
                at,
                "`&` that does not start a reference",
            ));
        };
        let name = &self.src[at + 1..at + 1 + semi];
        self.pos = at + semi + 2;
        let c = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ if name.starts_with('#') => {
                let (digits, radix) = match name.strip_prefix("#x") {
                    Some(hex) => (hex, 16),
                    None => (&name[1..], 10),
                };
                let valid =
                    !digits.is_empty() && digits.bytes().all(|b| (b as char).is_digit(radix));
                let code = valid
                    .then(|| {
                        digits.bytes().try_fold(0u32, |acc, b| {
                            acc.checked_mul(radix)?
                                .checked_add((b as char).to_digit(radix)?)
                        })
                    })
                    .flatten();
                match code {
                    None => {
                        return Err(Error::at(
                            ErrorKind::Syntax,
                            at,
                            "malformed character reference",
                        ));
                    }
                    Some(c) if !is_xml_char(c) => {
                        return Err(Error::at(
                            ErrorKind::InvalidChar,
                            at,
                            format!("character reference to U+{c:04X}, which XML does not allow"),
                        ));
                    }
                    Some(c) => char::from_u32(c).ok_or_else(|| {
                        Error::at(ErrorKind::InvalidChar, at, "invalid character reference")
                    })?,
                }
            }
            _ => {
                return Err(Error::at(
                    ErrorKind::Syntax,
                    at,
                    format!("undefined entity `&{};`", crate::read::excerpt(name)),
                ));
            }
        };
        Ok(c)
    }

    /// Resolves a [`Text`] to a string slice.
    #[inline]
    pub(crate) fn text<'s>(&'s self, text: &Text<'de>) -> &'s str
    where
        'de: 's,
    {
        match *text {
            Text::Borrowed(s) => s,
            Text::Scratch => &self.scratch,
        }
    }
}

/// `<name>` / `</name>` / `<name/>` for messages.
pub(crate) fn describe(tag: &Tag<'_>) -> String {
    let name = crate::read::excerpt(tag.name);
    if tag.end {
        format!("</{name}>")
    } else if tag.empty {
        format!("<{name}/>")
    } else {
        format!("<{name}>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Result<String> {
        let mut sc = Scanner::new(s);
        let t = sc.read_text(true)?;
        Ok(sc.text(&t).to_owned())
    }

    #[test]
    fn character_data() {
        assert_eq!(text("abc</x>").unwrap(), "abc");
        assert_eq!(
            text("a&lt;&#65;&#x42;<![CDATA[<&]]><!-- c -->z<?pi x?></x>").unwrap(),
            "a<AB<&z"
        );
        assert_eq!(text("]]&gt; &gt;</x>").unwrap(), "]]> >");
        assert!(text("a]]>b</x>").is_err());
        assert!(text("&nbsp;</x>").is_err());
        assert_eq!(text("&#0;</x>").unwrap_err().kind(), ErrorKind::InvalidChar);
        assert!(text("&#X41;</x>").is_err());
        assert!(text("a&b</x>").is_err());
        assert!(text("abc").is_err());
        assert!(text("<!-- a -- b --></x>").is_err());
    }

    #[test]
    fn tags() {
        let mut sc = Scanner::new("<a x='1' y=\"&amp;\"/><b >");
        let t = sc.tag().unwrap();
        assert!(t.empty && t.name == "a");
        assert_eq!(sc.tag().unwrap().name, "b");
        assert!(Scanner::new("<a x='1' x='2'>").tag().is_err());
        assert!(Scanner::new("<a x='<'>").tag().is_err());
        assert!(Scanner::new("<a x='1'y='2'>").tag().is_err());
    }
}
