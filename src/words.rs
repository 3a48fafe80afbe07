//! Words: the tokenizer behind the stemmed and exact analyzers.
//!
//! It gives exactly the tokens of tantivy's `SimpleTokenizer` (maximal runs of letters and
//! digits) followed by `RemoveLongFilter` (words of [`MAX_WORD_BYTES`] or more dropped, their
//! position kept), `LowerCaser` and `AsciiFoldingFilter` — in one pass. That chain copies every
//! word, then lower-cases and checks it again in each filter, and was a seventh of indexing time;
//! here an ASCII word (most of news text) is copied and lower-cased once, and only words with
//! other characters go through the chain itself (each on its own: a maximal run of letters and
//! digits stays one token). A property test holds the two to the same output.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Words of this many bytes or more are not indexed (a URL, a hash, a run of digits).
pub const MAX_WORD_BYTES: usize = 40;

/// See the module documentation.
#[derive(Clone)]
pub struct WordTokenizer {
    token: Token,
    /// The chain, for words that are not plain ASCII.
    chain: TextAnalyzer,
}

impl Default for WordTokenizer {
    fn default() -> Self {
        WordTokenizer {
            token: Token::default(),
            chain: TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
        }
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            at: 0,
            token: &mut self.token,
            chain: &mut self.chain,
        }
    }
}

/// The token stream of [`WordTokenizer`].
pub struct WordStream<'a> {
    text: &'a str,
    at: usize,
    token: &'a mut Token,
    chain: &'a mut TextAnalyzer,
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some((from, to, ascii)) = next_word(self.text, self.at) {
            self.at = to;
            self.token.position = self.token.position.wrapping_add(1);
            let original = &self.text[from..to];
            if original.len() >= MAX_WORD_BYTES {
                continue;
            }
            self.token.offset_from = from;
            self.token.offset_to = to;
            self.token.text.clear();
            if ascii {
                self.token.text.push_str(original);
                self.token.text.make_ascii_lowercase();
            } else {
                let mut stream = self.chain.token_stream(original);
                if let Some(word) = stream.next() {
                    self.token.text.push_str(&word.text);
                }
            }
            return true;
        }
        self.at = self.text.len();
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The next maximal run of letters and digits at or after byte `at`: its span, and whether it is
/// all ASCII. ASCII bytes are classified in tight loops; other chars are decoded one by one.
pub(crate) fn next_word(text: &str, mut at: usize) -> Option<(usize, usize, bool)> {
    let bytes = text.as_bytes();
    let len = bytes.len();
    loop {
        while at < len && bytes[at].is_ascii() && !bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        if at >= len {
            return None;
        }
        if bytes[at].is_ascii() {
            break;
        }
        let (is_word, width) = class_at(text, at);
        if is_word {
            break;
        }
        at += width;
    }
    let from = at;
    let mut ascii = true;
    loop {
        while at < len && bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        if at >= len || bytes[at].is_ascii() {
            break;
        }
        let (is_word, width) = class_at(text, at);
        if !is_word {
            break;
        }
        ascii = false;
        at += width;
    }
    Some((from, at, ascii))
}

/// Whether the char at byte `i` (a char boundary) is a letter or digit (`char::is_alphanumeric`,
/// as `SimpleTokenizer`), and its width in bytes.
#[inline]
fn class_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b.is_ascii() {
        return (b.is_ascii_alphanumeric(), 1);
    }
    text[i..]
        .chars()
        .next()
        .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tantivy::tokenizer::RemoveLongFilter;

    use super::*;

    fn tokens(mut analyzer: TextAnalyzer, text: &str) -> Vec<(usize, usize, usize, String)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push((t.offset_from, t.offset_to, t.position, t.text.clone()));
        }
        out
    }

    fn chain() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build()
    }

    fn ours() -> TextAnalyzer {
        TextAnalyzer::builder(WordTokenizer::default()).build()
    }

    #[test]
    fn same_tokens_as_the_chain_on_examples() {
        for text in [
            "",
            "   ",
            "Bukele's U.S. plan, 2025 — OK",
            "Zürich café NAÏVE Ærø straße ǅemal ﬁne",
            "東京 ١٢٣ x²",
            &"a".repeat(39),
            &format!("{} next", "b".repeat(40)),
            &format!("{} é", "é".repeat(20)),
        ] {
            assert_eq!(tokens(ours(), text), tokens(chain(), text), "{text:?}");
        }
    }

    #[test]
    fn a_reused_tokenizer_starts_over() {
        let mut analyzer = ours();
        let _ = tokens(analyzer.clone(), "one two three");
        assert_eq!(tokens(analyzer.clone(), "four")[0].2, 0);
        let mut stream = analyzer.token_stream("five six");
        assert!(stream.advance());
        assert_eq!(stream.token().position, 0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn same_tokens_as_the_chain(
            text in prop_oneof![".{0,120}", "[a-zA-Zé0-9 .'-]{0,90}", "[a-z0-9]{35,45}( [a-z]{1,3})?"],
        ) {
            prop_assert_eq!(tokens(ours(), &text), tokens(chain(), &text));
        }
    }
}
