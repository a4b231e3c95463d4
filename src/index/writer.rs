//! Writing articles to the index, incrementally. The manifest (read back from
//! the index) says what is there: an unchanged file is passed over without
//! parsing, a changed article is deleted by id and added again in the same
//! batch, and articles whose files are gone are deleted. Each article's
//! passages go to tantivy as one batch, so they share a segment (search counts
//! articles per segment). The writer commits every `COMMIT_INTERVAL`, so an
//! interrupted run leaves the last commit intact, and the next run picks up
//! where it stopped.

use std::collections::{HashSet, VecDeque};
use std::io::Read;
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use tantivy::directory::error::LockError;
use tantivy::indexer::UserOperation;
use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64, Xxh3};

use super::dedup::{Deduper, Print};
use super::manifest::{self, Manifest};
use super::schema::{self, article_key};
use super::{Fields, NewsIndex};
use crate::article::Article;
use crate::error::{Error, Result};
use crate::extract::{self, Aliases, Entities};
use crate::fingerprint;
use crate::ingest::{Files, Found, Item, Skipped, SourceFile};
use crate::passage;

/// tantivy's indexing memory budget, shared by its writer threads.
const WRITER_MEMORY: usize = 256 * 1024 * 1024;
/// Articles extracted in parallel at a time.
const BATCH: usize = 256;
/// Batches extracted while the next is read: reading and parsing files is
/// one thread's work, which would otherwise leave a core idle between
/// batches.
const IN_FLIGHT: usize = 2;
/// How often the writer commits, which is what an interrupted run can lose.
/// Each commit stops the pipeline while every writer thread flushes its
/// segment, and small segments cost merges: committing every 10,000
/// articles, a 119 k-article corpus took 17.7 s to index rather than 15.2 s
/// at 50,000; at scale 20 (476 k articles) 50,000 took 63.6 s and 200,000
/// took 53.6 s.
const COMMIT_INTERVAL: Duration = Duration::from_secs(30);

/// What an indexing run did.
#[derive(Debug, Default)]
pub struct BuildSummary {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    pub passages: usize,
    /// Articles read as Windows-1252 because they were not valid UTF-8.
    pub decoded_fallback: usize,
    pub skipped: Vec<Skipped>,
    /// Groups of two or more copies, and the copies beyond each group's first.
    pub duplicate_groups: usize,
    pub duplicate_copies: usize,
}

/// What the caller hears about as the run goes.
pub enum Progress<'a> {
    Skipped(&'a Skipped),
    /// One more article was read (indexed or found unchanged).
    Article,
    /// A file of a kind newsdex does not read.
    Ignored(&'a str),
    /// One more article file was finished (read, or found unchanged).
    FileDone,
    /// The index was built by an earlier newsdex, in a form this one cannot
    /// read, and is being built afresh.
    Rebuilding,
}

/// The state of one indexing run.
struct Run<'a, 's> {
    options: &'a BuildOptions,
    /// Where batches are extracted while the next one is read.
    scope: &'s rayon::Scope<'a>,
    /// Batches being extracted, oldest first (at most `IN_FLIGHT`).
    in_flight: VecDeque<Receiver<Vec<Prepared>>>,
    writer: IndexWriter,
    fields: Fields,
    manifest: Manifest,
    dedup: Deduper,
    /// The articles this run has met, as [`Seen`] hashes of their ids.
    seen: Seen,
    summary: BuildSummary,
    last_commit: Instant,
    /// New and changed articles waiting for extraction.
    pending: Vec<Pending>,
    /// The buffer files are read through to hash them.
    read_buf: Box<[u8]>,
    /// Entities of the articles extracted lately.
    recent: Arc<RecentEntities>,
    on_progress: &'a mut dyn FnMut(Progress),
}

/// A set of article ids kept as 128-bit hashes: 16 bytes an id, where the
/// ids themselves (paths, plus a line number) took five times that at scale.
/// Two ids whose hashes collide (about 1 in 10^27 for a million ids) would
/// count as one: a new article would be deleted by id before it is added,
/// which deletes nothing, and a vanished one would be kept.
#[derive(Default)]
struct Seen(HashSet<u128>);

impl Seen {
    fn key(id: &str) -> u128 {
        xxh3_128(id.as_bytes())
    }

    /// Adds `id`; false when it was there already.
    fn insert(&mut self, id: &str) -> bool {
        self.0.insert(Seen::key(id))
    }

    fn extend<'i>(&mut self, ids: impl IntoIterator<Item = &'i String>) {
        self.0.extend(ids.into_iter().map(|id| Seen::key(id)));
    }

    fn contains(&self, id: &str) -> bool {
        self.0.contains(&Seen::key(id))
    }
}

