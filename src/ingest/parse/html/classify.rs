//! What an element's `class` and `id` say about it: likely content, likely chrome, comments,
//! captions, bylines, share bars.
//!
//! The word lists follow readability.js (its `unlikelyCandidates`, `okMaybeItsACandidate`,
//! `positive`, `negative` and `byline` patterns, which match anywhere inside the attribute), plus
//! whole words (class names split at `-`/`_`) for ads, navigation, newsletters, cookie banners
//! and recirculation widgets. Substring search uses one scan per class token over words bucketed
//! by their first byte: this runs for every element of the page, so it has to be cheap.

use std::sync::OnceLock;

/// Substrings that suggest page chrome (readability's "unlikely candidates").
const UNLIKELY: &[&str] = &[
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumbs",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "yom-remote",
];
/// Substrings that rescue an "unlikely" element.
const OK_MAYBE: &[&str] = &[
    "and", "article", "body", "column", "content", "main", "shadow",
];
/// Substrings of content containers.
const POSITIVE: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "h-entry",
    "main",
    "page",
    "pagination",
    "post",
    "text",
    "blog",
    "story",
];
/// Substrings of boilerplate containers.
const NEGATIVE: &[&str] = &[
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "foot",
    "footer",
    "footnote",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "tool",
    "widget",
];
/// Substrings of bylines.
const BYLINE: &[&str] = &["byline", "author", "dateline", "writtenby", "p-author"];
/// Substrings of comment sections.
const COMMENTS: &[&str] = &["comment", "disqus"];
/// Substrings of image captions and credits.
const CAPTION: &[&str] = &["caption", "credit"];

const M_UNLIKELY: u8 = 1;
const M_OK_MAYBE: u8 = 2;
const M_POSITIVE: u8 = 4;
const M_NEGATIVE: u8 = 8;
const M_BYLINE: u8 = 16;
const M_COMMENTS: u8 = 32;
const M_CAPTION: u8 = 64;

/// Whole words (class names split at non-alphanumerics) that mark chrome: a negative weight.
const NEGATIVE_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "adverts",
    "advertisement",
    "advertising",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "cookie",
    "cookies",
    "consent",
    "popup",
    "modal",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "social",
    "recommended",
    "recirc",
    "trending",
    "popular",
    "taboola",
    "outbrain",
    "sponsored",
    "related",
];
/// Whole words that mark chrome strongly enough to drop the element before scoring.
const UNLIKELY_WORDS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "newsletter",
    "subscribe",
    "cookie",
    "consent",
    "popup",
    "modal",
    "nav",
    "navbar",
    "navigation",
    "breadcrumb",
    "recirc",
    "taboola",
    "outbrain",
    "trending",
];

/// What the class and id of one element say.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct ClassInfo {
    /// readability's class weight: −25 per attribute with a boilerplate word, +25 per attribute
    /// with a content word (a class token that has both counts as boilerplate).
    pub weight: f32,
    /// Looks like chrome: dropped before scoring in the first, strict pass.
    pub unlikely: bool,
    /// A comment section: dropped in every pass.
    pub comments: bool,
    /// An image caption or credit.
    pub caption: bool,
    /// A share bar (`share`, `sharedaddy`).
    pub share: bool,
    /// A byline.
    pub byline: bool,
}

/// Words bucketed by first byte, each with the lists it belongs to.
type Table = Vec<Vec<(&'static [u8], u8)>>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: Table = vec![Vec::new(); 256];
        for (list, mask) in [
            (UNLIKELY, M_UNLIKELY),
            (OK_MAYBE, M_OK_MAYBE),
            (POSITIVE, M_POSITIVE),
            (NEGATIVE, M_NEGATIVE),
            (BYLINE, M_BYLINE),
            (COMMENTS, M_COMMENTS),
            (CAPTION, M_CAPTION),
        ] {
            for w in list {
                let b = w.as_bytes();
                let bucket = &mut t[usize::from(b[0])];
                match bucket.iter_mut().find(|(x, _)| *x == b) {
                    Some((_, m)) => *m |= mask,
                    None => bucket.push((b, mask)),
                }
            }
        }
        t
    })
}

/// The lists that have a word occurring in `token` (already lower-case).
fn scan(token: &[u8]) -> u8 {
    let t = table();
    let mut mask = 0;
    for i in 0..token.len() {
        for (w, m) in &t[usize::from(token[i])] {
            if token[i..].starts_with(w) {
                mask |= m;
            }
        }
    }
    mask
}

/// Facts about one attribute value (`class` or `id`).
#[derive(Default)]
struct AttrFacts {
    mask: u8,
    negative: bool,
    positive: bool,
    unlikely_word: bool,
    share: bool,
}

fn attr_facts(attr: &str, lower: &mut String) -> AttrFacts {
    let mut f = AttrFacts::default();
    lower.clear();
    lower.push_str(attr);
    lower.make_ascii_lowercase();
    for token in lower.split_ascii_whitespace() {
        let m = scan(token.as_bytes());
        f.mask |= m;
        let mut neg = m & M_NEGATIVE != 0 || token == "hid";
        for w in token.split(|c: char| !c.is_ascii_alphanumeric()) {
            if w.is_empty() {
                continue;
            }
            neg |= NEGATIVE_WORDS.contains(&w);
            f.unlikely_word |= UNLIKELY_WORDS.contains(&w);
            f.share |= w == "share" || w == "sharedaddy";
        }
        if neg {
            f.negative = true;
        } else if m & M_POSITIVE != 0 {
            f.positive = true;
        }
    }
    f
}

/// Classifies an element by its `class` and `id` attributes.
pub(super) fn classify(class: &str, id: &str) -> ClassInfo {
    let mut lower = String::new();
    let c = attr_facts(class, &mut lower);
    let i = attr_facts(id, &mut lower);
    let weight = |f: &AttrFacts| -> f32 {
        (if f.negative { -25.0 } else { 0.0 }) + (if f.positive { 25.0 } else { 0.0 })
    };
    let mask = c.mask | i.mask;
    let ok_maybe = mask & M_OK_MAYBE != 0;
    ClassInfo {
        weight: weight(&c) + weight(&i),
        unlikely: (mask & M_UNLIKELY != 0 || c.unlikely_word || i.unlikely_word) && !ok_maybe,
        comments: mask & M_COMMENTS != 0 && !ok_maybe,
        caption: mask & M_CAPTION != 0,
        share: c.share || i.share,
        byline: mask & M_BYLINE != 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readability_words_and_whole_words() {
        let c = classify("article-body", "");
        assert_eq!(c.weight, 25.0);
        assert!(!c.unlikely);
        let c = classify("sidebar widget", "");
        assert!(c.weight < 0.0 && c.unlikely);
        // A token with both a content and a boilerplate word counts as boilerplate.
        assert_eq!(classify("sdc-article-related-stories", "").weight, -25.0);
        // "ad" only as a whole word: "header-shadow", "download" are not ads.
        assert!(classify("ad-slot", "").unlikely);
        assert_eq!(classify("download", "").weight, 0.0);
        assert!(classify("comments-area", "").comments);
        assert!(!classify("comment-body", "").comments);
        assert!(classify("wp-caption-text", "").caption);
        assert!(classify("", "share-bar").share);
        assert!(classify("byline", "").byline);
        assert_eq!(classify("", ""), ClassInfo::default());
    }
}
