//! Canonical names within one article. A possessive and a leading title are
//! dropped, a surname alone resolves to the one full name that ends with it,
//! a name seen as a person once is a person throughout, and mentions that
//! differ only in case become one name in its best-cased form.

use std::collections::HashMap;

use super::gazetteer::{is_demonym, is_title_word};
use super::{Entities, EntityKind, Mention};

/// Strips what is never part of a canonical name: quotes, a possessive,
/// a leading article, and (for persons) leading titles.
fn clean(text: &str, kind: EntityKind) -> Option<String> {
    let text = text.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    let text = ["’s", "'s", "’", "'"]
        .iter()
        .find_map(|s| text.strip_suffix(s))
        .unwrap_or(text);
    let mut words: Vec<&str> = text.split_whitespace().collect();
    while words.len() > 1 && matches!(words[0], "the" | "The" | "THE") {
        words.remove(0);
    }
    if kind == EntityKind::Person {
        while words.len() > 1 && (is_title_word(words[0]) || is_demonym(words[0])) {
            words.remove(0);
        }
    }
    let name = words.join(" ");
    let useless = name.is_empty()
        || is_demonym(&name)
        || words.iter().all(|w| is_title_word(w))
        || !name.chars().any(char::is_alphabetic);
    (!useless).then_some(name)
}

fn last_word(name: &str) -> &str {
    name.rsplit(' ').next().unwrap_or(name)
}

fn is_all_caps(name: &str) -> bool {
    !name.chars().any(char::is_lowercase)
}

/// Turns an article's mentions into its canonical entities.
pub fn canonicalise(mentions: &[Mention]) -> Entities {
    let cleaned: Vec<(String, EntityKind)> = mentions
        .iter()
        .filter_map(|m| clean(&m.text, m.kind).map(|n| (n, m.kind)))
        .collect();

    // Full person names, by lowercased surname.
    let mut full_names: HashMap<String, Vec<String>> = HashMap::new();
    for (name, kind) in &cleaned {
        if *kind == EntityKind::Person && name.contains(' ') {
            let by_surname = full_names
                .entry(last_word(name).to_lowercase())
                .or_default();
            if !by_surname.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                by_surname.push(name.clone());
            }
        }
    }
    let person_names: Vec<String> = cleaned
        .iter()
        .filter(|(_, k)| *k == EntityKind::Person)
        .map(|(n, _)| n.to_lowercase())
        .collect();

    let mut entities = Entities::default();
    // lowercased (kind, name) -> index into that kind's list
    let mut seen: HashMap<(EntityKind, String), usize> = HashMap::new();
    for (name, kind) in cleaned {
        let lower = name.to_lowercase();
        let is_person = kind == EntityKind::Person
            || person_names.contains(&lower)
            || (!name.contains(' ') && full_names.contains_key(&lower));
        let (kind, name) = if is_person {
            let resolved = match full_names.get(&lower) {
                Some(full) if !name.contains(' ') && full.len() == 1 => full[0].clone(),
                _ => name,
            };
            (EntityKind::Person, resolved)
        } else {
            (kind, name)
        };
        let list = match kind {
            EntityKind::Person => &mut entities.persons,
            EntityKind::Place => &mut entities.places,
            EntityKind::Org => &mut entities.orgs,
        };
        match seen.get(&(kind, name.to_lowercase())) {
            Some(&at) => {
                if is_all_caps(&list[at]) && !is_all_caps(&name) {
                    list[at] = name;
                }
            }
            None => {
                seen.insert((kind, name.to_lowercase()), list.len());
                list.push(name);
            }
        }
    }
    entities
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str, kind: EntityKind) -> Mention {
        Mention {
            text: text.to_string(),
            kind,
        }
    }

    #[test]
    fn surname_possessive_and_title_resolve_to_full_name() {
        let e = canonicalise(&[
            m("President Vladimir Putin", EntityKind::Person),
            m("Putin’s", EntityKind::Person),
            m("PUTIN", EntityKind::Org),
        ]);
        assert_eq!(e.persons, ["Vladimir Putin"]);
        assert!(e.orgs.is_empty());
    }

    #[test]
    fn ambiguous_surname_is_kept_as_is() {
        let e = canonicalise(&[
            m("William Weld", EntityKind::Person),
            m("Franny Weld", EntityKind::Person),
            m("Weld", EntityKind::Person),
        ]);
        assert_eq!(e.persons, ["William Weld", "Franny Weld", "Weld"]);
    }

    #[test]
    fn case_variants_merge_into_best_cased_form() {
        let e = canonicalise(&[
            m("LONDON", EntityKind::Place),
            m("London", EntityKind::Place),
        ]);
        assert_eq!(e.places, ["London"]);
    }

    #[test]
    fn demonyms_are_dropped() {
        let e = canonicalise(&[
            m("Russian", EntityKind::Place),
            m("Ukrainian", EntityKind::Org),
        ]);
        assert_eq!(e, Entities::default());
    }
}
