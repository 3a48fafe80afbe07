//! Tokenizer for raw news text: words with byte offsets, punctuation split off, sentences found.
//!
//! Works on untokenised text ("Bukele's", "(CECOT)", "U.S.", quotes and commas attached to words) and
//! on already tokenised text (one space between tokens) alike, so the tagger sees the same tokens in
//! training (CoNLL-2003) and in use. Never panics: every offset is on a `char` boundary.

/// One token: byte range `start..end` in the text it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
}

impl Token {
    /// The token's text inside `text` (the string it was cut from).
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// Abbreviations that keep their trailing period (compared case-insensitively, without the period).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "corp", "co", "ltd", "bros", "gen",
    "col", "lt", "sgt", "capt", "cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "vs",
    "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "etc", "ave", "mt", "ft", "plc", "cie", "pty", "dept", "univ", "assn", "messrs", "mme", "mlle",
    "fr", "maj",
];

/// Characters always split off the front of a word.
fn is_leading_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '“'
            | '‘'
            | '«'
            | '‹'
            | '('
            | '['
            | '{'
            | '¿'
            | '¡'
            | '„'
            | '‚'
            | '`'
            | '<'
            | '>'
            | '*'
    )
}

/// Characters always split off the end of a word (the period is handled separately).
fn is_trailing_punct(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '"'
            | '”'
            | '’'
            | '»'
            | '›'
            | '>'
            | '\''
            | '*'
            | '…'
    )
}

/// Characters that are a token of their own wherever they occur.
fn is_breaking(c: char) -> bool {
    matches!(c, '—' | '–' | '…' | '|' | '•')
}

/// True when a word ending in '.' keeps its period ("U.S.", "Inc.", "J.").
fn keeps_period(core: &str) -> bool {
    // `core` is the word without its final '.'.
    if core.is_empty() {
        return false;
    }
    let mut chars = core.chars();
    let first = chars.next().unwrap_or(' ');
    if chars.next().is_none() {
        // "J." initials, "p." etc.: single letter.
        return first.is_alphabetic();
    }
    if core.contains('.') {
        // "U.S", "p.m", "S.A": dotted letter groups of at most 3 letters each.
        return core
            .split('.')
            .all(|seg| seg.chars().count() <= 3 && seg.chars().all(char::is_alphabetic));
    }
    if core.len() <= 6 {
        let lower = core.to_ascii_lowercase();
        return ABBREVIATIONS.contains(&lower.as_str());
    }
    false
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let mut trailing = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    // Bytes, not chars: news text is mostly ASCII, and decoding every char was most of the
    // tokenizer's time. Most chunks are a run of ASCII letters and digits, scanned in a tight
    // loop and taken whole; anything else goes through `split_chunk`.
    while i < bytes.len() {
        let (len, space, breaking) = classify(text, i);
        if space || breaking {
            if breaking {
                tokens.push(Token {
                    start: i,
                    end: i + len,
                });
            }
            i += len;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let plain_end = i;
        while i < bytes.len() {
            let (len, space, breaking) = classify(text, i);
            if space || breaking {
                break;
            }
            i += len;
        }
        if i == plain_end {
            tokens.push(Token { start, end: i });
        } else {
            split_chunk(text, start, i, &mut tokens, &mut trailing);
        }
    }
    tokens
}

/// The char at byte `i` (a char boundary) of `text`: its length, whether it separates chunks,
/// and whether it is a token of its own.
#[inline]
fn classify(text: &str, i: usize) -> (usize, bool, bool) {
    let b = text.as_bytes()[i];
    if b.is_ascii() {
        (
            1,
            matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
            b == b'|',
        )
    } else {
        let c = text[i..].chars().next().unwrap_or(' ');
        let space = c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}';
        (c.len_utf8(), space, is_breaking(c))
    }
}

