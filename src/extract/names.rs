//! Canonical names within one article. A possessive and a leading title are
//! dropped, a surname alone resolves to the one full name that ends with it,
//! a name seen as a person once is a person throughout, and mentions that
//! differ only in case become one name in its best-cased form.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::gazetteer::{contains, is_demonym, is_title_word, word_set, WordSet};
use super::{Entities, EntityKind, Mention};

/// Words a tagged span sometimes starts with that are never part of a name.
const LEADING_NOISE: &[&str] = &["AM", "PM", "GMT", "a.m.", "p.m."];

/// Function words: a tagged span sometimes ends with one in lower case,
/// which never ends a name, and one alone ("The") is never a name.
const TRAILING_NOISE: &[&str] = &["of", "and", "the", "for", "in", "on", "at", "to", "&"];

/// Feasts, named in news like places ("at Christmas") but never entities.
const HOLIDAYS: &[&str] = &[
    "Christmas",
    "Easter",
    "Ramadan",
    "Eid",
    "Thanksgiving",
    "Hanukkah",
    "Halloween",
    "Diwali",
    "Passover",
];

/// Countries' initials, a place even where tagged as an organisation ("US
/// court", "UK firm").
const COUNTRY_INITIALS: &[&str] = &["US", "U.S.", "USA", "U.S.A.", "UK", "U.K."];

/// Parties by their nicknames, an organisation even where tagged as a place.
const PARTY_NICKNAMES: &[&str] = &[
    "Tories",
    "Labour",
    "Lib Dems",
    "Conservatives",
    "Democrats",
    "Republicans",
    "UKIP",
];

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Whether `list` holds `name`, in any case.
fn one_of(list: &[&str], name: &str) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(name))
}

/// A single letter, with or without its period ("S", "J.").
fn is_initial(word: &str) -> bool {
    let mut chars = word.trim_end_matches('.').chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
}

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
    "deputy",
    "lord",
    "lady",
    "dame",
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

static TITLE_SET: LazyLock<WordSet> = LazyLock::new(|| word_set(TITLES));

/// Titles that also end names ("Burger King", "Attorney General", "Dairy
/// Queen"). Any other title ending a place or organisation ("Kyrgyz
/// President", "Lord Chancellor", "High Commissioner") makes it a role.
const ENDS_NAMES: &[&str] = &[
    "king", "queen", "prince", "pope", "general", "captain", "coach", "judge", "director",
];

/// Whether a place or organisation named `name` is an office, not a name.
fn is_role(name: &str) -> bool {
    let last = last_word(name);
    is_title(last) && !one_of(ENDS_NAMES, last)
}

fn is_title(word: &str) -> bool {
    contains(&TITLE_SET, word.trim_end_matches('.'))
}

fn is_name_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase) && !is_title(word) && !is_title_word(word)
}

/// Splits a tagged span at its last title: the words after it are a person
/// ("Special Envoy Steve Witkoff"), the words before it keep the span's kind.
/// A place joined by a hyphen ("Russia-Ukraine") becomes its places when
/// one of them is named on its own elsewhere (`places`, lower-cased), so
/// that "Nagorno-Karabakh" stays whole. Each part goes to `emit`; `words`
/// is scratch space.
fn split<'a>(
    text: &'a str,
    kind: EntityKind,
    places: &HashSet<String>,
    words: &mut Vec<&'a str>,
    mut emit: impl FnMut(&str, EntityKind),
) {
    words.clear();
    words.extend(text.split_whitespace());
    // In a span tagged as something else, a title and one word after it are
    // more often a name of that kind ("General Motors", "Prince Rupert")
    // than a person.
    let split_at =
        title_before_name(words).filter(|&t| kind == EntityKind::Person || words.len() - t > 2);
    if let Some(t) = split_at {
        let mut head = &words[..t];
        while head.last().is_some_and(|w| is_title_word(w)) {
            head = &head[..head.len() - 1];
        }
        if !head.is_empty() && kind != EntityKind::Person {
            emit(&join(text, head), kind);
        }
        emit(&join(text, &words[t + 1..]), EntityKind::Person);
        return;
    }
    if kind == EntityKind::Place && words.len() == 1 && text.contains(['-', '–']) {
        let mut parts = text.split(['-', '–']);
        let capitalised = parts
            .clone()
            .all(|p| p.chars().next().is_some_and(char::is_uppercase));
        if capitalised && parts.any(|p| places.contains(&p.to_lowercase())) {
            text.split(['-', '–']).for_each(|p| emit(p, kind));
            return;
        }
    }
    emit(text, kind);
}

