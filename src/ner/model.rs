//! Model storage and decoding. It owns the quantised weights (feature key → [i16; 9] per pass),
//! the runtime lookup table merging both passes (one row of pass-1 + pass-2 weights per key), the
//! binary model format (`NERDEV01` v2: gazetteer, word classes, one or two weight tables,
//! little-endian, bounds-checked on read) and greedy left-to-right decoding with BIO constraints
//! (plus: a punctuation-only token never starts an entity).

use super::clusters::Clusters;
use super::features::{
    agg_features, allowed, context_features, history_keys, intrinsic_features, intrinsic_tag,
    word_history_keys, DocBuf, F_PUNCT, NUM_TAGS, START_TAG,
};
use super::gazetteer::Gazetteer;
use super::table::FpTable;
use rustc_hash::FxHashMap;

const MAGIC: &[u8; 8] = b"NERDEV01";
/// Version 3 holds the lookup tables in their in-memory layout (version 2 held sorted entries,
/// from which every load built the tables: about 10 ms).
const VERSION: u32 = 3;

/// One pass's quantised weights as a key-sorted list: what training makes, and what
/// `Table::build` turns into the model's lookup table. Each pass is quantised on its own
/// scale; decoding compares a pass's scores only with each other, so the scale is not kept.
#[derive(Clone, Default)]
pub struct Weights {
    pub entries: Vec<(u64, [i16; NUM_TAGS])>,
}

impl Weights {
    pub fn new(mut entries: Vec<(u64, [i16; NUM_TAGS])>) -> Weights {
        entries.sort_unstable_by_key(|e| e.0);
        entries.dedup_by_key(|e| e.0);
        Weights { entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

const W2: usize = 2 * NUM_TAGS;

/// Runtime lookup table merging both passes: key → [pass-1 weights, pass-2 weights].
#[derive(Clone, Default)]
pub struct Table {
    t: FpTable<[i16; W2]>,
}

impl Table {
    fn build(p1: &Weights, p2: Option<&Weights>) -> Table {
        // distinct keys (both lists are sorted by key)
        let n = match p2 {
            None => p1.len(),
            Some(p2) => {
                let (a, b) = (&p1.entries, &p2.entries);
                let (mut i, mut j, mut n) = (0, 0, 0);
                while i < a.len() || j < b.len() {
                    if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
                        i += 1;
                    } else if i == a.len() || b[j].0 < a[i].0 {
                        j += 1;
                    } else {
                        i += 1;
                        j += 1;
                    }
                    n += 1;
                }
                n
            }
        };
        let widen = |pi: usize, w: &[i16; NUM_TAGS]| {
            let mut r = [0i16; W2];
            r[pi * NUM_TAGS..(pi + 1) * NUM_TAGS].copy_from_slice(w);
            r
        };
        let it = p1.entries.iter().map(|(k, w)| (*k, widen(0, w))).chain(
            p2.into_iter()
                .flat_map(|p| p.entries.iter())
                .map(|(k, w)| (*k, widen(1, w))),
        );
        let t = FpTable::build(it, n, |a, b| {
            for x in 0..W2 {
                a[x] |= b[x];
            }
        });
        Table { t }
    }

    pub fn len(&self) -> usize {
        self.t.len()
    }

    pub fn is_empty(&self) -> bool {
        self.t.is_empty()
    }

    #[inline(always)]
    fn add(&self, key: u64, pass: usize, acc: &mut [i32; NUM_TAGS]) {
        let w = self.t.at(self.t.row(key));
        let w = &w[pass * NUM_TAGS..(pass + 1) * NUM_TAGS];
        for x in 0..NUM_TAGS {
            acc[x] += w[x] as i32;
        }
    }
}

/// Bounds-checked little-endian reader.
pub struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
    /// The same bytes when they live for the whole run, so that tables can be used in place.
    lasting: Option<&'static [u8]>,
}

impl<'a> Reader<'a> {
    pub fn new(b: &'a [u8]) -> Reader<'a> {
        Reader {
            b,
            pos: 0,
            lasting: None,
        }
    }
    /// A reader of bytes that live for the whole run: the tables read from it borrow them.
    pub fn lasting(b: &'static [u8]) -> Reader<'static> {
        Reader {
            b,
            pos: 0,
            lasting: Some(b),
        }
    }
    pub fn pos(&self) -> usize {
        self.pos
    }
    /// All the bytes, when they live for the whole run.
    pub fn whole(&self) -> Option<&'static [u8]> {
        self.lasting
    }
    pub fn remaining(&self) -> usize {
        self.b.len() - self.pos
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.remaining() < n {
            return Err(format!("model truncated at byte {}", self.pos));
        }
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    pub fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    pub fn u32(&mut self) -> Result<u32, String> {
        let mut a = [0u8; 4];
        a.copy_from_slice(self.take(4)?);
        Ok(u32::from_le_bytes(a))
    }
    pub fn u64(&mut self) -> Result<u64, String> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(a))
    }
}

/// Gazetteer, word classes, and the lookup table of pass-1 weights and optional pass-2
/// (document label memory) weights.
#[derive(Clone)]
pub struct Model {
    pub gaz: Gazetteer,
    pub clusters: Clusters,
    table: Table,
    /// Whether the model has pass-2 weights.
    two: bool,
    /// Tag-history-only dynamic weights per pass: trans[pass][p2][p1].
    trans: Box<[[[[i32; NUM_TAGS]; 10]; 10]; 2]>,
    /// Distinct for every model built in this process, so a `Scratch` never
    /// reuses sums computed with another model's weights.
    id: u64,
}

impl Model {
    pub fn new(
        gaz: Gazetteer,
        clusters: Clusters,
        pass1: Weights,
        pass2: Option<Weights>,
    ) -> Model {
        let two = pass2.is_some();
        Model::with_table(gaz, clusters, Table::build(&pass1, pass2.as_ref()), two)
    }

