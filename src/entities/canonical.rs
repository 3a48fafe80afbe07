//! Canonical names for tagged spans: trimming (titles, possessives, punctuation), dropping spans
//! that are never names, linking "Full Name (ACR)" acronyms, resolving short mentions to the full
//! name used in the same text ("Bukele" → "Nayib Bukele"), and a shipped alias table
//! ("U.S.", "US", "USA" → "United States").

use std::collections::BTreeMap;
use std::sync::LazyLock;

use rustc_hash::{FxHashMap as HashMap, FxHashSet};

use super::acronyms::link_acronyms;
use super::aliases::Aliases;
use super::stoplists::{
    CURRENCIES, FAITHS, GENERIC_ORG_NOUNS, HONORIFICS, LEGAL_FORMS, LONE_ADJECTIVES, LONE_TITLES,
    NEVER, ORG_ENDINGS, PLACE_ENDINGS, SPLIT_COMPOUNDS, STORM_CUES, SURNAME_TITLES, TIME_ZONES,
    TITLES, TRAILING_ROLES, US_STATES, WORK_CUES,
};
use super::tokenize::{tokenize, Token};
use crate::model::{EntityKind, Mention};

fn is_punct_token(t: &str) -> bool {
    !t.chars().any(char::is_alphanumeric)
}

/// A hyphenated word whose last part is lower case ("London-based", "Brackwater-born").
fn is_modifier(t: &str) -> bool {
    t.rsplit_once('-').is_some_and(|(head, tail)| {
        !head.is_empty() && !tail.is_empty() && tail.chars().all(char::is_lowercase)
    })
}

fn is_possessive(t: &str) -> bool {
    matches!(t, "'s" | "’s" | "'S" | "’S")
}

/// Working copy of one mention.
pub(super) struct Cand {
    pub(super) kind: EntityKind,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Words of the name (normalised spacing).
    pub(super) words: Vec<String>,
    pub(super) name: String,
}

/// Trims a tagged span: leading/trailing punctuation and possessives, and for persons leading
/// titles. Returns the new byte range and the words, or `None` when nothing is left.
fn trim(
    text: &str,
    start: usize,
    end: usize,
    kind: EntityKind,
) -> Option<(usize, usize, Vec<String>)> {
    let span = text.get(start..end)?;
    let mut toks: Vec<Token> = tokenize(span);
    // Punctuation, possessives and trailing roles ("Tory MP", "Labour MEPs") are not the name;
    // at least one word stays.
    while toks.last().is_some_and(|t| {
        let w = t.text(span);
        is_punct_token(w) || is_possessive(w) || (toks.len() > 1 && TRAILING_ROLES.contains(&w))
    }) {
        toks.pop();
    }
    let mut first = 0;
    // Punctuation, and modifiers glued to the name ("London-based Barclays", "Brackwater-born
    // Selma Varn": a hyphenated word ending in lower case), are not the name.
    while first + 1 < toks.len() && is_modifier(toks[first].text(span)) {
        first += 1;
    }
    while first < toks.len() && is_punct_token(toks[first].text(span)) {
        first += 1;
    }
    // "The New York Times" at the start of a sentence is the "New York Times" of "said the New
    // York Times": one organisation, one name (places keep theirs: "The Hague").
    if kind == EntityKind::Organization
        && first + 1 < toks.len()
        && toks[first].text(span).eq_ignore_ascii_case("the")
    {
        first += 1;
    }
    if kind == EntityKind::Person {
        // Strip leading titles, but keep at least one word that is not a title.
        let is_title = |t: &Token| listed(t.text(span), &TITLE_SET);
        let mut k = first;
        while k < toks.len() && (is_title(&toks[k]) || is_punct_token(toks[k].text(span))) {
            k += 1;
        }
        if k < toks.len() {
            first = k;
        } else if toks.len() == first + 2
            && listed(toks[first].text(span), &PLAIN_ADDRESS_SET)
            && listed(toks[first + 1].text(span), &SURNAME_TITLE_SET)
        {
            // "Mr King", "Mr King's": the title is the surname.
            first += 1;
        }
    }
    let toks = toks.get(first..)?;
    let (a, b) = (toks.first()?.start, toks.last()?.end);
    let words = span
        .get(a..b)?
        .split_whitespace()
        .map(|w| w.replace('’', "'"))
        .collect();
    Some((start + a, start + b, words))
}

/// A word list as a set, for lookups that run for every tagged span.
type WordSet = LazyLock<FxHashSet<&'static [u8]>>;

fn word_set(words: &'static [&'static str]) -> FxHashSet<&'static [u8]> {
    words.iter().map(|w| w.as_bytes()).collect()
}

static TITLE_SET: WordSet = LazyLock::new(|| word_set(TITLES));
static HONORIFIC_SET: WordSet = LazyLock::new(|| word_set(HONORIFICS));
static SURNAME_TITLE_SET: WordSet = LazyLock::new(|| word_set(SURNAME_TITLES));
static FAITH_SET: WordSet = LazyLock::new(|| word_set(FAITHS));
static TIME_ZONE_SET: WordSet = LazyLock::new(|| word_set(TIME_ZONES));
static CURRENCY_SET: WordSet = LazyLock::new(|| word_set(CURRENCIES));
static GENERIC_ORG_SET: WordSet = LazyLock::new(|| {
    LONE_ADJECTIVES
        .iter()
        .chain(GENERIC_ORG_NOUNS)
        .map(|w| w.as_bytes())
        .collect()
});
static WORK_CUE_SET: WordSet = LazyLock::new(|| word_set(WORK_CUES));
static BAND_CUE_SET: WordSet = LazyLock::new(|| word_set(&["band"]));
static STORM_CUE_SET: WordSet = LazyLock::new(|| word_set(STORM_CUES));
static LONE_TITLE_SET: WordSet = LazyLock::new(|| word_set(LONE_TITLES));
static NEVER_SET: WordSet = LazyLock::new(|| word_set(NEVER));
static PLAIN_ADDRESS_SET: WordSet =
    LazyLock::new(|| word_set(&["mr", "mrs", "ms", "miss", "mister"]));

/// True when `word`, lower-cased and without a trailing period or comma, is in `set`. Short
/// ASCII words (all but a few) are lower-cased on the stack.
fn listed(word: &str, set: &WordSet) -> bool {
    in_set(word.trim_end_matches(['.', ',']), set)
}

/// True when `word`, lower-cased, is in `set`.
fn in_set(word: &str, set: &WordSet) -> bool {
    let mut buf = [0u8; 24];
    match buf.get_mut(..word.len()) {
        Some(lower) if word.is_ascii() => {
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            set.contains(&*lower)
        }
        _ => set.contains(word.to_lowercase().as_bytes()),
    }
}

/// True when `span` opens with a form of address ("Lord", "Mr.") and, after any capitalised
/// titles, a capitalised word: "Lord Goldsmith" and "Mr Justice Eady" name persons; "Lord
/// Chancellor" is an office and "Lord of the Rings" a film.
fn addresses_a_person(span: &str) -> bool {
    let mut words = span.split_whitespace();
    if !words.next().is_some_and(|w| listed(w, &HONORIFIC_SET)) {
        return false;
    }
    addressed_surname(span)
        || words
            .find(|w| !w.starts_with(char::is_uppercase) || !listed(w, &TITLE_SET))
            .is_some_and(|w| w.starts_with(char::is_uppercase))
}

/// True when `span` is two or more words, each a title or form of address ("Lord Chancellor",
/// "Foreign Secretary", "Prime Minister"): an office, not someone or something to filter on.
/// A single such word may be a surname ("King", "Major") and is left to the other rules.
fn names_an_office(span: &str) -> bool {
    let mut words = span.split_whitespace();
    words.clone().nth(1).is_some()
        && words.all(|w| listed(w, &TITLE_SET) || listed(w, &HONORIFIC_SET))
        && !addressed_surname(span)
}

/// True for "Mr Major", "Mrs King": a plain form of address and one title that is also a
/// surname ([`SURNAME_TITLES`]).
fn addressed_surname(span: &str) -> bool {
    let mut words = span.split_whitespace();
    let (Some(address), Some(surname), None) = (words.next(), words.next(), words.next()) else {
        return false;
    };
    listed(address, &PLAIN_ADDRESS_SET) && listed(surname, &SURNAME_TITLE_SET)
}

/// True for quantities that look like names to the tagger ("35C", "100F", "12.5C").
fn is_measure(w: &str) -> bool {
    let rest = w.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
    rest.len() < w.len() && matches!(rest, "C" | "F" | "K" | "°C" | "°F" | "°")
}

/// Title-cases an ALL-CAPS word longer than four letters ("BUKELE" → "Bukele"); acronyms stay.
fn soften_caps(w: &str) -> String {
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    if letters > 4 && !w.chars().any(char::is_lowercase) {
        let mut out = String::with_capacity(w.len());
        let mut first = true;
        for c in w.chars() {
            if first && c.is_alphabetic() {
                out.push(c);
                first = false;
            } else {
                out.extend(c.to_lowercase());
                if !c.is_alphabetic() {
                    first = true;
                }
            }
        }
        out
    } else {
        w.to_string()
    }
}

fn lower_words(words: &[String]) -> Vec<String> {
    words.iter().map(|w| w.to_lowercase()).collect()
}

/// A company's name without its legal form ("Castellan Freight Ltd", "Acme, Inc.", "Smith & Co"
/// → "Castellan Freight", "Acme", "Smith"): articles name a company with and without it, and
/// one company should be one facet value. At least one word stays.
fn without_legal_form(name: &str) -> &str {
    let mut rest = name;
    while let Some((head, last)) = rest.rsplit_once(' ') {
        // "and" or "&" left at the end joined the legal form: "Goldman, Sachs and Co".
        let joiner = last == "&" || last.eq_ignore_ascii_case("and");
        if head.is_empty() || !(is_legal_form(last) || joiner) {
            break;
        }
        rest = head.trim_end_matches([',', ' ']);
    }
    if rest.is_empty() {
        name
    } else {
        rest
    }
}

/// A person's name with a period after each middle initial ("George W Bush" → "George W.
/// Bush"), or `None` when it has none without one: copy that drops the period (BBC: "George W
/// Bush" in 26 articles, "George W. Bush" in 1) names the same person. A last or only word
/// stays as written ("Malcolm X").
fn dot_middle_initials(name: &str) -> Option<String> {
    // A middle initial is " X " inside the name: most names have none, and cost no allocation.
    let spaced_capital = |w: &[u8]| w[0] == b' ' && w[1].is_ascii_uppercase() && w[2] == b' ';
    if !name.as_bytes().windows(3).any(spaced_capital) {
        return None;
    }
    let initial = |w: &str| w.len() == 1 && w.bytes().all(|b| b.is_ascii_uppercase());
    let words: Vec<&str> = name.split(' ').collect();
    let last = words.len() - 1;
    let dotted: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| match i > 0 && i < last && initial(w) {
            true => format!("{w}."),
            false => (*w).to_string(),
        })
        .collect();
    Some(dotted.join(" "))
}

