//! Saved web pages as articles: the declared charset (else UTF-8, else
//! Windows-1252), the main text and metadata from `html`, and the title,
//! date, author, site and URL mapped onto an `Article`.

use super::{decode, html, path_doc_id, Item, Skipped};

/// Reads a saved web page as an article: its declared charset (or UTF-8, or
/// Windows-1252), its main text, and its metadata.
pub(super) fn read(rel: &str, bytes: &[u8]) -> Item {
    let skipped = |reason: &str| {
        Item::Skipped(Skipped {
            location: rel.to_string(),
            reason: reason.to_string(),
        })
    };
    let declared = html::declared_charset(bytes)
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));
    let (text, fallback) = match declared {
        Some(encoding) if !bytes.is_empty() && !bytes[..bytes.len().min(8192)].contains(&0) => {
            let (text, _, _) = encoding.decode(bytes);
            (text.into_owned(), false)
        }
        _ => match decode(bytes) {
            Ok(d) => (d.text, d.fallback),
            Err(reason) => return skipped(reason),
        },
    };
    if text.trim().is_empty() {
        return skipped("empty article");
    }
    let page = html::extract(&text);
    if page.body.trim().is_empty() {
        return skipped("no article text found in the page");
    }
    let title = match page.title {
        Some(title) if !title.trim().is_empty() => title,
        _ => super::text::headline(&page.body),
    };
    let article = crate::article::Article {
        id: rel.to_string(),
        path: rel.to_string(),
        doc_id: path_doc_id(rel),
        title,
        body: page.body,
        date: page.date.as_deref().and_then(crate::dates::parse_date),
        url: page.url,
        source: page.site_name,
        author: page.author,
    };
    if fallback {
        Item::Decoded(article)
    } else {
        Item::Article(article)
    }
}
