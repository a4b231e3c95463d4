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
//! [org]
//! "Google" = []
//! ```
//!
//! A name listed under one kind is of that kind wherever the tagger put it:
//! with the table above, a Google tagged as a person counts as an
//! organisation. A top-level `ignore = ["DVD", "Xbox"]` lists names that are
//! never entities; it wins over the tables.

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
    ignore: Vec<String>,
    #[serde(default)]
    person: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    place: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    org: BTreeMap<String, Vec<String>>,
}

/// What the table says of one spelling.
#[derive(Debug, Clone, Default)]
struct Listing {
    /// Its canonical name under each kind that lists it.
    canonical: [Option<String>; 3],
    /// It is listed under `ignore`: never an entity.
    ignored: bool,
}

/// Variant spellings to canonical names, per kind.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    /// Lower-cased spelling → its canonical name under each kind that lists
    /// it (`EntityKind::ALL` order): one lookup tells both the name and
    /// whether another kind claims it.
    names: HashMap<String, Listing>,
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

    /// Adds the entries of an alias file's text. A spelling this file lists
    /// (under any kind, or to ignore) is what this file says of it: what an
    /// earlier file said of that spelling no longer counts.
    pub fn add_toml(&mut self, text: &str) -> Result<(), String> {
        let file: AliasFile = toml::from_str(text).map_err(|e| e.message().to_string())?;
        let mut listed: HashMap<String, Listing> = HashMap::default();
        for name in &file.ignore {
            listed.entry(name.to_lowercase()).or_default().ignored = true;
        }
        for (kind, table) in [
            (EntityKind::Person, file.person),
            (EntityKind::Place, file.place),
            (EntityKind::Org, file.org),
        ] {
            for (canonical, variants) in table {
                for variant in variants.iter().chain(std::iter::once(&canonical)) {
                    listed.entry(variant.to_lowercase()).or_default().canonical[kind as usize] =
                        Some(canonical.clone());
                }
            }
        }
        self.names.extend(listed);
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

    /// Where a name tagged as `kind` belongs: nowhere when the table ignores
    /// it; else under the table's entry for `kind` if it has one, else
    /// under its entry for another kind (the first of person, place, org),
    /// which then decides the kind; `None` when the table does not list it.
    fn place(&self, kind: EntityKind, name: &str) -> Option<Placed<'_>> {
        super::gazetteer::with_lower(name, |lower| {
            let listed = self.names.get(lower)?;
            if listed.ignored {
                return Some(Placed::Dropped);
            }
            std::iter::once(kind)
                .chain(EntityKind::ALL)
                .find_map(|k| Some(Placed::As(k, listed.canonical[k as usize].as_deref()?)))
        })
    }

    /// Rewrites an article's entities to their canonical names, keeping each
    /// list unique and in order of first mention. A name the table lists
    /// under another kind only moves to that kind, after the names found
    /// there; a name it ignores is dropped.
    pub fn apply(&self, entities: &mut Entities) {
        if self.names.is_empty() {
            return;
        }
        let mut moved: [Vec<String>; 3] = Default::default();
        for kind in EntityKind::ALL {
            let list = entities.of_kind_mut(kind);
            let mut out: Vec<String> = Vec::with_capacity(list.len());
            for name in list.drain(..) {
                let (to, name) = match self.place(kind, &name) {
                    Some(Placed::As(to, canonical)) => (to, canonical.to_string()),
                    Some(Placed::Dropped) => continue,
                    None => (kind, name),
                };
                if to == kind {
                    push_new(&mut out, name);
                } else {
                    moved[to as usize].push(name);
                }
            }
            *list = out;
        }
        for (kind, names) in EntityKind::ALL.into_iter().zip(moved) {
            let list = entities.of_kind_mut(kind);
            for name in names {
                push_new(list, name);
            }
        }
    }
}

/// Where [`Aliases::place`] puts a name.
enum Placed<'a> {
    /// Under this kind, by this name.
    As(EntityKind, &'a str),
    /// Nowhere: not an entity.
    Dropped,
}

