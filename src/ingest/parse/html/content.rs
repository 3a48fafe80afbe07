//! Main-text extraction: readability-style candidate scoring over the [`Dom`] arena.
//!
//! 1. Mark the nodes a pass ignores (unlikely class/id, chrome roles, bylines, hidden).
//! 2. Every run of inline content inside a block ("paragraph") of at least 25 characters scores
//!    `2 + commas + min(len/100, 3)`; the score is given to its ancestors (full, half, then a third
//!    of the level each). Ancestors start from a tag prior and a class/id weight.
//! 3. Scores are scaled by `1 - link density`; the best candidate is promoted to a common ancestor
//!    when other high candidates share it, or when the parent scores higher.
//! 4. The candidate's siblings join when they score well enough or look like prose paragraphs.
//! 5. The chosen content is cleaned: share bars, asides, footers, link-heavy lists and tables,
//!    image galleries and tiny blocks go.
//! 6. When the result has fewer than 500 characters, the pass is repeated with fewer filters, and
//!    the longest result wins.
//!
//! All walks are loops over arena indices: the arena is in document order, so a reverse loop
//! visits children before parents.

use super::classify::{classify, ClassInfo};
use super::dom::{
    Dom, Kind, Tag, F_ARIA_HIDDEN, F_ARTICLE_BODY, F_AUTHOR, F_ITEMPROP_MEDIA, F_ROLE_CHROME,
    F_SOCIAL_POST, NONE,
};
use super::text;

const FLAG_STRIP_UNLIKELY: u8 = 1;
const FLAG_WEIGHT_CLASSES: u8 = 2;
const FLAG_CLEAN_CONDITIONALLY: u8 = 4;

/// Below this many characters a pass is considered to have failed.
const CHAR_THRESHOLD: usize = 500;

/// Per-page facts that do not depend on the pass.
struct Static {
    /// Normalised text length of text nodes.
    tlen: Vec<f32>,
    /// Comma count of text nodes.
    commas: Vec<f32>,
    /// Class/id weight (-50..=50) of elements.
    weight: Vec<f32>,
    /// Class/id looks like page chrome (readability's "unlikely candidates").
    unlikely: Vec<bool>,
    /// Class/id looks like a share bar.
    share: Vec<bool>,
    /// Class/id looks like a byline.
    byline: Vec<bool>,
    /// Class/id marks a comment section.
    comments: Vec<bool>,
    /// Class/id looks like an image caption or credit.
    caption: Vec<bool>,
    /// Inside a `table` / `pre` / `code` ancestor.
    in_table: Vec<bool>,
    /// Whether the node is phrasing content (text, inline element without block descendants).
    phrasing: Vec<bool>,
    /// Tables that hold data rather than layout.
    data_table: Vec<bool>,
    /// Inside a quoted social-media post.
    in_post: Vec<bool>,
    /// Wraps a quoted social-media post (the post is most of its text): exempt from the
    /// class-based removals.
    post_wrapper: Vec<bool>,
}

