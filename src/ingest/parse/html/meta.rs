//! Page metadata: title, publication date, source, URL, authors, language and tags, read from
//! `<meta>`/`<link>` tags, JSON-LD (`<script type="application/ld+json">`) and a few elements
//! (`<title>`, `<h1>`, `<time>`, bylines).

use scraper::{ElementRef, Html};
use serde_json::Value;

use super::text::{collapse_ws, decode_entities};
use crate::ingest::parse::fields::url_host;

/// Most authors kept.
const MAX_AUTHORS: usize = 10;
/// Most tags kept.
const MAX_TAGS: usize = 20;
/// Deepest JSON-LD nesting searched for article objects.
const MAX_LD_DEPTH: usize = 16;

/// Metadata of one page.
#[derive(Debug, Default)]
pub(super) struct Meta {
    /// Headline (may be empty).
    pub title: String,
    /// Publication date as written.
    pub date: Option<String>,
    /// Outlet name.
    pub source: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Cleaned author names.
    pub authors: Vec<String>,
    /// Primary language subtag.
    pub lang: Option<String>,
    /// Sections and keywords.
    pub tags: Vec<String>,
    /// JSON-LD `articleBody`, when a page carries one.
    pub ld_body: Option<String>,
}

/// A `<time>` element.
struct TimeEl {
    value: String,
    /// `pubdate` attribute or `itemprop=datePublished`.
    marked: bool,
    /// Inside `<article>` or an `itemprop=articleBody` / `role=main` element.
    in_article: bool,
}

/// Everything one walk over the page collects.
#[derive(Default)]
struct Raw {
    /// `(key, content)` of `<meta>` tags; the key is the lower-cased `property`, `name`,
    /// `itemprop` or `http-equiv`.
    metas: Vec<(String, String)>,
    canonical: Option<String>,
    html_lang: Option<String>,
    title: Option<String>,
    h1: Option<String>,
    times: Vec<TimeEl>,
    /// Text of elements that carry a date with `itemprop=datePublished` but are not `<meta>`.
    itemprop_dates: Vec<String>,
    ld: Vec<Value>,
    /// Short texts of elements whose class or id says "publication date".
    class_dates: Vec<String>,
    rel_authors: Vec<String>,
    itemprop_authors: Vec<String>,
    byline_texts: Vec<String>,
}

