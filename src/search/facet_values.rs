//! Searching inside facet values: the entities of one kind whose names
//! contain some text, most-mentioned first, for a "filter the facets" box.

use super::{FacetValue, Searcher};
use crate::error::Result;
use crate::extract::EntityKind;

impl Searcher {
    /// The entities of `kind` whose names contain `needle` (ignoring case),
    /// by number of articles, then by name; all of them when `needle` is
    /// blank.
    pub fn entities_matching(
        &self,
        kind: EntityKind,
        needle: &str,
        limit: usize,
    ) -> Result<Vec<FacetValue>> {
        let needle = needle.trim().to_lowercase();
        if needle.is_empty() {
            return self.entities(kind, limit);
        }
        Ok(self
            .entities(kind, usize::MAX)?
            .into_iter()
            .filter(|v| v.name.to_lowercase().contains(&needle))
            .take(limit)
            .collect())
    }
}