/// `words` (consecutive words of `text`) joined by single spaces: borrowed
/// from `text` when they already are.
fn join<'a>(text: &'a str, words: &[&'a str]) -> std::borrow::Cow<'a, str> {
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return "".into();
    };
    let start = first.as_ptr() as usize - text.as_ptr() as usize;
    let end = last.as_ptr() as usize - text.as_ptr() as usize + last.len();
    single_spaced(&text[start..end])
}

/// The words of `text` joined by single spaces: `text` itself, trimmed, when
/// they already are.
fn single_spaced(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.trim();
    let mut after_space = false;
    let irregular = text.chars().any(|c| {
        let irregular = c.is_whitespace() && (c != ' ' || after_space);
        after_space = c == ' ';
        irregular
    });
    if irregular {
        text.split_whitespace().collect::<Vec<_>>().join(" ").into()
    } else {
        text.into()
    }
}

/// Where the last title is in a span's words, when a person's name (one to
/// four name words) follows it: "Special Envoy Steve Witkoff" → 1.
fn title_before_name(words: &[&str]) -> Option<usize> {
    let t = words.iter().rposition(|w| is_title(w))?;
    let tail = &words[t + 1..];
    let is_name = !tail.is_empty() && tail.len() <= 4 && tail.iter().all(|w| is_name_word(w));
    is_name.then_some(t)
}

/// The person in a span the tagger called neither person, place nor
/// organisation ("Special Envoy Steve Witkoff" tagged as miscellaneous).
pub fn person_in_other(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    title_before_name(&words).map(|t| words[t + 1..].join(" "))
}

/// Strips what is never part of a canonical name: quotes, a possessive,
/// a leading article, and (for persons) leading titles.
fn clean(text: &str, kind: EntityKind) -> Option<String> {
    let text = text.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    let mut text = ["’s", "'s", "’", "'"]
        .iter()
        .find_map(|s| text.strip_suffix(s))
        .unwrap_or(text);
    while let Some((first, after)) = first_and_rest(text) {
        if !LEADING_NOISE.contains(&first) {
            break;
        }
        text = after;
    }
    if kind == EntityKind::Person {
        while let Some((first, after)) = first_and_rest(text) {
            if !(is_title_word(first) || is_demonym(first)) {
                break;
            }
            // "Christian Cullen": a demonym before a lone surname, with no
            // title between, is a first name.
            let lone_surname = !after.contains(char::is_whitespace) && !is_title_word(after);
            if !is_title_word(first) && lone_surname {
                break;
            }
            text = after;
        }
    }
    // A name never ends with a lower-case function word ("Tories of",
    // "Michael Howard the" are spans that ran on), nor, after two words or
    // more, with a weekday ("Bob Dole Wednesday", "Tigers on Tuesday";
    // "Sheffield Wednesday" stays).
    while let Some((rest, last)) = text.trim_end().rsplit_once(char::is_whitespace) {
        let weekday = rest.trim().contains(char::is_whitespace) && one_of(WEEKDAYS, last);
        if !(TRAILING_NOISE.contains(&last) || weekday) {
            break;
        }
        text = rest;
    }
    let name = single_spaced(text);
    let useless = name.is_empty()
        || is_demonym(&name)
        || name
            .split(' ')
            .all(|w| is_title(w) || (kind == EntityKind::Person && is_title_word(w)))
        || (kind != EntityKind::Person && is_role(&name))
        || one_of(HOLIDAYS, &name)
        || one_of(TRAILING_NOISE, &name)
        || name.split(' ').all(is_initial)
        || !name.chars().any(char::is_alphabetic);
    (!useless).then(|| name.into_owned())
}

/// The first word of `text` and the text after it, when it has at least two
/// words.
fn first_and_rest(text: &str) -> Option<(&str, &str)> {
    let start = text.find(|c: char| !c.is_whitespace())?;
    let end = start + text[start..].find(char::is_whitespace)?;
    let rest = text[end..].trim_start();
    (!rest.is_empty()).then(|| (&text[start..end], rest))
}

fn last_word(name: &str) -> &str {
    name.rsplit(' ').next().unwrap_or(name)
}

fn is_all_caps(name: &str) -> bool {
    !name.chars().any(char::is_lowercase)
}

/// A name cleaned from a mention: the name, its lower case, its kind.
type Cleaned = (String, String, EntityKind);

