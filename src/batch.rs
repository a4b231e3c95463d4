//! Batch runs for evaluation: reading a topics file (tab-separated id and
//! query), and writing each topic's ranked articles as TREC run lines and
//! its best passages as JSON lines. Pure functions over text and results;
//! the search itself is the same [`crate::search::Searcher::search`] that
//! `newsdex search` runs.

use std::io::{self, Write};

use serde::Serialize;

use crate::search::SearchResults;

/// The tag in the last column of every TREC run line.
pub const RUN_TAG: &str = "newsdex";
/// Passages written per topic.
pub const PASSAGES_PER_TOPIC: usize = 10;

/// One topic: an id and the query a user would type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub id: String,
    pub query: String,
}

/// A line of the topics file that is not a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number.
    pub line: usize,
    pub reason: &'static str,
}

/// Reads a topics file: tab-separated, id and query first, further columns
/// ignored. Blank lines and a first row whose first column is `id` (a
/// header) are skipped; a line without an id or query is returned as bad.
pub fn read_topics(text: &str) -> (Vec<Topic>, Vec<BadLine>) {
    let mut topics = Vec::new();
    let mut bad = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let mut columns = line.split('\t');
        let id = columns.next().unwrap_or_default().trim();
        if n == 0 && id.eq_ignore_ascii_case("id") {
            continue;
        }
        let query = columns.next().unwrap_or_default().trim();
        let reason = if id.is_empty() {
            "no topic id in the first column"
        } else if query.is_empty() {
            "no query in the second (tab-separated) column"
        } else {
            topics.push(Topic {
                id: id.to_string(),
                query: query.to_string(),
            });
            continue;
        };
        bad.push(BadLine {
            line: n + 1,
            reason,
        });
    }
    (topics, bad)
}

/// Writes one TREC run line per article: `topic Q0 docid rank score tag`.
pub fn write_run(out: &mut impl Write, topic: &str, results: &SearchResults) -> io::Result<()> {
    for (i, article) in results.articles.iter().enumerate() {
        writeln!(
            out,
            "{topic} Q0 {} {} {:.4} {RUN_TAG}",
            run_docid(&article.meta.doc_id),
            i + 1,
            article.score
        )?;
    }
    Ok(())
}

/// A doc id as one whitespace-free run column.
fn run_docid(doc_id: &str) -> String {
    doc_id.split_whitespace().collect::<Vec<_>>().join("_")
}

/// One line of the passages file.
#[derive(Debug, Serialize)]
struct PassageLine<'a> {
    topic: &'a str,
    doc: String,
    rank: usize,
    text: &'a str,
}

/// Writes a topic's first [`PASSAGES_PER_TOPIC`] passages, in the order a
/// reader meets them (each article's passages in display order, article by
/// article), as plain-text JSON lines.
pub fn write_passages(
    out: &mut impl Write,
    topic: &str,
    results: &SearchResults,
) -> io::Result<()> {
    let shown = results
        .articles
        .iter()
        .flat_map(|a| a.passages.iter().map(move |p| (a, p)))
        .take(PASSAGES_PER_TOPIC);
    for (i, (article, passage)) in shown.enumerate() {
        let line = PassageLine {
            topic,
            doc: run_docid(&article.meta.doc_id),
            rank: i + 1,
            text: &passage.text,
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_skip_the_header_and_extra_columns() {
        let text = "id\tquery\tdescription\nR01\tCarl Icahn\tFind news\n\nR02\t\"Dow Jones\" drop: (again)\r\n";
        let (topics, bad) = read_topics(text);
        assert!(bad.is_empty());
        assert_eq!(
            topics,
            [
                Topic {
                    id: "R01".into(),
                    query: "Carl Icahn".into()
                },
                Topic {
                    id: "R02".into(),
                    query: "\"Dow Jones\" drop: (again)".into()
                },
            ]
        );
    }

    #[test]
    fn a_line_without_a_query_is_bad() {
        let (topics, bad) = read_topics("R01 Carl Icahn\nR02\toil\n");
        assert_eq!(topics.len(), 1);
        assert_eq!(
            bad,
            [BadLine {
                line: 1,
                reason: "no query in the second (tab-separated) column"
            }]
        );
    }
}
