//! Read-only hash table keyed by pre-mixed u64 feature keys, used for the weights, gazetteer
//! and word classes at tag time. It owns the layout: buckets of 16 32-bit key fingerprints (one
//! cache line, compared without branches), a parallel value array with one extra all-default row
//! that misses resolve to, and a per-bucket overflow flag for the rare full bucket. It also owns
//! the table's file form, which is that layout itself: a table read from bytes that live for the
//! whole run (the model compiled into the binary) is used where it lies, without being built.

use std::ops::Deref;

use super::model::Reader;

const B: usize = 16;

#[derive(Clone, Default)]
pub struct FpTable<V: 'static> {
    fps: Data<u32>,
    vals: Data<V>,
    /// Per bucket: 1 when a key that hashed to it lies in a later bucket.
    over: Data<u8>,
    nb: usize,
    len: usize,
}

/// A table's array: built (or copied from a file) onto the heap, or borrowed from bytes that live
/// for the whole run.
#[derive(Clone)]
pub enum Data<T: 'static> {
    Owned(Vec<T>),
    Static(&'static [T]),
}

impl<T> Default for Data<T> {
    fn default() -> Self {
        Data::Owned(Vec::new())
    }
}

impl<T> Deref for Data<T> {
    type Target = [T];
    #[inline(always)]
    fn deref(&self) -> &[T] {
        match self {
            Data::Owned(v) => v,
            Data::Static(s) => s,
        }
    }
}

/// A value a table file holds: plain bytes, little-endian.
pub trait Pod: Copy + Default + 'static {
    const SIZE: usize;
    fn write_le(&self, out: &mut Vec<u8>);
    fn read_le(b: &[u8]) -> Self;
}

impl Pod for u8 {
    const SIZE: usize = 1;
    fn write_le(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    fn read_le(b: &[u8]) -> u8 {
        b[0]
    }
}

impl Pod for u16 {
    const SIZE: usize = 2;
    fn write_le(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn read_le(b: &[u8]) -> u16 {
        u16::from_le_bytes([b[0], b[1]])
    }
}

impl Pod for u32 {
    const SIZE: usize = 4;
    fn write_le(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn read_le(b: &[u8]) -> u32 {
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }
}

impl Pod for [i16; 18] {
    const SIZE: usize = 36;
    fn write_le(&self, out: &mut Vec<u8>) {
        for x in self {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
    fn read_le(b: &[u8]) -> [i16; 18] {
        let mut a = [0i16; 18];
        for (x, v) in a.iter_mut().zip(b.chunks_exact(2)) {
            *x = i16::from_le_bytes([v[0], v[1]]);
        }
        a
    }
}

/// Pads `out` with zeros to a multiple of 8 bytes, where each array of a table file starts.
fn pad(out: &mut Vec<u8>) {
    out.resize(out.len().next_multiple_of(8), 0);
}

fn write_array<T: Pod>(out: &mut Vec<u8>, a: &[T]) {
    pad(out);
    out.reserve(a.len() * T::SIZE);
    for x in a {
        x.write_le(out);
    }
}

/// The next `n` values of type `T` (after the padding `write_array` wrote).
fn read_array<T: Pod>(r: &mut Reader, n: usize) -> Result<Data<T>, String> {
    r.take(r.pos().next_multiple_of(8) - r.pos())?;
    let len = n
        .checked_mul(T::SIZE)
        .filter(|&len| len <= r.remaining())
        .ok_or("table: array exceeds file size")?;
    if let Some(whole) = r.whole() {
        let bytes = &whole[r.pos()..r.pos() + len];
        if let Some(a) = cast::<T>(bytes) {
            r.take(len)?;
            return Ok(Data::Static(a));
        }
    }
    let bytes = r.take(len)?;
    Ok(Data::Owned(
        bytes.chunks_exact(T::SIZE).map(T::read_le).collect(),
    ))
}

/// `bytes` as an array of `T` in place, where its layout is the file's: a little-endian machine
/// and a start aligned for `T`.
fn cast<T: Pod>(bytes: &'static [u8]) -> Option<&'static [T]> {
    let fits = cfg!(target_endian = "little")
        && std::mem::size_of::<T>() == T::SIZE
        && bytes.len().is_multiple_of(T::SIZE)
        && (bytes.as_ptr() as usize).is_multiple_of(std::mem::align_of::<T>());
    // SAFETY: `T` is one of the `Pod` types above (integers and arrays of them), for which every
    // bit pattern is a value and whose size is `T::SIZE`; the bytes are aligned for `T`, span
    // exactly `len` values, and live for the whole run, as the returned slice does.
    fits.then(|| unsafe {
        std::slice::from_raw_parts(bytes.as_ptr() as *const T, bytes.len() / T::SIZE)
    })
}

#[inline]
fn fp_of(key: u64) -> u32 {
    ((key >> 32) as u32) | 1
}

impl<V: Pod> FpTable<V> {
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
        let mut over = vec![0u8; nb];
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
                over[b] = 1;
                b = if b + 1 == nb { 0 } else { b + 1 };
            }
        }
        FpTable {
            fps: Data::Owned(fps),
            vals: Data::Owned(vals),
            over: Data::Owned(over),
            nb,
            len,
        }
    }

