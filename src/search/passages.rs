//! Where an article's passages lie. They are added to tantivy as one batch,
//! so they are consecutive documents of one segment (merges keep document
//! order), first passage (ordinal 0) first; the first passage alone carries
//! the article's facets and manifest.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::ops::Range;

use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, SegmentOrdinal};

use crate::index::schema::{ARTICLE_KEY, DUP_GROUP, ID, ORDINAL};

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

/// [`PassageColumns`] of the segments one search touches, each opened once;
/// and their article-id columns, opened only when ties are broken by id.
pub(super) struct SegmentColumns<'s> {
    searcher: &'s tantivy::Searcher,
    open: HashMap<SegmentOrdinal, PassageColumns>,
    ids: HashMap<SegmentOrdinal, Option<StrColumn>>,
}

impl<'s> SegmentColumns<'s> {
    pub fn new(searcher: &'s tantivy::Searcher) -> SegmentColumns<'s> {
        SegmentColumns {
            searcher,
            open: HashMap::new(),
            ids: HashMap::new(),
        }
    }

    /// The article id of a passage, from the id fast field (empty when it
    /// has none). Each lookup decompresses a dictionary block, so it is kept
    /// for breaking ties.
    pub fn article_id(&mut self, addr: DocAddress) -> tantivy::Result<String> {
        let ids = match self.ids.entry(addr.segment_ord) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                let ff = self.searcher.segment_reader(addr.segment_ord).fast_fields();
                e.insert(ff.str(ID)?)
            }
        };
        let mut id = String::new();
        if let Some(ids) = ids {
            if let Some(ord) = ids.term_ords(addr.doc_id).next() {
                ids.ord_to_str(ord, &mut id)?;
            }
        }
        Ok(id)
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