/// Whether an organisation is a minister's brief ("the Minister for Ports and Transport",
/// "minister of Trade and Industry"). The organisation that brief names is the ministry, which
/// articles also call by its own name ("Ministry of Ports and Transport"): one facet, not two.
/// A "Minister of State for…" is a junior minister, not a ministry of state: that span is left,
/// as is one already named as a ministry.
fn is_ministers_brief(text: &str, cand: &Cand) -> bool {
    let named_otherwise = cand.words.first().is_none_or(|first| {
        ["ministry", "state"]
            .iter()
            .any(|w| first.eq_ignore_ascii_case(w))
    });
    if cand.kind != EntityKind::Organization || named_otherwise {
        return false;
    }
    after_minister(text, cand.start)
}

/// True when the text before `start` ends "minister(s) for" or "minister(s) of".
fn after_minister(text: &str, start: usize) -> bool {
    let Some(before) = text.get(..start) else {
        return false;
    };
    let Some((head, preposition)) = before.trim_end().rsplit_once(char::is_whitespace) else {
        return false;
    };
    if !matches!(preposition, "for" | "of") {
        return false;
    }
    let title = head
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("");
    title.eq_ignore_ascii_case("minister") || title.eq_ignore_ascii_case("ministers")
}

/// True when the "Bill" at `start` follows "the" or a capitalised word inside a sentence: a law
/// in the making ("the Bill passes", "the Gambling Bill"), which British copy writes with a
/// capital and the tagger took for a person (BBC politics: 17 articles), not someone called Bill.
fn names_a_law(text: &str, start: usize) -> bool {
    let before = text.get(..start).unwrap_or("").trim_end();
    let (head, previous) = before
        .rsplit_once(char::is_whitespace)
        .unwrap_or(("", before));
    if previous.eq_ignore_ascii_case("the") {
        return true;
    }
    let opens_sentence = head.trim_end().is_empty() || head.trim_end().ends_with(['.', '!', '?']);
    !opens_sentence
        && previous.starts_with(char::is_uppercase)
        && previous.chars().all(|c| c.is_alphabetic() || c == '-')
}

/// Where a span that runs on past a legal form written with a period ends: "Peabody and Co
/// Inc. Donaldson" ends at "Inc." — the period kept with the abbreviation hid the sentence end
/// from the tagger. "Co. Ltd" runs on: a legal form may follow another.
fn end_at_legal_period(text: &str, start: usize, end: usize) -> usize {
    let Some(span) = text.get(start..end) else {
        return end;
    };
    if !span.contains('.') {
        return end;
    }
    let mut words = span
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - span.as_ptr() as usize, w))
        .peekable();
    while let Some((at, word)) = words.next() {
        let Some(&(_, next)) = words.peek() else {
            break;
        };
        if word.ends_with('.')
            && is_legal_form(word)
            && next.starts_with(char::is_uppercase)
            && !is_legal_form(next)
        {
            return start + at + word.len();
        }
    }
    end
}

/// The US state a lone postal code or AP abbreviation names when it follows "Place, " ("Los
/// Angeles, CA", "SPRINGFIELD, Ill.", "Dallas, TX"): codes match in capitals only, abbreviations
/// with or without their periods ("N.J.").
fn us_state_after_a_place(text: &str, start: usize, words: &[String]) -> Option<&'static str> {
    let [word] = words else {
        return None;
    };
    let before = text.get(..start)?.strip_suffix(", ")?;
    let place = before.rsplit(char::is_whitespace).next()?;
    if !place.starts_with(char::is_uppercase) {
        return None;
    }
    let bare: String = word.chars().filter(|&c| c != '.').collect();
    US_STATES
        .iter()
        .find(|(code, abbreviation, _)| bare == *code || bare == *abbreviation)
        .map(|(_, _, name)| *name)
}

/// Turns tagged spans of `text` into mentions with canonical names.
pub fn resolve(
    text: &str,
    spans: &[(usize, usize, EntityKind)],
    aliases: &Aliases,
) -> Vec<Mention> {
    let mut cands: Vec<Cand> = Vec::with_capacity(spans.len());
    for &(s, e, kind) in spans {
        let e = end_at_legal_period(text, s, e);
        let span = text.get(s..e).unwrap_or_default();
        if names_an_office(span) && !after_minister(text, s) {
            continue;
        }
        let kind = if addresses_a_person(span) {
            EntityKind::Person
        } else if kind == EntityKind::Person && names_a_firm(span) {
            EntityKind::Organization
        } else {
            kind
        };
        let Some((start, end, words)) = trim(text, s, e, kind) else {
            continue;
        };
        if words.len() == 1
            && (in_set(words[0].trim_end_matches('.'), &NEVER_SET) || is_measure(&words[0]))
        {
            continue;
        }
        if kind == EntityKind::Person && words == ["Bill"] && names_a_law(text, start) {
            continue;
        }
        let (kind, name) = match us_state_after_a_place(text, start, &words) {
            Some(state) => (EntityKind::Place, state.to_string()),
            None => (kind, words.join(" ")),
        };
        cands.push(Cand {
            kind,
            start,
            end,
            words,
            name,
        });
    }
    link_acronyms(text, &mut cands);
    resolve_short_names(&mut cands);
    resolve_short_orgs(&mut cands);
    resolve_org_heads(&mut cands);
    correct_persons(&mut cands);
    resolve_first_names(&mut cands);
    // Only names in capitals take spellings: most texts have none, and need no table.
    let spellings = match cands
        .iter()
        .any(|c| !c.name.chars().any(char::is_lowercase))
    {
        true => mixed_case_spellings(&cands),
        false => HashMap::default(),
    };
    for c in &mut cands {
        if let [word] = c.words.as_slice() {
            if listed(word, &FAITH_SET) || listed(word, &TIME_ZONE_SET) {
                c.kind = EntityKind::Misc;
            }
        }
        if c.kind == EntityKind::Organization && c.words.len() > 1 {
            // Laws and treaties are "misc" (CoNLL convention), whatever the tagger said.
            let last = c.words.last().map(|w| w.to_lowercase()).unwrap_or_default();
            if matches!(
                last.as_str(),
                "act" | "treaty" | "accord" | "accords" | "doctrine"
            ) {
                c.kind = EntityKind::Misc;
            }
        }
        if !c.name.chars().any(char::is_lowercase) {
            c.name = c
                .name
                .split(' ')
                .map(|w| match spellings.get(&w.to_lowercase()) {
                    Some(spelled) => spelled.clone(),
                    None => soften_caps(w),
                })
                .collect::<Vec<_>>()
                .join(" ");
        }
        if c.kind == EntityKind::Organization {
            let plain = without_legal_form(&c.name);
            if plain.len() < c.name.len() {
                c.name = plain.to_string();
            }
            if text.get(c.start..c.end).is_some_and(is_partnership) {
                // "Kidder, Peabody and Co" is known as "Kidder Peabody".
                c.name = c.name.replacen(", ", " ", 1);
            }
        }
        if c.kind == EntityKind::Person {
            if let Some(dotted) = dot_middle_initials(&c.name) {
                c.name = dotted;
            }
        }
        if is_ministers_brief(text, c) && !c.name.starts_with("Ministry ") {
            c.name = format!("Ministry of {}", c.name);
        }
        if let Some(a) = aliases.get(&c.name) {
            c.name = a.to_string();
        }
    }
    type_named_works(text, &mut cands);
    add_known_names(text, &mut cands, aliases);
    join_partnerships(text, &mut cands, aliases);
    join_split_names(text, &mut cands);
    agree_on_kinds(&mut cands, aliases);
    cands
        .into_iter()
        .filter(|c| !names_nothing(c) && !signs_off(text, c))
        .filter_map(|c| {
            Some(Mention {
                kind: c.kind,
                start: c.start,
                end: c.end,
                text: text.get(c.start..c.end)?.to_string(),
                name: c.name,
            })
        })
        .collect()
}

/// A name the text introduces as a work ("the film Vera Drake", "his novel Harry Potter") or a
/// storm ("Hurricane Dorian") is misc wherever the text uses it, and one it introduces as a
/// band ("the band Franz Ferdinand") an organisation: the tagger reads such names as people.
/// Only persons are retyped, so "the film Hollywood" stays a place, and only names the cue
/// itself introduces, so "the film Ray" does not retype the "Ray Charles" it was resolved to.
fn type_named_works(text: &str, cands: &mut [Cand]) {
    let mut retyped: HashMap<String, EntityKind> = HashMap::default();
    for c in cands.iter().filter(|c| c.kind == EntityKind::Person) {
        let cue = word_before(text, c.start);
        let kind = if listed(cue, &WORK_CUE_SET) || listed(cue, &STORM_CUE_SET) {
            EntityKind::Misc
        } else if listed(cue, &BAND_CUE_SET) {
            EntityKind::Organization
        } else {
            continue;
        };
        // "the film Ray", resolved to the "Ray Charles" of the article, leaves him a person.
        if c.words.join(" ") != c.name {
            continue;
        }
        retyped.insert(c.name.clone(), kind);
    }
    if retyped.is_empty() {
        return;
    }
    for c in cands.iter_mut().filter(|c| c.kind == EntityKind::Person) {
        if let Some(&kind) = retyped.get(&c.name) {
            c.kind = kind;
        }
    }
}

/// The word right before byte `at` of `text` (on the same line), or "".
fn word_before(text: &str, at: usize) -> &str {
    let before = text
        .get(..at)
        .unwrap_or_default()
        .trim_end_matches([' ', '\t']);
    let start = before
        .rfind(|ch: char| !ch.is_alphanumeric())
        .map_or(0, |i| {
            i + before[i..].chars().next().map_or(1, char::len_utf8)
        });
    &before[start..]
}

