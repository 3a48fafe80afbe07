//! Splitting news text into paragraphs and sentences (the rules are listed in the parent
//! module's docs). Pure scanning, no allocation; a sentence never starts or ends with whitespace.

/// Words that end with a period without ending the sentence (case-sensitive).
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "St", "Mt", "Ft", "Jr", "Sr", "Rev", "Hon", "Gen", "Lt",
    "Col", "Maj", "Capt", "Cmdr", "Cdr", "Adm", "Sgt", "Cpl", "Pvt", "Gov", "Sen", "Rep", "Pres",
    "Supt", "Insp", "Det", "Fr", "Atty", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec", "Ave", "Blvd", "Rd", "Dept", "Univ", "Bros", "vs", "cf", "approx",
];

/// Characters that close a quotation or bracket right after a sentence's final punctuation.
const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»', '›'];

/// Characters (besides capitals and digits) that may open the next sentence.
const OPENERS: &[char] = &['"', '\'', '“', '‘', '(', '[', '«', '‹', '¿', '¡'];

/// One sentence of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Sentence {
    /// Byte offset of its first (non-space) character.
    pub start: usize,
    /// Byte offset just past its last (non-space) character.
    pub end: usize,
    /// It is the first sentence of its paragraph (or of the text).
    pub para_start: bool,
    /// It is the last sentence of its paragraph (or of the text).
    pub para_end: bool,
}

/// The sentences of a text, in order.
#[derive(Debug, Clone)]
pub(super) struct Sentences<'t> {
    text: &'t str,
    /// Start of the next sentence (a non-space character) or the text's length.
    pos: usize,
    /// The next sentence starts a paragraph.
    para_start: bool,
    /// What separates paragraphs in this text.
    rule: Paragraphs,
}

/// What separates paragraphs in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paragraphs {
    /// A blank line; single line breaks are wraps (hard-wrapped text with a blank line).
    BlankLine,
    /// A line break followed by indentation; other line breaks are wraps (no blank line, and
    /// some lines but not all start indented: hard-wrapped wire copy and mail).
    Indent,
    /// Every line break (one paragraph per line: long lines, or no other rule applies).
    EveryLine,
}

impl<'t> Sentences<'t> {
    /// Starts splitting `text`.
    pub(super) fn new(text: &'t str) -> Sentences<'t> {
        let mut sentences = Sentences {
            text,
            pos: 0,
            para_start: true,
            rule: paragraph_rule(text),
        };
        sentences.pos = sentences.skip_space(0).0;
        sentences
    }

    /// Skips whitespace from `from`: where it stops, and whether it crossed a paragraph break.
    fn skip_space(&self, from: usize) -> (usize, bool) {
        let run = whitespace_run(self.text, from);
        let paragraph = match self.rule {
            Paragraphs::BlankLine => run.breaks >= 2,
            Paragraphs::Indent => run.breaks >= 2 || (run.breaks == 1 && run.indented),
            Paragraphs::EveryLine => run.breaks >= 1,
        };
        (run.end, paragraph)
    }

    /// Where the sentence starting at `start` ends (before any trailing whitespace is trimmed).
    fn find_end(&self, start: usize) -> usize {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = start;
        // Only these bytes can start a character that matters here (the lead bytes cover the
        // CJK stops and the Unicode line and paragraph separators); all are char boundaries.
        let interesting =
            |b: &u8| matches!(b, b'.' | b'!' | b'?' | b'\n' | b'\r' | 0xE2 | 0xE3 | 0xEF);
        while let Some(offset) = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(interesting))
        {
            i += offset;
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            match c {
                '.' | '!' | '?' => {
                    let mut end =
                        i + skip_while(&text[i..], |c| matches!(c, '.' | '!' | '?' | '…'));
                    end += skip_while(&text[end..], |c| CLOSERS.contains(&c));
                    if self.ends_here(i, end) {
                        return end;
                    }
                    i = end;
                }
                '。' | '！' | '？' => {
                    let end = i + c.len_utf8();
                    return end + skip_while(&text[end..], |c| CLOSERS.contains(&c));
                }
                _ if line_breaks(c, None) > 0 => {
                    let (next, paragraph) = self.skip_space(i);
                    if paragraph {
                        return i;
                    }
                    i = next.max(i + c.len_utf8());
                }
                _ => i += c.len_utf8(),
            }
        }
        text.len()
    }

