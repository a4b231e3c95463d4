//! Writing articles to the index. Each article becomes one delete-by-id and
//! one add per passage, sent to tantivy as a single batch so an article's
//! passages always share a segment (search counts articles per segment).
//! The writer commits every few thousand articles, so an interrupted run
//! leaves the last commit intact and searchable.

use std::path::Path;

use tantivy::indexer::UserOperation;
use tantivy::schema::Facet;
use tantivy::{DateTime, IndexWriter, TantivyDocument, Term};

use super::schema::article_key;
use super::{Fields, NewsIndex};
use crate::article::Article;
use crate::error::{Error, Result};
use crate::extract::{self, Entities};
use crate::ingest::{Ingest, Item, Skipped};
use crate::passage;

/// tantivy's indexing memory budget, shared by its writer threads.
const WRITER_MEMORY: usize = 256 * 1024 * 1024;
/// Articles between commits.
const COMMIT_EVERY: usize = 10_000;

/// What an indexing run did.
#[derive(Debug, Default)]
pub struct BuildSummary {
    pub articles: usize,
    pub passages: usize,
    /// Articles read as Windows-1252 because they were not valid UTF-8.
    pub decoded_fallback: usize,
    pub skipped: Vec<Skipped>,
}

/// Indexes every article below `dir` into the index at `index_path`,
/// replacing any earlier version of each article. `on_skip` hears about each
/// skipped article as it happens.
pub fn build(
    dir: &Path,
    index_path: &Path,
    mut on_skip: impl FnMut(&Skipped),
) -> Result<BuildSummary> {
    if !dir.is_dir() {
        return Err(Error::NotAFolder(dir.to_path_buf()));
    }
    let news = NewsIndex::open_or_create(index_path)?;
    let mut writer: IndexWriter = news.index.writer(WRITER_MEMORY)?;
    let mut summary = BuildSummary::default();
    for item in Ingest::new(dir) {
        let article = match item {
            Item::Article(a) => a,
            Item::Decoded(a) => {
                summary.decoded_fallback += 1;
                a
            }
            Item::Skipped(s) => {
                on_skip(&s);
                summary.skipped.push(s);
                continue;
            }
        };
        summary.passages += write_article(&writer, &news.fields, &article)?;
        summary.articles += 1;
        if summary.articles % COMMIT_EVERY == 0 {
            writer.commit()?;
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(summary)
}

fn facets(entities: &Entities) -> Vec<Facet> {
    entities
        .iter()
        .map(|(kind, name)| Facet::from_path([kind.name(), name]))
        .collect()
}

/// Queues one article's passages; returns how many there were.
fn write_article(writer: &IndexWriter, f: &Fields, article: &Article) -> Result<usize> {
    let entities = extract::article_entities(article);
    let facets = facets(&entities);
    let passages = passage::passages(&article.body);
    let key = article_key(&article.id);
    let date = article
        .date
        .map(|d| DateTime::from_timestamp_secs(d.days_since_epoch() * 86_400));
    let mut ops = Vec::with_capacity(passages.len() + 1);
    ops.push(UserOperation::Delete(Term::from_field_text(
        f.id,
        &article.id,
    )));
    for (ordinal, p) in passages.iter().enumerate() {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &article.id);
        doc.add_u64(f.article_key, key);
        doc.add_text(f.path, &article.path);
        doc.add_text(f.doc_id, &article.doc_id);
        doc.add_text(f.title, &article.title);
        doc.add_text(f.text, &article.body[p.range.clone()]);
        if let Some(date) = date {
            doc.add_date(f.date, date);
        }
        for (field, value) in [
            (f.url, &article.url),
            (f.source, &article.source),
            (f.author, &article.author),
        ] {
            if let Some(value) = value {
                doc.add_text(field, value);
            }
        }
        doc.add_u64(f.ordinal, ordinal as u64);
        doc.add_u64(f.start, p.range.start as u64);
        doc.add_u64(f.end, p.range.end as u64);
        for facet in &facets {
            doc.add_facet(f.entity, facet.clone());
        }
        ops.push(UserOperation::Add(doc));
    }
    writer.run(ops)?;
    Ok(passages.len())
}
