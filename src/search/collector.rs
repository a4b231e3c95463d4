//! A collector that counts matching passages, matching articles, and entity
//! facets per matching *article* rather than per passage: within a segment,
//! only the first matching passage of each article reaches the facet counter.
//! All passages of an article share a segment (see `index::writer`), and they
//! all carry the article's facets, so this counts each article once.

use std::collections::HashSet;

use tantivy::collector::{Collector, FacetCollector, FacetCounts, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::schema::{ARTICLE_KEY, ENTITY};

/// What [`ArticleCounter`] gathers.
pub struct ArticleCounts {
    pub passages: u64,
    pub articles: u64,
    /// Facet counts by article, when facets were asked for.
    pub facets: Option<FacetCounts>,
}

/// Counts passages and articles, and optionally facets under some roots.
pub struct ArticleCounter {
    facets: Option<FacetCollector>,
}

impl ArticleCounter {
    /// Counts facets under each of `roots` (such as `/person`); none when empty.
    pub fn with_facet_roots(roots: &[String]) -> ArticleCounter {
        let facets = (!roots.is_empty()).then(|| {
            let mut collector = FacetCollector::for_field(ENTITY);
            for root in roots {
                collector.add_facet(root.as_str());
            }
            collector
        });
        ArticleCounter { facets }
    }
}

pub struct ArticleSegmentCounter {
    keys: Column<u64>,
    seen: HashSet<u64>,
    passages: u64,
    facets: Option<<FacetCollector as Collector>::Child>,
}

impl Collector for ArticleCounter {
    type Fruit = ArticleCounts;
    type Child = ArticleSegmentCounter;

    fn for_segment(
        &self,
        ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let facets = match &self.facets {
            Some(collector) => Some(collector.for_segment(ord, reader)?),
            None => None,
        };
        Ok(ArticleSegmentCounter {
            keys: reader.fast_fields().u64(ARTICLE_KEY)?,
            seen: HashSet::new(),
            passages: 0,
            facets,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<ArticleCounts>) -> tantivy::Result<ArticleCounts> {
        let passages = fruits.iter().map(|f| f.passages).sum();
        let articles = fruits.iter().map(|f| f.articles).sum();
        let facets = match &self.facets {
            Some(collector) => Some(
                collector.merge_fruits(fruits.into_iter().filter_map(|f| f.facets).collect())?,
            ),
            None => None,
        };
        Ok(ArticleCounts {
            passages,
            articles,
            facets,
        })
    }
}

impl SegmentCollector for ArticleSegmentCounter {
    type Fruit = ArticleCounts;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.passages += 1;
        let Some(key) = self.keys.first(doc) else {
            return;
        };
        if self.seen.insert(key) {
            if let Some(facets) = self.facets.as_mut() {
                facets.collect(doc, score);
            }
        }
    }

    fn harvest(self) -> ArticleCounts {
        ArticleCounts {
            passages: self.passages,
            articles: self.seen.len() as u64,
            facets: self.facets.map(SegmentCollector::harvest),
        }
    }
}