/// Adds `name` to `list` unless it holds it already, in any case.
fn push_new(list: &mut Vec<String>, name: String) {
    if !list.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
        list.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_table_parses() {
        let mut aliases = Aliases::default();
        aliases.add_toml(DEFAULT_ALIASES).unwrap();
        let mut e = entities(&["zelenskiy"], &["Kiev"], &[]);
        aliases.apply(&mut e);
        assert_eq!(e.persons, ["Volodymyr Zelenskyy"]);
        assert_eq!(e.places, ["Kyiv"]);
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

    fn entities(persons: &[&str], places: &[&str], orgs: &[&str]) -> Entities {
        let list = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
        Entities {
            persons: list(persons),
            places: list(places),
            orgs: list(orgs),
        }
    }

    /// `e` after the default table and then `table` (if any) are applied.
    fn applied(table: Option<&str>, mut e: Entities) -> Entities {
        let mut aliases = Aliases::defaults();
        if let Some(table) = table {
            aliases.add_toml(table).unwrap();
        }
        aliases.apply(&mut e);
        e
    }

    #[test]
    fn a_name_listed_under_another_kind_moves_there() {
        let e = applied(
            Some("[org]\n\"Alphabet\" = []\n[place]\n\"Kyiv\" = [\"Kiev\"]"),
            entities(
                &["ALPHABET", "Sergey Brin"],
                &["California"],
                &["Kiev", "Waymo", "Alphabet"],
            ),
        );
        assert_eq!(e.persons, ["Sergey Brin"]);
        assert_eq!(e.places, ["California", "Kyiv"]);
        // the names found there first, then the ones moved, each once
        assert_eq!(e.orgs, ["Waymo", "Alphabet"]);
    }

    #[test]
    fn the_default_table_knows_companies_tagged_as_persons() {
        let e = applied(
            None,
            entities(&["Google", "Chelsea", "Tony Blair"], &["BT", "London"], &[]),
        );
        assert_eq!(e.persons, ["Tony Blair"]);
        assert_eq!(e.places, ["London"]);
        assert_eq!(e.orgs, ["Google", "Chelsea", "BT"]);
    }

    #[test]
    fn the_default_table_knows_a_rapper_and_clubs_tagged_as_places() {
        // As BBC's news tags them: Kanye is also a town in Botswana.
        let e = applied(
            None,
            entities(&[], &["Kanye West", "West Ham", "Man Utd", "Leeds"], &[]),
        );
        assert_eq!(e.persons, ["Kanye West"]);
        assert_eq!(e.places, ["Leeds"]);
        assert_eq!(e.orgs, ["West Ham", "Manchester United"]);
    }

    #[test]
    fn an_ignored_name_is_dropped_from_every_kind() {
        let e = applied(
            Some("ignore = [\"Zune\"]\n[org]\n\"Microsoft\" = [\"MS\"]"),
            entities(&["ZUNE", "Xbox"], &["Redmond"], &["Zune", "MS"]),
        );
        assert!(e.persons.is_empty());
        assert_eq!(e.places, ["Redmond"]);
        assert_eq!(e.orgs, ["Microsoft"]);
    }

    #[test]
    fn a_later_file_overrides_what_the_defaults_say_of_a_spelling() {
        // The defaults ignore PC and make Chelsea an organisation.
        let e = applied(
            Some("[org]\n\"PC World\" = [\"PC\"]\n[person]\n\"Chelsea Clinton\" = [\"Chelsea\"]"),
            entities(&["Chelsea"], &[], &["PC"]),
        );
        assert_eq!(e.persons, ["Chelsea Clinton"]);
        assert_eq!(e.orgs, ["PC World"]);
    }

    #[test]
    fn a_bad_file_says_why() {
        let err = Aliases::default()
            .add_toml("[persons]\nx = [\"y\"]")
            .unwrap_err();
        assert!(err.contains("unknown field"), "{err}");
    }
}