impl Static {
    fn new(dom: &Dom<'_>) -> Static {
        let n = dom.nodes.len();
        let mut s = Static {
            tlen: vec![0.0; n],
            commas: vec![0.0; n],
            weight: vec![0.0; n],
            unlikely: vec![false; n],
            share: vec![false; n],
            byline: vec![false; n],
            comments: vec![false; n],
            caption: vec![false; n],
            in_table: vec![false; n],
            phrasing: vec![false; n],
            data_table: vec![false; n],
            in_post: vec![false; n],
            post_wrapper: vec![false; n],
        };
        for (i, node) in dom.nodes.iter().enumerate() {
            match node.kind {
                Kind::Text(t) => {
                    let (len, commas) = text_stats(t);
                    s.tlen[i] = len as f32;
                    s.commas[i] = commas as f32;
                }
                Kind::Elem(tag) => {
                    let cls = if node.class.is_empty() && node.id.is_empty() {
                        ClassInfo::default()
                    } else {
                        classify(node.class, node.id)
                    };
                    s.weight[i] = cls.weight;
                    s.unlikely[i] = cls.unlikely;
                    s.comments[i] = cls.comments;
                    s.share[i] = cls.share;
                    s.byline[i] = cls.byline || node.flags & F_AUTHOR != 0;
                    s.caption[i] =
                        cls.caption || tag == Tag::Figcaption || node.flags & F_ITEMPROP_MEDIA != 0;
                    if node.parent != NONE {
                        let p = node.parent as usize;
                        s.in_table[i] = s.in_table[p]
                            || matches!(dom.tag(node.parent), Some(Tag::Table | Tag::Pre))
                            || matches!(tag, Tag::Pre);
                    }
                }
            }
        }
        // Top-down: inside a post.
        for i in 1..n {
            let node = &dom.nodes[i];
            let p = node.parent as usize;
            s.in_post[i] = s.in_post[p] || node.flags & F_SOCIAL_POST != 0;
        }
        // Bottom-up: text length of the subtree, and of the posts in it.
        let mut all = vec![0.0f32; n];
        let mut post = vec![0.0f32; n];
        for i in (1..n).rev() {
            let node = &dom.nodes[i];
            all[i] += s.tlen[i];
            if node.flags & F_SOCIAL_POST != 0 {
                post[i] = all[i];
            }
            s.post_wrapper[i] = post[i] > 0.0 && post[i] >= 0.5 * all[i];
            let p = node.parent as usize;
            all[p] += all[i];
            post[p] += post[i];
        }
        // Bottom-up: phrasing.
        for i in (0..n).rev() {
            let node = &dom.nodes[i];
            s.phrasing[i] = match node.kind {
                Kind::Text(_) => true,
                Kind::Elem(tag) => {
                    !tag.is_block() && dom.children(i as u32).all(|c| s.phrasing[c as usize])
                }
            };
        }
        for i in 0..n {
            if dom.tag(i as u32) == Some(Tag::Table) {
                s.data_table[i] = is_data_table(dom, i as u32);
            }
        }
        s
    }
}

/// Length of the whitespace-normalised text (runs of whitespace between words count as one) and
/// the number of commas.
pub(super) fn text_stats(t: &str) -> (usize, usize) {
    let mut len = 0usize;
    let mut commas = 0usize;
    let mut pending_space = false;
    let mut any = false;
    for c in t.chars() {
        if c.is_whitespace() {
            pending_space = any;
        } else {
            if pending_space {
                len += 1;
                pending_space = false;
            }
            any = true;
            len += 1;
            if matches!(
                c,
                '\u{002C}'
                    | '\u{060C}'
                    | '\u{FE50}'
                    | '\u{FE10}'
                    | '\u{FE11}'
                    | '\u{2E41}'
                    | '\u{2E34}'
                    | '\u{2E32}'
                    | '\u{FF0C}'
            ) {
                commas += 1;
            }
        }
    }
    // A word boundary at either end of a text node usually separates it from its neighbour.
    if any && (t.starts_with(char::is_whitespace) || t.ends_with(char::is_whitespace)) {
        len += 1;
    }
    (len, commas)
}

fn is_data_table(dom: &Dom<'_>, t: u32) -> bool {
    let end = dom.subtree_end(t);
    let mut rows = 0usize;
    let mut max_cols = 0usize;
    let mut cols = 0usize;
    for i in t + 1..end {
        match dom.tag(i) {
            Some(Tag::Table) => return false,
            Some(Tag::Caption | Tag::Th) => return true,
            Some(Tag::Tr) => {
                rows += 1;
                max_cols = max_cols.max(cols);
                cols = 0;
            }
            Some(Tag::Td) => cols += 1,
            _ => {}
        }
    }
    max_cols = max_cols.max(cols);
    rows >= 10 || max_cols > 4 || rows * max_cols > 10
}

