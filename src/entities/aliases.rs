//! The shipped alias table (`data/ner/aliases.tsv`): variant spellings → one canonical name across
//! the corpus ("U.S.", "US", "USA" → "United States"), optionally with the name's type and a flag
//! for names that are always entities when spelled exactly so ("MS-13").
//!
//! Line format: `variant<TAB>canonical[<TAB>type[<TAB>exact]]`, where `type` is `person`,
//! `organization`, `place` or `misc` (or empty) and `exact` is the literal word `exact`.
//! `#` starts a comment line.

use std::collections::HashMap;

use crate::model::EntityKind;

/// Variant → canonical name, canonical name → type, and the always-a-name spellings.
#[derive(Default, Debug, Clone)]
pub struct Aliases {
    map: HashMap<String, String>,
    kinds: HashMap<String, EntityKind>,
    exact: Vec<(String, String)>,
}

/// The key an alias is looked up by: lower case, no periods, single spaces.
fn alias_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for w in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().filter(|c| *c != '.').flat_map(char::to_lowercase));
    }
    out
}

fn kind_named(s: &str) -> Option<EntityKind> {
    match s.trim() {
        "person" => Some(EntityKind::Person),
        "organization" => Some(EntityKind::Organization),
        "place" => Some(EntityKind::Place),
        "misc" => Some(EntityKind::Misc),
        _ => None,
    }
}

impl Aliases {
    /// Reads the table; malformed lines are skipped. A canonical name is an alias of itself.
    pub fn parse(data: &str) -> Aliases {
        let mut a = Aliases::default();
        for line in data.lines() {
            if line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(variant), Some(canonical)) = (cols.next(), cols.next()) else {
                continue;
            };
            let (variant, canonical) = (variant.trim(), canonical.trim());
            if canonical.is_empty() || variant.is_empty() {
                continue;
            }
            a.map.insert(alias_key(variant), canonical.to_string());
            a.map
                .entry(alias_key(canonical))
                .or_insert_with(|| canonical.to_string());
            if let Some(k) = cols.next().and_then(kind_named) {
                a.kinds.insert(canonical.to_string(), k);
            }
            if cols.next().map(str::trim) == Some("exact") {
                a.exact.push((variant.to_string(), canonical.to_string()));
            }
        }
        a
    }

    /// The canonical name of `name`, if the table knows it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(&alias_key(name)).map(String::as_str)
    }

    /// The type of a canonical name, if the table gives one.
    pub fn kind(&self, canonical: &str) -> Option<EntityKind> {
        self.kinds.get(canonical).copied()
    }

    /// Occurrences in `text` of the always-a-name spellings, as whole words:
    /// `(start, end, canonical name, type)`.
    pub fn find_exact<'a>(&'a self, text: &str) -> Vec<(usize, usize, &'a str, EntityKind)> {
        let mut out = Vec::new();
        for (variant, canonical) in &self.exact {
            let Some(kind) = self.kind(canonical) else {
                continue;
            };
            for (at, _) in text.match_indices(variant.as_str()) {
                let end = at + variant.len();
                let before = text[..at].chars().next_back();
                let after = text[end..].chars().next();
                let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '-');
                if boundary(before) && boundary(after) {
                    out.push((at, end, canonical.as_str(), kind));
                }
            }
        }
        out
    }

    /// Number of variants.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when the table is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_types_and_exact_names() {
        let a = Aliases::parse(
            "# c\nU.S.\tUnited States\tplace\nUS\tUnited States\nMS13\tMS-13\norganization\n\
             MS-13\tMS-13\torganization\texact\nbad\n",
        );
        for v in ["U.S.", "US", "u.s.", "United States", "united  states"] {
            assert_eq!(a.get(v), Some("United States"), "{v}");
        }
        assert_eq!(a.kind("United States"), Some(EntityKind::Place));
        assert_eq!(a.kind("MS-13"), Some(EntityKind::Organization));
        let text = "MS-13 and XMS-13 and MS-13's";
        let found: Vec<usize> = a.find_exact(text).iter().map(|f| f.0).collect();
        assert_eq!(found, vec![0, text.rfind("MS-13").unwrap_or(0)]);
        assert_eq!(a.get("nothing"), None);
    }
}
