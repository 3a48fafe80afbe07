//! A compact, read-only arena view of the parsed page used by the body extractor.
//!
//! The scraper tree is copied (by reference: no text is duplicated) into a flat `Vec` in document
//! order, so that every later pass can be a plain loop over indices: children always come after
//! their parent, which makes "iterate in reverse" a valid bottom-up (post-order) traversal. Nothing
//! here recurses.
//!
//! Two things are dropped while building: subtrees that never hold article text (`script`,
//! `style`, `template`, `svg`, hidden elements, …) and the *elements* nested deeper than
//! [`Limits::max_depth`](crate::ingest::parse::Limits): their text is kept, attached to the deepest
//! element that is still represented.

use scraper::{Html, Node as SNode};

/// "No node" marker for the index links.
pub(super) const NONE: u32 = u32::MAX;

/// The element kinds the extractor tells apart; everything else is [`Tag::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    /// The arena root (the document itself).
    Root,
    A,
    Article,
    Aside,
    Blockquote,
    Body,
    Br,
    Caption,
    Dd,
    Div,
    Dl,
    Dt,
    Embed,
    Fieldset,
    Figcaption,
    Figure,
    Footer,
    Form,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    Header,
    Hr,
    Img,
    Input,
    Li,
    Main,
    Nav,
    Ol,
    P,
    Pre,
    Section,
    Table,
    Td,
    Th,
    Tr,
    Ul,
    /// Another element that starts a new block of text (`address`, `tbody`, `details`, …).
    OtherBlock,
    /// Any other element: rendered inline.
    Other,
}

impl Tag {
    fn from_name(name: &str) -> Tag {
        match name {
            "a" => Tag::A,
            "article" => Tag::Article,
            "aside" => Tag::Aside,
            "blockquote" => Tag::Blockquote,
            "body" => Tag::Body,
            "br" => Tag::Br,
            "caption" => Tag::Caption,
            "dd" => Tag::Dd,
            "div" => Tag::Div,
            "dl" => Tag::Dl,
            "dt" => Tag::Dt,
            "embed" | "object" | "iframe" | "video" | "audio" | "applet" => Tag::Embed,
            "fieldset" => Tag::Fieldset,
            "figcaption" => Tag::Figcaption,
            "figure" => Tag::Figure,
            "footer" => Tag::Footer,
            "form" => Tag::Form,
            "h1" => Tag::H1,
            "h2" => Tag::H2,
            "h3" => Tag::H3,
            "h4" => Tag::H4,
            "h5" => Tag::H5,
            "h6" => Tag::H6,
            "header" => Tag::Header,
            "hr" => Tag::Hr,
            "img" | "picture" => Tag::Img,
            "input" => Tag::Input,
            "li" => Tag::Li,
            "main" => Tag::Main,
            "nav" => Tag::Nav,
            "ol" => Tag::Ol,
            "p" => Tag::P,
            "pre" => Tag::Pre,
            "section" => Tag::Section,
            "table" => Tag::Table,
            "td" => Tag::Td,
            "th" => Tag::Th,
            "tr" => Tag::Tr,
            "ul" => Tag::Ul,
            "address" | "center" | "details" | "dialog" | "hgroup" | "legend" | "menu"
            | "summary" | "tbody" | "thead" | "tfoot" | "html" | "listing" | "plaintext"
            | "xmp" | "option" | "optgroup" | "dir" => Tag::OtherBlock,
            _ => Tag::Other,
        }
    }

    /// Whether the element starts a new block of text (a paragraph break before and after it).
    pub(super) fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::A | Tag::Other | Tag::Img | Tag::Input | Tag::Embed
        )
    }

    /// Headings `h1`–`h6`.
    pub(super) fn is_heading(self) -> bool {
        matches!(
            self,
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6
        )
    }
}

/// Subtrees dropped at build time: they never hold readable article text.
fn is_dropped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "base"
            | "canvas"
            | "select"
            | "textarea"
            | "button"
            | "map"
            | "param"
            | "source"
            | "track"
            | "datalist"
            | "output"
            | "frameset"
            | "frame"
    )
}

/// What a node is.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind<'a> {
    /// An element with its classified tag.
    Elem(Tag),
    /// A text node.
    Text(&'a str),
}

