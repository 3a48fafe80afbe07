//! Query: the parsed query (plus flag filters) → a tantivy query, and the matcher the
//! highlighter uses. Plain words search the title (boosted) and body for every form with their
//! stem ([`StemQuery`]); phrases, prefixes and fuzzy words the same fields' exact words; scoped
//! values the keyword fields.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::all_of::{AllOfQuery, Part};
use super::date_span::DateSpanQuery;
use super::either::EitherQuery;
use super::passages::{EntityMatch, Matcher, PhraseMatch, TermMatch, TermMatchKind};
use super::request::{DateFilter, SearchRequest, ValueFilters};
use super::stems::{self, StemQuery};
use super::surnames::Surnames;
use super::syntax::{self, DateRange, Node, Scope, TermKind};
use crate::error::{Error, Result};
use crate::model::EntityKind;
use crate::schema::{exact_analyzer, index_date, normalise_keyword, stemmed_analyzer, Fields};

/// How much more a title match counts than a body match.
const TITLE_BOOST: f32 = 2.0;

/// A compiled query.
pub struct Compiled {
    /// What tantivy runs.
    pub query: Box<dyn Query>,
    /// What the highlighter looks for.
    pub matcher: Matcher,
}

/// Compiles a request.
pub fn compile(request: &SearchRequest, fields: &Fields, searcher: &Searcher) -> Result<Compiled> {
    let mut builder = Builder {
        fields,
        searcher,
        stemmed: stemmed_analyzer(),
        exact: exact_analyzer(),
        matcher: Matcher::default(),
    };
    let main = builder.node(&request.query, false)?;
    let values = builder.value_filters(&request.values)?;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, main)];
    clauses.extend(date_filter(&request.dates, fields));
    clauses.extend(values.into_iter().map(|q| (Occur::Must, q)));
    let query: Box<dyn Query> = if clauses.len() == 1 {
        clauses.remove(0).1
    } else {
        Box::new(BooleanQuery::new(clauses))
    };
    Ok(Compiled {
        query,
        matcher: builder.matcher,
    })
}

struct Builder<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
    stemmed: TextAnalyzer,
    exact: TextAnalyzer,
    matcher: Matcher,
}

