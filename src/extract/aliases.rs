//! Canonical names across articles. An alias table maps other spellings of a
//! name ("Zelenskiy", "Vladimir Zelensky") to one canonical name ("Volodymyr
//! Zelenskyy"), matched without regard to case, per entity kind. newsdex ships
//! a small default table (`aliases.toml` beside this file); a folder's own
//! `aliases.toml`, or `--aliases FILE`, adds to it and wins on conflicts.
//!
//! The format is TOML, one table per kind, each key a canonical name and its
//! value the list of other spellings:
//!
//! ```toml
//! [person]
//! "Volodymyr Zelenskyy" = ["Zelensky", "Zelenskiy", "Vladimir Zelenskiy"]
//! [place]
//! "Kyiv" = ["Kiev"]
//! ```

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use serde::Deserialize;
use xxhash_rust::xxh3::xxh3_64;

use super::{Entities, EntityKind};

const DEFAULT_ALIASES: &str = include_str!("aliases.toml");

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasFile {
    #[serde(default)]
    person: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    place: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    org: BTreeMap<String, Vec<String>>,
}

/// Variant spellings to canonical names, per kind.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    /// Lower-cased variant → canonical name, one map per kind
    /// (`EntityKind::ALL` order).
    maps: [HashMap<String, String>; 3],
    /// A hash of the table, so an index can notice when it changes.
    fingerprint: u64,
}

impl Aliases {
    /// The default table alone.
    pub fn defaults() -> Aliases {
        let mut aliases = Aliases::default();
        // The embedded table is checked by a unit test; an error here is a bug.
        if let Err(e) = aliases.add_toml(DEFAULT_ALIASES) {
            debug_assert!(false, "default aliases: {e}");
        }
        aliases
    }

    /// Adds the entries of an alias file's text; later entries win.
    pub fn add_toml(&mut self, text: &str) -> Result<(), String> {
        let file: AliasFile = toml::from_str(text).map_err(|e| e.message().to_string())?;
        for (kind, table) in [
            (EntityKind::Person, file.person),
            (EntityKind::Place, file.place),
            (EntityKind::Org, file.org),
        ] {
            for (canonical, variants) in table {
                for variant in variants.iter().chain(std::iter::once(&canonical)) {
                    self.maps[kind as usize].insert(variant.to_lowercase(), canonical.clone());
                }
            }
        }
        self.fingerprint = xxh3_64(
            &[
                self.fingerprint.to_le_bytes(),
                xxh3_64(text.as_bytes()).to_le_bytes(),
            ]
            .concat(),
        );
        Ok(())
    }

    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The canonical form of a name, if the table has one.
    pub fn canonical(&self, kind: EntityKind, name: &str) -> Option<&str> {
        super::gazetteer::with_lower(name, |lower| {
            self.maps[kind as usize].get(lower).map(String::as_str)
        })
    }

    /// Rewrites an article's entities to their canonical names, keeping each
    /// list unique and in order of first mention.
    pub fn apply(&self, entities: &mut Entities) {
        if self.maps.iter().all(HashMap::is_empty) {
            return;
        }
        for kind in EntityKind::ALL {
            let list = entities.of_kind_mut(kind);
            let mut out: Vec<String> = Vec::with_capacity(list.len());
            for name in list.drain(..) {
                let name = self.canonical(kind, &name).map_or(name, str::to_string);
                if !out.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                    out.push(name);
                }
            }
            *list = out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_table_parses() {
        let mut aliases = Aliases::default();
        aliases.add_toml(DEFAULT_ALIASES).unwrap();
        assert_eq!(
            aliases.canonical(EntityKind::Person, "zelenskiy"),
            Some("Volodymyr Zelenskyy")
        );
        assert_eq!(aliases.canonical(EntityKind::Place, "Kiev"), Some("Kyiv"));
    }

    #[test]
    fn spellings_merge_and_different_people_stay_apart() {
        let aliases = Aliases::defaults();
        let mut e = Entities {
            persons: vec![
                "Vladimir Zelenskiy".into(),
                "Zelensky".into(),
                "George Bush".into(),
                "George W. Bush".into(),
            ],
            ..Entities::default()
        };
        aliases.apply(&mut e);
        assert_eq!(
            e.persons,
            ["Volodymyr Zelenskyy", "George Bush", "George W. Bush"]
        );
    }

    #[test]
    fn a_bad_file_says_why() {
        let err = Aliases::default()
            .add_toml("[persons]\nx = [\"y\"]")
            .unwrap_err();
        assert!(err.contains("unknown field"), "{err}");
    }
}