/// Reads the page's metadata.
pub(super) fn extract(html: &Html, max_depth: usize) -> Meta {
    let raw = collect(html, max_depth);
    let ld = LdFacts::from_values(&raw.ld);
    let meta_all = |key: &str| -> Vec<&str> {
        raw.metas
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let meta = |key: &str| -> Option<String> {
        raw.metas
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| collapse_ws(v))
            .find(|v| !v.is_empty())
    };

    // Publication date.
    let mut dates: Vec<String> = Vec::new();
    dates.extend(
        meta_all("article:published_time")
            .into_iter()
            .map(str::to_string),
    );
    dates.extend(ld.dates.iter().cloned());
    dates.extend(meta_all("datepublished").into_iter().map(str::to_string));
    dates.extend(raw.itemprop_dates.iter().cloned());
    dates.extend(
        raw.times
            .iter()
            .filter(|t| t.marked)
            .map(|t| t.value.clone()),
    );
    for key in [
        "og:published_time",
        "article.published",
        "article_date_original",
        "pubdate",
        "publishdate",
        "publish-date",
        "publish_date",
        "published_time",
        "published-date",
        "parsely-pub-date",
        "sailthru.date",
        "dc.date.issued",
        "dcterms.issued",
        "dc.date",
        "dcterms.date",
        "dc.date.created",
        "dcterms.created",
        "date",
        "originalpublicationdate",
        "cxenseparse:recs:publishtime",
        "article:published",
        "pub_date",
        "displaydate",
        "ptime",
    ] {
        dates.extend(meta_all(key).into_iter().map(str::to_string));
    }
    dates.extend(
        raw.times
            .iter()
            .filter(|t| t.in_article)
            .map(|t| t.value.clone()),
    );
    dates.extend(raw.class_dates.iter().cloned());
    dates.extend(raw.times.iter().map(|t| t.value.clone()));
    let date = dates
        .into_iter()
        .map(|d| collapse_ws(&d))
        .find(|d| is_real_date(d));

    // URL.
    let og_url = meta("og:url").filter(|u| is_absolute(u));
    let url = match raw.canonical.as_deref().map(str::trim) {
        Some(c) if is_absolute(c) => Some(c.to_string()),
        Some(c) if c.starts_with('/') && !c.starts_with("//") => og_url
            .as_deref()
            .and_then(origin)
            .map(|o| format!("{o}{c}"))
            .or_else(|| og_url.clone()),
        _ => og_url.clone(),
    };

    // Source.
    let source = meta("og:site_name")
        .and_then(|s| {
            if is_absolute(&s) {
                url_host(&s)
            } else {
                Some(s.trim_start_matches('@').trim().to_string())
            }
        })
        .filter(|s| !s.is_empty())
        .or_else(|| ld.publisher.clone())
        .or_else(|| url.as_deref().and_then(url_host));

    // Title: og:title (without a trailing site name), else <title> without its suffix, else <h1>.
    let site_names: Vec<String> = [source.clone(), url.as_deref().and_then(url_host)]
        .into_iter()
        .flatten()
        .collect();
    // Entities are decoded once more: double-encoded titles ("&amp;#8217;") are common.
    let title = meta("og:title")
        .map(|t| strip_named_site(&decode_entities(&t), &site_names))
        .or_else(|| {
            raw.title
                .as_deref()
                .map(|t| strip_site_suffix(&decode_entities(t)))
                .filter(|t| !t.is_empty())
        })
        .or_else(|| raw.h1.clone())
        .unwrap_or_default();

    // Authors.
    let mut authors: Vec<String> = Vec::new();
    let mut structured: Vec<String> = ld.authors.clone();
    for key in [
        "author",
        "article:author",
        "parsely-author",
        "sailthru.author",
        "dc.creator",
        "dcterms.creator",
        "byl",
    ] {
        structured.extend(meta_all(key).into_iter().map(str::to_string));
    }
    add_authors(
        &mut authors,
        structured.iter().map(String::as_str),
        AuthorOrigin::Structured,
    );
    if authors.is_empty() {
        let dom_names = raw
            .itemprop_authors
            .iter()
            .chain(&raw.rel_authors)
            .chain(&raw.byline_texts);
        add_authors(
            &mut authors,
            dom_names.map(String::as_str),
            AuthorOrigin::Dom,
        );
    }
    // An outlet listed next to a person is the publisher, not an author.
    if authors.len() > 1 {
        let outlets: Vec<String> = [meta("og:site_name"), ld.publisher.clone(), source.clone()]
            .into_iter()
            .flatten()
            .map(|o| alnum_lower(&o))
            .filter(|o| !o.is_empty())
            .collect();
        let is_outlet = |a: &String| {
            let a = alnum_lower(a);
            outlets.contains(&a)
        };
        if authors.iter().any(|a| !is_outlet(a)) {
            authors.retain(|a| !is_outlet(a));
        }
    }

    // Tags.
    let mut tags: Vec<String> = Vec::new();
    let mut tag_values: Vec<String> = Vec::new();
    tag_values.extend(meta_all("article:section").into_iter().map(str::to_string));
    tag_values.extend(ld.sections.iter().cloned());
    tag_values.extend(meta_all("article:tag").into_iter().map(str::to_string));
    for key in ["keywords", "news_keywords"] {
        for v in meta_all(key) {
            tag_values.extend(decode_entities(v).split(',').map(str::to_string));
        }
    }
    tag_values.extend(ld.keywords.iter().cloned());
    for t in tag_values {
        let t = collapse_ws(&decode_entities(&t));
        if t.is_empty() || t.chars().count() > 80 || t.starts_with("http") {
            continue;
        }
        push_unique(&mut tags, t, MAX_TAGS);
    }

    // Language.
    let lang = raw
        .html_lang
        .as_deref()
        .and_then(normalize_lang)
        .or_else(|| meta("og:locale").as_deref().and_then(normalize_lang))
        .or_else(|| meta("content-language").as_deref().and_then(normalize_lang))
        .or_else(|| meta("language").as_deref().and_then(normalize_lang))
        .or_else(|| meta("dc.language").as_deref().and_then(normalize_lang))
        .or_else(|| ld.lang.as_deref().and_then(normalize_lang));

    Meta {
        title,
        date,
        source,
        url,
        authors,
        lang,
        tags,
        ld_body: ld.body,
    }
}

