//! Read-only hash table keyed by pre-mixed u64 feature keys, used for the weights, gazetteer
//! and word classes at tag time. It owns the layout: buckets of 16 32-bit key fingerprints (one
//! cache line, compared without branches), a parallel value array with one extra all-default row
//! that misses resolve to, and a per-bucket overflow flag for the rare full bucket.

const B: usize = 16;

#[derive(Clone, Default)]
pub struct FpTable<V> {
    fps: Vec<u32>,
    vals: Vec<V>,
    over: Vec<bool>,
    nb: usize,
    len: usize,
}

#[inline]
fn fp_of(key: u64) -> u32 {
    ((key >> 32) as u32) | 1
}

impl<V: Copy + Default> FpTable<V> {
    /// Build from `(key, value)` pairs (keys != 0). Duplicate keys are combined with `merge`;
    /// a different key with the same fingerprint in the same probe chain is dropped (first wins).
    pub fn build(
        entries: impl IntoIterator<Item = (u64, V)>,
        n_hint: usize,
        merge: impl Fn(&mut V, V),
    ) -> FpTable<V> {
        // ~75% load: 12 keys per 16-slot bucket on average
        let nb = (n_hint / 12 + 1).max(1);
        let mut fps = vec![0u32; nb * B];
        let mut full = vec![0u64; nb * B];
        let mut vals = vec![V::default(); nb * B + 1];
        let mut over = vec![false; nb];
        let mut len = 0;
        for (k, v) in entries {
            let fp = fp_of(k);
            let mut b = bucket(k, nb);
            'probe: loop {
                for j in 0..B {
                    let i = b * B + j;
                    if fps[i] == fp {
                        if full[i] == k {
                            merge(&mut vals[i], v);
                        }
                        break 'probe;
                    }
                    if fps[i] == 0 {
                        fps[i] = fp;
                        full[i] = k;
                        vals[i] = v;
                        len += 1;
                        break 'probe;
                    }
                }
                over[b] = true;
                b = if b + 1 == nb { 0 } else { b + 1 };
            }
        }
        FpTable {
            fps,
            vals,
            over,
            nb,
            len,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Row index of `key`, or the index of the all-default row when absent.
    #[inline(always)]
    pub fn row(&self, key: u64) -> usize {
        if self.nb == 0 {
            return 0;
        }
        let fp = fp_of(key);
        let mut b = bucket(key, self.nb);
        loop {
            let s = &self.fps[b * B..b * B + B];
            let m = match_mask(s, fp);
            if m != 0 {
                return b * B + m.trailing_zeros() as usize;
            }
            if !self.over[b] {
                return self.vals.len() - 1;
            }
            b = if b + 1 == self.nb { 0 } else { b + 1 };
        }
    }

    #[inline]
    pub fn at(&self, row: usize) -> &V {
        &self.vals[row]
    }

    #[inline]
    pub fn get(&self, key: u64) -> V {
        if self.vals.is_empty() {
            return V::default();
        }
        self.vals[self.row(key)]
    }

    #[inline]
    pub fn prefetch_key(&self, key: u64) {
        if self.nb == 0 {
            return;
        }
        prefetch(self.fps.as_ptr().wrapping_add(bucket(key, self.nb) * B));
    }

    #[inline]
    pub fn prefetch_row(&self, row: usize) {
        prefetch(self.vals.as_ptr().wrapping_add(row));
    }

    /// All entries (key unknown: only fingerprints are kept), for sizing reports.
    pub fn buckets(&self) -> usize {
        self.nb
    }
}

/// A fresh id for a built table or model, so that caches of its lookups can
/// tell them apart (0 is never given).
pub fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Bit j set when `s[j] == fp` (s has 16 entries).
#[inline(always)]
fn match_mask(s: &[u32], fp: u32) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        assert!(s.len() >= B);
        // SAFETY: SSE2 is part of the x86_64 baseline; the four unaligned 16-byte loads read
        // s[0..16], which the assert above keeps in bounds.
        unsafe {
            use std::arch::x86_64::*;
            let p = s.as_ptr() as *const __m128i;
            let f = _mm_set1_epi32(fp as i32);
            let m0 =
                _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(_mm_loadu_si128(p), f))) as u32;
            let m1 = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(
                _mm_loadu_si128(p.add(1)),
                f,
            ))) as u32;
            let m2 = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(
                _mm_loadu_si128(p.add(2)),
                f,
            ))) as u32;
            let m3 = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(
                _mm_loadu_si128(p.add(3)),
                f,
            ))) as u32;
            m0 | (m1 << 4) | (m2 << 8) | (m3 << 12)
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let mut m = 0u32;
        for (j, &f) in s.iter().take(B).enumerate() {
            m |= ((f == fp) as u32) << j;
        }
        m
    }
}

#[inline]
fn bucket(key: u64, nb: usize) -> usize {
    (((key as u32) as u64 * nb as u64) >> 32) as usize
}

#[inline]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: prefetch is only a hint and never faults, whatever the address.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch(p as *const i8, _MM_HINT_T0);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn lookups() {
        let e: Vec<(u64, u32)> = (1..5000u64)
            .map(|i| (crate::ner::features::fmix(i) | 1, i as u32))
            .collect();
        let t = FpTable::build(e.iter().copied(), e.len(), |a, b| *a += b);
        for &(k, v) in &e {
            assert_eq!(t.get(k), v);
        }
        assert_eq!(t.get(12345), 0);
        let empty: FpTable<u8> = FpTable::build(std::iter::empty(), 0, |_, _| {});
        assert_eq!(empty.get(7), 0);
    }
}
