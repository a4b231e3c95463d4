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
}

fn band(simhash: u64, i: usize) -> u16 {
    (simhash >> (16 * i)) as u16
}

impl Deduper {
    /// Registers an article already in a group (from the index).
    pub fn insert(&mut self, print: Print, group: u64) {
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