/// Splits one whitespace-free chunk `text[start..end]` into tokens; `trailing` is scratch space.
fn split_chunk(
    text: &str,
    mut start: usize,
    mut end: usize,
    out: &mut Vec<Token>,
    trailing: &mut Vec<Token>,
) {
    if text.as_bytes()[start..end]
        .iter()
        .all(u8::is_ascii_alphanumeric)
    {
        // A plain word, the usual chunk: nothing to split off.
        out.push(Token { start, end });
        return;
    }
    // Leading punctuation, one token per character.
    while start < end {
        let Some(c) = text[start..end].chars().next() else {
            break;
        };
        let is_possessive_only = start + c.len_utf8() < end && {
            // "'s" standing alone (already tokenised text) is one token.
            let rest = &text[start..end];
            (rest == "'s" || rest == "’s" || rest == "'S" || rest == "’S") && c != '"'
        };
        if is_leading_punct(c) && !is_possessive_only && end - start > c.len_utf8() {
            out.push(Token {
                start,
                end: start + c.len_utf8(),
            });
            start += c.len_utf8();
        } else {
            break;
        }
    }
    // Trailing punctuation, collected from the end.
    trailing.clear();
    loop {
        if start >= end {
            break;
        }
        let word = &text[start..end];
        let Some(c) = word.chars().next_back() else {
            break;
        };
        let clen = c.len_utf8();
        if word.len() == clen {
            break;
        }
        // Possessive 's / ’s.
        if (c == 's' || c == 'S') && word.len() > 2 + 1 {
            let before = &word[..word.len() - 1];
            if before.ends_with('\'') || before.ends_with('’') {
                let q = before.chars().next_back().map_or(1, char::len_utf8);
                let pstart = end - 1 - q;
                if pstart > start {
                    trailing.push(Token { start: pstart, end });
                    end = pstart;
                    continue;
                }
            }
        }
        if c == '.' {
            let core = &word[..word.len() - 1];
            if core.ends_with('.') {
                // "..." or "word.." : split one period at a time.
                trailing.push(Token {
                    start: end - 1,
                    end,
                });
                end -= 1;
                continue;
            }
            if keeps_period(core) {
                break;
            }
            trailing.push(Token {
                start: end - 1,
                end,
            });
            end -= 1;
            continue;
        }
        if is_trailing_punct(c) {
            trailing.push(Token {
                start: end - clen,
                end,
            });
            end -= clen;
            continue;
        }
        break;
    }
    if start < end {
        out.push(Token { start, end });
    }
    out.extend(trailing.drain(..).rev());
}

/// Splits tokens into sentences: returns `(first, last_exclusive)` token index ranges.
///
/// A sentence ends at a line break (unless the next line starts in lower case, or the text is
/// hard-wrapped and the break only wraps a sentence: see `wraps_a_line`), and
/// after `.`, `!`, `?` (possibly followed by closing quotes or brackets) when the next token does
/// not start with a lower-case letter.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<(usize, usize)> {
    let hard_wrapped = is_hard_wrapped(text);
    let mut out = Vec::new();
    let mut begin = 0;
    let mut after_final = false;
    for i in 0..tokens.len() {
        let t = tokens[i].text(text);
        // Most tokens start with an ASCII letter or digit: none of the strings below.
        let word = t.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric);
        let closing = !word && matches!(t, "\"" | "”" | "’" | "'" | ")" | "]" | "»");
        if i > begin {
            let gap = text
                .as_bytes()
                .get(tokens[i - 1].end..tokens[i].start)
                .unwrap_or_default();
            let newline = gap.contains(&b'\n');
            let next_lower = if word {
                t.as_bytes()[0].is_ascii_lowercase()
            } else {
                t.chars().next().is_some_and(char::is_lowercase)
            };
            // A line break inside a sentence (hard-wrapped text) continues it when the previous
            // line did not end a sentence and either the next line starts in lower case or the
            // break only wraps a long line: "the United\nStates" is one name.
            let wrapped = newline
                && !after_final
                && (next_lower
                    || hard_wrapped && wraps_a_line(text, gap, tokens[i - 1].end, tokens[i].start));
            if (newline && !wrapped) || (after_final && !closing && !next_lower) || i - begin >= 400
            {
                out.push((begin, i));
                begin = i;
                after_final = false;
            }
        }
        if !closing {
            after_final = !word && matches!(t, "." | "!" | "?" | "…");
        }
    }
    if begin < tokens.len() {
        out.push((begin, tokens.len()));
    }
    out
}

/// In hard-wrapped text, lines at least this long that end without a full stop were wrapped by
/// the writer's editor or wire system (Reuters wraps at about 65 characters); shorter ones are
/// headlines, datelines, table rows and list items, each a unit of its own.
const WRAPPED_LINE_BYTES: usize = 40;

/// Longest line a wrapping editor or wire system leaves (most wrap at 65-80 characters).
const WRAP_WIDTH_BYTES: usize = 100;

