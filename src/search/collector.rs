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
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::passages::first_passage;
use crate::extract::EntityKind;
use crate::index::schema::{entity_value, parse_entity_value, ENTITY, ORDINAL};

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
    /// Values per kind that will be shown, when not all.
    top: Option<usize>,
}

impl ArticleCounter {
    /// Counts the entities of `kinds` too (none when empty).
    /// [`ArticleCounts::entities`] holds at least every value among the
    /// `top` most counted of each kind (most articles first, then by name),
    /// each with its exact count; every value when `top` is `usize::MAX`.
    pub fn with_kinds(kinds: &[EntityKind], top: usize) -> ArticleCounter {
        ArticleCounter {
            kinds: kinds.to_vec(),
            top: (top < usize::MAX).then_some(top),
        }
    }
}

/// Entity counts in one segment, by ordinal in the entity column's
/// dictionary: a count per article costs one array increment per entity,
/// and only the ordinals that were counted are turned back into names, in
/// one pass over the dictionary.
struct SegmentEntities {
    reader: StrColumn,
    counts: Vec<u32>,
    /// The ordinals of the kinds asked for (`person\0…` sort together).
    ranges: Vec<Range<u64>>,
}

/// The ordinals under `kind` in a segment's entity dictionary.
fn kind_ordinals(reader: &StrColumn, kind: EntityKind) -> tantivy::Result<Range<u64>> {
    // `kind\0…` sort together, before `kind\u{1}`
    let lower = entity_value(kind, "");
    let upper = format!("{}\u{1}", kind.name());
    let (lo, hi) = reader
        .dictionary()
        .term_bounds_to_ord(Bound::Included(lower), Bound::Excluded(upper))?;
    let start = match lo {
        Bound::Included(o) => o,
        Bound::Excluded(o) => o + 1,
        Bound::Unbounded => 0,
    };
    let end = match hi {
        Bound::Included(o) => o + 1,
        Bound::Excluded(o) => o,
        Bound::Unbounded => reader.num_terms() as u64,
    };
    Ok(start..end.min(reader.num_terms() as u64).max(start))
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
}

/// What one segment counted: the entity counts still by ordinal, for
/// [`ArticleCounter::merge_fruits`] to name only the values it needs.
pub struct SegmentCounts {
    passages: u64,
    articles: u64,
    entities: Option<SegmentEntities>,
}

