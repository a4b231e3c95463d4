//! What the index already holds, read back from its own fast fields: each
//! article's id, content hash, file hash and duplicate prints. Because this
//! manifest lives in the index, it is committed atomically with the articles
//! it describes, and an interrupted run leaves the two consistent.

use std::collections::HashMap;

use tantivy::columnar::Column;
use tantivy::Index;

use super::dedup::{Deduper, Print};
use super::schema::{
    ARTICLE_HASH, ARTICLE_KEY, BODY_HASH, DUP_GROUP, FILE_HASH, ID, ORDINAL, SIMHASH, WORDS,
};
use crate::error::Result;

/// One indexed article.
#[derive(Debug, Clone, Copy)]
pub struct Known {
    pub article_hash: u64,
}

/// The indexed articles by id, and by the file that holds them.
#[derive(Debug, Default)]
pub struct Manifest {
    pub articles: HashMap<String, Known>,
    /// Relative path → (a file hash seen for it, the ids of its articles).
    pub files: HashMap<String, (u64, Vec<String>)>,
}

/// The file an article id came from: the id itself, or the part before
/// `#LINE` for a line of a .jsonl file.
pub fn file_of(id: &str) -> &str {
    match id.rsplit_once('#') {
        Some((path, line)) if line.bytes().all(|b| b.is_ascii_digit()) && is_lines_path(path) => {
            path
        }
        _ => id,
    }
}

fn is_lines_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".jsonl") || lower.ends_with(".ndjson")
}

/// Reads the manifest, and registers every article's prints with `dedup`.
pub fn load(index: &Index, dedup: &mut Deduper) -> Result<Manifest> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let mut manifest = Manifest::default();
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let Some(ids) = ff.str(ID)? else { continue };
        let u64s = |name: &str| ff.u64(name);
        let ordinal: Column<u64> = u64s(ORDINAL)?;
        let [file_hash, article_hash, key, body_hash, simhash, words, group] = [
            FILE_HASH,
            ARTICLE_HASH,
            ARTICLE_KEY,
            BODY_HASH,
            SIMHASH,
            WORDS,
            DUP_GROUP,
        ]
        .map(u64s);
        let (file_hash, article_hash, key, body_hash, simhash, words, group) = (
            file_hash?,
            article_hash?,
            key?,
            body_hash?,
            simhash?,
            words?,
            group?,
        );
        // Reading the dictionary in order once is far cheaper than a lookup
        // (a block decompression) per document.
        let mut names: Vec<String> = Vec::new();
        let mut terms = ids
            .dictionary()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            names.push(String::from_utf8_lossy(terms.key()).into_owned());
        }
        for doc in segment.doc_ids_alive() {
            if ordinal.first(doc) != Some(0) {
                continue;
            }
            let Some(id) = ids
                .term_ords(doc)
                .next()
                .and_then(|ord| names.get(ord as usize))
            else {
                continue;
            };
            let get = |c: &Column<u64>| c.first(doc).unwrap_or_default();
            manifest.articles.insert(
                id.clone(),
                Known {
                    article_hash: get(&article_hash),
                },
            );
            let file = manifest
                .files
                .entry(file_of(id).to_string())
                .or_insert((get(&file_hash), Vec::new()));
            file.1.push(id.clone());
            let print = Print {
                key: get(&key),
                body_hash: get(&body_hash),
                simhash: get(&simhash),
                words: get(&words) as usize,
            };
            dedup.insert(print, get(&group));
        }
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_of_strips_line_numbers_of_jsonl_only() {
        assert_eq!(file_of("r/a.jsonl#12"), "r/a.jsonl");
        assert_eq!(file_of("notes#1.txt"), "notes#1.txt");
        assert_eq!(file_of("odd#3"), "odd#3");
    }
}