/// How to index.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Skip article files (and .jsonl lines) larger than this many bytes.
    pub max_file_size: u64,
    /// Canonical names across articles.
    pub aliases: Aliases,
    /// Extract entities (off only to measure what extraction costs).
    pub entities: bool,
}

impl Default for BuildOptions {
    fn default() -> BuildOptions {
        BuildOptions {
            max_file_size: crate::ingest::DEFAULT_MAX_FILE_SIZE,
            aliases: Aliases::defaults(),
            entities: true,
        }
    }
}

/// An article waiting for extraction.
struct Pending {
    article: Article,
    file_hash: u64,
    article_hash: u64,
    /// Whether the index may already hold passages under its id (from an
    /// earlier run, or earlier in this one), which must go first. A new
    /// id needs no delete, which would cost a term lookup in every segment.
    replaces: bool,
}

/// Indexes every article below `dir` into the index at `index_path`,
/// bringing the index in line with the folder.
pub fn build(
    dir: &Path,
    index_path: &Path,
    options: &BuildOptions,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<BuildSummary> {
    if !dir.is_dir() {
        return Err(Error::NotAFolder(dir.to_path_buf()));
    }
    if options.entities {
        // The model (about 10 ms) loads while the index opens and the first
        // batch is read.
        rayon::spawn(extract::warm_up);
    }
    let news = match NewsIndex::open_or_create(index_path) {
        // Nothing in an index this version cannot read is of use: build it
        // afresh. (Its schema holds every field newsdex writes, so the
        // folder is a newsdex index, not some other folder.)
        Err(Error::OldIndex(_)) => {
            std::fs::remove_dir_all(index_path).map_err(|source| Error::Io {
                path: index_path.to_path_buf(),
                source,
            })?;
            on_progress(Progress::Rebuilding);
            NewsIndex::open_or_create(index_path)?
        }
        opened => opened?,
    };
    let writer: IndexWriter = news.index.writer(WRITER_MEMORY).map_err(|e| match e {
        TantivyError::LockFailure(LockError::LockBusy, _) => {
            Error::Locked(index_path.to_path_buf())
        }
        other => Error::Tantivy(other),
    })?;
    let mut dedup = Deduper::default();
    let manifest = manifest::load(&news.index, &mut dedup)?;
    rayon::in_place_scope(|scope| {
        let mut run = Run {
            options,
            scope,
            in_flight: VecDeque::new(),
            writer,
            fields: news.fields.clone(),
            manifest,
            dedup,
            seen: Seen::default(),
            summary: BuildSummary::default(),
            last_commit: Instant::now(),
            pending: Vec::new(),
            read_buf: vec![0; 1 << 16].into_boxed_slice(),
            recent: Arc::default(),
            on_progress,
        };
        for found in Files::new(dir).max_file_size(options.max_file_size) {
            match found {
                Found::File(file) => {
                    run.file(&file)?;
                    (run.on_progress)(Progress::FileDone);
                }
                Found::Skipped(skipped) => run.skip(skipped),
                Found::Ignored(rel) => (run.on_progress)(Progress::Ignored(&rel)),
            }
        }
        run.flush()?;
        while !run.in_flight.is_empty() {
            run.write_oldest()?;
        }
        run.remove_missing();
        run.writer.commit()?;
        run.writer.wait_merging_threads()?;
        let (groups, copies) = run.dedup.duplicates();
        run.summary.duplicate_groups = groups;
        run.summary.duplicate_copies = copies;
        Ok(run.summary)
    })
}

/// A streaming hash of a file's bytes.
fn hash_file(path: &Path, buf: &mut [u8]) -> std::io::Result<u64> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Xxh3::new();
    loop {
        let n = file.read(buf)?;
        if n == 0 {
            return Ok(hasher.digest());
        }
        hasher.update(&buf[..n]);
    }
}

