//! Turning chosen arena subtrees into text: one paragraph per block, whitespace collapsed.

use super::dom::{Dom, Kind, Tag};

/// Number of `char`s in `s`.
pub(super) fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Lower-case words joined by single spaces: for comparing headings with the title.
pub(super) fn normalize_for_compare(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Collapses runs of whitespace to one space and trims.
pub(super) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Decodes the handful of HTML entities that turn up in JSON-LD and meta values.
pub(super) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let c = match ent {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    if let Some(h) = ent.strip_prefix("#x").or_else(|| ent.strip_prefix("#X")) {
                        u32::from_str_radix(h, 16).ok().and_then(char::from_u32)
                    } else if let Some(d) = ent.strip_prefix('#') {
                        d.parse::<u32>().ok().and_then(char::from_u32)
                    } else {
                        None
                    }
                }
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Plain text with one paragraph per line (JSON-LD `articleBody`) → paragraphs separated by a
/// blank line, whitespace collapsed, entities decoded.
pub(super) fn paragraphs_of(s: &str) -> String {
    let decoded = decode_entities(s);
    let mut out = String::new();
    for line in decoded.lines() {
        let line = collapse_ws(line);
        if !line.is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&line);
        }
    }
    out
}

/// Accumulates paragraphs.
pub(super) struct Paragraphs<'o> {
    out: &'o mut String,
    cur: String,
    space: bool,
}

impl<'o> Paragraphs<'o> {
    /// Appends finished paragraphs to `out`.
    pub(super) fn new(out: &'o mut String) -> Self {
        Paragraphs {
            out,
            cur: String::new(),
            space: false,
        }
    }

    /// Adds inline text.
    pub(super) fn text(&mut self, t: &str) {
        for c in t.chars() {
            if c.is_whitespace() {
                self.space = !self.cur.is_empty();
            } else {
                if self.space {
                    self.cur.push(' ');
                    self.space = false;
                }
                self.cur.push(c);
            }
        }
    }

    /// Ends the current paragraph.
    pub(super) fn flush(&mut self) {
        if !self.cur.is_empty() {
            if !self.out.is_empty() {
                self.out.push_str("\n\n");
            }
            self.out.push_str(&self.cur);
            self.cur.clear();
        }
        self.space = false;
    }
}

/// Renders the alive parts of the subtrees `roots` (in order) into `out`.
pub(super) fn render(dom: &Dom<'_>, roots: &[u32], alive: &[bool], out: &mut String) {
    let mut para = Paragraphs::new(out);
    // Ends (exclusive) of the open block elements.
    let mut open: Vec<u32> = Vec::new();
    for &root in roots {
        let end = dom.subtree_end(root);
        let mut i = root;
        while i < end {
            while open.last().is_some_and(|&e| i >= e) {
                open.pop();
                para.flush();
            }
            if !alive[i as usize] {
                i = dom.subtree_end(i);
                continue;
            }
            match dom.nodes[i as usize].kind {
                Kind::Text(t) => para.text(t),
                Kind::Elem(Tag::Br | Tag::Hr) => para.flush(),
                Kind::Elem(tag) if tag.is_block() => {
                    para.flush();
                    open.push(dom.subtree_end(i));
                }
                Kind::Elem(_) => {}
            }
            i += 1;
        }
        while open.pop().is_some() {
            para.flush();
        }
    }
    para.flush();
}
