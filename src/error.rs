//! The library's error type. User errors (a bad query, a missing index, an
//! unknown facet kind) are things the person at the keyboard can fix; the rest
//! are internal failures of the disk or of tantivy.

use std::path::PathBuf;

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query string could not be parsed.
    #[error("bad query: {0}")]
    BadQuery(String),
    /// No index exists where one was expected.
    #[error("no index at {}; build one with `newsdex index DIR` (or point --index / NEWSDEX_INDEX at one)", .0.display())]
    NoIndex(PathBuf),
    /// The index was written by an earlier newsdex in a form this one cannot read.
    #[error("the index at {} was built by an earlier newsdex; run `newsdex index DIR` to build it afresh", .0.display())]
    OldIndex(PathBuf),
    /// The folder to index does not exist or is not a folder.
    #[error("cannot index {}: not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// Another process holds the index's writer lock.
    #[error("index at {} is locked by another newsdex process", .0.display())]
    Locked(PathBuf),
    /// An argument had a value the library cannot use.
    #[error("{0}")]
    BadArgument(String),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// tantivy failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    /// True when the user can fix this by changing their input.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::BadQuery(_)
                | Error::NoIndex(_)
                | Error::OldIndex(_)
                | Error::NotAFolder(_)
                | Error::Locked(_)
                | Error::BadArgument(_)
        )
    }
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;