/// A hash of everything indexed from an article, and of what it was indexed
/// with (`built_with`).
fn article_hash(a: &Article, aliases: &Aliases) -> u64 {
    let date = a.date.map(|d| d.to_string()).unwrap_or_default();
    let parts = [
        a.doc_id.as_str(),
        &a.title,
        &a.body,
        &date,
        a.url.as_deref().unwrap_or(""),
        a.source.as_deref().unwrap_or(""),
        a.author.as_deref().unwrap_or(""),
    ];
    xxh3_64(parts.join("\0").as_bytes()) ^ built_with(aliases)
}

/// A hash of the settings an article is indexed with (its file's and its own
/// hash include it, so a change re-indexes): the alias table its names were
/// made canonical with, and the passage sizes it was split by.
fn built_with(aliases: &Aliases) -> u64 {
    aliases.fingerprint() ^ passage::SIZES
}

impl Run<'_, '_> {
    fn skip(&mut self, skipped: Skipped) {
        // What was indexed from a file that cannot be read now is kept.
        let id = match skipped.location.rsplit_once(':') {
            Some((path, line)) if line.bytes().all(|b| b.is_ascii_digit()) => {
                format!("{path}#{line}")
            }
            _ => skipped.location.clone(),
        };
        if self.manifest.articles.contains_key(&id) {
            self.seen.insert(&id);
        } else if let Some((_, ids)) = self.manifest.files.get(&skipped.location) {
            self.seen.extend(ids);
        }
        (self.on_progress)(Progress::Skipped(&skipped));
        self.summary.skipped.push(skipped);
    }

    fn file(&mut self, file: &SourceFile) -> Result<()> {
        let hash = match hash_file(&file.path, &mut self.read_buf) {
            Ok(hash) => hash ^ built_with(&self.options.aliases),
            Err(err) => {
                self.skip(Skipped {
                    location: file.rel.clone(),
                    reason: format!("unreadable: {err}"),
                });
                return Ok(());
            }
        };
        if let Some((known, ids)) = self.manifest.files.get(&file.rel) {
            if *known == hash {
                self.summary.unchanged += ids.len();
                for _ in ids {
                    (self.on_progress)(Progress::Article);
                }
                self.seen.extend(ids);
                return Ok(());
            }
        }
        for item in file.articles() {
            match item {
                Item::Article(a) => self.article(a, hash)?,
                Item::Decoded(a) => {
                    self.summary.decoded_fallback += 1;
                    self.article(a, hash)?;
                }
                Item::Skipped(s) => self.skip(s),
            }
        }
        Ok(())
    }