    fn with_table(gaz: Gazetteer, clusters: Clusters, table: Table, two: bool) -> Model {
        let mut trans = Box::new([[[[0i32; NUM_TAGS]; 10]; 10]; 2]);
        for pass in 0..2 {
            for p2 in 0..10u8 {
                for p1 in 0..10u8 {
                    let keys = history_keys(p1, p2);
                    for k in keys {
                        table.add(k, pass, &mut trans[pass][p2 as usize][p1 as usize]);
                    }
                }
            }
        }
        Model {
            gaz,
            clusters,
            table,
            two,
            trans,
            id: super::table::next_id(),
        }
    }

    pub fn table(&self) -> &Table {
        &self.table
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        let n: u32 = if self.two { 2 } else { 1 };
        out.extend_from_slice(&n.to_le_bytes());
        self.gaz.write_table(&mut out);
        self.clusters.write_table(&mut out);
        self.table.t.write(&mut out);
        out
    }

    /// A model from bytes that may go away: its tables are copied.
    pub fn from_bytes(b: &[u8]) -> Result<Model, String> {
        Model::read(&mut Reader::new(b))
    }

    /// A model from bytes that live for the whole run (the model compiled into the binary): its
    /// tables are used where they lie, so loading takes no time.
    pub fn from_static(b: &'static [u8]) -> Result<Model, String> {
        Model::read(&mut Reader::lasting(b))
    }