    /// Whether the punctuation `text[mark..end]` ends a sentence.
    fn ends_here(&self, mark: usize, end: usize) -> bool {
        let text = self.text;
        let Some(after) = text.get(end..).and_then(|rest| rest.chars().next()) else {
            return true;
        };
        if !after.is_whitespace() {
            return false;
        }
        let (next, paragraph) = self.skip_space(end);
        let Some(first) = text.get(next..).and_then(|rest| rest.chars().next()) else {
            return true;
        };
        if paragraph {
            return true;
        }
        if !(first.is_uppercase() || first.is_numeric() || OPENERS.contains(&first)) {
            return false;
        }
        !(text.get(mark..end) == Some(".") && is_abbreviation(&text[..mark], first))
    }
}

impl Iterator for Sentences<'_> {
    type Item = Sentence;

    fn next(&mut self) -> Option<Sentence> {
        let start = self.pos;
        let rest = self.text.get(start..).filter(|rest| !rest.is_empty())?;
        let raw_end = self.find_end(start).clamp(start, self.text.len());
        let end = start + rest.get(..raw_end - start).unwrap_or(rest).trim_end().len();
        let (next, paragraph) = self.skip_space(raw_end);
        let sentence = Sentence {
            start,
            end,
            para_start: self.para_start,
            para_end: paragraph || next >= self.text.len(),
        };
        self.pos = if next > start { next } else { self.text.len() };
        self.para_start = paragraph;
        Some(sentence)
    }
}

/// How many line breaks whitespace `c` (followed by `next`) counts for; a paragraph separator
/// counts as a blank line.
fn line_breaks(c: char, next: Option<char>) -> usize {
    match c {
        '\n' | '\u{2028}' => 1,
        '\r' if next != Some('\n') => 1,
        '\u{2029}' => 2,
        _ => 0,
    }
}

/// A run of whitespace.
struct Run {
    /// Where it ends.
    end: usize,
    /// How many line breaks it holds.
    breaks: usize,
    /// Whether whitespace other than line breaks follows its last line break (an indented line).
    indented: bool,
}

/// The whitespace starting at `from`.
fn whitespace_run(text: &str, from: usize) -> Run {
    let rest = text.get(from..).unwrap_or("");
    let mut chars = rest.char_indices().peekable();
    let mut breaks = 0;
    let mut indented = false;
    while let Some((i, c)) = chars.next() {
        if !c.is_whitespace() {
            return Run {
                end: from + i,
                breaks,
                indented,
            };
        }
        let counted = line_breaks(c, chars.peek().map(|&(_, next)| next));
        if counted > 0 {
            breaks += counted;
            indented = false;
        } else if breaks > 0 && !matches!(c, '\r' | '\n') {
            indented = true;
        }
    }
    Run {
        end: text.len(),
        breaks,
        indented,
    }
}

/// A line longer than this (in bytes) was not wrapped by hand: hard-wrapped text keeps its
/// lines under 80 or so characters.
const LONG_LINE_BYTES: usize = 150;

