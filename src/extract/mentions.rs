//! Finding entity mentions in text: runs of capitalised words, classified by
//! the words around them (a title before a name, an organisation word at the
//! end of one) and by the gazetteers. A lone capitalised word counts only as
//! the surname of a person named in full elsewhere in the text.

use std::collections::HashSet;

use super::gazetteer::{is_demonym, is_org_name, is_org_word, is_place, is_title_word};
use super::{EntityKind, Mention};

/// Lower-case words that may sit inside a name ("Secretary of State", "Ludwig van Beethoven").
const CONNECTORS: &[&str] = &[
    "of", "de", "van", "von", "der", "den", "bin", "al", "da", "di", "du", "le", "la", "del",
];

/// Capitalised words that are never part of a name.
const NOT_NAMES: &[&str] = &[
    "i",
    "pm",
    "am",
    "gmt",
    "a",
    "an",
    "the",
    "in",
    "on",
    "at",
    "to",
    "for",
    "from",
    "by",
    "with",
    "as",
    "but",
    "and",
    "or",
    "if",
    "when",
    "while",
    "although",
    "though",
    "after",
    "before",
    "during",
    "since",
    "until",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "he",
    "she",
    "they",
    "we",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "your",
    "there",
    "here",
    "what",
    "which",
    "who",
    "whom",
    "whose",
    "why",
    "how",
    "where",
    "all",
    "both",
    "some",
    "any",
    "many",
    "most",
    "more",
    "no",
    "not",
    "yes",
    "so",
    "then",
    "now",
    "also",
    "still",
    "yet",
    "just",
    "only",
    "even",
    "however",
    "meanwhile",
    "moreover",
    "additionally",
    "according",
    "despite",
    "because",
    "under",
    "over",
    "about",
    "into",
    "through",
    "between",
    "among",
    "against",
    "without",
    "within",
    "each",
    "every",
    "other",
    "another",
    "such",
    "one",
    "two",
    "three",
    "last",
    "next",
    "first",
    "new",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "is",
    "was",
    "are",
    "were",
    "be",
    "will",
    "would",
    "can",
    "could",
    "should",
    "must",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "said",
    "says",
    "mr",
    "mrs",
    "ms",
    "dr",
];

/// A word of the text with its position and what stands before it.
#[derive(Debug)]
struct Token<'a> {
    text: &'a str,
    /// Punctuation or a line break separates it from the previous token.
    break_before: bool,
    /// It starts a sentence (or a line, or a quotation).
    sentence_start: bool,
}

fn strip_possessive(word: &str) -> &str {
    for suffix in ["’s", "'s", "’", "'"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            return stem;
        }
    }
    word
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte = |k: usize| chars.get(k).map_or(text.len(), |&(b, _)| b);
    let mut tokens = Vec::new();
    let mut gap_start = 0;
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        loop {
            if j < chars.len() && chars[j].1.is_alphanumeric() {
                j += 1;
            } else if j + 1 < chars.len()
                && matches!(chars[j].1, '.' | '\'' | '’' | '-' | '–' | '&')
                && chars[j + 1].1.is_alphanumeric()
            {
                j += 2;
            } else {
                break;
            }
        }
        let (start, mut end) = (byte(i), byte(j));
        let word = &text[start..end];
        // "U.S." and "Mr." keep their period; any other period is punctuation.
        if chars.get(j).is_some_and(|&(_, c)| c == '.')
            && (word.contains('.') || (is_title_word(word) && word.len() <= 4))
        {
            end = byte(j + 1);
            j += 1;
        }
        let gap = &text[gap_start..start];
        let break_before =
            tokens.is_empty() || gap.contains(|g: char| !g.is_whitespace() || g == '\n');
        let sentence_start =
            tokens.is_empty() || gap.contains(['\n', '.', '!', '?', ':', '“', '"', '(']);
        tokens.push(Token {
            text: strip_possessive(&text[start..end]),
            break_before,
            sentence_start,
        });
        gap_start = end;
        i = j;
    }
    tokens
}

