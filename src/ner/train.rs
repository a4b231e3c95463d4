//! Training: CoNLL-2003 reading (IOB1 or IOB2 in, BIO out; only the token and NER columns are
//! used), jackknifed gazetteer features (each training document sees a gazetteer built from the
//! other folds), the averaged perceptron with greedy predicted-history decoding, the optional
//! pass-2 model trained on jackknifed pass-1 labels, deterministic shuffling (xorshift), and
//! quantisation/pruning into a `Model`.

use super::clusters::Clusters;
use super::eval;
use super::features::{
    dyn_features, static_features, tag_from_str, DocBuf, IdMap, NUM_TAGS, START_TAG,
};
use super::gazetteer::Gazetteer;
use super::model::{Model, Weights};
use std::path::Path;

pub struct Sentence {
    pub tokens: Vec<String>,
    pub tags: Vec<u8>,
}

pub struct Doc {
    pub sents: Vec<Sentence>,
}

/// Read a CoNLL-2003 file: `token ... NER` per line; `-DOCSTART-` separates documents.
pub fn read_conll(path: &Path) -> Result<Vec<Doc>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut docs: Vec<Doc> = Vec::new();
    let mut cur = Doc { sents: Vec::new() };
    let mut sent = Sentence {
        tokens: Vec::new(),
        tags: Vec::new(),
    };
    let mut raw: Vec<(bool, u8)> = Vec::new(); // (is_B, type) per token
    fn flush(cur: &mut Doc, sent: &mut Sentence, raw: &mut Vec<(bool, u8)>) {
        if sent.tokens.is_empty() {
            return;
        }
        // IOB1/IOB2 -> BIO
        let mut prev_ty = 255u8;
        for &(b, ty) in raw.iter() {
            let t = if ty == 255 {
                0
            } else if b || prev_ty != ty {
                1 + ty * 2
            } else {
                2 + ty * 2
            };
            sent.tags.push(t);
            prev_ty = ty;
        }
        raw.clear();
        cur.sents.push(std::mem::replace(
            sent,
            Sentence {
                tokens: Vec::new(),
                tags: Vec::new(),
            },
        ));
    }
    for (ln, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            flush(&mut cur, &mut sent, &mut raw);
            continue;
        }
        let mut it = line.split_whitespace();
        let tok = it.next().unwrap_or("");
        if tok == "-DOCSTART-" {
            flush(&mut cur, &mut sent, &mut raw);
            if !cur.sents.is_empty() {
                docs.push(std::mem::replace(&mut cur, Doc { sents: Vec::new() }));
            }
            continue;
        }
        let tag = it
            .last()
            .ok_or_else(|| format!("{}:{}: missing NER column", path.display(), ln + 1))?;
        let (b, ty) = if tag == "O" {
            (false, 255u8)
        } else {
            let t = tag_from_str(tag)
                .ok_or_else(|| format!("{}:{}: bad tag {tag}", path.display(), ln + 1))?;
            (tag.starts_with("B-"), (t - 1) / 2)
        };
        sent.tokens.push(tok.to_string());
        raw.push((b, ty));
    }
    flush(&mut cur, &mut sent, &mut raw);
    if !cur.sents.is_empty() {
        docs.push(cur);
    }
    if docs.is_empty() {
        return Err(format!("{}: no sentences", path.display()));
    }
    Ok(docs)
}

/// Build a finished DocBuf for a CoNLL document.
pub fn doc_buf(doc: &Doc, gaz: &Gazetteer, cl: &Clusters) -> DocBuf {
    let mut d = DocBuf::new();
    for s in &doc.sents {
        d.push_sentence(s.tokens.iter().map(|t| t.as_str()));
    }
    d.finish(gaz, cl);
    d
}

/// A gazetteer holding only the lists of names (tokenised once, then
/// cloned into every gazetteer the training builds).
fn listed_gazetteer(lists: &Lists) -> Gazetteer {
    let mut g = Gazetteer::new();
    let mut d = DocBuf::new();
    let mut hashes = |phrase: &str| {
        d.clear();
        d.push_sentence(
            super::tokenize::tokenize(phrase)
                .iter()
                .map(|&(s, e)| &phrase[s..e]),
        );
        d.toks.iter().map(|t| t.h_lower).collect::<Vec<u64>>()
    };
    for place in &lists.places {
        g.add_listed_place(&hashes(place));
    }
    for name in &lists.first_names {
        if let [h] = hashes(name)[..] {
            g.add_listed_first_name(h);
        }
    }
    g
}

