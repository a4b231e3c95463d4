//! Fingerprints of text: a content hash to notice changed files, a hash of
//! the whitespace-normalised body to find exact copies, and a SimHash over
//! word shingles to find near copies (a syndicated story under another
//! headline, or with a trailing line added). Pure functions.

use xxhash_rust::xxh3::xxh3_64;

use crate::words::{push_lowercase, words, AlnumRuns};

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
    let mut normal = Vec::with_capacity(body.len());
    for word in words(body) {
        if !normal.is_empty() {
            normal.push(b' ');
        }
        normal.extend_from_slice(body[word].as_bytes());
    }
    xxh3_64(&normal)
}

/// The SimHash of a body over lower-cased word shingles, and its word count.
///
/// Words are the runs of alphanumeric characters, lower-cased and hashed;
/// each shingle of `SHINGLE` word hashes votes on every bit.
pub fn simhash(body: &str) -> (u64, usize) {
    let words = word_hashes(body);
    let shingle = |ws: &[u64]| {
        ws.iter().fold(0x9E37_79B9_7F4A_7C15u64, |h, &w| {
            (h.rotate_left(23) ^ w).wrapping_mul(0xFF51_AFD7_ED55_8CCD)
        })
    };
    let mut votes = BitVotes::default();
    if words.len() < SHINGLE {
        votes.add(shingle(&words));
    } else {
        words.windows(SHINGLE).for_each(|ws| votes.add(shingle(ws)));
    }
    (votes.majority(), words.len())
}

/// The hash of each lower-cased alphanumeric run of `body`. An ASCII word
/// without capitals is hashed where it lies.
fn word_hashes(body: &str) -> Vec<u64> {
    let mut hashes = Vec::with_capacity(body.len() / 6);
    let mut lower = String::with_capacity(64);
    for run in AlnumRuns::new(body) {
        hashes.push(if run.lower {
            xxh3_64(&body.as_bytes()[run.range])
        } else {
            lower.clear();
            push_lowercase(&body[run.range], run.ascii, &mut lower);
            xxh3_64(lower.as_bytes())
        });
    }
    hashes
}

/// Per-bit vote counts of many 64-bit hashes. Each byte of a hash is spread
/// into eight one-byte lanes of a u64 by a table, so one addition counts
/// eight bits; the lanes are moved to wide counters before they can overflow.
struct BitVotes {
    lanes: [u64; 8],
    ones: [u32; 64],
    total: u32,
}

/// Hashes a lane can count before its bytes could overflow.
const LANE_MAX: u32 = 255;

/// `SPREAD[b]` has byte j equal to bit j of `b`.
const SPREAD: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let mut j = 0;
        while j < 8 {
            t[b] |= ((b as u64 >> j) & 1) << (8 * j);
            j += 1;
        }
        b += 1;
    }
    t
};

impl Default for BitVotes {
    fn default() -> BitVotes {
        BitVotes {
            lanes: [0; 8],
            ones: [0; 64],
            total: 0,
        }
    }
}

impl BitVotes {
    fn add(&mut self, h: u64) {
        for (k, lane) in self.lanes.iter_mut().enumerate() {
            *lane += SPREAD[(h >> (8 * k)) as usize & 0xFF];
        }
        self.total += 1;
        if self.total.is_multiple_of(LANE_MAX) {
            self.flush();
        }
    }

    fn flush(&mut self) {
        for (k, lane) in self.lanes.iter_mut().enumerate() {
            for j in 0..8 {
                self.ones[8 * k + j] += (*lane >> (8 * j)) as u32 & 0xFF;
            }
            *lane = 0;
        }
    }

    /// Bit set where more hashes had it set than clear.
    fn majority(mut self) -> u64 {
        self.flush();
        let total = self.total;
        self.ones.iter().enumerate().fold(
            0u64,
            |h, (bit, &n)| if 2 * n > total { h | 1 << bit } else { h },
        )
    }
}

/// The number of bits in which two hashes differ.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SimHash as first written: `char` splitting and lower-casing, and a
    /// signed vote per bit. `simhash` must give the same fingerprints.
    fn simhash_by_definition(body: &str) -> (u64, usize) {
        let words: Vec<u64> = body
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                xxh3_64(
                    w.chars()
                        .flat_map(char::to_lowercase)
                        .collect::<String>()
                        .as_bytes(),
                )
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

    #[test]
    fn body_hash_hashes_the_words_joined_by_single_spaces() {
        let texts = [
            "",
            " \t\n",
            "Oil",
            "  Oil\x0brose.\r\n\n Gold\u{a0}fell\u{2003}—\u{3000}again\u{1c}x ",
            STORY,
        ];
        for text in texts {
            let words: Vec<&str> = text.split_whitespace().collect();
            assert_eq!(
                body_hash(text),
                xxh3_64(words.join(" ").as_bytes()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn simhash_matches_its_definition() {
        let long = format!("{STORY} {LONGER} ").repeat(40);
        let texts = [
            "",
            "Oil",
            "Oil rose",
            "İstanbul ÉLYSÉE Straße ΣΟΦΙΑ Zelenskyy’s 2,000 tonnes — x²",
            STORY,
            LONGER,
            long.as_str(),
        ];
        for text in texts {
            assert_eq!(simhash(text), simhash_by_definition(text), "{text:.40}");
        }
    }

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