/// Whether `text` is hard-wrapped: of its lines of [`WRAPPED_LINE_BYTES`] or more, at least
/// three and nine in ten are no longer than [`WRAP_WIDTH_BYTES`]. Text with a paragraph a line
/// (web pages, most exports) is not, and there a line without a full stop is a heading of its
/// own ("The prison conditions are harsh\nLife inside CECOT…").
fn is_hard_wrapped(text: &str) -> bool {
    let (mut long, mut wrapped) = (0usize, 0usize);
    for line in text.split('\n') {
        let len = line.trim_end().len();
        if len >= WRAPPED_LINE_BYTES {
            long += 1;
            wrapped += usize::from(len <= WRAP_WIDTH_BYTES);
        }
    }
    wrapped >= 3 && wrapped * 10 >= long * 9
}

/// Whether the line break in `gap` (the text between two tokens, the first ending at `end`, the
/// second starting at `next`) only wraps a line: one break, the next line not indented (a new
/// paragraph), and the line before it at least [`WRAPPED_LINE_BYTES`] long — or half that, in
/// lower and upper case and ending in a capitalised word, and the line after it that long: a
/// paragraph's short first line that splits a name ("Federal Reserve Board Chairman
/// Paul\nVolcker said that he did not believe…", Reuters). A heading is in capitals or
/// followed by a blank line; a byline, table row or list item is shorter or followed by another
/// short line.
fn wraps_a_line(text: &str, gap: &[u8], end: usize, next: usize) -> bool {
    let breaks = gap.iter().filter(|&&b| b == b'\n').count();
    let indented = gap
        .rsplit(|&b| b == b'\n')
        .next()
        .is_some_and(|after| !after.is_empty());
    if breaks != 1 || indented {
        return false;
    }
    let bytes = text.as_bytes();
    let line_start = bytes[..end]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = &bytes[line_start..end];
    if line.len() >= WRAPPED_LINE_BYTES {
        return true;
    }
    // Most lines of wrapped text are long: the checks below run for the few short ones.
    let last_word = line
        .rsplit(u8::is_ascii_whitespace)
        .next()
        .unwrap_or_default();
    let next_line = bytes.get(next..).unwrap_or_default();
    line.len() >= WRAPPED_LINE_BYTES / 2
        && last_word.first().is_some_and(u8::is_ascii_uppercase)
        && line.iter().any(u8::is_ascii_lowercase)
        && next_line
            .iter()
            .take(WRAPPED_LINE_BYTES)
            .all(|&b| b != b'\n')
        && next_line.len() >= WRAPPED_LINE_BYTES
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn splits_punctuation_and_possessives() {
        assert_eq!(
            words("Bukele's team (CECOT) said: “Yes.” U.S. officials, Inc. and Smith."),
            vec![
                "Bukele",
                "'s",
                "team",
                "(",
                "CECOT",
                ")",
                "said",
                ":",
                "“",
                "Yes",
                ".",
                "”",
                "U.S.",
                "officials",
                ",",
                "Inc.",
                "and",
                "Smith",
                "."
            ]
        );
        assert_eq!(
            words("El Salvador’s president"),
            vec!["El", "Salvador", "’s", "president"]
        );
        assert_eq!(
            words("Democrats' plan—now"),
            vec!["Democrats", "'", "plan", "—", "now"]
        );
        assert_eq!(
            words("$200 million 40,000 MS-13"),
            vec!["$200", "million", "40,000", "MS-13"]
        );
    }

    #[test]
    fn reuters_company_brackets_are_split() {
        assert_eq!(
            words("<Aluminium Co Ltd> said"),
            vec!["<", "Aluminium", "Co", "Ltd", ">", "said"]
        );
    }

    #[test]
    fn mail_quote_marks_are_split() {
        // A quoted reply line (">I think", ">>In Waco") must not glue the mark to the word.
        assert_eq!(words(">I think"), vec![">", "I", "think"]);
        assert_eq!(words(">>In Waco"), vec![">", ">", "In", "Waco"]);
    }

    #[test]
    fn tokenised_text_stays_as_is() {
        assert_eq!(
            words("Germany 's U.S. . ' s"),
            vec!["Germany", "'s", "U.S.", ".", "'", "s"]
        );
    }

    #[test]
    fn offsets_are_utf8_byte_offsets() {
        let text = "Ça va, Zoë? 東京 «Ирина»";
        for t in tokenize(text) {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
        assert_eq!(
            words(text),
            vec!["Ça", "va", ",", "Zoë", "?", "東京", "«", "Ирина", "»"]
        );
        let t = tokenize(text);
        assert_eq!(&text[t[3].start..t[3].end], "Zoë");
    }

    /// The tokenizer as first written, a char at a time: the byte loop must agree with it.
    fn tokenize_by_chars(text: &str) -> Vec<Token> {
        let (mut tokens, mut trailing) = (Vec::new(), Vec::new());
        let mut chunk_start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            let space = c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}';
            if space || is_breaking(c) {
                if let Some(s) = chunk_start.take() {
                    split_chunk(text, s, i, &mut tokens, &mut trailing);
                }
                if !space {
                    tokens.push(Token {
                        start: i,
                        end: i + c.len_utf8(),
                    });
                }
            } else if chunk_start.is_none() {
                chunk_start = Some(i);
            }
        }
        if let Some(s) = chunk_start {
            split_chunk(text, s, text.len(), &mut tokens, &mut trailing);
        }
        tokens
    }

    #[test]
    fn byte_loop_agrees_with_char_loop() {
        let pieces = [
            "Bukele's",
            " ",
            "\t",
            "\n",
            "\u{a0}",
            "\u{2003}",
            "\u{200b}",
            "\u{feff}",
            "\u{b}",
            "\u{1c}",
            "U.S.",
            "—",
            "|",
            "•",
            "…",
            "“Yes.”",
            "(CECOT)",
            "Zoë",
            "東京",
            "x",
            "'s",
            ",",
            "...",
            "Inc.",
            "MS-13",
            "\u{85}",
            "\r\n",
        ];
        // Every string of up to three pieces, and a long mixed one.
        let mut texts = vec![pieces.concat()];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        for text in &texts {
            assert_eq!(tokenize(text), tokenize_by_chars(text), "{text:?}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "",
            " ",
            "'",
            "''",
            "'s",
            "...",
            "\u{0}\u{1}x\u{feff}",
            "a.b.c.d.",
            "ß'S",
            "’’’s",
        ] {
            let toks = tokenize(text);
            let _ = sentences(text, &toks);
        }
    }

    #[test]
    fn sentence_splitting() {
        let text = "Forget comfort. There are no beds.\nHeadline here\n“Here,” he said. ok";
        let toks = tokenize(text);
        let s: Vec<String> = sentences(text, &toks)
            .iter()
            .map(|&(a, b)| text[toks[a].start..toks[b - 1].end].to_string())
            .collect();
        assert_eq!(
            s,
            vec![
                "Forget comfort.",
                "There are no beds.",
                "Headline here",
                "“Here,” he said. ok"
            ]
        );
    }

    #[test]
    fn a_wrapped_line_continues_its_sentence() {
        let text =
            "REAGAN SAYS U.S. COMMITTED\n\nPresident Reagan said on Tuesday that the United\n\
                    States remains committed to the accord in which the seven\n\
                    major industrial nations agreed to stabilize exchange rates.\n    \
                    Shr 40 cts vs 35 cts\n    Net 3,149,000\nShort line without a stop\nNext line\n    \
                    Fed Chairman Paul\nVolcker said that he did not believe there was a link.";
        let toks = tokenize(text);
        let s: Vec<String> = sentences(text, &toks)
            .iter()
            .map(|&(a, b)| text[toks[a].start..toks[b - 1].end].to_string())
            .collect();
        assert_eq!(
            s,
            vec![
                "REAGAN SAYS U.S. COMMITTED",
                "President Reagan said on Tuesday that the United\nStates remains committed to the \
                 accord in which the seven\nmajor industrial nations agreed to stabilize exchange \
                 rates.",
                "Shr 40 cts vs 35 cts",
                "Net 3,149,000",
                "Short line without a stop",
                "Next line",
                "Fed Chairman Paul\nVolcker said that he did not believe there was a link.",
            ]
        );
        let text = "The prison conditions are harsh and relentless\nLife inside the prison is as \
                    rough as it gets, and the guards watch every move day and night, say those who \
                    have seen it.";
        let toks = tokenize(text);
        assert_eq!(
            sentences(text, &toks).len(),
            2,
            "a heading in unwrapped text"
        );
    }
}
