//! `newsdex search` and `newsdex show`: arguments → [`SearchRequest`], results rendered.

use std::io::IsTerminal;
use std::path::Path;

use clap::{Args, ValueEnum};

use super::filters::FilterArgs;
use crate::error::{Error, Result};
use crate::render::search::Marks;
use crate::render::{self, OutputFormat};
use crate::search::request::{DateFilter, SearchRequest, SortOrder, ValueFilters};
use crate::search::stored::StoredDoc;
use crate::search::{hits, syntax};
use crate::{stats, store};

/// `--sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// BM25 relevance, ties newest first.
    Relevance,
    /// Newest first, undated last.
    Newest,
    /// Oldest first, undated last.
    Oldest,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour (highlights as [[…]]).
    Never,
}

/// Arguments of `newsdex search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words (all required), "exact phrases", OR, AND, NOT, -word, field:value, date:…
    /// May be left out when a filter flag says what to find (every article it keeps).
    #[arg(allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Make plain words optional (ranked by BM25) instead of all required.
    #[arg(long)]
    pub any: bool,
    /// Date and entity filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Only articles without a date.
    #[arg(long, conflicts_with_all = ["since", "until"])]
    pub undated: bool,
    /// Order of results [default: relevance; newest when only filters say what to find].
    #[arg(long, value_enum)]
    pub sort: Option<SortArg>,
    /// Results to show.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Results to skip (paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Passages per result.
    #[arg(long, default_value_t = 1)]
    pub passages: usize,
    /// List exact duplicates separately instead of folding them into one result.
    #[arg(long)]
    pub no_collapse: bool,
    /// Add counts of sources, languages and entities over all matches.
    #[arg(long)]
    pub facets: bool,
    /// Print only the number of matching articles.
    #[arg(long)]
    pub count: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Highlight colour in text output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

/// Parses a query, mapping syntax errors to the one error type.
pub fn parse_query(text: &str, any: bool, now: i64) -> Result<syntax::Node> {
    syntax::parse(text, &syntax::ParseOptions { any, now }).map_err(|e| Error::Query {
        column: e.column,
        message: e.message,
    })
}

/// Validates arguments into a request.
pub fn request(args: &SearchArgs, now: i64) -> Result<SearchRequest> {
    if args.limit == 0 && !args.count {
        return Err(Error::Usage("--limit: must be at least 1".into()));
    }
    let dates = args.filters.dates(args.undated, now)?;
    let values = args.filters.values();
    let filtered = values != ValueFilters::default() || dates != DateFilter::default();
    let query_text = args.query.clone().unwrap_or_default();
    // "Everything mentioning Nayib Bukele in March": the filters alone say what to find, and
    // every article they keep matches, newest first unless `--sort` says otherwise.
    let query = match args.query.as_deref() {
        Some(text) if !text.trim().is_empty() || !filtered => parse_query(text, args.any, now)?,
        _ if filtered => syntax::Node::Bool(Vec::new()),
        _ => {
            return Err(Error::Usage(
                "give a query, or a filter (--person, --org, --place, --entity, --since, \
                 --until, --undated) that says what to find"
                    .into(),
            ))
        }
    };
    let default_sort = match &query {
        syntax::Node::Bool(parts) if parts.is_empty() => SortArg::Newest,
        _ => SortArg::Relevance,
    };
    Ok(SearchRequest {
        query_text,
        query,
        dates,
        values,
        sort: match args.sort.unwrap_or(default_sort) {
            SortArg::Relevance => SortOrder::Relevance,
            SortArg::Newest => SortOrder::Newest,
            SortArg::Oldest => SortOrder::Oldest,
        },
        limit: args.limit.min(10_000),
        offset: args.offset,
        passages: args.passages.min(20),
        collapse: !args.no_collapse,
        copy_ids: matches!(args.format, OutputFormat::Json | OutputFormat::Jsonl),
        facets: args.facets,
        count_only: args.count,
    })
}

/// Runs `newsdex search`; returns whether anything matched.
pub fn run(args: &SearchArgs, index_dir: &Path, now: i64) -> Result<bool> {
    let request = request(args, now)?;
    let store = store::open(index_dir)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let response = hits::search(&store, &searcher, &request)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = if request.count_only {
        use std::io::Write;
        writeln!(out, "{}", response.total)
    } else {
        match args.format {
            OutputFormat::Json => render::search::json(&mut out, &response),
            OutputFormat::Jsonl => render::search::jsonl(&mut out, &response),
            OutputFormat::Csv => render::search::csv(&mut out, &response),
            OutputFormat::Text => render::search::text(&mut out, &response, marks(args.color)),
        }
    };
    written.map_err(|e| Error::io("<stdout>", e))?;
    if response.total == 0 {
        suggest_names(&store, &searcher, &request.values)?;
    }
    super::keep_open_until_exit((searcher, reader, store));
    Ok(response.total > 0)
}

