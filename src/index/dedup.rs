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
    bands: [HashMap<u16, Vec<(u64, u64)>>; 4],
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
            for (i, bands) in self.bands.iter_mut().enumerate() {
                bands
                    .entry(band(print.simhash, i))
                    .or_default()
                    .push((print.simhash, group));
            }
        }
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
        self.bands
            .iter()
            .enumerate()
            .filter_map(|(i, bands)| bands.get(&band(print.simhash, i)))
            .flatten()
            .filter(|(hash, _)| hamming(*hash, print.simhash) <= NEAR_BITS)
            .map(|&(_, group)| group)
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
}
