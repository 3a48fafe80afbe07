//! Tests of the public API: matching, highlighting, passage choice and cutting.

use std::time::Instant;

use tantivy::tokenizer::TokenStream;

use super::*;
use crate::schema::stemmed_analyzer;

/// The stem the caller would compute for a query word.
fn stem(word: &str) -> String {
    let mut analyzer = stemmed_analyzer();
    let mut stream = analyzer.token_stream(word);
    let mut out = String::new();
    while let Some(token) = stream.next() {
        out.push_str(&token.text);
    }
    out
}

fn stems(words: &[&str]) -> Vec<TermMatch> {
    words
        .iter()
        .map(|w| TermMatch {
            kind: TermMatchKind::Stem(stem(w)),
            weight: 1.0,
        })
        .collect()
}

fn terms(words: &[&str]) -> Highlighter {
    Highlighter::new(Matcher {
        terms: stems(words),
        phrases: Vec::new(),
        entities: Vec::new(),
    })
}

fn phrase(words: &[&str], slop: u32) -> PhraseMatch {
    PhraseMatch {
        words: words.iter().map(|w| w.to_string()).collect(),
        slop,
        weight: 1.0,
    }
}

fn one(kind: TermMatchKind) -> Highlighter {
    Highlighter::new(Matcher {
        terms: vec![TermMatch { kind, weight: 1.0 }],
        phrases: Vec::new(),
        entities: Vec::new(),
    })
}

/// The highlighted pieces of `text`.
fn marked<'t>(text: &'t str, spans: &[(usize, usize)]) -> Vec<&'t str> {
    spans.iter().map(|&(s, e)| &text[s..e]).collect()
}

/// The passage's text without its `…` marks.
fn body(passage: &Passage) -> &str {
    let text = passage.text.strip_prefix(ELLIPSIS).unwrap_or(&passage.text);
    text.strip_suffix(ELLIPSIS).unwrap_or(text)
}

/// The source slice as a passage shows it (line breaks and tabs as spaces).
fn shown(source: &str) -> String {
    source
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' | '\u{0B}' | '\u{0C}' => ' ',
            other => other,
        })
        .collect()
}

/// Checks every invariant a passage must hold against its source; returns the length of the
/// leading mark.
fn assert_valid(source: &str, passage: &Passage) -> usize {
    let text = &passage.text;
    // Which marks were added: the combination under which the rest is the source slice (the
    // source itself may contain `…`).
    let bare = [(false, false), (true, false), (false, true), (true, true)]
        .into_iter()
        .find_map(|(front, back)| {
            let mut inner = text.as_str();
            if front {
                inner = inner.strip_prefix(ELLIPSIS)?;
            }
            if back {
                inner = inner.strip_suffix(ELLIPSIS)?;
            }
            let slice = source.get(passage.start..passage.start + inner.len())?;
            (!inner.is_empty() && shown(slice) == inner).then_some((front, inner))
        });
    let Some((front, inner)) = bare else {
        panic!("passage {text:?} is not the source at {}", passage.start);
    };
    assert!(
        inner.chars().count() <= MAX_PASSAGE_CHARS,
        "too long: {text:?}"
    );
    assert!(
        !inner.is_empty() && inner.trim() == inner,
        "trimmed: {text:?}"
    );
    let mut last_end = if front { ELLIPSIS.len() } else { 0 };
    for &(s, e) in &passage.highlights {
        assert!(s < e && e <= text.len(), "{s}..{e} out of {}", text.len());
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        assert!(
            s >= last_end,
            "sorted, disjoint, after the mark: {:?}",
            passage.highlights
        );
        last_end = e;
    }
    let body_end = inner.len() + if front { ELLIPSIS.len() } else { 0 };
    assert!(last_end <= body_end, "highlight inside the trailing mark");
    body_end - inner.len()
}

#[test]
fn stems_match_inflected_forms_only() {
    let text = "Deported, deporting and deportation; deportees and a report.";
    let spans = terms(&["deport"]).highlight(text);
    assert_eq!(
        marked(text, &spans),
        ["Deported", "deporting", "deportation"]
    );
    // "deportees" stems to "deporte": a different word for the index too.
    assert_eq!(stem("deportees"), "deporte");
    let text = "Elections were held; she was elected.";
    assert_eq!(
        marked(text, &terms(&["election"]).highlight(text)),
        ["Elections", "elected"]
    );
}

