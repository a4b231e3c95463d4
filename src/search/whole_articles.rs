//! Entity filters match whole articles. An article's facets are indexed on
//! its first passage only (see `index::writer`), so "articles naming Marco
//! Rubio" is a query over first passages. [`WholeArticles`] widens each first
//! passage it matches to every passage of its article: the documents that
//! follow it in the segment up to the next first passage (an article's
//! passages are added as one batch, so they are consecutive documents of one
//! segment).

use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TantivyError, TERMINATED};

use super::passages::article_docs;
use crate::index::schema::ORDINAL;

/// Every passage of the articles whose first passage matches a query.
#[derive(Debug)]
pub struct WholeArticles {
    first: Box<dyn Query>,
}

impl Clone for WholeArticles {
    fn clone(&self) -> WholeArticles {
        WholeArticles::new(self.first.box_clone())
    }
}

impl WholeArticles {
    /// `first` is matched against first passages (only they carry facets).
    pub fn new(first: Box<dyn Query>) -> WholeArticles {
        WholeArticles { first }
    }
}

impl Query for WholeArticles {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        // a filter: the inner query's scores are never used
        let unscored = match scoring.searcher() {
            Some(searcher) => EnableScoring::disabled_from_searcher(searcher),
            None => EnableScoring::disabled_from_schema(scoring.schema()),
        };
        Ok(Box::new(WholeArticlesWeight {
            first: self.first.weight(unscored)?,
        }))
    }
}

struct WholeArticlesWeight {
    first: Box<dyn Weight>,
}

impl Weight for WholeArticlesWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let max_doc = reader.max_doc();
        let ordinals = reader.fast_fields().u64(ORDINAL)?;
        let mut docs = BitSet::with_max_value(max_doc);
        let mut first = self.first.scorer(reader, 1.0)?;
        let mut doc = first.doc();
        while doc != TERMINATED {
            for passage in article_docs(&ordinals, doc, max_doc) {
                docs.insert(passage);
            }
            doc = first.advance();
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #{doc} does not match"
            )));
        }
        Ok(Explanation::new("WholeArticles", 1.0))
    }
}