    /// Counts an article, and queues it unless the index already holds it
    /// as it is.
    fn article(&mut self, article: Article, file_hash: u64) -> Result<()> {
        (self.on_progress)(Progress::Article);
        let hash = article_hash(&article, &self.options.aliases);
        let first_in_run = self.seen.insert(&article.id);
        let known = self.manifest.articles.get(&article.id);
        match known {
            Some(known) if known.article_hash == hash => {
                self.summary.unchanged += 1;
                return Ok(());
            }
            Some(_) => self.summary.updated += 1,
            None => self.summary.added += 1,
        }
        self.pending.push(Pending {
            replaces: known.is_some() || !first_in_run,
            article,
            file_hash,
            article_hash: hash,
        });
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Starts extracting the queued articles, in parallel, and writes the
    /// oldest batch once `IN_FLIGHT` are under way.
    fn flush(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        if !pending.is_empty() {
            let (tx, rx) = mpsc::channel();
            let (fields, options) = (self.fields.clone(), self.options);
            let recent = Arc::clone(&self.recent);
            self.scope.spawn(move |_| {
                // The receiver is gone only when the run stopped on an error.
                let _ = tx.send(prepare(&fields, options, &recent, &pending));
            });
            self.in_flight.push_back(rx);
        }
        while self.in_flight.len() >= IN_FLIGHT {
            self.write_oldest()?;
        }
        Ok(())
    }

    /// Groups and writes the oldest batch under way, in article order, so
    /// duplicate groups never depend on thread timing.
    fn write_oldest(&mut self) -> Result<()> {
        let Some(rx) = self.in_flight.pop_front() else {
            return Ok(());
        };
        // Only a batch whose extraction panicked sends nothing: the run
        // stops there, and the scope passes that panic on.
        let prepared = rx.recv().expect("a batch's extraction panicked");
        for (print, mut ops) in prepared {
            let group = self.dedup.assign(print);
            for op in &mut ops {
                if let UserOperation::Add(doc) = op {
                    doc.add_u64(self.fields.dup_group, group);
                }
            }
            self.summary.passages += ops
                .iter()
                .filter(|op| matches!(op, UserOperation::Add(_)))
                .count();
            self.writer.run(ops)?;
        }
        if self.last_commit.elapsed() >= COMMIT_INTERVAL {
            self.writer.commit()?;
            self.last_commit = Instant::now();
        }
        Ok(())
    }

    /// Deletes the articles whose files (or lines) are gone.
    fn remove_missing(&mut self) {
        let mut gone: Vec<&String> = self
            .manifest
            .articles
            .keys()
            .filter(|id| !self.seen.contains(id))
            .collect();
        gone.sort();
        for id in gone {
            self.writer
                .delete_term(Term::from_field_text(self.fields.id, id));
            self.dedup.remove(article_key(id));
            self.summary.removed += 1;
        }
    }
}

/// An article ready to write: its fingerprints and its passage operations.
type Prepared = (Print, Vec<UserOperation>);

/// The entities of the articles extracted lately, by a hash of their title
/// and text: a copy of an article (news is reprinted word for word, and
/// BBC's 2,225 articles hold 98 copies, most within a few hundred files of
/// the first) reuses the first copy's names instead of being tagged again.
/// It forgets everything when it holds `RECENT_ARTICLES`, so memory stays
/// bounded and only nearby copies are found.
#[derive(Default)]
struct RecentEntities(Mutex<FxHashMap<u128, Arc<Entities>>>);

const RECENT_ARTICLES: usize = 4096;

impl RecentEntities {
    fn entities(&self, article: &Article, aliases: &Aliases) -> Arc<Entities> {
        let mut hasher = Xxh3::new();
        hasher.update(article.title.as_bytes());
        hasher.update(&[0]);
        hasher.update(article.body.as_bytes());
        let key = hasher.digest128();
        // Extraction runs outside the lock, so a panic there cannot poison
        // it; whatever the map holds is whole.
        let map = || self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = map().get(&key) {
            return Arc::clone(known);
        }
        let found = Arc::new(extract::article_entities(article, aliases));
        let mut map = map();
        if map.len() >= RECENT_ARTICLES {
            map.clear();
        }
        map.insert(key, Arc::clone(&found));
        found
    }
}

/// Fingerprints, entities and passages of a batch of articles, in parallel.
fn prepare(
    fields: &Fields,
    options: &BuildOptions,
    recent: &RecentEntities,
    pending: &[Pending],
) -> Vec<Prepared> {
    pending
        .par_iter()
        .map(|p| {
            let article = &p.article;
            let (simhash, words) = fingerprint::simhash(&article.body);
            let print = Print {
                key: article_key(&article.id),
                body_hash: fingerprint::body_hash(&article.body),
                simhash,
                words,
            };
            let entities = if options.entities {
                recent.entities(article, &options.aliases)
            } else {
                Arc::default()
            };
            (print, article_ops(fields, p, &entities, print))
        })
        .collect()
}

/// One article's passage documents, after a delete by its id where it
/// replaces one.
fn article_ops(
    f: &Fields,
    pending: &Pending,
    entities: &Entities,
    print: Print,
) -> Vec<UserOperation> {
    let article = &pending.article;
    let passages = passage::passages(&article.body);
    let date = article.date.map(super::schema::date_value);
    let mut ops = Vec::with_capacity(passages.len() + 1);
    if pending.replaces {
        ops.push(UserOperation::Delete(Term::from_field_text(
            f.id,
            &article.id,
        )));
    }
    for (ordinal, p) in passages.iter().enumerate() {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &article.id);
        doc.add_u64(f.article_key, print.key);
        doc.add_text(f.path, &article.path);
        doc.add_text(f.doc_id, &article.doc_id);
        doc.add_text(f.title, &article.title);
        doc.add_text(f.text, &article.body[p.range.clone()]);
        if let Some(date) = date {
            doc.add_date(f.date, date);
        }
        let optional = [
            (f.url, &article.url),
            (f.source, &article.source),
            (f.author, &article.author),
        ];
        for (field, value) in optional {
            if let Some(value) = value {
                doc.add_text(field, value);
            }
        }
        doc.add_u64(f.ordinal, ordinal as u64);
        doc.add_u64(f.start, p.range.start as u64);
        doc.add_u64(f.end, p.range.end as u64);
        if ordinal == 0 {
            // Only the first passage carries the article's entities: counting
            // and filtering look there (`search::whole_articles`).
            for (kind, name) in entities.iter() {
                doc.add_text(f.entity, schema::entity_value(kind, name));
            }
            doc.add_u64(f.file_hash, pending.file_hash);
            doc.add_u64(f.article_hash, pending.article_hash);
            doc.add_u64(f.body_hash, print.body_hash);
            doc.add_u64(f.simhash, print.simhash);
            doc.add_u64(f.words, print.words as u64);
        }
        ops.push(UserOperation::Add(doc));
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, title: &str, body: &str) -> Article {
        Article {
            id: id.to_string(),
            path: id.to_string(),
            doc_id: id.to_string(),
            title: title.to_string(),
            body: body.to_string(),
            date: None,
            url: None,
            source: None,
            author: None,
        }
    }