/// One iterative walk over all elements.
fn collect(html: &Html, max_depth: usize) -> Raw {
    let mut raw = Raw::default();
    // From the document node rather than `root_element()`, which panics without an `<html>`.
    for el in html.tree.root().descendants().filter_map(ElementRef::wrap) {
        let v = el.value();
        let name = v.name();
        match name {
            "meta" => {
                let content = v.attr("content").or_else(|| v.attr("datetime"));
                let Some(content) = content else { continue };
                for key in ["property", "name", "itemprop", "http-equiv"] {
                    if let Some(k) = v.attr(key) {
                        for k in k.split_ascii_whitespace() {
                            raw.metas
                                .push((k.to_ascii_lowercase(), content.to_string()));
                        }
                    }
                }
                continue;
            }
            "link" => {
                if let (Some(rel), Some(href)) = (v.attr("rel"), v.attr("href")) {
                    if raw.canonical.is_none()
                        && rel
                            .split_ascii_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("canonical"))
                        && !href.trim().is_empty()
                    {
                        raw.canonical = Some(href.trim().to_string());
                    }
                }
                continue;
            }
            "script" => {
                if v.attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
                {
                    let text: String = el.text().collect();
                    if let Some(val) = parse_json_ld(&text) {
                        raw.ld.push(val);
                    }
                }
                continue;
            }
            "html" if raw.html_lang.is_none() => {
                raw.html_lang = v
                    .attr("lang")
                    .or_else(|| v.attr("xml:lang"))
                    .map(str::to_string);
            }
            "title" => {
                if raw.title.is_none() && !in_svg(el, max_depth) {
                    let t = collapse_ws(&el.text().collect::<String>());
                    if !t.is_empty() {
                        raw.title = Some(t);
                    }
                }
                continue;
            }
            "h1" if raw.h1.is_none() => {
                let t = collapse_ws(&el.text().collect::<String>());
                if !t.is_empty() {
                    raw.h1 = Some(t);
                }
            }
            "time" => {
                let value = v
                    .attr("datetime")
                    .map(str::to_string)
                    .unwrap_or_else(|| collapse_ws(&el.text().collect::<String>()));
                if !value.trim().is_empty() && raw.times.len() < 100 {
                    let marked = v.attr("pubdate").is_some()
                        || v.attr("itemprop").is_some_and(|p| {
                            p.split_ascii_whitespace()
                                .any(|p| p.eq_ignore_ascii_case("datepublished"))
                        });
                    raw.times.push(TimeEl {
                        value,
                        marked,
                        in_article: in_article(el, max_depth),
                    });
                }
                continue;
            }
            _ => {}
        }
        // One pass over the attributes (each `attr()` lookup interns its name).
        let (mut itemprop, mut rel, mut class, mut id, mut content, mut value) =
            (None, None, None, None, None, None);
        for (k, val) in v.attrs() {
            match k {
                "itemprop" => itemprop = Some(val),
                "rel" => rel = Some(val),
                "class" => class = Some(val),
                "id" => id = Some(val),
                "content" | "datetime" => content = content.or(Some(val)),
                "value" => value = Some(val),
                _ => {}
            }
        }
        if let Some(prop) = itemprop {
            for p in prop.split_ascii_whitespace() {
                if p.eq_ignore_ascii_case("datepublished") {
                    if let Some(d) = content {
                        raw.itemprop_dates.push(d.to_string());
                    } else if let Some(t) = short_text(el, 100) {
                        raw.itemprop_dates.push(strip_date_label(&t).to_string());
                    }
                } else if (p.eq_ignore_ascii_case("author") || p.eq_ignore_ascii_case("creator"))
                    && raw.itemprop_authors.len() < 10
                    && !in_comments(el, max_depth)
                {
                    if let Some(name) = itemprop_name(el) {
                        raw.itemprop_authors.push(name);
                    }
                }
            }
        }
        if let Some(rel) = rel {
            if name == "a"
                && rel
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("author"))
                && raw.rel_authors.len() < 10
                && !in_comments(el, max_depth)
            {
                if let Some(t) = short_text(el, 120) {
                    raw.rel_authors.push(t);
                }
            }
        }
        if class.is_none() && id.is_none() {
            continue;
        }
        if raw.class_dates.len() < 5 && is_date_class(class, id) {
            let text = value.map(collapse_ws).or_else(|| short_text(el, 100));
            if let Some(t) = text {
                let t = strip_date_label(&t);
                if looks_like_date(t) {
                    raw.class_dates.push(t.to_string());
                }
            }
        }
        if raw.byline_texts.len() < 5
            && class.is_some_and(|c| {
                c.split_ascii_whitespace().any(|c| {
                    ["byline", "author", "byline-name", "author-name"]
                        .iter()
                        .any(|b| c.eq_ignore_ascii_case(b))
                })
            })
            && !in_comments(el, max_depth)
        {
            if let Some(t) = short_text(el, 120) {
                raw.byline_texts.push(t);
            }
        }
    }
    raw
}