/// Aggregated counts of a subtree, kept up to date while the content is cleaned.
#[derive(Debug, Clone, Copy, Default)]
struct Agg {
    tlen: f32,
    llen: f32,
    commas: f32,
    p: f32,
    img: f32,
    li: f32,
    input: f32,
    embed: f32,
    heading_len: f32,
    list_len: f32,
}

impl Agg {
    fn add(&mut self, o: &Agg) {
        self.tlen += o.tlen;
        self.llen += o.llen;
        self.commas += o.commas;
        self.p += o.p;
        self.img += o.img;
        self.li += o.li;
        self.input += o.input;
        self.embed += o.embed;
        self.heading_len += o.heading_len;
        self.list_len += o.list_len;
    }
    fn sub(&mut self, o: &Agg) {
        self.tlen -= o.tlen;
        self.llen -= o.llen;
        self.commas -= o.commas;
        self.p -= o.p;
        self.img -= o.img;
        self.li -= o.li;
        self.input -= o.input;
        self.embed -= o.embed;
        self.heading_len -= o.heading_len;
        self.list_len -= o.list_len;
    }
}

/// One extraction attempt.
struct Pass<'d, 'a> {
    dom: &'d Dom<'a>,
    st: &'d Static,
    flags: u8,
    /// Node takes part in this pass.
    alive: Vec<bool>,
    /// Aggregates including the node itself.
    agg: Vec<Agg>,
    score: Vec<f32>,
    scored: Vec<bool>,
}

/// Extracts the main text of the page as paragraphs separated by blank lines.
pub(super) fn extract(dom: &Dom<'_>, title: &str) -> String {
    let st = Static::new(dom);
    let mut best = String::new();
    for flags in [
        FLAG_STRIP_UNLIKELY | FLAG_WEIGHT_CLASSES | FLAG_CLEAN_CONDITIONALLY,
        FLAG_WEIGHT_CLASSES | FLAG_CLEAN_CONDITIONALLY,
        FLAG_CLEAN_CONDITIONALLY,
        0,
    ] {
        let mut pass = Pass::new(dom, &st, flags, title);
        let out = pass.run();
        if text::char_len(&out) >= CHAR_THRESHOLD {
            return out;
        }
        if text::char_len(&out) > text::char_len(&best) {
            best = out;
        }
    }
    best
}

impl<'d, 'a> Pass<'d, 'a> {
    fn new(dom: &'d Dom<'a>, st: &'d Static, flags: u8, title: &str) -> Self {
        let n = dom.nodes.len();
        let mut p = Pass {
            dom,
            st,
            flags,
            alive: vec![true; n],
            agg: vec![Agg::default(); n],
            score: vec![0.0; n],
            scored: vec![false; n],
        };
        p.mark_alive(title);
        p.compute_aggs();
        p
    }

    fn weight(&self, i: u32) -> f32 {
        if self.flags & FLAG_WEIGHT_CLASSES != 0 {
            self.st.weight[i as usize]
        } else {
            0.0
        }
    }

    fn mark_alive(&mut self, title: &str) {
        let dom = self.dom;
        let n = dom.nodes.len();
        let strip = self.flags & FLAG_STRIP_UNLIKELY != 0;
        let norm_title = text::normalize_for_compare(title);
        for i in 1..n {
            let node = &dom.nodes[i];
            let parent = node.parent as usize;
            if !self.alive[parent] {
                self.alive[i] = false;
                continue;
            }
            let Kind::Elem(tag) = node.kind else {
                continue;
            };
            let mut remove = node.flags & F_ARIA_HIDDEN != 0;
            if strip
                && !matches!(tag, Tag::Body | Tag::A)
                && !self.st.in_table[i]
                && !self.st.post_wrapper[i]
            {
                if self.st.unlikely[i] {
                    remove = true;
                }
                if node.flags & F_ROLE_CHROME != 0 {
                    remove = true;
                }
            }
            // Comment sections are never the article, even when the strict pass found too little.
            if self.st.comments[i] && tag != Tag::Body {
                remove = true;
            }
            if !remove && self.st.byline[i] && node.flags & F_ARTICLE_BODY == 0 {
                // A short byline block.
                let len = self.raw_text_len(i as u32);
                if len > 0.0 && len < 100.0 {
                    remove = true;
                }
            }
            if !remove && self.st.caption[i] && self.raw_text_len(i as u32) < 500.0 {
                remove = true;
            }
            if !remove && matches!(tag, Tag::H1 | Tag::H2) && !norm_title.is_empty() {
                let h = text::normalize_for_compare(&self.collect_text(i as u32));
                if h == norm_title {
                    remove = true;
                }
            }
            if remove {
                self.alive[i] = false;
            }
        }
    }

