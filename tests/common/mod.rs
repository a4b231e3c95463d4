//! Helpers shared by the end-to-end test binaries.

use serde_json::Value;

/// The pieces of a JSON passage's `text` that the ranges under `key` mark:
/// `[start, end]` pairs or `{start, end}` objects, in bytes.
pub fn marked<'a>(passage: &'a Value, key: &str) -> Vec<&'a str> {
    let text = passage["text"].as_str().unwrap_or_default();
    let ranges = passage[key]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    ranges
        .iter()
        .map(|r| {
            let (start, end) = match r {
                Value::Array(pair) => (&pair[0], &pair[1]),
                _ => (&r["start"], &r["end"]),
            };
            let at = |v: &Value| v.as_u64().expect("a byte offset") as usize;
            &text[at(start)..at(end)]
        })
        .collect()
}
