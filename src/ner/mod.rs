//! Named-entity tagger for news text (PER / LOC / ORG / MISC). This file owns the public API:
//! `Kind`, `Label`, `Mention`, `Tagger` (load from bytes, embedded model, tag raw text or
//! pre-tokenised sentences/documents, serialise) and the `train` entry point. The model is a
//! greedy averaged perceptron over hashed features with a second pass that uses the first pass's
//! labels of the same word elsewhere in the document (see `features`, `model`, `train`).

pub mod clusters;
pub mod eval;
pub mod features;
pub mod gazetteer;
pub mod model;
pub mod table;
pub mod tokenize;
pub mod train;

use features::DocBuf;
use model::{decode_doc, Model, Scratch};
use std::path::Path;
use std::sync::OnceLock;

pub use tokenize::{sentences, tokenize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Person,
    Place,
    Org,
    Misc,
}

impl Kind {
    fn from_type(t: u8) -> Kind {
        match t {
            0 => Kind::Person,
            1 => Kind::Place,
            2 => Kind::Org,
            _ => Kind::Misc,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "PER",
            Kind::Place => "LOC",
            Kind::Org => "ORG",
            Kind::Misc => "MISC",
        }
    }
}

/// BIO label of one token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Label {
    O,
    B(Kind),
    I(Kind),
}

impl Label {
    /// From an internal tag id (0 O, 1 B-PER, 2 I-PER, 3 B-LOC, ... 8 I-MISC).
    pub fn from_tag_id(t: u8) -> Label {
        Label::from_id(t)
    }

    fn from_id(t: u8) -> Label {
        match features::tag_type(t) {
            None => Label::O,
            Some(ty) if t % 2 == 1 => Label::B(Kind::from_type(ty)),
            Some(ty) => Label::I(Kind::from_type(ty)),
        }
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Label::O => write!(f, "O"),
            Label::B(k) => write!(f, "B-{}", k.as_str()),
            Label::I(k) => write!(f, "I-{}", k.as_str()),
        }
    }
}

/// An entity mention: byte offsets into the input text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

pub struct Tagger {
    model: Model,
}

/// Bytes aligned for the model's tables, which are used where they lie.
#[repr(C, align(8))]
struct Aligned<B: ?Sized>(B);

static EMBEDDED_ALIGNED: &Aligned<[u8]> = &Aligned(*include_bytes!("../../models/ner.bin"));
static EMBEDDED_BYTES: &[u8] = &EMBEDDED_ALIGNED.0;
static EMBEDDED: OnceLock<Result<Tagger, String>> = OnceLock::new();
/// The environment variable naming a model file to use instead of the embedded one.
const MODEL_VAR: &str = "NEWSDEX_NER_MODEL";

impl Tagger {
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, String> {
        Ok(Tagger {
            model: Model::from_bytes(bytes)?,
        })
    }

