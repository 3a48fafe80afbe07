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

/// Writes results for people.
pub fn text(out: &mut dyn Write, response: &SearchResponse, marks: Marks) -> io::Result<()> {
    for (rank, hit) in response.hits.iter().enumerate() {
        let date = hit
            .date
            .as_deref()
            .map(|d| d.get(..10).unwrap_or(d))
            .unwrap_or("undated");
        let source = hit.source.as_deref().unwrap_or("");
        writeln!(
            out,
            "{}. {}",
            rank + 1,
            mark(&hit.title, &hit.title_highlights, marks)
        )?;
        let copies = if hit.copies.is_empty() {
            String::new()
        } else {
            format!("  +{} copies", hit.copies.len())
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
        hit.copies.len().to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

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
