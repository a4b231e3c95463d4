//! Where an article's passages lie. They are added to tantivy as one batch,
//! so they are consecutive documents of one segment (merges keep document
//! order), first passage (ordinal 0) first; the first passage alone carries
//! the article's facets and manifest.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::ops::Range;

use tantivy::columnar::Column;
use tantivy::{DocId, SegmentOrdinal};

use crate::index::schema::{ARTICLE_KEY, DUP_GROUP, ORDINAL};

/// The first passage of the article holding passage `doc` (`ordinal` in it).
pub(super) fn first_passage(doc: DocId, ordinal: u64) -> DocId {
    doc.saturating_sub(ordinal as DocId)
}

/// The documents of the article whose first passage is `first`: up to the
/// next first passage or the end of the segment.
pub(super) fn article_docs(ordinals: &Column<u64>, first: DocId, max_doc: DocId) -> Range<DocId> {
    let mut end = first + 1;
    while end < max_doc && ordinals.first(end).is_some_and(|o| o > 0) {
        end += 1;
    }
    first..end
}

/// One segment's article key, ordinal and duplicate-group columns.
pub(super) struct PassageColumns {
    pub keys: Column<u64>,
    pub ordinals: Column<u64>,
    pub groups: Column<u64>,
}

/// [`PassageColumns`] of the segments one search touches, each opened once.
pub(super) struct SegmentColumns<'s> {
    searcher: &'s tantivy::Searcher,
    open: HashMap<SegmentOrdinal, PassageColumns>,
}

impl<'s> SegmentColumns<'s> {
    pub fn new(searcher: &'s tantivy::Searcher) -> SegmentColumns<'s> {
        SegmentColumns {
            searcher,
            open: HashMap::new(),
        }
    }

    pub fn of(&mut self, segment: SegmentOrdinal) -> tantivy::Result<&PassageColumns> {
        Ok(match self.open.entry(segment) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                let ff = self.searcher.segment_reader(segment).fast_fields();
                e.insert(PassageColumns {
                    keys: ff.u64(ARTICLE_KEY)?,
                    ordinals: ff.u64(ORDINAL)?,
                    groups: ff.u64(DUP_GROUP)?,
                })
            }
        })
    }
}