/// `listed` (from [`listed_gazetteer`]) plus the entity phrases of `docs`, frozen.
fn build_gazetteer<'a>(docs: impl Iterator<Item = &'a Doc>, listed: &Gazetteer) -> Gazetteer {
    let mut g = listed.clone();
    let empty = Gazetteer::new();
    let nocl = Clusters::default();
    for doc in docs {
        let d = doc_buf(doc, &empty, &nocl);
        let tags: Vec<u8> = doc
            .sents
            .iter()
            .flat_map(|s| s.tags.iter().copied())
            .collect();
        for (s, e, ty) in eval::spans(&tags) {
            let hs: Vec<u64> = (s..e).map(|i| d.toks[i].h_lower).collect();
            g.add_phrase(&hs, ty);
        }
    }
    g.freeze();
    g
}

struct XorShift(u64);
impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Flattened training instances with precomputed static feature indices.
struct Inst {
    offs: Vec<u32>,
    feats: Vec<u32>,
    h: Vec<(u64, u64)>, // (h_lower, h_sshape) per token, for dynamic features
    punct: Vec<bool>,   // punctuation-only token: cannot start an entity
    gold: Vec<u8>,
    sents: Vec<(usize, usize)>, // global token ranges
    sent_doc: Vec<usize>,
}

struct Learner {
    map: IdMap<u32>,
    w: Vec<[f32; NUM_TAGS]>,
    u: Vec<[f64; NUM_TAGS]>,
    c: f64,
}

impl Learner {
    fn new() -> Learner {
        Learner {
            map: IdMap::default(),
            w: Vec::new(),
            u: Vec::new(),
            c: 1.0,
        }
    }
    fn index(&mut self, k: u64) -> u32 {
        let n = self.w.len() as u32;
        let w = &mut self.w;
        let u = &mut self.u;
        *self.map.entry(k).or_insert_with(|| {
            w.push([0.0; NUM_TAGS]);
            u.push([0.0; NUM_TAGS]);
            n
        })
    }
    fn reset(&mut self) {
        for x in self.w.iter_mut() {
            *x = [0.0; NUM_TAGS];
        }
        for x in self.u.iter_mut() {
            *x = [0.0; NUM_TAGS];
        }
        self.c = 1.0;
    }
    fn averaged(&self) -> Vec<[f32; NUM_TAGS]> {
        self.w
            .iter()
            .zip(self.u.iter())
            .map(|(w, u)| {
                let mut a = [0f32; NUM_TAGS];
                for t in 0..NUM_TAGS {
                    a[t] = (w[t] as f64 - u[t] / self.c) as f32;
                }
                a
            })
            .collect()
    }
}

fn build_inst(bufs: &[DocBuf], docs: &[Doc], l: &mut Learner) -> Inst {
    let mut inst = Inst {
        offs: vec![0],
        feats: Vec::new(),
        h: Vec::new(),
        punct: Vec::new(),
        gold: Vec::new(),
        sents: Vec::new(),
        sent_doc: Vec::new(),
    };
    let mut tmp = Vec::new();
    for (di, (d, doc)) in bufs.iter().zip(docs.iter()).enumerate() {
        for (si, &(s, e)) in d.sents.iter().enumerate() {
            let g0 = inst.gold.len();
            for i in s..e {
                tmp.clear();
                static_features(d, i, s, e, &mut tmp);
                for &k in &tmp {
                    let ix = l.index(k);
                    inst.feats.push(ix);
                }
                inst.offs.push(inst.feats.len() as u32);
                inst.h.push((d.toks[i].h_lower, d.toks[i].h_sshape));
                inst.punct
                    .push(d.toks[i].flags & super::features::F_PUNCT != 0);
            }
            inst.gold.extend_from_slice(&doc.sents[si].tags);
            inst.sents.push((g0, inst.gold.len()));
            inst.sent_doc.push(di);
        }
    }
    inst
}

fn dyn_keys(h: (u64, u64), p1: u8, p2: u8) -> [u64; 4] {
    let t = super::features::Tok {
        h_lower: h.0,
        h_sshape: h.1,
        ..Default::default()
    };
    dyn_features(&t, p1, p2)
}

