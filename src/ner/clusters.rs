//! Distributional word classes induced from unlabelled news text (the exchange algorithm of
//! Kneser & Ney / Martin et al.: move each word to the class that maximises the class-bigram
//! likelihood). It owns inducing the classes, the word → class map (keyed by the normalised
//! lowercase token hash), a word's class by its hash, and the serialised form.

use super::features::IdMap;
use super::table::FpTable;

#[derive(Default, Clone)]
pub struct Clusters {
    /// (word hash, class), sorted by hash: the form of a clusters file (empty in a model's
    /// classes, read as the table itself).
    entries: Vec<(u64, u16)>,
    table: FpTable<u16>,
    /// Names this table for caches of its lookups.
    id: u64,
}

/// x ln x with a table for small integers.
struct XLogX {
    t: Vec<f64>,
}

impl XLogX {
    fn new(n: usize) -> XLogX {
        XLogX {
            t: (0..n)
                .map(|x| {
                    if x == 0 {
                        0.0
                    } else {
                        x as f64 * (x as f64).ln()
                    }
                })
                .collect(),
        }
    }
    #[inline]
    fn f(&self, x: i64) -> f64 {
        if x <= 0 {
            0.0
        } else if (x as usize) < self.t.len() {
            self.t[x as usize]
        } else {
            x as f64 * (x as f64).ln()
        }
    }
}

impl Clusters {
    pub fn len(&self) -> usize {
        self.table.len()
    }

    fn from_map(map: IdMap<u16>) -> Clusters {
        Clusters::from_entries(map.into_iter().collect())
    }

