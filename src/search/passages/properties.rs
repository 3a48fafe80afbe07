//! Property tests: for any text and any matcher, highlights lie inside the text on char
//! boundaries, sorted and non-overlapping; at most the requested number of passages, none
//! overlapping, each at most [`MAX_PASSAGE_CHARS`] of the source (see
//! [`crate::fuzzing::check_highlighter`]).

use proptest::prelude::*;

use super::*;
use crate::fuzzing::{check_highlighter, check_highlighter_with};
use crate::schema::stemmed_analyzer;

/// Words the matchers look for, in the forms texts use.
const VOCABULARY: &[&str] = &[
    "strike",
    "strikes",
    "striking",
    "miner",
    "miners",
    "Bukele",
    "prison",
    "é",
    "e\u{301}",
    "日本語",
    "covid-19",
    "a",
    "the",
];

/// Pieces of text: words, sentence ends, abbreviations, paragraph breaks, odd whitespace.
const PIECES: &[&str] = &[
    " ", " ", " ", ". ", "! ", "? ", ".\" ", "。", "\n", "\n\n", "\r\n", "\t", "\u{a0}",
    "\u{200b}", "Mr. ", "U.S. ", "No. 5", "“", "”", "(", ")", "…", ",", "-", "\u{301}",
];

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(VOCABULARY).prop_map(str::to_string),
        4 => prop::sample::select(PIECES).prop_map(str::to_string),
        1 => "[a-zA-Z]{1,12}",
        1 => any::<char>().prop_map(String::from),
        // A word longer than a passage, so sentences are cut inside words.
        1 => Just("x".repeat(MAX_PASSAGE_CHARS + 7)),
    ];
    prop::collection::vec(piece, 0..120).prop_map(|pieces| pieces.concat())
}

fn stem(word: &str) -> String {
    let mut analyzer = stemmed_analyzer();
    let mut stream = analyzer.token_stream(word);
    let mut out = String::new();
    while let Some(token) = stream.next() {
        out.push_str(&token.text);
    }
    out
}

fn weight() -> impl Strategy<Value = f32> {
    prop_oneof![
        4 => 0.0f32..10.0,
        1 => prop::sample::select(&[-1.0, f32::NAN, f32::INFINITY, f32::MAX, 0.0][..]),
    ]
}

fn term() -> impl Strategy<Value = TermMatch> {
    let word = prop::sample::select(VOCABULARY);
    let kind = prop_oneof![
        3 => word.clone().prop_map(|w| TermMatchKind::Stem(stem(w))),
        1 => word.clone().prop_map(|w| TermMatchKind::Prefix(w.chars().take(3).collect::<String>().to_lowercase())),
        1 => (word, 0u8..6).prop_map(|(w, distance)| TermMatchKind::Fuzzy { word: w.to_lowercase(), distance }),
        1 => "\\PC{0,3}".prop_map(TermMatchKind::Stem),
    ];
    (kind, weight()).prop_map(|(kind, weight)| TermMatch { kind, weight })
}

fn phrase() -> impl Strategy<Value = PhraseMatch> {
    let words = prop::collection::vec(
        prop::sample::select(VOCABULARY).prop_map(str::to_lowercase),
        0..4,
    );
    let slop = prop_oneof![3 => 0u32..4, 1 => Just(u32::MAX)];
    (words, slop, weight()).prop_map(|(words, slop, weight)| PhraseMatch {
        words,
        slop,
        weight,
    })
}

fn matcher() -> impl Strategy<Value = Matcher> {
    (
        prop::collection::vec(term(), 0..4),
        prop::collection::vec(phrase(), 0..3),
    )
        .prop_map(|(terms, phrases)| Matcher {
            terms,
            phrases,
            entities: Vec::new(),
        })
}

const KINDS: &[EntityKind] = &[
    EntityKind::Person,
    EntityKind::Organization,
    EntityKind::Place,
    EntityKind::Misc,
];
const NAMES: &[&str] = &["Nayib Bukele", "bukele", "BUKELE", "El Salvador", "", "é"];

fn entity() -> impl Strategy<Value = EntityMatch> {
    (
        prop::collection::vec(prop::sample::select(KINDS), 0..3),
        prop::collection::vec(
            prop::sample::select(NAMES).prop_map(str::to_lowercase),
            0..3,
        ),
        any::<bool>(),
        weight(),
    )
        .prop_map(|(kinds, names, word_of_name, weight)| EntityMatch {
            kinds,
            names,
            word_of_name,
            weight,
        })
}

/// Mentions anywhere, including past the text's end, inside characters and empty ones.
fn mentions() -> impl Strategy<Value = Vec<Mention>> {
    let mention = (
        0usize..400,
        0usize..40,
        prop::sample::select(KINDS),
        prop::sample::select(NAMES),
    )
        .prop_map(|(start, len, kind, name)| Mention {
            kind,
            start,
            end: start + len,
            text: String::new(),
            name: name.to_string(),
        });
    prop::collection::vec(mention, 0..6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn highlights_and_passages_stay_in_bounds(
        matcher in matcher(),
        text in text(),
        n in 0usize..5,
    ) {
        let mut highlighter = Highlighter::new(matcher);
        if let Err(violation) = check_highlighter(&mut highlighter, &text, n) {
            prop_assert!(false, "{violation}");
        }
    }

    #[test]
    fn entity_mentions_keep_highlights_and_passages_in_bounds(
        matcher in matcher(),
        entities in prop::collection::vec(entity(), 0..3),
        mentions in mentions(),
        text in text(),
        n in 0usize..5,
    ) {
        let mut highlighter = Highlighter::new(Matcher { entities, ..matcher });
        if let Err(violation) = check_highlighter_with(&mut highlighter, &text, n, &mentions) {
            prop_assert!(false, "{violation}");
        }
    }

    /// Words starting like no stem, prefix or phrase word are skipped unfolded; a fuzzy term
    /// (whose edits may change a first letter) makes every word's form be built. With one that
    /// matches nothing added, the passages are the same.
    #[test]
    fn skipping_words_no_query_word_starts_like_changes_nothing(
        matcher in matcher(),
        text in text(),
    ) {
        let mut every_form = matcher.clone();
        every_form.terms.push(TermMatch {
            kind: TermMatchKind::Fuzzy { word: "q".repeat(20), distance: 0 },
            weight: 0.0,
        });
        let skipping = Highlighter::new(matcher).passages(&text, 3);
        let building = Highlighter::new(every_form).passages(&text, 3);
        prop_assert_eq!(skipping, building);
    }

    /// The same text matched twice (with the memo warm) gives the same passages.
    #[test]
    fn reusing_a_highlighter_changes_nothing(matcher in matcher(), text in text()) {
        let mut highlighter = Highlighter::new(matcher);
        let first = highlighter.passages(&text, 3);
        let second = highlighter.passages(&text, 3);
        prop_assert_eq!(first, second);
    }
}