/// Greedy decode of one sentence with current (non-averaged) or given weights; `update` trains.
fn run_sentence(l: &mut Learner, inst: &Inst, s: usize, e: usize, update: bool, out: &mut [u8]) {
    let mut p1 = START_TAG;
    let mut p2 = START_TAG;
    for g in s..e {
        let fs = &inst.feats[inst.offs[g] as usize..inst.offs[g + 1] as usize];
        let mut sc = [0f32; NUM_TAGS];
        for &f in fs {
            let w = &l.w[f as usize];
            for t in 0..NUM_TAGS {
                sc[t] += w[t];
            }
        }
        let dk = dyn_keys(inst.h[g], p1, p2);
        let mut di = [u32::MAX; 4];
        for (j, k) in dk.iter().enumerate() {
            if let Some(&ix) = l.map.get(k) {
                di[j] = ix;
                let w = &l.w[ix as usize];
                for t in 0..NUM_TAGS {
                    sc[t] += w[t];
                }
            }
        }
        let mut best = 0usize;
        let mut bs = f32::NEG_INFINITY;
        let punct = inst.punct[g];
        for (t, &score) in sc.iter().enumerate().take(NUM_TAGS) {
            if score > bs && super::features::allowed(p1, t) && !(punct && t % 2 == 1) {
                bs = score;
                best = t;
            }
        }
        if update {
            let gold = inst.gold[g] as usize;
            if best != gold {
                for j in 0..4 {
                    if di[j] == u32::MAX {
                        di[j] = l.index(dk[j]);
                    }
                }
                let c = l.c;
                for &f in fs.iter().chain(di.iter()) {
                    let w = &mut l.w[f as usize];
                    w[gold] += 1.0;
                    w[best] -= 1.0;
                    let u = &mut l.u[f as usize];
                    u[gold] += c;
                    u[best] -= c;
                }
            }
            l.c += 1.0;
        }
        out[g - s] = best as u8;
        p2 = p1;
        p1 = best as u8;
    }
}

fn fit(
    l: &mut Learner,
    inst: &Inst,
    sent_ids: &[usize],
    epochs: usize,
    seed: u64,
    mut on_epoch: impl FnMut(usize, &Learner),
) {
    l.reset();
    let mut order: Vec<usize> = sent_ids.to_vec();
    let mut rng = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = vec![0u8; 512];
    for ep in 0..epochs {
        rng.shuffle(&mut order);
        for &si in &order {
            let (s, e) = inst.sents[si];
            if out.len() < e - s {
                out.resize(e - s, 0);
            }
            run_sentence(l, inst, s, e, true, &mut out);
        }
        on_epoch(ep + 1, l);
    }
}

/// `fit` `runs` times with different shuffles (the first with `seed`), and the mean of their
/// averaged weights, by `l`'s feature index. Models trained on other orders of the same
/// sentences err differently; their mean generalises better than any one of them.
fn fit_ensemble(
    l: &mut Learner,
    inst: &Inst,
    sent_ids: &[usize],
    epochs: usize,
    (seed, runs): (u64, usize),
    mut on_epoch: impl FnMut(usize, &Learner),
) -> Vec<[f32; NUM_TAGS]> {
    let mut mean: Vec<[f32; NUM_TAGS]> = Vec::new();
    for r in 0..runs.max(1) {
        let seed = seed.wrapping_add(ENSEMBLE_SEED_STEP.wrapping_mul(r as u64));
        fit(l, inst, sent_ids, epochs, seed, |ep, l| {
            if r == 0 {
                on_epoch(ep, l)
            }
        });
        let avg = l.averaged();
        mean.resize(avg.len(), [0.0; NUM_TAGS]);
        for (m, a) in mean.iter_mut().zip(&avg) {
            for t in 0..NUM_TAGS {
                m[t] += a[t] / runs.max(1) as f32;
            }
        }
    }
    mean
}

/// Apart from the first, an ensemble's runs shuffle with seeds this far apart.
const ENSEMBLE_SEED_STEP: u64 = 0x51ED_0000;

/// Quantise a learner's averaged weights to i16.
fn quantise(l: &Learner, min_abs: f32) -> Weights {
    quantise_mean(l, &l.averaged(), min_abs)
}