    fn read(r: &mut Reader) -> Result<Model, String> {
        if r.take(8)? != MAGIC {
            return Err("not a nerdev model (bad magic)".into());
        }
        let v = r.u32()?;
        if v != VERSION {
            return Err(format!(
                "model version {v}, but this newsdex reads version {VERSION} (retrain it with `newsdex train-ner`)"
            ));
        }
        let n = r.u32()?;
        if n != 1 && n != 2 {
            return Err(format!("bad model count {n}"));
        }
        let gaz = Gazetteer::read_table(r)?;
        let clusters = Clusters::read_table(r)?;
        let table = Table {
            t: FpTable::read(r)?,
        };
        if r.remaining() != 0 {
            return Err("trailing bytes after model".into());
        }
        Ok(Model::with_table(gaz, clusters, table, n == 2))
    }
}

/// Reusable buffers for decoding.
#[derive(Default)]
pub struct Scratch {
    keys: Vec<u64>,
    rows: Vec<u32>,
    offs: Vec<usize>,
    mids: Vec<usize>,
    cache: Vec<[i32; W2]>,
    cache_tag: Vec<u64>,
    s1: Vec<[i32; NUM_TAGS]>,
    s2: Vec<[i32; NUM_TAGS]>,
    /// Intrinsic sums of words met in earlier documents, by (lower-case
    /// hash, `intrinsic_tag`): names recur across articles, so most words
    /// scored need only their context features looked up.
    seen: FxHashMap<(u64, u64), [i32; W2]>,
    /// The model `seen` was computed with.
    seen_model: u64,
    pub labels: Vec<u8>,
}

/// Words remembered across documents before `Scratch::seen` starts afresh
/// (about 3 MB).
const SEEN_WORDS: usize = 1 << 15;

/// Greedy left-to-right decoding of the scored tokens of a group of sentences in lockstep (the
/// j-th scored token of every sentence, then the j+1-th): the sentences are independent, so the
/// weight lookups of one sentence overlap the memory latency of the others. Tokens the decoder
/// skips stay O in `out`, and the tag history reads `out`.
fn greedy_group(m: &Model, pass: usize, d: &DocBuf, base: &[[i32; NUM_TAGS]], out: &mut [u8]) {
    const G: usize = 8;
    let t = &m.table;
    for (sents, ranges) in d.sents.chunks(G).zip(d.sent_scored.chunks(G)) {
        let maxlen = ranges.iter().map(|&(a, b)| b - a).max().unwrap_or(0) as usize;
        for j in 0..maxlen {
            for (&(s, _), &(a, b)) in sents.iter().zip(ranges) {
                let at = a as usize + j;
                if at >= b as usize {
                    continue;
                }
                let i = d.scored[at] as usize;
                let p1 = if i > s { out[i - 1] } else { START_TAG };
                let p2 = if i > s + 1 { out[i - 2] } else { START_TAG };
                let mut sc = base[i];
                let tr = &m.trans[pass][p2 as usize][p1 as usize];
                for x in 0..NUM_TAGS {
                    sc[x] += tr[x];
                }
                for key in word_history_keys(&d.toks[i], p1) {
                    t.add(key, pass, &mut sc);
                }
                let punct = d.toks[i].flags & F_PUNCT != 0;
                let mut best = 0usize;
                let mut bs = i32::MIN;
                for (tag, &v) in sc.iter().enumerate() {
                    if v > bs && allowed(p1, tag) && !(punct && tag % 2 == 1) {
                        bs = v;
                        best = tag;
                    }
                }
                out[i] = best as u8;
            }
        }
    }
}

/// Decode a whole (finished) document into `sc.labels` (tag ids): static scores of both passes
/// from one lookup per feature, greedy pass 1, then label memory and greedy pass 2 if present.
pub fn decode_doc(m: &Model, d: &mut DocBuf, sc: &mut Scratch) {
    #[cfg(target_arch = "x86_64")]
    {
        static AVX2: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        if *AVX2.get_or_init(|| std::arch::is_x86_feature_detected!("avx2")) {
            // SAFETY: the CPU supports AVX2 (checked at run time just above).
            unsafe { decode_doc_avx2(m, d, sc) };
            return;
        }
    }
    decode_doc_impl(m, d, sc)
}

/// Same code compiled with AVX2 enabled (wider sign-extend + add of the i16 weight rows).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn decode_doc_avx2(m: &Model, d: &mut DocBuf, sc: &mut Scratch) {
    decode_doc_impl(m, d, sc)
}