/// For `--person/--org/--place/--entity` names that are not in the index, says so on stderr with
/// the closest known names.
fn suggest_names(
    store: &store::Store,
    searcher: &tantivy::Searcher,
    values: &ValueFilters,
) -> Result<()> {
    let f = &store.schema.fields;
    let schema = store.index.schema();
    let groups = [
        ("--person", &values.persons, vec![f.persons]),
        ("--org", &values.orgs, vec![f.orgs]),
        ("--place", &values.places, vec![f.places]),
        (
            "--entity",
            &values.entities,
            vec![f.persons, f.orgs, f.places],
        ),
    ];
    for (flag, names, fields) in groups {
        for name in names {
            let key = crate::schema::normalise_keyword(name.trim());
            let mut known = Vec::new();
            let mut present = false;
            for &field in &fields {
                let term = tantivy::Term::from_field_text(field, &key);
                present |= searcher.doc_freq(&term)? > 0;
                known.extend(stats::value_counts(
                    searcher,
                    schema.get_field_name(field),
                    usize::MAX,
                )?);
            }
            if present {
                continue;
            }
            let mut scored: Vec<(usize, String)> = known
                .into_iter()
                .map(|v| {
                    (
                        name_distance(&key, &crate::schema::normalise_keyword(&v.value)),
                        v.value,
                    )
                })
                .collect();
            scored.sort();
            scored.dedup_by(|a, b| a.1 == b.1);
            let close: Vec<String> = scored
                .into_iter()
                .take(3)
                .map(|(_, v)| format!("{v:?}"))
                .collect();
            let hint = if close.is_empty() {
                String::new()
            } else {
                format!("; closest known: {}", close.join(", "))
            };
            eprintln!("newsdex: {flag} {name:?}: not in the index{hint}");
        }
    }
    Ok(())
}

/// Levenshtein distance between two names, with a containment shortcut ("Bukele" ~ "Nayib Bukele").
fn name_distance(a: &str, b: &str) -> usize {
    if !a.is_empty() && (b.contains(a) || a.contains(b)) {
        return a.len().abs_diff(b.len()).min(1);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            current[j + 1] = (previous[j] + cost)
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

fn marks(color: ColorArg) -> Marks {
    let colour = match color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal(),
    };
    if colour {
        Marks::Color
    } else {
        Marks::Brackets
    }
}

/// Arguments of `newsdex show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Article id (from search results).
    pub id: String,
    /// Highlight this query's matches in the article.
    #[arg(long)]
    pub query: Option<String>,
    /// Output format: text or json.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Highlight colour in text output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

/// Runs `newsdex show`; returns whether the id exists.
pub fn show(args: &ShowArgs, index_dir: &Path, now: i64) -> Result<bool> {
    let store = store::open(index_dir)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let fields = &store.schema.fields;
    let term = tantivy::Term::from_field_text(fields.id, args.id.trim());
    let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
    let top = searcher.search(
        &query,
        &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
    )?;
    let Some((_, addr)) = top.first() else {
        eprintln!("newsdex: no article with id {:?}", args.id);
        return Ok(false);
    };
    let mut doc: StoredDoc = searcher.doc(*addr)?;
    let body = hits::body(&mut doc, fields);
    let mut hit = hits::to_hit(doc, fields, 0.0, Vec::new());
    let mut body_highlights = Vec::new();
    if let Some(q) = &args.query {
        let query = parse_query(q, true, now)?;
        let request =
            SearchRequest::matching(q, query, DateFilter::default(), ValueFilters::default());
        let compiled = crate::search::query::compile(&request, fields, &searcher)?;
        let mut highlighter = crate::search::passages::Highlighter::new(compiled.matcher);
        let (in_title, in_body) = match highlighter.wants_mentions() {
            true => hits::mentions(&hit.title, &body),
            false => Default::default(),
        };
        hit.title_highlights = highlighter.highlight_with(&hit.title, &in_title);
        body_highlights = highlighter.highlight_with(&body, &in_body);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match args.format {
        OutputFormat::Json | OutputFormat::Jsonl => render::json_line(
            &mut out,
            &serde_json::json!({ "article": hit, "body": body, "body_highlights": body_highlights }),
        ),
        _ => render::search::article(&mut out, &hit, &body, &body_highlights, marks(args.color)),
    };
    written.map_err(|e| Error::io("<stdout>", e))?;
    Ok(true)
}
