//! A cheap pre-pass that bounds element nesting before the HTML parser sees the page.
//!
//! html5ever copes with any nesting without recursion, but many of its tree-construction steps
//! ("is there a `<p>` in button scope?") scan the whole stack of open elements, so a page of
//! 100,000 nested `<div>`s costs it ~10¹⁰ steps. This pass tokenises just enough HTML (tags,
//! comments, raw-text elements such as `<script>`, the usual implied end tags) to track the
//! depth of open elements, and deletes the start tags that would go deeper than the limit. Their
//! text stays; their stray end tags are ignored by the parser. Pages that never reach the limit
//! are returned unchanged, without a copy.

use std::borrow::Cow;

/// What the pass needs to know about a tag name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `script`, `style`, `textarea`, …: raw text until the matching end tag.
    RawText,
    /// `plaintext`: the rest of the page is text.
    Plaintext,
    /// Never has an end tag.
    Void,
    /// A scope boundary for implied end tags (`table`, `td`, `button`, …).
    Scope,
    P,
    Li,
    DdDt,
    Option,
    Tr,
    Cell,
    /// `ul` / `ol`.
    List,
    Dl,
    Select,
    TableSection,
    /// Another element that closes an open `<p>`.
    Block,
    Other,
}

fn kind(name: &[u8]) -> Kind {
    let mut buf = [0u8; 12];
    if name.len() > buf.len() {
        return Kind::Other;
    }
    for (d, s) in buf.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    match &buf[..name.len()] {
        b"script" | b"style" | b"textarea" | b"title" | b"xmp" | b"iframe" | b"noembed"
        | b"noframes" | b"noscript" => Kind::RawText,
        b"plaintext" => Kind::Plaintext,
        b"area" | b"base" | b"br" | b"col" | b"embed" | b"hr" | b"img" | b"input" | b"link"
        | b"meta" | b"param" | b"source" | b"track" | b"wbr" | b"keygen" | b"image" => Kind::Void,
        b"html" | b"table" | b"caption" | b"button" | b"object" | b"applet" | b"marquee"
        | b"template" => Kind::Scope,
        b"td" | b"th" => Kind::Cell,
        b"p" => Kind::P,
        b"li" => Kind::Li,
        b"dd" | b"dt" => Kind::DdDt,
        b"option" => Kind::Option,
        b"tr" => Kind::Tr,
        b"ul" | b"ol" => Kind::List,
        b"dl" => Kind::Dl,
        b"select" => Kind::Select,
        b"tbody" | b"thead" | b"tfoot" => Kind::TableSection,
        b"address" | b"article" | b"aside" | b"blockquote" | b"center" | b"details" | b"dialog"
        | b"dir" | b"div" | b"fieldset" | b"figcaption" | b"figure" | b"footer" | b"form"
        | b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" | b"header" | b"hgroup" | b"main"
        | b"menu" | b"nav" | b"pre" | b"section" | b"summary" | b"listing" => Kind::Block,
        _ => Kind::Other,
    }
}

impl Kind {
    /// Whether this start tag closes an open `<p>`.
    fn closes_p(self) -> bool {
        matches!(
            self,
            Kind::P | Kind::Li | Kind::DdDt | Kind::List | Kind::Dl | Kind::Block
        )
    }
}

/// One open element: its kind and the byte range of its name in the page.
type Open = (Kind, usize, usize);

/// Pops the stack down to (and including) the nearest `target`, unless a scope boundary (or one
/// of `extra`) comes first.
fn close(stack: &mut Vec<Open>, target: Kind, extra: &[Kind]) {
    for k in (0..stack.len()).rev() {
        let kd = stack[k].0;
        if kd == target {
            stack.truncate(k);
            return;
        }
        if kd == Kind::Scope || kd == Kind::Cell || extra.contains(&kd) {
            return;
        }
    }
}