    /// Text length of a subtree ignoring the alive flags (used while they are being computed).
    fn raw_text_len(&self, i: u32) -> f32 {
        let end = self.dom.subtree_end(i);
        let mut len = 0.0;
        for j in i + 1..end {
            len += self.st.tlen[j as usize];
            if len > 1000.0 {
                break;
            }
        }
        len
    }

    fn collect_text(&self, i: u32) -> String {
        let end = self.dom.subtree_end(i);
        let mut s = String::new();
        for j in i + 1..end {
            if let Kind::Text(t) = self.dom.nodes[j as usize].kind {
                s.push_str(t);
                if s.len() > 2000 {
                    break;
                }
            }
        }
        s
    }

    fn compute_aggs(&mut self) {
        let dom = self.dom;
        for i in (0..dom.nodes.len()).rev() {
            if !self.alive[i] {
                continue;
            }
            let node = &dom.nodes[i];
            let mut a = Agg::default();
            match node.kind {
                Kind::Text(_) => {
                    a.tlen = self.st.tlen[i];
                    a.commas = self.st.commas[i];
                }
                Kind::Elem(tag) => {
                    for c in dom.children(i as u32) {
                        if self.alive[c as usize] {
                            let ca = self.agg[c as usize];
                            a.add(&ca);
                        }
                    }
                    match tag {
                        Tag::A => {
                            a.llen = if node.href.starts_with('#') {
                                a.tlen * 0.3
                            } else {
                                a.tlen
                            }
                        }
                        Tag::P => a.p += 1.0,
                        Tag::Img => a.img += 1.0,
                        Tag::Li => a.li += 1.0,
                        Tag::Input => a.input += 1.0,
                        Tag::Embed => a.embed += 1.0,
                        Tag::Ul | Tag::Ol => a.list_len = a.tlen,
                        t if t.is_heading() => a.heading_len = a.tlen,
                        _ => {}
                    }
                }
            }
            self.agg[i] = a;
        }
    }

    fn link_density(&self, i: u32) -> f32 {
        let a = &self.agg[i as usize];
        if a.tlen <= 0.0 {
            0.0
        } else {
            (a.llen / a.tlen).min(1.0)
        }
    }

    fn init_candidate(&mut self, i: u32) {
        if self.scored[i as usize] {
            return;
        }
        self.scored[i as usize] = true;
        let base = match self.dom.tag(i) {
            Some(Tag::Div) => 5.0,
            Some(Tag::Pre | Tag::Td | Tag::Blockquote) => 3.0,
            Some(Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Ol | Tag::Ul | Tag::Form) => -3.0,
            Some(t) if t.is_heading() => -5.0,
            Some(Tag::Th) => -5.0,
            _ => 0.0,
        };
        self.score[i as usize] = base + self.weight(i);
    }

    /// Gives a paragraph's score to its ancestors, starting with `first` at level 0.
    fn credit(&mut self, first: u32, len: f32, commas: f32) {
        if len < 25.0 {
            return;
        }
        let score = 1.0 + (commas + 1.0) + (len / 100.0).floor().min(3.0);
        let mut anc = first;
        let mut level = 0;
        while anc != NONE && level < 5 {
            let parent = self.dom.nodes[anc as usize].parent;
            // Stop at the root element (whose parent is the document).
            if parent == NONE || anc == 0 {
                break;
            }
            if !matches!(self.dom.tag(anc), Some(t) if t != Tag::Root) {
                break;
            }
            self.init_candidate(anc);
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            self.score[anc as usize] += score / div;
            anc = parent;
            level += 1;
        }
    }