/// The text of an element when it is short (None when longer than `max` bytes).
fn short_text(el: ElementRef<'_>, max: usize) -> Option<String> {
    let mut s = String::new();
    for t in el.text() {
        s.push_str(t);
        if s.len() > max * 4 {
            return None;
        }
    }
    let s = collapse_ws(&s);
    (!s.is_empty() && s.len() <= max).then_some(s)
}

/// The name of an `itemprop=author` element: a nested `itemprop=name`, `content`, or its text.
fn itemprop_name(el: ElementRef<'_>) -> Option<String> {
    if let Some(c) = el.value().attr("content") {
        let c = collapse_ws(c);
        if !c.is_empty() {
            return Some(c);
        }
    }
    for d in el.descendent_elements().take(200) {
        let v = d.value();
        if v.attr("itemprop")
            .is_some_and(|p| p.split_ascii_whitespace().any(|p| p == "name"))
        {
            if let Some(c) = v.attr("content") {
                return Some(collapse_ws(c));
            }
            return short_text(d, 120);
        }
    }
    short_text(el, 120)
}

fn in_svg(el: ElementRef<'_>, max_depth: usize) -> bool {
    let mut cur = el.parent();
    let mut steps = 0;
    while let Some(p) = cur {
        if let Some(e) = p.value().as_element() {
            if e.name() == "svg" {
                return true;
            }
        }
        steps += 1;
        if steps > max_depth {
            break;
        }
        cur = p.parent();
    }
    false
}

/// Inside a comment section (class or id mentions "comment").
fn in_comments(el: ElementRef<'_>, max_depth: usize) -> bool {
    let mut cur = el.parent();
    let mut steps = 0;
    while let Some(p) = cur {
        if let Some(e) = p.value().as_element() {
            let hit =
                |v: Option<&str>| v.is_some_and(|v| v.to_ascii_lowercase().contains("comment"));
            if hit(e.attr("class")) || hit(e.id()) {
                return true;
            }
        }
        steps += 1;
        if steps > max_depth {
            break;
        }
        cur = p.parent();
    }
    false
}

fn in_article(el: ElementRef<'_>, max_depth: usize) -> bool {
    let mut cur = el.parent();
    let mut steps = 0;
    while let Some(p) = cur {
        if let Some(e) = p.value().as_element() {
            if e.name() == "article"
                || e.attr("itemprop")
                    .is_some_and(|v| v.eq_ignore_ascii_case("articlebody"))
                || e.attr("role").is_some_and(|v| v == "main")
            {
                return true;
            }
        }
        steps += 1;
        if steps > max_depth {
            break;
        }
        cur = p.parent();
    }
    false
}

/// Parses one JSON-LD block, tolerating raw control characters, HTML comments and a trailing `;`.
fn parse_json_ld(text: &str) -> Option<Value> {
    let mut t = text.trim();
    for (open, close) in [
        ("<!--", "-->"),
        ("<![CDATA[", "]]>"),
        ("//<![CDATA[", "//]]>"),
    ] {
        if let Some(rest) = t.strip_prefix(open) {
            t = rest.trim();
            if let Some(rest) = t.strip_suffix(close) {
                t = rest.trim();
            }
        }
    }
    let t = t.trim_end_matches(';').trim();
    if let Ok(v) = serde_json::from_str::<Value>(t) {
        return Some(v);
    }
    // Raw newlines and tabs inside strings are a common mistake.
    let cleaned: String = t
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    serde_json::from_str::<Value>(&cleaned).ok()
}

