//! Canonical names within one article. A possessive and a leading title are
//! dropped, a surname alone resolves to the one full name that ends with it,
//! a name seen as a person once is a person throughout, and mentions that
//! differ only in case become one name in its best-cased form.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::gazetteer::{is_demonym, is_title_word, with_lower};
use super::{Entities, EntityKind, Mention};

/// Words a tagged span sometimes starts with that are never part of a name.
const LEADING_NOISE: &[&str] = &["AM", "PM", "GMT", "a.m.", "p.m."];

/// Titles that, inside a tagged span, end whatever comes before them and
/// begin a person's name: "Defense Council Secretary Rustem Umerov".
const TITLES: &[&str] = &[
    "president",
    "secretary",
    "minister",
    "envoy",
    "chairman",
    "chairwoman",
    "chancellor",
    "senator",
    "governor",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "aide",
    "adviser",
    "advisor",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sir",
    "premier",
    "king",
    "queen",
    "prince",
    "pope",
    "director",
    "commissioner",
    "judge",
    "mayor",
    "coach",
    "general",
    "colonel",
    "captain",
];

fn is_title(word: &str) -> bool {
    with_lower(word.trim_end_matches('.'), |w| TITLES.contains(&w))
}

fn is_name_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase) && !is_title(word) && !is_title_word(word)
}

/// Splits a tagged span at its last title: the words after it are a person
/// ("Special Envoy Steve Witkoff"), the words before it keep the span's kind.
/// A place joined by a hyphen ("Russia-Ukraine") becomes its places when
/// one of them is named on its own elsewhere (`places`, lower-cased), so
/// that "Nagorno-Karabakh" stays whole.
fn split(text: &str, kind: EntityKind, places: &HashSet<String>) -> Vec<(String, EntityKind)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if let Some((t, person)) = titled_person(&words) {
        {
            let mut out = vec![(person, EntityKind::Person)];
            let mut head = &words[..t];
            while head.last().is_some_and(|w| is_title_word(w)) {
                head = &head[..head.len() - 1];
            }
            if !head.is_empty() && kind != EntityKind::Person {
                out.insert(0, (head.join(" "), kind));
            }
            return out;
        }
    }
    if kind == EntityKind::Place && words.len() == 1 && text.contains(['-', '–']) {
        let parts: Vec<&str> = text.split(['-', '–']).collect();
        let capitalised = parts
            .iter()
            .all(|p| p.chars().next().is_some_and(char::is_uppercase));
        if capitalised && parts.iter().any(|p| places.contains(&p.to_lowercase())) {
            return parts.into_iter().map(|p| (p.to_string(), kind)).collect();
        }
    }
    vec![(text.to_string(), kind)]
}

/// The person named after the last title in a span's words, with the
/// title's position: "Special Envoy Steve Witkoff" → (1, "Steve Witkoff").
fn titled_person(words: &[&str]) -> Option<(usize, String)> {
    let t = words.iter().rposition(|w| is_title(w))?;
    let tail = &words[t + 1..];
    let is_name = !tail.is_empty() && tail.len() <= 4 && tail.iter().all(|w| is_name_word(w));
    is_name.then(|| (t, tail.join(" ")))
}

/// The person in a span the tagger called neither person, place nor
/// organisation ("Special Envoy Steve Witkoff" tagged as miscellaneous).
pub fn person_in_other(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    titled_person(&words).map(|(_, person)| person)
}

/// Strips what is never part of a canonical name: quotes, a possessive,
/// a leading article, and (for persons) leading titles.
fn clean(text: &str, kind: EntityKind) -> Option<String> {
    let text = text.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    let text = ["’s", "'s", "’", "'"]
        .iter()
        .find_map(|s| text.strip_suffix(s))
        .unwrap_or(text);
    let mut words: Vec<&str> = text.split_whitespace().collect();
    while words.len() > 1 && LEADING_NOISE.contains(&words[0]) {
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
        || (kind == EntityKind::Person && words.iter().all(|w| is_title_word(w)))
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
    let places: HashSet<String> = mentions
        .iter()
        .filter(|m| m.kind == EntityKind::Place)
        .map(|m| m.text.to_lowercase())
        .collect();
    // (name, its lower case, kind)
    let mut cleaned: Vec<(String, String, EntityKind)> = mentions
        .iter()
        .flat_map(|m| split(&m.text, m.kind, &places))
        .filter_map(|(text, kind)| {
            let name = clean(&text, kind)?;
            let lower = name.to_lowercase();
            Some((name, lower, kind))
        })
        .collect();

    // A name tagged as a person once is a person throughout.
    let person_names: HashSet<String> = cleaned
        .iter()
        .filter(|(_, _, k)| *k == EntityKind::Person)
        .map(|(_, lower, _)| lower.clone())
        .collect();
    for (_, lower, kind) in cleaned.iter_mut() {
        if person_names.contains(lower.as_str()) {
            *kind = EntityKind::Person;
        }
    }

    // Full person names (with their lower case), by lowercased surname.
    let mut full_names: HashMap<&str, Vec<(&str, &str)>> = HashMap::default();
    for (name, lower, kind) in &cleaned {
        if *kind == EntityKind::Person && name.contains(' ') {
            let by_surname = full_names.entry(last_word(lower)).or_default();
            if !by_surname.iter().any(|(_, l)| l == lower) {
                by_surname.push((name, lower));
            }
        }
    }

    let mut entities = Entities::default();
    // (kind, lowercased name) -> index into that kind's list
    let mut seen: HashMap<(EntityKind, &str), usize> = HashMap::default();
    for (name, lower, kind) in &cleaned {
        let single = !name.contains(' ');
        // A person's surname is never an organisation.
        let is_person = *kind == EntityKind::Person
            || (*kind == EntityKind::Org && single && full_names.contains_key(lower.as_str()));
        let kind = if is_person { EntityKind::Person } else { *kind };
        // A surname alone resolves to the one full name ending with it.
        let (name, lower) = match full_names.get(lower.as_str()).map(Vec::as_slice) {
            Some(&[full]) if is_person && single => full,
            _ => (name.as_str(), lower.as_str()),
        };
        let list = entities.of_kind_mut(kind);
        match seen.get(&(kind, lower)).copied() {
            Some(at) => {
                if is_all_caps(&list[at]) && !is_all_caps(name) {
                    list[at] = name.to_string();
                }
            }
            None => {
                seen.insert((kind, lower), list.len());
                list.push(name.to_string());
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