    /// Writes the table in its file form: the bucket count, the key count, then the arrays.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.nb as u64).to_le_bytes());
        out.extend_from_slice(&(self.len as u64).to_le_bytes());
        write_array(out, &self.fps);
        write_array(out, &self.vals);
        write_array(out, &self.over);
    }

    /// Reads a table `write` wrote, checking that every lookup in it ends.
    pub fn read(r: &mut Reader) -> Result<FpTable<V>, String> {
        let nb = r.u64()? as usize;
        let len = r.u64()? as usize;
        let slots = nb.checked_mul(B).ok_or("table: bucket count too large")?;
        let fps = read_array::<u32>(r, slots)?;
        let vals = read_array::<V>(r, if nb == 0 { 0 } else { slots + 1 })?;
        let over = read_array::<u8>(r, nb)?;
        // a lookup walks on from a bucket while its overflow flag is set: one must be clear
        if nb > 0 && over.iter().all(|&o| o != 0) {
            return Err("table: every bucket overflows".into());
        }
        if len > slots {
            return Err("table: more keys than slots".into());
        }
        Ok(FpTable {
            fps,
            vals,
            over,
            nb,
            len,
        })
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
            if self.over[b] == 0 {
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

    #[test]
    fn a_written_table_reads_back_copied_or_in_place() {
        let e: Vec<(u64, u16)> = (1..3000u64)
            .map(|i| (crate::ner::features::fmix(i) | 1, i as u16))
            .collect();
        let t = FpTable::build(e.iter().copied(), e.len(), |_, _| {});
        let mut bytes = vec![7u8]; // arrays are padded from the start of the file
        t.write(&mut bytes);
        let copied = {
            let mut r = Reader::new(&bytes);
            r.u8().unwrap();
            FpTable::<u16>::read(&mut r).unwrap()
        };
        // an 8-aligned copy that lives for the run, as the embedded model does
        let words: &'static mut [u64] = Vec::leak(vec![0u64; bytes.len().div_ceil(8)]);
        // SAFETY: u64s are 8 bytes each with no padding, so the u8 view covers exactly them.
        let lasting: &'static mut [u8] = unsafe {
            std::slice::from_raw_parts_mut(words.as_mut_ptr() as *mut u8, words.len() * 8)
        };
        lasting[..bytes.len()].copy_from_slice(&bytes);
        let mut r = Reader::lasting(&lasting[..bytes.len()]);
        r.u8().unwrap();
        let in_place = FpTable::<u16>::read(&mut r).unwrap();
        assert!(matches!(in_place.vals, Data::Static(_)) == cfg!(target_endian = "little"));
        assert!(matches!(copied.vals, Data::Owned(_)));
        for (k, v) in e.iter().copied().chain([(12345, 0)]) {
            assert_eq!(copied.get(k), v);
            assert_eq!(in_place.get(k), v);
        }
        let mut out = vec![7u8];
        in_place.write(&mut out);
        assert!(
            out == bytes,
            "a table read in place writes back the bytes it was read from"
        );
    }

    #[test]
    fn a_table_whose_lookups_would_not_end_is_refused() {
        let t = FpTable::build([(3u64, 1u8), (5, 2)], 2, |_, _| {});
        let mut bytes = Vec::new();
        t.write(&mut bytes);
        // the overflow flags are the last bytes: set them all
        let nb = t.buckets();
        let n = bytes.len();
        bytes[n - nb..].fill(1);
        let err = FpTable::<u8>::read(&mut Reader::new(&bytes)).err();
        assert_eq!(err.as_deref(), Some("table: every bucket overflows"));
        assert!(FpTable::<u8>::read(&mut Reader::new(&bytes[..n - 1])).is_err());
    }
}