/// Facts gathered from all JSON-LD objects, article-like types first.
#[derive(Default)]
struct LdFacts {
    dates: Vec<String>,
    authors: Vec<String>,
    publisher: Option<String>,
    sections: Vec<String>,
    keywords: Vec<String>,
    body: Option<String>,
    lang: Option<String>,
}

fn is_article_type(t: &str) -> bool {
    let t = t.rsplit([':', '/']).next().unwrap_or(t);
    t.ends_with("Article")
        || matches!(
            t,
            "BlogPosting" | "LiveBlogPosting" | "SocialMediaPosting" | "Report" | "Review"
        )
        || t == "Blog"
        || t == "CreativeWork"
}

fn types_of(obj: &serde_json::Map<String, Value>) -> Vec<&str> {
    match obj.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

impl LdFacts {
    fn from_values(values: &[Value]) -> LdFacts {
        // Flatten arrays and @graph into a list of objects (bounded, iterative).
        let mut objects: Vec<&serde_json::Map<String, Value>> = Vec::new();
        let mut stack: Vec<(&Value, usize)> = values.iter().map(|v| (v, 0)).collect();
        stack.reverse();
        while let Some((v, depth)) = stack.pop() {
            if depth > MAX_LD_DEPTH || objects.len() > 1000 {
                continue;
            }
            match v {
                Value::Array(a) => {
                    for x in a.iter().rev() {
                        stack.push((x, depth + 1));
                    }
                }
                Value::Object(o) => {
                    objects.push(o);
                    if let Some(g) = o.get("@graph") {
                        stack.push((g, depth + 1));
                    }
                    // Article nested as mainEntity of a WebPage.
                    if let Some(m) = o.get("mainEntity").or_else(|| o.get("mainEntityOfPage")) {
                        if m.is_object() || m.is_array() {
                            stack.push((m, depth + 1));
                        }
                    }
                }
                _ => {}
            }
        }
        let (mut articles, others): (Vec<_>, Vec<_>) = objects
            .into_iter()
            .partition(|o| types_of(o).iter().any(|t| is_article_type(t)));
        let n_articles = articles.len();
        articles.extend(others);
        let mut f = LdFacts::default();
        for (idx, o) in articles.iter().enumerate() {
            let is_article = idx < n_articles;
            if let Some(d) = o.get("datePublished") {
                f.dates.extend(strings(d));
            }
            if !is_article && n_articles > 0 {
                continue;
            }
            if let Some(a) = o.get("author") {
                f.authors.extend(names(a));
            }
            if f.publisher.is_none() {
                if let Some(p) = o.get("publisher") {
                    f.publisher = names(p).into_iter().next();
                }
            }
            if let Some(s) = o.get("articleSection") {
                f.sections.extend(strings(s));
            }
            if let Some(k) = o.get("keywords") {
                for s in strings(k) {
                    let s = decode_entities(&s);
                    f.keywords
                        .extend(s.split(',').map(|x| x.trim().to_string()));
                }
            }
            if f.body.is_none() {
                if let Some(Value::String(b)) = o.get("articleBody") {
                    if !b.trim().is_empty() {
                        f.body = Some(b.clone());
                    }
                }
            }
            if f.lang.is_none() {
                if let Some(Value::String(l)) = o.get("inLanguage") {
                    f.lang = Some(l.clone());
                }
            }
        }
        f
    }
}

/// String values of a JSON-LD property (a string or an array of strings).
fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// Names in a JSON-LD person/organisation property (a string, an object with `name`, or an array).
fn names(v: &Value) -> Vec<String> {
    let one = |x: &Value| -> Option<String> {
        match x {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => match o.get("name") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Array(a)) => a.iter().find_map(Value::as_str).map(str::to_string),
                _ => None,
            },
            _ => None,
        }
    };
    match v {
        Value::Array(a) => a.iter().filter_map(one).collect(),
        x => one(x).into_iter().collect(),
    }
}