/// Mentions of names the alias table marks as always names ("MS-13"), where the tagger missed
/// them or split them: a tagged mention lying wholly inside one ("Wagner" and "Brown" of "Wagner
/// and Brown", "Richter" of "Richter scale") gives way to it. One that reaches outside it is a
/// longer name and stands.
fn add_known_names(text: &str, cands: &mut Vec<Cand>, aliases: &Aliases) {
    let before = cands.len();
    // Taken ranges, start → end. They never overlap, so those overlapping [start, end) are the
    // last ones starting before `end`: a lookup, not a scan of every mention (which made an
    // article with many names quadratic).
    let mut taken: BTreeMap<usize, usize> = cands.iter().map(|c| (c.start, c.end)).collect();
    let mut replaced: FxHashSet<(usize, usize)> = FxHashSet::default();
    for (start, mut end, name, kind) in aliases.find_exact(text) {
        let inside: Vec<(usize, usize)> = taken
            .range(..end)
            .rev()
            .take_while(|(_, &taken_end)| taken_end > start)
            .map(|(&s, &e)| (s, e))
            .collect();
        // "Donaldson, Lufkin and Jenrette" + "Jenrette Securities Corp": the firm's name runs
        // on. A tagged name starting where it starts ("ISIS Caliphate") is a longer name.
        let runs_on = |&(s, e): &(usize, usize)| {
            kind == EntityKind::Organization
                && s > start
                && e > end
                && cands[..before]
                    .iter()
                    .any(|c| (c.start, c.end) == (s, e) && c.kind == EntityKind::Organization)
        };
        if let Some(&(_, e)) = inside.first().filter(|last| runs_on(last)) {
            end = e;
        }
        if inside.iter().any(|&(s, e)| s < start || e > end) {
            continue;
        }
        for range in inside {
            taken.remove(&range.0);
            replaced.insert(range);
        }
        taken.insert(start, end);
        let words = text[start..end]
            .split_whitespace()
            .map(str::to_string)
            .collect();
        cands.push(Cand {
            kind,
            start,
            end,
            words,
            name: name.to_string(),
        });
    }
    if !replaced.is_empty() {
        let mut k = 0;
        cands.retain(|c| {
            k += 1;
            k > before || !replaced.contains(&(c.start, c.end))
        });
    }
    if cands.len() > before || !replaced.is_empty() {
        cands.sort_by_key(|c| (c.start, c.end));
    }
}

/// One type per name within a text: the alias table's type when it has one, else the type most
/// mentions of that name were tagged with (when there is a strict majority; a person loses a tie
/// with a place or an organisation).
fn agree_on_kinds(cands: &mut [Cand], aliases: &Aliases) {
    let mut votes: HashMap<&str, [usize; 4]> = HashMap::default();
    let idx = |k: EntityKind| match k {
        EntityKind::Person => 0,
        EntityKind::Organization => 1,
        EntityKind::Place => 2,
        EntityKind::Misc => 3,
    };
    for c in cands.iter() {
        votes.entry(c.name.as_str()).or_default()[idx(c.kind)] += 1;
    }
    let kinds = [
        EntityKind::Person,
        EntityKind::Organization,
        EntityKind::Place,
        EntityKind::Misc,
    ];
    let decided: HashMap<&str, EntityKind> = votes
        .into_iter()
        .filter_map(|(name, v)| {
            if let Some(k) = aliases.kind(name) {
                return Some((name, k));
            }
            let mut v = v;
            // A name this text also calls a place or an organisation, at least as often, is
            // not a person ("Lindmark" the town, tagged a person once).
            let unseated = v[0] > 0 && (v[1] >= v[0] || v[2] >= v[0]);
            if unseated {
                v[0] = 0;
            }
            let best = (0..4).max_by_key(|&k| (v[k], std::cmp::Reverse(k)))?;
            let strict = (0..4).all(|k| k == best || v[k] < v[best]);
            // An unseated person takes the most common other type even on a tie (organisation,
            // then place, then misc): left a person, it would stay the one wrong reading.
            (unseated || strict && v.iter().filter(|&&x| x > 0).count() > 1)
                .then_some((name, kinds[best]))
        })
        .collect();
    if decided.is_empty() {
        return;
    }
    let kinds: Vec<Option<EntityKind>> = cands
        .iter()
        .map(|c| decided.get(c.name.as_str()).copied())
        .collect();
    for (c, kind) in cands.iter_mut().zip(kinds) {
        if let Some(kind) = kind {
            c.kind = kind;
        }
    }
}

/// "Persons" that cannot be people, as the tagger calls many names it has never seen: a name
/// ending in a place or organisation word ("Kessel Quay", "Lindmark Athletic") takes that type,
/// and a lone word that begins an organisation named in the same text, the rest of whose name
/// says organisation ("Lumenwright" after "Lumenwright Systems"), is that organisation. A
/// wrong person facet is worse than none.
fn correct_persons(cands: &mut [Cand]) {
    let ends_in = |c: &Cand, words: &[&str]| {
        c.words
            .last()
            .is_some_and(|last| words.iter().any(|w| last.eq_ignore_ascii_case(w)))
    };
    let mut short_orgs: HashMap<String, Vec<String>> = HashMap::default();
    for c in cands.iter_mut().filter(|c| c.words.len() >= 2) {
        if c.kind == EntityKind::Person {
            if ends_in(c, PLACE_ENDINGS) {
                c.kind = EntityKind::Place;
            } else if ends_in(c, ORG_ENDINGS) {
                c.kind = EntityKind::Organization;
            }
        }
        if c.kind == EntityKind::Organization && c.words.len() == 2 && ends_in(c, ORG_ENDINGS) {
            add_owner(&mut short_orgs, &c.words[0], &c.name);
        }
    }
    resolve_lone_persons(cands, &short_orgs, Some(EntityKind::Organization));
    let lone_person =
        |c: &Cand| c.kind == EntityKind::Person && c.words.len() == 1 && !c.name.contains(' ');
    if cands.iter().any(lone_person) {
        let firms = org_edge_words(cands);
        resolve_lone_persons(cands, &firms, Some(EntityKind::Organization));
    }
}

/// The first and last capitalised words of each firm's name (legal form aside), with the names
/// they may stand for: a lone "person" that begins or ends exactly one firm of the text is that
/// firm ("Kodak said" after "Eastman Kodak Co", "Salomon" after "Salomon Brothers Inc", "Lilly"
/// after "Eli Lilly and Co"). Firms only (a legal form, or partners joined by "and"): "Reagan"
/// beside the "Reagan Administration" is still the president.
fn org_edge_words(cands: &[Cand]) -> HashMap<String, Vec<String>> {
    let mut owners = HashMap::default();
    for c in cands
        .iter()
        .filter(|c| c.kind == EntityKind::Organization && c.words.len() >= 2)
    {
        let plain = without_legal_form(&c.name);
        let partners = c.words.iter().any(|w| w == "and" || w == "&");
        if plain.len() == c.name.len() && !partners {
            continue;
        }
        let (Some(first), Some(last)) = (plain.split(' ').next(), plain.rsplit(' ').next()) else {
            continue;
        };
        for word in [first, last] {
            if word.chars().next().is_some_and(char::is_uppercase) {
                add_owner(&mut owners, word, &c.name);
            }
        }
    }
    owners
}

/// Records `name` as one of the names that `word` (any case) may stand for.
/// Spellings that differ only in case ("NAYIB BUKELE" in a headline) are one name, kept in
/// mixed case when the text has it.
fn add_owner(owners: &mut HashMap<String, Vec<String>>, word: &str, name: &str) {
    let names = owners.entry(word.to_lowercase()).or_default();
    match names.iter_mut().find(|n| n.eq_ignore_ascii_case(name)) {
        Some(known) if !known.chars().any(char::is_lowercase) => *known = name.to_string(),
        Some(_) => {}
        None => names.push(name.to_string()),
    }
}

/// Each lone word still called a person (a surname resolved before has a longer name) that
/// stands for exactly one name in `owners` takes that name, and `kind` when given. A word the
/// text also names on its own as something else ("Lindmark" the town, beside "Lindmark
/// Athletic" or the "Lindmark Ledger" taken for a person) is left to the vote on types.
fn resolve_lone_persons(
    cands: &mut [Cand],
    owners: &HashMap<String, Vec<String>>,
    kind: Option<EntityKind>,
) {
    if owners.is_empty() {
        return;
    }
    let named_alone: Vec<String> = cands
        .iter()
        .filter(|c| c.kind != EntityKind::Person && c.words.len() == 1)
        .map(|c| c.words[0].to_lowercase())
        .collect();
    for c in cands.iter_mut() {
        if c.kind != EntityKind::Person || c.words.len() != 1 || c.name.contains(' ') {
            continue;
        }
        let word = c.words[0].to_lowercase();
        if named_alone.contains(&word) {
            continue;
        }
        if let Some([full]) = owners.get(&word).map(Vec::as_slice) {
            c.name = full.clone();
            c.kind = kind.unwrap_or(c.kind);
        }
    }
}

/// A mention whose words end a longer name of the same type in this text takes that name, when
/// exactly one such name exists ("Bukele" → "Nayib Bukele"; "Smith" stays when two Smiths appear).
fn resolve_short_names(cands: &mut [Cand]) {
    // Every distinct full person name by each of its shorter endings ("bukele" → "Nayib
    // Bukele"), and by its own lower-case words: lookups instead of comparing each mention with
    // every full name, which made an article with many names quadratic.
    let mut by_ending: HashMap<Vec<String>, Vec<String>> = HashMap::default();
    let mut by_words: HashMap<Vec<String>, String> = HashMap::default();
    for c in cands
        .iter()
        .filter(|c| c.words.len() >= 2 && c.kind == EntityKind::Person)
    {
        let words = lower_words(&c.words);
        for k in 1..words.len() {
            let names = by_ending.entry(words[k..].to_vec()).or_default();
            if !names.contains(&c.name) {
                names.push(c.name.clone());
            }
        }
        if c.name.chars().any(char::is_lowercase) {
            by_words.entry(words).or_insert_with(|| c.name.clone());
        }
    }
    if by_ending.is_empty() {
        return;
    }
    for c in cands.iter_mut() {
        // Another type only for a lone surname the tagger got wrong ("Bukele went on X").
        if c.kind != EntityKind::Person && c.words.len() != 1 {
            continue;
        }
        let lw = lower_words(&c.words);
        if let Some([full]) = by_ending.get(&lw).map(Vec::as_slice) {
            c.name = full.clone();
            c.kind = EntityKind::Person;
        } else if c.kind != EntityKind::Person {
            continue;
        } else if lw.len() >= 2 {
            // A case variant of a full name ("NAYIB BUKELE") takes its mixed-case spelling.
            if let Some(full) = by_words.get(&lw) {
                c.name = full.clone();
            }
        }
    }
}

/// A lone person's name still unresolved that begins exactly one full person name in the text
/// takes it: features and sports copy go on with the first name ("David Mackay … David said";
/// BBC had the person "David" in 19 articles). Runs once persons are corrected, so that
/// "Lindmark Athletic", first tagged a person, is no first name's owner.
fn resolve_first_names(cands: &mut [Cand]) {
    let mut by_first: HashMap<String, Vec<String>> = HashMap::default();
    for c in cands
        .iter()
        .filter(|c| c.words.len() >= 2 && c.kind == EntityKind::Person)
    {
        add_owner(&mut by_first, &c.words[0], &c.name);
    }
    resolve_lone_persons(cands, &by_first, None);
}

