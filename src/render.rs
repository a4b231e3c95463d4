//! Writing results for people and for scripts. Search and the other commands
//! return data; this module turns it into text (with highlights as ANSI bold
//! and colour on a terminal, or `**word**` when piped) or JSON.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::extract::EntityKind;
use crate::search::{FacetValue, PassageHit, SearchResults};

/// How matched words are marked in text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Highlight {
    /// Bold and coloured (a terminal).
    Color,
    /// Bold only (a terminal, under NO_COLOR).
    Bold,
    /// `**word**` (piped output).
    Markers,
}

impl Highlight {
    fn marks(self) -> (&'static str, &'static str) {
        match self {
            Highlight::Color => ("\x1b[1;33m", "\x1b[0m"),
            Highlight::Bold => ("\x1b[1m", "\x1b[0m"),
            Highlight::Markers => ("**", "**"),
        }
    }

    fn title(self, text: &str) -> String {
        match self {
            Highlight::Color => format!("\x1b[1;36m{text}\x1b[0m"),
            Highlight::Bold => format!("\x1b[1m{text}\x1b[0m"),
            Highlight::Markers => text.to_string(),
        }
    }
}

/// A passage's text on one line, with its matched words marked.
pub fn highlighted(passage: &PassageHit, style: Highlight) -> String {
    let (open, close) = style.marks();
    let text = &passage.text;
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for &[start, end] in &passage.highlights {
        if start < at
            || end > text.len()
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(open);
        out.push_str(&text[start..end]);
        out.push_str(close);
        at = end;
    }
    out.push_str(&text[at..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn facet_heading(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "Persons",
        EntityKind::Place => "Places",
        EntityKind::Org => "Organisations",
    }
}

/// Search results as text.
pub fn search_text(
    out: &mut impl Write,
    results: &SearchResults,
    style: Highlight,
) -> io::Result<()> {
    writeln!(
        out,
        "{}, {} match \"{}\"",
        plural(results.total_articles, "article", "articles"),
        plural(results.total_passages, "passage", "passages"),
        results.query
    )?;
    for (rank, article) in results.articles.iter().enumerate() {
        writeln!(out)?;
        writeln!(out, "{}. {}", rank + 1, style.title(&article.meta.title))?;
        let mut meta = vec![article.meta.id.clone()];
        meta.extend(article.meta.date.clone());
        meta.extend(article.meta.source.clone());
        meta.push(format!("score {:.2}", article.score));
        if article.copies > 0 {
            meta.push(format!("+{} copies", article.copies));
        }
        writeln!(out, "   {}", meta.join(" · "))?;
        for passage in &article.passages {
            writeln!(out, "   » {}", highlighted(passage, style))?;
        }
    }
    for facet in &results.facets {
        writeln!(out)?;
        let values: Vec<String> = facet
            .values
            .iter()
            .map(|v| format!("{} {}", v.name, v.count))
            .collect();
        let list = if values.is_empty() {
            "(none)".to_string()
        } else {
            values.join(", ")
        };
        writeln!(out, "{}: {list}", facet_heading(facet.kind))?;
    }
    Ok(())
}

/// The JSON document of a search, as `newsdex search --json` prints it. The
/// web API flattens it into its answer, so both share one shape.
#[derive(Serialize)]
pub struct SearchJson<'a> {
    query: &'a str,
    total_articles: u64,
    total_passages: u64,
    articles: &'a [crate::search::ArticleHit],
    facets: BTreeMap<EntityKind, &'a [FacetValue]>,
}

impl<'a> SearchJson<'a> {
    pub fn of(results: &'a SearchResults) -> SearchJson<'a> {
        SearchJson {
            query: &results.query,
            total_articles: results.total_articles,
            total_passages: results.total_passages,
            articles: &results.articles,
            facets: results
                .facets
                .iter()
                .map(|f| (f.kind, f.values.as_slice()))
                .collect(),
        }
    }
}

/// Search results as one JSON document.
pub fn search_json(out: &mut impl Write, results: &SearchResults) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &SearchJson::of(results))?;
    writeln!(out)
}

/// The `entities` listing as text: one `count  name` line each.
pub fn entities_text(out: &mut impl Write, values: &[FacetValue]) -> io::Result<()> {
    let width = values
        .iter()
        .map(|v| v.count.to_string().len())
        .max()
        .unwrap_or(1);
    for v in values {
        writeln!(out, "{:>width$}  {}", v.count, v.name)?;
    }
    Ok(())
}

/// Any serialisable value as pretty JSON.
pub fn json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_wrap_highlights_and_flatten_lines() {
        let p = PassageHit {
            ordinal: 0,
            score: 1.0,
            text: "forces to withdraw\nfrom the Donbas region".to_string(),
            start: 0,
            end: 0,
            highlights: vec![[10, 18], [28, 34]],
        };
        assert_eq!(
            highlighted(&p, Highlight::Markers),
            "forces to **withdraw** from the **Donbas** region"
        );
    }
}
