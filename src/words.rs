//! Words found by scanning bytes, decoding only the bytes that may begin a
//! character the ASCII table cannot classify: the white-space-separated
//! words of `str::split_whitespace`, and the alphanumeric runs that tantivy's
//! simple tokenizer and SimHash take as words, with their byte ranges.

use std::ops::Range;

/// The byte ranges of the words of `text`, as `str::split_whitespace` finds
/// them.
///
/// ```
/// let text = " Oil\u{a0}rose.\n\nGold ";
/// let w: Vec<&str> = newsdex::words::words(text).map(|r| &text[r]).collect();
/// assert_eq!(w, text.split_whitespace().collect::<Vec<_>>());
/// ```
pub fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        i = run_end(text, i, |space| space);
        if i == text.len() {
            return None;
        }
        let start = i;
        i = run_end(text, i, |space| !space);
        Some(start..i)
    })
}

/// The runs of alphanumeric characters (`char::is_alphanumeric`) of a text.
///
/// ```
/// let text = "Zelenskyy’s 2,000 Straße";
/// let runs: Vec<&str> = newsdex::words::AlnumRuns::new(text).map(|r| &text[r.range]).collect();
/// assert_eq!(runs, ["Zelenskyy", "s", "2", "000", "Straße"]);
/// ```
pub struct AlnumRuns<'a> {
    text: &'a str,
    /// Where the scan goes on.
    at: usize,
}

impl<'a> AlnumRuns<'a> {
    pub fn new(text: &'a str) -> AlnumRuns<'a> {
        AlnumRuns { text, at: 0 }
    }
}

/// One run of alphanumeric characters.
pub struct Run {
    pub range: Range<usize>,
    /// All ASCII.
    pub ascii: bool,
    /// All ASCII without capitals: lower case already.
    pub lower: bool,
}

impl Iterator for AlnumRuns<'_> {
    type Item = Run;

    #[inline(always)]
    fn next(&mut self) -> Option<Run> {
        let text = self.text;
        let bytes = text.as_bytes();
        let alnum_at = |i: usize| text[i..].chars().next().filter(|c| c.is_alphanumeric());
        let mut i = self.at;
        // skip to the first alphanumeric character
        let start = loop {
            let &b = bytes.get(i)?;
            if b.is_ascii() {
                if BYTE_CLASS[b as usize] == ALNUM {
                    break i;
                }
                i += 1;
            } else {
                match alnum_at(i) {
                    Some(_) => break i,
                    None => i += text[i..].chars().next().map_or(1, char::len_utf8),
                }
            }
        };
        let (mut ascii, mut capitals) = (true, false);
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii() {
                if BYTE_CLASS[b as usize] != ALNUM {
                    break;
                }
                capitals |= b.is_ascii_uppercase();
                i += 1;
            } else {
                let Some(c) = alnum_at(i) else {
                    break;
                };
                ascii = false;
                i += c.len_utf8();
            }
        }
        self.at = i;
        Some(Run {
            range: start..i,
            ascii,
            lower: ascii && !capitals,
        })
    }
}

/// Appends `word` lower-cased to `out`: byte by byte when it is ASCII,
/// otherwise char by char as tantivy's `LowerCaser` does (no final sigma
/// rule).
#[inline]
pub fn push_lowercase(word: &str, ascii: bool, out: &mut String) {
    if ascii {
        let from = out.len();
        out.push_str(word);
        out[from..].make_ascii_lowercase();
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Where the run starting at `i` ends: the first character at or after `i`
/// for which `keep(char::is_whitespace)` is false (or the end of `text`).
/// Only bytes that may begin a non-ASCII white space character are decoded.
#[inline(always)]
fn run_end(text: &str, mut i: usize, keep: impl Fn(bool) -> bool) -> usize {
    let bytes = text.as_bytes();
    while i < bytes.len() {
        let (space, width) = match BYTE_CLASS[bytes[i] as usize] {
            SPACE => (true, 1),
            MAY_BE_SPACE => {
                let c = text[i..].chars().next().unwrap_or_default();
                (c.is_whitespace(), c.len_utf8())
            }
            _ => (false, 1),
        };
        if !keep(space) {
            break;
        }
        i += width;
    }
    i
}

/// Byte classes for scanning UTF-8 text without decoding most of it.
const OTHER: u8 = 0;
/// ASCII white space (`char::is_whitespace`).
const SPACE: u8 = 1;
/// ASCII letter or digit.
const ALNUM: u8 = 2;
/// A lead byte of some non-ASCII white space (U+0085, U+00A0, U+1680,
/// U+2000..U+205F, U+3000).
const MAY_BE_SPACE: u8 = 3;
/// Any other non-ASCII byte.
const NON_ASCII: u8 = 4;

const BYTE_CLASS: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b' ' | b'\t'..=b'\r' => SPACE,
            b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => ALNUM,
            _ => OTHER,
        };
        b += 1;
    }
    t[0xC2] = MAY_BE_SPACE;
    t[0xE1] = MAY_BE_SPACE;
    t[0xE2] = MAY_BE_SPACE;
    t[0xE3] = MAY_BE_SPACE;
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_of_split_whitespace() {
        let texts = [
            "",
            " \t\n",
            "Oil",
            "  Oil\x0brose.\r\n\n Gold\u{a0}fell\u{2003}—\u{3000}again\u{1c}x\u{85}y\u{1680}z\u{205f}é ",
            "Zelenskyy’s “peace plan” — 2,000 tonnes",
        ];
        for text in texts {
            let found: Vec<&str> = words(text).map(|r| &text[r]).collect();
            assert_eq!(
                found,
                text.split_whitespace().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }
}
