//! Duplicate groups. Each article joins the group of an earlier article whose
//! body is the same after whitespace normalisation, or whose SimHash lies
//! within a few bits of its own; otherwise it starts a group of its own, named
//! by its own article key. Near matches are found through four 16-bit bands of
//! the SimHash: two hashes within three bits share at least one band.

use std::collections::HashMap;

use crate::fingerprint::{hamming, NEAR_MIN_WORDS};

/// SimHashes at most this many bits apart are near-duplicates.
pub const NEAR_BITS: u32 = 3;

/// What dedup needs to know of an article.
#[derive(Debug, Clone, Copy)]
pub struct Print {
    pub key: u64,
    pub body_hash: u64,
    pub simhash: u64,
    pub words: usize,
}

#[derive(Default)]
pub struct Deduper {
    exact: HashMap<u64, u64>,
    /// The (SimHash, group) of every article long enough for near matching.
    prints: Vec<(u64, u64)>,
    /// The prints by band value, as chains through `prints`: per band, the
    /// latest print (index + 1; 0 ends a chain) with each 16-bit value, and
    /// for each print the one before it with the same value. That is 16
    /// bytes an article, where a list per band value took about 100.
    heads: [Vec<u32>; 4],
    earlier: Vec<[u32; 4]>,
    /// Articles per group.
    members: HashMap<u64, u32>,
    /// Each registered article's group, by article key, so that an article
    /// indexed again (or removed) leaves its old group.
    group_of: HashMap<u64, u64>,
}

fn band(simhash: u64, i: usize) -> u16 {
    (simhash >> (16 * i)) as u16
}

impl Deduper {
    /// Registers an article in a group (from the index, or newly assigned);
    /// an article registered before leaves the group it was in.
    pub fn insert(&mut self, print: Print, group: u64) {
        self.remove(print.key);
        self.group_of.insert(print.key, group);
        *self.members.entry(group).or_default() += 1;
        self.exact.entry(print.body_hash).or_insert(group);
        if print.words >= NEAR_MIN_WORDS {
            self.add_print(print.simhash, group);
        }
    }

    fn add_print(&mut self, simhash: u64, group: u64) {
        let Ok(at) = u32::try_from(self.prints.len() + 1) else {
            return; // four billion prints: later ones get exact matching only
        };
        self.prints.push((simhash, group));
        let mut earlier = [0; 4];
        for (i, heads) in self.heads.iter_mut().enumerate() {
            if heads.is_empty() {
                heads.resize(1 << 16, 0);
            }
            let head = &mut heads[usize::from(band(simhash, i))];
            earlier[i] = std::mem::replace(head, at);
        }
        self.earlier.push(earlier);
    }

    /// The prints sharing band `i` with `simhash`.
    fn band_mates(&self, simhash: u64, i: usize) -> impl Iterator<Item = (u64, u64)> + '_ {
        let head = self.heads[i]
            .get(usize::from(band(simhash, i)))
            .copied()
            .unwrap_or(0);
        let link = |at: u32| at.checked_sub(1).map(|at| at as usize);
        std::iter::successors(link(head), move |&at| link(self.earlier[at][i]))
            .map(|at| self.prints[at])
    }

    /// Unregisters an article whose file is gone. Its prints stay, still
    /// naming its group, so later copies of it join that group.
    pub fn remove(&mut self, key: u64) {
        if let Some(group) = self.group_of.remove(&key) {
            if let Some(n) = self.members.get_mut(&group) {
                *n = n.saturating_sub(1);
            }
        }
    }

    /// The group of a new article, registering it.
    pub fn assign(&mut self, print: Print) -> u64 {
        let group = self.find(&print).unwrap_or(print.key);
        self.insert(print, group);
        group
    }

    /// Groups with more than one member, and the members beyond the first.
    pub fn duplicates(&self) -> (usize, usize) {
        self.members
            .values()
            .filter(|&&n| n > 1)
            .fold((0, 0), |(groups, copies), &n| {
                (groups + 1, copies + n as usize - 1)
            })
    }

    #[cfg(test)]
    fn group(&self, key: u64) -> Option<u64> {
        self.group_of.get(&key).copied()
    }

    fn find(&self, print: &Print) -> Option<u64> {
        if let Some(&group) = self.exact.get(&print.body_hash) {
            return Some(group);
        }
        if print.words < NEAR_MIN_WORDS {
            return None;
        }
        (0..4)
            .flat_map(|i| self.band_mates(print.simhash, i))
            .filter(|&(hash, _)| hamming(hash, print.simhash) <= NEAR_BITS)
            .map(|(_, group)| group)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(key: u64, body_hash: u64) -> Print {
        Print {
            key,
            body_hash,
            simhash: 0,
            words: 5,
        }
    }

    #[test]
    fn copies_join_the_first_group() {
        let mut d = Deduper::default();
        assert_eq!(d.assign(print(1, 10)), 1);
        assert_eq!(d.assign(print(2, 10)), 1);
        assert_eq!(d.assign(print(3, 11)), 3);
        assert_eq!(d.duplicates(), (1, 1));
    }

    #[test]
    fn an_article_indexed_again_is_not_its_own_copy() {
        let mut d = Deduper::default();
        d.insert(print(1, 10), 1); // as read back from the index
        assert_eq!(d.assign(print(1, 10)), 1); // the same article, updated
        assert_eq!(d.duplicates(), (0, 0));
        assert_eq!(d.group(1), Some(1));
    }

    #[test]
    fn a_removed_copy_leaves_its_group() {
        let mut d = Deduper::default();
        d.assign(print(1, 10));
        d.assign(print(2, 10));
        d.remove(2);
        assert_eq!(d.duplicates(), (0, 0));
        // A later copy still finds the story's group.
        assert_eq!(d.assign(print(4, 10)), 1);
        assert_eq!(d.duplicates(), (1, 1));
    }

    #[test]
    fn near_copies_are_every_print_within_three_bits() {
        // The band chains must find what a scan of every earlier print finds.
        let mut d = Deduper::default();
        let mut earlier: Vec<(u64, u64)> = Vec::new();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let bases: Vec<u64> = (0..20).map(|_| next()).collect();
        for key in 1..=2000u64 {
            let r = next();
            // a base story with up to five bits flipped, so some are near and some not
            let mut simhash = bases[(r % 20) as usize];
            for k in 0..(r >> 8) % 6 {
                simhash ^= 1 << ((r >> (16 + 6 * k)) % 64);
            }
            let print = Print {
                key,
                body_hash: key,
                simhash,
                words: NEAR_MIN_WORDS,
            };
            let expected = earlier
                .iter()
                .filter(|&&(h, _)| hamming(h, simhash) <= NEAR_BITS)
                .map(|&(_, group)| group)
                .min()
                .unwrap_or(key);
            let group = d.assign(print);
            assert_eq!(group, expected, "article {key}");
            earlier.push((simhash, group));
        }
        assert!(d.duplicates().1 > 1000, "{:?}", d.duplicates());
    }
}
