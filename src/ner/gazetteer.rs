//! Gazetteers built from training data: entity phrases (lowercased token sequences seen as
//! PER/LOC/ORG/MISC) and person first/last name lists, plus lists of the world's places and of
//! common first names (`models/places.txt`, `models/first-names.txt`). It owns matching them
//! against a sentence (setting per-token B/I/L/U position bits per type and name-list bits) and
//! their serialised form.

use super::features::{fmix, mix, IdMap, Tok};
use super::table::FpTable;

pub const G_FIRST: u8 = 16;
pub const G_LAST: u8 = 32;
/// A phrase of the place list: matched as a fifth type beside PER/LOC/ORG/MISC.
const G_PLACE_LIST: u8 = 64;
/// A word of the first-name list (a name-list bit beside `G_FIRST` and `G_LAST`).
pub const G_LISTED_FIRST: u8 = 64;
/// Types a token's `gaz` bits can hold (PER, LOC, ORG, MISC, place list).
const GAZ_TYPES: u32 = 5;
const G_PREFIX: u8 = 128;
const PHRASE_SEED: u64 = 0x7A11_0C0D_E5EE_D001;
const NAME_SEED: u64 = 0x4E41_4D45_5345_4544;
pub const MAX_PHRASE: usize = 6;

#[derive(Default, Clone)]
pub struct Gazetteer {
    /// Entries added since the last `freeze` (training).
    map: IdMap<u8>,
    table: FpTable<u8>,
    /// Names this table (after `freeze`) for caches of its lookups.
    id: u64,
}

#[inline]
fn nz(k: u64) -> u64 {
    if k == 0 {
        1
    } else {
        k
    }
}

#[inline]
fn name_key(h: u64) -> u64 {
    nz(fmix(mix(NAME_SEED, h)))
}

impl Gazetteer {
    pub fn new() -> Gazetteer {
        Gazetteer::default()
    }

    /// Add an entity phrase (token lowercase hashes) of type 0..4 (PER, LOC, ORG, MISC).
    pub fn add_phrase(&mut self, hashes: &[u64], ty: u8) {
        self.add_entry(hashes, 1 << ty);
        if ty == 0 && hashes.len() >= 2 {
            *self.map.entry(name_key(hashes[0])).or_insert(0) |= G_FIRST;
            *self
                .map
                .entry(name_key(hashes[hashes.len() - 1]))
                .or_insert(0) |= G_LAST;
        }
    }

    /// Add a phrase of the place list (token lowercase hashes).
    pub fn add_listed_place(&mut self, hashes: &[u64]) {
        self.add_entry(hashes, G_PLACE_LIST);
    }

    /// Add a word of the first-name list (its lowercase hash).
    pub fn add_listed_first_name(&mut self, h: u64) {
        *self.map.entry(name_key(h)).or_insert(0) |= G_LISTED_FIRST;
    }

    fn add_entry(&mut self, hashes: &[u64], bits: u8) {
        if hashes.is_empty() || hashes.len() > MAX_PHRASE {
            return;
        }
        let mut h = PHRASE_SEED;
        for (i, &th) in hashes.iter().enumerate() {
            h = mix(h, th);
            let k = nz(fmix(h));
            let e = self.map.entry(k).or_insert(0);
            if i + 1 == hashes.len() {
                *e |= bits;
            } else {
                *e |= G_PREFIX;
            }
        }
    }

    /// Build the lookup table from the entries added, once, after the last `add_phrase`. They
    /// go in sorted by key, so the table is the same on every run.
    pub fn freeze(&mut self) {
        debug_assert!(self.table.is_empty(), "gazetteer frozen twice");
        let mut entries: Vec<(u64, u8)> = self.map.drain().collect();
        entries.sort_unstable_by_key(|e| e.0);
        let n = entries.len();
        // the map's keys are distinct: nothing to merge
        self.table = FpTable::build(entries, n, |_, _| {});
        self.id = super::table::next_id();
    }

    /// Names the table's contents: equal ids, equal lookups.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// What the table says of one word (its lowercase hash): its name-list
    /// bits, and the entry of the phrase that begins with it.
    pub fn word(&self, h: u64) -> (u8, u8) {
        if self.table.is_empty() {
            return (0, 0);
        }
        (
            self.table.get(name_key(h)) & (G_FIRST | G_LAST | G_LISTED_FIRST),
            self.table.get(nz(fmix(mix(PHRASE_SEED, h)))),
        )
    }