/// Quantise weights (by `l`'s feature index) to i16, dropping features whose weights all round
/// to |q| < min_q.
fn quantise_mean(l: &Learner, avg: &[[f32; NUM_TAGS]], min_abs: f32) -> Weights {
    let mut keys: Vec<(u64, u32)> = l.map.iter().map(|(&k, &v)| (k, v)).collect();
    keys.sort_unstable();
    let maxw = avg
        .iter()
        .flat_map(|r| r.iter())
        .fold(0f32, |m, &x| m.max(x.abs()))
        .max(1e-6);
    let scale = 32000.0 / maxw;
    let mut entries = Vec::new();
    for (k, ix) in keys {
        let r = &avg[ix as usize];
        if r.iter().all(|x| x.abs() < min_abs) {
            continue;
        }
        let mut q = [0i16; NUM_TAGS];
        let mut nz = false;
        for t in 0..NUM_TAGS {
            let v = (r[t] * scale).round().clamp(-32767.0, 32767.0) as i16;
            q[t] = v;
            nz |= v != 0;
        }
        if nz {
            entries.push((k, q));
        }
    }
    Weights::new(entries)
}

pub struct TrainOpts {
    pub epochs: usize,
    pub epochs2: usize,
    pub seed: u64,
    pub folds: usize,
    pub pass2: bool,
    /// Drop features whose averaged weights are all below this magnitude.
    pub prune: f32,
    /// Fits (with different shuffles) whose mean weights make each pass's model.
    pub ensemble: usize,
    /// Word classes from unlabelled text (features are off without them).
    pub clusters: Option<Clusters>,
    /// Lists of names for the gazetteer.
    pub lists: Lists,
}

/// Lists of names from outside the training data, for the gazetteer.
#[derive(Clone, Debug, Default)]
pub struct Lists {
    /// The world's places, one phrase each.
    pub places: Vec<String>,
    /// Common first names, one word each.
    pub first_names: Vec<String>,
}

impl Default for TrainOpts {
    fn default() -> Self {
        TrainOpts {
            epochs: 10,
            epochs2: 10,
            seed: 1,
            folds: 10,
            pass2: true,
            prune: 1.0,
            ensemble: 5,
            clusters: None,
            lists: Lists::default(),
        }
    }
}

/// Train a model; if `dev` is given, per-epoch dev scores are printed to stderr.
pub fn train_model(docs: &[Doc], opts: &TrainOpts, dev: Option<&[Doc]>) -> Result<Model, String> {
    let folds = opts.folds.max(2);
    let fold_of = |di: usize| di % folds;
    eprintln!(
        "train: {} docs; building gazetteers ({} folds)",
        docs.len(),
        folds
    );
    let listed = listed_gazetteer(&opts.lists);
    let full_gaz = build_gazetteer(docs.iter(), &listed);
    let fold_gaz: Vec<Gazetteer> = (0..folds)
        .map(|k| {
            build_gazetteer(
                docs.iter()
                    .enumerate()
                    .filter(|(i, _)| fold_of(*i) != k)
                    .map(|(_, d)| d),
                &listed,
            )
        })
        .collect();
    let cl = opts.clusters.clone().unwrap_or_default();
    let mut bufs: Vec<DocBuf> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| doc_buf(d, &fold_gaz[fold_of(i)], &cl))
        .collect();
    let mut l1 = Learner::new();
    let inst = build_inst(&bufs, docs, &mut l1);
    eprintln!(
        "train: {} tokens, {} sentences, {} static features",
        inst.gold.len(),
        inst.sents.len(),
        l1.w.len()
    );
    let all: Vec<usize> = (0..inst.sents.len()).collect();
    let dev_eval = |m: &Model, label: &str| {
        if let Some(dev) = dev {
            let sc = eval::evaluate(m, dev);
            eprintln!(
                "  {label}: dev F1 {:.4} (PER {:.4} LOC {:.4} ORG {:.4} MISC {:.4})",
                sc.overall().2,
                sc.prf(0).2,
                sc.prf(1).2,
                sc.prf(2).2,
                sc.prf(3).2
            );
        }
    };
    let mean1 = fit_ensemble(
        &mut l1,
        &inst,
        &all,
        opts.epochs,
        (opts.seed, opts.ensemble),
        |ep, l| {
            if dev.is_some() {
                let m = Model::new(full_gaz.clone(), cl.clone(), quantise(l, opts.prune), None);
                dev_eval(&m, &format!("pass1 epoch {ep}"));
            }
        },
    );
    let pass1 = quantise_mean(&l1, &mean1, opts.prune);
    eprintln!(
        "train: pass1 kept {} of {} features",
        pass1.len(),
        l1.w.len()
    );
    if !opts.pass2 {
        return Ok(Model::new(full_gaz, cl, pass1, None));
    }
    // Jackknifed pass-1 labels for the label-memory features.
    let mut labels: Vec<Vec<u8>> = bufs.iter().map(|d| vec![0u8; d.toks.len()]).collect();
    for k in 0..folds {
        let ids: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&si| fold_of(inst.sent_doc[si]) != k)
            .collect();
        fit(
            &mut l1,
            &inst,
            &ids,
            opts.epochs,
            opts.seed ^ (k as u64 + 1),
            |_, _| {},
        );
        // decode held-out docs with averaged weights
        let avg = l1.averaged();
        let saved = std::mem::replace(&mut l1.w, avg);
        for si in all
            .iter()
            .copied()
            .filter(|&si| fold_of(inst.sent_doc[si]) == k)
        {
            let (s, e) = inst.sents[si];
            let di = inst.sent_doc[si];
            let mut out = vec![0u8; e - s];
            run_sentence(&mut l1, &inst, s, e, false, &mut out);
            // map global sentence to doc-local offsets
            let (ls, _) = bufs[di].sents[si - first_sent_of_doc(&inst, di)];
            labels[di][ls..ls + (e - s)].copy_from_slice(&out);
        }
        l1.w = saved;
        eprintln!("train: jackknife fold {k} done");
    }
    for (d, lab) in bufs.iter_mut().zip(labels.iter()) {
        super::features::set_label_memory(d, lab);
    }
    let mut l2 = Learner::new();
    let inst2 = build_inst(&bufs, docs, &mut l2);
    eprintln!("train: pass2 {} static features", l2.w.len());
    let pass1_for_eval = pass1.clone();
    let mean2 = fit_ensemble(
        &mut l2,
        &inst2,
        &all,
        opts.epochs2,
        (opts.seed.wrapping_add(7), opts.ensemble),
        |ep, l| {
            if dev.is_some() {
                let m = Model::new(
                    full_gaz.clone(),
                    cl.clone(),
                    pass1_for_eval.clone(),
                    Some(quantise(l, opts.prune)),
                );
                dev_eval(&m, &format!("pass2 epoch {ep}"));
            }
        },
    );
    let pass2 = quantise_mean(&l2, &mean2, opts.prune);
    eprintln!(
        "train: pass2 kept {} of {} features",
        pass2.len(),
        l2.w.len()
    );
    Ok(Model::new(full_gaz, cl, pass1, Some(pass2)))
}