impl Builder<'_> {
    fn node(&mut self, node: &Node, negated: bool) -> Result<Box<dyn Query>> {
        match node {
            Node::Bool(clauses) => {
                let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let mut positive = false;
                for (occur, child) in clauses {
                    let (occur, child_negated) = match occur {
                        syntax::Occur::Must => (Occur::Must, negated),
                        syntax::Occur::Should => (Occur::Should, negated),
                        syntax::Occur::MustNot => (Occur::MustNot, !negated),
                    };
                    positive |= occur != Occur::MustNot;
                    out.push((occur, self.node(child, child_negated)?));
                }
                if !positive {
                    // Only exclusions: they exclude from everything.
                    out.push((Occur::Must, Box::new(AllQuery)));
                }
                if out.len() > 1 && out.iter().all(|(occur, _)| *occur == Occur::Must) {
                    let parts = out
                        .into_iter()
                        .map(|(_, query)| Part {
                            listable: query.is::<StemQuery>(),
                            query,
                        })
                        .collect();
                    return Ok(Box::new(AllOfQuery::new(parts)));
                }
                Ok(Box::new(BooleanQuery::new(out)))
            }
            Node::Term { scope, text, kind } => self.term(*scope, text, kind, negated),
            Node::Phrase {
                scope,
                text,
                slop,
                whole_value,
            } => self.phrase(*scope, text, *slop, *whole_value, negated),
            Node::Date(range) => Ok(date_range(range, self.fields)),
        }
    }

    fn term(
        &mut self,
        scope: Option<Scope>,
        text: &str,
        kind: &TermKind,
        negated: bool,
    ) -> Result<Box<dyn Query>> {
        let f = self.fields;
        match scope {
            None | Some(Scope::Title) | Some(Scope::Body) => {}
            Some(keyword_scope) => return self.keyword(keyword_scope, text, false, negated),
        }
        let (title, body) = scope_fields(scope, f);
        match kind {
            TermKind::Plain => {
                let stems = tokens(&mut self.stemmed, text);
                if stems.len() > 1 {
                    // "U.S." or "well-known": several words typed as one — an exact phrase.
                    return self.phrase(scope, text, 0, false, negated);
                }
                let Some(stem) = stems.into_iter().next() else {
                    return Ok(Box::new(EmptyQuery));
                };
                let targets: Vec<(Field, f32)> = [(title, TITLE_BOOST), (body, 1.0)]
                    .into_iter()
                    .filter_map(|(field, boost)| Some((field?, boost)))
                    .collect();
                let searched: Vec<Field> = targets.iter().map(|(field, _)| *field).collect();
                let forms = stems::forms(self.searcher, &searched, &stem)?;
                let boosts = targets.iter().map(|(_, boost)| *boost);
                let fields: Vec<(stems::Forms, f32)> = forms.into_iter().zip(boosts).collect();
                if !negated {
                    // Weighed by how rare the word is in bodies, whatever the scope.
                    let body_forms = match fields.iter().find(|(forms, _)| forms.field() == f.body)
                    {
                        Some((forms, _)) => forms.doc_freq,
                        None => stems::forms(self.searcher, &[f.body], &stem)?
                            .first()
                            .map_or(0, |forms| forms.doc_freq),
                    };
                    self.matcher.terms.push(TermMatch {
                        kind: TermMatchKind::Stem(stem.clone()),
                        weight: idf(self.searcher, body_forms),
                    });
                }
                Ok(Box::new(StemQuery::new(fields)))
            }
            TermKind::Prefix => {
                let words = tokens(&mut self.exact, text);
                let Some(prefix) = words.into_iter().next() else {
                    return Ok(Box::new(EmptyQuery));
                };
                if !negated {
                    self.matcher.terms.push(TermMatch {
                        kind: TermMatchKind::Prefix(prefix.clone()),
                        weight: 1.0,
                    });
                }
                let pattern = format!("{}.*", regex_escape(&prefix));
                let (title, body) = scope_fields(scope, f);
                let mut queries = Vec::new();
                for field in [title, body].into_iter().flatten() {
                    let query =
                        RegexQuery::from_pattern(&pattern, field).map_err(|e| Error::Query {
                            column: 1,
                            message: format!("bad prefix {text:?}: {e}"),
                        })?;
                    queries.push((Occur::Should, Box::new(query) as Box<dyn Query>));
                }
                Ok(Box::new(BooleanQuery::new(queries)))
            }
            TermKind::Fuzzy(distance) => {
                let words = tokens(&mut self.exact, text);
                let Some(word) = words.into_iter().next() else {
                    return Ok(Box::new(EmptyQuery));
                };
                if !negated {
                    self.matcher.terms.push(TermMatch {
                        kind: TermMatchKind::Fuzzy {
                            word: word.clone(),
                            distance: *distance,
                        },
                        weight: 1.0,
                    });
                }
                let (title, body) = scope_fields(scope, f);
                Ok(either(title, body, |field| {
                    Box::new(FuzzyTermQuery::new(
                        Term::from_field_text(field, &word),
                        *distance,
                        true,
                    ))
                }))
            }
        }
    }

    fn phrase(
        &mut self,
        scope: Option<Scope>,
        text: &str,
        slop: u32,
        whole_value: bool,
        negated: bool,
    ) -> Result<Box<dyn Query>> {
        match scope {
            None | Some(Scope::Title) | Some(Scope::Body) => {}
            Some(keyword_scope) => return self.keyword(keyword_scope, text, whole_value, negated),
        }
        let words = tokens(&mut self.exact, text);
        if words.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        if !negated {
            self.matcher.phrases.push(PhraseMatch {
                words: words.clone(),
                slop,
                weight: words.len() as f32,
            });
        }
        let (title, body) = scope_fields(scope, self.fields);
        Ok(either(title, body, |field| -> Box<dyn Query> {
            if words.len() == 1 {
                return term_query(field, &words[0], IndexRecordOption::WithFreqs);
            }
            let terms: Vec<(usize, Term)> = words
                .iter()
                .enumerate()
                .map(|(i, w)| (i, Term::from_field_text(field, w)))
                .collect();
            Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))
        }))
    }

    /// One query per `--person`/`--org`/`--place`/`--entity` value, all required.
    fn value_filters(&mut self, values: &ValueFilters) -> Result<Vec<Box<dyn Query>>> {
        let mut out = Vec::new();
        let groups: [(&Vec<String>, Scope); 4] = [
            (&values.persons, Scope::Person),
            (&values.orgs, Scope::Org),
            (&values.places, Scope::Place),
            (&values.entities, Scope::Entity),
        ];
        for (names, scope) in groups {
            for name in names {
                let value = normalise_keyword(name.trim());
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let mut wanted = self.entity_match(false);
                for field in self.entity_fields(scope) {
                    let (query, members) = self.value_query(field, &value)?;
                    clauses.push((Occur::Should, query));
                    self.wants(&mut wanted, field, members)?;
                }
                self.matcher.entities.push(wanted);
                out.push(Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>);
            }
        }
        Ok(out)
    }

    /// The keyword fields an entity scope searches (none for other scopes).
    fn entity_fields(&self, scope: Scope) -> Vec<Field> {
        let f = self.fields;
        match scope {
            Scope::Person => vec![f.persons],
            Scope::Org => vec![f.orgs],
            Scope::Place => vec![f.places],
            Scope::Entity => vec![f.persons, f.orgs, f.places],
            _ => Vec::new(),
        }
    }

    /// An entity for the highlighter to find, still without types or names.
    fn entity_match(&self, word_of_name: bool) -> EntityMatch {
        EntityMatch {
            kinds: Vec::new(),
            names: Vec::new(),
            word_of_name,
            weight: 0.0,
        }
    }

    /// Adds the entity field `field` and the names it is asked for to `wanted`, which weighs as
    /// much as the rarest of them is rare.
    fn wants(&self, wanted: &mut EntityMatch, field: Field, names: Vec<String>) -> Result<()> {
        let f = self.fields;
        let kind = if field == f.persons {
            EntityKind::Person
        } else if field == f.orgs {
            EntityKind::Organization
        } else {
            EntityKind::Place
        };
        wanted.kinds.push(kind);
        for name in names {
            if !wanted.word_of_name {
                let articles = self
                    .searcher
                    .doc_freq(&Term::from_field_text(field, &name))?;
                if articles > 0 {
                    wanted.weight = wanted.weight.max(idf(self.searcher, articles));
                }
            }
            if !wanted.names.contains(&name) {
                wanted.names.push(name);
            }
        }
        if wanted.word_of_name || wanted.weight == 0.0 {
            wanted.weight = wanted.weight.max(1.0);
        }
        Ok(())
    }

    /// Articles whose keyword `field` holds the (normalised) `value`; for persons, also under
    /// the other name the archive knows them by ([`Surnames`]: "Reagan" ↔ "Ronald Reagan").
    /// Returns the query and the names it looks for.
    fn value_query(&self, field: Field, value: &str) -> Result<(Box<dyn Query>, Vec<String>)> {
        let single = || term_query(field, value, IndexRecordOption::Basic);
        if field != self.fields.persons {
            return Ok((single(), vec![value.to_string()]));
        }
        let members = Surnames::for_name(self.searcher, field, value)?.members(value);
        if members.len() == 1 {
            return Ok((single(), vec![value.to_string()]));
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = members
            .iter()
            .map(|name| {
                (
                    Occur::Should,
                    term_query(field, name, IndexRecordOption::Basic),
                )
            })
            .collect();
        let names = members.iter().map(|name| name.to_string()).collect();
        Ok((Box::new(BooleanQuery::new(clauses)), names))
    }

    /// Keyword-field scopes: a quoted value matches the whole value, a bare word any word of it.
    fn keyword(
        &mut self,
        scope: Scope,
        text: &str,
        whole_value: bool,
        negated: bool,
    ) -> Result<Box<dyn Query>> {
        let f = self.fields;
        let fields: Vec<Field> = match scope {
            Scope::Source => vec![f.source],
            Scope::Author => vec![f.authors],
            Scope::Tag => vec![f.tags],
            Scope::Person | Scope::Org | Scope::Place | Scope::Entity => self.entity_fields(scope),
            Scope::Lang => {
                return Ok(term_query(
                    f.lang,
                    &text.trim().to_lowercase(),
                    IndexRecordOption::Basic,
                ))
            }
            Scope::Url => return Ok(term_query(f.url, text.trim(), IndexRecordOption::Basic)),
            Scope::Id => return Ok(term_query(f.id, text.trim(), IndexRecordOption::Basic)),
            Scope::Title | Scope::Body => return Ok(Box::new(EmptyQuery)),
        };
        let value = normalise_keyword(text.trim());
        let mut wanted = self.entity_match(!whole_value);
        let mut queries: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for field in fields {
            let (query, names): (Box<dyn Query>, Vec<String>) = if whole_value {
                self.value_query(field, &value)?
            } else {
                let word = regex_escape(&value);
                let pattern = format!("(.*[^a-z0-9])?{word}([^a-z0-9].*)?");
                match RegexQuery::from_pattern(&pattern, field) {
                    Ok(query) => (Box::new(query), vec![value.clone()]),
                    Err(_) => (Box::new(EmptyQuery), Vec::new()),
                }
            };
            if self.entity_fields(scope).contains(&field) {
                self.wants(&mut wanted, field, names)?;
            }
            queries.push((Occur::Should, query));
        }
        if !negated && !wanted.kinds.is_empty() {
            self.matcher.entities.push(wanted);
        }
        Ok(Box::new(BooleanQuery::new(queries)))
    }
}

