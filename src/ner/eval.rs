//! Evaluation helpers: BIO → entity spans, CoNLL-style entity-level (exact span and type)
//! precision/recall/F1 per type and overall, and tagging of CoNLL documents with a model.

use super::features::{tag_type, DocBuf};
use super::model::{decode_doc, Model, Scratch};
use super::train::Doc;

/// Entity spans `(start, end_exclusive, type)` of a BIO tag sequence (type 0..4 = PER, LOC, ORG, MISC).
/// An I-X that does not continue an X entity starts a new one (lenient, like conlleval).
pub fn spans(tags: &[u8]) -> Vec<(usize, usize, u8)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, u8)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let ty = tag_type(t);
        let is_b = t % 2 == 1;
        match (cur, ty) {
            // I-X continuing an X entity
            (Some((_, cty)), Some(nty)) if !is_b && cty == nty => {}
            _ => {
                if let Some((s, cty)) = cur.take() {
                    out.push((s, i, cty));
                }
                if let Some(nty) = ty {
                    cur = Some((i, nty));
                }
            }
        }
    }
    if let Some((s, cty)) = cur {
        out.push((s, tags.len(), cty));
    }
    out
}

#[derive(Default, Clone, Copy, Debug)]
pub struct Scores {
    pub tp: [usize; 4],
    pub fp: [usize; 4],
    pub fn_: [usize; 4],
}

fn prf(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
    let p = if tp + fp > 0 {
        tp as f64 / (tp + fp) as f64
    } else {
        0.0
    };
    let r = if tp + fn_ > 0 {
        tp as f64 / (tp + fn_) as f64
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

impl Scores {
    pub fn add(&mut self, gold: &[u8], pred: &[u8]) {
        let g = spans(gold);
        let p = spans(pred);
        let gs: std::collections::HashSet<(usize, usize, u8)> = g.iter().copied().collect();
        let ps: std::collections::HashSet<(usize, usize, u8)> = p.iter().copied().collect();
        for x in &p {
            if gs.contains(x) {
                self.tp[x.2 as usize] += 1;
            } else {
                self.fp[x.2 as usize] += 1;
            }
        }
        for x in &g {
            if !ps.contains(x) {
                self.fn_[x.2 as usize] += 1;
            }
        }
    }
    pub fn prf(&self, ty: usize) -> (f64, f64, f64) {
        prf(self.tp[ty], self.fp[ty], self.fn_[ty])
    }
    pub fn overall(&self) -> (f64, f64, f64) {
        prf(
            self.tp.iter().sum(),
            self.fp.iter().sum(),
            self.fn_.iter().sum(),
        )
    }
}

/// Tag every document (document memory uses the whole document) and score per sentence.
pub fn evaluate(m: &Model, docs: &[Doc]) -> Scores {
    let mut sc = Scores::default();
    let mut d = DocBuf::new();
    let mut scr = Scratch::default();
    for doc in docs {
        d.clear();
        for s in &doc.sents {
            d.push_sentence(s.tokens.iter().map(|t| t.as_str()));
        }
        d.finish_for_decoding(&m.gaz, &m.clusters);
        decode_doc(m, &mut d, &mut scr);
        let out = &scr.labels;
        for (k, s) in doc.sents.iter().enumerate() {
            let (a, b) = d.sents[k];
            sc.add(&s.tags, &out[a..b]);
        }
    }
    sc
}
