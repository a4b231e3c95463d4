//! Induces the NER word classes (models/clusters.bin) from unlabelled news text: `clusters OUT.bin [--classes N (fine, <= 512)]
//! [--coarse N (<= 64)] [--iters N] [--min-count N]`. Reads Reuters-21578 (title + body of the
//! JSON Lines files), the BBC news articles and the CoNLL-2003 training tokens (never the
//! dev/test text) from ../shared/corpora (or $NEWSDEX_SHARED). Deterministic.

use newsdex::ner::{clusters::Clusters, features::DocBuf, sentences, tokenize};
use std::path::Path;

fn main() {
    if let Err(e) = run() {
        eprintln!("clusters: {e}");
        std::process::exit(1);
    }
}

/// Decode the JSON string value of `"field": "..."` in one JSON line (std only).
fn json_field(line: &str, field: &str) -> Option<String> {
    let pat = format!("\"{field}\": \"");
    let start = line.find(&pat)? + pat.len();
    let mut out = String::new();
    let mut it = line[start..].chars();
    while let Some(c) = it.next() {
        match c {
            '"' => return Some(out),
            '\\' => match it.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'u' => {
                    let h: String = it.by_ref().take(4).collect();
                    let v = u32::from_str_radix(&h, 16).ok()?;
                    out.push(char::from_u32(v).unwrap_or(' '));
                }
                o => out.push(o),
            },
            c => out.push(c),
        }
    }
    None
}

fn add_text(text: &str, d: &mut DocBuf, out: &mut Vec<Vec<u64>>) {
    let spans = tokenize(text);
    d.clear();
    for (a, b) in sentences(text, &spans) {
        d.push_sentence(spans[a..b].iter().map(|&(x, y)| &text[x..y]));
    }
    for &(s, e) in &d.sents {
        out.push(d.toks[s..e].iter().map(|t| t.h_lower).collect());
    }
}

fn sorted_files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    for p in v {
        if p.is_dir() {
            sorted_files(&p, ext, out)?;
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out_path = None;
    let (mut classes, mut iters, mut min_count) = (512usize, 6usize, 3u32);
    let mut coarse_classes = 64usize;
    let mut i = 0;
    while i < args.len() {
        let val = || args.get(i + 1).ok_or(format!("{} needs a value", args[i]));
        match args[i].as_str() {
            "--classes" => {
                classes = val()?.parse().map_err(|e| format!("--classes: {e}"))?;
                i += 1;
            }
            "--coarse" => {
                coarse_classes = val()?.parse().map_err(|e| format!("--coarse: {e}"))?;
                i += 1;
            }
            "--iters" => {
                iters = val()?.parse().map_err(|e| format!("--iters: {e}"))?;
                i += 1;
            }
            "--min-count" => {
                min_count = val()?.parse().map_err(|e| format!("--min-count: {e}"))?;
                i += 1;
            }
            a => out_path = Some(a.to_string()),
        }
        i += 1;
    }
    let out_path =
        out_path.ok_or("usage: clusters OUT.bin [--classes N] [--iters N] [--min-count N]")?;
    let root_dir =
        std::env::var("NEWSDEX_SHARED").unwrap_or_else(|_| "../shared/corpora".to_string());
    let root = Path::new(&root_dir);
    let mut sents: Vec<Vec<u64>> = Vec::new();
    let mut d = DocBuf::new();
    let mut files = Vec::new();
    sorted_files(&root.join("reuters21578"), "jsonl", &mut files)?;
    for f in &files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        for line in text.lines() {
            if let Some(t) = json_field(line, "title") {
                add_text(&t, &mut d, &mut sents);
            }
            if let Some(b) = json_field(line, "body") {
                add_text(&b, &mut d, &mut sents);
            }
        }
    }
    let mut files = Vec::new();
    sorted_files(&root.join("bbc"), "txt", &mut files)?;
    for f in &files {
        let bytes = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
        add_text(&String::from_utf8_lossy(&bytes), &mut d, &mut sents);
    }
    let train = newsdex::ner::train::read_conll(&root.join("conll2003/eng.train"))?;
    for doc in &train {
        for s in &doc.sents {
            d.clear();
            d.push_sentence(s.tokens.iter().map(|t| t.as_str()));
            sents.push(d.toks.iter().map(|t| t.h_lower).collect());
        }
    }
    let ntok: usize = sents.iter().map(|s| s.len()).sum();
    eprintln!("clusters: {} sentences, {} tokens", sents.len(), ntok);
    let t0 = std::time::Instant::now();
    let fine = Clusters::induce(&sents, classes.min(512), min_count, iters, true);
    let coarse = Clusters::induce(&sents, coarse_classes.min(64), min_count, iters, true);
    let c = Clusters::combine(&fine, &coarse);
    let b = c.to_file_bytes();
    std::fs::write(&out_path, &b).map_err(|e| format!("{out_path}: {e}"))?;
    eprintln!(
        "clusters: wrote {} words in {} classes to {} ({} bytes, {:.1}s)",
        c.len(),
        classes,
        out_path,
        b.len(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