impl Collector for ArticleCounter {
    type Fruit = ArticleCounts;
    type Child = ArticleSegmentCounter;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let column = if self.kinds.is_empty() {
            None
        } else {
            // none in a segment without entities (indexed with --no-entities)
            segment.fast_fields().str(ENTITY)?
        };
        let entities = if let Some(reader) = column {
            let counts = vec![0; reader.num_terms()];
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
        } else {
            None
        };
        Ok(ArticleSegmentCounter {
            first: FirstPassages::new(segment)?,
            articles: 0,
            passages: 0,
            entities,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentCounts>) -> tantivy::Result<ArticleCounts> {
        let mut merged = ArticleCounts {
            passages: fruits.iter().map(|f| f.passages).sum(),
            articles: fruits.iter().map(|f| f.articles).sum(),
            entities: HashMap::default(),
        };
        let segments: Vec<&SegmentEntities> =
            fruits.iter().filter_map(|f| f.entities.as_ref()).collect();
        for (k, &kind) in self.kinds.iter().enumerate() {
            let counted = match self.top {
                Some(top) => top_counts(&segments, k, kind, top)?,
                None => None,
            };
            let counted = match counted {
                Some(counted) => counted,
                None => all_counts(&segments, k)?,
            };
            merged
                .entities
                .extend(counted.into_iter().map(|(name, n)| ((kind, name), n)));
        }
        Ok(merged)
    }
}

/// A value's name from its bytes (`kind\0name`).
fn entity_name(bytes: &[u8]) -> Option<&str> {
    parse_entity_value(std::str::from_utf8(bytes).ok()?).map(|(_, name)| name)
}

/// The ordinals of the `k`-th kind asked for that a segment counted, in order.
fn counted(e: &SegmentEntities, k: usize) -> Vec<u64> {
    e.ranges[k]
        .clone()
        .filter(|&ord| e.counts[ord as usize] > 0)
        .collect()
}

/// Adds the names of a segment's ordinals (sorted) and their counts to `into`.
fn name_ordinals(
    e: &SegmentEntities,
    ords: &[u64],
    into: &mut HashMap<String, u64>,
) -> tantivy::Result<()> {
    let mut next = ords.iter();
    e.reader
        .dictionary()
        .sorted_ords_to_term_cb(ords, |bytes| {
            let Some(&ord) = next.next() else { return };
            if let Some(name) = entity_name(bytes) {
                *into.entry(name.to_string()).or_default() += u64::from(e.counts[ord as usize]);
            }
        })?;
    Ok(())
}

/// Every counted value of the `k`-th kind asked for, by name.
fn all_counts(segments: &[&SegmentEntities], k: usize) -> tantivy::Result<HashMap<String, u64>> {
    let mut counts = HashMap::default();
    for e in segments {
        name_ordinals(e, &counted(e, k), &mut counts)?;
    }
    Ok(counts)
}

/// Values named per segment before trying to prove the top ones (a multiple
/// of those shown, so that a skewed distribution proves at once, and at
/// least `MIN_NAMED`). Each named value can cost a dictionary block read, so
/// fewer is faster while the proof holds: at scale 20, 2 and 32 (rather than
/// 8 and 64) took the 56 bench queries' median with three facets from 15.2
/// to 12.8 ms, with the same counts.
const NAMED_PER_TOP: usize = 2;
const MIN_NAMED: usize = 32;

/// The `top` most counted values of `kind` (the `k`-th kind asked for), and
/// perhaps a few more, with exact counts, naming only each segment's most
/// counted ordinals; or `None` when those do not prove which values are the
/// top ones.
///
/// Each segment names its ordinals counted at least `floor` (about
/// `NAMED_PER_TOP * top` of them), so a value it did not name has fewer
/// there. A value named somewhere but not everywhere is looked up where it
/// is missing when it could still reach the top; a value named nowhere has
/// at most the sum of `floor - 1`. The answer stands when the `top`-th exact
/// count exceeds every count that is not known exactly.
fn top_counts(
    segments: &[&SegmentEntities],
    k: usize,
    kind: EntityKind,
    top: usize,
) -> tantivy::Result<Option<HashMap<String, u64>>> {
    if top == 0 {
        return Ok(Some(HashMap::default()));
    }
    let want = top.saturating_mul(NAMED_PER_TOP).max(MIN_NAMED);
    // name -> (count so far, segments that named it)
    let mut known: HashMap<String, (u64, Vec<usize>)> = HashMap::default();
    let mut floors = Vec::with_capacity(segments.len());
    for (s, e) in segments.iter().enumerate() {
        let mut ords = counted(e, k);
        let floor = if ords.len() > want {
            let mut counts: Vec<u32> = ords.iter().map(|&o| e.counts[o as usize]).collect();
            let (_, &mut nth, _) = counts.select_nth_unstable_by(want - 1, |a, b| b.cmp(a));
            ords.retain(|&o| e.counts[o as usize] >= nth);
            nth
        } else {
            1
        };
        floors.push(floor);
        let mut named = HashMap::default();
        name_ordinals(e, &ords, &mut named)?;
        for (name, n) in named {
            let entry = known.entry(name).or_default();
            entry.0 += n;
            entry.1.push(s);
        }
    }
    let unnamed = |s: usize| u64::from(floors[s] - 1);
    let unseen_bound: u64 = (0..segments.len()).map(unnamed).sum();
    if unseen_bound == 0 {
        return Ok(Some(known.into_iter().map(|(n, (c, _))| (n, c)).collect()));
    }
    // The top-th count among values known so far (a lower bound on the answer's).
    let mut lows: Vec<u64> = known.values().map(|v| v.0).collect();
    if lows.len() < top {
        return Ok(None);
    }
    let (_, &mut floor_low, _) = lows.select_nth_unstable_by(top - 1, |a, b| b.cmp(a));
    let mut exact: HashMap<String, u64> = HashMap::default();
    let mut inexact_bound = 0;
    // A value is `kind\0name`.
    let prefix = entity_value(kind, "");
    let mut key = Vec::new();
    for (name, (count, named_in)) in known {
        let missing: Vec<usize> = (0..segments.len())
            .filter(|s| !named_in.contains(s))
            .collect();
        let upper = count + missing.iter().map(|&s| unnamed(s)).sum::<u64>();
        if missing.is_empty() {
            exact.insert(name, count);
        } else if upper < floor_low {
            inexact_bound = inexact_bound.max(upper);
        } else {
            let mut total = count;
            key.clear();
            key.extend_from_slice(prefix.as_bytes());
            key.extend_from_slice(name.as_bytes());
            for s in missing {
                let e = segments[s];
                if let Some(ord) = e.reader.dictionary().term_ord(&key)? {
                    total += u64::from(e.counts[ord as usize]);
                }
            }
            exact.insert(name, total);
        }
    }
    let mut totals: Vec<u64> = exact.values().copied().collect();
    if totals.len() < top {
        return Ok(None);
    }
    let (_, &mut nth, _) = totals.select_nth_unstable_by(top - 1, |a, b| b.cmp(a));
    Ok((nth > unseen_bound.max(inexact_bound)).then_some(exact))
}

impl SegmentCollector for ArticleSegmentCounter {
    type Fruit = SegmentCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.passages += 1;
        if let Some(first) = self.first.new_article(doc) {
            self.articles += 1;
            if let Some(e) = self.entities.as_mut() {
                for ord in e.reader.term_ords(first) {
                    e.counts[ord as usize] += 1;
                }
            }
        }
    }