    /// From (word hash, class) pairs with distinct hashes, in any order
    /// (sorting pairs read back in order costs one pass).
    fn from_entries(mut entries: Vec<(u64, u16)>) -> Clusters {
        entries.sort_unstable();
        // table values are class + 1 so that a miss (default 0) means "unknown word"
        let table = FpTable::build(
            entries.iter().map(|&(k, v)| (k, v + 1)),
            entries.len(),
            |_, _| {},
        );
        Clusters {
            entries,
            table,
            id: super::table::next_id(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Names the table's contents: equal ids, equal lookups.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// A word's class + 1 (0 = unknown word), by its lowercase hash.
    pub fn class(&self, h: u64) -> u16 {
        if self.table.is_empty() {
            return 0;
        }
        self.table.get(h)
    }

    /// Induce `classes` classes from sentences of token hashes; words seen fewer than
    /// `min_count` times get no class. Deterministic.
    pub fn induce(
        sents: &[Vec<u64>],
        classes: usize,
        min_count: u32,
        iters: usize,
        log: bool,
    ) -> Clusters {
        let c_n = classes.max(2);
        let mut counts: IdMap<u32> = IdMap::default();
        for s in sents {
            for &h in s {
                *counts.entry(h).or_insert(0) += 1;
            }
        }
        let mut vocab: Vec<(u32, u64)> = counts
            .iter()
            .filter(|(_, &c)| c >= min_count)
            .map(|(&h, &c)| (c, h))
            .collect();
        vocab.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let v = vocab.len();
        let rare = v as u32;
        let bound = v as u32 + 1;
        let nw = v + 2;
        let id: IdMap<u32> = vocab
            .iter()
            .enumerate()
            .map(|(i, &(_, h))| (h, i as u32))
            .collect();
        // bigram counts
        let mut big: std::collections::HashMap<u64, u32, super::features::IdBuild> =
            Default::default();
        let pair = |a: u32, b: u32| -> u64 { super::features::fmix(((a as u64) << 32) | b as u64) };
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for s in sents {
            let mut prev = bound;
            for &h in s.iter() {
                let w = id.get(&h).copied().unwrap_or(rare);
                if w != prev {
                    let k = pair(prev, w);
                    let e = big.entry(k).or_insert(0);
                    if *e == 0 {
                        pairs.push((prev, w));
                    }
                    *e += 1;
                }
                prev = w;
            }
            if prev != bound {
                let k = pair(prev, bound);
                let e = big.entry(k).or_insert(0);
                if *e == 0 {
                    pairs.push((prev, bound));
                }
                *e += 1;
            }
        }
        let mut right: Vec<Vec<(u32, i64)>> = vec![Vec::new(); nw];
        let mut left: Vec<Vec<(u32, i64)>> = vec![Vec::new(); nw];
        for &(a, b) in &pairs {
            let n = big[&pair(a, b)] as i64;
            right[a as usize].push((b, n));
            left[b as usize].push((a, n));
        }
        drop(big);
        let cl_w: Vec<i64> = right.iter().map(|r| r.iter().map(|x| x.1).sum()).collect();
        let cr_w: Vec<i64> = left.iter().map(|r| r.iter().map(|x| x.1).sum()).collect();
        let mut class: Vec<usize> = (0..nw).map(|w| w % c_n).collect();
        let mut nn = vec![0i64; c_n * c_n];
        let mut nl = vec![0i64; c_n];
        let mut nr = vec![0i64; c_n];
        for w in 0..nw {
            for &(u, n) in &right[w] {
                nn[class[w] * c_n + class[u as usize]] += n;
            }
            nl[class[w]] += cl_w[w];
            nr[class[w]] += cr_w[w];
        }
        let xl = XLogX::new(1 << 20);
        let mut kr = vec![0i64; c_n];
        let mut kl = vec![0i64; c_n];
        let mut tr: Vec<usize> = Vec::new();
        let mut tl: Vec<usize> = Vec::new();
        for it in 0..iters {
            let mut moved = 0usize;
            for w in 0..nw {
                let a = class[w];
                tr.clear();
                tl.clear();
                for &(u, n) in &right[w] {
                    let c = class[u as usize];
                    if kr[c] == 0 {
                        tr.push(c);
                    }
                    kr[c] += n;
                }
                for &(u, n) in &left[w] {
                    let c = class[u as usize];
                    if kl[c] == 0 {
                        tl.push(c);
                    }
                    kl[c] += n;
                }
                // remove w from a
                for &c in &tr {
                    nn[a * c_n + c] -= kr[c];
                }
                for &c in &tl {
                    nn[c * c_n + a] -= kl[c];
                }
                nl[a] -= cl_w[w];
                nr[a] -= cr_w[w];
                let mut best = a;
                let mut best_d = f64::NEG_INFINITY;
                for b in 0..c_n {
                    let mut d = 0.0;
                    let row = &nn[b * c_n..(b + 1) * c_n];
                    for &c in &tr {
                        let x = row[c];
                        d += xl.f(x + kr[c]) - xl.f(x);
                    }
                    for &c in &tl {
                        let x = nn[c * c_n + b];
                        d += xl.f(x + kl[c]) - xl.f(x);
                    }
                    d -= xl.f(nl[b] + cl_w[w]) - xl.f(nl[b]);
                    d -= xl.f(nr[b] + cr_w[w]) - xl.f(nr[b]);
                    if d > best_d + 1e-9 || (b == a && d >= best_d - 1e-9) {
                        best_d = d;
                        best = b;
                    }
                }
                for &c in &tr {
                    nn[best * c_n + c] += kr[c];
                }
                for &c in &tl {
                    nn[c * c_n + best] += kl[c];
                }
                nl[best] += cl_w[w];
                nr[best] += cr_w[w];
                if best != a {
                    moved += 1;
                    class[w] = best;
                }
                for &c in &tr {
                    kr[c] = 0;
                }
                for &c in &tl {
                    kl[c] = 0;
                }
            }
            if log {
                eprintln!(
                    "clusters: iteration {} moved {} of {} words",
                    it + 1,
                    moved,
                    nw
                );
            }
        }
        let mut map = IdMap::default();
        for (i, &(_, h)) in vocab.iter().enumerate() {
            map.insert(h, class[i] as u16);
        }
        Clusters::from_map(map)
    }

    /// Pack a fine (< 512 classes) and a coarse (< 64 classes) clustering into one map:
    /// value = fine | coarse << 9 (words missing from either are dropped).
    pub fn combine(fine: &Clusters, coarse: &Clusters) -> Clusters {
        let coarse: IdMap<u16> = coarse.entries.iter().copied().collect();
        Clusters::from_entries(
            fine.entries
                .iter()
                .filter_map(|&(k, f)| Some((k, (f & 511) | ((coarse.get(&k)? & 63) << 9))))
                .collect(),
        )
    }

    /// Standalone file form (`NERCLU01` + entries), as written by the `clusters` binary.
    pub fn to_file_bytes(&self) -> Vec<u8> {
        let mut out = b"NERCLU01".to_vec();
        self.write(&mut out);
        out
    }

    pub fn from_file_bytes(b: &[u8]) -> Result<Clusters, String> {
        let mut r = super::model::Reader::new(b);
        if r.take(8)? != b"NERCLU01" {
            return Err("not a nerdev clusters file (bad magic)".into());
        }
        let c = Clusters::read(&mut r)?;
        if r.remaining() != 0 {
            return Err("trailing bytes after clusters".into());
        }
        Ok(c)
    }

    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.entries.len() as u64).to_le_bytes());
        for &(k, v) in &self.entries {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&v.to_le_bytes());
        }
    }

    /// Writes the lookup table (a model's form of the classes).
    pub fn write_table(&self, out: &mut Vec<u8>) {
        self.table.write(out);
    }

    /// Reads a table `write_table` wrote: lookups only, no entries.
    pub fn read_table(r: &mut super::model::Reader) -> Result<Clusters, String> {
        Ok(Clusters {
            table: FpTable::read(r)?,
            id: super::table::next_id(),
            ..Clusters::default()
        })
    }

    pub fn read(r: &mut super::model::Reader) -> Result<Clusters, String> {
        let n = r.u64()? as usize;
        if n > r.remaining() / 10 {
            return Err("clusters: entry count exceeds file size".into());
        }
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let k = r.u64()?;
            let lo = r.u8()? as u16;
            let hi = r.u8()? as u16;
            entries.push((k, lo | (hi << 8)));
        }
        if entries.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err("clusters: entries not in order of their word".into());
        }
        Ok(Clusters::from_entries(entries))
    }
}