/// Whether the capitalised words ahead end in an organisation word, so that
/// an "and" before them joins one name ("Security and Defense Council").
fn org_follows(tokens: &[Token<'_>]) -> bool {
    let run = tokens
        .iter()
        .take_while(|t| !t.break_before && is_capitalised(t.text))
        .take(4);
    run.last().is_some_and(|t| is_org_word(t.text))
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_all_caps(word: &str) -> bool {
    word.chars().any(char::is_alphabetic) && !word.chars().any(char::is_lowercase)
}

fn is_not_name(word: &str) -> bool {
    NOT_NAMES.contains(&word.to_lowercase().as_str())
}

/// Finds the mentions in `text`, in order.
pub fn find(text: &str) -> Vec<Mention> {
    let tokens = tokenize(text);
    let lowercase_words: HashSet<&str> = tokens
        .iter()
        .filter(|t| t.text.chars().next().is_some_and(char::is_lowercase))
        .map(|t| t.text)
        .collect();
    let mut found: Vec<(usize, Mention)> = Vec::new();
    let mut singles: Vec<(usize, &str)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !is_capitalised(tokens[i].text) || is_not_name(tokens[i].text) {
            i += 1;
            continue;
        }
        // Grow a run of capitalised words, allowing connectors inside it.
        let mut j = i + 1;
        while j < tokens.len() && !tokens[j].break_before {
            let w = tokens[j].text;
            if is_capitalised(w) && !is_not_name(w) {
                j += 1;
            } else if (CONNECTORS.contains(&w) || (w == "and" && org_follows(&tokens[j + 1..])))
                && j + 1 < tokens.len()
                && !tokens[j + 1].break_before
                && is_capitalised(tokens[j + 1].text)
            {
                j += 2;
            } else {
                break;
            }
        }
        let mut run: Vec<&str> = tokens[i..j].iter().map(|t| t.text).collect();
        // A common word that merely opens a sentence is not part of a name.
        if tokens[i].sentence_start && lowercase_words.contains(run[0].to_lowercase().as_str()) {
            run.remove(0);
        }
        let prev = i.checked_sub(1).map(|p| tokens[p].text);
        classify(&run, prev, i, &mut found, &mut singles);
        i = j;
    }
    // A lone word is a person when it is the surname of a person named in full.
    let surnames: HashSet<String> = found
        .iter()
        .filter(|(_, m)| m.kind == EntityKind::Person && m.text.contains(' '))
        .filter_map(|(_, m)| m.text.rsplit(' ').next().map(str::to_lowercase))
        .collect();
    for (pos, word) in singles {
        if surnames.contains(&word.to_lowercase()) {
            found.push((pos, mention(word, EntityKind::Person)));
        }
    }
    found.sort_by_key(|(pos, _)| *pos);
    found.into_iter().map(|(_, m)| m).collect()
}

fn mention(text: &str, kind: EntityKind) -> Mention {
    Mention {
        text: text.to_string(),
        kind,
    }
}

fn classify<'a>(
    run: &[&'a str],
    prev: Option<&str>,
    pos: usize,
    found: &mut Vec<(usize, Mention)>,
    singles: &mut Vec<(usize, &'a str)>,
) {
    let run: Vec<&str> = run.iter().copied().skip_while(|w| is_demonym(w)).collect();
    if run.is_empty() || run.iter().all(|w| is_title_word(w) || is_demonym(w)) {
        return;
    }
    if run.len() == 1 && run[0].contains(['-', '–']) {
        // "Russia-Ukraine": each part that is a place.
        for part in run[0].split(['-', '–']) {
            if is_place(part) {
                found.push((pos, mention(part, EntityKind::Place)));
            }
        }
        return;
    }
    if run.len() > 1 && run.iter().all(|w| is_all_caps(w)) {
        return; // a shouted headline, not a name
    }
    let name = run.join(" ");
    if is_place(&name) {
        found.push((pos, mention(&name, EntityKind::Place)));
        return;
    }
    if is_org_name(&name) || run.last().is_some_and(|w| is_org_word(w)) {
        found.push((pos, mention(&name, EntityKind::Org)));
        return;
    }
    // A title inside the run: the name follows the last title word.
    if let Some(t) = run.iter().rposition(|w| is_title_word(w)) {
        if t + 1 < run.len() {
            let person = &run[t + 1..];
            if !person.iter().any(|w| is_org_word(w)) {
                found.push((pos + t + 1, mention(&person.join(" "), EntityKind::Person)));
            }
            let mut head: Vec<&str> = run[..t].to_vec();
            while head.last().is_some_and(|w| is_title_word(w)) {
                head.pop();
            }
            if !head.is_empty() {
                classify(&head, None, pos, found, singles);
            }
            return;
        }
    }
    let after_title = prev.is_some_and(|p| is_title_word(p) && p.chars().all(char::is_lowercase));
    if run.len() == 1 {
        let word = run[0];
        if is_all_caps(word)
            && (2..=5).contains(&word.len())
            && word.chars().all(char::is_alphabetic)
        {
            found.push((pos, mention(word, EntityKind::Org)));
        } else if after_title {
            found.push((pos, mention(word, EntityKind::Person)));
        } else if !is_all_caps(word) {
            singles.push((pos, word));
        }
        return;
    }
    if run.len() <= 4 && run.iter().all(|w| !is_all_caps(w) && !is_place(w)) {
        found.push((pos, mention(&name, EntityKind::Person)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str, kind: EntityKind) -> Vec<String> {
        find(text)
            .into_iter()
            .filter(|m| m.kind == kind)
            .map(|m| m.text)
            .collect()
    }

    #[test]
    fn titles_are_not_names() {
        assert_eq!(
            names(
                "U.S. Secretary of State Marco Rubio met Russian President Vladimir Putin.",
                EntityKind::Person
            ),
            ["Marco Rubio", "Vladimir Putin"]
        );
    }

    #[test]
    fn surname_alone_needs_a_full_name() {
        let text = "Steve Witkoff arrived. Witkoff’s role grew. Experts agree.";
        assert_eq!(
            names(text, EntityKind::Person),
            ["Steve Witkoff", "Witkoff"]
        );
    }

    #[test]
    fn hyphenated_places_split() {
        assert_eq!(
            names("the Russia-Ukraine conflict", EntityKind::Place),
            ["Russia", "Ukraine"]
        );
    }

    #[test]
    fn acronym_is_an_org() {
        assert_eq!(
            names("the state-run news agency TASS.", EntityKind::Org),
            ["TASS"]
        );
    }
}