fn first_sent_of_doc(inst: &Inst, di: usize) -> usize {
    // sent_doc is non-decreasing
    inst.sent_doc.partition_point(|&d| d < di)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> Vec<Doc> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("train.conll");
        let mut conll = String::new();
        for (who, town) in [("Smith", "Paris"), ("Jones", "Berlin"), ("Brown", "Madrid")] {
            conll += &format!(
                "-DOCSTART- -X- -X- O\n\n{who} NNP B-NP B-PER\nflew VBD B-VP O\nto TO B-PP O\n\
                 {town} NNP B-NP B-LOC\n. . O O\n\n"
            );
        }
        std::fs::write(&path, conll).unwrap();
        read_conll(&path).unwrap()
    }

    #[test]
    fn an_ensemble_of_one_is_the_plain_fit_and_more_runs_average() {
        let docs = docs();
        let (gaz, cl) = (Gazetteer::new(), Clusters::default());
        let bufs: Vec<DocBuf> = docs.iter().map(|d| doc_buf(d, &gaz, &cl)).collect();
        let mut l = Learner::new();
        let inst = build_inst(&bufs, &docs, &mut l);
        let all: Vec<usize> = (0..inst.sents.len()).collect();
        fit(&mut l, &inst, &all, 3, 9, |_, _| {});
        let plain = l.averaged();
        let one = fit_ensemble(&mut l, &inst, &all, 3, (9, 1), |_, _| {});
        assert_eq!(one, plain);
        let three = fit_ensemble(&mut l, &inst, &all, 3, (9, 3), |_, _| {});
        let mut runs = Vec::new();
        for r in 0..3u64 {
            fit(
                &mut l,
                &inst,
                &all,
                3,
                9 + ENSEMBLE_SEED_STEP * r,
                |_, _| {},
            );
            runs.push(l.averaged());
        }
        for (i, w) in three.iter().enumerate() {
            for t in 0..NUM_TAGS {
                let mean: f32 = runs
                    .iter()
                    .map(|r| r.get(i).map_or(0.0, |x| x[t]) / 3.0)
                    .sum();
                assert!((w[t] - mean).abs() < 1e-4, "feature {i} tag {t}");
            }
        }
    }
}