#[inline(always)]
fn decode_doc_impl(m: &Model, d: &mut DocBuf, sc: &mut Scratch) {
    let n = d.toks.len();
    let t = &m.table;
    let two = m.two;
    sc.labels.clear();
    sc.labels.resize(n, 0);
    sc.s1.clear();
    sc.s1.resize(n, [0; NUM_TAGS]);
    sc.s2.clear();
    sc.s2.resize(n, [0; NUM_TAGS]);
    sc.cache.clear();
    sc.cache.resize(d.num_words(), [0; W2]);
    sc.cache_tag.clear();
    // 0 = empty; stored tags are `intrinsic_tag` values (never 0)
    sc.cache_tag.resize(d.num_words(), 0);
    if sc.seen_model != m.id {
        sc.seen.clear();
        sc.seen_model = m.id;
    }
    for (&(s, e), &(a, b)) in d.sents.iter().zip(&d.sent_scored) {
        let scored = &d.scored[a as usize..b as usize];
        // Keys of the sentence's scored tokens; a word seen earlier in the document with the
        // same shape reuses its cached intrinsic sum (`cache`), so only its context features
        // are looked up.
        sc.keys.clear();
        sc.offs.clear();
        sc.mids.clear();
        sc.offs.push(0);
        for &i in scored {
            let i = i as usize;
            let w = d.word_id(i);
            let tag = intrinsic_tag(&d.toks[i]);
            if sc.cache_tag[w] == 0 {
                if let Some(sum) = sc.seen.get(&(d.toks[i].h_lower, tag)) {
                    sc.cache[w] = *sum;
                    sc.cache_tag[w] = tag;
                }
            }
            if sc.cache_tag[w] != tag {
                intrinsic_features(d, i, &mut sc.keys);
            }
            sc.mids.push(sc.keys.len());
            context_features(d, i, s, e, &mut sc.keys);
            sc.offs.push(sc.keys.len());
        }
        sc.rows.clear();
        const KAHEAD: usize = 24;
        for &k in sc.keys.iter().take(KAHEAD) {
            t.t.prefetch_key(k);
        }
        for (ix, &k) in sc.keys.iter().enumerate() {
            if let Some(&k2) = sc.keys.get(ix + KAHEAD) {
                t.t.prefetch_key(k2);
            }
            sc.rows.push(t.t.row(k) as u32);
        }
        const AHEAD: usize = 2;
        for j in 0..AHEAD.min(scored.len()) {
            for &r in &sc.rows[sc.offs[j]..sc.offs[j + 1]] {
                t.t.prefetch_row(r as usize);
            }
        }
        for (j, &i) in scored.iter().enumerate() {
            let i = i as usize;
            if j + AHEAD < scored.len() {
                for &r in &sc.rows[sc.offs[j + AHEAD]..sc.offs[j + AHEAD + 1]] {
                    t.t.prefetch_row(r as usize);
                }
            }
            let w = d.word_id(i);
            let mut a = [0i32; W2];
            if sc.offs[j] == sc.mids[j] {
                // skipped above: the cache held this word with this shape, and cache entries are
                // written once per document, so it still does
                a = sc.cache[w];
            } else {
                for &r in &sc.rows[sc.offs[j]..sc.mids[j]] {
                    let wr = t.t.at(r as usize);
                    for x in 0..W2 {
                        a[x] += wr[x] as i32;
                    }
                }
                let tag = intrinsic_tag(&d.toks[i]);
                if sc.cache_tag[w] == 0 {
                    sc.cache[w] = a;
                    sc.cache_tag[w] = tag;
                }
                if sc.seen.len() >= SEEN_WORDS {
                    sc.seen.clear();
                }
                sc.seen.insert((d.toks[i].h_lower, tag), a);
            }
            for &r in &sc.rows[sc.mids[j]..sc.offs[j + 1]] {
                let wr = t.t.at(r as usize);
                for x in 0..W2 {
                    a[x] += wr[x] as i32;
                }
            }
            sc.s1[i].copy_from_slice(&a[..NUM_TAGS]);
            sc.s2[i].copy_from_slice(&a[NUM_TAGS..]);
        }
    }
    greedy_group(m, 0, d, &sc.s1, &mut sc.labels);
    if two {
        super::features::set_label_memory(d, &sc.labels);
        for &i in &d.scored {
            let i = i as usize;
            if d.toks[i].agg != 0 {
                for k in agg_features(&d.toks[i]) {
                    t.add(k, 1, &mut sc.s2[i]);
                }
            }
        }
        greedy_group(m, 1, d, &sc.s2, &mut sc.labels);
    }
}