    fn score_paragraphs(&mut self) {
        let dom = self.dom;
        for i in 0..dom.nodes.len() {
            if !self.alive[i] || self.st.phrasing[i] {
                continue;
            }
            let Some(tag) = dom.tag(i as u32) else {
                continue;
            };
            if matches!(
                tag,
                Tag::Root
                    | Tag::Li
                    | Tag::Dd
                    | Tag::Dt
                    | Tag::Dl
                    | Tag::Ul
                    | Tag::Ol
                    | Tag::Table
                    | Tag::Tr
                    | Tag::Th
                    | Tag::H1
                    | Tag::Figcaption
                    | Tag::Caption
                    | Tag::Hr
                    | Tag::Br
            ) {
                continue;
            }
            let all_phrasing = dom
                .children(i as u32)
                .all(|c| !self.alive[c as usize] || self.st.phrasing[c as usize]);
            if all_phrasing {
                let a = self.agg[i];
                let parent = dom.nodes[i].parent;
                if parent != NONE {
                    self.credit(parent, a.tlen, a.commas);
                }
                continue;
            }
            // Mixed content: every run of inline children is a paragraph of its own.
            let mut len = 0.0;
            let mut commas = 0.0;
            for c in dom.children(i as u32) {
                if !self.alive[c as usize] {
                    continue;
                }
                if self.st.phrasing[c as usize] {
                    len += self.agg[c as usize].tlen;
                    commas += self.agg[c as usize].commas;
                } else {
                    self.credit(i as u32, len, commas);
                    len = 0.0;
                    commas = 0.0;
                }
            }
            self.credit(i as u32, len, commas);
        }
    }

    fn body(&self) -> u32 {
        (0..self.dom.nodes.len() as u32)
            .find(|&i| self.dom.tag(i) == Some(Tag::Body))
            .unwrap_or(0)
    }

    fn run(&mut self) -> String {
        self.score_paragraphs();
        let dom = self.dom;
        let n = dom.nodes.len();
        // Scale by link density and keep the top 5.
        let mut top: Vec<(f32, u32)> = Vec::new();
        for i in 0..n {
            if !self.scored[i] || !self.alive[i] {
                continue;
            }
            let s = self.score[i] * (1.0 - self.link_density(i as u32));
            self.score[i] = s;
            top.push((s, i as u32));
        }
        top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        top.truncate(5);
        let body = self.body();
        let mut roots: Vec<u32> = Vec::new();
        match top.first().copied() {
            Some((_, t)) if !matches!(dom.tag(t), Some(Tag::Body | Tag::Root)) => {
                let cand = self.refine_top(t, &top, body);
                roots = self.with_siblings(cand);
                let peers = self.peers(cand);
                if !peers.is_empty() {
                    roots.extend(peers);
                    roots.sort_unstable();
                    roots.dedup();
                    // Drop roots nested in another root.
                    let mut kept: Vec<u32> = Vec::new();
                    for r in roots {
                        if kept.last().is_some_and(|&k| r < dom.subtree_end(k)) {
                            continue;
                        }
                        kept.push(r);
                    }
                    roots = kept;
                }
            }
            _ => roots.push(body),
        }
        self.clean(&roots);
        let mut out = String::new();
        text::render(dom, &roots, &self.alive, &mut out);
        out
    }

    fn is_ancestor(&self, anc: u32, mut node: u32) -> bool {
        while node != NONE {
            if node == anc {
                return true;
            }
            node = self.dom.nodes[node as usize].parent;
        }
        false
    }

