//! "Full Name (ACR)" links: the acronym in brackets after a name, and every later use of it, get the
//! full name; a full name the tagger split at a connector ("Centro" + "de" + "Confinamiento del
//! Terrorismo") is joined back when the acronym fits it.

use super::canonical::Cand;
use super::tokenize::tokenize;
use crate::model::EntityKind;

/// "Full Name (ACR)": every mention spelled `ACR` gets the full name and its type; an untagged
/// `ACR` right after the full name, or later in the text, becomes a mention too.
pub(super) fn link_acronyms(text: &str, cands: &mut Vec<Cand>) {
    let mut defs: Vec<(String, String, EntityKind)> = Vec::new();
    let mut k = 0;
    while k < cands.len() {
        let c = &cands[k];
        k += 1;
        let rest = text.get(c.end..).unwrap_or("");
        let rest = rest.trim_start_matches([' ', '\u{a0}']);
        let Some(inner) = rest.strip_prefix('(') else {
            continue;
        };
        let Some(close) = inner.find(')') else {
            continue;
        };
        let acr = inner[..close].trim();
        let ok = (2..=10).contains(&acr.chars().count())
            && acr.chars().all(|ch| {
                ch.is_uppercase() || ch.is_ascii_digit() || ch == '-' || ch == '.' || ch == '&'
            })
            && acr.chars().filter(|ch| ch.is_uppercase()).count() >= 2;
        if !ok {
            continue;
        }
        let i = k - 1;
        if !acronym_fits(acr, &cands[i].name)
            && i > 0
            && joined_by_connector(text, &cands[i - 1], &cands[i])
        {
            let merged = format!(
                "{} {}",
                cands[i - 1].name,
                text[cands[i - 1].end..cands[i].start].trim()
            );
            let merged = format!("{merged} {}", cands[i].name);
            if acronym_fits(acr, &merged) {
                let (a, b) = (cands.remove(i - 1), &mut cands[i - 1]);
                b.kind = [a.kind, b.kind]
                    .into_iter()
                    .find(|k| *k != EntityKind::Person)
                    .unwrap_or(EntityKind::Organization);
                b.start = a.start;
                b.words = merged.split(' ').map(str::to_string).collect();
                b.name = merged;
                k -= 1;
            }
        }
        let c = &cands[k - 1];
        if c.words.len() >= 2 && acronym_fits(acr, &c.name) {
            defs.push((acr.to_string(), c.name.clone(), c.kind));
        }
    }
    if defs.is_empty() {
        return;
    }
    for c in cands.iter_mut() {
        if let Some((_, full, kind)) = defs.iter().find(|d| d.0 == c.name) {
            c.name = full.clone();
            c.kind = *kind;
        }
    }
    // Untagged occurrences of a defined acronym.
    let toks = tokenize(text);
    let mut added = Vec::new();
    for t in &toks {
        let w = t.text(text);
        let Some((_, full, kind)) = defs.iter().find(|d| d.0 == w) else {
            continue;
        };
        if cands.iter().any(|c| c.start < t.end && t.start < c.end) {
            continue;
        }
        added.push(Cand {
            kind: *kind,
            start: t.start,
            end: t.end,
            words: vec![w.to_string()],
            name: full.clone(),
        });
    }
    if !added.is_empty() {
        cands.extend(added);
        cands.sort_by_key(|c| (c.start, c.end));
    }
}

/// True when the letters of `acr` appear in order in `name`, starting with its first letter.
fn acronym_fits(acr: &str, name: &str) -> bool {
    let mut letters = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase);
    let mut want = acr
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .peekable();
    if want.peek().copied() != letters.next() {
        return false;
    }
    want.next();
    want.all(|w| letters.any(|l| l == w))
}

/// True when two mentions are separated by one name-internal connector ("de", "del", "of", …).
fn joined_by_connector(text: &str, a: &Cand, b: &Cand) -> bool {
    let Some(gap) = text.get(a.end..b.start) else {
        return false;
    };
    let words: Vec<&str> = gap.split_whitespace().collect();
    gap.starts_with(' ')
        && gap.ends_with(' ')
        && (1..=2).contains(&words.len())
        && words.iter().all(|w| {
            matches!(
                *w,
                "de" | "del"
                    | "la"
                    | "las"
                    | "los"
                    | "da"
                    | "do"
                    | "dos"
                    | "das"
                    | "di"
                    | "of"
                    | "for"
                    | "the"
                    | "and"
                    | "van"
                    | "von"
                    | "der"
                    | "des"
                    | "du"
                    | "y"
                    | "e"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronym_fits_initials() {
        assert!(acronym_fits(
            "CECOT",
            "Centro de Confinamiento del Terrorismo"
        ));
        assert!(!acronym_fits("CECOT", "Confinamiento del Terrorismo"));
        assert!(acronym_fits("DHS", "Department of Homeland Security"));
        assert!(!acronym_fits("NBA", "Department of Homeland Security"));
    }
}