/// Inverse document frequency of a word held by `doc_freq` documents, as BM25 computes it.
fn idf(searcher: &Searcher, doc_freq: u64) -> f32 {
    let total = searcher.num_docs() as f32;
    let df = doc_freq as f32;
    (1.0 + (total - df + 0.5) / (df + 0.5)).ln().max(0.01)
}

fn scope_fields(scope: Option<Scope>, f: &Fields) -> (Option<Field>, Option<Field>) {
    match scope {
        Some(Scope::Title) => (Some(f.title), None),
        Some(Scope::Body) => (None, Some(f.body)),
        _ => (Some(f.title), Some(f.body)),
    }
}

/// The same query on the title (boosted) and/or the body, either matching.
fn either(
    title: Option<Field>,
    body: Option<Field>,
    make: impl Fn(Field) -> Box<dyn Query>,
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(field) = title {
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(make(field), TITLE_BOOST)),
        ));
    }
    if let Some(field) = body {
        clauses.push((Occur::Should, make(field)));
    }
    if clauses.len() == 1 {
        return clauses.remove(0).1;
    }
    Box::new(EitherQuery::new(
        clauses.into_iter().map(|(_, query)| query).collect(),
    ))
}

fn term_query(field: Field, text: &str, option: IndexRecordOption) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), option))
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~\"@<>".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An article matches a date range only if its whole period lies inside it.
fn date_range(range: &DateRange, f: &Fields) -> Box<dyn Query> {
    within(range.since, range.until, f)
}