/// Returns `text` with the start tags nested deeper than `max_depth` removed.
pub(super) fn limit_nesting(text: &str, max_depth: usize) -> Cow<'_, str> {
    let b = text.as_bytes();
    let max_depth = max_depth.max(8);
    let mut stack: Vec<Open> = Vec::new();
    let mut out: Option<String> = None;
    let mut copied = 0usize;
    let mut i = 0usize;
    let name_at = |s: usize| -> usize {
        let mut e = s;
        while e < b.len() && !b[e].is_ascii_whitespace() && b[e] != b'>' && b[e] != b'/' {
            e += 1;
        }
        e
    };
    while let Some(off) = text.get(i..).and_then(|t| t.find('<')) {
        let lt = i + off;
        let rest = &b[lt..];
        if rest.starts_with(b"<!--") {
            match find(text, lt + 4, "-->") {
                Some(e) => i = e + 3,
                None => break,
            }
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            match find(text, lt + 2, ">") {
                Some(e) => i = e + 1,
                None => break,
            }
            continue;
        }
        if rest.starts_with(b"</") {
            let (s, e) = (lt + 2, name_at(lt + 2));
            let name = &b[s..e];
            if let Some(k) = stack
                .iter()
                .rposition(|&(_, ns, ne)| b[ns..ne].eq_ignore_ascii_case(name))
            {
                stack.truncate(k);
            }
            i = match find(text, e, ">") {
                Some(g) => g + 1,
                None => break,
            };
            continue;
        }
        if !rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let (s, e) = (lt + 1, name_at(lt + 1));
        let Some(gt) = tag_end(b, e) else { break };
        let name = &b[s..e];
        i = gt + 1;
        let kd = kind(name);
        match kd {
            Kind::RawText => {
                match find_end_tag(text, i, name) {
                    Some(p) => i = p,
                    None => break,
                }
                continue;
            }
            Kind::Plaintext => break,
            Kind::Void => continue,
            _ if b[gt - 1] == b'/' => continue,
            _ => {}
        }
        // Implied end tags: a block closes an open <p>; <li>/<dd>/<dt>/… close their kind.
        if kd.closes_p() {
            close(&mut stack, Kind::P, &[]);
        }
        match kd {
            Kind::Li => close(&mut stack, Kind::Li, &[Kind::List]),
            Kind::DdDt => close(&mut stack, Kind::DdDt, &[Kind::Dl]),
            Kind::Option => close(&mut stack, Kind::Option, &[Kind::Select]),
            Kind::Tr => close(&mut stack, Kind::Tr, &[Kind::TableSection]),
            Kind::Cell => {
                // A new cell closes the open cell of the same row.
                if let Some(k) = stack
                    .iter()
                    .rposition(|o| o.0 == Kind::Cell || o.0 == Kind::Tr || o.0 == Kind::Scope)
                {
                    if stack[k].0 == Kind::Cell {
                        stack.truncate(k);
                    }
                }
            }
            _ => {}
        }
        if stack.len() >= max_depth {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[copied..lt]);
            copied = i;
            continue;
        }
        stack.push((kd, s, e));
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
    }
}

/// First occurrence of `pat` at or after byte `from` (always a character boundary here: every
/// offset the pass stops at is next to an ASCII delimiter).
fn find(t: &str, from: usize, pat: &str) -> Option<usize> {
    t.get(from..)?.find(pat).map(|p| from + p)
}

/// The `>` that ends a start tag whose name ends at `from`, skipping quoted attribute values.
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    let mut prev = b' ';
    while i < b.len() {
        let c = b[i];
        if (c == b'"' || c == b'\'') && prev == b'=' {
            let close = b[i + 1..].iter().position(|&x| x == c)?;
            i += close + 2;
            prev = c;
            continue;
        }
        if c == b'>' {
            return Some(i);
        }
        if !c.is_ascii_whitespace() {
            prev = c;
        }
        i += 1;
    }
    None
}

/// Position of `</name` (case-insensitive) at or after `from`.
fn find_end_tag(t: &str, from: usize, name: &[u8]) -> Option<usize> {
    let b = t.as_bytes();
    let mut i = from;
    while let Some(p) = find(t, i, "</") {
        let n = b.get(p + 2..p + 2 + name.len())?;
        if n.eq_ignore_ascii_case(name) {
            return Some(p);
        }
        i = p + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shallow_pages_are_borrowed() {
        let t = "<div><p>a<p>b<ul><li>x<li>y</ul></div><script>if (a<b) {}</script>";
        assert!(matches!(limit_nesting(t, 8), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_start_tags_are_dropped_text_kept() {
        let t = format!("{}text{}", "<div>".repeat(20), "</div>".repeat(20));
        let out = limit_nesting(&t, 8);
        assert_eq!(out.matches("<div>").count(), 8);
        assert!(out.contains("text"));
    }

    #[test]
    fn implied_end_tags_do_not_count() {
        let t = "<p>x".repeat(100) + &"<li>y".repeat(100);
        assert!(matches!(limit_nesting(&t, 8), Cow::Borrowed(_)));
    }

    #[test]
    fn comments_and_raw_text_are_skipped() {
        let t = format!(
            "<!--{}--><script>{}</script>",
            "<div>".repeat(50),
            "<div>".repeat(50)
        );
        assert!(matches!(limit_nesting(&t, 8), Cow::Borrowed(_)));
        // Unclosed comment / tag: no panic.
        let _ = limit_nesting("<div><!-- never closed <div>", 8);
        let _ = limit_nesting("<div class=\"unterminated", 8);
        let _ = limit_nesting("<", 8);
        let _ = limit_nesting("</", 8);
    }
}
