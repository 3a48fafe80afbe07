//! `newsdex entities`: top people, organisations and places over the articles a query matches,
//! or what co-occurs with one entity.

use std::path::Path;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::filters::FilterArgs;
use super::search::parse_query;
use crate::error::{Error, Result};
use crate::render::{self, OutputFormat};
use crate::schema::Fields;
use crate::search::aggregate::{self, Cooccurrence};
use crate::search::query;
use crate::search::request::{SearchRequest, ValueFilters};
use crate::search::surnames::Surnames;
use crate::search::syntax::Node;
use crate::stats::{rank, ValueCount};
use crate::store;

/// `--type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EntityType {
    /// People.
    Person,
    /// Organisations.
    #[value(alias = "organization", alias = "organisation")]
    Org,
    /// Places.
    Place,
    /// Nationalities, events, laws, works (not stored in the index yet).
    Misc,
}

/// Arguments of `newsdex entities`.
#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Only articles matching this query (all of them when absent).
    #[arg(allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Only this type.
    #[arg(long = "type", value_enum)]
    pub kind: Option<EntityType>,
    /// List what co-occurs with this entity (exact canonical name), ranked by significance (JLH: share difference × lift).
    #[arg(long, value_name = "NAME")]
    pub with: Option<String>,
    /// Date and entity filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Values per type.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Output format: text or json.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

/// The answer, per type.
#[derive(Debug, Serialize)]
struct EntitiesJson {
    query: Option<String>,
    articles: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    with: Option<String>,
    /// Articles (among the matching ones) that mention `with`.
    #[serde(skip_serializing_if = "Option::is_none")]
    with_articles: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    measure: Option<&'static str>,
    persons: Option<Vec<Row>>,
    orgs: Option<Vec<Row>>,
    places: Option<Vec<Row>>,
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Row {
    Count(ValueCount),
    Together(Cooccurrence),
}

/// How `--with` ranks, as `--format json` states it.
const MEASURE: &str = "significance (JLH): (share of the entity's articles that mention it - share of all matching articles that mention it) * lift, where lift = the first share / the second";

/// Minimum co-occurrences for `--with` (one shared article says little)…
const MIN_TOGETHER: u64 = 2;
/// …once the entity is in this many articles; below it, every co-occurrence is listed, or a
/// name found in a single article would list nothing at all.
const FEW_ARTICLES: u64 = 5;

/// Runs `newsdex entities`; returns whether any article matched.
pub fn run(args: &EntitiesArgs, index_dir: &Path, now: i64) -> Result<bool> {
    if args.kind == Some(EntityType::Misc) {
        return Err(Error::Usage(
            "--type misc: misc entities are shown by `annotate` but not stored in the index yet"
                .into(),
        ));
    }
    let store = store::open(index_dir)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let fields = &store.schema.fields;
    let schema = store.index.schema();
    let mut values = args.filters.values();
    let base_query = match &args.query {
        Some(q) if !q.trim().is_empty() => parse_query(q, false, now)?,
        _ => Node::Bool(Vec::new()),
    };
    let query_text = args.query.clone().unwrap_or_default();
    let dates = args.filters.dates(false, now)?;
    let make = |values: ValueFilters| -> Result<SearchRequest> {
        Ok(SearchRequest::matching(
            &query_text,
            base_query.clone(),
            dates,
            values,
        ))
    };
    let scope = make(values.clone())?;
    let compiled = query::compile(&scope, fields, &searcher)?;
    let scope_matches = aggregate::matches(&searcher, compiled.query.as_ref())?;
    let types = selected(args.kind, fields);
    let mut answer = EntitiesJson {
        query: args.query.clone(),
        articles: scope_matches.count,
        with: args.with.clone(),
        with_articles: None,
        measure: None,
        persons: None,
        orgs: None,
        places: None,
    };
    let anchor_matches = match &args.with {
        Some(name) => {
            values.entities.push(name.clone());
            let anchored = make(values)?;
            let compiled = query::compile(&anchored, fields, &searcher)?;
            let matches = aggregate::matches(&searcher, compiled.query.as_ref())?;
            answer.with_articles = Some(matches.count);
            answer.measure = Some(MEASURE);
            Some(matches)
        }
        None => None,
    };
    let surnames = Surnames::of(&searcher, fields.persons)?;
    for (slot, field) in types {
        let name = schema.get_field_name(field);
        let surnames = (field == fields.persons).then_some(&surnames);
        let overall = aggregate::value_counts(&searcher, &scope_matches, name, surnames)?;
        let rows: Vec<Row> = match (&anchor_matches, &args.with) {
            (Some(anchor), Some(with)) => {
                let together = aggregate::value_counts(&searcher, anchor, name, surnames)?;
                aggregate::by_significance(
                    &together,
                    &overall,
                    anchor.count,
                    scope_matches.count,
                    if anchor.count < FEW_ARTICLES {
                        1
                    } else {
                        MIN_TOGETHER
                    },
                    with,
                )
                .into_iter()
                .take(args.limit)
                .map(Row::Together)
                .collect()
            }
            _ => rank(overall.shown(), args.limit)
                .into_iter()
                .map(Row::Count)
                .collect(),
        };
        match slot {
            0 => answer.persons = Some(rows),
            1 => answer.orgs = Some(rows),
            _ => answer.places = Some(rows),
        }
    }
    let found = anchor_matches
        .as_ref()
        .map_or(scope_matches.count, |m| m.count)
        > 0;
    if let (false, Some(with)) = (found, &args.with) {
        eprintln!("newsdex: no article mentions {with:?}");
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match args.format {
        OutputFormat::Json | OutputFormat::Jsonl => render::json_line(&mut out, &answer),
        _ => text(&mut out, &answer),
    };
    written.map_err(|e| Error::io("<stdout>", e))?;
    Ok(found)
}

fn selected(kind: Option<EntityType>, f: &Fields) -> Vec<(u8, tantivy::schema::Field)> {
    let all = [(0, f.persons), (1, f.orgs), (2, f.places)];
    all.into_iter()
        .filter(|(slot, _)| match kind {
            None => true,
            Some(EntityType::Person) => *slot == 0,
            Some(EntityType::Org) => *slot == 1,
            Some(EntityType::Place) => *slot == 2,
            Some(EntityType::Misc) => false,
        })
        .collect()
}

fn text(out: &mut dyn std::io::Write, answer: &EntitiesJson) -> std::io::Result<()> {
    match &answer.with {
        Some(with) => {
            let n = answer.with_articles.unwrap_or(0);
            let plural = if n == 1 { "" } else { "s" };
            writeln!(
                out,
                "co-occurring with {with} (in {n} article{plural}) over {} articles, most significant first",
                answer.articles
            )?
        }
        None => writeln!(out, "top entities over {} articles", answer.articles)?,
    }
    let lists = [
        ("persons", &answer.persons),
        ("orgs", &answer.orgs),
        ("places", &answer.places),
    ];
    for (label, rows) in lists {
        let Some(rows) = rows else { continue };
        writeln!(out, "{label}:")?;
        for row in rows {
            match row {
                Row::Count(v) => writeln!(out, "  {:>6}  {}", v.count, v.value)?,
                Row::Together(c) => writeln!(
                    out,
                    "  {:>6}  {:<30} lift {:.1} ({} overall)",
                    c.together, c.value, c.lift, c.overall
                )?,
            }
        }
    }
    Ok(())
}
