//! The command line: clap's derive types, typed and validated at the edge.
//! Nothing below this module sees clap or compares option strings.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::extract::EntityKind;
use crate::index::DEFAULT_INDEX_DIR;

/// Full-text search for news: ranked passages, highlighted, with facets for
/// the people, places and organisations each article mentions.
#[derive(Debug, Parser)]
#[command(name = "newsdex", version, about)]
pub struct Cli {
    /// The index folder.
    #[arg(long, global = true, env = "NEWSDEX_INDEX", default_value = DEFAULT_INDEX_DIR)]
    pub index: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

/// Entity kinds as typed on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Person,
    Place,
    Org,
}

impl From<Kind> for EntityKind {
    fn from(kind: Kind) -> EntityKind {
        match kind {
            Kind::Person => EntityKind::Person,
            Kind::Place => EntityKind::Place,
            Kind::Org => EntityKind::Org,
        }
    }
}

/// How to order results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Sort {
    Relevance,
    Date,
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal unless NO_COLOR is set.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index every article below a folder (.txt, .md, .json, .jsonl).
    Index {
        /// The folder of articles.
        dir: PathBuf,
        /// No progress bar and no summary line.
        #[arg(long, short)]
        quiet: bool,
        /// Exit 2 when any article was skipped.
        #[arg(long)]
        strict: bool,
        /// List the files passed over because newsdex does not read their kind.
        #[arg(long, short)]
        verbose: bool,
        /// Skip article files (and .jsonl lines) larger than this many bytes.
        #[arg(long, default_value_t = crate::ingest::DEFAULT_MAX_FILE_SIZE)]
        max_file_size: u64,
        /// An alias file (TOML) of name spellings, added to the defaults and DIR/aliases.toml.
        #[arg(long)]
        aliases: Option<PathBuf>,
        /// Skip entity extraction (to measure its cost; facets will be empty).
        #[arg(long, hide = true)]
        no_entities: bool,
    },
    /// Train the entity tagger from CoNLL-2003 files and write the model.
    TrainNer {
        /// Training data in CoNLL format (eng.train).
        train: PathBuf,
        /// Where to write the model (models/ner.bin).
        out: PathBuf,
        /// Word classes (default: clusters.bin beside OUT).
        #[arg(long)]
        clusters: Option<PathBuf>,
        /// Place names, one a line (default: places.txt beside OUT).
        #[arg(long)]
        places: Option<PathBuf>,
        /// First names, one a line (default: first-names.txt beside OUT).
        #[arg(long)]
        first_names: Option<PathBuf>,
        /// Print per-epoch scores on this CoNLL file (never trained on).
        #[arg(long)]
        dev: Option<PathBuf>,
        /// Train one pass only, without the second pass that reads how each
        /// word was labelled elsewhere in the article: a smaller model that
        /// decodes faster and finds fewer names.
        #[arg(long)]
        one_pass: bool,
        /// Keep only features with an averaged weight of at least this size:
        /// higher makes a smaller model that finds fewer names.
        #[arg(long, default_value_t = 1.0)]
        prune: f32,
    },
    /// Print what newsdex reads from files or folders, as JSON lines,
    /// without indexing: id, title, date, author, source, url, body, passages.
    Parse {
        /// Article files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Search the index: ranked passages grouped by article.
    Search {
        /// The query, in tantivy's syntax: words, "phrases", AND, OR, -word, field:word.
        query: String,
        /// How many articles to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Count matching articles by entity (repeatable).
        #[arg(long, value_enum)]
        facet: Vec<Kind>,
        /// How many values to list per facet.
        #[arg(long, default_value_t = 10)]
        facet_limit: usize,
        /// Only articles that mention this person (repeatable; all must match).
        #[arg(long)]
        person: Vec<String>,
        /// Only articles that mention this place (repeatable).
        #[arg(long)]
        place: Vec<String>,
        /// Only articles that mention this organisation (repeatable).
        #[arg(long)]
        org: Vec<String>,
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
        /// Only articles dated on or after this day (2025-12-02, 2025-12 or 2025).
        #[arg(long)]
        since: Option<String>,
        /// Only articles dated on or before this day (2025-12-02, 2025-12 or 2025).
        #[arg(long)]
        until: Option<String>,
        /// Order articles by relevance or by date, newest first.
        #[arg(long, value_enum, default_value_t = Sort::Relevance)]
        sort: Sort,
        /// Show every copy of a duplicated story, not just the best one.
        #[arg(long)]
        all_copies: bool,
        /// Most passages shown per article: the lead or best passage, then
        /// others that score within 10% of the best [default: 1].
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=10))]
        per_article: Option<u16>,
        /// When to use colour and bold.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Run every topic of a TSV file (id, query, ...) as `search` ranks it,
    /// and write a TREC run (and optionally the best passages as JSON lines).
    Batch {
        /// Tab-separated topics: id and query first; a header row starting `id` is skipped.
        topics: PathBuf,
        /// Where to write the TREC run: `topic Q0 docid rank score newsdex`.
        #[arg(long)]
        run: PathBuf,
        /// Where to write each topic's top 10 passages as JSON lines.
        #[arg(long)]
        passages: Option<PathBuf>,
        /// Articles per topic.
        #[arg(long, default_value_t = 100)]
        depth: usize,
        /// Keep every copy of a duplicated story, as `search --all-copies` does.
        #[arg(long)]
        all_copies: bool,
    },
    /// List the most-mentioned entities in the index, by number of articles.
    Entities {
        #[arg(long, value_enum, default_value_t = Kind::Person)]
        kind: Kind,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Serve the index to a web browser: a search page and a JSON API.
    Serve {
        /// The address to listen on (loopback unless told otherwise).
        #[arg(long, default_value = crate::serve::DEFAULT_ADDR)]
        addr: SocketAddr,
    },
    /// Print each article's entities, keyed by file stem (or path in a folder), without indexing.
    Extract {
        /// Article files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// An alias file (TOML), added to the defaults and each folder's
        /// aliases.toml.
        #[arg(long)]
        aliases: Option<PathBuf>,
        /// Print JSON (the only format; accepted for clarity).
        #[arg(long)]
        json: bool,
    },
}
