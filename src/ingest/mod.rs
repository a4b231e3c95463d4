//! Walking a folder of articles. `Ingest` is a streaming iterator: it yields
//! one article (or one reason an article was skipped) at a time, so a corpus
//! far larger than memory flows through without being loaded whole. Files come
//! in sorted order, so ids and output never depend on the file system.

mod decode;
pub mod html;
mod json;
mod page;
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
    Html,
}

impl Format {
    fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "md" => Some(Format::Text),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "html" | "htm" => Some(Format::Html),
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

/// The largest article file (or .jsonl line) read unless told otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// A file of articles found by the walk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The path relative to the walked folder, with `/` separators.
    pub rel: String,
    format: Format,
    max_size: u64,
}

/// What the walk finds.
#[derive(Debug)]
pub enum Found {
    File(SourceFile),
    Skipped(Skipped),
    /// A file of a kind newsdex does not read (its relative path).
    Ignored(String),
}

/// Streams the article files below a folder, in sorted path order. Hidden
/// files and folders (such as an index kept inside the corpus folder),
/// corpus notes and files of other kinds are passed over.
pub struct Files {
    root: PathBuf,
    walker: walkdir::IntoIter,
    max_size: u64,
}

impl Files {
    pub fn new(root: &Path) -> Files {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        Files {
            root: root.to_path_buf(),
            walker,
            max_size: DEFAULT_MAX_FILE_SIZE,
        }
    }

    /// Skips article files (and .jsonl lines) larger than `bytes`.
    pub fn max_file_size(mut self, bytes: u64) -> Files {
        self.max_size = bytes;
        self
    }

    fn relative(&self, path: &Path) -> String {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        rel.to_string_lossy().replace('\\', "/")
    }
}

/// A plain reason for a failed walk step.
fn walk_reason(err: &walkdir::Error) -> String {
    if err.loop_ancestor().is_some() {
        return "symlink loop".to_string();
    }
    match err.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
            "broken symlink or vanished file".to_string()
        }
        Some(io) => format!("unreadable: {io}"),
        None => format!("unreadable: {err}"),
    }
}

impl Iterator for Files {
    type Item = Found;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let entry = match self.walker.next()? {
                Ok(entry) => entry,
                Err(err) => {
                    let location = err
                        .path()
                        .map(|p| self.relative(p))
                        .unwrap_or_else(|| self.root.display().to_string());
                    return Some(Found::Skipped(Skipped {
                        location,
                        reason: walk_reason(&err),
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
                return Some(Found::Ignored(self.relative(entry.path())));
            };
            return Some(Found::File(SourceFile {
                rel: self.relative(entry.path()),
                path: entry.into_path(),
                format,
                max_size: self.max_size,
            }));
        }
    }
}

impl SourceFile {
    /// A single named file, if newsdex reads its kind; `rel` is the path as given.
    pub fn from_path(path: &Path) -> Option<SourceFile> {
        Some(SourceFile {
            format: Format::of(path)?,
            rel: path.to_string_lossy().replace('\\', "/"),
            path: path.to_path_buf(),
            max_size: DEFAULT_MAX_FILE_SIZE,
        })
    }

    /// Whether this file holds one article per line.
    pub fn is_lines(&self) -> bool {
        self.format == Format::JsonLines
    }

    /// The articles in this file, read lazily (a .jsonl file line by line).
    pub fn articles(&self) -> Articles {
        let skipped = |reason: String| {
            Articles::One(Some(Item::Skipped(Skipped {
                location: self.rel.clone(),
                reason,
            })))
        };
        if self.format == Format::JsonLines {
            return match File::open(&self.path) {
                Ok(file) => Articles::Lines {
                    reader: BufReader::new(file),
                    rel: self.rel.clone(),
                    line_no: 0,
                    max_size: self.max_size,
                },
                Err(err) => skipped(format!("unreadable: {err}")),
            };
        }
        match std::fs::metadata(&self.path) {
            Ok(meta) if meta.len() > self.max_size => {
                return skipped(format!(
                    "larger than --max-file-size ({} bytes > {})",
                    meta.len(),
                    self.max_size
                ))
            }
            Ok(_) => {}
            Err(err) => return skipped(format!("unreadable: {err}")),
        }
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(err) => return skipped(format!("unreadable: {err}")),
        };
        Articles::One(Some(match self.format {
            Format::Text => text::read(&self.rel, &bytes),
            Format::Json => json::read_file(&self.rel, &bytes),
            Format::Html => page::read(&self.rel, &bytes),
            Format::JsonLines => unreachable!("handled above"),
        }))
    }
}

/// The articles of one file.
pub enum Articles {
    One(Option<Item>),
    Lines {
        reader: BufReader<File>,
        rel: String,
        line_no: usize,
        max_size: u64,
    },
}

impl Iterator for Articles {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        self.next_raw().map(with_text_date)
    }
}

/// Gives an article without a date the one its opening text names, if any.
fn with_text_date(item: Item) -> Item {
    let fill = |mut a: Article| {
        if a.date.is_none() {
            a.date = crate::dates::date_from_text(&a.body, None);
        }
        a
    };
    match item {
        Item::Article(a) => Item::Article(fill(a)),
        Item::Decoded(a) => Item::Decoded(fill(a)),
        skipped => skipped,
    }
}

impl Articles {
    fn next_raw(&mut self) -> Option<Item> {
        match self {
            Articles::One(item) => item.take(),
            Articles::Lines {
                reader,
                rel,
                line_no,
                max_size,
            } => loop {
                let mut buf = Vec::new();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) => return None,
                    Ok(_) => {
                        *line_no += 1;
                        if buf.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        if buf.len() as u64 > *max_size {
                            return Some(Item::Skipped(Skipped {
                                location: format!("{rel}:{line_no}"),
                                reason: format!(
                                    "larger than --max-file-size ({} bytes > {max_size})",
                                    buf.len()
                                ),
                            }));
                        }
                        return Some(json::read_line(rel, *line_no, &buf));
                    }
                    Err(err) => {
                        let location = format!("{rel}:{}", *line_no + 1);
                        *self = Articles::One(None);
                        return Some(Item::Skipped(Skipped {
                            location,
                            reason: format!("unreadable: {err}"),
                        }));
                    }
                }
            },
        }
    }
}

/// Every article below a folder, in sorted path order.
pub fn articles(root: &Path) -> impl Iterator<Item = Item> {
    Files::new(root).flat_map(|found| match found {
        Found::File(file) => file.articles(),
        Found::Skipped(skipped) => Articles::One(Some(Item::Skipped(skipped))),
        Found::Ignored(_) => Articles::One(None),
    })
}

/// The id a judged run names an article by when it has no JSON id:
/// its relative path without the extension.
fn path_doc_id(rel: &str) -> String {
    match rel.rfind('.') {
        Some(dot) if !rel[dot..].contains('/') => rel[..dot].to_string(),
        _ => rel.to_string(),
    }
}