/// What separates the paragraphs of `text` (see [`Paragraphs`]).
///
/// Line breaks are only taken for wraps in hard-wrapped text: where more than a tenth of the
/// lines are long, each line is a paragraph, blank lines or not. Text exported from web pages
/// often puts one paragraph, or one subheading, on each line and a blank line here and there;
/// reading its single breaks as wraps ran subheadings into the next paragraph's passage.
fn paragraph_rule(text: &str) -> Paragraphs {
    let bytes = text.as_bytes();
    let (mut indented, mut flush, mut blank) = (false, false, false);
    let (mut lines, mut long_lines, mut line_start) = (0usize, 0usize, 0usize);
    let mut count_line = |len: usize| {
        lines += usize::from(len > 0);
        long_lines += usize::from(len > LONG_LINE_BYTES);
    };
    let mut i = 0;
    // The bytes that can start a line break (0xE2 leads U+2028 and U+2029), found with SIMD:
    // this scan reads every article whole, a byte-by-byte loop was a twentieth of passages.
    while let Some(offset) = bytes
        .get(i..)
        .and_then(|rest| memchr::memchr3(b'\n', b'\r', 0xE2, rest))
    {
        let at = i + offset;
        let run = whitespace_run(text, at);
        if run.breaks > 0 {
            count_line(at.saturating_sub(line_start));
            line_start = run.end;
        }
        if run.breaks >= 2 {
            blank = true;
        } else if run.breaks == 1 && run.end < text.len() {
            if run.indented {
                indented = true;
            } else {
                flush = true;
            }
        }
        i = run.end.max(at + 1);
    }
    count_line(text.len().saturating_sub(line_start));
    if long_lines * 10 > lines {
        Paragraphs::EveryLine
    } else if blank {
        Paragraphs::BlankLine
    } else if indented && flush {
        Paragraphs::Indent
    } else {
        Paragraphs::EveryLine
    }
}

/// Byte length of the longest prefix of `s` whose characters satisfy `keep`.
fn skip_while(s: &str, keep: impl Fn(char) -> bool) -> usize {
    s.char_indices()
        .find(|&(_, c)| !keep(c))
        .map_or(s.len(), |(i, _)| i)
}