/// One node of the arena.
#[derive(Debug, Clone)]
pub(super) struct DNode<'a> {
    /// Parent index ([`NONE`] for the root).
    pub parent: u32,
    /// First child index or [`NONE`].
    pub first_child: u32,
    /// Last child index or [`NONE`].
    pub last_child: u32,
    /// Next sibling index or [`NONE`].
    pub next_sibling: u32,
    /// Element or text.
    pub kind: Kind<'a>,
    /// The `class` attribute ("" when absent).
    pub class: &'a str,
    /// The `id` attribute ("" when absent).
    pub id: &'a str,
    /// Miscellaneous attribute facts, see the `F_*` constants.
    pub flags: u16,
    /// `href` of links ("" otherwise).
    pub href: &'a str,
}

/// `itemprop="articleBody"` (or `articlebody`).
pub(super) const F_ARTICLE_BODY: u16 = 1;
/// A `role` that marks page chrome: navigation, menus, dialogs, complementary content.
pub(super) const F_ROLE_CHROME: u16 = 2;
/// `itemprop` mentions the author, or `rel=author`.
pub(super) const F_AUTHOR: u16 = 4;
/// `aria-hidden="true"`.
pub(super) const F_ARIA_HIDDEN: u16 = 8;
/// An `itemprop` that marks an image or its caption/credit.
pub(super) const F_ITEMPROP_MEDIA: u16 = 16;
/// `role="main"` or `role="article"`.
pub(super) const F_ROLE_MAIN: u16 = 32;
/// A quoted social-media post (`blockquote.twitter-tweet`, `.instagram-media`, …): part of the
/// article even though its wrapper's class says "social".
pub(super) const F_SOCIAL_POST: u16 = 64;

/// The arena.
#[derive(Debug)]
pub(super) struct Dom<'a> {
    /// Nodes in document order; index 0 is the root.
    pub nodes: Vec<DNode<'a>>,
}

impl<'a> Dom<'a> {
    /// Copies the parsed page into an arena, dropping non-text subtrees and flattening elements
    /// nested deeper than `max_depth`.
    pub(super) fn build(html: &'a Html, max_depth: usize) -> Dom<'a> {
        let mut dom = Dom {
            nodes: Vec::with_capacity(html.tree.values().len().min(1 << 20)),
        };
        dom.nodes.push(DNode {
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
            kind: Kind::Elem(Tag::Root),
            class: "",
            id: "",
            flags: 0,
            href: "",
        });
        let max_depth = max_depth.max(1);
        // Arena index of the element that receives the children at each open level; the length of
        // this stack is the scraper depth of the node being visited.
        let mut parents: Vec<u32> = vec![0];
        let mut next = html.tree.root().first_child();
        while let Some(node) = next {
            let parent = parents.last().copied().unwrap_or(0);
            let mut descend_into = None;
            match node.value() {
                SNode::Element(el) => {
                    let name = el.name();
                    if !is_dropped(name) {
                        let mut class = "";
                        let mut id = "";
                        let mut href = "";
                        let mut flags = 0u16;
                        let mut hidden = false;
                        for (k, v) in el.attrs() {
                            match k {
                                "class" => {
                                    class = v;
                                    hidden |= class_hides(v);
                                }
                                "id" => id = v,
                                "href" => href = v,
                                "hidden" => hidden = true,
                                "style" => hidden |= style_hides(v),
                                "aria-hidden" if v.eq_ignore_ascii_case("true") => {
                                    flags |= F_ARIA_HIDDEN
                                }
                                "itemprop" => flags |= itemprop_flags(v),
                                "rel"
                                    if v.split_ascii_whitespace()
                                        .any(|r| r.eq_ignore_ascii_case("author")) =>
                                {
                                    flags |= F_AUTHOR
                                }
                                "role" => flags |= role_flags(v),
                                _ => {}
                            }
                        }
                        if !hidden {
                            let tag = Tag::from_name(name);
                            if tag == Tag::Blockquote && is_social_post(class) {
                                flags |= F_SOCIAL_POST;
                            }
                            let id_here = if parents.len() <= max_depth {
                                dom.push(
                                    parent,
                                    DNode {
                                        parent,
                                        first_child: NONE,
                                        last_child: NONE,
                                        next_sibling: NONE,
                                        kind: Kind::Elem(tag),
                                        class,
                                        id,
                                        flags,
                                        href,
                                    },
                                )
                            } else {
                                parent
                            };
                            // Embedded content's children are only fallback text.
                            if tag != Tag::Embed {
                                descend_into = Some(id_here);
                            }
                        }
                    }
                }
                SNode::Text(t) => {
                    let s: &str = t;
                    if !s.is_empty() {
                        dom.push(
                            parent,
                            DNode {
                                parent,
                                first_child: NONE,
                                last_child: NONE,
                                next_sibling: NONE,
                                kind: Kind::Text(s),
                                class: "",
                                id: "",
                                flags: 0,
                                href: "",
                            },
                        );
                    }
                }
                _ => {}
            }
            if let Some(id_here) = descend_into {
                if let Some(child) = node.first_child() {
                    parents.push(id_here);
                    next = Some(child);
                    continue;
                }
            }
            // Move to the next sibling, climbing up as long as there is none.
            let mut cur = node;
            next = None;
            loop {
                if let Some(sib) = cur.next_sibling() {
                    next = Some(sib);
                    break;
                }
                if parents.len() <= 1 {
                    break;
                }
                match cur.parent() {
                    Some(p) => {
                        parents.pop();
                        cur = p;
                    }
                    None => break,
                }
            }
        }
        dom
    }

    fn push(&mut self, parent: u32, node: DNode<'a>) -> u32 {
        let idx = self.nodes.len() as u32;
        self.nodes.push(node);
        if let Some(p) = self.nodes.get_mut(parent as usize) {
            let last = p.last_child;
            p.last_child = idx;
            if last == NONE {
                p.first_child = idx;
            } else if let Some(l) = self.nodes.get_mut(last as usize) {
                l.next_sibling = idx;
            }
        }
        idx
    }

    /// The tag of node `i` (`None` for text).
    #[inline]
    pub(super) fn tag(&self, i: u32) -> Option<Tag> {
        match self.nodes[i as usize].kind {
            Kind::Elem(t) => Some(t),
            Kind::Text(_) => None,
        }
    }

    /// Children of `i`, in order.
    pub(super) fn children(&self, i: u32) -> Children<'_, 'a> {
        Children {
            dom: self,
            next: self.nodes[i as usize].first_child,
        }
    }

    /// The index one past the last descendant of `i` (descendants are `i+1..end`).
    pub(super) fn subtree_end(&self, i: u32) -> u32 {
        let mut cur = i;
        loop {
            let n = &self.nodes[cur as usize];
            if n.next_sibling != NONE {
                return n.next_sibling;
            }
            if n.parent == NONE {
                return self.nodes.len() as u32;
            }
            cur = n.parent;
        }
    }
}

/// Iterator over the children of a node.
pub(super) struct Children<'d, 'a> {
    dom: &'d Dom<'a>,
    next: u32,
}

impl Iterator for Children<'_, '_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.next == NONE {
            return None;
        }
        let cur = self.next;
        self.next = self.dom.nodes[cur as usize].next_sibling;
        Some(cur)
    }
}

