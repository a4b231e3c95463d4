//! Pseudo-relevance feedback, scored only where it can change the ranking:
//! on a pool of the query's own best passages, and on the passages of the
//! candidate articles. Added to the query as a clause, the feedback words
//! would be scored on every match of the query, and their postings decoded
//! across the whole index, which costs more than the query itself.

use tantivy::query::{BoostQuery, EnableScoring, Query, Scorer, TermQuery, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, Term};

/// Weighted feedback words over one field.
pub struct Expansion {
    words: Vec<Box<dyn Weight>>,
}

impl Expansion {
    /// `terms` with their weights, all scaled by `feedback`, scored with
    /// BM25 over `field` as `searcher` sees the index.
    pub fn new(
        searcher: &tantivy::Searcher,
        field: Field,
        terms: &[(String, Score)],
        feedback: Score,
    ) -> tantivy::Result<Expansion> {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let words = terms
            .iter()
            .map(|(word, weight)| {
                let term = TermQuery::new(
                    Term::from_field_text(field, word),
                    IndexRecordOption::WithFreqs,
                );
                BoostQuery::new(Box::new(term), weight * feedback).weight(scoring)
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(Expansion { words })
    }

    /// A scorer over one segment.
    pub fn segment(&self, segment: &SegmentReader) -> tantivy::Result<SegmentExpansion> {
        let scorers = self
            .words
            .iter()
            .map(|w| w.scorer(segment, 1.0))
            .collect::<tantivy::Result<_>>()?;
        Ok(SegmentExpansion { scorers })
    }

    /// Adds the expansion's score to each passage's.
    pub fn rescore(
        &self,
        searcher: &tantivy::Searcher,
        passages: &mut [(Score, DocAddress)],
    ) -> tantivy::Result<()> {
        let mut order: Vec<usize> = (0..passages.len()).collect();
        order.sort_by_key(|&i| passages[i].1);
        let mut open: Option<(SegmentOrdinal, SegmentExpansion)> = None;
        for i in order {
            let addr = passages[i].1;
            let scorer = match &mut open {
                Some((segment, scorer)) if *segment == addr.segment_ord => scorer,
                _ => {
                    let segment = searcher.segment_reader(addr.segment_ord);
                    &mut open.insert((addr.segment_ord, self.segment(segment)?)).1
                }
            };
            passages[i].0 += scorer.score(addr.doc_id);
        }
        Ok(())
    }
}

/// The feedback words' scorers over one segment.
pub struct SegmentExpansion {
    scorers: Vec<Box<dyn Scorer>>,
}

impl SegmentExpansion {
    /// The expansion's score of `doc`. Documents must come in increasing
    /// order: each word's postings are only ever skipped forward.
    pub fn score(&mut self, doc: DocId) -> Score {
        let mut sum = 0.0;
        for scorer in &mut self.scorers {
            let mut at = scorer.doc();
            if at < doc {
                at = scorer.seek(doc);
            }
            if at == doc {
                sum += scorer.score();
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur};
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index};

    /// Scoring the words on chosen passages gives what the same words as an
    /// optional clause of the query give.
    #[test]
    fn rescoring_adds_what_an_optional_clause_would() {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for body in [
            "oil prices rose as opec cut output",
            "oil output in the north sea fell",
            "opec ministers meet on crude prices",
            "wheat prices rose",
            "oil",
        ] {
            writer.add_document(doc!(text => body)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let terms = vec![("opec".to_string(), 1.0), ("output".to_string(), 0.5)];
        let query = TermQuery::new(
            Term::from_field_text(text, "oil"),
            IndexRecordOption::WithFreqs,
        );
        let words: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|(w, weight)| {
                let term =
                    TermQuery::new(Term::from_field_text(text, w), IndexRecordOption::WithFreqs);
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(term), *weight)) as _,
                )
            })
            .collect();
        let clause = BooleanQuery::new(vec![
            (Occur::Must, Box::new(query.clone()) as Box<dyn Query>),
            (
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(BooleanQuery::new(words)), 0.2)),
            ),
        ]);
        let top = TopDocs::with_limit(10).order_by_score();
        let mut want = searcher.search(&clause, &top).unwrap();
        let plain = searcher.search(&query, &top).unwrap();
        let mut got = plain.clone();
        Expansion::new(&searcher, text, &terms, 0.2)
            .unwrap()
            .rescore(&searcher, &mut got)
            .unwrap();
        want.sort_by_key(|p| p.1);
        got.sort_by_key(|p| p.1);
        assert_eq!(got.len(), 3);
        for (w, g) in want.iter().zip(&got) {
            assert_eq!(w.1, g.1);
            assert!((w.0 - g.0).abs() < 1e-5, "{want:?} {got:?}");
        }
        // Only passages holding a feedback word gain.
        let gain = |doc: u32| {
            let at = |v: &[(Score, DocAddress)]| v.iter().find(|p| p.1.doc_id == doc).unwrap().0;
            at(&got) - at(&plain)
        };
        assert!(gain(0) > gain(1) && gain(1) > 0.0);
        assert_eq!(gain(4), 0.0);
    }
}