fn within(since: Option<i64>, until: Option<i64>, f: &Fields) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(within_clauses(since, until, f)))
}

/// The clauses of [`within`], to be put beside the query they filter rather than nested in a
/// query of their own: tantivy's intersection then checks each candidate against each bound
/// with one column lookup, where a nested intersection of the two bounds scanned the date
/// columns forward at every candidate (a date-filtered word took 1.5× tantivy-py's time).
fn within_clauses(
    since: Option<i64>,
    until: Option<i64>,
    f: &Fields,
) -> Vec<(Occur, Box<dyn Query>)> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let date = |field, secs| Term::from_field_date(field, index_date(secs));
    // A filter, not a signal: every clause scores zero, so an article scores the same with or
    // without dates asked for.
    let filter =
        |query: Box<dyn Query>| -> Box<dyn Query> { Box::new(BoostQuery::new(query, 0.0)) };
    // Undated articles never match a date filter. A bound already requires a date (an undated
    // article has neither `date` nor `date_end`); without bounds, require one explicitly.
    if since.is_none() && until.is_none() {
        clauses.push((Occur::Must, filter(has_date(f))));
    }
    if let (Some(since), Some(until)) = (since, until) {
        // Both bounds: `date` within them too. A date after `until` could only start a period
        // ending after it, which the `date_end` bound excludes, so this changes no result; but
        // one column lookup now rejects most articles outside the range, where `date` from
        // `since` on alone let nearly all of an archive that begins near `since` through to a
        // second lookup. Where the range is narrow, its postings lead the search instead.
        let span = DateSpanQuery::new(f.date, Some(index_date(since)), Some(index_date(until)));
        clauses.push((Occur::Must, filter(Box::new(span))));
    } else if let Some(since) = since {
        clauses.push((
            Occur::Must,
            filter(Box::new(RangeQuery::new(
                Bound::Included(date(f.date, since)),
                Bound::Unbounded,
            ))),
        ));
    } else if let Some(until) = until {
        // Only an upper bound: `date` up to `until` as well. A date after `until` could only
        // start a period ending after it, which the `date_end` bound excludes, so this changes
        // no result; where few dates are that early it is read from their postings and leads
        // the search (see `DateSpanQuery`).
        let span = DateSpanQuery::new(f.date, None, Some(index_date(until))).implied();
        clauses.push((Occur::Must, filter(Box::new(span))));
    }
    if let Some(until) = until {
        clauses.push((
            Occur::Must,
            filter(Box::new(RangeQuery::new(
                Bound::Unbounded,
                Bound::Included(date(f.date_end, until)),
            ))),
        ));
    }
    clauses
}

/// The articles with a date: every date from the earliest the index holds on.
fn has_date(f: &Fields) -> Box<dyn Query> {
    let earliest = Term::from_field_date(f.date, index_date(i64::MIN));
    Box::new(RangeQuery::new(Bound::Included(earliest), Bound::Unbounded))
}

/// The clauses a request's date flags add to its query.
fn date_filter(dates: &DateFilter, f: &Fields) -> Vec<(Occur, Box<dyn Query>)> {
    if dates.undated {
        let clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(AllQuery)),
            (Occur::MustNot, has_date(f)),
        ];
        return vec![(Occur::Must, Box::new(BooleanQuery::new(clauses)))];
    }
    if dates.since.is_none() && dates.until.is_none() {
        return Vec::new();
    }
    within_clauses(dates.since, dates.until, f)
}