/// A name that names nothing once resolution is done: one letter ("S" and "P" of "S/P"), a legal
/// form alone ("INC" where a headline's company name was missed; tagged a person too: "Corp" in
/// 17 Reuters articles), or an organisation that is,
/// written in capitals, only an adjective that begins company names ("UNITED" of "UNITED
/// AIRLINES"). Reuters had 331 articles with the organisation "Inc" and 107 with "S"; the
/// adjectives took "United" from 190 to 171 (most of the rest were "the United\nStates"). A
/// person that is only a role ("Mayor", [`LONE_TITLES`]) names no one either.
fn names_nothing(c: &Cand) -> bool {
    let org = c.kind == EntityKind::Organization;
    let lone_capitals = match c.words.as_slice() {
        [word] => !word.chars().any(char::is_lowercase) && c.name.eq_ignore_ascii_case(word),
        _ => false,
    };
    // A person named by one listed word and resolved to no longer name.
    let lone_person_in = |set: &WordSet| match c.words.as_slice() {
        [word] => {
            c.kind == EntityKind::Person && word.eq_ignore_ascii_case(&c.name) && listed(word, set)
        }
        _ => false,
    };
    c.name.trim_end_matches('.').chars().count() <= 1
        || lone_person_in(&CURRENCY_SET)
        || lone_person_in(&LONE_TITLE_SET)
        || is_legal_form(&c.name)
        || (org && lone_capitals && LONE_ADJECTIVES.contains(&c.name.to_lowercase().as_str()))
}

/// A one-word organisation alone at the very end of a text, on a line or after a gap of its
/// own and with no full stop, is a wire service's sign-off ("… the company said.\n Reuter"),
/// not something the article is about: Reuters-21578 had the organisation "Reuters" in 5,060
/// of 21,578 articles, most of them from that last word alone. A sentence that a hard-wrapped
/// line ends on a name ("rated B-plus by\nMoody's.") has its full stop after it.
fn signs_off(text: &str, c: &Cand) -> bool {
    let (Some(before), Some(after)) = (text.get(..c.start), text.get(c.end..)) else {
        return false;
    };
    let line = before.trim_end_matches([' ', '\t']);
    let on_its_own = line.ends_with('\n') || before.len() - line.len() >= 2;
    c.kind == EntityKind::Organization
        && c.words.len() == 1
        && on_its_own
        && !line.trim().is_empty()
        && after
            .chars()
            .all(|ch| ch.is_whitespace() || ch.is_control())
}

/// "Inc", "Ltd.", "GmbH"…, in any case.
fn is_legal_form(word: &str) -> bool {
    let word = word.trim_end_matches(['.', ',']);
    LEGAL_FORMS.iter().any(|f| word.eq_ignore_ascii_case(f))
}

/// Joins a partnership's name that the tagger split at its comma: "Kidder" + ", " + "Peabody
/// and Co" is the organisation "Kidder Peabody" (Reuters had the person "Kidder" in 41
/// articles, "Sears" and "Dillon" likewise). Only names that end "and Co", "and Company" or
/// "and Sons" are joined: "Smith, Jones and Brown" may be three people. A name split at its
/// "and" is joined too, whatever came before but a place: "Brown" + " and " + "Sons Inc" is
/// "Brown and Sons", "Samuel Montagu" + " and " + "Sons Ltd" is "Samuel Montagu and Sons"
/// (Reuters had the person "Brown" from "Alex. Brown and Sons Inc", and the organisation
/// "Sons" in 39 articles). Then every firm's name is a firm wherever the text uses it
/// ([`spread_firm_names`]).
fn join_partnerships(text: &str, cands: &mut Vec<Cand>, aliases: &Aliases) {
    // Heads of more than one word joined to "and Sons": "Joseph E. Seagram" alone is the firm too.
    let mut heads: HashMap<String, Vec<String>> = HashMap::default();
    let mut i = 1;
    while i < cands.len() {
        let (a, b) = (&cands[i - 1], &cands[i]);
        let between = text.get(a.end..b.start).unwrap_or("");
        let org_span = (b.kind == EntityKind::Organization)
            .then(|| text.get(b.start..b.end))
            .flatten();
        let comma = between == ", " && org_span.is_some_and(is_partnership_tail);
        let kin =
            is_joiner(between) && a.kind != EntityKind::Place && org_span.is_some_and(is_kin_tail);
        if !((comma && a.words.len() == 1) || kin) {
            i += 1;
            continue;
        }
        let first = cands.remove(i - 1);
        let second = &mut cands[i - 1];
        let joiner = if kin { between.trim() } else { "," };
        let head = (kin && first.words.len() >= 2).then(|| first.name.clone());
        join_names(first, second, joiner, aliases);
        if let Some(head) = head {
            add_owner(&mut heads, &head, &second.name);
        }
    }
    let persons = cands
        .iter_mut()
        .filter(|c| !heads.is_empty() && c.kind == EntityKind::Person);
    for c in persons {
        if let Some([firm]) = heads.get(&c.name.to_lowercase()).map(Vec::as_slice) {
            c.kind = EntityKind::Organization;
            c.name = firm.clone();
        }
    }
    spread_firm_names(text, cands);
}

/// Makes `second` the name that `first`, `joiner` (a comma, "and" or "&") and `second` spell,
/// without its legal form and through the alias table: "Kidder" + "," + "Peabody" is "Kidder
/// Peabody", "Brown" + "and" + "Sons" is "Brown and Sons".
fn join_names(first: Cand, second: &mut Cand, joiner: &str, aliases: &Aliases) {
    let tail = format!(" {joiner} {}", second.name);
    let name = match joiner {
        "," => format!("{} {}", first.name, second.name),
        // The alias table named "Alex. Brown" by the firm's full style already.
        _ if first.name.ends_with(&tail) => first.name.clone(),
        _ => format!("{}{tail}", first.name),
    };
    let name = without_legal_form(&name).to_string();
    second.name = aliases.get(&name).map_or(name, str::to_string);
    second.start = first.start;
    let mut words = first.words;
    match (joiner, words.last_mut()) {
        (",", Some(last)) => last.push(','),
        _ => words.push(joiner.to_string()),
    }
    words.append(&mut second.words);
    second.words = words;
}

/// A firm's name ("Kidder Peabody and Co Inc", or "Kidder Peabody" right before "and Co", where
/// the tagger stopped at "and") names the firm wherever the text uses it, and a partnership's
/// first word alone ("Kidder") is the firm too.
fn spread_firm_names(text: &str, cands: &mut [Cand]) {
    let firm_names: Vec<String> = cands
        .iter()
        .filter(|c| {
            let firm = c.kind == EntityKind::Organization
                && text.get(c.start..c.end).is_some_and(names_a_firm);
            c.words.len() > 1 && (firm || ends_before_and_co(text, c.end))
        })
        .map(|c| c.name.clone())
        .collect();
    for c in cands.iter_mut() {
        if c.kind == EntityKind::Person && firm_names.contains(&c.name) {
            c.kind = EntityKind::Organization;
        }
    }
    let mut firms: HashMap<String, Vec<String>> = HashMap::default();
    for c in cands.iter() {
        let partnership = c.kind == EntityKind::Organization
            && (text.get(c.start..c.end).is_some_and(is_partnership)
                || firm_names.contains(&c.name));
        if let (true, Some(first)) = (partnership, c.words.first()) {
            add_owner(&mut firms, first.trim_end_matches(','), &c.name);
        }
    }
    resolve_lone_persons(cands, &firms, Some(EntityKind::Organization));
}

/// "and Co", "& Co.", "and Company", "and Sons" (any case).
fn is_and_co(joiner: &str, kin: &str) -> bool {
    (joiner == "&" || joiner.eq_ignore_ascii_case("and"))
        && ["co", "company", "sons"].iter().any(|k| {
            kin.trim_end_matches(['.', ',', ';'])
                .eq_ignore_ascii_case(k)
        })
}

/// "Kidder Peabody and Co Inc", "Smith & Sons", "Acme Holdings Ltd": a span of two or more words
/// that ends in a legal form or holds "and Co": a firm, whatever the tagger said.
fn names_a_firm(span: &str) -> bool {
    // Runs for every person and organisation span: no allocation.
    let (mut words, mut and_co, mut previous, mut last) = (0, false, "", "");
    for word in span.split_whitespace() {
        words += 1;
        and_co |= is_and_co(previous, word);
        previous = word;
        last = word;
    }
    words >= 2 && (and_co || (last.starts_with(char::is_uppercase) && is_legal_form(last)))
}

/// True when the text after `end` goes on " and Co", " & Co.", " and Company" or " and Sons".
fn ends_before_and_co(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    let mut words = rest.split_whitespace();
    let (Some(joiner), Some(kin)) = (words.next(), words.next()) else {
        return false;
    };
    rest.starts_with(char::is_whitespace) && is_and_co(joiner, kin)
}

/// "Kidder, Peabody and Co": one capitalised word, a comma, and a
/// [partnership tail](is_partnership_tail).
fn is_partnership(span: &str) -> bool {
    span.split_once(", ").is_some_and(|(head, tail)| {
        head.starts_with(char::is_uppercase)
            && head.chars().all(char::is_alphabetic)
            && is_partnership_tail(tail)
    })
}

/// "Peabody and Co", "Roebuck & Co. Inc", "Read and Sons": one capitalised word, "and" or "&",
/// then "Co", "Company" or "Sons" and nothing but legal forms.
fn is_partnership_tail(span: &str) -> bool {
    let words: Vec<&str> = span.split_whitespace().collect();
    let [partner, joiner, kin, rest @ ..] = words.as_slice() else {
        return false;
    };
    partner.starts_with(char::is_uppercase)
        && partner.chars().all(char::is_alphabetic)
        && is_and_co(joiner, kin)
        && rest.iter().all(|w| is_legal_form(w))
}

/// " and ", " & ", "\nand ": a lone "and" or "&" between spaces or line breaks.
fn is_joiner(between: &str) -> bool {
    let mut words = between.split_whitespace();
    let spaced = between.starts_with(char::is_whitespace) && between.ends_with(char::is_whitespace);
    spaced && matches!(words.next(), Some("and" | "&")) && words.next().is_none()
}

/// "Sons Inc", "Co", "Company Ltd": what is left of "Brown and Sons Inc" when the tagger splits it
/// at "and": "Co", "Company" or "Sons", then nothing but legal forms.
fn is_kin_tail(span: &str) -> bool {
    let mut words = span.split_whitespace();
    words.next().is_some_and(|kin| is_and_co("and", kin)) && words.all(is_legal_form)
}