#[test]
fn phrase_is_one_span_only_where_it_occurs() {
    let text = "New York is big. York was new, and new homes in York.";
    let mut only_phrase = Highlighter::new(Matcher {
        terms: Vec::new(),
        phrases: vec![phrase(&["new", "york"], 0)],
        entities: Vec::new(),
    });
    assert_eq!(marked(text, &only_phrase.highlight(text)), ["New York"]);

    // Words given as plain terms too are highlighted wherever they are.
    let mut both = Highlighter::new(Matcher {
        terms: stems(&["york"]),
        phrases: vec![phrase(&["new", "york"], 0)],
        entities: Vec::new(),
    });
    assert_eq!(
        marked(text, &both.highlight(text)),
        ["New York", "York", "York"]
    );
}

#[test]
fn phrase_span_covers_punctuation_between_its_words() {
    let text = "A New-York-based firm.";
    let mut h = Highlighter::new(Matcher {
        terms: Vec::new(),
        phrases: vec![phrase(&["new", "york", "based"], 0)],
        entities: Vec::new(),
    });
    assert_eq!(marked(text, &h.highlight(text)), ["New-York-based"]);
}

#[test]
fn sloppy_phrase_marks_each_word_and_exact_occurrence_as_one_span() {
    let text = "Climate policy change matters. Climate change too. Change climate now.";
    let mut exact = Highlighter::new(Matcher {
        terms: Vec::new(),
        phrases: vec![phrase(&["climate", "change"], 0)],
        entities: Vec::new(),
    });
    assert_eq!(marked(text, &exact.highlight(text)), ["Climate change"]);

    let mut sloppy = Highlighter::new(Matcher {
        terms: Vec::new(),
        phrases: vec![phrase(&["climate", "change"], 1)],
        entities: Vec::new(),
    });
    assert_eq!(
        marked(text, &sloppy.highlight(text)),
        ["Climate", "change", "Climate change"],
        "one word apart: each word; exact: one span; reversed needs slop 2"
    );

    let mut reversed = Highlighter::new(Matcher {
        terms: Vec::new(),
        phrases: vec![phrase(&["climate", "change"], 2)],
        entities: Vec::new(),
    });
    let spans = reversed.highlight(text);
    assert_eq!(
        marked(text, &spans),
        ["Climate", "change", "Climate change", "Change", "climate"]
    );
}

#[test]
fn prefix_matches_word_starts() {
    let text = "Deportees were deported; a report followed.";
    let spans = one(TermMatchKind::Prefix("deport".into())).highlight(text);
    assert_eq!(marked(text, &spans), ["Deportees", "deported"]);
    let spans = one(TermMatchKind::Prefix(String::new())).highlight(text);
    assert!(spans.is_empty(), "an empty prefix matches nothing");
}

#[test]
fn prefix_and_fuzzy_compare_unstemmed_words() {
    // The index runs them on the exact fields: "happy" (stem "happi") is not a "happi*" word,
    // and "deported" is two edits from "deport" even though its stem is "deport".
    let text = "A happy ending; deported.";
    let spans = one(TermMatchKind::Prefix("happi".into())).highlight(text);
    assert!(spans.is_empty(), "{spans:?}");
    let fuzzy = TermMatchKind::Fuzzy {
        word: "deport".into(),
        distance: 1,
    };
    assert!(one(fuzzy).highlight(text).is_empty());
}

#[test]
fn fuzzy_matches_within_distance() {
    let text = "Bukelle and Bukele met Bukowski and Bkuele.";
    let fuzzy = |distance| {
        one(TermMatchKind::Fuzzy {
            word: "bukele".into(),
            distance,
        })
    };
    assert_eq!(marked(text, &fuzzy(0).highlight(text)), ["Bukele"]);
    assert_eq!(
        marked(text, &fuzzy(1).highlight(text)),
        ["Bukelle", "Bukele", "Bkuele"]
    );
    let spans = fuzzy(9).highlight(text);
    assert!(
        !marked(text, &spans).contains(&"Bukowski"),
        "distance is clamped to 2"
    );
}

