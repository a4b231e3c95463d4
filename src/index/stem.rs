//! The `en_stem` analyzer with a memory: tantivy's own English stemmer
//! (the same tokenizer, long-word filter, lower-casing and Snowball
//! algorithm as tantivy's built-in `en_stem`), with each word's stem kept
//! once computed. News repeats its words, so most tokens are stemmed by a
//! lookup; the tokens, and so the index, are the same as tantivy's.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::Index;

use super::schema::TEXT_TOKENIZER;

/// Words remembered per analyzer before the memory starts again.
const REMEMBERED: usize = 1 << 16;

/// Registers the remembering `en_stem` with `index`, for writing and for
/// searching alike.
pub fn register(index: &Index) {
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(RememberedStems)
        .build();
    index.tokenizers().register(TEXT_TOKENIZER, analyzer);
}

/// Stems English words as tantivy's [`Stemmer`] does, remembering them.
#[derive(Clone, Copy)]
pub struct RememberedStems;

impl TokenFilter for RememberedStems {
    type Tokenizer<T: Tokenizer> = RememberedStemsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> RememberedStemsFilter<T> {
        RememberedStemsFilter {
            inner,
            stems: Stems::default(),
        }
    }
}

#[derive(Clone)]
pub struct RememberedStemsFilter<T> {
    inner: T,
    stems: Stems,
}

impl<T: Tokenizer> Tokenizer for RememberedStemsFilter<T> {
    type TokenStream<'a> = RememberedStemsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberedStemsStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
        }
    }
}

pub struct RememberedStemsStream<'a, T> {
    tail: T,
    stems: &'a mut Stems,
}

impl<T: TokenStream> TokenStream for RememberedStemsStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.stems.stem(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Words and their stems, and tantivy's stemmer for the words not yet met.
#[derive(Clone)]
struct Stems {
    known: FxHashMap<String, String>,
    stemmer: TextAnalyzer,
}

impl Default for Stems {
    fn default() -> Stems {
        Stems {
            known: FxHashMap::default(),
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
        if let Some(stem) = self.known.get(word.as_str()) {
            if stem != word {
                word.clear();
                word.push_str(stem);
            }
            return;
        }
        if self.known.len() >= REMEMBERED {
            self.known.clear();
        }
        let stem = {
            let mut stream = self.stemmer.token_stream(word);
            if !stream.advance() {
                return;
            }
            std::mem::take(&mut stream.token_mut().text)
        };
        self.known
            .insert(std::mem::replace(word, stem.clone()), stem);
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
    /// text that repeats words (so the second time they come from memory).
    #[test]
    fn tokens_are_tantivys() {
        let text = "Running runners ran; the Runner's RUNS were running-mates' runs. \
                    Naïve café owners said prices rose, and prices rise. \
                    Supercalifragilisticexpialidociousnessnessnessness is dropped.";
        let twice = format!("{text} {text}");
        let mut ours = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(RememberedStems)
            .build();
        let index = Index::create_in_ram(Schema::builder().build());
        let mut theirs = index.tokenizers().get(TEXT_TOKENIZER).unwrap();
        assert_eq!(tokens(&mut ours, &twice), tokens(&mut theirs, &twice));
        assert!(tokens(&mut ours, text).iter().any(|t| t.0 == "run"));
    }
}
