//! Running each command: the glue between typed arguments and the library,
//! writing to the given output. Returns the process exit code.

use std::collections::{BTreeMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::ser::{SerializeMap, Serializer};

use crate::article::Article;
use crate::batch;
use crate::cli::{Cli, ColorChoice, Command, Kind, Sort};
use crate::error::Result;
use crate::extract::{self, Aliases, Entities, EntityKind};
use crate::index::{self, BuildOptions, Progress};
use crate::ingest::{self, Item, SourceFile};
use crate::render::{self, Highlight};
use crate::search::{RankConfig, SearchRequest, Searcher, SortOrder};

/// Exit code: success, with results.
pub const EXIT_OK: i32 = 0;
/// Exit code: the search ran and found nothing.
pub const EXIT_NO_RESULTS: i32 = 1;
/// Exit code: an error.
pub const EXIT_ERROR: i32 = 2;

/// Runs a parsed command line; `out` receives results, `err` diagnostics.
pub fn run(cli: Cli, out: &mut impl Write, err: &mut impl Write) -> Result<i32> {
    match cli.command {
        Command::Index {
            dir,
            quiet,
            strict,
            verbose,
            max_file_size,
            aliases,
            no_entities,
        } => {
            if !no_entities {
                crate::extract::check_tagger()?;
            }
            let options = BuildOptions {
                max_file_size,
                aliases: load_aliases(&dir, aliases.as_deref())?,
                entities: !no_entities,
            };
            index_folder(&dir, &cli.index, &options, (quiet, strict, verbose), err)
        }
        Command::Parse { paths } => parse_paths(&paths, out, err),
        Command::Search {
            query,
            limit,
            facet,
            facet_limit,
            person,
            place,
            org,
            json,
            since,
            until,
            sort,
            all_copies,
            per_article,
            color,
        } => {
            let filters = [
                (Kind::Person, person),
                (Kind::Place, place),
                (Kind::Org, org),
            ]
            .into_iter()
            .flat_map(|(k, names)| names.into_iter().map(move |n| (EntityKind::from(k), n)))
            .collect();
            let mut facets: Vec<EntityKind> = facet.into_iter().map(EntityKind::from).collect();
            facets.dedup();
            let request = SearchRequest {
                query,
                limit,
                facets,
                facet_limit,
                filters,
                all_copies,
                since: date_bound("--since", since, false)?,
                until: date_bound("--until", until, true)?,
                sort: match sort {
                    Sort::Relevance => SortOrder::Relevance,
                    Sort::Date => SortOrder::Date,
                },
                lenient: false,
                rank: shown_per_article(RankConfig::from_env()?, per_article),
            };
            let results = Searcher::open_now(&cli.index)?.search(&request)?;
            if json {
                render::search_json(out, &results).map_err(io_error)?;
            } else {
                render::search_text(out, &results, highlight_style(color)).map_err(io_error)?;
            }
            if results.articles.is_empty() {
                if !json {
                    writeln!(err, "newsdex: no articles match \"{}\"", results.query)
                        .map_err(io_error)?;
                }
                return Ok(EXIT_NO_RESULTS);
            }
            Ok(EXIT_OK)
        }
        Command::Batch {
            topics,
            run,
            passages,
            depth,
            all_copies,
        } => run_batch(
            &cli.index,
            &topics,
            (&run, passages.as_deref()),
            (depth, all_copies),
            err,
        ),
        Command::Entities { kind, limit, json } => {
            let values = Searcher::open_now(&cli.index)?.entities(kind.into(), limit)?;
            if json {
                render::json(out, &values).map_err(io_error)?;
            } else {
                render::entities_text(out, &values).map_err(io_error)?;
            }
            Ok(if values.is_empty() {
                EXIT_NO_RESULTS
            } else {
                EXIT_OK
            })
        }
        Command::Serve { addr } => {
            crate::serve::run(&cli.index, addr, err)?;
            Ok(EXIT_OK)
        }
        Command::Extract {
            paths,
            aliases,
            json: _,
        } => extract_paths(&paths, aliases.as_deref(), out, err),
        Command::TrainNer {
            train,
            out: model,
            clusters,
            places,
            first_names,
            dev,
            one_pass,
            prune,
        } => train_ner(
            &train,
            &model,
            [clusters, places, first_names],
            TrainChoices {
                dev: dev.as_deref(),
                one_pass,
                prune,
            },
            err,
        ),
    }
}

/// The ranking with `--per-article` applied when it was given.
fn shown_per_article(rank: RankConfig, per_article: Option<u16>) -> RankConfig {
    match per_article {
        Some(n) => RankConfig {
            shown_passages: n.into(),
            ..rank
        },
        None => rank,
    }
}

/// Runs `batch`: every topic as `search` ranks it, to a TREC run and
/// optionally a passages file. A topic whose query matches nothing writes no
/// lines; a line that is not a topic is reported and skipped.
fn run_batch(
    index_path: &Path,
    topics_path: &Path,
    (run_path, passages_path): (&Path, Option<&Path>),
    (depth, all_copies): (usize, bool),
    err: &mut impl Write,
) -> Result<i32> {
    let read_error = |source| crate::Error::Io {
        path: topics_path.to_path_buf(),
        source,
    };
    let text = std::fs::read_to_string(topics_path).map_err(read_error)?;
    let (topics, bad) = batch::read_topics(&text);
    for b in &bad {
        let _ = writeln!(
            err,
            "newsdex: skipped {}:{}: {}",
            topics_path.display(),
            b.line,
            b.reason
        );
    }
    let searcher = Searcher::open_now(index_path)?;
    let rank = RankConfig::from_env()?;
    let mut run = create(run_path)?;
    let mut passages = passages_path.map(create).transpose()?;
    for topic in &topics {
        let request = SearchRequest {
            query: topic.query.clone(),
            limit: depth,
            facets: Vec::new(),
            facet_limit: 0,
            filters: Vec::new(),
            all_copies,
            since: None,
            until: None,
            sort: SortOrder::Relevance,
            lenient: true,
            rank: rank.clone(),
        };
        let results = match searcher.search(&request) {
            Ok(results) => results,
            Err(e) if e.is_user_error() => {
                let _ = writeln!(err, "newsdex: topic {}: {e}", topic.id);
                continue;
            }
            Err(e) => return Err(e),
        };
        let write_error = |path: &Path| {
            let path = path.to_path_buf();
            move |source| crate::Error::Io { path, source }
        };
        batch::write_run(&mut run, &topic.id, &results).map_err(write_error(run_path))?;
        if let (Some(out), Some(path)) = (passages.as_mut(), passages_path) {
            batch::write_passages(out, &topic.id, &results).map_err(write_error(path))?;
        }
    }
    run.flush().map_err(|source| crate::Error::Io {
        path: run_path.to_path_buf(),
        source,
    })?;
    if let (Some(mut out), Some(path)) = (passages, passages_path) {
        out.flush().map_err(|source| crate::Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
    }
    Ok(if topics.is_empty() {
        EXIT_NO_RESULTS
    } else {
        EXIT_OK
    })
}

/// A buffered output file.
fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>> {
    std::fs::File::create(path)
        .map(std::io::BufWriter::new)
        .map_err(|source| crate::Error::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// A --since or --until value as a day: the first of a month or year for
/// --since, the last for --until. `flag` names the option in the message.
pub(crate) fn date_bound(
    flag: &str,
    value: Option<String>,
    end: bool,
) -> Result<Option<crate::article::Date>> {
    let Some(value) = value else { return Ok(None) };
    crate::dates::parse_bound(&value, end)
        .map(Some)
        .ok_or_else(|| {
            crate::Error::BadArgument(format!(
                "{flag}: cannot read '{value}' as a date (try 2025-12-02, 2025-12 or 2025)"
            ))
        })
}

fn io_error(source: std::io::Error) -> crate::Error {
    crate::Error::Io {
        path: "<stdout>".into(),
        source,
    }
}

fn highlight_style(color: ColorChoice) -> Highlight {
    let terminal = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match color {
        ColorChoice::Always if no_color => Highlight::Bold,
        ColorChoice::Always => Highlight::Color,
        ColorChoice::Never => Highlight::Markers,
        ColorChoice::Auto if !terminal => Highlight::Markers,
        ColorChoice::Auto if no_color => Highlight::Bold,
        ColorChoice::Auto => Highlight::Color,
    }
}

/// Articles between progress message updates.
const PROGRESS_EVERY: u64 = 128;

/// A progress bar over the files below `dir` (counted first, which costs a
/// walk of the folder but no reads), or a hidden one.
fn progress_bar(dir: &Path, hidden: bool) -> indicatif::ProgressBar {
    if hidden {
        return indicatif::ProgressBar::hidden();
    }
    let files = ingest::Files::new(dir)
        .filter(|f| matches!(f, ingest::Found::File(_)))
        .count();
    let style = indicatif::ProgressStyle::with_template(
        "{bar:30} {pos}/{len} files · {msg} · {elapsed} elapsed, ETA {eta}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    indicatif::ProgressBar::new(files as u64).with_style(style)
}

/// Runs `index`; the flags are (quiet, strict, verbose).
fn index_folder(
    dir: &Path,
    index_path: &Path,
    options: &BuildOptions,
    (quiet, strict, verbose): (bool, bool, bool),
    err: &mut impl Write,
) -> Result<i32> {
    let started = std::time::Instant::now();
    let bar = progress_bar(dir, quiet || !std::io::stderr().is_terminal());
    let mut articles: u64 = 0;
    let summary = index::build(dir, index_path, options, &mut |event| match event {
        Progress::Article => {
            articles += 1;
            if articles.is_multiple_of(PROGRESS_EVERY) {
                let rate = articles as f64 / started.elapsed().as_secs_f64().max(1e-3);
                bar.set_message(format!("{articles} articles, {rate:.0}/s"));
            }
        }
        Progress::FileDone => bar.inc(1),
        Progress::Rebuilding => bar.suspend(|| {
            let _ = writeln!(
                err,
                "newsdex: the index at {} was built by an earlier newsdex; building it afresh",
                index_path.display()
            );
        }),
        Progress::Ignored(rel) => {
            if verbose {
                bar.suspend(|| {
                    let _ = writeln!(
                        err,
                        "newsdex: ignored {rel}: not a kind of file newsdex reads"
                    );
                });
            }
        }
        Progress::Skipped(s) => bar.suspend(|| {
            // A failed diagnostic write must not stop indexing.
            let _ = writeln!(err, "newsdex: skipped {}: {}", s.location, s.reason);
        }),
    })?;
    bar.finish_and_clear();
    if !quiet {
        let s = &summary;
        let mut line = format!(
            "added {}, updated {}, removed {}, unchanged {}, skipped {}",
            s.added,
            s.updated,
            s.removed,
            s.unchanged,
            s.skipped.len()
        );
        line.push_str(&format!(
            "; {} passages; {} duplicate groups ({} copies)",
            s.passages, s.duplicate_groups, s.duplicate_copies
        ));
        if s.decoded_fallback > 0 {
            line.push_str(&format!("; {} read as Windows-1252", s.decoded_fallback));
        }
        line.push_str(&format!("; {:.1}s", started.elapsed().as_secs_f64()));
        writeln!(err, "{line}").map_err(io_error)?;
    }
    if strict && !summary.skipped.is_empty() {
        return Ok(EXIT_ERROR);
    }
    Ok(EXIT_OK)
}

/// The key an article's entities are listed under: its id for a line of a
/// .jsonl file; else, for a file named on the command line, its stem, and
/// for a file found in a folder, its path in the folder without the
/// extension (`doc-0001` in a flat folder, `sport/103` in BBC's), so that
/// files of the same name in two subfolders keep apart.
fn extract_key(id: &str, in_folder: bool) -> String {
    let path = Path::new(id);
    if id.contains('#') {
        id.to_string()
    } else if in_folder {
        path.with_extension("").to_string_lossy().into_owned()
    } else {
        path.file_stem()
            .map_or_else(|| id.to_string(), |s| s.to_string_lossy().into_owned())
    }
}

/// Articles extracted together, on every core.
const EXTRACT_BATCH: usize = 256;

/// Each article's entities, keyed as [`extract_key`] says (the scoring
/// shape), written out as each batch is done: one JSON object however many
/// articles there are. A folder's aliases.toml applies to its articles, a
/// file's folder's to it. An article whose key an earlier one took is
/// reported and left out.
fn extract_paths(
    paths: &[PathBuf],
    alias_file: Option<&Path>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<i32> {
    crate::extract::check_tagger()?;
    let json_error = |e: serde_json::Error| io_error(e.into());
    let mut json = serde_json::Serializer::pretty(&mut *out);
    let mut listed = json.serialize_map(None).map_err(json_error)?;
    let mut keys: HashSet<String> = HashSet::new();
    // Read once per folder, however many of its files are named.
    let mut by_folder: BTreeMap<&Path, Aliases> = BTreeMap::new();
    let mut code = EXIT_OK;
    for path in paths {
        let in_folder = path.is_dir();
        let folder = if in_folder {
            path.as_path()
        } else {
            path.parent().unwrap_or(Path::new("."))
        };
        let aliases = match by_folder.entry(folder) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(load_aliases(folder, alias_file)?)
            }
        };
        let mut batch = Vec::with_capacity(EXTRACT_BATCH);
        let mut taken = Vec::new();
        let mut extract_batch = |batch: &mut Vec<Article>| -> Result<()> {
            let found: Vec<Entities> = batch
                .par_iter()
                .map(|a| extract::article_entities(a, aliases))
                .collect();
            for (a, entities) in batch.drain(..).zip(found) {
                let key = extract_key(&a.id, in_folder);
                if keys.contains(&key) {
                    let at = if in_folder {
                        path.join(&a.id).display().to_string()
                    } else {
                        a.id
                    };
                    taken.push((at, key));
                } else {
                    listed
                        .serialize_entry(&key, &entities)
                        .map_err(json_error)?;
                    keys.insert(key);
                }
            }
            Ok(())
        };
        code = code.max(for_each_article(path, err, |a| {
            batch.push(a);
            if batch.len() == EXTRACT_BATCH {
                extract_batch(&mut batch)?;
            }
            Ok(())
        })?);
        extract_batch(&mut batch)?;
        for (at, key) in taken {
            let _ = writeln!(
                err,
                "newsdex: skipped {at}: its key {key:?} is an earlier article's"
            );
            code = EXIT_ERROR;
        }
    }
    listed.end().map_err(json_error)?;
    writeln!(out).map_err(io_error)?;
    Ok(code)
}

/// Calls `f` with every article read from `path` (a file or a folder),
/// reporting what cannot be read on `err`; exit code 2 when something was
/// skipped.
fn for_each_article(
    path: &Path,
    err: &mut impl Write,
    mut f: impl FnMut(Article) -> Result<()>,
) -> Result<i32> {
    let items: Box<dyn Iterator<Item = Item>> = if path.is_dir() {
        Box::new(ingest::articles(path))
    } else {
        match SourceFile::from_path(path) {
            Some(file) => Box::new(file.articles()),
            None => {
                let _ = writeln!(
                    err,
                    "newsdex: skipped {}: not a kind of file newsdex reads",
                    path.display()
                );
                return Ok(EXIT_ERROR);
            }
        }
    };
    let mut code = EXIT_OK;
    for item in items {
        match item {
            Item::Article(a) | Item::Decoded(a) => f(a)?,
            Item::Skipped(s) => {
                let _ = writeln!(err, "newsdex: skipped {}: {}", s.location, s.reason);
                code = EXIT_ERROR;
            }
        }
    }
    Ok(code)
}

/// What `parse` prints for one article.
#[derive(serde::Serialize)]
struct Parsed<'a> {
    id: &'a str,
    title: &'a str,
    date: Option<String>,
    author: Option<&'a str>,
    source: Option<&'a str>,
    url: Option<&'a str>,
    body: &'a str,
    passages: Vec<ParsedPassage<'a>>,
}

#[derive(serde::Serialize)]
struct ParsedPassage<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

fn parse_paths(paths: &[PathBuf], out: &mut impl Write, err: &mut impl Write) -> Result<i32> {
    let mut code = EXIT_OK;
    for path in paths {
        code = code.max(for_each_article(path, err, |a| {
            let passages = crate::passage::passages(&a.body)
                .into_iter()
                .map(|p| ParsedPassage {
                    start: p.range.start,
                    end: p.range.end,
                    text: &a.body[p.range],
                })
                .collect();
            let parsed = Parsed {
                id: &a.id,
                title: &a.title,
                date: a.date.map(|d| d.to_string()),
                author: a.author.as_deref(),
                source: a.source.as_deref(),
                url: a.url.as_deref(),
                body: &a.body,
                passages,
            };
            serde_json::to_writer(&mut *out, &parsed).map_err(|e| io_error(e.into()))?;
            writeln!(out).map_err(io_error)
        })?);
    }
    Ok(code)
}

/// The alias table: the defaults, then DIR/aliases.toml, then `--aliases FILE`.
fn load_aliases(dir: &Path, file: Option<&Path>) -> Result<Aliases> {
    let mut aliases = Aliases::defaults();
    let folder_file = dir.join("aliases.toml");
    let files = folder_file
        .is_file()
        .then_some(folder_file.as_path())
        .into_iter()
        .chain(file);
    for path in files {
        let text = std::fs::read_to_string(path).map_err(|source| crate::Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        aliases
            .add_toml(&text)
            .map_err(|e| crate::Error::BadArgument(format!("{}: {}", path.display(), e.trim())))?;
    }
    Ok(aliases)
}

/// The entries of a list file (place names, queries): its lines, trimmed,
/// without blank lines and `#` comments.
pub fn list_entries(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// [`list_entries`] of a file; none, with a note, when it cannot be read.
fn read_list(path: &Path, what: &str, err: &mut impl Write) -> Vec<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => list_entries(&text),
        Err(e) => {
            let _ = writeln!(
                err,
                "newsdex: training without {what} ({}: {e})",
                path.display()
            );
            Vec::new()
        }
    }
}

/// `train-ner`'s options beside its files.
struct TrainChoices<'a> {
    /// A CoNLL file scored after each epoch.
    dev: Option<&'a Path>,
    one_pass: bool,
    prune: f32,
}

/// Trains the tagger deterministically and writes the model.
fn train_ner(
    train: &Path,
    out: &Path,
    [clusters, places, first_names]: [Option<PathBuf>; 3],
    choices: TrainChoices,
    err: &mut impl Write,
) -> Result<i32> {
    use crate::ner::{clusters::Clusters, train as ner_train, Tagger};
    let bad = |e: String| crate::Error::BadArgument(e);
    if !(choices.prune >= 0.0 && choices.prune.is_finite()) {
        return Err(bad(format!(
            "--prune {}: give a weight of 0 or more (1 is the default)",
            choices.prune
        )));
    }
    let mut opts = ner_train::TrainOpts {
        pass2: !choices.one_pass,
        prune: choices.prune,
        ..ner_train::TrainOpts::default()
    };
    let dev = choices.dev;
    // each file defaults to its name beside OUT
    let beside =
        |path: Option<PathBuf>, name: &str| path.unwrap_or_else(|| out.with_file_name(name));
    let clusters_path = beside(clusters, "clusters.bin");
    match std::fs::read(&clusters_path) {
        Ok(bytes) => {
            let classes = Clusters::from_file_bytes(&bytes)
                .map_err(|e| bad(format!("{}: {e}", clusters_path.display())))?;
            opts.clusters = Some(classes);
        }
        Err(e) => {
            let _ = writeln!(
                err,
                "newsdex: training without word classes ({}: {e})",
                clusters_path.display()
            );
        }
    }
    opts.lists.places = read_list(&beside(places, "places.txt"), "a place list", err);
    opts.lists.first_names = read_list(
        &beside(first_names, "first-names.txt"),
        "a first-name list",
        err,
    );
    let docs = ner_train::read_conll(train).map_err(bad)?;
    let dev_docs = dev.map(ner_train::read_conll).transpose().map_err(bad)?;
    let model = ner_train::train_model(&docs, &opts, dev_docs.as_deref()).map_err(bad)?;
    let bytes = Tagger::from_model(model).to_bytes();
    std::fs::write(out, &bytes).map_err(|source| crate::Error::Io {
        path: out.to_path_buf(),
        source,
    })?;
    let _ = writeln!(err, "wrote {} ({} bytes)", out.display(), bytes.len());
    Ok(EXIT_OK)
}