#[test]
fn accents_are_folded() {
    let text = "Le Café de São Paulo, café.";
    let spans = terms(&["cafe"]).highlight(text);
    assert_eq!(marked(text, &spans), ["Café", "café"]);
    let mut h = Highlighter::new(Matcher {
        terms: Vec::new(),
        phrases: vec![phrase(&["sao", "paulo"], 0)],
        entities: Vec::new(),
    });
    assert_eq!(marked(text, &h.highlight(text)), ["São Paulo"]);
}

#[test]
fn curly_quotes_and_apostrophes() {
    let text = "“Bukele’s plan,” she said. ‘It’s over.’ Bukele left.";
    let mut h = terms(&["bukele", "plan"]);
    assert_eq!(
        marked(text, &h.highlight(text)),
        ["Bukele", "plan", "Bukele"]
    );
    let passages = h.passages(text, 3);
    assert_eq!(
        passages.len(),
        1,
        "the whole paragraph fits and holds every match"
    );
    assert_eq!(passages[0].text, text);
    let spans = &passages[0].highlights;
    assert_eq!(
        marked(&passages[0].text, spans),
        ["Bukele", "plan", "Bukele"]
    );
    assert_eq!(assert_valid(text, &passages[0]), 0);
}

/// Sentences numbered `first..last`, each naming its number, as one paragraph.
fn numbered(first: usize, last: usize) -> String {
    (first..last)
        .map(|i| format!("Sentence number {i} is about nothing in particular at all."))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn passages_stay_within_the_length_bound_and_whole_sentences() {
    let text = format!("{} The mayor spoke. {}", numbered(0, 20), numbered(20, 40));
    let passages = terms(&["mayor"]).passages(&text, 1);
    assert_eq!(passages.len(), 1);
    let p = &passages[0];
    assert_valid(&text, p);
    assert!(
        body(p).len() > 100,
        "context sentences are added: {:?}",
        p.text
    );
    assert!(body(p).ends_with('.'), "whole sentences: {:?}", p.text);
    assert!(
        text[..p.start].ends_with(". "),
        "starts at a sentence: {:?}",
        p.text
    );
    assert!(p.text.starts_with(ELLIPSIS) && p.text.ends_with(ELLIPSIS));
    assert_eq!(marked(&p.text, &p.highlights), ["mayor"]);
}

#[test]
fn a_long_sentence_is_cut_around_the_match_at_word_boundaries() {
    let filler = "lorem ipsum dolor sit amet consectetur ".repeat(20);
    let text = format!("Start {filler}the mayor spoke {filler}end.");
    let passages = terms(&["mayor"]).passages(&text, 1);
    let p = &passages[0];
    assert_valid(&text, p);
    let inner = body(p);
    assert!(
        inner.chars().count() > 250,
        "uses the budget: {}",
        inner.len()
    );
    let before = text[..p.start].chars().next_back();
    let after = text[p.start + inner.len()..].chars().next();
    assert_eq!(before, Some(' '), "starts at a word: {:?}", p.text);
    assert_eq!(after, Some(' '), "ends at a word: {:?}", p.text);
    assert!(p.text.starts_with(ELLIPSIS) && p.text.ends_with(ELLIPSIS));
    assert_eq!(marked(&p.text, &p.highlights), ["mayor"]);
    let at = p.text.find("mayor").unwrap_or(0);
    assert!(
        (40..120).contains(&at),
        "some context before the match: {at}"
    );
}

#[test]
fn a_long_sentence_end_keeps_its_period() {
    let filler = "lorem ipsum dolor sit amet consectetur ".repeat(20);
    let text = format!("{filler}and the mayor spoke.");
    let p = &terms(&["mayor"]).passages(&text, 1)[0];
    assert_valid(&text, p);
    assert!(p.text.ends_with("the mayor spoke."), "{:?}", p.text);
    assert!(p.text.starts_with(ELLIPSIS));
    assert!(
        body(p).chars().count() > 280,
        "the budget is spent before the match"
    );
}

#[test]
fn ellipsis_marks_cuts_and_highlights_shift_with_it() {
    let text = format!(
        "Intro line.\n\nFirst here. The mayor spoke at noon. Last here, {}end.\n\nThe mayor again.",
        "and so on ".repeat(30)
    );
    let text = text.as_str();
    let mut h = terms(&["mayor"]);
    let passages = h.passages(text, 2);
    assert_eq!(passages.len(), 2);
    for p in &passages {
        assert_valid(text, p);
        for &(s, e) in &p.highlights {
            assert_eq!(&p.text[s..e], "mayor");
        }
    }
    let last = passages
        .iter()
        .find(|p| p.text.contains("again"))
        .expect("second paragraph");
    assert_eq!(last.text, "The mayor again.", "a whole paragraph: no marks");
    assert_eq!(last.highlights, [(4, 9)]);
    let middle = passages
        .iter()
        .find(|p| p.text.contains("noon"))
        .expect("first paragraph");
    assert_eq!(middle.text, "First here. The mayor spoke at noon.…");
    assert_eq!(middle.highlights, [(16, 21)]);

    // A lone middle sentence gets both marks, and its highlight is shifted by 3 bytes.
    let text = format!("{} The mayor spoke. {}", numbered(0, 1), numbered(1, 2));
    let long_neighbours = text.replace("nothing in particular", &"very ".repeat(60));
    let p = &h.passages(&long_neighbours, 1)[0];
    assert_eq!(p.text, "…The mayor spoke.…");
    assert_eq!(p.highlights, [(7, 12)]);
    assert_eq!(&p.text[7..12], "mayor");
    assert_eq!(&long_neighbours[p.start..p.start + 16], "The mayor spoke.");
}

#[test]
fn line_breaks_become_spaces_with_offsets_kept() {
    let text = "The mayor\nspoke\tat noon.\n\nOther.";
    let p = &terms(&["spoke"]).passages(text, 1)[0];
    assert_eq!(p.text, "The mayor spoke at noon.");
    assert_eq!(marked(&p.text, &p.highlights), ["spoke"]);
}

#[test]
fn top_n_passages_do_not_overlap_and_come_best_first() {
    let mut parts = Vec::new();
    for i in 0..30 {
        parts.push(match i {
            5 => "The mayor spoke about the budget.".to_string(),
            12 => "The budget was cut.".to_string(),
            20 => "The mayor left.".to_string(),
            27 => "The mayor defended the budget cut to the council.".to_string(),
            _ => format!("Filler sentence {i} says nothing."),
        });
    }
    let text = parts.join(" ");
    let mut h = Highlighter::new(Matcher {
        terms: stems(&["mayor", "budget"]),
        phrases: Vec::new(),
        entities: Vec::new(),
    });
    let passages = h.passages(&text, 10);
    assert_eq!(passages.len(), 4, "{passages:#?}");
    for pair in passages.windows(2) {
        assert!(pair[0].score >= pair[1].score);
    }
    let mut ranges: Vec<(usize, usize)> = passages
        .iter()
        .map(|p| (p.start, p.start + body(p).len()))
        .collect();
    ranges.sort_unstable();
    for pair in ranges.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "overlap: {ranges:?}");
    }
    assert!(passages[0].text.contains("mayor") && passages[0].text.contains("budget"));
    for p in &passages {
        assert_valid(&text, p);
    }
    assert_eq!(h.passages(&text, 2).len(), 2);
}