    /// Set `gaz` and `names` bits on the tokens of one sentence that `need`
    /// marks (phrases are matched wherever they could reach such a token).
    /// `word` answers [`Gazetteer::word`] for a token's hash.
    pub fn annotate(&self, toks: &mut [Tok], need: &[bool], mut word: impl FnMut(u64) -> (u8, u8)) {
        if self.table.is_empty() {
            return;
        }
        let n = toks.len();
        // The first token at or after i that `need` marks (n when none is).
        let mut next = 0usize;
        for i in 0..n {
            if next < i {
                next = need[i..].iter().position(|&x| x).map_or(n, |p| i + p);
            }
            // A phrase starting here can only mark tokens up to MAX_PHRASE on.
            if next >= (i + MAX_PHRASE).min(n) {
                continue;
            }
            let (names, first) = word(toks[i].h_lower);
            if need[i] {
                toks[i].names = names;
            }
            let mut h = mix(PHRASE_SEED, toks[i].h_lower);
            let mut len = 1usize;
            let mut m = first;
            while m != 0 {
                // the place list is the fifth type
                let types = (m & 15) | ((m & G_PLACE_LIST) >> 2);
                if types != 0 {
                    for ty in 0..GAZ_TYPES {
                        if types & (1 << ty) == 0 {
                            continue;
                        }
                        #[allow(clippy::needless_range_loop)] // j names the position in the phrase
                        for j in i..i + len {
                            let pos = if len == 1 {
                                3
                            } else if j == i {
                                0
                            } else if j + 1 == i + len {
                                2
                            } else {
                                1
                            };
                            toks[j].gaz |= 1 << (ty * 4 + pos);
                        }
                    }
                }
                if m & G_PREFIX == 0 || i + len >= n || len >= MAX_PHRASE {
                    break;
                }
                h = mix(h, toks[i + len].h_lower);
                len += 1;
                m = self.table.get(nz(fmix(h)));
            }
        }
    }

    /// Writes the frozen table (`freeze` comes after the last `add_phrase`).
    pub fn write_table(&self, out: &mut Vec<u8>) {
        debug_assert!(self.map.is_empty(), "gazetteer written before freeze");
        self.table.write(out);
    }

    /// Reads a table `write_table` wrote (a model's gazetteer: lookups only, no entries).
    pub fn read_table(r: &mut super::model::Reader) -> Result<Gazetteer, String> {
        Ok(Gazetteer {
            table: FpTable::read(r)?,
            id: super::table::next_id(),
            ..Gazetteer::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::features::DocBuf;

    /// The tokens of one sentence, as the tagger reads them.
    fn sentence(words: &[&str]) -> DocBuf {
        let mut d = DocBuf::new();
        d.push_sentence(words.iter().copied());
        d
    }

    fn hashes(words: &[&str]) -> Vec<u64> {
        sentence(words).toks.iter().map(|t| t.h_lower).collect()
    }

    fn annotated(g: &Gazetteer, words: &[&str]) -> Vec<Tok> {
        let mut d = sentence(words);
        let need = vec![true; d.toks.len()];
        g.annotate(&mut d.toks, &need, |h| g.word(h));
        d.toks
    }

    #[test]
    fn a_listed_place_is_a_fifth_type_beside_the_trained_ones() {
        let mut g = Gazetteer::new();
        g.add_listed_place(&hashes(&["abu", "dhabi"]));
        g.add_phrase(&hashes(&["dhabi"]), 2);
        g.freeze();
        let toks = annotated(&g, &["in", "Abu", "Dhabi", "today"]);
        // B and L of the place list's two-word phrase (type 4: bits 16 and 18)
        assert_eq!(toks[1].gaz, 1 << 16);
        // "Dhabi" also ends the list's phrase, and is a one-word ORG (type 2, U: bit 11)
        assert_eq!(toks[2].gaz, (1 << 18) | (1 << 11));
        assert_eq!((toks[0].gaz, toks[3].gaz), (0, 0));
    }

    #[test]
    fn a_listed_first_name_is_its_own_name_bit() {
        let mut g = Gazetteer::new();
        g.add_listed_first_name(hashes(&["carolina"])[0]);
        g.add_phrase(&hashes(&["carolina", "kluft"]), 0);
        g.freeze();
        let toks = annotated(&g, &["Carolina", "Kluft", "won"]);
        assert_eq!(toks[0].names, G_LISTED_FIRST | G_FIRST);
        assert_eq!(toks[1].names, G_LAST);
        assert_eq!(toks[2].names, 0);
    }
}