    fn refine_top(&mut self, mut top: u32, tops: &[(f32, u32)], body: u32) -> u32 {
        let dom = self.dom;
        let top_score = self.score[top as usize];
        let alts: Vec<u32> = tops
            .iter()
            .skip(1)
            .filter(|(s, _)| top_score > 0.0 && s / top_score >= 0.75)
            .map(|&(_, i)| i)
            .collect();
        if alts.len() >= 3 {
            let mut p = dom.nodes[top as usize].parent;
            while p != NONE && p != body && p != 0 {
                let containing = alts.iter().filter(|&&a| self.is_ancestor(p, a)).count();
                if containing >= 3 {
                    top = p;
                    break;
                }
                p = dom.nodes[p as usize].parent;
            }
        }
        self.init_candidate(top);
        // Climb while the parent scores higher.
        let mut p = dom.nodes[top as usize].parent;
        let mut last = self.score[top as usize];
        let threshold = last / 3.0;
        while p != NONE && p != body && p != 0 {
            if !self.scored[p as usize] {
                p = dom.nodes[p as usize].parent;
                continue;
            }
            let ps = self.score[p as usize];
            if ps < threshold {
                break;
            }
            if ps > last {
                top = p;
                break;
            }
            last = ps;
            p = dom.nodes[p as usize].parent;
        }
        // An only child is replaced by its parent.
        loop {
            let p = dom.nodes[top as usize].parent;
            if p == NONE || p == body || p == 0 {
                break;
            }
            let elems = dom
                .children(p)
                .filter(|&c| self.alive[c as usize] && dom.tag(c).is_some())
                .count();
            if elems != 1 {
                break;
            }
            top = p;
        }
        self.init_candidate(top);
        top
    }

    fn with_siblings(&self, top: u32) -> Vec<u32> {
        let dom = self.dom;
        let parent = dom.nodes[top as usize].parent;
        if parent == NONE {
            return vec![top];
        }
        let top_score = self.score[top as usize];
        let threshold = (top_score * 0.2).max(10.0);
        let top_class = dom.nodes[top as usize].class;
        let mut out = Vec::new();
        for s in dom.children(parent) {
            if !self.alive[s as usize] {
                continue;
            }
            if s == top {
                out.push(s);
                continue;
            }
            let node = &dom.nodes[s as usize];
            let mut append = false;
            let mut bonus = 0.0;
            if !top_class.is_empty() && node.class == top_class {
                bonus += top_score * 0.2;
            }
            if self.scored[s as usize] && self.score[s as usize] + bonus >= threshold {
                append = true;
            } else if dom.tag(s) == Some(Tag::P) || self.st.phrasing[s as usize] {
                // A prose paragraph: long with few links, or short, link-free and a sentence.
                let ld = self.link_density(s);
                let len = self.agg[s as usize].tlen;
                append = (len > 80.0 && ld < 0.25)
                    || (len < 80.0 && len > 0.0 && ld == 0.0 && ends_sentence(dom, s));
            }
            if append {
                out.push(s);
            }
        }
        out
    }

    /// Elements elsewhere on the page with the same tag and class as the chosen candidate and
    /// prose-like content, close to it in the tree: articles split into several chunks.
    fn peers(&self, top: u32) -> Vec<u32> {
        let dom = self.dom;
        let class = dom.nodes[top as usize].class.trim();
        if class.is_empty() {
            return Vec::new();
        }
        let tag = dom.tag(top);
        // The ancestor a few levels up bounds the search.
        let mut scope = top;
        for _ in 0..2 {
            let p = dom.nodes[scope as usize].parent;
            if p == NONE || p == 0 || dom.tag(p) == Some(Tag::Body) {
                break;
            }
            scope = p;
        }
        let top_end = dom.subtree_end(top);
        let end = dom.subtree_end(scope);
        let mut out = Vec::new();
        let mut i = scope + 1;
        while i < end {
            if !self.alive[i as usize] {
                i = dom.subtree_end(i);
                continue;
            }
            if i == top {
                i = top_end;
                continue;
            }
            let n = &dom.nodes[i as usize];
            if dom.tag(i) == tag && n.class.trim() == class && !self.is_ancestor(i, top) {
                let a = &self.agg[i as usize];
                if a.tlen >= 100.0 && self.link_density(i) < 0.33 {
                    out.push(i);
                    i = dom.subtree_end(i);
                    continue;
                }
            }
            i += 1;
        }
        out
    }