#[test]
fn weights_proximity_and_phrases_rank_passages() {
    let text = "The cat sat. The rare okapi sat.\n\nThe cat and the okapi far, far, far, far, far apart, yes.\n\nThe cat okapi show.";
    let mut weighted = Highlighter::new(Matcher {
        terms: vec![
            TermMatch {
                kind: TermMatchKind::Stem("cat".into()),
                weight: 0.5,
            },
            TermMatch {
                kind: TermMatchKind::Stem("okapi".into()),
                weight: 3.0,
            },
        ],
        phrases: Vec::new(),
        entities: Vec::new(),
    });
    let best = &weighted.passages(text, 1)[0];
    assert_eq!(best.text, "The cat okapi show.", "adjacent terms win");
    let mut with_phrase = Highlighter::new(Matcher {
        terms: stems(&["cat", "sat"]),
        phrases: vec![phrase(&["rare", "okapi"], 0)],
        entities: Vec::new(),
    });
    let best = &with_phrase.passages(text, 1)[0];
    assert!(best.text.contains("rare okapi"), "{:?}", best.text);
}

#[test]
fn no_match_returns_the_lead() {
    let text = "Short first. And second one. And a third.\n\nNext paragraph.";
    let passages = terms(&["zebra"]).passages(text, 3);
    assert_eq!(passages.len(), 1);
    assert_eq!(passages[0].text, "Short first. And second one.…");
    assert_eq!(passages[0].score, 0.0);
    assert!(passages[0].highlights.is_empty());

    let text = "Only a headline\n\nThen the body.";
    assert_eq!(
        terms(&["zebra"]).passages(text, 1)[0].text,
        "Only a headline"
    );

    let long = format!("{}.", "word ".repeat(200));
    let p = &Highlighter::new(Matcher::default()).passages(&long, 1)[0];
    assert!(
        p.text.ends_with("word…"),
        "a long lead is cut at a word: {:?}",
        p.text
    );
    assert_valid(&long, p);
}

