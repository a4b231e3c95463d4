//! The `en_stem` analyzer in one pass, with a memory: the tokens of
//! tantivy's built-in `en_stem` (its simple tokenizer, long-word filter,
//! lower-casing and Snowball stemmer), found by one scan over the bytes that
//! decodes only non-ASCII characters, with each word's stem kept once
//! computed. News repeats its words, so most tokens are stemmed by a lookup;
//! the tokens, and so the index, are the same as tantivy's.

use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use tantivy::Index;
use xxhash_rust::xxh3::xxh3_64;

use super::schema::TEXT_TOKENIZER;
use crate::words::{push_lowercase, AlnumRuns};

/// Words remembered per analyzer before the memory starts again.
const REMEMBERED: usize = 1 << 16;

/// Tokens of this many bytes or more are dropped, as tantivy's
/// `RemoveLongFilter::limit(40)` in `en_stem` drops them.
const LONG: usize = 40;

/// Registers the one-pass `en_stem` with `index`, for writing and for
/// searching alike.
pub fn register(index: &Index) {
    index
        .tokenizers()
        .register(TEXT_TOKENIZER, TextAnalyzer::from(StemmedWords::default()));
}

/// Splits text into runs of alphanumeric characters, drops the long ones,
/// lower-cases and stems the rest, as tantivy's `en_stem` does.
#[derive(Clone, Default)]
pub struct StemmedWords {
    token: Token,
    stems: Stems,
}

impl Tokenizer for StemmedWords {
    type TokenStream<'a> = StemmedWordsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> StemmedWordsStream<'a> {
        self.token.reset();
        StemmedWordsStream {
            text,
            runs: AlnumRuns::new(text),
            token: &mut self.token,
            stems: &mut self.stems,
        }
    }
}

pub struct StemmedWordsStream<'a> {
    text: &'a str,
    runs: AlnumRuns<'a>,
    token: &'a mut Token,
    stems: &'a mut Stems,
}

impl TokenStream for StemmedWordsStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            self.token.text.clear();
            self.token.position = self.token.position.wrapping_add(1);
            let Some(run) = self.runs.next() else {
                return false;
            };
            if run.range.len() >= LONG {
                // dropped, but it keeps its position
                continue;
            }
            self.token.offset_from = run.range.start;
            self.token.offset_to = run.range.end;
            push_lowercase(&self.text[run.range], run.ascii, &mut self.token.text);
            self.stems.stem(&mut self.token.text);
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Words and their stems, and tantivy's stemmer for the words not yet met.
/// The pairs lie in one byte arena (key length, stem length, key, stem),
/// found through an open-addressing table of (hash tag, arena offset + 1)
/// slots: a lookup touches one slot and one arena entry. The table is
/// allocated at the first word, so the analyzer clone that parses each query
/// costs nothing.
#[derive(Clone)]
struct Stems {
    slots: Vec<(u32, u32)>,
    arena: Vec<u8>,
    len: usize,
    stemmer: TextAnalyzer,
}

/// Table slots: twice the words remembered, so probes stay short.
const SLOTS: usize = 2 * REMEMBERED;

impl Default for Stems {
    fn default() -> Stems {
        Stems {
            slots: Vec::new(),
            arena: Vec::new(),
            len: 0,
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }
}

impl Stems {
    /// Replaces `word` (already lower-cased and split by the tokenizer) by
    /// its stem.
    fn stem(&mut self, word: &mut String) {
        if self.slots.is_empty() {
            self.slots = vec![(0, 0); SLOTS];
        }
        let h = xxh3_64(word.as_bytes());
        let tag = (h >> 32) as u32;
        let mut slot = h as usize & (SLOTS - 1);
        while let (t, at @ 1..) = self.slots[slot] {
            if t == tag {
                let at = at as usize - 1;
                let (klen, slen) = (self.arena[at] as usize, self.arena[at + 1] as usize);
                let key = &self.arena[at + 2..at + 2 + klen];
                if key == word.as_bytes() {
                    let stem = &self.arena[at + 2 + klen..at + 2 + klen + slen];
                    if stem != key {
                        word.clear();
                        word.push_str(std::str::from_utf8(stem).unwrap_or_default());
                    }
                    return;
                }
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        let stem = {
            let mut stream = self.stemmer.token_stream(word);
            if !stream.advance() {
                return;
            }
            std::mem::take(&mut stream.token_mut().text)
        };
        if word.len() <= usize::from(u8::MAX) && stem.len() <= usize::from(u8::MAX) {
            if self.len >= REMEMBERED {
                self.slots.fill((0, 0));
                self.arena.clear();
                self.len = 0;
                slot = h as usize & (SLOTS - 1);
            }
            if let Ok(at) = u32::try_from(self.arena.len() + 1) {
                self.arena
                    .extend_from_slice(&[word.len() as u8, stem.len() as u8]);
                self.arena.extend_from_slice(word.as_bytes());
                self.arena.extend_from_slice(stem.as_bytes());
                self.slots[slot] = (tag, at);
                self.len += 1;
            }
        }
        *word = stem;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::Schema;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    /// The same tokens, offsets and positions as tantivy's `en_stem`, on a
    /// text that repeats words (so the second time they come from memory),
    /// with non-ASCII words, a dropped long word and a final sigma.
    #[test]
    fn tokens_are_tantivys() {
        let text = "Running runners ran; the Runner's RUNS were running-mates' runs. \
                    Naïve café owners said prices rose, and prices rise. \
                    Supercalifragilisticexpialidociousnessnessnessness is dropped. \
                    ΟΔΥΣΣΕΥΣ İstanbul Straße x² ½ 2,000 ٣ tonnes—Zelenskyy’s";
        let twice = format!("{text} {text}");
        let mut ours = TextAnalyzer::from(StemmedWords::default());
        let index = Index::create_in_ram(Schema::builder().build());
        let mut theirs = index.tokenizers().get(TEXT_TOKENIZER).unwrap();
        assert_eq!(tokens(&mut ours, &twice), tokens(&mut theirs, &twice));
        assert!(tokens(&mut ours, text).iter().any(|t| t.0 == "run"));
    }

    /// Past `REMEMBERED` words the memory starts afresh, and stems stay right.
    #[test]
    fn more_words_than_remembered() {
        let word = |n: usize| {
            let (mut w, mut rest) = (String::from("q"), n);
            while rest > 0 {
                w.push(char::from(b'a' + (rest % 26) as u8));
                rest /= 26;
            }
            w + ["ing", "ed", "s", "ly"][n % 4]
        };
        let text: Vec<String> = (0..REMEMBERED + 5000)
            .map(|n| word(n * 7 + n % 4))
            .collect();
        let text = format!("{0} {0}", text.join(" "));
        let mut ours = TextAnalyzer::from(StemmedWords::default());
        let index = Index::create_in_ram(Schema::builder().build());
        let mut theirs = index.tokenizers().get(TEXT_TOKENIZER).unwrap();
        assert_eq!(tokens(&mut ours, &text), tokens(&mut theirs, &text));
    }
}
