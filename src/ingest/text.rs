//! Plain-text and Markdown articles. The title is the first non-empty line.
//! When that line is a whole paragraph rather than a headline, the title is
//! its first sentence cut to headline length and the paragraph stays in the body.

use super::{decode, path_doc_id, Item, Skipped};
use crate::article::Article;
use crate::passage;

/// A first line with more words than this is a paragraph, not a headline.
const HEADLINE_MAX_WORDS: usize = 20;
/// A title made from a sentence is cut to about this many characters.
const HEADLINE_MAX_CHARS: usize = 100;

pub(super) fn read(rel: &str, bytes: &[u8]) -> Item {
    let decoded = match decode(bytes) {
        Ok(decoded) => decoded,
        Err(reason) => return skipped(rel, reason),
    };
    let Some(article) = parse(rel, &decoded.text) else {
        return skipped(rel, "empty article");
    };
    if decoded.fallback {
        Item::Decoded(article)
    } else {
        Item::Article(article)
    }
}

fn skipped(rel: &str, reason: &str) -> Item {
    Item::Skipped(Skipped {
        location: rel.to_string(),
        reason: reason.to_string(),
    })
}

/// Splits text into title and body; None when there is no text at all.
fn parse(rel: &str, text: &str) -> Option<Article> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let first = first.trim().trim_start_matches('#').trim();
    let (title, body) = if first.split_whitespace().count() > HEADLINE_MAX_WORDS {
        (headline(first), text.to_string())
    } else {
        (first.to_string(), rest.trim().to_string())
    };
    // A file holding only a headline is still searchable by it.
    let body = if body.is_empty() { title.clone() } else { body };
    Some(Article {
        id: rel.to_string(),
        path: rel.to_string(),
        doc_id: path_doc_id(rel),
        title,
        body,
        ..Article::default()
    })
}

/// A headline from a paragraph: its first sentence, cut at a word boundary.
pub(crate) fn headline(paragraph: &str) -> String {
    let first = passage::sentences(paragraph)
        .first()
        .map_or(paragraph, |r| &paragraph[r.clone()])
        .trim();
    if first.chars().count() <= HEADLINE_MAX_CHARS {
        return first.to_string();
    }
    let mut cut = 0;
    for (i, c) in first.char_indices() {
        if i > HEADLINE_MAX_CHARS {
            break;
        }
        if c.is_whitespace() {
            cut = i;
        }
    }
    let cut = if cut == 0 { first.len() } else { cut };
    format!("{}…", first[..cut].trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_first_line_is_the_title() {
        let a = parse(
            "tech/001.txt",
            "Ink helps drive democracy\n\nBody text here.",
        )
        .unwrap();
        assert_eq!(a.title, "Ink helps drive democracy");
        assert_eq!(a.body, "Body text here.");
        assert_eq!(a.doc_id, "tech/001");
    }

    #[test]
    fn paragraph_first_line_stays_in_body() {
        let para = "In a potentially pivotal moment for ending the devastating Russia-Ukraine conflict, U.S. Special Envoy Steve Witkoff and Jared Kushner are scheduled to meet with Russian President Vladimir Putin in Moscow. Second sentence.";
        let a = parse("a.txt", para).unwrap();
        assert!(a.title.starts_with("In a potentially pivotal moment"));
        assert!(a.title.ends_with('…'));
        assert!(a.title.chars().count() <= HEADLINE_MAX_CHARS + 1);
        assert_eq!(a.body, para);
    }

    #[test]
    fn blank_file_is_no_article() {
        assert!(parse("a.txt", " \n\n ").is_none());
    }
}