#[test]
fn empty_inputs() {
    let mut h = terms(&["mayor"]);
    assert!(h.passages("", 3).is_empty());
    assert!(h.passages(" \n\t ", 3).is_empty());
    assert!(h.passages("The mayor.", 0).is_empty());
    assert!(h.highlight("").is_empty());
    let mut nothing = Highlighter::new(Matcher::default());
    assert!(nothing.highlight("The mayor.").is_empty());
    assert_eq!(nothing.passages("The mayor.", 1)[0].text, "The mayor.");
}

#[test]
fn title_highlights_every_matching_word() {
    let title = "Mayor’s budget: mayors cut budgets";
    let mut h = Highlighter::new(Matcher {
        terms: stems(&["mayor", "budget"]),
        phrases: vec![phrase(&["mayors", "cut"], 0)],
        entities: Vec::new(),
    });
    assert_eq!(
        marked(title, &h.highlight(title)),
        ["Mayor", "budget", "mayors cut", "budgets"]
    );
}

#[test]
fn strange_weights_and_long_phrases_do_not_break() {
    let text = "a a a a b a a b a a a a b ".repeat(50);
    let mut h = Highlighter::new(Matcher {
        terms: vec![TermMatch {
            kind: TermMatchKind::Stem("a".into()),
            weight: f32::NAN,
        }],
        phrases: vec![
            PhraseMatch {
                words: vec!["a".into(), "b".into(), "a".into()],
                slop: u32::MAX,
                weight: f32::INFINITY,
            },
            PhraseMatch {
                words: Vec::new(),
                slop: 0,
                weight: -1.0,
            },
        ],
        entities: Vec::new(),
    });
    for p in h.passages(&text, 3) {
        assert!(p.score.is_finite());
        assert_valid(&text, &p);
    }
}

/// A big article: many paragraphs, matches spread through it.
fn big_article(bytes: usize) -> String {
    let sentences = [
        "The city council met on Tuesday to discuss the budget.",
        "Mr. Smith, the mayor, said the deportation policy of the U.S. government was unfair.",
        "“We will not accept this,” he said.",
        "Residents of São Paulo and New York protested in the streets.",
        "Officials declined to comment on the matter.",
    ];
    let mut text = String::new();
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(sentences[i % sentences.len()]);
        text.push_str(if i % 4 == 3 { "\n\n" } else { " " });
        i += 1;
    }
    text
}

fn big_matcher() -> Matcher {
    Matcher {
        terms: vec![
            TermMatch {
                kind: TermMatchKind::Stem("deport".into()),
                weight: 2.0,
            },
            TermMatch {
                kind: TermMatchKind::Stem("mayor".into()),
                weight: 1.0,
            },
            TermMatch {
                kind: TermMatchKind::Prefix("prot".into()),
                weight: 1.0,
            },
        ],
        phrases: vec![phrase(&["new", "york"], 0)],
        entities: Vec::new(),
    }
}

#[test]
fn big_articles_complete() {
    let mut h = Highlighter::new(big_matcher());
    for size in [10_000, 200_000] {
        let text = big_article(size);
        let started = Instant::now();
        let passages = h.passages(&text, 3);
        println!(
            "{} bytes: {:?} (unoptimised test build)",
            text.len(),
            started.elapsed()
        );
        assert_eq!(passages.len(), 3);
        for p in &passages {
            assert_valid(&text, p);
        }
    }
    // A 200 KB paragraph without any sentence end.
    let text = "word mayor ".repeat(20_000);
    let passages = h.passages(&text, 3);
    assert_eq!(passages.len(), 3);
    for p in &passages {
        assert_valid(&text, p);
    }
}