    #[test]
    fn a_copy_of_a_recent_article_reuses_its_entities() {
        let recent = RecentEntities::default();
        let aliases = Aliases::defaults();
        let body = "Russian President Vladimir Putin met envoys in Moscow.";
        let first = recent.entities(&article("a.txt", "Talks", body), &aliases);
        assert_eq!(first.persons, ["Vladimir Putin"]);
        let copy = recent.entities(&article("b.txt", "Talks", body), &aliases);
        assert_eq!(copy, first);
        assert_eq!(recent.0.lock().unwrap().len(), 1);
        // another title is another article
        recent.entities(&article("c.txt", "Moscow talks", body), &aliases);
        assert_eq!(recent.0.lock().unwrap().len(), 2);
    }

    #[test]
    fn an_index_from_an_earlier_newsdex_is_built_afresh() {
        let (index, docs) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        super::super::create_old_index(index.path());
        std::fs::write(
            docs.path().join("a.txt"),
            "Talks\n\nRussian President Vladimir Putin met envoys in Moscow.\n",
        )
        .unwrap();
        let mut rebuilt = 0;
        let summary = build(
            docs.path(),
            index.path(),
            &BuildOptions::default(),
            &mut |p| {
                if matches!(p, Progress::Rebuilding) {
                    rebuilt += 1;
                }
            },
        )
        .unwrap();
        assert_eq!((rebuilt, summary.added), (1, 1));
        let news = NewsIndex::open(index.path()).unwrap();
        let searcher = news.index.reader().unwrap().searcher();
        let column = searcher.segment_reader(0).fast_fields().str(schema::ENTITY);
        let column = column.unwrap().expect("an entity column");
        let mut name = String::new();
        column.ord_to_str(0, &mut name).unwrap();
        assert_eq!(name, "person\0Vladimir Putin");
    }

    #[test]
    fn recent_entities_forget_everything_when_full() {
        let recent = RecentEntities::default();
        let aliases = Aliases::defaults();
        for i in 0..=RECENT_ARTICLES {
            recent.entities(&article("a.txt", &format!("Title {i}"), "Text."), &aliases);
        }
        assert_eq!(recent.0.lock().unwrap().len(), 1);
    }
}
