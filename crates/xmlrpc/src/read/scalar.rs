//! Lexical forms of the scalar types, per the XML-RPC spec and its clarifications.

use crate::error::{Error, ErrorKind, Result};
use crate::read::excerpt;

fn invalid(what: &str, text: &str) -> Error {
    Error::new(
        ErrorKind::InvalidValue,
        format!("invalid {what} `{}`", excerpt(text)),
    )
}

/// `[+-]?[0-9]+` (leading zeros allowed, no whitespace) within `min..=max`.
pub(crate) fn int(text: &str, min: i64, max: i64, what: &str) -> Result<i64> {
    let b = text.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        Some(b'+') => (false, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(invalid(what, text));
    }
    let mut acc: i128 = 0;
    for &d in digits {
        acc = acc * 10 + i128::from(d - b'0');
        if acc > i128::from(i64::MAX) + 1 {
            break;
        }
    }
    let v = if neg { -acc } else { acc };
    if v < i128::from(min) || v > i128::from(max) {
        return Err(Error::new(
            ErrorKind::IntOutOfRange,
            format!("{what} `{}` out of range", excerpt(text)),
        ));
    }
    Ok(v as i64)
}

/// `0` or `1`.
pub(crate) fn boolean(text: &str) -> Result<bool> {
    match text {
        "0" => Ok(false),
        "1" => Ok(true),
        _ => Err(invalid("boolean", text)),
    }
}

/// Decimal notation with an optional sign, optional fraction and, as Python writes them,
/// an optional exponent (`1e-07`, `1e+100`). No whitespace, `inf` or `nan`; finite only.
pub(crate) fn double(text: &str) -> Result<f64> {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return Err(invalid("double", text));
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        i += usize::from(matches!(b.get(i), Some(b'+' | b'-')));
        let exp_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_digits == 0 {
            return Err(invalid("double", text));
        }
        i += exp_digits;
    }
    if i != b.len() {
        return Err(invalid("double", text));
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(invalid("double", text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        let i32r = |t| int(t, i32::MIN.into(), i32::MAX.into(), "int");
        assert_eq!(i32r("+42").unwrap(), 42);
        assert_eq!(i32r("-2147483648").unwrap(), -2147483648);
        assert_eq!(i32r("007").unwrap(), 7);
        assert!(i32r("2147483648").is_err());
        assert!(i32r(" 42").is_err());
        assert!(i32r("").is_err());
        assert!(i32r("-").is_err());
        assert!(i32r(&"9".repeat(400)).is_err());
        assert!(int("9223372036854775808", i64::MIN, i64::MAX, "i8").is_err());
        assert_eq!(
            int("-9223372036854775808", i64::MIN, i64::MAX, "i8").unwrap(),
            i64::MIN
        );
    }

    #[test]
    fn doubles() {
        assert_eq!(double("1e-07").unwrap(), 1e-7);
        assert_eq!(double("-5.").unwrap(), -5.0);
        assert_eq!(double(".5").unwrap(), 0.5);
        assert_eq!(double("3").unwrap(), 3.0);
        assert!(double("-0.0").unwrap().is_sign_negative());
        for bad in [
            "", "inf", "NaN", "1.2.3", "1e", "1e999", " 1", "0x10", ".", "+", "1_0",
        ] {
            assert!(double(bad).is_err(), "{bad}");
        }
    }
}
