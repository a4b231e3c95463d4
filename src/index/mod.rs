//! The on-disk index: where it lives, how it is opened, and how articles
//! are written to it. Only this module and `search` touch tantivy.

mod dedup;
mod manifest;
pub mod schema;
mod stem;
mod writer;

use std::path::{Path, PathBuf};

use tantivy::Index;

use crate::error::{Error, Result};
pub use dedup::NEAR_BITS;
pub use schema::Fields;
pub use writer::{build, BuildOptions, BuildSummary, Progress};

/// The index folder used when neither --index nor NEWSDEX_INDEX names one.
pub const DEFAULT_INDEX_DIR: &str = ".newsdex";

/// An open index and the handles to its fields.
pub struct NewsIndex {
    pub index: Index,
    pub fields: Fields,
    pub path: PathBuf,
}

impl NewsIndex {
    /// Opens the index at `path`; a missing index is a user error that says
    /// how to build one.
    pub fn open(path: &Path) -> Result<NewsIndex> {
        if !path.join("meta.json").is_file() {
            return Err(Error::NoIndex(path.to_path_buf()));
        }
        let index = Index::open_in_dir(path)?;
        stem::register(&index);
        // `from_schema` fails with a schema error only where the entity
        // field is not the fast text field this version writes.
        let fields = Fields::from_schema(&index.schema()).map_err(|e| match e {
            tantivy::TantivyError::SchemaError(_) => Error::OldIndex(path.to_path_buf()),
            e => e.into(),
        })?;
        Ok(NewsIndex {
            index,
            fields,
            path: path.to_path_buf(),
        })
    }

    /// Opens the index at `path`, creating it (and its folder) if needed.
    pub fn open_or_create(path: &Path) -> Result<NewsIndex> {
        if path.join("meta.json").is_file() {
            return NewsIndex::open(path);
        }
        std::fs::create_dir_all(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_dir(path, schema)?;
        stem::register(&index);
        Ok(NewsIndex {
            index,
            fields,
            path: path.to_path_buf(),
        })
    }
}

/// Creates at `path` an empty index as newsdex wrote them before entities
/// moved from a facet field to a fast text field.
#[cfg(test)]
pub(crate) fn create_old_index(path: &Path) {
    use tantivy::schema::{FacetOptions, Schema};
    let (current, _) = Fields::schema();
    let mut b = Schema::builder();
    for (_, entry) in current.fields() {
        if entry.name() == schema::ENTITY {
            b.add_facet_field(schema::ENTITY, FacetOptions::default().set_stored());
        } else {
            b.add_field(entry.clone());
        }
    }
    Index::create_in_dir(path, b.build()).unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index written before entities moved from a facet field to a fast
    /// text field is refused with a message that says what to do.
    #[test]
    fn an_index_with_entity_facets_is_refused_with_advice() {
        let dir = tempfile::tempdir().unwrap();
        create_old_index(dir.path());
        let err = NewsIndex::open(dir.path()).err().expect("refused");
        assert_eq!(
            err.to_string(),
            format!(
                "the index at {} was built by an earlier newsdex; run `newsdex index DIR` to build it afresh",
                dir.path().display()
            )
        );
        assert!(err.is_user_error());
    }
}
