//! The shipped alias table (`data/ner/aliases.tsv`): variant spellings → one canonical name across
//! the corpus ("U.S.", "US", "USA" → "United States"), optionally with the name's type and a flag
//! for names that are always entities when spelled exactly so ("MS-13").
//!
//! Line format: `variant<TAB>canonical[<TAB>type[<TAB>exact]]`, where `type` is `person`,
//! `organization`, `place` or `misc` (or empty) and `exact` is the literal word `exact`.
//! `#` starts a comment line.

use rustc_hash::FxHashMap as HashMap;

use regex_automata::meta::Regex;
use regex_automata::Input;

use crate::model::EntityKind;

/// Variant → canonical name, canonical name → type, and the always-a-name spellings.
#[derive(Default, Debug, Clone)]
pub struct Aliases {
    map: HashMap<String, String>,
    kinds: HashMap<String, EntityKind>,
    exact: Vec<(String, String)>,
    /// All of `exact`'s spellings at once (pattern `i` is `exact[i].0`).
    exact_finder: Option<Regex>,
}

/// A spelling's words, with any run of spaces and tabs holding at most one line break between
/// them: hard-wrapped copy breaks names across lines ("Wagner and\n    Brown"), but a blank
/// line parts two names.
fn spelling_pattern(spelling: &str) -> String {
    let mut pattern = String::new();
    for (i, word) in spelling.split_whitespace().enumerate() {
        if i > 0 {
            pattern.push_str(r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)");
        }
        for c in word.chars() {
            if r"\.+*?()|[]{}^$#&-~".contains(c) {
                pattern.push('\\');
            }
            pattern.push(c);
        }
    }
    pattern
}

/// The key an alias is looked up by: lower case, no periods, single spaces.
fn alias_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    if name.is_ascii() {
        // The usual name, without the char-by-char case mapping below.
        for w in name.split_ascii_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(
                w.bytes()
                    .filter(|b| *b != b'.')
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
        }
        return out;
    }
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
        // Of spellings matching at one place the first listed wins: the longest, so listed first.
        a.exact
            .sort_by_key(|(variant, _)| std::cmp::Reverse(variant.len()));
        let patterns: Vec<String> = a.exact.iter().map(|(v, _)| spelling_pattern(v)).collect();
        a.exact_finder = Regex::new_many(&patterns).ok();
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
        let Some(finder) = &self.exact_finder else {
            return Vec::new();
        };
        // One pass for all spellings instead of a scan of the text per spelling (those scans
        // were a tenth of the extractor's instructions). A match that is not a whole word is
        // skipped by one char only, so it hides no whole-word match that starts inside it.
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(m) = finder.find(Input::new(text).span(from..text.len())) {
            let (at, end) = (m.start(), m.end());
            let before = text[..at].chars().next_back();
            let after = text[end..].chars().next();
            let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '-');
            let whole_word = boundary(before) && boundary(after);
            let named = self
                .exact
                .get(m.pattern().as_usize())
                .and_then(|(_, canonical)| Some((canonical.as_str(), self.kind(canonical)?)));
            match named {
                Some((canonical, kind)) if whole_word => {
                    out.push((at, end, canonical, kind));
                    from = end;
                }
                _ => from = at + text[at..].chars().next().map_or(1, char::len_utf8),
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
        let spelled = Aliases::parse("ISIS\tIslamic State\torganization\texact\n");
        let found: Vec<usize> = spelled
            .find_exact("CRISIS, ISIS and XISIS.ISIS")
            .iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(found, vec![8, 23]);
        let found: Vec<usize> = a.find_exact(text).iter().map(|f| f.0).collect();
        assert_eq!(found, vec![0, text.rfind("MS-13").unwrap_or(0)]);
        assert_eq!(a.get("nothing"), None);
    }

    /// A spelling hard-wrapped across a line break, with the next line indented, is found with
    /// its line break; across a blank line it is not. The longest spelling found at a place wins.
    #[test]
    fn exact_names_are_found_across_a_line_break() {
        let a = Aliases::parse(
            "Wagner\tWagner\tperson\texact\n\
             Wagner and Brown\tWagner and Brown\torganization\texact\n\
             A.B. (Holdings)+\tAB\torganization\texact\n",
        );
        let text =
            "Led by  Wagner and\n    Brown, with Wagner\tand Brown. Not Wagner and\n\nBrown \
            but A.B. (Holdings)+ and AxB. (Holdings)+.\n";
        let found: Vec<(&str, &str)> = a
            .find_exact(text)
            .iter()
            .map(|&(start, end, name, _)| (&text[start..end], name))
            .collect();
        let want = [
            ("Wagner and\n    Brown", "Wagner and Brown"),
            ("Wagner\tand Brown", "Wagner and Brown"),
            ("Wagner", "Wagner"),
            ("A.B. (Holdings)+", "AB"),
        ];
        assert_eq!(found, want);
    }

    /// The shipped table's spellings build one finder (a pattern it cannot build would leave
    /// every exact name unfound, silently).
    #[test]
    fn shipped_exact_names_are_found() {
        let a = Aliases::parse(crate::entities::ALIASES_TSV);
        let text =
            "Tren de Aragua, al-Qaeda and Alex. Brown and Sons; Donaldson, Lufkin and\nJenrette. \
            The Saffir–Simpson scale, the Saffir-Simpson hurricane wind scale.";
        let names: Vec<&str> = a.find_exact(text).iter().map(|f| f.2).collect();
        let want = [
            "Tren de Aragua",
            "al-Qaeda",
            "Alex. Brown and Sons",
            "Donaldson Lufkin and Jenrette",
            "Saffir-Simpson scale",
            "Saffir-Simpson scale",
        ];
        assert_eq!(names, want);
    }
}