/// Joins a mention to the next when the next one's name begins with it and the word between:
/// the tagger splits "Standard and Poor's" at "and", and the alias table names the second part
/// "Standard and Poor's" — the first part ("Standard") is that name too, not an organisation
/// of its own. Reuters had 151 articles with the organisation "Standard".
///
/// Two organisations around an "and" that together make one compound of [`SPLIT_COMPOUNDS`]
/// are one name too: "Deerfield Federal Savings" + "Loan Association" → "Deerfield Federal
/// Savings and Loan Association" (Reuters had 68 articles with the organisation "Loan
/// Association").
fn join_split_names(text: &str, cands: &mut Vec<Cand>) {
    let mut i = 1;
    while i < cands.len() {
        let (a, b) = (&cands[i - 1], &cands[i]);
        let between = text.get(a.end..b.start).map(str::trim);
        let named_by_second = match between {
            Some(word @ ("and" | "&")) => b
                .name
                .strip_prefix(a.name.as_str())
                .and_then(|rest| rest.strip_prefix(' '))
                .is_some_and(|rest| rest.starts_with(word) && rest.len() > word.len()),
            _ => false,
        };
        // Headlines in capitals write "AND".
        let compound =
            between.is_some_and(|w| w.eq_ignore_ascii_case("and")) && is_split_compound(a, b);
        if named_by_second || compound {
            let first = cands.remove(i - 1);
            let second = &mut cands[i - 1];
            second.start = first.start;
            if compound {
                second.name = format!("{} and {}", first.name, second.name);
                let words = std::mem::take(&mut second.words);
                second.words = first.words;
                second.words.push("and".to_string());
                second.words.extend(words);
            }
        } else {
            i += 1;
        }
    }
}

/// Whether organisation `a` ends with the first word of a compound and `b` begins with its second.
fn is_split_compound(a: &Cand, b: &Cand) -> bool {
    let org = |c: &Cand| c.kind == EntityKind::Organization;
    let (Some(last), Some(first)) = (a.words.last(), b.words.first()) else {
        return false;
    };
    org(a)
        && org(b)
        && SPLIT_COMPOUNDS
            .iter()
            .any(|(x, y)| last.eq_ignore_ascii_case(x) && first.eq_ignore_ascii_case(y))
}

/// How the text's names spell each of their words when not in capitals ("port" → "Port"): a
/// name from an ALL-CAPS headline takes those spellings ("PORT VEYRA" → "Port Veyra", not the
/// "PORT Veyra" that softening long words alone gives), so it is one facet with the body's.
fn mixed_case_spellings(cands: &[Cand]) -> HashMap<String, String> {
    let mut spellings = HashMap::default();
    for c in cands {
        for w in c.name.split(' ') {
            if w.chars().any(char::is_lowercase) {
                spellings
                    .entry(w.to_lowercase())
                    .or_insert_with(|| w.to_string());
            }
        }
    }
    spellings
}

/// An organisation named by the last words of exactly one longer organisation name in the same
/// text takes that name ("Harbour Authority" → "Port Veyra Harbour Authority", "the Mariners" →
/// "Port Veyra Mariners"); "Union" stays beside "European Union" and "Soviet Union". Names that
/// themselves end a longer one do not count as another candidate.
fn resolve_short_orgs(cands: &mut [Cand]) {
    let is_org = |c: &Cand| c.kind == EntityKind::Organization;
    let mut by_ending: HashMap<Vec<String>, Vec<Vec<String>>> = HashMap::default();
    let mut spelled: HashMap<Vec<String>, String> = HashMap::default();
    for c in cands.iter().filter(|c| is_org(c) && c.words.len() >= 2) {
        // "Castellan Freight Ltd" and "Castellan Freight" are one name to end.
        let name = without_legal_form(&c.name);
        let spelling: Vec<&str> = name.split(' ').collect();
        let words: Vec<String> = spelling.iter().map(|w| w.to_lowercase()).collect();
        spelled
            .entry(words.clone())
            .or_insert_with(|| name.to_string());
        // Only endings inside the name's last run of capitalised words, and not that whole run
        // after "of" or "and": "Transport" does not name the Ministry of Ports and Transport,
        // nor "England" the Bank of England.
        let connector = |w: &&str| w.chars().next().is_some_and(char::is_lowercase);
        let run_start = spelling.iter().rposition(connector).map_or(0, |i| i + 2);
        for k in run_start.max(1)..words.len() {
            if k + 1 == words.len() && is_legal_form(&words[k]) {
                continue;
            }
            let names = by_ending.entry(words[k..].to_vec()).or_default();
            if !names.contains(&words) {
                names.push(words.clone());
            }
        }
    }
    if by_ending.is_empty() {
        return;
    }
    // Every ending ends in the last word of its name: an organisation whose last word ends no
    // name is passed over without lower-casing its words (most are).
    let last_words: Vec<&str> = by_ending
        .keys()
        .filter_map(|ending| ending.last().map(String::as_str))
        .collect();
    let may_end_a_name = |c: &Cand| {
        c.words.last().is_some_and(|last| {
            !last.is_ascii() || last_words.iter().any(|w| w.eq_ignore_ascii_case(last))
        })
    };
    for c in cands.iter_mut().filter(|c| is_org(c) && may_end_a_name(c)) {
        let words = lower_words(&c.words);
        // A name resolved already (an acronym's full name) stays.
        if !c
            .name
            .split(' ')
            .map(str::to_lowercase)
            .eq(words.iter().cloned())
        {
            continue;
        }
        let Some(names) = by_ending.get(&words) else {
            continue;
        };
        let mut longest = names
            .iter()
            .filter(|n| !names.iter().any(|m| m.len() > n.len() && m.ends_with(n)));
        if let (Some(full), None) = (longest.next(), longest.next()) {
            if let Some(name) = spelled.get(full) {
                c.name = name.clone();
            }
        }
    }
}