    /// A block whose alive children are all inline.
    fn is_leaf(&self, i: u32) -> bool {
        self.dom
            .children(i)
            .all(|c| !self.alive[c as usize] || self.st.phrasing[c as usize])
    }

    fn remove(&mut self, i: u32) {
        if !self.alive[i as usize] {
            return;
        }
        self.alive[i as usize] = false;
        let a = self.agg[i as usize];
        let mut p = self.dom.nodes[i as usize].parent;
        while p != NONE {
            self.agg[p as usize].sub(&a);
            p = self.dom.nodes[p as usize].parent;
        }
    }

    fn has_ancestor(&self, i: u32, root: u32, pred: impl Fn(u32) -> bool) -> bool {
        let mut p = self.dom.nodes[i as usize].parent;
        while p != NONE {
            if pred(p) {
                return true;
            }
            if p == root {
                break;
            }
            p = self.dom.nodes[p as usize].parent;
        }
        false
    }

    fn clean(&mut self, roots: &[u32]) {
        let dom = self.dom;
        let cc = self.flags & FLAG_CLEAN_CONDITIONALLY != 0;
        for &root in roots {
            let end = dom.subtree_end(root);
            // Unconditional removals.
            for i in root + 1..end {
                if !self.alive[i as usize] {
                    continue;
                }
                let Some(tag) = dom.tag(i) else { continue };
                let drop = match tag {
                    Tag::Embed | Tag::Footer | Tag::Aside | Tag::Input | Tag::H1 => true,
                    // Headline, byline and date block of the article.
                    Tag::Header => true,
                    Tag::H2 => self.weight(i) < 0.0,
                    _ => false,
                } || (self.st.share[i as usize] && self.agg[i as usize].tlen < 500.0);
                if drop {
                    self.remove(i);
                }
            }
            if !cc {
                continue;
            }
            for group in [
                &[Tag::Form, Tag::Fieldset][..],
                &[Tag::Table][..],
                &[Tag::Ul][..],
                &[Tag::Div][..],
            ] {
                for i in (root..end).rev() {
                    if !self.alive[i as usize] {
                        continue;
                    }
                    let Some(tag) = dom.tag(i) else { continue };
                    if !group.contains(&tag) {
                        continue;
                    }
                    if self.should_clean(i, tag, root) {
                        self.remove(i);
                    }
                }
            }
            // Leaf blocks that are all link (in-text "related" links), boilerplate labels
            // ("Advertisement") and promotion lines ("Read more: …").
            for i in root + 1..end {
                if !self.alive[i as usize] {
                    continue;
                }
                let Some(tag) = dom.tag(i) else { continue };
                if !tag.is_block() {
                    continue;
                }
                if !self.is_leaf(i) || self.st.in_post[i as usize] {
                    continue;
                }
                let a = self.agg[i as usize];
                let drop = (a.tlen > 0.0 && a.llen / a.tlen > 0.8)
                    || (a.tlen < 40.0 && is_boilerplate(&self.collect_text(i)))
                    || (a.tlen < 200.0 && has_boilerplate_prefix(&self.collect_text(i)));
                if drop {
                    self.remove(i);
                }
            }
        }
    }

