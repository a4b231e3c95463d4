//! Walking a folder of articles. `Ingest` is a streaming iterator: it yields
//! one article (or one reason an article was skipped) at a time, so a corpus
//! far larger than memory flows through without being loaded whole. Files come
//! in sorted order, so ids and output never depend on the file system.

mod decode;
mod json;
mod text;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use crate::article::Article;
pub use decode::{decode, Decoded};

/// An article that could not be read, and why. It is reported and skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file relative to the indexed folder, with `:LINE` for a .jsonl line.
    pub location: String,
    pub reason: String,
}

/// What ingest yields for each article it meets.
#[derive(Debug)]
pub enum Item {
    Article(Article),
    /// The article was read, but its bytes were not UTF-8 and were decoded as
    /// Windows-1252. Counted in the run summary.
    Decoded(Article),
    Skipped(Skipped),
}

/// The kinds of file newsdex reads, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    JsonLines,
}

impl Format {
    fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "md" => Some(Format::Text),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }
}

/// File stems (or their beginnings, as in `README-lewis-1997`) that describe
/// a corpus rather than hold an article.
const NOT_ARTICLES: &[&str] = &[
    "readme",
    "license",
    "licence",
    "source",
    "changelog",
    "notice",
];

fn is_corpus_doc(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| s.to_str())
        .map(str::to_ascii_lowercase)
        .is_some_and(|s| NOT_ARTICLES.iter().any(|n| s.starts_with(n)))
}

/// The open .jsonl file ingest is part-way through.
struct Lines {
    reader: BufReader<File>,
    rel: String,
    line_no: usize,
}

/// Streams the articles below a folder, in sorted path order.
pub struct Ingest {
    root: PathBuf,
    walker: walkdir::IntoIter,
    lines: Option<Lines>,
}

impl Ingest {
    /// Starts walking `root`. Hidden files and folders (such as an index kept
    /// inside the corpus folder) are passed over.
    pub fn new(root: &Path) -> Ingest {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        Ingest {
            root: root.to_path_buf(),
            walker,
            lines: None,
        }
    }

    fn relative(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        rel.to_string_lossy().replace('\\', "/")
    }

    fn next_line(&mut self) -> Option<Item> {
        let lines = self.lines.as_mut()?;
        loop {
            let mut buf = Vec::new();
            match lines.reader.read_until(b'\n', &mut buf) {
                Ok(0) => {
                    self.lines = None;
                    return None;
                }
                Ok(_) => {
                    lines.line_no += 1;
                    if buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(json::read_line(&lines.rel, lines.line_no, &buf));
                }
                Err(err) => {
                    let location = format!("{}:{}", lines.rel, lines.line_no + 1);
                    self.lines = None;
                    return Some(Item::Skipped(Skipped {
                        location,
                        reason: format!("unreadable: {err}"),
                    }));
                }
            }
        }
    }

    fn open(&mut self, path: &Path, format: Format) -> Option<Item> {
        let rel = self.relative(path);
        let skipped = |reason: String| {
            Some(Item::Skipped(Skipped {
                location: rel.clone(),
                reason,
            }))
        };
        if format == Format::JsonLines {
            match File::open(path) {
                Ok(file) => {
                    self.lines = Some(Lines {
                        reader: BufReader::new(file),
                        rel,
                        line_no: 0,
                    });
                    return None;
                }
                Err(err) => return skipped(format!("unreadable: {err}")),
            }
        }
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) => return skipped(format!("unreadable: {err}")),
        };
        Some(match format {
            Format::Text => text::read(&rel, &bytes),
            Format::Json => json::read_file(&rel, &bytes),
            Format::JsonLines => unreachable!("handled above"),
        })
    }
}

impl Iterator for Ingest {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if self.lines.is_some() {
                if let Some(item) = self.next_line() {
                    return Some(item);
                }
                continue;
            }
            let entry = match self.walker.next()? {
                Ok(entry) => entry,
                Err(err) => {
                    let location = err
                        .path()
                        .map(|p| self.relative(p))
                        .unwrap_or_else(|| self.root.display().to_string());
                    return Some(Item::Skipped(Skipped {
                        location,
                        reason: format!("unreadable: {err}"),
                    }));
                }
            };
            let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
            if hidden {
                if entry.file_type().is_dir() {
                    self.walker.skip_current_dir();
                }
                continue;
            }
            if !entry.file_type().is_file() || is_corpus_doc(entry.path()) {
                continue;
            }
            let Some(format) = Format::of(entry.path()) else {
                continue;
            };
            if let Some(item) = self.open(entry.path(), format) {
                return Some(item);
            }
        }
    }
}

/// The id a judged run names an article by when it has no JSON id:
/// its relative path without the extension.
fn path_doc_id(rel: &str) -> String {
    match rel.rfind('.') {
        Some(dot) if !rel[dot..].contains('/') => rel[..dot].to_string(),
        _ => rel.to_string(),
    }
}
