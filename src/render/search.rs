//! Search results as text (highlights in bold colour on a terminal, `[[…]]` otherwise), JSON,
//! JSON lines or CSV.

use std::io::{self, Write};

use serde::Serialize;

use super::json_line;
use crate::search::response::{Hit, SearchResponse};

/// How highlights are drawn in text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    /// ANSI bold yellow.
    Color,
    /// `[[` and `]]`.
    Brackets,
}

/// Wraps each highlighted byte range of `text`.
pub fn mark(text: &str, ranges: &[(usize, usize)], marks: Marks) -> String {
    let (open, close) = match marks {
        Marks::Color => ("\x1b[1;33m", "\x1b[0m"),
        Marks::Brackets => ("[[", "]]"),
    };
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut at = 0;
    for &(start, end) in ranges {
        let valid = start >= at && start <= end && end <= text.len();
        if !valid || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(open);
        out.push_str(&text[start..end]);
        out.push_str(close);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// A date as precise as it is known — `2025`, `2025-03`, `2025-03-16` — and with its time of day
/// (the whole RFC 3339 string) when known and `with_time`.
fn date_label(date: &str, precision: Option<&str>, with_time: bool) -> String {
    let len = match precision {
        Some("year") => 4,
        Some("month") => 7,
        Some("time") if with_time => date.len(),
        _ => 10,
    };
    date.get(..len).unwrap_or(date).to_string()
}

/// Writes one whole article for people (`newsdex show`): title, what is known about it, the
/// body, with the query's matches marked.
pub fn article(
    out: &mut dyn Write,
    hit: &Hit,
    body: &str,
    body_highlights: &[(usize, usize)],
    marks: Marks,
) -> io::Result<()> {
    writeln!(out, "{}", mark(&hit.title, &hit.title_highlights, marks))?;
    let date = hit.date.as_deref().map_or("undated".to_string(), |d| {
        date_label(d, hit.date_precision.as_deref(), true)
    });
    let about: Vec<&str> = [
        Some(date.as_str()),
        hit.source.as_deref(),
        hit.url.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|v| !v.is_empty())
    .collect();
    writeln!(out, "{}", about.join("  "))?;
    for (label, names) in [
        ("persons", &hit.entities.persons),
        ("orgs", &hit.entities.orgs),
        ("places", &hit.entities.places),
    ] {
        if !names.is_empty() {
            writeln!(out, "{label:<8} {}", names.join(", "))?;
        }
    }
    writeln!(out, "id {}  {}", hit.id, hit.path)?;
    writeln!(out)?;
    writeln!(out, "{}", mark(body, body_highlights, marks))
}

/// Writes results for people.
pub fn text(out: &mut dyn Write, response: &SearchResponse, marks: Marks) -> io::Result<()> {
    for (rank, hit) in response.hits.iter().enumerate() {
        let date = hit.date.as_deref().map_or("undated".to_string(), |d| {
            date_label(d, hit.date_precision.as_deref(), false)
        });
        let source = hit.source.as_deref().unwrap_or("");
        writeln!(
            out,
            "{}. {}",
            rank + 1,
            mark(&hit.title, &hit.title_highlights, marks)
        )?;
        let copies = if hit.copy_count == 0 {
            String::new()
        } else {
            format!("  +{} copies", hit.copy_count)
        };
        writeln!(
            out,
            "   {date}  {source}  id {}  score {:.2}{copies}",
            hit.id, hit.score
        )?;
        for passage in &hit.passages {
            writeln!(
                out,
                "   {}",
                mark(&passage.text, &passage.highlights, marks).replace('\n', " ")
            )?;
        }
        writeln!(out, "   {}", hit.path)?;
        writeln!(out)?;
    }
    let collapsed = if response.collapsed > 0 {
        format!(", {} exact duplicates folded", response.collapsed)
    } else {
        String::new()
    };
    writeln!(
        out,
        "{} matching articles{collapsed} ({:.1} ms)",
        response.total, response.took_ms
    )?;
    if let Some(facets) = &response.facets {
        let lists = [
            ("sources", &facets.sources),
            ("languages", &facets.languages),
            ("persons", &facets.persons),
            ("orgs", &facets.orgs),
            ("places", &facets.places),
        ];
        for (label, values) in lists {
            let shown: Vec<String> = values
                .iter()
                .map(|v| format!("{} ({})", v.value, v.count))
                .collect();
            writeln!(out, "{label:<10} {}", shown.join(", "))?;
        }
    }
    Ok(())
}

/// Writes the whole response as one JSON object.
pub fn json(out: &mut dyn Write, response: &SearchResponse) -> io::Result<()> {
    json_line(out, response)
}

/// The closing line of `--format jsonl`.
#[derive(Serialize)]
struct Summary<'a> {
    summary: bool,
    query: &'a str,
    total: u64,
    collapsed: u64,
    took_ms: f64,
}

/// Writes one hit a line, then a summary line.
pub fn jsonl(out: &mut dyn Write, response: &SearchResponse) -> io::Result<()> {
    for hit in &response.hits {
        json_line(out, hit)?;
    }
    json_line(
        out,
        &Summary {
            summary: true,
            query: &response.query,
            total: response.total,
            collapsed: response.collapsed,
            took_ms: response.took_ms,
        },
    )
}

/// Writes a CSV table: one row per hit, the best passage as plain text.
pub fn csv(out: &mut dyn Write, response: &SearchResponse) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record([
        "rank", "id", "score", "date", "source", "title", "passage", "url", "path", "copies",
    ])?;
    for (rank, hit) in response.hits.iter().enumerate() {
        writer.write_record(row(rank, hit))?;
    }
    writer.flush()
}

fn row(rank: usize, hit: &Hit) -> Vec<String> {
    vec![
        (rank + 1).to_string(),
        hit.id.clone(),
        format!("{:.4}", hit.score),
        hit.date.clone().unwrap_or_default(),
        hit.source.clone().unwrap_or_default(),
        hit.title.clone(),
        hit.passages
            .first()
            .map(|p| p.text.clone())
            .unwrap_or_default(),
        hit.url.clone().unwrap_or_default(),
        hit.path.clone(),
        hit.copy_count.to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_show_only_what_is_known() {
        let label = |precision, with_time| date_label("2025-03-16T14:05:00Z", precision, with_time);
        assert_eq!(label(Some("year"), true), "2025");
        assert_eq!(label(Some("month"), true), "2025-03");
        assert_eq!(label(Some("day"), true), "2025-03-16");
        assert_eq!(label(Some("time"), false), "2025-03-16");
        assert_eq!(label(Some("time"), true), "2025-03-16T14:05:00Z");
        assert_eq!(label(None, true), "2025-03-16");
    }

    #[test]
    fn marks_wrap_ranges_and_skip_bad_ones() {
        assert_eq!(
            mark("a judge tried", &[(2, 7)], Marks::Brackets),
            "a [[judge]] tried"
        );
        assert_eq!(mark("café", &[(3, 4)], Marks::Brackets), "café");
        assert_eq!(mark("ab", &[(0, 9)], Marks::Brackets), "ab");
    }
}
