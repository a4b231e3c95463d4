//! Entity extraction speed, on one core: the tagger's tokens per second and
//! `extract`'s articles per second over the BBC corpus, each beside a trivial
//! baseline (a whitespace tokeniser over the same text) timed in the same run,
//! so the ratio holds on a noisy machine.
//!
//! Run: `cargo bench --bench ner` (needs ../shared/corpora/bbc).

use std::path::Path;
use std::time::Instant;

use newsdex::extract;
use newsdex::ner::{tokenize, Tagger};

const REPS: usize = 5;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    xs[xs.len() / 2]
}

/// Median seconds of `REPS` runs of `f`.
fn time(mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut out = 0;
    let secs = (0..REPS)
        .map(|_| {
            let t = Instant::now();
            out = std::hint::black_box(f());
            t.elapsed().as_secs_f64()
        })
        .collect();
    (median(secs), out)
}

fn bbc_texts(root: &Path) -> Vec<String> {
    let mut paths: Vec<_> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| e.into_path())
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .collect()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/bbc");
    if !root.is_dir() {
        eprintln!(
            "ner bench: {} not found; nothing to measure",
            root.display()
        );
        return;
    }
    let texts = bbc_texts(&root);
    let tagger = Tagger::embedded();
    let (base_s, words) = time(|| texts.iter().map(|t| t.split_whitespace().count()).sum());
    let (tok_s, tokens) = time(|| texts.iter().map(|t| tokenize(t).len()).sum());
    let (tag_s, mentions) = time(|| texts.iter().map(|t| tagger.mentions(t).len()).sum());
    let (ext_s, names) = time(|| {
        texts
            .iter()
            .map(|t| {
                let e = extract::entities(t);
                e.persons.len() + e.places.len() + e.orgs.len()
            })
            .sum()
    });
    let mb = texts.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    println!(
        "BBC: {} articles, {mb:.1} MB, {words} whitespace words, {tokens} tagger tokens",
        texts.len()
    );
    println!("| step | median s | tokens/s | articles/s | vs whitespace split |");
    println!("|---|---|---|---|---|");
    for (name, secs) in [
        ("whitespace split (baseline)", base_s),
        ("tagger tokeniser", tok_s),
        ("tagger (tokenise + 2-pass tag)", tag_s),
        ("extract (tag + canonicalise)", ext_s),
    ] {
        println!(
            "| {name} | {secs:.3} | {:.0} | {:.0} | {:.1}x |",
            tokens as f64 / secs,
            texts.len() as f64 / secs,
            secs / base_s
        );
    }
    println!("({mentions} mentions, {names} canonical names)");
}
