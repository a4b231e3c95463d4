//! Fingerprints of text: a content hash to notice changed files, a hash of
//! the whitespace-normalised body to find exact copies, and a SimHash over
//! word shingles to find near copies (a syndicated story under another
//! headline, or with a trailing line added). Pure functions.

use xxhash_rust::xxh3::xxh3_64;

/// Words per shingle for SimHash.
const SHINGLE: usize = 3;
/// Bodies with fewer words than this are matched exactly only: their
/// SimHash is too coarse to trust.
pub const NEAR_MIN_WORDS: usize = 30;

/// A 64-bit hash of raw bytes.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxh3_64(bytes)
}

/// A hash of a body with its whitespace normalised, so copies that differ
/// only in spacing or line breaks hash alike.
///
/// ```
/// use newsdex::fingerprint::body_hash;
/// assert_eq!(body_hash("Oil  rose.\n\nGold fell."), body_hash("Oil rose. Gold fell."));
/// ```
pub fn body_hash(body: &str) -> u64 {
    let mut normal = String::with_capacity(body.len());
    for word in body.split_whitespace() {
        if !normal.is_empty() {
            normal.push(' ');
        }
        normal.push_str(word);
    }
    xxh3_64(normal.as_bytes())
}

/// The SimHash of a body over lower-cased word shingles, and its word count.
pub fn simhash(body: &str) -> (u64, usize) {
    let mut lower = String::new();
    let words: Vec<u64> = body
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            lower.clear();
            lower.extend(w.chars().flat_map(char::to_lowercase));
            xxh3_64(lower.as_bytes())
        })
        .collect();
    let mut weights = [0i32; 64];
    let mut add = |h: u64| {
        for (bit, w) in weights.iter_mut().enumerate() {
            *w += if h >> bit & 1 == 1 { 1 } else { -1 };
        }
    };
    let shingle = |ws: &[u64]| {
        ws.iter().fold(0x9E37_79B9_7F4A_7C15u64, |h, &w| {
            (h.rotate_left(23) ^ w).wrapping_mul(0xFF51_AFD7_ED55_8CCD)
        })
    };
    if words.len() < SHINGLE {
        add(shingle(&words));
    } else {
        words.windows(SHINGLE).for_each(|ws| add(shingle(ws)));
    }
    let hash = weights
        .iter()
        .enumerate()
        .fold(0u64, |h, (bit, &w)| if w > 0 { h | 1 << bit } else { h });
    (hash, words.len())
}

/// The number of bits in which two hashes differ.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Standard Oil Co and BP North America Inc said they plan to form a venture to manage \
        the money market borrowing and investment activities of both companies. BP North America is a \
        subsidiary of British Petroleum Co Plc, which also owns a 55 pct interest in Standard Oil. The \
        venture will be called BP Standard Financial Trading and will be operated by Standard Oil.";

    const LONGER: &str = "The companies said the venture would begin operations in the second quarter, \
        subject to regulatory approval, and would be based in Cleveland with a staff of about forty. \
        Standard Oil said the arrangement would let both companies pool their short-term cash and \
        reduce borrowing costs. BP North America said it expected savings of several million dollars \
        a year from the combined operation, which would handle commercial paper, bank lines and \
        money market investments for the two groups. Analysts said the move was a further step in \
        integrating Standard Oil into the British Petroleum group after BP raised its stake.";

    #[test]
    fn a_trailing_line_keeps_simhash_close() {
        let story = format!("{STORY} {}", LONGER);
        let (a, _) = simhash(&story);
        let (b, _) = simhash(&format!("{story} Reporting by the Cleveland desk."));
        assert!(
            hamming(a, b) <= crate::index::NEAR_BITS,
            "{}",
            hamming(a, b)
        );
    }

    #[test]
    fn different_stories_are_far_apart() {
        let (a, _) = simhash(STORY);
        let (b, _) = simhash(
            "Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought \
             since early January and improving prospects for the coming temporao, although normal \
             humidity levels have not been restored, Comissaria Smith said in its weekly review.",
        );
        assert!(hamming(a, b) > 12, "{}", hamming(a, b));
    }
}
