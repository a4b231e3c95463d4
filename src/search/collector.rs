//! A collector that counts matching passages, matching articles, and entity
//! facets per matching *article* rather than per passage: within a segment,
//! only the first matching passage of each article reaches the facet counter.
//! An article's passages are added to tantivy as one batch (see
//! `index::writer`), so they are consecutive documents of one segment (merges
//! keep document order), and the first of them carries the article's facets
//! (passage `doc - ordinal`). Documents reach a collector in increasing
//! order, so an article starts wherever `doc - ordinal` changes: each article
//! is counted once, with no set to look up.

use std::ops::{Bound, Range};

use rustc_hash::FxHashMap as HashMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::passages::first_passage;
use crate::extract::EntityKind;
use crate::index::schema::{ENTITY, ORDINAL};

/// What [`ArticleCounter`] gathers.
pub struct ArticleCounts {
    pub passages: u64,
    pub articles: u64,
    /// Matching articles per entity of the kinds asked for.
    pub entities: HashMap<(EntityKind, String), u64>,
}

/// Counts passages and articles, and the entities of some kinds.
pub struct ArticleCounter {
    kinds: Vec<EntityKind>,
}

impl ArticleCounter {
    /// Counts the entities of `kinds` too (none when empty).
    pub fn with_kinds(kinds: &[EntityKind]) -> ArticleCounter {
        ArticleCounter {
            kinds: kinds.to_vec(),
        }
    }
}

/// Entity counts in one segment, by facet ordinal: a count per article
/// costs one array increment per facet, and only the ordinals that were
/// counted are turned back into names, in one pass over the dictionary.
/// (tantivy's `FacetCollector` first maps every facet of the segment, which
/// costs more than the counting for a selective query over a large index.)
struct SegmentEntities {
    reader: FacetReader,
    counts: Vec<u32>,
    /// The ordinals of the kinds asked for (`person\0…` sort together).
    ranges: Vec<Range<u64>>,
}

/// The facet ordinals under `kind` in a segment's facet dictionary.
fn kind_ordinals(reader: &FacetReader, kind: EntityKind) -> tantivy::Result<Range<u64>> {
    let lower = format!("{}\0", kind.name());
    let upper = format!("{}\u{1}", kind.name());
    let (lo, hi) = reader
        .facet_dict()
        .term_bounds_to_ord(Bound::Included(lower), Bound::Excluded(upper))?;
    let start = match lo {
        Bound::Included(o) => o,
        Bound::Excluded(o) => o + 1,
        Bound::Unbounded => 0,
    };
    let end = match hi {
        Bound::Included(o) => o + 1,
        Bound::Excluded(o) => o,
        Bound::Unbounded => reader.num_facets() as u64,
    };
    Ok(start..end.min(reader.num_facets() as u64).max(start))
}

/// Tells the first collected passage of each article in a segment. An
/// article is named by its first passage (`doc - ordinal`), so the passage
/// ordinal column, small numbers a few bits wide, is the only one read.
pub(super) struct FirstPassages {
    ordinals: Column<u64>,
    /// The article (first passage) of the last passage collected.
    last: Option<DocId>,
}

impl FirstPassages {
    pub(super) fn new(reader: &SegmentReader) -> tantivy::Result<FirstPassages> {
        Ok(FirstPassages {
            ordinals: reader.fast_fields().u64(ORDINAL)?,
            last: None,
        })
    }

    /// The first passage of `doc`'s article when `doc` (collected in
    /// increasing order) is the first of the article's passages collected.
    pub(super) fn new_article(&mut self, doc: DocId) -> Option<DocId> {
        let first = first_passage(doc, self.ordinals.first(doc)?);
        if self.last == Some(first) {
            return None;
        }
        self.last = Some(first);
        Some(first)
    }
}

pub struct ArticleSegmentCounter {
    first: FirstPassages,
    articles: u64,
    passages: u64,
    entities: Option<SegmentEntities>,
    kinds: Vec<EntityKind>,
}

impl Collector for ArticleCounter {
    type Fruit = ArticleCounts;
    type Child = ArticleSegmentCounter;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let entities = if self.kinds.is_empty() {
            None
        } else {
            let reader = segment.facet_reader(ENTITY)?;
            let counts = vec![0; reader.num_facets()];
            let ranges = self
                .kinds
                .iter()
                .map(|&kind| kind_ordinals(&reader, kind))
                .collect::<tantivy::Result<_>>()?;
            Some(SegmentEntities {
                reader,
                counts,
                ranges,
            })
        };
        Ok(ArticleSegmentCounter {
            first: FirstPassages::new(segment)?,
            articles: 0,
            passages: 0,
            entities,
            kinds: self.kinds.clone(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<ArticleCounts>) -> tantivy::Result<ArticleCounts> {
        let mut merged = ArticleCounts {
            passages: 0,
            articles: 0,
            entities: HashMap::default(),
        };
        for fruit in fruits {
            merged.passages += fruit.passages;
            merged.articles += fruit.articles;
            if merged.entities.is_empty() {
                merged.entities = fruit.entities;
                continue;
            }
            for (entity, count) in fruit.entities {
                *merged.entities.entry(entity).or_default() += count;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for ArticleSegmentCounter {
    type Fruit = ArticleCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.passages += 1;
        if let Some(first) = self.first.new_article(doc) {
            self.articles += 1;
            if let Some(e) = self.entities.as_mut() {
                for ord in e.reader.facet_ords(first) {
                    e.counts[ord as usize] += 1;
                }
            }
        }
    }

    fn harvest(self) -> ArticleCounts {
        let mut entities = HashMap::default();
        if let Some(e) = self.entities {
            let mut ords: Vec<u64> = e
                .ranges
                .iter()
                .flat_map(|r| r.clone())
                .filter(|&ord| e.counts[ord as usize] > 0)
                .collect();
            ords.sort_unstable();
            let mut next = ords.iter();
            // A facet is stored as `kind\0name`.
            let _ = e
                .reader
                .facet_dict()
                .sorted_ords_to_term_cb(&ords, |bytes| {
                    let Some(&ord) = next.next() else { return };
                    let Ok(text) = std::str::from_utf8(bytes) else {
                        return;
                    };
                    let Some((kind, name)) = text.split_once('\0') else {
                        return;
                    };
                    match EntityKind::from_name(kind) {
                        Some(kind) if self.kinds.contains(&kind) => {
                            entities
                                .insert((kind, name.to_string()), e.counts[ord as usize] as u64);
                        }
                        _ => {}
                    }
                });
        }
        ArticleCounts {
            passages: self.passages,
            articles: self.articles,
            entities,
        }
    }
}