/// Whether a class/id names a publication date (`publish-date`, `storyDate`, `entry-date`, …)
/// rather than an update time or a list of other stories.
fn is_date_class(class: Option<&str>, id: Option<&str>) -> bool {
    let maybe = |v: Option<&str>| {
        v.is_some_and(|v| {
            v.as_bytes()
                .windows(3)
                .any(|w| w.eq_ignore_ascii_case(b"dat") || w.eq_ignore_ascii_case(b"pub"))
        })
    };
    if !maybe(class) && !maybe(id) {
        return false;
    }
    let mut s = String::new();
    s.push_str(class.unwrap_or(""));
    s.push(' ');
    s.push_str(id.unwrap_or(""));
    let s = s.to_ascii_lowercase();
    let hit = s.contains("publish")
        || s.contains("pubdate")
        || s.contains("post-date")
        || s.contains("postdate")
        || s.contains("entry-date")
        || s.contains("article-date")
        || s.contains("articledate")
        || s.contains("story-date")
        || s.contains("storydate")
        || s.contains("dateline")
        || s.contains("byline-date")
        || s.contains("date-published");
    hit && !["modif", "updat", "recommend", "related", "comment", "tweet"]
        .iter()
        .any(|w| s.contains(w))
}

/// Removes a leading "Published:" / "Posted on" / "Date:" label from a visible date.
fn strip_date_label(t: &str) -> &str {
    let mut t = t.trim();
    for label in ["published", "posted", "date", "on", "|"] {
        if t.len() >= label.len()
            && t.is_char_boundary(label.len())
            && t[..label.len()].eq_ignore_ascii_case(label)
            && t[label.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
        {
            t = t[label.len()..]
                .trim_start_matches([' ', ':', '\u{a0}', '|'])
                .trim();
        }
    }
    t
}

/// A short text with a 4-digit year (19xx/20xx) or a `dd/mm`-style number group.
fn looks_like_date(t: &str) -> bool {
    if t.is_empty() || t.chars().count() > 80 {
        return false;
    }
    let b = t.as_bytes();
    b.windows(4).enumerate().any(|(i, w)| {
        w.iter().all(u8::is_ascii_digit)
            && (w.starts_with(b"19") || w.starts_with(b"20"))
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
    })
}

/// Whether a date value is usable: not empty and not a `0001-01-01` / `0000-…` placeholder.
pub(super) fn is_real_date(d: &str) -> bool {
    let d = d.trim();
    !d.is_empty()
        && !d.starts_with("0001-01-01")
        && !d.starts_with("0000-")
        && d.chars().any(|c| c.is_ascii_digit())
}

/// Lower-case letters and digits only: for loose comparisons of names.
fn alnum_lower(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Separators between a headline and the site name in `<title>`.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " — ", " – ", " :: ", " · ", " » ", " // "];

/// Removes a trailing " | Site" (or " - Site", " — Site", …) from a `<title>`.
pub(super) fn strip_site_suffix(title: &str) -> String {
    let t = collapse_ws(title);
    let cut = TITLE_SEPARATORS.iter().filter_map(|sep| t.rfind(sep)).max();
    if let Some(pos) = cut {
        let head = t[..pos].trim();
        if head.split_whitespace().count() >= 2 {
            return head.to_string();
        }
    }
    t
}

/// Removes a trailing " | Site" from a title only when "Site" is the site's name or host.
fn strip_named_site(title: &str, sites: &[String]) -> String {
    let t = collapse_ws(title);
    let sites: Vec<String> = sites
        .iter()
        .map(|s| alnum_lower(s))
        .filter(|s| s.len() >= 2)
        .collect();
    for sep in TITLE_SEPARATORS {
        if let Some(pos) = t.rfind(sep) {
            let tail = alnum_lower(&t[pos + sep.len()..]);
            let head = t[..pos].trim();
            if !tail.is_empty()
                && !head.is_empty()
                && sites
                    .iter()
                    .any(|s| s.contains(&tail) || tail.contains(s.as_str()))
            {
                return head.to_string();
            }
        }
    }
    t
}

fn is_absolute(u: &str) -> bool {
    let l = u.trim().to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

/// `scheme://host` of an absolute URL.
fn origin(u: &str) -> Option<String> {
    let (scheme, rest) = u.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

/// `en-US` / `en_GB` / `EN` → `en`; None for anything that is not a 2–3 letter language code.
pub(super) fn normalize_lang(l: &str) -> Option<String> {
    let primary = l.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
}

fn push_unique(list: &mut Vec<String>, v: String, cap: usize) {
    if list.len() < cap && !list.iter().any(|x| x.to_lowercase() == v.to_lowercase()) {
        list.push(v);
    }
}

/// Words that make a byline part a job title, not a name ("AP National Security Writer").
const ROLE_WORDS: &[&str] = &[
    "writer",
    "editor",
    "editor-at-large",
    "reporter",
    "correspondent",
    "columnist",
    "contributor",
    "contributors",
    "commented",
    "updated",
    "published",
    "photographer",
    "producer",
];

/// How an author value was found: structured values are trusted more than page text.
#[derive(Clone, Copy, PartialEq)]
enum AuthorOrigin {
    /// JSON-LD or `<meta>`.
    Structured,
    /// A byline element's text.
    Dom,
}

/// Splits and cleans author strings ("By Jane Doe and John Roe" → two names) into `out`.
fn add_authors<'s>(
    out: &mut Vec<String>,
    values: impl Iterator<Item = &'s str>,
    origin: AuthorOrigin,
) {
    for v in values {
        let v = collapse_ws(&decode_entities(v));
        if v.contains("://") || v.starts_with("www.") {
            continue;
        }
        for (idx, part) in split_names(&v).iter().enumerate() {
            if idx > 0 && is_credential(part) {
                continue;
            }
            if let Some(name) = clean_name(part, origin) {
                push_unique(out, name, MAX_AUTHORS);
            }
        }
    }
}

fn split_names(v: &str) -> Vec<String> {
    let mut parts: Vec<String> = vec![v.to_string()];
    for sep in [
        " and ", " And ", " AND ", " & ", ",", ";", "|", "·", " / ", " - ", " – ", " — ", "\n",
    ] {
        parts = parts
            .into_iter()
            .flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    parts
}

/// Credentials after a name: "MS", "RD", "PhD".
fn is_credential(part: &str) -> bool {
    let s = part.trim().trim_end_matches('.');
    !s.contains(' ')
        && s.chars().filter(|c| c.is_alphabetic()).count() <= 4
        && s.chars().filter(|c| c.is_uppercase()).count() >= 2
}

fn clean_name(part: &str, origin: AuthorOrigin) -> Option<String> {
    let mut s = part.trim();
    // "Analysis by Jane Doe", "Text: Jane Doe".
    if let Some(pos) = s.to_ascii_lowercase().rfind("by ") {
        let at_word = pos == 0 || s[..pos].ends_with(' ');
        if at_word && s.is_char_boundary(pos + 3) {
            s = s[pos + 3..].trim();
        }
    }
    if let Some((label, rest)) = s.split_once(':') {
        if label.split_whitespace().count() <= 2 && !rest.trim().is_empty() {
            s = rest.trim();
        }
    }
    for prefix in ["from "] {
        if s.len() > prefix.len()
            && s.is_char_boundary(prefix.len())
            && s[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            s = s[prefix.len()..].trim();
        }
    }
    let s = s.trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ':' | '-' | '|'));
    if s.is_empty()
        || s.contains('@')
        || s.contains(".com")
        || s.chars().any(|c| c.is_ascii_digit())
        || !s.chars().any(char::is_alphabetic)
        || s.chars().count() > 60
        || s.split_whitespace().count() > 6
    {
        return None;
    }
    let lower = s.to_lowercase();
    if lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .any(|w| ROLE_WORDS.contains(&w))
    {
        return None;
    }
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    let ascii_letters = letters.iter().all(char::is_ascii_alphabetic);
    // A lower-case Latin handle ("jdadmin", "kevin-r") is a user name, not a byline.
    if ascii_letters && !letters.iter().any(|c| c.is_uppercase()) {
        return None;
    }
    if origin == AuthorOrigin::Dom && ascii_letters {
        // Page text: every word of a Latin name starts with a capital (particles excepted).
        let ok = s.split_whitespace().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                || matches!(
                    w,
                    "de" | "da"
                        | "van"
                        | "von"
                        | "der"
                        | "den"
                        | "la"
                        | "le"
                        | "del"
                        | "di"
                        | "du"
                        | "bin"
                        | "al"
                        | "el"
                        | "y"
                )
        });
        if !ok {
            return None;
        }
    }
    Some(s.to_string())
}