/// Release-mode timing (fastest of many calls, as the machine may be shared):
/// `cargo test --release --lib search::passages -- --ignored --nocapture timing`.
#[test]
#[ignore = "timing, run in release"]
fn timing() {
    let mut h = Highlighter::new(big_matcher());
    for size in [10_000, 100_000] {
        let text = big_article(size);
        let fastest = (0..200)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(h.passages(&text, 3));
                started.elapsed()
            })
            .min()
            .unwrap_or_default();
        println!(
            "{} bytes: {fastest:?} per call (fastest of 200)",
            text.len()
        );
    }
}

/// A small deterministic generator (xorshift), so the property test needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

#[test]
fn random_texts_and_matchers_never_panic_and_stay_in_bounds() {
    let pieces = [
        "the", "The", "mayor", "Mayor", "café", "CAFÉ", "é", "ß", "İ", "ﬁ", "日本", "語", "🙂",
        "a", "b", "U.S.", "Mr.", "J.", ".", "!", "?", "…", "...", "\"", "“", "”", "’", "'", " ",
        "  ", "\n", "\n\n", "\r\n", "\t", "\u{2029}", "\u{0301}", "-", "—", "1", "2024.", "x", "Ω",
        "\u{200B}", "\u{FEFF}", "。", "deported", "new", "york",
    ];
    let words = [
        "the", "mayor", "cafe", "a", "b", "s", "1", "new", "york", "deport", "ß", "ss", "日本",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..600 {
        let mut text = String::new();
        let length = if round % 50 == 0 {
            2000
        } else {
            rng.below(120)
        };
        for _ in 0..length {
            if rng.below(10) == 0 {
                text.push(char::from_u32(rng.below(0x3_0000) as u32).unwrap_or('?'));
            } else {
                text.push_str(rng.pick(&pieces));
            }
        }
        let mut matcher = Matcher::default();
        for _ in 0..rng.below(4) {
            let word = rng.pick(&words).to_string();
            let kind = match rng.below(3) {
                0 => TermMatchKind::Stem(word),
                1 => TermMatchKind::Prefix(word.chars().take(1).collect()),
                _ => TermMatchKind::Fuzzy {
                    word,
                    distance: rng.below(4) as u8,
                },
            };
            let weight = [1.0, 0.0, 2.5, -1.0, f32::NAN][rng.below(5)];
            matcher.terms.push(TermMatch { kind, weight });
        }
        for _ in 0..rng.below(3) {
            let n = rng.below(4);
            let words = (0..n).map(|_| rng.pick(&words).to_string()).collect();
            matcher.phrases.push(PhraseMatch {
                words,
                slop: rng.below(4) as u32,
                weight: 1.0,
            });
        }
        let mut h = Highlighter::new(matcher);

        let spans = h.highlight(&text);
        let mut last_end = 0;
        for &(s, e) in &spans {
            assert!(
                s < e && e <= text.len() && s >= last_end,
                "{spans:?} in {text:?}"
            );
            assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            last_end = e;
        }

        let n = rng.below(4);
        let passages = h.passages(&text, n);
        if text.trim().is_empty() || n == 0 {
            assert!(passages.is_empty());
        } else {
            assert!(!passages.is_empty() && passages.len() <= n, "{text:?}");
        }
        for p in &passages {
            assert!(p.score.is_finite() && p.score >= 0.0);
            assert!(p.start <= text.len() && text.is_char_boundary(p.start));
            let shift = assert_valid(&text, p);
            for &(s, e) in &p.highlights {
                let (s, e) = (s - shift + p.start, e - shift + p.start);
                assert!(
                    spans.iter().any(|&(a, b)| a <= s && e <= b),
                    "passage highlight {s}..{e} is not highlighted in the whole text {spans:?}"
                );
            }
        }
    }
}

#[test]
fn context_sentences_surround_the_match() {
    let text = format!(
        "{} The mayor spoke about it all day long today. {}",
        numbered(0, 5),
        numbered(5, 10)
    );
    let p = &terms(&["mayor"]).passages(&text, 1)[0];
    assert_valid(&text, p);
    assert!(p.text.starts_with("…Sentence number 4 "), "{:?}", p.text);
    assert!(
        p.text
            .ends_with("number 5 is about nothing in particular at all.…"),
        "{:?}",
        p.text
    );
}

fn mention(text: &str, written: &str, kind: EntityKind, name: &str) -> Mention {
    let start = text.find(written).expect("mention in text");
    Mention {
        kind,
        start,
        end: start + written.len(),
        text: written.to_string(),
        name: name.to_string(),
    }
}

fn wanted(kinds: &[EntityKind], names: &[&str], word_of_name: bool) -> EntityMatch {
    EntityMatch {
        kinds: kinds.to_vec(),
        names: names.iter().map(|n| n.to_string()).collect(),
        word_of_name,
        weight: 1.0,
    }
}

const SPEECH: &str = "The council met on Monday. Rain delayed the ferry again.\n\n\
    Later that week the mayor spoke. Bukele said the prison would open in March.";

#[test]
fn an_entity_asked_for_is_found_where_it_is_mentioned() {
    let mentions = [mention(
        SPEECH,
        "Bukele",
        EntityKind::Person,
        "Nayib Bukele",
    )];
    let mut h = Highlighter::new(Matcher {
        entities: vec![wanted(&[EntityKind::Person], &["nayib bukele"], false)],
        ..Matcher::default()
    });
    assert!(h.wants_mentions());
    let best = &h.passages_with(SPEECH, 1, &mentions)[0];
    assert!(best.score > 0.0, "{best:?}");
    assert_eq!(marked(&best.text, &best.highlights), ["Bukele"]);
    // Without the mentions there is nothing to find: the lead.
    let lead = &h.passages(SPEECH, 1)[0];
    assert_eq!(lead.score, 0.0);
    assert!(lead.text.starts_with("The council met"), "{lead:?}");
}

#[test]
fn an_entity_matches_only_its_types_and_names() {
    let mentions = [
        mention(SPEECH, "Bukele", EntityKind::Person, "Nayib Bukele"),
        mention(
            SPEECH,
            "council",
            EntityKind::Organization,
            "Bukele Council",
        ),
    ];
    let highlighted = |entity: EntityMatch| {
        let mut h = Highlighter::new(Matcher {
            entities: vec![entity],
            ..Matcher::default()
        });
        let spans = h.highlight_with(SPEECH, &mentions);
        marked(SPEECH, &spans).join("|")
    };
    let person = [EntityKind::Person];
    assert_eq!(
        highlighted(wanted(&person, &["nayib bukele"], false)),
        "Bukele"
    );
    assert_eq!(highlighted(wanted(&person, &["bukele"], false)), "");
    assert_eq!(highlighted(wanted(&person, &["bukele"], true)), "Bukele");
    assert_eq!(highlighted(wanted(&person, &["buke"], true)), "");
    let org = [EntityKind::Organization];
    assert_eq!(highlighted(wanted(&org, &["nayib bukele"], false)), "");
    let any = [EntityKind::Person, EntityKind::Organization];
    assert_eq!(
        highlighted(wanted(&any, &["bukele"], true)),
        "council|Bukele"
    );
}

#[test]
fn an_entity_and_a_word_choose_the_passage_holding_both() {
    let text = "Bukele opened a school. Weeks passed without news.\n\n\
        The prison stayed closed. Then Bukele visited the prison himself.";
    let first = mention(text, "Bukele", EntityKind::Person, "Nayib Bukele");
    let second = Mention {
        start: text.rfind("Bukele").expect("second"),
        end: text.rfind("Bukele").expect("second") + "Bukele".len(),
        ..first.clone()
    };
    let mut h = Highlighter::new(Matcher {
        terms: stems(&["prison"]),
        phrases: Vec::new(),
        entities: vec![wanted(&[EntityKind::Person], &["nayib bukele"], false)],
    });
    let best = &h.passages_with(text, 1, &[first, second])[0];
    assert!(best.text.contains("Then Bukele visited"), "{best:?}");
    assert_valid(text, best);
}

#[test]
fn mentions_outside_the_text_or_off_char_boundaries_are_ignored() {
    let text = "Zoë Bukele spoke.";
    let bad = [
        Mention {
            kind: EntityKind::Person,
            start: 3,
            end: 8,
            text: String::new(),
            name: "Nayib Bukele".into(),
        },
        Mention {
            kind: EntityKind::Person,
            start: 5,
            end: 500,
            text: String::new(),
            name: "Nayib Bukele".into(),
        },
    ];
    let mut h = Highlighter::new(Matcher {
        entities: vec![wanted(&[EntityKind::Person], &["nayib bukele"], false)],
        ..Matcher::default()
    });
    assert!(h.highlight_with(text, &bad).is_empty());
    assert_eq!(h.passages_with(text, 1, &bad)[0].score, 0.0);
}