/// Whether the word ending `before` (just before a period) is an abbreviation or an initial,
/// given the first character of the next word.
fn is_abbreviation(before: &str, next: char) -> bool {
    let word_len: usize = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .map(char::len_utf8)
        .sum();
    let word = &before[before.len() - word_len..];
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (None, _) => false,
        (Some(c), None) => c.is_alphabetic(),
        _ => ABBREVIATIONS.contains(&word) || (word == "No" && next.is_ascii_digit()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        Sentences::new(text)
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    fn paragraphs(text: &str) -> Vec<(bool, bool)> {
        Sentences::new(text)
            .map(|s| (s.para_start, s.para_end))
            .collect()
    }

    #[test]
    fn splits_on_terminal_punctuation_before_capitals_digits_and_quotes() {
        assert_eq!(
            split("It rained. Then it stopped! Why? 2024 was wet. \"Yes,\" he said."),
            [
                "It rained.",
                "Then it stopped!",
                "Why?",
                "2024 was wet.",
                "\"Yes,\" he said."
            ]
        );
    }

    #[test]
    fn does_not_split_before_lower_case_or_inside_numbers() {
        assert_eq!(
            split("It cost 3.5 million. it was e.g. fine"),
            ["It cost 3.5 million. it was e.g. fine"]
        );
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            split("Mr. Smith met Dr. Jones on Main St. Louis. J. R. Doe left the U.S. Army on Jan. 5. No. 10 is here."),
            [
                "Mr. Smith met Dr. Jones on Main St. Louis.",
                "J. R. Doe left the U.S. Army on Jan. 5.",
                "No. 10 is here."
            ]
        );
        assert_eq!(
            split("He said no. 10 more came."),
            ["He said no.", "10 more came."]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            split("He said, \"We won.\" She said, “They lost.” ‘Fine.’ (Really.) Done"),
            [
                "He said, \"We won.\"",
                "She said, “They lost.”",
                "‘Fine.’",
                "(Really.)",
                "Done"
            ]
        );
        assert_eq!(
            split("\"Are you sure?\" he asked."),
            ["\"Are you sure?\" he asked."]
        );
    }

    #[test]
    fn ellipses_and_cjk_stops() {
        assert_eq!(
            split("Wait... Then go!!! Now"),
            ["Wait...", "Then go!!!", "Now"]
        );
        assert_eq!(
            split("今日は晴れ。明日は雨？"),
            ["今日は晴れ。", "明日は雨？"]
        );
    }

    #[test]
    fn blank_lines_separate_paragraphs_and_single_breaks_are_wraps() {
        let text = "One sentence\nwrapped here. Two.\n\n  Three\r\n\r\nFour. ";
        assert_eq!(
            split(text),
            ["One sentence\nwrapped here.", "Two.", "Three", "Four."]
        );
        assert_eq!(
            paragraphs(text),
            [(true, false), (false, true), (true, true), (true, true)]
        );
    }

    #[test]
    fn without_blank_lines_every_line_is_a_paragraph() {
        let text = "Headline without stop\nFirst para. Still first\nSecond para";
        assert_eq!(
            split(text),
            [
                "Headline without stop",
                "First para.",
                "Still first",
                "Second para"
            ]
        );
        assert_eq!(
            paragraphs(text),
            [(true, true), (true, false), (false, true), (true, true)]
        );
    }

    #[test]
    fn paragraph_rule_detection() {
        let blank = |text| paragraph_rule(text) == Paragraphs::BlankLine;
        assert!(blank("a\n \t\nb"));
        assert!(blank("a\u{2029}b"), "a paragraph separator");
        assert!(blank("a\r\rb"), "old Mac line ends");
        assert!(!blank("a’b\u{2028}c…\r\nd\ne"));
        assert!(!blank(""));
        assert_eq!(paragraph_rule("a\nb\n  c\nd"), Paragraphs::Indent);
        assert_eq!(paragraph_rule("a\r\n\tb\r\nc"), Paragraphs::Indent);
        assert_eq!(
            paragraph_rule("a\n  b\n  c"),
            Paragraphs::EveryLine,
            "all indented"
        );
        assert_eq!(
            paragraph_rule("a\nb\nc \n"),
            Paragraphs::EveryLine,
            "none indented"
        );
    }

    #[test]
    fn long_lines_are_paragraphs_even_with_a_blank_line() {
        let para = "Officials said the plan would go ahead despite the ruling, and that the \
            flights had already left before the judge could act on the request from the \
            lawyers of the men on board.";
        assert!(para.len() > LONG_LINE_BYTES);
        let text = format!("{para}\nA judge tried to stop the flights\n{para}\n\n{para}");
        assert_eq!(paragraph_rule(&text), Paragraphs::EveryLine);
        assert_eq!(
            paragraphs(&text),
            [(true, true), (true, true), (true, true), (true, true)],
            "the subheading stands alone: {:?}",
            split(&text)
        );
        // Hard-wrapped text with a blank line keeps its wraps, one long line or not.
        let wrapped = "The price collapse put\nthe project on hold.\n\nBut prices\nrose.";
        assert_eq!(paragraph_rule(wrapped), Paragraphs::BlankLine);
        let one_long = format!("{wrapped}\n{para}\nshort\nlines\nhere\nand\nmore\nstill");
        assert_eq!(paragraph_rule(&one_long), Paragraphs::BlankLine);
    }

    #[test]
    fn in_hard_wrapped_text_indented_lines_start_paragraphs() {
        let text = "The price collapse put\nthe project on hold. But prices\nrose, experts said.\n    \"Reserves are\nlarge,\" he said.\n    Done";
        assert_eq!(
            split(text),
            [
                "The price collapse put\nthe project on hold.",
                "But prices\nrose, experts said.",
                "\"Reserves are\nlarge,\" he said.",
                "Done"
            ]
        );
        assert_eq!(
            paragraphs(text),
            [(true, false), (false, true), (true, true), (true, true)]
        );
    }

    #[test]
    fn whitespace_only_and_empty_texts_have_no_sentences() {
        assert!(split("").is_empty());
        assert!(split(" \n\n\t ").is_empty());
        assert_eq!(split("  x  "), ["x"]);
        assert_eq!(split("."), ["."]);
    }
}