    /// A tagger whose model's tables stay in `bytes` (which outlive it) rather than being copied.
    pub fn from_static(bytes: &'static [u8]) -> Result<Tagger, String> {
        Ok(Tagger {
            model: Model::from_static(bytes)?,
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.model.to_bytes()
    }

    /// Whether the model comes from a file named by `NEWSDEX_NER_MODEL` rather than the binary.
    pub fn from_file() -> bool {
        std::env::var_os(MODEL_VAR).is_some()
    }

    /// The model compiled into the binary, or the reason it could not be loaded. A model file
    /// named by `NEWSDEX_NER_MODEL` takes its place: a retrained model can then be tried
    /// (`scripts/ner-cv.py`) without building newsdex again.
    pub fn try_embedded() -> Result<&'static Tagger, String> {
        let loaded = EMBEDDED.get_or_init(|| match std::env::var_os(MODEL_VAR) {
            Some(path) => {
                let path = Path::new(&path);
                // read once for the whole run: its tables are used where they lie
                std::fs::read(path)
                    .map_err(|e| e.to_string())
                    .and_then(|b| Tagger::from_static(Vec::leak(b)))
                    .map_err(|e| format!("NER model {} ({MODEL_VAR}): {e}", path.display()))
            }
            None => {
                Tagger::from_static(EMBEDDED_BYTES).map_err(|e| format!("embedded NER model: {e}"))
            }
        });
        loaded.as_ref().map_err(Clone::clone)
    }

    /// The model compiled into the binary. Panics only if the shipped model file is corrupt
    /// (a build defect caught by the crate's tests); use `try_embedded` to handle that case.
    pub fn embedded() -> &'static Tagger {
        match Tagger::try_embedded() {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Tag raw article text. Splits into sentences and tokens itself; the whole text is one
    /// document for the document-memory features.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        with_buffers(|b| {
            tokenize::tokenize_into(text, &mut b.spans);
            tokenize::sentences_into(text, &b.spans, &mut b.sents);
            for &(s, e) in &b.sents {
                b.doc
                    .push_sentence(b.spans[s..e].iter().map(|&(x, y)| &text[x..y]));
            }
            self.decode(b);
            features::first_names_join_persons(&b.doc, &mut b.scratch.labels);
            features::join_adjacent_spans(&b.doc, &mut b.scratch.labels);
            features::head_nouns_retype_persons(&b.doc, &mut b.scratch.labels);
            eval::spans(&b.scratch.labels)
                .into_iter()
                .map(|(s, e, ty)| Mention {
                    start: b.spans[s].0,
                    end: b.spans[e - 1].1,
                    kind: Kind::from_type(ty),
                })
                .collect()
        })
    }

    /// Tag one pre-tokenised sentence; returns a BIO label per token.
    pub fn tag_tokens(&self, tokens: &[&str]) -> Vec<Label> {
        self.tag_document(&[tokens]).pop().unwrap_or_default()
    }

    /// Tag a pre-tokenised document (sentences of tokens); document memory spans all of them.
    pub fn tag_document(&self, sents: &[&[&str]]) -> Vec<Vec<Label>> {
        with_buffers(|b| {
            for s in sents {
                b.doc.push_sentence(s.iter().copied());
            }
            self.decode(b);
            b.doc
                .sents
                .iter()
                .map(|&(s, e)| {
                    b.scratch.labels[s..e]
                        .iter()
                        .map(|&t| Label::from_id(t))
                        .collect()
                })
                .collect()
        })
    }

    /// Labels the document pushed into `b.doc` (into `b.scratch.labels`).
    fn decode(&self, b: &mut Buffers) {
        b.doc
            .finish_for_decoding(&self.model.gaz, &self.model.clusters);
        decode_doc(&self.model, &mut b.doc, &mut b.scratch);
    }
}

/// A thread's buffers, kept from one text to the next for their memory.
#[derive(Default)]
struct Buffers {
    doc: DocBuf,
    scratch: Scratch,
    /// Token byte spans of the text being tagged.
    spans: Vec<(usize, usize)>,
    /// Its sentences, as ranges of `spans`.
    sents: Vec<(usize, usize)>,
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::new(Buffers::default());
}

/// Run `f` with this thread's reusable buffers, the document buffer cleared.
fn with_buffers<R>(f: impl FnOnce(&mut Buffers) -> R) -> R {
    BUFFERS.with(|b| match b.try_borrow_mut() {
        Ok(mut g) => {
            g.doc.clear();
            f(&mut g)
        }
        // re-entrant use (not expected): fall back to fresh buffers
        Err(_) => f(&mut Buffers::default()),
    })
}