/// What mentions cleaned to, by their text, then by their kind (`EntityKind as usize`).
type KnownMentions = HashMap<Box<str>, [Option<Box<[Cleaned]>>; 3]>;

/// Mentions seen in earlier articles before `CLEANED` starts afresh.
const CLEANED_MENTIONS: usize = 1 << 14;

thread_local! {
    /// What mentions met in earlier articles cleaned to (`clean_mention`), by their text and
    /// then their kind: the same names recur from one article to the next.
    static CLEANED: std::cell::RefCell<KnownMentions> = std::cell::RefCell::default();
}

/// The names one mention cleans to (none, one, or more where it holds a title or a slash),
/// pushed to `cleaned`. `places` are the article's places in lower case, needed only for a
/// hyphenated place; `words` is scratch space.
fn clean_mention<'a>(
    m: &'a Mention,
    places: &HashSet<String>,
    words: &mut Vec<&'a str>,
    cleaned: &mut Vec<Cleaned>,
) {
    // A slash parts persons ("Yap Kim Hock / Cheah Soon Kit", a doubles
    // pair); organisations keep theirs ("CDU / CSU", "Admira / Wacker").
    let person = m.kind == EntityKind::Person;
    for part in m.text.split(|c| c == '/' && person) {
        split(part, m.kind, places, words, |text, kind| {
            if let Some(name) = clean(text, kind) {
                let kind = match kind {
                    EntityKind::Org if one_of(COUNTRY_INITIALS, &name) => EntityKind::Place,
                    EntityKind::Place if one_of(PARTY_NICKNAMES, &name) => EntityKind::Org,
                    kind => kind,
                };
                let lower = if name.is_ascii() {
                    name.to_ascii_lowercase()
                } else {
                    name.to_lowercase()
                };
                cleaned.push((name, lower, kind));
            }
        });
    }
}

/// A place joined by a hyphen ("Russia-Ukraine"): what it cleans to depends on the article's
/// other places (`split`).
fn is_hyphenated_place(m: &Mention) -> bool {
    m.kind == EntityKind::Place && m.text.contains(['-', '–'])
}