/// Utility classes that hide an element (`hidden`, `d-none`, `sr-only`, …).
fn class_hides(class: &str) -> bool {
    class.split_ascii_whitespace().any(|c| {
        let c = c.to_ascii_lowercase();
        matches!(
            c.as_str(),
            "hidden" | "hide" | "is-hidden" | "d-none" | "display-none"
        )
    })
}

fn style_hides(style: &str) -> bool {
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    s.contains("display:none") || s.contains("visibility:hidden")
}

fn is_social_post(class: &str) -> bool {
    class.split_ascii_whitespace().any(|c| {
        let c = c.to_ascii_lowercase();
        c.starts_with("twitter-tweet")
            || c.starts_with("twitter-video")
            || c.starts_with("instagram-media")
            || c == "tiktok-embed"
            || c == "reddit-card"
            || c == "fb-xfbml-parse-ignore"
    })
}

fn itemprop_flags(v: &str) -> u16 {
    let mut f = 0;
    for p in v.split_ascii_whitespace() {
        let p = p.to_ascii_lowercase();
        if p == "articlebody" {
            f |= F_ARTICLE_BODY;
        } else if p == "author" || p == "creator" {
            f |= F_AUTHOR;
        } else if p == "image" || p == "associatedmedia" || p == "caption" || p == "copyrightholder"
        {
            f |= F_ITEMPROP_MEDIA;
        }
    }
    f
}

fn role_flags(v: &str) -> u16 {
    let mut f = 0;
    for r in v.split_ascii_whitespace() {
        match r.to_ascii_lowercase().as_str() {
            "menu" | "menubar" | "complementary" | "navigation" | "alert" | "alertdialog"
            | "dialog" | "banner" | "contentinfo" | "search" => f |= F_ROLE_CHROME,
            "main" | "article" => f |= F_ROLE_MAIN,
            _ => {}
        }
    }
    f
}