/// Train a tagger on a CoNLL-2003 file with default options. Word classes come from the crate's
/// `models/clusters.bin` if present, else from the embedded model (they are stored in it).
pub fn train(conll_train: &Path, epochs: usize, seed: u64) -> Result<Tagger, String> {
    let docs = train::read_conll(conll_train)?;
    let clusters =
        match std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("models/clusters.bin")) {
            Ok(b) => Some(clusters::Clusters::from_file_bytes(&b)?),
            Err(_) => Tagger::try_embedded()
                .ok()
                .map(|t| t.model.clusters.clone())
                .filter(|c| !c.is_empty()),
        };
    let opts = train::TrainOpts {
        epochs,
        epochs2: epochs,
        seed,
        clusters,
        ..Default::default()
    };
    Ok(Tagger {
        model: train::train_model(&docs, &opts, None)?,
    })
}

impl Tagger {
    pub fn from_model(model: Model) -> Tagger {
        Tagger { model }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_model_loads_and_tags() {
        let t = Tagger::try_embedded();
        if EMBEDDED_BYTES.is_empty() {
            assert!(t.is_err());
            return;
        }
        let t = t.expect("embedded model");
        let text =
            "U.S. Special Envoy Steve Witkoff met Russian President Vladimir Putin in Moscow.";
        let m = t.mentions(text);
        assert!(m
            .iter()
            .any(|m| &text[m.start..m.end] == "Vladimir Putin" && m.kind == Kind::Person));
        assert!(m
            .iter()
            .any(|m| &text[m.start..m.end] == "Moscow" && m.kind == Kind::Place));
    }

    #[test]
    fn what_a_thread_tagged_before_changes_nothing() {
        let Ok(t) = Tagger::try_embedded() else {
            return;
        };
        let spans = |text: &str| -> Vec<(String, Kind)> {
            t.mentions(text)
                .into_iter()
                .map(|m| (text[m.start..m.end].to_string(), m.kind))
                .collect()
        };
        let earlier = "Kremlin aide Yuri Ushakov said Steve Witkoff and Jared Kushner met \
                       Vladimir Putin. WITKOFF SEES PROGRESS IN MOSCOW TALKS.";
        let later = "Witkoff flew to Miami, where Rustem Umerov and Marco Rubio joined \
                     Witkoff and Kushner for talks on Ukraine.";
        // A fresh thread has remembered no words yet: neither their scores
        // nor what the gazetteer and the word classes say of them.
        let fresh = std::thread::scope(|s| s.spawn(|| spans(later)).join().unwrap());
        spans(earlier);
        assert_eq!(spans(later), fresh);
        assert!(fresh.contains(&("Marco Rubio".to_string(), Kind::Person)));
    }

    #[test]
    fn odd_text_does_not_panic() {
        let t = match Tagger::try_embedded() {
            Ok(t) => t,
            Err(_) => return,
        };
        let cases = [
            "",
            " ",
            "\n\n",
            "'",
            "\u{2019}s",
            "n't",
            "...",
            "\u{2026}",
            "U.S..",
            "Mr.",
            "A.",
            "\u{201C}\u{201D}",
            "(((",
            "caf\u{e9} \u{1F600} \u{0301}x Stra\u{df}e \u{130}stanbul",
            "WORD\u{2014}Word\u{2013}word -- 19-point $5 5% 'Tis O'Neil's rock'n'roll",
            "\u{4e2d}\u{6587} \u{41c}\u{43e}\u{441}\u{43a}\u{432}\u{430} \u{645}\u{635}\u{631}",
        ];
        for c in cases {
            for m in t.mentions(c) {
                assert!(
                    m.start < m.end
                        && m.end <= c.len()
                        && c.is_char_boundary(m.start)
                        && c.is_char_boundary(m.end)
                );
            }
            let toks: Vec<&str> = c.split_whitespace().collect();
            assert_eq!(t.tag_tokens(&toks).len(), toks.len());
        }
        assert!(t.tag_tokens(&[]).is_empty());
    }

    #[test]
    fn roundtrip_bytes() {
        if let Ok(t) = Tagger::try_embedded() {
            let b = t.to_bytes();
            assert_eq!(b, EMBEDDED_BYTES);
        }
        assert!(Tagger::from_bytes(b"garbage").is_err());
        assert!(Tagger::from_bytes(&[]).is_err());
    }
}
