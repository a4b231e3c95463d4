//! Named entities: which persons, places and organisations an article
//! mentions, under canonical names. `entities` is the one entry point, a pure
//! function from text to names; `mentions` finds spans, `names` makes them
//! canonical within the article.

mod aliases;
mod gazetteer;
mod names;

pub use aliases::Aliases;

use serde::Serialize;

use crate::article::Article;
use crate::ner::{self, Tagger};

/// The kinds of entity newsdex facets on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Place,
    Org,
}

impl EntityKind {
    pub const ALL: [EntityKind; 3] = [EntityKind::Person, EntityKind::Place, EntityKind::Org];

    /// The facet root and the word a user types: `person`, `place`, `org`.
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Org => "org",
        }
    }

    /// The inverse of [`EntityKind::name`].
    pub fn from_name(name: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// One name found in the text, before canonicalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention<'a> {
    pub text: std::borrow::Cow<'a, str>,
    pub kind: EntityKind,
}

/// The canonical entities of one article, each list unique and in order of
/// first mention.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Entities {
    pub persons: Vec<String>,
    pub places: Vec<String>,
    pub orgs: Vec<String>,
}

impl Entities {
    pub fn of_kind(&self, kind: EntityKind) -> &[String] {
        match kind {
            EntityKind::Person => &self.persons,
            EntityKind::Place => &self.places,
            EntityKind::Org => &self.orgs,
        }
    }

    /// The list of one kind, to add to or rewrite.
    pub fn of_kind_mut(&mut self, kind: EntityKind) -> &mut Vec<String> {
        match kind {
            EntityKind::Person => &mut self.persons,
            EntityKind::Place => &mut self.places,
            EntityKind::Org => &mut self.orgs,
        }
    }

    /// Every entity with its kind, persons first.
    pub fn iter(&self) -> impl Iterator<Item = (EntityKind, &str)> {
        EntityKind::ALL
            .into_iter()
            .flat_map(move |k| self.of_kind(k).iter().map(move |n| (k, n.as_str())))
    }
}

/// The persons, places and organisations `text` mentions, with names made
/// canonical within it.
///
/// ```
/// let e = newsdex::extract::entities(
///     "President Vladimir Putin met envoys in Moscow. Putin’s aide spoke to TASS.",
/// );
/// assert_eq!(e.persons, ["Vladimir Putin"]);
/// assert_eq!(e.places, ["Moscow"]);
/// assert_eq!(e.orgs, ["TASS"]);
/// ```
pub fn entities(text: &str) -> Entities {
    names::canonicalise(&mentions(text))
}

/// Loads the tagger's model (once per process), so that a caller can do it
/// while it has other work in hand rather than on the first article.
pub fn warm_up() {
    Tagger::embedded();
}

/// Says why the tagger's model cannot be loaded when it comes from a file
/// named by `NEWSDEX_NER_MODEL` (missing, or not a model), loading it now.
/// The embedded model is left to [`warm_up`], off the critical path.
pub fn check_tagger() -> crate::error::Result<()> {
    if !Tagger::from_file() {
        return Ok(());
    }
    Tagger::try_embedded()
        .map(|_| ())
        .map_err(crate::Error::BadArgument)
}

/// The person, place and organisation mentions the tagger finds in `text`.
fn mentions(text: &str) -> Vec<Mention<'_>> {
    Tagger::embedded()
        .mentions(text)
        .into_iter()
        .filter_map(|m| {
            let kind = match m.kind {
                ner::Kind::Person => EntityKind::Person,
                ner::Kind::Place => EntityKind::Place,
                ner::Kind::Org => EntityKind::Org,
                ner::Kind::Misc => {
                    let person = names::person_in_other(text.get(m.start..m.end)?)?;
                    return Some(Mention {
                        text: person.into(),
                        kind: EntityKind::Person,
                    });
                }
            };
            Some(Mention {
                text: text.get(m.start..m.end)?.into(),
                kind,
            })
        })
        .collect()
}

/// The entities of an article: its title and body (the title only once when
/// the body already begins with it), with names made canonical across
/// articles by `aliases`.
pub fn article_entities(article: &Article, aliases: &Aliases) -> Entities {
    let title = article.title.trim_end_matches('…');
    let mut found = if article.body.starts_with(title) {
        entities(&article.body)
    } else {
        entities(&[article.title.as_str(), "\n\n", &article.body].concat())
    };
    aliases.apply(&mut found);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn persons(text: &str) -> Vec<String> {
        entities(text).persons
    }

    #[test]
    fn title_and_demonym_are_dropped() {
        assert_eq!(
            persons("Envoys met Russian President Vladimir Putin in Moscow on Tuesday."),
            ["Vladimir Putin"]
        );
    }

    #[test]
    fn possessive_surname_resolves_to_full_name() {
        let text = "Vladimir Putin spoke on Monday. Putin’s press secretary Dmitry Peskov said talks went well.";
        assert_eq!(persons(text), ["Vladimir Putin", "Dmitry Peskov"]);
    }

    #[test]
    fn office_before_a_name_is_not_the_name() {
        let text = "Additionally, U.S. Secretary of State Marco Rubio, who did not attend the meeting, said progress was made.";
        assert_eq!(persons(text), ["Marco Rubio"]);
    }

    #[test]
    fn possessive_before_a_relation() {
        let text = "Jared Kushner, President Donald Trump’s son-in-law, flew to Moscow. Trump’s son-in-law said little.";
        assert_eq!(persons(text), ["Jared Kushner", "Donald Trump"]);
    }

    #[test]
    fn the_trump_administration_mentions_donald_trump() {
        let text = "President Donald Trump spoke on Friday. Critics said the Trump administration had no plan.";
        let e = entities(text);
        assert_eq!(e.persons, ["Donald Trump"]);
        assert!(!e.orgs.iter().any(|o| o.contains("Trump")), "{:?}", e.orgs);
    }

    #[test]
    fn mr_and_surname_resolve() {
        let text = "U.S. Special Envoy Steve Witkoff arrived. “The president will meet with Mr. Witkoff,” an aide said.";
        assert_eq!(persons(text), ["Steve Witkoff"]);
    }

    #[test]
    fn case_variants_are_one_place() {
        let e =
            entities("LONDON 1996-08-30\nShares fell in London on Friday, dealers in London said.");
        assert_eq!(e.places, ["London"]);
    }
}
