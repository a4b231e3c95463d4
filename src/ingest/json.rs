//! JSON articles: a .json file holding one object, or a .jsonl file holding
//! one object per line. Fields: title, body (or text, content), date, url,
//! source, author, id.

use serde_json::{Map, Value};

use super::{decode, path_doc_id, text::headline, Item, Skipped};
use crate::article::Article;

pub(super) fn read_file(rel: &str, bytes: &[u8]) -> Item {
    parse(rel, rel.to_string(), rel.to_string(), bytes)
}

pub(super) fn read_line(rel: &str, line_no: usize, bytes: &[u8]) -> Item {
    parse(
        rel,
        format!("{rel}#{line_no}"),
        format!("{rel}:{line_no}"),
        bytes,
    )
}

fn parse(rel: &str, id: String, location: String, bytes: &[u8]) -> Item {
    let skipped = |reason: String| {
        Item::Skipped(Skipped {
            location: location.clone(),
            reason,
        })
    };
    let decoded = match decode(bytes) {
        Ok(decoded) => decoded,
        Err(reason) => return skipped(reason.to_string()),
    };
    let value: Value = match serde_json::from_str(&decoded.text) {
        Ok(value) => value,
        Err(err) => return skipped(format!("broken JSON: {err}")),
    };
    let Value::Object(obj) = value else {
        return skipped("JSON is not an object".to_string());
    };
    let title = string_field(&obj, &["title", "headline"]).unwrap_or_default();
    let body = string_field(&obj, &["body", "text", "content"]).unwrap_or_default();
    if title.is_empty() && body.is_empty() {
        return skipped("no text: the title and body are both empty".to_string());
    }
    let (title, body) = if body.is_empty() {
        (title.clone(), title)
    } else if title.is_empty() {
        (headline(&body), body)
    } else {
        (title, body)
    };
    let doc_id = string_field(&obj, &["id"]).unwrap_or_else(|| path_doc_id(rel));
    let article = Article {
        id,
        path: rel.to_string(),
        doc_id,
        title,
        body,
        date: string_field(&obj, &["date", "published", "datetime"])
            .and_then(|d| crate::dates::parse_date(&d)),
        url: string_field(&obj, &["url"]),
        source: string_field(&obj, &["source"]),
        author: string_field(&obj, &["author"]),
    };
    if decoded.fallback {
        Item::Decoded(article)
    } else {
        Item::Article(article)
    }
}

/// The first of `names` that holds a non-empty string (or a number, for ids).
fn string_field(obj: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| match obj.get(*name)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(item: Item) -> Article {
        match item {
            Item::Article(a) => a,
            other => panic!("expected an article, got {other:?}"),
        }
    }

    #[test]
    fn reads_fields_and_aliases() {
        let line = br#"{"id": 7, "title": "OIL UP", "text": "Prices rose.", "date": "1987-02-26T15:01:01"}"#;
        let a = article(read_line("r/a.jsonl", 3, line));
        assert_eq!(a.id, "r/a.jsonl#3");
        assert_eq!(a.doc_id, "7");
        assert_eq!(a.body, "Prices rose.");
        assert_eq!(a.date.unwrap().to_string(), "1987-02-26");
    }

    #[test]
    fn title_only_record_indexes_its_title() {
        let a = article(read_line("r.jsonl", 1, br#"{"title": "GOLD FALLS"}"#));
        assert_eq!(a.body, "GOLD FALLS");
    }

    #[test]
    fn empty_record_is_skipped_with_line() {
        match read_line("r.jsonl", 9, br#"{"id": 1, "title": "", "body": " "}"#) {
            Item::Skipped(s) => {
                assert_eq!(s.location, "r.jsonl:9");
                assert_eq!(s.reason, "no text: the title and body are both empty");
            }
            other => panic!("expected skip, got {other:?}"),
        }
    }

    #[test]
    fn broken_json_is_skipped() {
        match read_file("a.json", b"{\"title\": ") {
            Item::Skipped(s) => assert!(s.reason.starts_with("broken JSON: "), "{}", s.reason),
            other => panic!("expected skip, got {other:?}"),
        }
    }
}
