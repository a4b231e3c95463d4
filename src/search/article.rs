//! One whole article, looked up by its id: every passage in order, its
//! entities, where in the text each entity is mentioned, and (optionally)
//! the words of a query highlighted, for reading an article in full.

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{QueryParser, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::snippet::SnippetGenerator;
use tantivy::{TantivyDocument, Term};

use super::{entities_of, highlights, text_of, u64_of, ArticleMeta, Searcher};
use crate::error::Result;
use crate::extract::{Entities, EntityKind};

/// What separates passages in [`FullArticle::body`].
const PASSAGE_BREAK: &str = "\n\n";
/// A person's surname alone is marked only when it has at least this many
/// characters ("Xi" would mark too much).
const MIN_SURNAME_CHARS: usize = 3;

/// An article as stored, passage by passage.
#[derive(Debug, Clone, Serialize)]
pub struct FullArticle {
    #[serde(flatten)]
    pub meta: ArticleMeta,
    /// The passages' text, in order, separated by blank lines.
    pub body: String,
    pub passages: Vec<ArticlePassage>,
    pub entities: Entities,
}

/// One passage of a [`FullArticle`]. Offsets in `mentions` and `highlights`
/// are byte ranges in `text`.
#[derive(Debug, Clone, Serialize)]
pub struct ArticlePassage {
    pub ordinal: u64,
    /// Byte range of the passage in the article body as it was indexed.
    pub start: u64,
    pub end: u64,
    pub text: String,
    pub mentions: Vec<Mention>,
    /// The words that match the query asked about, if any.
    pub highlights: Vec<[usize; 2]>,
}

/// Where an entity is named in a passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub kind: EntityKind,
    /// The entity's canonical name (the text may be a surname alone).
    pub name: String,
}

impl Searcher {
    /// The article with this id, or `None` when the index holds no such
    /// article. With `highlight`, the words of that query are marked.
    pub fn article(&self, id: &str, highlight: Option<&str>) -> Result<Option<FullArticle>> {
        let f = self.fields();
        let searcher = self.reader.searcher();
        let by_id = TermQuery::new(Term::from_field_text(f.id, id), IndexRecordOption::Basic);
        let addresses = searcher.search(&by_id, &DocSetCollector)?;
        let mut docs = addresses
            .into_iter()
            .map(|addr| searcher.doc::<TantivyDocument>(addr))
            .collect::<tantivy::Result<Vec<_>>>()?;
        docs.sort_by_key(|d| u64_of(d, f.ordinal));
        let Some(first) = docs.first() else {
            return Ok(None);
        };
        let entities = entities_of(first, f.entity);
        let snippets = match highlight.map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => {
                let parser = QueryParser::for_index(&self.news.index, vec![f.title, f.text]);
                let (query, _) = parser.parse_query_lenient(q);
                let mut generator = SnippetGenerator::create(&searcher, &*query, f.text)?;
                generator.set_max_num_chars(usize::MAX / 2);
                Some(generator)
            }
            None => None,
        };
        let passages: Vec<ArticlePassage> = docs
            .iter()
            .map(|doc| {
                let text = text_of(doc, f.text).unwrap_or_default();
                let highlights = snippets
                    .as_ref()
                    .map_or_else(Vec::new, |g| highlights(g, &text));
                ArticlePassage {
                    ordinal: u64_of(doc, f.ordinal),
                    start: u64_of(doc, f.start),
                    end: u64_of(doc, f.end),
                    mentions: mentions(&text, &entities),
                    highlights,
                    text,
                }
            })
            .collect();
        let body = passages
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(PASSAGE_BREAK);
        Ok(Some(FullArticle {
            meta: ArticleMeta::of(first, f),
            body,
            passages,
            entities,
        }))
    }
}

/// Where each entity is named in `text`: its full name, and for a person
/// the surname alone, as whole words. Longer names win where two overlap;
/// the result is in text order.
pub fn mentions(text: &str, entities: &Entities) -> Vec<Mention> {
    let mut found: Vec<Mention> = Vec::new();
    for (kind, name) in entities.iter() {
        let mut forms = vec![name];
        if kind == EntityKind::Person {
            if let Some(surname) = name.rsplit(' ').next() {
                if surname != name && surname.chars().count() >= MIN_SURNAME_CHARS {
                    forms.push(surname);
                }
            }
        }
        for form in forms {
            for (start, _) in text.match_indices(form) {
                let end = start + form.len();
                if is_word_edge(text, start, end) {
                    found.push(Mention {
                        start,
                        end,
                        kind,
                        name: name.to_string(),
                    });
                }
            }
        }
    }
    // Longest first at each place, then drop whatever overlaps a kept one.
    found.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut kept: Vec<Mention> = Vec::with_capacity(found.len());
    for m in found {
        if kept.last().is_none_or(|k| m.start >= k.end) {
            kept.push(m);
        }
    }
    kept
}

/// True when `text[start..end]` is not part of a longer word.
fn is_word_edge(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names_and_surnames_are_marked_as_whole_words() {
        let entities = Entities {
            persons: vec!["Vladimir Putin".into()],
            places: vec!["Moscow".into()],
            orgs: vec![],
        };
        let text = "Vladimir Putin met envoys in Moscow. Putin's aide, not Putinism, spoke.";
        let marked: Vec<(&str, EntityKind)> = mentions(text, &entities)
            .iter()
            .map(|m| (&text[m.start..m.end], m.kind))
            .collect();
        assert_eq!(
            marked,
            [
                ("Vladimir Putin", EntityKind::Person),
                ("Moscow", EntityKind::Place),
                ("Putin", EntityKind::Person),
            ]
        );
    }
}