/// Turns an article's mentions into its canonical entities.
pub fn canonicalise(mentions: &[Mention]) -> Entities {
    // Lower-cased places, needed only to split a hyphenated place.
    let places: HashSet<String> = if mentions.iter().any(is_hyphenated_place) {
        mentions
            .iter()
            .filter(|m| m.kind == EntityKind::Place)
            .map(|m| m.text.to_lowercase())
            .collect()
    } else {
        HashSet::default()
    };
    // (name, its lower case, kind)
    let mut cleaned: Vec<Cleaned> = Vec::with_capacity(mentions.len());
    let mut words = Vec::new();
    // A mention repeated word for word adds nothing to what its first
    // occurrence made (every step below keeps the first of equals).
    let mut met: HashSet<(&str, EntityKind)> =
        HashSet::with_capacity_and_hasher(mentions.len(), Default::default());
    CLEANED.with_borrow_mut(|known| {
        for m in mentions {
            if !met.insert((&m.text, m.kind)) {
                continue;
            }
            // What a mention cleans to depends on the mention alone, except for a hyphenated
            // place, which also depends on the article's other places.
            let hyphenated = is_hyphenated_place(m);
            if !hyphenated {
                if let Some(names) = known
                    .get(&*m.text)
                    .and_then(|k| k[m.kind as usize].as_ref())
                {
                    cleaned.extend(names.iter().cloned());
                    continue;
                }
            }
            let from = cleaned.len();
            clean_mention(m, &places, &mut words, &mut cleaned);
            if !hyphenated {
                if known.len() >= CLEANED_MENTIONS {
                    known.clear();
                }
                let kinds = known.entry(m.text.as_ref().into()).or_default();
                kinds[m.kind as usize] = Some(cleaned[from..].into());
            }
        }
    });

    // A name tagged as a person once is a person throughout.
    let mut person_names: HashSet<&str> =
        HashSet::with_capacity_and_hasher(cleaned.len(), Default::default());
    person_names.extend(
        cleaned
            .iter()
            .filter(|(_, _, k)| *k == EntityKind::Person)
            .map(|(_, lower, _)| lower.as_str()),
    );
    let persons: Vec<bool> = cleaned
        .iter()
        .map(|(_, lower, _)| person_names.contains(lower.as_str()))
        .collect();
    for ((_, _, kind), person) in cleaned.iter_mut().zip(persons) {
        if person {
            *kind = EntityKind::Person;
        }
    }

    // Full person names (with their lower case), by lowercased surname.
    let mut full_names: HashMap<&str, Vec<(&str, &str)>> =
        HashMap::with_capacity_and_hasher(cleaned.len(), Default::default());
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
    let mut seen: HashMap<(EntityKind, &str), usize> =
        HashMap::with_capacity_and_hasher(cleaned.len(), Default::default());
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

    fn m(text: &'static str, kind: EntityKind) -> Mention<'static> {
        Mention {
            text: text.into(),
            kind,
        }
    }

    #[test]
    fn what_an_earlier_article_cleaned_changes_nothing() {
        let first = canonicalise(&[
            m("Russia-Ukraine", EntityKind::Place),
            m("Russia", EntityKind::Place),
            m("President Vladimir Putin", EntityKind::Person),
        ]);
        assert_eq!(first.places, ["Russia", "Ukraine"]);
        // the same mentions in a later article: a hyphenated place is split only where one of
        // its parts is named alone in that article, whatever an earlier one held
        let later = canonicalise(&[
            m("Russia-Ukraine", EntityKind::Place),
            m("President Vladimir Putin", EntityKind::Person),
        ]);
        assert_eq!(later.places, ["Russia-Ukraine"]);
        assert_eq!(later.persons, ["Vladimir Putin"]);
        let again = canonicalise(&[m("President Vladimir Putin", EntityKind::Org)]);
        assert_eq!(again.persons, ["Vladimir Putin"]);
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
    fn a_slash_parts_persons_but_not_organisations() {
        let e = canonicalise(&[
            m("Yap Kim Hock / Cheah Soon Kit", EntityKind::Person),
            m("G du Toit/J Fourie", EntityKind::Person),
            m("CDU / CSU", EntityKind::Org),
        ]);
        assert_eq!(
            e.persons,
            ["Yap Kim Hock", "Cheah Soon Kit", "G du Toit", "J Fourie"]
        );
        assert_eq!(e.orgs, ["CDU / CSU"]);
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

    /// The mentions, then the persons, places and organisations they give.
    type Case<'a> = (
        &'a [Mention<'static>],
        &'a [&'a str],
        &'a [&'a str],
        &'a [&'a str],
    );

    #[test]
    fn spans_that_are_not_names_as_tagged() {
        use EntityKind::{Org, Person, Place};
        let cases: &[Case<'_>] = &[
            // a title and one word in a place or organisation are its name
            (
                &[
                    m("General Motors", Org),
                    m("Prince Rupert", Place),
                    m("Special Envoy Steve Witkoff", Org),
                ],
                &["Steve Witkoff"],
                &["Prince Rupert"],
                &["General Motors"],
            ),
            // a role or a bare title is neither a place nor an organisation
            (
                &[
                    m("Kyrgyz President", Place),
                    m("Lord Chancellor", Place),
                    m("Metropolitan Police Commissioner", Org),
                    m("Lord", Org),
                    m("Burger King", Org),
                    m("Department of Justice", Org),
                ],
                &[],
                &[],
                &["Burger King", "Department of Justice"],
            ),
            // a span that ran on into a function word ends before it
            (
                &[
                    m("Tories of", Org),
                    m("Michael Howard the", Person),
                    m("Lord of", Place),
                ],
                &["Michael Howard"],
                &[],
                &["Tories"],
            ),
            // a weekday after a name, a feast, and initials alone are not names
            (
                &[
                    m("Bob Dole Wednesday", Person),
                    m("Sheffield Wednesday", Org),
                    m("Christmas", Place),
                    m("S", Person),
                    m("The", Place),
                ],
                &["Bob Dole"],
                &[],
                &["Sheffield Wednesday"],
            ),
            // a country's initials are a place, a party's nickname an organisation
            (
                &[m("US", Org), m("Tories", Place)],
                &[],
                &["US"],
                &["Tories"],
            ),
            // a demonym before a lone surname is a first name
            (
                &[
                    m("Christian Cullen", Person),
                    m("Russian President Putin", Person),
                ],
                &["Christian Cullen", "Putin"],
                &[],
                &[],
            ),
        ];
        for (mentions, persons, places, orgs) in cases {
            let e = canonicalise(mentions);
            assert_eq!(e.persons, *persons, "{mentions:?}");
            assert_eq!(e.places, *places, "{mentions:?}");
            assert_eq!(e.orgs, *orgs, "{mentions:?}");
        }
    }
}
