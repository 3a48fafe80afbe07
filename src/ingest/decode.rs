//! Decoding: file bytes → clean UTF-8 text. Pure.
//!
//! UTF-8 (BOM or not) and UTF-16 with a BOM are decoded as declared; anything else that is not
//! valid UTF-8 is detected (chardetng) and decoded, so a file is never dropped for its encoding.
//! CR LF / CR become LF and control characters other than tab and newline are removed.

use std::borrow::Cow;

/// Why bytes are not text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotText {
    /// NUL bytes or mostly control characters: an image, archive, executable…
    Binary,
}

/// Decoded text plus what had to be done to get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, normalised.
    pub text: String,
    /// Set when the bytes were not UTF-8: the encoding they were decoded from.
    pub encoding: Option<&'static str>,
}

/// How many leading bytes the binary sniff looks at.
const SNIFF_BYTES: usize = 8192;

/// Decodes a whole file's bytes and normalises line ends and control characters.
pub fn decode(bytes: &[u8]) -> Result<Decoded, NotText> {
    let mut decoded = decode_exact(bytes)?;
    if let Cow::Owned(text) = normalise(&decoded.text) {
        decoded.text = text;
    }
    Ok(decoded)
}

/// Decodes to UTF-8 without normalising anything else, so byte offsets stay those of the file
/// for UTF-8 input (what `annotate` reports).
pub fn decode_exact(bytes: &[u8]) -> Result<Decoded, NotText> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(utf8(rest, None));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (encoding, rest) = if bytes[0] == 0xFF {
            (encoding_rs::UTF_16LE, &bytes[2..])
        } else {
            (encoding_rs::UTF_16BE, &bytes[2..])
        };
        let (text, _) = encoding.decode_without_bom_handling(rest);
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: Some(encoding.name()),
        });
    }
    if looks_binary(bytes) {
        return Err(NotText::Binary);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return Ok(utf8(bytes, None));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = encoding.decode(bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding: Some(encoding.name()),
    })
}

fn utf8(bytes: &[u8], encoding: Option<&'static str>) -> Decoded {
    // `from_utf8` checks ASCII a word at a time; the lossy path decodes byte by byte.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    };
    Decoded { text, encoding }
}

/// True for bytes that are not text in any encoding we decode: NUL bytes, or more than one in ten
/// bytes a C0 control character, in the first 8 KiB.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    controls * 10 > head.len().max(1)
}

/// False when `text` surely holds no control character other than newline and tab: none of
/// its bytes is a C0 control, DEL, or 0xC2 (the lead byte of every C1 control). A cheap byte
/// scan that lets the exact, char-by-char check run only on the rare text that needs it.
pub fn may_hold_controls(text: &str) -> bool {
    let suspect = |b: u8| (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7F || b == 0xC2;
    // Whole chunks without an early exit, so the compiler can check many bytes at once.
    text.as_bytes()
        .chunks(64)
        .any(|chunk| chunk.iter().fold(false, |found, &b| found | suspect(b)))
}

/// Normalises line ends to LF and removes control characters (except tab and newline).
pub fn normalise(text: &str) -> Cow<'_, str> {
    let needs_work = may_hold_controls(text)
        && text
            .chars()
            .any(|c| c == '\r' || (c.is_control() && c != '\n' && c != '\t'));
    if !needs_work {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            '\u{0C}' => out.push('\n'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte scan never lets a text that needs normalising through.
        #[test]
        fn the_byte_scan_misses_no_control(text in "\\PC{0,40}[\u{0}-\u{1f}\u{7f}-\u{9f}]?\\PC{0,40}") {
            let exact = text.chars().any(|c| c == '\r' || (c.is_control() && c != '\n' && c != '\t'));
            proptest::prop_assert!(!exact || may_hold_controls(&text));
        }
    }

    #[test]
    fn utf8_with_bom_is_stripped() {
        let decoded = decode(b"\xEF\xBB\xBFHello").expect("text");
        assert_eq!(decoded.text, "Hello");
        assert_eq!(decoded.encoding, None);
    }

    #[test]
    fn utf16le_with_bom_decodes() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Caf\u{e9}\r\nok".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(&bytes).expect("text");
        assert_eq!(decoded.text, "Caf\u{e9}\nok");
        assert_eq!(decoded.encoding, Some("UTF-16LE"));
    }

    #[test]
    fn latin1_is_detected_not_dropped() {
        let bytes = b"Jos\xe9 Mart\xednez visited S\xe3o Paulo and Z\xfcrich in the caf\xe9.";
        let decoded = decode(bytes).expect("text");
        assert!(decoded.text.contains("José Martínez"), "{}", decoded.text);
        assert!(decoded.encoding.is_some());
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(NotText::Binary)
        );
    }

    #[test]
    fn crlf_and_controls_are_normalised() {
        assert_eq!(normalise("a\r\nb\rc\u{1}d\te"), "a\nb\ncd\te");
        assert!(matches!(normalise("clean\ntext"), Cow::Borrowed(_)));
    }
}

/// Property tests: any bytes are binary or normalised text (see
/// [`crate::fuzzing::check_decode`]); UTF-8 and UTF-16 with a BOM decode to what was encoded.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::fuzzing::check_decode;

    /// Line ends, controls and byte order marks.
    const SPECIAL: &[&[u8]] = &[
        b"\r\n",
        b"\r",
        b"\n",
        b"\t",
        b"\x0c",
        b"\x1b",
        b"\0",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\xfe\xff",
    ];

    /// Bytes that look like text in some encoding, with line ends and stray controls.
    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            4 => "[a-zA-Z ]{1,8}".prop_map(String::into_bytes),
            2 => prop::sample::select(SPECIAL).prop_map(<[u8]>::to_vec),
            2 => prop::collection::vec(0x80u8..=0xff, 1..4),
            1 => any::<char>().prop_map(|c| c.to_string().into_bytes()),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_bytes_are_binary_or_clean_text(bytes in bytes()) {
            if let Err(violation) = check_decode(&bytes) {
                prop_assert!(false, "{violation}");
            }
        }

        #[test]
        fn utf16_and_utf8_with_a_bom_read_back(text in "\\PC{0,40}") {
            let expected = normalise(&text).into_owned();
            let mut le = vec![0xFF, 0xFE];
            le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            let mut be = vec![0xFE, 0xFF];
            be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            let mut utf8 = b"\xEF\xBB\xBF".to_vec();
            utf8.extend(text.as_bytes());
            for bytes in [le, be, utf8] {
                prop_assert_eq!(decode(&bytes).map(|d| d.text), Ok(expected.clone()));
            }
        }
    }
}