    fn should_clean(&self, i: u32, tag: Tag, root: u32) -> bool {
        let dom = self.dom;
        let a = self.agg[i as usize];
        let mut is_list = matches!(tag, Tag::Ul | Tag::Ol);
        if !is_list && a.tlen > 0.0 {
            is_list = a.list_len / a.tlen > 0.9;
        }
        if tag == Tag::Table && self.st.data_table[i as usize] {
            return false;
        }
        if self.has_ancestor(i, root, |p| {
            self.dom.tag(p) == Some(Tag::Table) && self.st.data_table[p as usize]
        }) {
            return false;
        }
        if self.st.in_table[i as usize]
            && self.has_ancestor(i, root, |p| self.dom.tag(p) == Some(Tag::Pre))
        {
            return false;
        }
        if self.st.post_wrapper[i as usize] {
            return false;
        }
        let weight = self.weight(i);
        if weight < 0.0 {
            return true;
        }
        // Link lists ("more stories") go whatever their class says.
        if is_list && self.link_density(i) > 0.5 {
            return true;
        }
        if a.commas >= 10.0 {
            return false;
        }
        // Counts over descendants only.
        let self_p = if tag == Tag::P { 1.0 } else { 0.0 };
        let self_li = if tag == Tag::Li { 1.0 } else { 0.0 };
        let p = a.p - self_p;
        let img = a.img;
        let li = a.li - self_li - 100.0;
        let input = a.input;
        let embed = a.embed;
        let heading_density = if a.tlen > 0.0 {
            a.heading_len / a.tlen
        } else {
            0.0
        };
        let ld = self.link_density(i);
        let len = a.tlen;
        let in_figure = self.has_ancestor(i, NONE, |p| dom.tag(p) == Some(Tag::Figure));
        let remove = (img > 1.0 && p / img < 0.5 && !in_figure)
            || (!is_list && li > p)
            || (input > (p / 3.0).floor())
            || (!is_list
                && heading_density < 0.9
                && len < 25.0
                && (img == 0.0 || img > 2.0)
                && !in_figure)
            || (!is_list && weight < 25.0 && ld > 0.2)
            || (weight >= 25.0 && ld > 0.5)
            || ((embed == 1.0 && len < 75.0) || embed > 1.0);
        if is_list && remove {
            // Simple lists of images stay.
            for c in dom.children(i) {
                if dom.tag(c).is_some()
                    && dom
                        .children(c)
                        .filter(|&g| self.alive[g as usize] && dom.tag(g).is_some())
                        .count()
                        > 1
                {
                    return true;
                }
            }
            if img == a.li - self_li {
                return false;
            }
        }
        remove
    }
}

fn ends_sentence(dom: &Dom<'_>, i: u32) -> bool {
    let end = dom.subtree_end(i);
    let mut s = String::new();
    if let Kind::Text(t) = dom.nodes[i as usize].kind {
        s.push_str(t);
    }
    for j in i + 1..end {
        if let Kind::Text(t) = dom.nodes[j as usize].kind {
            s.push_str(t);
        }
    }
    let t = s.trim_end();
    t.ends_with('.') || t.contains(". ")
}

/// Labels that are never article text.
fn is_boilerplate(t: &str) -> bool {
    let n = text::normalize_for_compare(t);
    matches!(
        n.as_str(),
        "advertisement"
            | "advertisements"
            | "ad"
            | "sponsored"
            | "sponsored content"
            | "story continues below"
            | "story continues below advertisement"
            | "continue reading below"
            | "article continues below"
            | "continue reading the main story"
            | "supported by"
            | "read more"
            | "more"
            | "show more"
            | "related"
            | "related articles"
            | "related stories"
            | "related content"
            | "recommended"
            | "trending"
            | "don t miss"
            | "share this article"
            | "share"
            | "share this"
            | "you may also like"
            | "you might also like"
            | "most read"
            | "most popular"
            | "more from"
            | "loading"
            | "click here"
            | "tags"
            | "topics"
    )
}

/// Lines that introduce links or promotions rather than article text.
fn has_boilerplate_prefix(t: &str) -> bool {
    let n = text::normalize_for_compare(t);
    [
        "read more",
        "related",
        "see also",
        "more from",
        "sign up",
        "subscribe",
        "follow us",
        "published",
        "updated",
        "don t miss",
        "like this story",
        "share this",
        "get the latest",
    ]
    .iter()
    .any(|p| n.starts_with(p) && n[p.len()..].starts_with(' '))
}