    fn harvest(self) -> SegmentCounts {
        SegmentCounts {
            passages: self.passages,
            articles: self.articles,
            entities: self.entities,
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::indexer::NoMergePolicy;
    use tantivy::query::AllQuery;
    use tantivy::{Index, IndexWriter, TantivyDocument};

    use super::*;
    use crate::index::Fields;
    use crate::search::top_values;

    /// An index of one-passage articles, a segment per outer list, naming
    /// the persons of each inner list.
    fn index(segments: &[Vec<Vec<String>>]) -> Index {
        let (schema, f) = Fields::schema();
        let index = Index::create_in_ram(schema);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for articles in segments {
            for names in articles {
                let mut doc = TantivyDocument::default();
                doc.add_u64(f.ordinal, 0);
                for name in names {
                    doc.add_text(f.entity, entity_value(EntityKind::Person, name));
                }
                writer.add_document(doc).unwrap();
            }
            writer.commit().unwrap();
        }
        index
    }

    /// Segments of articles naming one to four persons, each `pick`ed from
    /// a random number.
    fn random(segments: usize, articles: usize, pick: impl Fn(u64) -> u64) -> Index {
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed >> 33
        };
        let segments: Vec<Vec<Vec<String>>> = (0..segments)
            .map(|_| {
                (0..articles)
                    .map(|_| {
                        (0..1 + next() % 4)
                            .map(|_| format!("Person {}", pick(next())))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        index(&segments)
    }

    fn counts(index: &Index, top: usize) -> ArticleCounts {
        let searcher = index.reader().unwrap().searcher();
        let counter = ArticleCounter::with_kinds(&[EntityKind::Person], top);
        searcher.search(&AllQuery, &counter).unwrap()
    }

    /// Asserts that counting for the `top` values gives the same top values
    /// as counting all, and whether it named fewer values to get them.
    fn same_top(index: &Index, top: usize, named_fewer: bool) {
        let all = counts(index, usize::MAX);
        let some = counts(index, top);
        assert_eq!(
            top_values(&some.entities, EntityKind::Person, top),
            top_values(&all.entities, EntityKind::Person, top),
            "top {top}"
        );
        assert_eq!(some.articles, all.articles);
        assert_eq!(
            some.entities.len() < all.entities.len(),
            named_fewer,
            "top {top}"
        );
    }

    #[test]
    fn the_top_values_named_from_each_segments_best_are_the_true_top() {
        // Skewed, as names in news are: a few names in many articles.
        let skewed = random(4, 800, |r| (r % 1000) * (r % 1000) / 2000);
        // Flat: counts of a few articles each, with many ties.
        let flat = random(3, 300, |r| r % 500);
        for top in [1, 3, 10] {
            same_top(&skewed, top, true);
            same_top(&flat, top, true);
        }
    }

    #[test]
    fn a_value_too_spread_out_to_be_named_anywhere_is_still_counted() {
        // Each segment's own 100 names are in two articles each there; 100
        // shared names are in one article of every segment, so they lead,
        // yet no segment names them among its best.
        let segments: Vec<Vec<Vec<String>>> = (0..10)
            .map(|s| {
                let own = (0..200).map(|i| vec![format!("Own {s}-{}", i / 2)]);
                let shared = (0..100).map(|i| vec![format!("Shared {i}")]);
                own.chain(shared).collect()
            })
            .collect();
        let index = index(&segments);
        same_top(&index, 3, false);
        let all = counts(&index, usize::MAX);
        assert_eq!(
            top_values(&all.entities, EntityKind::Person, 1)[0],
            crate::search::FacetValue {
                name: "Shared 0".to_string(),
                count: 10
            }
        );
    }
}