/// A lone generic word still called an organisation ([`LONE_ADJECTIVES`], [`GENERIC_ORG_NOUNS`])
/// that begins exactly one longer organisation name in the same text takes that name: wire copy
/// names "the Bank of England" once and then says "the Bank said" (Reuters had the organisation
/// "Bank" in 158 articles, 113 of them with one "Bank ..." named in full), and "Federal" stands
/// for the "Federal Reserve" likewise. Only generic words: "Senate" beside the "Senate Finance
/// Committee", or "BBC" beside "BBC News", is the whole, not the part.
fn resolve_org_heads(cands: &mut [Cand]) {
    let is_org = |c: &Cand| c.kind == EntityKind::Organization;
    let generic = |c: &Cand| {
        is_org(c)
            && !c.name.contains(' ')
            && matches!(c.words.as_slice(), [word] if listed(word, &GENERIC_ORG_SET))
    };
    // Most texts have no such word: nothing to build.
    if !cands.iter().any(generic) {
        return;
    }
    let mut by_head: HashMap<String, Vec<String>> = HashMap::default();
    for c in cands.iter().filter(|c| is_org(c) && c.words.len() >= 2) {
        add_owner(&mut by_head, &c.words[0], &c.name);
    }
    for c in cands.iter_mut() {
        if !generic(c) {
            continue;
        }
        if let Some([full]) = by_head.get(&c.words[0].to_lowercase()).map(Vec::as_slice) {
            c.name = full.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aliases() -> Aliases {
        // Short table for the tests (the shipped one is data/ner/aliases.tsv).
        Aliases::parse("# test\nU.S.\tUnited States\nUS\tUnited States\nUSA\tUnited States\n")
    }

    /// Byte spans of the given words, found in order in `text`.
    fn spans_of(text: &str, spans: &[(&str, EntityKind)]) -> Vec<(usize, usize, EntityKind)> {
        let mut pos = 0;
        let mut s = Vec::new();
        for (w, k) in spans {
            let at = text[pos..].find(w).map(|p| p + pos).expect("span in text");
            s.push((at, at + w.len(), *k));
            pos = at + w.len();
        }
        s
    }

    /// Each mention's canonical name and type.
    fn typed(text: &str, spans: &[(&str, EntityKind)]) -> Vec<(String, EntityKind)> {
        resolve(text, &spans_of(text, spans), &aliases())
            .into_iter()
            .map(|m| (m.name, m.kind))
            .collect()
    }

    fn run(text: &str, spans: &[(&str, EntityKind)]) -> Vec<(String, String)> {
        resolve(text, &spans_of(text, spans), &aliases())
            .into_iter()
            .map(|m| (m.text, m.name))
            .collect()
    }

    #[test]
    fn middle_initials_get_their_period() {
        assert_eq!(
            dot_middle_initials("George W Bush").as_deref(),
            Some("George W. Bush")
        );
        assert_eq!(
            dot_middle_initials("Bruce L Castor Jr").as_deref(),
            Some("Bruce L. Castor Jr")
        );
        for unchanged in ["George W. Bush", "Malcolm X", "X", "Kim Jong Un", "A B", ""] {
            assert_eq!(dot_middle_initials(unchanged), None, "{unchanged}");
        }
        let got = typed(
            "George W Bush met Hunter S Thompson.",
            &[
                ("George W Bush", EntityKind::Person),
                ("Hunter S Thompson", EntityKind::Person),
            ],
        );
        let names: Vec<&str> = got.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["George W. Bush", "Hunter S. Thompson"]);
    }

    #[test]
    fn names_always_named_replace_the_mentions_inside_them() {
        use EntityKind::*;
        let table = "Wagner and Brown\tWagner and Brown\torganization\texact\n\
            Richter scale\tRichter scale\tmisc\texact\n\
            Kessel and Vane\tKessel and Vane\torganization\texact\n";
        let aliases = Aliases::parse(table);
        let text = "Wagner and Brown sold it. A 6.5 on the Richter scale. Harbour Kessel and \
            Vane grew. Kessel and Vane Holdings Ltd bought it. Kessel and Vane Caliphate rose.";
        let spans = spans_of(
            text,
            &[
                ("Wagner", Person),
                ("Brown", Person),
                ("Richter", Person),
                ("Harbour Kessel", Organization),
                ("Vane Holdings Ltd", Organization),
                ("Kessel and Vane Caliphate", Organization),
            ],
        );
        let got: Vec<(String, String, EntityKind)> = resolve(text, &spans, &aliases)
            .into_iter()
            .map(|m| (m.text, m.name, m.kind))
            .collect();
        let want = [
            ("Wagner and Brown", "Wagner and Brown", Organization),
            ("Richter scale", "Richter scale", Misc),
            // Reaching outside the name from before it: the tagger's longer name stands.
            ("Harbour Kessel", "Harbour Kessel", Organization),
            // Running on after it as an organisation: the firm's full style.
            (
                "Kessel and Vane Holdings Ltd",
                "Kessel and Vane",
                Organization,
            ),
            // Starting where it starts and running on: the tagger's longer name stands.
            (
                "Kessel and Vane Caliphate",
                "Kessel and Vane Caliphate",
                Organization,
            ),
        ]
        .map(|(t, n, k)| (t.to_string(), n.to_string(), k));
        assert_eq!(got, want);
    }

    /// A currency tagged as a person alone is dropped; a person it names in full is kept, and so
    /// is the short mention resolved to them. A firm hard-wrapped across lines is still found.
    #[test]
    fn lone_currencies_are_not_persons() {
        use EntityKind::*;
        let text = "STERLING FIRMS\nSterling was unchanged. FIRMER LIRA AGAINST SFR. Mark Varn \
            said Varn liked the yen. Wagner and\n    Brown sold.";
        let spans = spans_of(
            text,
            &[
                ("STERLING", Person),
                ("Sterling", Person),
                ("LIRA", Person),
                ("Mark Varn", Person),
                ("Varn", Person),
                ("yen", Person),
                ("Wagner", Person),
                ("Brown", Person),
            ],
        );
        let aliases = Aliases::parse("Wagner and Brown\tWagner and Brown\torganization\texact\n");
        let got: Vec<(String, EntityKind)> = resolve(text, &spans, &aliases)
            .into_iter()
            .map(|m| (m.name, m.kind))
            .collect();
        let want = [
            ("Mark Varn", Person),
            ("Mark Varn", Person),
            ("Wagner and Brown", Organization),
        ]
        .map(|(n, k)| (n.to_string(), k));
        assert_eq!(got, want);
    }

    #[test]
    fn glued_modifiers_and_impossible_persons_are_corrected() {
        use EntityKind::*;
        let text = "Brackwater-born Selma Varn joined London-based Barclays. Fans at Kessel Quay \
            cheered Lindmark Athletic; Lumenwright Systems said Lumenwright would grow. \
            Lindmark is a town, and Lindmark voted. Jean-Luc Picard spoke.";
        let got = resolve(
            text,
            &[
                ("Brackwater-born Selma Varn", Person),
                ("London-based Barclays", Organization),
                ("Kessel Quay", Person),
                ("Lindmark Athletic", Person),
                ("Lumenwright Systems", Organization),
                ("Lumenwright", Person),
                ("Lindmark", Place),
                ("Lindmark", Person),
                ("Jean-Luc Picard", Person),
            ]
            .iter()
            .scan(0, |pos, (w, k)| {
                let at = text[*pos..].find(w).map(|p| p + *pos)?;
                *pos = at + w.len();
                Some((at, at + w.len(), *k))
            })
            .collect::<Vec<_>>(),
            &aliases(),
        );
        let seen: Vec<(&str, &str, EntityKind)> = got
            .iter()
            .map(|m| (m.text.as_str(), m.name.as_str(), m.kind))
            .collect();
        assert_eq!(
            seen,
            [
                ("Selma Varn", "Selma Varn", Person),
                ("Barclays", "Barclays", Organization),
                ("Kessel Quay", "Kessel Quay", Place),
                ("Lindmark Athletic", "Lindmark Athletic", Organization),
                ("Lumenwright Systems", "Lumenwright Systems", Organization),
                ("Lumenwright", "Lumenwright Systems", Organization),
                ("Lindmark", "Lindmark", Place),
                ("Lindmark", "Lindmark", Place),
                ("Jean-Luc Picard", "Jean-Luc Picard", Person),
            ]
        );
    }

    #[test]
    fn a_lone_person_that_begins_or_ends_one_firm_is_that_firm() {
        use EntityKind::*;
        let text = "Eastman Vell Co said Vell would sell. Orrin and Brack bid, and Brack \
            won. Tamsin Brothers Inc hired; Tamsin said. The Daley Administration spoke, and \
            Daley agreed.";
        let got = typed(
            text,
            &[
                ("Eastman Vell Co", Organization),
                ("Vell", Person),
                ("Orrin and Brack", Organization),
                ("Brack", Person),
                ("Tamsin Brothers Inc", Organization),
                ("Tamsin", Person),
                ("Daley Administration", Organization),
                ("Daley", Person),
            ],
        );
        let firm = |name: &str| (name.to_string(), Organization);
        assert_eq!(
            got,
            [
                firm("Eastman Vell"),
                firm("Eastman Vell"),
                firm("Orrin and Brack"),
                firm("Orrin and Brack"),
                firm("Tamsin Brothers"),
                firm("Tamsin Brothers"),
                firm("Daley Administration"),
                // Not a firm: the mayor is still a person.
                ("Daley".to_string(), Person),
            ]
        );
    }

    #[test]
    fn a_wire_sign_off_is_no_mention() {
        use EntityKind::*;
        let names = |text: &str, spans: &[(&str, EntityKind)]| -> Vec<String> {
            typed(text, spans).into_iter().map(|(n, _)| n).collect()
        };
        let signed = "Prices rose, a trader told Reuters.\n Reuter\n\u{3}";
        assert_eq!(
            names(
                signed,
                &[("Reuters", Organization), ("Reuter", Organization)]
            ),
            ["Reuters"]
        );
        let table = "Qtly div 5 cts vs 4 cts\n    Pay May 15        REUTER";
        assert!(names(table, &[("REUTER", Organization)]).is_empty());
        // A hard-wrapped sentence that ends on a name, and a firm closing a list, are mentions.
        let wrapped = "The issue is rated B-plus by\nCastellan.";
        assert_eq!(
            names(wrapped, &[("Castellan", Organization)]),
            ["Castellan"]
        );
        let listed = "Record May one.\n    Laidlaw Transportation Ltd";
        assert_eq!(
            names(listed, &[("Laidlaw Transportation Ltd", Organization)]),
            ["Laidlaw Transportation"]
        );
    }

    #[test]
    fn works_and_bands_introduced_as_such_are_not_persons() {
        use EntityKind::*;
        let text = "Orla Benn's film Marta Kell won, and Marta Kell stars Ida Vos. The band Tor \
            Amund played; Tor Amund won. Sam will play Lev Brisk. Ray Dunmore sang, and the \
            film Ray is about him.";
        let got = typed(
            text,
            &[
                ("Orla Benn", Person),
                ("Marta Kell", Person),
                ("Marta Kell", Person),
                ("Ida Vos", Person),
                ("Tor Amund", Person),
                ("Tor Amund", Person),
                ("Sam", Person),
                ("Lev Brisk", Person),
                ("Ray Dunmore", Person),
                ("Ray", Person),
            ],
        );
        let kinds: Vec<(&str, EntityKind)> = got.iter().map(|(n, k)| (n.as_str(), *k)).collect();
        assert_eq!(
            kinds,
            [
                ("Orla Benn", Person),
                ("Marta Kell", Misc),
                ("Marta Kell", Misc),
                ("Ida Vos", Person),
                ("Tor Amund", Organization),
                ("Tor Amund", Organization),
                ("Sam", Person),
                // Sports copy: "play" is no cue.
                ("Lev Brisk", Person),
                ("Ray Dunmore", Person),
                // Resolved to the person the article names: left alone.
                ("Ray Dunmore", Person),
            ]
        );
        assert_eq!(word_before("the film Marta", 9), "film");
        assert_eq!(word_before("film", 0), "");
        let odd = "Élan’s film  X";
        assert_eq!(word_before(odd, odd.len() - 1), "film");
        assert_eq!(word_before(odd, "Élan’s".len()), "s");
    }

    #[test]
    fn forms_of_address_make_persons_and_offices_are_not_names() {
        use EntityKind::*;
        let text = "Attorney General Lord Goldsmith advised. The Lord Chancellor agreed. \
            Goldsmith said so. Former Speaker Betty Boothroyd, now Baroness Boothroyd, and \
            Mr. Varn spoke of The Lord of the Rings before Mr Justice Eady. Mervyn King and \
            Mr Speaker heard Mr King. Mr Major's view.";
        let got = resolve(
            text,
            &[
                ("Lord Goldsmith", Place),
                ("Lord Chancellor", Place),
                ("Goldsmith", Person),
                ("Betty Boothroyd", Person),
                ("Baroness Boothroyd", Person),
                ("Mr. Varn", Organization),
                ("Lord of the Rings", Misc),
                ("Mr Justice Eady", Organization),
                ("Mervyn King", Person),
                ("Mr Speaker", Person),
                ("Mr King", Organization),
                ("Mr Major's", Person),
            ]
            .iter()
            .scan(0, |pos, (w, k)| {
                let at = text[*pos..].find(w).map(|p| p + *pos)?;
                *pos = at + w.len();
                Some((at, at + w.len(), *k))
            })
            .collect::<Vec<_>>(),
            &aliases(),
        );
        let seen: Vec<(&str, &str, EntityKind)> = got
            .iter()
            .map(|m| (m.text.as_str(), m.name.as_str(), m.kind))
            .collect();
        assert_eq!(
            seen,
            [
                ("Goldsmith", "Goldsmith", Person),
                ("Goldsmith", "Goldsmith", Person),
                ("Betty Boothroyd", "Betty Boothroyd", Person),
                ("Boothroyd", "Betty Boothroyd", Person),
                ("Varn", "Varn", Person),
                ("Lord of the Rings", "Lord of the Rings", Misc),
                ("Eady", "Eady", Person),
                ("Mervyn King", "Mervyn King", Person),
                ("King", "Mervyn King", Person),
                ("Major", "Major", Person),
            ]
        );
    }

    #[test]
    fn companies_are_named_without_their_legal_form() {
        use EntityKind::*;
        let text = "Castellan Freight Ltd said profits rose. Castellan Freight also hired. \
            Acme, Inc. and Smith & Co. Ltd agreed, as did Deutsche Bank AG and Co. Goldman, Sachs \
            and Co said so.";
        let got = run(
            text,
            &[
                ("Castellan Freight Ltd", Organization),
                ("Castellan Freight", Organization),
                ("Acme, Inc.", Organization),
                ("Smith & Co. Ltd", Organization),
                ("Deutsche Bank AG", Organization),
                ("Co", Organization),
                ("Goldman, Sachs and Co", Organization),
            ],
        );
        // A lone legal form names nothing and is dropped.
        let names: Vec<&str> = got.iter().map(|(_, name)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Castellan Freight",
                "Castellan Freight",
                "Acme",
                "Smith",
                "Deutsche Bank",
                "Goldman Sachs",
            ]
        );
        assert_eq!(
            got[0].0, "Castellan Freight Ltd",
            "the mention keeps its text"
        );
        assert_eq!(
            without_legal_form("British Broadcasting Corporation"),
            "British Broadcasting Corporation"
        );
        for dotted in [
            "Kessel Associates L.P.",
            "Kessel Associates L.L.C.",
            "Kessel Associates P.L.C.",
        ] {
            assert_eq!(without_legal_form(dotted), "Kessel Associates", "{dotted}");
        }
        // A dotted middle name is no legal form.
        let person = typed(
            "William K.K. Varn said so.",
            &[("William K.K. Varn", EntityKind::Person)],
        );
        assert_eq!(person[0].0, "William K.K. Varn");
    }

    #[test]
    fn an_organisation_is_named_without_a_leading_the() {
        use EntityKind::*;
        let text = "The Harbour Ledger reported it first, said the Harbour Ledger. THE LEDGER \
            GROUP agreed. The Hague was quiet, and The alone is nothing.";
        let got = typed(
            text,
            &[
                ("The Harbour Ledger", Organization),
                ("Harbour Ledger", Organization),
                ("THE LEDGER GROUP", Organization),
                ("The Hague", Place),
                ("The", Organization),
            ],
        );
        assert_eq!(
            got,
            [
                ("Harbour Ledger".to_string(), Organization),
                ("Harbour Ledger".to_string(), Organization),
                ("Ledger Group".to_string(), Organization),
                ("The Hague".to_string(), Place),
            ]
        );
        let mentions = resolve(
            text,
            &spans_of(text, &[("The Harbour Ledger", Organization)]),
            &aliases(),
        );
        assert_eq!(
            mentions[0].text, "Harbour Ledger",
            "the article is not the name"
        );
    }

    #[test]
    fn partnerships_split_at_their_comma_are_one_organisation() {
        use EntityKind::*;
        let text = "Managed by Kidder, Peabody and Co Inc. Donaldson said so. Smith, Jones \
            and Green met. Brown, Knapp and Co said. Kidder declined.";
        let got = run(
            text,
            &[
                ("Kidder", Person),
                ("Peabody and Co Inc. Donaldson", Organization),
                ("Smith", Person),
                ("Jones", Person),
                ("Green", Person),
                ("Brown, Knapp and Co", Organization),
                ("Kidder", Person),
            ],
        );
        assert_eq!(
            got,
            [
                ("Kidder, Peabody and Co Inc.", "Kidder Peabody"),
                ("Smith", "Smith"),
                ("Jones", "Jones"),
                ("Green", "Green"),
                ("Brown, Knapp and Co", "Brown Knapp"),
                ("Kidder", "Kidder Peabody"),
            ]
            .map(|(t, n)| (t.to_string(), n.to_string()))
        );
        let text = "Talks with Kidder Peabody and Co Inc. Kidder Peabody is owned by GE. \
            Kidder declined. Deal with Kidder Peabody and Co Inc, Kidder Peabody said.";
        let got = typed(
            text,
            &[
                ("Kidder Peabody", Person),
                ("Kidder Peabody", Person),
                ("Kidder", Person),
                ("Kidder Peabody and Co Inc", Person),
                ("Kidder Peabody", Person),
            ],
        );
        assert_eq!(got, vec![("Kidder Peabody".to_string(), Organization); 5]);
        assert!(names_a_firm("Acme Holdings Ltd") && names_a_firm("Smith & Sons"));
        let text = "Led by Alex. Brown and Sons Inc and Samuel Montagu and\nSons Ltd, with \
            Muller and Co. Brown said. Lindmark and Co Ltd agreed; Oslo and Co Ltd did not.";
        let got = run(
            text,
            &[
                ("Alex", Person),
                ("Brown", Person),
                ("Sons Inc", Organization),
                ("Samuel Montagu", Person),
                ("Sons Ltd", Organization),
                ("Muller", Person),
                ("Co", Organization),
                ("Brown", Person),
                ("Lindmark", Organization),
                ("Co Ltd", Organization),
                ("Oslo", Place),
                ("Co Ltd", Organization),
            ],
        );
        let names: Vec<&str> = got.iter().map(|(_, name)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Alex",
                "Brown and Sons",
                "Samuel Montagu and Sons",
                "Muller",
                "Brown and Sons",
                "Lindmark",
                "Oslo"
            ],
            "a place is not a partner; \"Co\" alone names nothing"
        );
        assert_eq!(got[3].0, "Muller and Co");
        assert_eq!(got[2].0, "Samuel Montagu and\nSons Ltd");
        let aliases = Aliases::parse("Alex. Brown\tAlex. Brown and Sons\torganization\texact\n");
        let text = "Led by Alex. Brown and\nSons Inc.";
        let spans = spans_of(
            text,
            &[
                ("Alex", Person),
                ("Brown", Person),
                ("Sons Inc", Organization),
            ],
        );
        let names: Vec<String> = resolve(text, &spans, &aliases)
            .into_iter()
            .map(|m| m.name)
            .collect();
        assert_eq!(names, ["Alex. Brown and Sons"]);
        let text = "Joseph E. Seagram and Sons Inc said so. Joseph E. Seagram sells wine.";
        let got = typed(
            text,
            &[
                ("Joseph E. Seagram", Person),
                ("Sons Inc", Organization),
                ("Joseph E. Seagram", Person),
            ],
        );
        let firm = ("Joseph E. Seagram and Sons".to_string(), Organization);
        assert_eq!(got, [firm.clone(), firm]);
        assert!(
            is_joiner(" and ")
                && is_joiner("\n& ")
                && !is_joiner(" and the ")
                && !is_joiner("and ")
        );
        assert!(!names_a_firm("Ltd") && !names_a_firm("Maria Santos"));
        assert_eq!(end_at_legal_period("Acme Co. Ltd said", 0, 12), 12);
        assert_eq!(end_at_legal_period("Acme Inc. Chairman", 0, 18), 9);
    }

    #[test]
    fn titles_stripped_and_short_names_resolved() {
        use EntityKind::*;
        let text = "President Nayib Bukele met Secretary of State Marco Rubio. Bukele's aide and Rubio, said Trump.";
        let got = run(
            text,
            &[
                ("President Nayib Bukele", Person),
                ("Secretary of State Marco Rubio", Person),
                ("Bukele's", Person),
                ("Rubio,", Person),
                ("Trump", Person),
            ],
        );
        assert_eq!(
            got,
            vec![
                ("Nayib Bukele".into(), "Nayib Bukele".into()),
                ("Marco Rubio".into(), "Marco Rubio".into()),
                ("Bukele".into(), "Nayib Bukele".into()),
                ("Rubio".into(), "Marco Rubio".into()),
                ("Trump".into(), "Trump".into()),
            ]
        );
        let got = run(
            "Donald Trump spoke. TRUMP WINS. Trump left.",
            &[
                ("Donald Trump", Person),
                ("TRUMP", Person),
                ("Trump", Person),
            ],
        );
        assert!(got.iter().all(|(_, n)| n == "Donald Trump"), "{got:?}");
    }

    #[test]
    fn a_ministers_brief_is_named_as_the_ministry() {
        use EntityKind::*;
        let got = run(
            "The Minister for Ports and Transport, Ilse Marrow, met the Ministry of Ports and \
             Transport and the minister of Trade and Industry. The Prime Minister of Japan, \
             the Minister of State for Textiles and the Friends of Transport said so.",
            &[
                ("Ports and Transport", Organization),
                ("Ilse Marrow", Person),
                ("Ministry of Ports and Transport", Organization),
                ("Trade and Industry", Organization),
                ("Japan", Place),
                ("State for Textiles", Organization),
                ("Transport", Organization),
            ],
        );
        let names: Vec<&str> = got.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Ministry of Ports and Transport",
                "Ilse Marrow",
                "Ministry of Ports and Transport",
                "Ministry of Trade and Industry",
                "Japan",
                "State for Textiles",
                "Transport",
            ]
        );
    }

    #[test]
    fn a_short_organisation_takes_the_one_full_name_it_ends() {
        use EntityKind::*;
        let got = run(
            "Harbour Authority raises fees. The Port Veyra Harbour Authority said the Authority \
             would meet the European Union and the Soviet Union. The Union said no. The Bank of \
             England and England's cricket board. Castellan Freight Ltd, or Castellan Freight, \
             or Freight.",
            &[
                ("Harbour Authority", Organization),
                ("Port Veyra Harbour Authority", Organization),
                ("Authority", Organization),
                ("European Union", Organization),
                ("Soviet Union", Organization),
                ("Union", Organization),
                ("Bank of England", Organization),
                ("England", Organization),
                ("Castellan Freight Ltd", Organization),
                ("Castellan Freight", Organization),
                ("Freight", Organization),
            ],
        );
        let names: Vec<&str> = got.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Port Veyra Harbour Authority",
                "Port Veyra Harbour Authority",
                "Port Veyra Harbour Authority",
                "European Union",
                "Soviet Union",
                "Union",
                "Bank of England",
                "England",
                "Castellan Freight",
                "Castellan Freight",
                "Castellan Freight",
            ]
        );
    }

    #[test]
    fn a_lone_generic_word_takes_the_one_organisation_it_begins() {
        use EntityKind::*;
        let got = run(
            "The Bank of Veyra held rates; the Bank said so. FEDERAL RESERVE BOARD acts; Federal \
             Reserve Board officials and Federal agreed. The Senate and the Senate Finance \
             Committee met. The Department of Ports and the Department of Roads, said the \
             Department.",
            &[
                ("Bank of Veyra", Organization),
                ("Bank", Organization),
                ("FEDERAL RESERVE BOARD", Organization),
                ("Federal Reserve Board", Organization),
                ("Federal", Organization),
                ("Senate", Organization),
                ("Senate Finance Committee", Organization),
                ("Department of Ports", Organization),
                ("Department of Roads", Organization),
                ("Department", Organization),
            ],
        );
        let names: Vec<&str> = got.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Bank of Veyra",
                "Bank of Veyra",
                "Federal Reserve Board",
                "Federal Reserve Board",
                // One name in two spellings; the mixed-case one.
                "Federal Reserve Board",
                // Not a generic word: the whole, not its committee.
                "Senate",
                "Senate Finance Committee",
                "Department of Ports",
                "Department of Roads",
                // Two departments: which one is not known.
                "Department",
            ]
        );
    }

    #[test]
    fn a_name_in_capitals_takes_the_texts_spelling_of_its_words() {
        use EntityKind::*;
        let got = run(
            "PORT VEYRA SHARES SLIDE. BANK OF ENGLAND. Shares of the Port Veyra Harbour Authority \
             and the Bank of Japan fell, NATO said.",
            &[
                ("PORT VEYRA", Place),
                ("BANK OF ENGLAND", Organization),
                ("Port Veyra Harbour Authority", Organization),
                ("Bank of Japan", Organization),
                ("NATO", Organization),
            ],
        );
        let names: Vec<&str> = got.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Port Veyra",
                "Bank of England",
                "Port Veyra Harbour Authority",
                "Bank of Japan",
                "NATO",
            ]
        );
    }

    #[test]
    fn roles_storms_and_capitalised_things_name_no_one() {
        use EntityKind::*;
        let text = "Don Vell and Ada Quist ran for Mayor of Brenn. The Senate Majority Leader \
            spoke. A former Marine, Mr King, met Major. Hurricane Dorian grew; Dorian hit Brenn. Tropical Storm \
            Imelda. Their DNA and the URL.";
        let got = typed(
            text,
            &[
                ("Don Vell", Person),
                ("Ada Quist", Person),
                ("Mayor", Person),
                ("Brenn", Place),
                ("Leader", Person),
                ("Marine", Person),
                ("Mr King", Person),
                ("Major", Person),
                ("Dorian", Person),
                ("Dorian", Person),
                ("Brenn", Place),
                ("Imelda", Person),
                ("DNA", Organization),
                ("URL", Organization),
            ],
        );
        let kinds: Vec<(&str, EntityKind)> = got.iter().map(|(n, k)| (n.as_str(), *k)).collect();
        assert_eq!(
            kinds,
            [
                // "Don" is a first name in English copy, not a title.
                ("Don Vell", Person),
                ("Ada Quist", Person),
                ("Brenn", Place),
                // Titles that are also surnames stay.
                ("King", Person),
                ("Major", Person),
                ("Dorian", Misc),
                ("Dorian", Misc),
                ("Brenn", Place),
                ("Imelda", Misc),
            ]
        );
        // The shipped alias table makes the planet a place, whatever the tagger said.
        let text = "Seen from Earth, the Earth turns.";
        let spans = spans_of(text, &[("Earth", Organization), ("Earth", Place)]);
        let shipped = Aliases::parse(super::super::ALIASES_TSV);
        for m in resolve(text, &spans, &shipped) {
            assert_eq!((m.name.as_str(), m.kind), ("Earth", Place));
        }
    }

    #[test]
    fn lone_letters_and_legal_forms_name_nothing() {
        use EntityKind::*;
        let got = run(
            "P AND C FOODS INC 3RD QTR. Affirmed by S/P. Acme Inc said. Co-op Ltd. UNITED \
             AIRLINES LOAD FACTOR RISES. United won 2-1.",
            &[
                ("INC", Organization),
                ("S", Organization),
                ("P", Organization),
                ("Acme Inc", Organization),
                ("Ltd", Organization),
                ("UNITED", Organization),
                ("United", Organization),
            ],
        );
        let names: Vec<&str> = got.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["Acme", "United"]);
    }

    #[test]
    fn adverbs_months_indicators_and_person_legal_forms_name_nothing() {
        use EntityKind::*;
        let got = run(
            "Additionally, Corp said Feb 26 that Japan GNP rose. Smith met Jan.",
            &[
                ("Additionally", Person),
                ("Corp", Person),
                ("Feb", Organization),
                ("GNP", Organization),
                ("Smith", Person),
                ("Jan", Person),
            ],
        );
        let names: Vec<&str> = got.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["Smith", "Jan"]);
    }

    #[test]
    fn a_name_split_at_its_and_is_joined() {
        use EntityKind::*;
        let text = "Standard and Poor's Corp said so, and Smith and Jones agreed.";
        let a = Aliases::parse("# test\nPoor's\tStandard and Poor's\torganization\n");
        let spans = [
            (0, 8, Organization),
            (13, 24, Organization),
            (38, 43, Person),
            (48, 53, Person),
        ];
        let got: Vec<(String, String)> = resolve(text, &spans, &a)
            .into_iter()
            .map(|m| (m.text, m.name))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "Standard and Poor's Corp".to_string(),
                    "Standard and Poor's".to_string()
                ),
                ("Smith".to_string(), "Smith".to_string()),
                ("Jones".to_string(), "Jones".to_string()),
            ]
        );
    }

    #[test]
    fn a_savings_and_loan_split_at_its_and_is_one_organisation() {
        use EntityKind::*;
        let text = "Deerfield Federal Savings and Loan Association said Smith and Loan agreed.";
        let spans = [
            (0, 25, Organization),
            (30, 46, Organization),
            (52, 57, Person),
            (62, 66, Organization),
        ];
        let got: Vec<(String, String)> = resolve(text, &spans, &Aliases::default())
            .into_iter()
            .map(|m| (m.text, m.name))
            .collect();
        let whole = "Deerfield Federal Savings and Loan Association".to_string();
        assert_eq!(
            got,
            vec![
                (whole.clone(), whole),
                ("Smith".to_string(), "Smith".to_string()),
                ("Loan".to_string(), "Loan".to_string()),
            ]
        );
    }

    #[test]
    fn ambiguous_short_name_stays() {
        use EntityKind::*;
        let got = run(
            "John Smith and Jane Smith. Smith said.",
            &[
                ("John Smith", Person),
                ("Jane Smith", Person),
                ("Smith", Person),
            ],
        );
        assert_eq!(got[2].1, "Smith");
    }

    #[test]
    fn a_bill_in_parliament_is_no_person() {
        use EntityKind::*;
        let got = run(
            "The Gambling Bill passed, as the Bill must. Bill Gates and Bill said. Ask Bill.",
            &[
                ("Bill", Person),
                ("Bill", Person),
                ("Bill Gates", Person),
                ("Bill", Person),
                ("Bill", Person),
            ],
        );
        let names: Vec<&str> = got.iter().map(|(_, name)| name.as_str()).collect();
        // "Ask" opens a sentence, so "Ask Bill" is someone; so is "and Bill", who takes the one
        // full name he begins.
        assert_eq!(names, ["Bill Gates", "Bill Gates", "Bill Gates"]);
    }

    #[test]
    fn a_lone_first_name_takes_the_one_full_name_it_begins() {
        use EntityKind::*;
        let got = run(
            "David Mackay and Finlay Calder. David said Finlay would. Calder agreed.",
            &[
                ("David Mackay", Person),
                ("Finlay Calder", Person),
                ("David", Person),
                ("Finlay", Person),
                ("Calder", Person),
            ],
        );
        let names: Vec<&str> = got.iter().map(|(_, name)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "David Mackay",
                "Finlay Calder",
                "David Mackay",
                "Finlay Calder",
                "Finlay Calder"
            ]
        );
        // A town that also begins a name the tagger took for a person stays the town.
        let got = run(
            "The Lindmark Ledger said Lindmark voted. Lindmark is a town.",
            &[
                ("Lindmark Ledger", Person),
                ("Lindmark", Person),
                ("Lindmark", Place),
            ],
        );
        assert_eq!(got[1].1, "Lindmark");
        // Two Davids: the lone one could be either, and stays as written.
        let got = run(
            "David Mackay met David Beckham. David said so.",
            &[
                ("David Mackay", Person),
                ("David Beckham", Person),
                ("David", Person),
            ],
        );
        assert_eq!(got[2].1, "David");
    }

    #[test]
    fn acronym_merges_split_full_name() {
        use EntityKind::*;
        let text = "El Salvador's Centro de Confinamiento del Terrorismo (CECOT) isn't any prison. CECOT is big.";
        let got = run(
            text,
            &[
                ("El Salvador", Place),
                ("Centro", Organization),
                ("Confinamiento del Terrorismo", Person),
                ("CECOT", Person),
            ],
        );
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(
            got[1..]
                .iter()
                .all(|(_, n)| n == "Centro de Confinamiento del Terrorismo"),
            "{got:?}"
        );
    }

    #[test]
    fn acronym_links_to_full_name() {
        use EntityKind::*;
        let text = "the Centro de Confinamiento del Terrorismo (CECOT) is big. Life inside CECOT is rough.";
        let got = run(
            text,
            &[
                ("Centro de Confinamiento del Terrorismo", Organization),
                ("CECOT", Place),
            ],
        );
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got
            .iter()
            .all(|(_, n)| n == "Centro de Confinamiento del Terrorismo"));
    }

    #[test]
    fn alias_table_merges_variants() {
        use EntityKind::*;
        let a = aliases();
        for v in [
            "U.S.",
            "US",
            "USA",
            "U.S.A.",
            "United States",
            "united states",
        ] {
            assert_eq!(a.get(v), Some("United States"), "{v}");
        }
        let got = run("the U.S. and the US", &[("U.S.", Place), ("US", Place)]);
        assert!(got.iter().all(|(_, n)| n == "United States"));
    }

    #[test]
    fn state_codes_and_abbreviations_after_a_place_are_states() {
        use EntityKind::*;
        let text =
            "SPRINGFIELD, Ill. (AP) - Roe, of Los Angeles, CA, and Acme of Dallas, TX said. \
            CA shares rose.";
        let got = typed(
            text,
            &[
                ("SPRINGFIELD", Place),
                ("Ill.", Place),
                ("Roe", Person),
                ("Los Angeles", Place),
                ("CA", Organization),
                ("Acme", Organization),
                ("Dallas", Place),
                ("TX", Organization),
                ("CA", Organization),
            ],
        );
        let want = [
            ("Springfield", Place),
            ("Illinois", Place),
            ("Roe", Person),
            ("Los Angeles", Place),
            ("California", Place),
            ("Acme", Organization),
            ("Dallas", Place),
            ("Texas", Place),
            ("CA", Organization),
        ]
        .map(|(n, k)| (n.to_string(), k));
        assert_eq!(got, want);
    }

    #[test]
    fn faiths_named_alone_are_misc() {
        use EntityKind::*;
        let text = "Jews and Christianity, the Bible, and the Catholic Church.";
        let spans = [
            ("Jews", Person),
            ("Christianity", Person),
            ("Bible", Organization),
            ("Catholic Church", Organization),
        ];
        let kinds = typed(text, &spans);
        assert_eq!(
            kinds,
            vec![
                ("Jews".to_string(), Misc),
                ("Christianity".to_string(), Misc),
                ("Bible".to_string(), Misc),
                ("Catholic Church".to_string(), Organization),
            ]
        );
    }

    #[test]
    fn never_names_and_punctuation_dropped() {
        use EntityKind::*;
        let got = run(
            "“Here are the things. May God bless",
            &[("“Here", Misc), ("May", Person), ("God", Person)],
        );
        assert!(got.is_empty(), "{got:?}");
        assert!(run("'", &[("'", Person)]).is_empty());
        assert!(run("IMHO it is", &[("IMHO", Organization)]).is_empty());
        assert!(run("((A))  Could be.", &[("Could", Organization)]).is_empty());
        let zone = typed("at 1830 UTC", &[("UTC", Organization)]);
        assert_eq!(zone, [("UTC".to_string(), Misc)]);
    }
}
