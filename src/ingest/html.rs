//! Main-text extraction from saved news web pages. This module owns turning
//! one HTML page into an [`HtmlArticle`]: the article body as plain text
//! (paragraphs separated by blank lines, without navigation, cookie banners,
//! sidebars, share buttons, footers, scripts or styles), and the page's
//! metadata (title, raw published-date string, author, site name, canonical
//! URL) read from Open Graph / `<meta>` tags, JSON-LD and `<time>` elements.
//! Finding the main content is delegated to `dom_smoothie` (a port of
//! Mozilla's Readability); this module turns its output into text, with a
//! simple `<article>`/`<main>` fallback when Readability finds nothing. It
//! also owns sniffing the charset a page declares ([`declared_charset`]);
//! decoding the bytes is the caller's job. Nothing here panics on input.

use std::collections::HashMap;

use dom_query::{Document, NodeRef};
use dom_smoothie::{Config, Readability};
use serde_json::Value;

/// What [`extract`] finds in one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlArticle {
    pub title: Option<String>,
    /// Main article text: paragraphs separated by "\n\n", no nav/ads/footers/scripts/styles.
    pub body: String,
    /// Raw published-date string from metadata (e.g. "2025-12-02T10:00:00Z").
    pub date: Option<String>,
    pub author: Option<String>,
    pub site_name: Option<String>,
    /// Canonical or og:url.
    pub url: Option<String>,
}

/// Extract the article text and metadata from one HTML page.
pub fn extract(html: &str) -> HtmlArticle {
    let doc = Document::from(html);
    let meta = MetaTags::collect(&doc);
    let ld = JsonLd::collect(&doc);

    let site_name = meta
        .get(&["og:site_name"])
        .or_else(|| ld.publisher_name())
        .or_else(|| meta.get(&["application-name"]));
    let title = meta
        .get(&["og:title"])
        .or_else(|| ld.headline())
        .or_else(|| meta.get(&["twitter:title"]))
        .or_else(|| document_title(&doc).map(|t| strip_site_suffix(&t, site_name.as_deref())));
    let date = meta
        .get(&["article:published_time"])
        .or_else(|| ld.str_field("datePublished"))
        .or_else(|| meta.get(&["datepublished"]))
        .or_else(|| time_datetime(&doc))
        .or_else(|| {
            meta.get(&[
                "date",
                "pubdate",
                "dc.date",
                "dc.date.issued",
                "dcterms.date",
                "dcterms.issued",
                "dcterms.created",
                "publishdate",
                "publish-date",
                "og:published_time",
                "sailthru.date",
                "parsely-pub-date",
            ])
        });
    let url = canonical_link(&doc)
        .or_else(|| meta.get(&["og:url"]))
        .or_else(|| ld.str_field("url"));
    let meta_author = meta
        .get(&[
            "author",
            "article:author",
            "dc.creator",
            "byl",
            "sailthru.author",
        ])
        .filter(|a| !looks_like_url(a));

    let (body, byline) = main_text(doc, html, title.as_deref());
    let author = meta_author.or_else(|| ld.author()).or_else(|| {
        byline
            .map(|b| clean_byline(&b))
            .filter(|b| !b.is_empty() && !looks_like_url(b))
    });

    HtmlArticle {
        title,
        body,
        date,
        author,
        site_name,
        url,
    }
}

// ---------------------------------------------------------------------------
// Main text

/// Deeper markup skips Readability, whose scoring slows down sharply with
/// depth (about 1 s at depth 300 in a debug build); real pages stay far below.
const MAX_READABILITY_DEPTH: usize = 160;
/// Larger pages skip Readability and use the plain fallback.
const MAX_READABILITY_ELEMENTS: usize = 50_000;

/// Runs Readability over the document and renders its result as text,
/// falling back to [`fallback_text`] on a fresh parse of `html` when it
/// finds nothing. A leading paragraph repeating the headline is dropped.
/// Returns the body and Readability's byline guess.
fn main_text(doc: Document, html: &str, title: Option<&str>) -> (String, Option<String>) {
    let headline = first_heading(&doc);
    remove_furniture(&doc);
    let (body, byline) = if max_depth(&doc.root()) <= MAX_READABILITY_DEPTH {
        let config = Config {
            max_elements_to_parse: MAX_READABILITY_ELEMENTS,
            ..Config::default()
        };
        let readable = Readability::with_document(doc, None, Some(config))
            .ok()
            .and_then(|mut r| r.parse().ok())
            .map(|article| {
                let content = Document::fragment(article.content);
                (render_text(&content.root(), Mode::Readable), article.byline)
            })
            .filter(|(text, _)| !text.is_empty());
        readable.unwrap_or_else(|| {
            let fresh = Document::from(html);
            remove_furniture(&fresh);
            (fallback_text(&fresh), None)
        })
    } else {
        (fallback_text(&doc), None)
    };
    (
        drop_leading_byline(drop_leading_headline(body, &[title, headline.as_deref()])),
        byline,
    )
}

/// Removes elements whose class/id/role marks page furniture (cookie
/// banners, share bars, "Most read", newsletter boxes...) before
/// Readability runs: it otherwise keeps short sibling blocks next to the
/// article. As a guard against a misleading class on a wrapper, an element
/// holding an `<article>` or at least 40% of the page text is kept.
fn remove_furniture(doc: &Document) {
    let Some(body) = doc.try_select("body") else {
        return;
    };
    let total = body.text().chars().filter(|c| !c.is_whitespace()).count();
    let doomed: Vec<NodeRef> = doc
        .root()
        .descendants_it()
        .filter(|n| n.is_element() && is_furniture(n) && !is_byline(n))
        .filter(|n| {
            let len = n.text().chars().filter(|c| !c.is_whitespace()).count();
            len * 5 < total * 2 && !n.descendants_it().any(|d| d.has_name("article"))
        })
        .collect();
    for node in doomed {
        node.remove_from_parent();
    }
}

/// Bylines are left for Readability, which reads the author from them.
fn is_byline(node: &NodeRef) -> bool {
    ["class", "id"].iter().any(|a| {
        node.attr(a)
            .is_some_and(|v| v.to_ascii_lowercase().contains("byline"))
    })
}

/// Words in a paragraph short enough to be a byline ("By Jane Doe").
const BYLINE_MAX_WORDS: usize = 8;

/// Removes a first paragraph that is only a byline: the author is metadata,
/// not article text.
fn drop_leading_byline(body: String) -> String {
    let (first, rest) = body.split_once("\n\n").unwrap_or((body.as_str(), ""));
    let is_byline = first.len() > 3
        && first[..3].eq_ignore_ascii_case("by ")
        && first.split_whitespace().count() <= BYLINE_MAX_WORDS
        && !rest.trim().is_empty();
    if is_byline {
        rest.to_string()
    } else {
        body
    }
}

/// Removes the first paragraph when it only repeats the headline.
fn drop_leading_headline(body: String, headlines: &[Option<&str>]) -> String {
    let (first, rest) = body.split_once("\n\n").unwrap_or((body.as_str(), ""));
    let repeats = headlines
        .iter()
        .flatten()
        .any(|h| !h.is_empty() && first.eq_ignore_ascii_case(h.trim()));
    if repeats {
        rest.to_string()
    } else {
        body
    }
}

fn first_heading(doc: &Document) -> Option<String> {
    let sel = doc.try_select("h1")?;
    let t = clean_text(&sel.nodes().first()?.text());
    (!t.is_empty()).then_some(t)
}

/// Nesting depth of the tree under `root`, counted without recursion.
fn max_depth(root: &NodeRef) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(*root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        for child in node.children_it(false) {
            if child.is_element() {
                stack.push((child, depth + 1));
            }
        }
    }
    deepest
}

/// When Readability gives up: the first `<article>`, `articleBody`, `<main>`
/// or `<body>`, rendered while skipping page furniture.
fn fallback_text(doc: &Document) -> String {
    for css in [
        "article",
        "[itemprop=articleBody]",
        "main",
        "[role=main]",
        "body",
    ] {
        if let Some(sel) = doc.try_select(css) {
            if let Some(node) = sel.nodes().first() {
                let text = render_text(node, Mode::Fallback);
                if !text.is_empty() {
                    return text;
                }
            }
        }
    }
    String::new()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Rendering Readability's content.
    Readable,
    /// Rendering raw page markup: also drop header/footer/aside/figure.
    Fallback,
}

/// Elements whose text is never article text.
const SKIP_ALWAYS: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "svg", "math", "canvas", "object",
    "embed", "button", "select", "textarea", "input", "form", "head", "title", "nav",
];

/// Elements skipped when rendering raw page markup.
const SKIP_FALLBACK: &[&str] = &["header", "footer", "aside", "menu", "dialog", "figure"];

/// Class/id words marking page furniture. A class or id token matches when
/// it equals one of these, or when one of its `-`/`_`-separated parts does
/// ("story-share-bar" matches "share"; "commentary" does not match
/// "comment").
const FURNITURE_WORDS: &[&str] = &[
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "share",
    "sharing",
    "sharebar",
    "social",
    "related",
    "most-read",
    "mostread",
    "most_read",
    "popular",
    "trending",
    "recommended",
    "newsletter",
    "subscribe",
    "subscription",
    "comments",
    "promo",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "sponsored",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "byline",
    "tags",
    "outbrain",
    "taboola",
];

/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "hr",
    "address",
    "details",
    "summary",
    "center",
];

fn is_furniture(node: &NodeRef) -> bool {
    let mut marks = String::new();
    for attr in ["class", "id", "role"] {
        if let Some(v) = node.attr(attr) {
            marks.push(' ');
            marks.push_str(&v.to_ascii_lowercase());
        }
    }
    marks.split_whitespace().any(|token| {
        matches!(
            token,
            "navigation" | "contentinfo" | "banner" | "complementary"
        ) || FURNITURE_WORDS.contains(&token)
            || token
                .split(['-', '_'])
                .any(|part| FURNITURE_WORDS.contains(&part))
    })
}

/// A `<time>` placed directly in a container rather than inside a sentence.
fn is_standalone(node: &NodeRef) -> bool {
    node.parent().is_some_and(|p| {
        p.node_name().is_some_and(|n| {
            matches!(
                n.to_ascii_lowercase().as_str(),
                "article" | "div" | "section" | "header" | "footer" | "main" | "aside" | "body"
            )
        })
    })
}

/// Paragraphs being built from a walk over the tree.
#[derive(Default)]
struct TextBuilder {
    paragraphs: Vec<String>,
    current: String,
}

impl TextBuilder {
    fn end_paragraph(&mut self) {
        let mut para = String::new();
        for line in self.current.split('\n') {
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            if !line.is_empty() {
                if !para.is_empty() {
                    para.push('\n');
                }
                para.push_str(&line);
            }
        }
        if !para.is_empty() {
            self.paragraphs.push(para);
        }
        self.current.clear();
    }

    fn finish(mut self) -> String {
        self.end_paragraph();
        self.paragraphs.join("\n\n")
    }
}

enum Step<'a> {
    Enter(NodeRef<'a>),
    /// Leaving a block element.
    LeaveBlock,
}

/// Plain text of a subtree: block elements become paragraphs separated by
/// "\n\n", `<br>` becomes a line break, whitespace is collapsed. Walks with
/// an explicit stack so that deeply nested markup cannot overflow it.
fn render_text(root: &NodeRef, mode: Mode) -> String {
    let mut out = TextBuilder::default();
    let mut stack = vec![Step::Enter(*root)];
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::LeaveBlock => {
                out.end_paragraph();
                continue;
            }
            Step::Enter(node) => node,
        };
        if node.is_text() {
            out.current.push_str(&node.text());
            continue;
        }
        if !(node.is_element() || node.is_document() || node.is_fragment()) {
            continue; // comments, doctype, processing instructions
        }
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if SKIP_ALWAYS.contains(&name.as_str()) {
            continue;
        }
        if mode == Mode::Fallback && SKIP_FALLBACK.contains(&name.as_str()) {
            continue;
        }
        if name == "time" && is_standalone(&node) {
            continue; // a bare date line, not article text
        }
        if name == "br" {
            out.current.push('\n');
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            out.end_paragraph();
            stack.push(Step::LeaveBlock);
        }
        for child in node.children_it(true) {
            stack.push(Step::Enter(child));
        }
    }
    out.finish()
}

// ---------------------------------------------------------------------------
// Metadata

/// `<meta>` contents keyed by lowercased `property`, `name` or `itemprop`;
/// the first non-empty value of each key wins.
struct MetaTags(HashMap<String, String>);

impl MetaTags {
    fn collect(doc: &Document) -> MetaTags {
        let mut map = HashMap::new();
        if let Some(sel) = doc.try_select("meta") {
            for node in sel.nodes() {
                let Some(content) = node.attr("content").map(|c| clean_text(&c)) else {
                    continue;
                };
                if content.is_empty() {
                    continue;
                }
                for key_attr in ["property", "name", "itemprop"] {
                    if let Some(key) = node.attr(key_attr) {
                        for key in key.split_whitespace() {
                            map.entry(key.to_ascii_lowercase())
                                .or_insert_with(|| content.clone());
                        }
                    }
                }
            }
        }
        MetaTags(map)
    }

    /// The first of `keys` that is present.
    fn get(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| self.0.get(*k).cloned())
    }
}

/// JSON-LD objects of the page, the article-typed ones first.
struct JsonLd {
    objects: Vec<Value>,
}

const ARTICLE_TYPES: &[&str] = &[
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "askpublicnewsarticle",
    "blogposting",
    "liveblogposting",
    "report",
    "scholarlyarticle",
    "techarticle",
];

impl JsonLd {
    fn collect(doc: &Document) -> JsonLd {
        let mut found = Vec::new();
        if let Some(sel) = doc.try_select("script[type]") {
            for node in sel.nodes() {
                let is_ld = node
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if !is_ld {
                    continue;
                }
                if let Some(value) = parse_json_lenient(&node.text()) {
                    flatten_ld(value, &mut found, 0);
                }
            }
        }
        let (mut objects, others): (Vec<Value>, Vec<Value>) =
            found.into_iter().partition(is_article_type);
        // Non-article objects (WebPage, Organization) serve only as fallback.
        objects.extend(others);
        JsonLd { objects }
    }

    fn articles(&self) -> impl Iterator<Item = &Value> {
        self.objects.iter().filter(|o| is_article_type(o))
    }

    fn headline(&self) -> Option<String> {
        self.articles()
            .find_map(|o| ld_string(o.get("headline")).or_else(|| ld_string(o.get("name"))))
    }

    /// A plain string field, from article objects first, then any object.
    fn str_field(&self, key: &str) -> Option<String> {
        self.articles()
            .chain(self.objects.iter())
            .find_map(|o| ld_string(o.get(key)))
    }

    fn author(&self) -> Option<String> {
        self.articles().find_map(|o| {
            let names = ld_names(o.get("author")?);
            (!names.is_empty()).then(|| names.join(", "))
        })
    }

    fn publisher_name(&self) -> Option<String> {
        self.articles()
            .find_map(|o| ld_names(o.get("publisher")?).into_iter().next())
    }
}

/// JSON-LD as found in the wild: sometimes wrapped in comments or CDATA,
/// sometimes with raw newlines inside strings.
fn parse_json_lenient(raw: &str) -> Option<Value> {
    let mut s = raw.trim();
    for prefix in ["<!--", "//<![CDATA[", "<![CDATA["] {
        s = s.strip_prefix(prefix).unwrap_or(s).trim();
    }
    for suffix in ["-->", "//]]>", "]]>"] {
        s = s.strip_suffix(suffix).unwrap_or(s).trim();
    }
    serde_json::from_str(s).ok().or_else(|| {
        let cleaned: String = s
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        serde_json::from_str(&cleaned).ok()
    })
}

/// Collects every object of a JSON-LD value: top-level arrays and `@graph`.
fn flatten_ld(value: Value, out: &mut Vec<Value>, depth: usize) {
    if depth > 8 {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                flatten_ld(item, out, depth + 1);
            }
        }
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten_ld(graph, out, depth + 1);
            }
            out.push(Value::Object(map));
        }
        _ => {}
    }
}

fn is_article_type(value: &Value) -> bool {
    let matches = |t: &Value| {
        t.as_str().is_some_and(|s| {
            let s = s.rsplit('/').next().unwrap_or(s).to_ascii_lowercase();
            ARTICLE_TYPES.contains(&s.as_str())
        })
    };
    match value.get("@type") {
        Some(Value::Array(types)) => types.iter().any(matches),
        Some(t) => matches(t),
        None => false,
    }
}

/// A non-empty string value, entity-decoded and whitespace-collapsed.
fn ld_string(value: Option<&Value>) -> Option<String> {
    let s = clean_text(&html_escape::decode_html_entities(value?.as_str()?));
    (!s.is_empty()).then_some(s)
}

/// Names from a JSON-LD author/publisher: a string, an object with `name`,
/// or an array of either.
fn ld_names(value: &Value) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut push = |v: Option<&Value>| {
        if let Some(name) = ld_string(v).filter(|n| !looks_like_url(n)) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    };
    match value {
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(_) => push(item.get("name")),
                    _ => push(Some(item)),
                }
            }
        }
        Value::Object(_) => push(value.get("name")),
        _ => push(Some(value)),
    }
    names
}

fn document_title(doc: &Document) -> Option<String> {
    let sel = doc.try_select("title")?;
    let t = clean_text(&sel.nodes().first()?.text());
    (!t.is_empty()).then_some(t)
}

/// Removes a " | Site Name" style suffix (or prefix) from a `<title>`.
/// Any separator is cut when the other side is the site name; otherwise
/// only a trailing " | ..." is cut, as dashes also occur inside headlines.
fn strip_site_suffix(title: &str, site_name: Option<&str>) -> String {
    const SEPARATORS: &[&str] = &[
        " | ",
        " - ",
        " \u{2013} ",
        " \u{2014} ",
        " :: ",
        " · ",
        " » ",
    ];
    if let Some(site) = site_name.map(str::trim).filter(|s| !s.is_empty()) {
        for sep in SEPARATORS {
            if let Some((head, tail)) = title.rsplit_once(sep) {
                if tail.trim().eq_ignore_ascii_case(site) && !head.trim().is_empty() {
                    return head.trim().to_string();
                }
            }
            if let Some((head, tail)) = title.split_once(sep) {
                if head.trim().eq_ignore_ascii_case(site) && !tail.trim().is_empty() {
                    return tail.trim().to_string();
                }
            }
        }
    }
    match title.split_once(" | ") {
        Some((head, _)) if !head.trim().is_empty() => head.trim().to_string(),
        _ => title.trim().to_string(),
    }
}

/// The `datetime` of the page's publication `<time>`: one marked
/// `itemprop=datePublished` or `pubdate`, else the first inside `<article>`,
/// else the first in the page.
fn time_datetime(doc: &Document) -> Option<String> {
    [
        "time[itemprop=datePublished][datetime]",
        "time[pubdate][datetime]",
        "article time[datetime]",
        "time[datetime]",
    ]
    .iter()
    .find_map(|css| {
        doc.try_select(css)?
            .nodes()
            .iter()
            .find_map(|n| n.attr("datetime").map(|d| clean_text(&d)))
            .filter(|d| !d.is_empty())
    })
}

fn canonical_link(doc: &Document) -> Option<String> {
    doc.try_select("link[rel][href]")?
        .nodes()
        .iter()
        .find_map(|n| {
            let rel = n.attr("rel")?;
            if !rel
                .split_whitespace()
                .any(|r| r.eq_ignore_ascii_case("canonical"))
            {
                return None;
            }
            let href = clean_text(&n.attr("href")?);
            (!href.is_empty()).then_some(href)
        })
}

fn clean_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn looks_like_url(s: &str) -> bool {
    let s = s.trim_start().to_ascii_lowercase();
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("www.")
}

/// "By Jane Doe" -> "Jane Doe".
fn clean_byline(byline: &str) -> String {
    let b = clean_text(byline);
    for prefix in ["by ", "By ", "BY "] {
        if let Some(rest) = b.strip_prefix(prefix) {
            return rest.trim().to_string();
        }
    }
    b
}

// ---------------------------------------------------------------------------
// Charset

/// How far into the bytes a charset declaration is looked for.
const CHARSET_SCAN_BYTES: usize = 8192;

/// The charset declared in a `<meta charset>` or `http-equiv`
/// Content-Type, if any (lowercased label, e.g. "windows-1252"). A byte
/// order mark counts as a declaration ("utf-8", "utf-16le", "utf-16be").
/// Only the first 8 KiB are looked at. The label is returned as declared;
/// map it with `encoding_rs::Encoding::for_label`.
pub fn declared_charset(bytes: &[u8]) -> Option<String> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Some("utf-8".to_string());
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Some("utf-16le".to_string());
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("utf-16be".to_string());
    }
    let head = &bytes[..bytes.len().min(CHARSET_SCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut pos = 0;
    while let Some(found) = find(&lower[pos..], b"<meta") {
        let start = pos + found + 5;
        pos = start;
        // "<meta" must be followed by whitespace or "/" (not "<metadata").
        match lower.get(start) {
            Some(b) if b.is_ascii_whitespace() || *b == b'/' => {}
            _ => continue,
        }
        let attrs = parse_attrs(&lower[start..]);
        let get = |name: &[u8]| attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        if let Some(label) = get(b"charset").and_then(|v| charset_label(v)) {
            return Some(label);
        }
        let is_content_type = get(b"http-equiv").is_some_and(|v| v.trim_ascii() == b"content-type");
        if is_content_type {
            if let Some(label) = get(b"content").and_then(|c| charset_from_content(c)) {
                return Some(label);
            }
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Attributes of a tag, from just after its name up to `>`: (name, value).
fn parse_attrs(s: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut attrs = Vec::new();
    let mut i = 0;
    let at = |i: usize| s.get(i).copied();
    loop {
        while at(i).is_some_and(|b| b.is_ascii_whitespace() || b == b'/') {
            i += 1;
        }
        match at(i) {
            None | Some(b'>') => break,
            _ => {}
        }
        let name_start = i;
        while at(i).is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/')) {
            i += 1;
        }
        let name = s[name_start..i].to_vec();
        while at(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        let mut value = Vec::new();
        if at(i) == Some(b'=') {
            i += 1;
            while at(i).is_some_and(|b| b.is_ascii_whitespace()) {
                i += 1;
            }
            match at(i) {
                Some(q @ (b'"' | b'\'')) => {
                    i += 1;
                    let v_start = i;
                    while at(i).is_some_and(|b| b != q) {
                        i += 1;
                    }
                    value = s[v_start..i].to_vec();
                    i += 1;
                }
                _ => {
                    let v_start = i;
                    while at(i).is_some_and(|b| !b.is_ascii_whitespace() && b != b'>') {
                        i += 1;
                    }
                    value = s[v_start..i].to_vec();
                }
            }
        }
        if name.is_empty() {
            i += 1; // a stray "=" or similar: step over it
        } else {
            attrs.push((name, value));
        }
        if attrs.len() > 64 {
            break;
        }
    }
    attrs
}

/// "text/html; charset=ISO-8859-1" -> "iso-8859-1".
fn charset_from_content(content: &[u8]) -> Option<String> {
    let at = find(content, b"charset")?;
    let rest = content[at + 7..].trim_ascii_start();
    let rest = rest.strip_prefix(b"=")?;
    charset_label(rest)
}

fn charset_label(v: &[u8]) -> Option<String> {
    let v = v.trim_ascii();
    let v = v
        .strip_prefix(b"\"")
        .or_else(|| v.strip_prefix(b"'"))
        .unwrap_or(v);
    let end = v
        .iter()
        .position(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'>' | b','))
        .unwrap_or(v.len());
    let label = std::str::from_utf8(&v[..end]).ok()?;
    let ok = !label.is_empty()
        && label.len() <= 40
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| label.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A typical news page: header nav, cookie banner, share buttons,
    /// "Most read" sidebar, footer, inline script/style, JSON-LD, og: tags.
    const NEWS_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Harbour bridge reopens after two-year repair | The Coastal Times</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="Harbour bridge reopens after two-year repair">
<meta property="og:site_name" content="The Coastal Times">
<meta property="og:url" content="https://coastaltimes.example/news/2025/12/02/harbour-bridge-reopens">
<meta property="og:type" content="article">
<meta property="article:published_time" content="2025-12-02T10:00:00Z">
<meta property="article:modified_time" content="2025-12-02T14:30:00Z">
<meta name="author" content="Maria Jensen">
<link rel="canonical" href="https://coastaltimes.example/news/harbour-bridge-reopens">
<link rel="stylesheet" href="/static/site.css">
<style>
  .cookie-banner { position: fixed; bottom: 0; }
  body { font-family: Georgia, serif; }
</style>
<script type="application/ld+json">
{"@context":"https://schema.org","@type":"NewsArticle",
 "headline":"Harbour bridge reopens after two-year repair",
 "datePublished":"2025-12-02T10:00:00Z",
 "author":{"@type":"Person","name":"Maria Jensen"},
 "publisher":{"@type":"Organization","name":"The Coastal Times"}}
</script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);} gtag('config', 'UA-TRACKING-1');
</script>
</head>
<body class="article-page">
<div id="cookie-banner" class="cookie-banner">
  <p>We use cookies to improve your experience. By continuing to browse you accept our cookie policy.</p>
  <button>Accept all cookies</button>
</div>
<header class="site-header">
  <a class="logo" href="/">The Coastal Times</a>
  <nav class="main-nav">
    <ul>
      <li><a href="/news">News</a></li>
      <li><a href="/sport">Sport</a></li>
      <li><a href="/business">Business</a></li>
      <li><a href="/culture">Culture</a></li>
      <li><a href="/weather">Weather</a></li>
    </ul>
  </nav>
</header>
<main id="content">
  <div class="layout">
    <article class="story">
      <header class="story-header">
        <h1 class="headline">Harbour bridge reopens after two-year repair</h1>
        <p class="byline">By <a href="/authors/maria-jensen">Maria Jensen</a>, Transport correspondent</p>
        <time datetime="2025-12-02T10:00:00Z">2 December 2025</time>
      </header>
      <div class="share-buttons">
        <a href="https://facebook.example/share">Share on Facebook</a>
        <a href="https://x.example/intent">Share on X</a>
        <a href="mailto:?subject=bridge">Email this story</a>
      </div>
      <div class="story-body">
        <p>The Harbour Bridge reopened to traffic on Tuesday morning after a two-year repair programme that cost the city &pound;48&nbsp;million, officials said.</p>
        <p>Commuters queued from before dawn to be among the first across. &ldquo;It&rsquo;s like getting an hour of my day back,&rdquo; said Tom Ellis, a nurse who had faced a 40-minute detour since the closure.</p>
        <p>Engineers replaced all 212 suspension cables &amp; resurfaced the deck, work that was delayed twice by winter storms and once by a shortage of specialist steel.</p>
        <p>The council&rsquo;s transport committee said a new weight limit of 18 tonnes would apply for the first six months while sensors monitor how the structure behaves under load.</p>
        <p>Local businesses on both sides of the water welcomed the news. Shop owners in the old town said footfall had fallen by almost a third while the bridge was shut.</p>
        <p>A formal reopening ceremony, with the mayor and the engineers who led the project, is planned for the spring.</p>
      </div>
      <script>document.write('<div class="ad">Advertisement</div>'); trackView("story-1234");</script>
      <div class="tags"><a href="/tag/transport">Transport</a> <a href="/tag/city">City</a></div>
    </article>
    <aside class="sidebar">
      <section class="most-read">
        <h2>Most read</h2>
        <ol>
          <li><a href="/news/1">Council tax to rise by five per cent next year</a></li>
          <li><a href="/news/2">Storm warning issued for the whole coast</a></li>
          <li><a href="/news/3">Ferry timetable changes announced</a></li>
        </ol>
      </section>
      <div class="advert">Advertisement: Buy the Coastal Times app today</div>
    </aside>
  </div>
</main>
<footer class="site-footer">
  <p>&copy; 2025 The Coastal Times. All rights reserved.</p>
  <ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/contact">Contact us</a></li></ul>
</footer>
<script src="/static/app.js"></script>
<script>console.log("page loaded"); var secretToken = "xyz";</script>
</body>
</html>"#;

    /// No og: tags; `<title>` with a site suffix; `<meta name=date>`;
    /// a script and a style *inside* the article body.
    const INJECTED_PAGE: &str = r#"<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">
<title>Fishermen protest new quota rules | Northern Herald</title>
<meta name="date" content="2025-11-28">
<meta name="author" content="Ian Fraser">
<link rel="canonical" href="https://northernherald.example/2025/11/28/quota-protest">
</head>
<body>
<div class="topbar"><a href="/">Home</a> | <a href="/login">Log in</a> | <a href="/subscribe">Subscribe</a></div>
<div id="main">
  <div class="post">
    <h1>Fishermen protest new quota rules</h1>
    <div class="entry-content">
      <p>More than two hundred fishing boats blocked the entrance to the northern harbour on Friday in protest at new catch quotas announced by the ministry last month.</p>
      <script>alert(1)</script>
      <p>Skippers say the rules, which cut the permitted cod catch by a quarter, will force many family businesses to sell their boats before the end of next year.</p>
      <style>.entry-content p { color: red; } body { display: none }</style>
      <p>The ministry said the cuts were necessary to allow stocks to recover, pointing to scientific advice that spawning numbers have fallen for five years in a row.</p>
      <p>Talks between the fishermen&#39;s association and officials are due to resume on Monday, although neither side expects a quick agreement.</p>
      <img src="x.png" onerror="alert(2)">
    </div>
  </div>
  <div class="widget related"><h3>Related stories</h3><a href="/a">Quota talks collapse</a></div>
</div>
<div class="footer">Northern Herald &middot; Contact &middot; Advertise with us</div>
</body>
</html>"#;

    /// JSON-LD with `@graph`, an array `@type` and several authors; no og:
    /// tags; the date only in JSON-LD (the `<time>` in the page is a
    /// different, later "updated" time).
    const GRAPH_PAGE: &str = r#"<!doctype html>
<html><head>
<title>Wildfire season - Valley Gazette</title>
<script type="application/ld+json">
{"@context":"https://schema.org","@graph":[
  {"@type":"WebSite","name":"Valley Gazette","url":"https://valleygazette.example/"},
  {"@type":"WebPage","@id":"https://valleygazette.example/wildfire#page","name":"Wildfire season"},
  {"@type":["NewsArticle","ReportageNewsArticle"],
   "headline":"Wildfire season starts early as drought deepens &amp; reservoirs fall",
   "datePublished":"2025-07-14T06:45:00-07:00",
   "dateModified":"2025-07-15T09:00:00-07:00",
   "url":"https://valleygazette.example/wildfire",
   "author":[{"@type":"Person","name":"Ana Ruiz"},{"@type":"Person","name":"Ben Cole"}],
   "publisher":{"@type":"NewsMediaOrganization","name":"Valley Gazette"}}
]}
</script>
</head>
<body>
<nav><a href="/">Valley Gazette</a> <a href="/local">Local</a> <a href="/opinion">Opinion</a></nav>
<article>
  <h1>Wildfire season starts early as drought deepens</h1>
  <p class="updated">Updated <time datetime="2025-07-15T09:00:00-07:00">July 15</time></p>
  <p>Fire crews across the valley were put on high alert on Monday, three weeks earlier than usual, as the driest spring on record left hillsides covered in tinder-dry brush.</p>
  <p>The regional fire service said it had already responded to 41 grass fires this year, more than double the number at the same point last year.</p>
  <h2>Reservoirs at record lows</h2>
  <p>Water levels in the two main reservoirs stood at 38 per cent of capacity, according to figures published by the water board, prompting a ban on garden hoses.</p>
  <blockquote><p>"We are asking everyone to be extremely careful with anything that could spark a fire," the fire chief said.</p></blockquote>
  <p>Residents in the foothills have been advised to clear vegetation within ten metres of their homes and to prepare an evacuation bag.</p>
</article>
<div class="newsletter-signup"><p>Sign up for our morning newsletter and never miss a story from the valley.</p></div>
<footer>Valley Gazette, 12 Main Street. Terms of use.</footer>
</body></html>"#;

    /// A very short brief with little markup: Readability may not accept
    /// it, so the `<article>` fallback must. Date from `<meta name=pubdate>`.
    const BRIEF_PAGE: &str = r#"<html><head>
<title>Road closed</title>
<meta name="pubdate" content="20251202">
</head><body>
<nav><a href="/">Home</a><a href="/traffic">Traffic</a></nav>
<article>
  <header><h1>Road closed</h1></header>
  <p>The coast road is closed after a landslide.</p>
  <p>Drivers should use the A12.</p>
</article>
<footer>Site footer text</footer>
</body></html>"#;

    fn paragraphs(body: &str) -> Vec<&str> {
        body.split("\n\n").collect()
    }

    /// Asserts every needle appears in `body`, in the given order.
    fn assert_in_order(body: &str, needles: &[&str]) {
        let mut from = 0;
        for needle in needles {
            match body[from..].find(needle) {
                Some(at) => from += at + needle.len(),
                None => panic!("{needle:?} missing or out of order in body:\n{body}"),
            }
        }
    }

    fn assert_absent(body: &str, needles: &[&str]) {
        for needle in needles {
            assert!(
                !body.contains(needle),
                "{needle:?} leaked into body:\n{body}"
            );
        }
    }

    #[test]
    fn news_page_body_has_all_paragraphs_in_order() {
        let a = extract(NEWS_PAGE);
        assert_in_order(
            &a.body,
            &[
                "The Harbour Bridge reopened to traffic on Tuesday morning after a two-year repair programme that cost the city £48 million, officials said.",
                "Commuters queued from before dawn to be among the first across. \u{201c}It\u{2019}s like getting an hour of my day back,\u{201d} said Tom Ellis",
                "Engineers replaced all 212 suspension cables & resurfaced the deck",
                "The council\u{2019}s transport committee said a new weight limit of 18 tonnes",
                "Local businesses on both sides of the water welcomed the news.",
                "A formal reopening ceremony, with the mayor and the engineers who led the project, is planned for the spring.",
            ],
        );
        let paras = paragraphs(&a.body);
        assert!(paras
            .iter()
            .any(|p| p.starts_with("The Harbour Bridge reopened")));
        assert!(paras
            .iter()
            .any(|p| p.starts_with("A formal reopening ceremony")));
        assert!(!a.body.contains("\n\n\n"));
        assert_eq!(a.body, a.body.trim());
    }

    #[test]
    fn news_page_body_has_no_furniture() {
        let a = extract(NEWS_PAGE);
        assert_absent(
            &a.body,
            &[
                "cookies",
                "Accept all",
                "Sport",
                "Business",
                "Weather",
                "Most read",
                "Council tax",
                "Storm warning",
                "Ferry timetable",
                "Share on",
                "Email this story",
                "Advertisement",
                "All rights reserved",
                "Privacy policy",
                "dataLayer",
                "gtag",
                "trackView",
                "document.write",
                "console.log",
                "secretToken",
                "font-family",
                "position: fixed",
                "{",
                "&amp;",
                "&nbsp;",
                "&rsquo;",
            ],
        );
    }

    #[test]
    fn news_page_metadata() {
        let a = extract(NEWS_PAGE);
        assert_eq!(
            a.title.as_deref(),
            Some("Harbour bridge reopens after two-year repair")
        );
        assert_eq!(a.date.as_deref(), Some("2025-12-02T10:00:00Z"));
        assert_eq!(a.author.as_deref(), Some("Maria Jensen"));
        assert_eq!(a.site_name.as_deref(), Some("The Coastal Times"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://coastaltimes.example/news/harbour-bridge-reopens")
        );
    }

    #[test]
    fn script_inside_article_never_leaks() {
        let a = extract(INJECTED_PAGE);
        assert!(!a.body.contains("alert"), "{}", a.body);
        assert_absent(&a.body, &["color: red", "display: none", "{", "onerror"]);
        assert_in_order(
            &a.body,
            &[
                "More than two hundred fishing boats blocked the entrance",
                "Skippers say the rules, which cut the permitted cod catch by a quarter",
                "The ministry said the cuts were necessary to allow stocks to recover",
                "Talks between the fishermen's association and officials are due to resume on Monday",
            ],
        );
        assert_absent(
            &a.body,
            &[
                "Log in",
                "Subscribe",
                "Related stories",
                "Quota talks collapse",
                "Advertise",
            ],
        );
        assert_eq!(paragraphs(&a.body).len(), 4, "{}", a.body);
    }

    #[test]
    fn injected_page_metadata_from_plain_meta_tags() {
        let a = extract(INJECTED_PAGE);
        assert_eq!(
            a.title.as_deref(),
            Some("Fishermen protest new quota rules")
        );
        assert_eq!(a.date.as_deref(), Some("2025-11-28"));
        assert_eq!(a.author.as_deref(), Some("Ian Fraser"));
        assert_eq!(a.site_name, None);
        assert_eq!(
            a.url.as_deref(),
            Some("https://northernherald.example/2025/11/28/quota-protest")
        );
    }

    #[test]
    fn graph_page_metadata_from_json_ld() {
        let a = extract(GRAPH_PAGE);
        assert_eq!(
            a.title.as_deref(),
            Some("Wildfire season starts early as drought deepens & reservoirs fall")
        );
        assert_eq!(a.date.as_deref(), Some("2025-07-14T06:45:00-07:00"));
        assert_eq!(a.author.as_deref(), Some("Ana Ruiz, Ben Cole"));
        assert_eq!(a.site_name.as_deref(), Some("Valley Gazette"));
        assert_eq!(
            a.url.as_deref(),
            Some("https://valleygazette.example/wildfire")
        );
    }

    #[test]
    fn graph_page_body() {
        let a = extract(GRAPH_PAGE);
        assert_in_order(
            &a.body,
            &[
                "Fire crews across the valley were put on high alert on Monday",
                "The regional fire service said it had already responded to 41 grass fires",
                "Water levels in the two main reservoirs stood at 38 per cent",
                "\"We are asking everyone to be extremely careful",
                "Residents in the foothills have been advised to clear vegetation",
            ],
        );
        assert_absent(
            &a.body,
            &["newsletter", "Terms of use", "Opinion", "@graph"],
        );
    }

    #[test]
    fn brief_page_falls_back_to_article_element() {
        let a = extract(BRIEF_PAGE);
        assert_eq!(
            a.body,
            "The coast road is closed after a landslide.\n\nDrivers should use the A12."
        );
        assert_eq!(a.title.as_deref(), Some("Road closed"));
        assert_eq!(a.date.as_deref(), Some("20251202"));
        assert_eq!(a.author, None);
        assert_eq!(a.site_name, None);
        assert_eq!(a.url, None);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        for html in [
            "",
            "   ",
            "plain text, no markup at all",
            "<html>",
            "<<<>>><meta charset=><script>",
            "<script type=\"application/ld+json\">{not json</script>",
            "<script type=\"application/ld+json\">[1, \"x\", null, {\"@type\": 5}]</script>",
            "<title> | </title>",
            "\u{0}\u{feff}<p>\u{fffd}</p>",
        ] {
            let a = extract(html);
            assert!(!a.body.contains("<script"));
        }
        let deep = format!("{}deep text{}", "<div>".repeat(1500), "</div>".repeat(1500));
        let a = extract(&deep);
        assert!(a.body.contains("deep text") || a.body.is_empty());
    }

    #[test]
    fn plain_text_without_markup_is_kept() {
        let a = extract("<p>Just one paragraph of text.</p>");
        assert_eq!(a.body, "Just one paragraph of text.");
    }

    /// Paragraph text long enough for Readability to score it.
    fn story_paragraphs() -> String {
        (1..=5)
            .map(|i| {
                format!(
                    "<p>Paragraph {i} of the report explains, in some detail, what the \
                     committee decided at its meeting and why members voted as they did.</p>"
                )
            })
            .collect()
    }

    #[test]
    fn author_from_byline_and_date_from_time_element() {
        let html = format!(
            r#"<html><head><title>Committee vote - Town Crier</title>
            <meta property="og:url" content="https://towncrier.example/vote"></head>
            <body><nav><a href="/">Home</a></nav><article><h1>Committee vote</h1>
            <p class="byline">By Jane Doe</p>
            <time datetime="2025-03-04">4 March 2025</time>
            {}</article></body></html>"#,
            story_paragraphs()
        );
        let a = extract(&html);
        assert_eq!(a.author.as_deref(), Some("Jane Doe"));
        assert_eq!(a.date.as_deref(), Some("2025-03-04"));
        assert_eq!(a.url.as_deref(), Some("https://towncrier.example/vote"));
        // A dash suffix is kept when the site name is unknown.
        assert_eq!(a.title.as_deref(), Some("Committee vote - Town Crier"));
        assert_eq!(paragraphs(&a.body).len(), 5, "{}", a.body);
        assert!(a.body.starts_with("Paragraph 1 of the report"));
        assert!(!a.body.contains("Jane Doe"), "{}", a.body);
        assert!(!a.body.contains("Home"));
    }

    #[test]
    fn misleading_furniture_class_on_wrapper_keeps_article() {
        let html = format!(
            r#"<html><body><div class="content-with-share-tools">{}</div>
            <div class="share-bar"><a href="/s">Share this</a></div></body></html>"#,
            story_paragraphs()
        );
        let a = extract(&html);
        assert_eq!(paragraphs(&a.body).len(), 5, "{}", a.body);
        assert!(!a.body.contains("Share this"));
    }

    #[test]
    fn line_breaks_and_lists() {
        let html = format!(
            r#"<html><body><article>{}<p>First line<br>second line</p>
            <ul><li>Item one</li><li>Item <b>two</b></li></ul></article></body></html>"#,
            story_paragraphs()
        );
        let a = extract(&html);
        assert!(a.body.contains("First line\nsecond line"), "{}", a.body);
        assert!(a.body.contains("\n\nItem one\n\nItem two"), "{}", a.body);
    }

    #[test]
    fn title_suffixes() {
        assert_eq!(
            strip_site_suffix("Headline here | Site", None),
            "Headline here"
        );
        assert_eq!(
            strip_site_suffix("Fed holds rates - markets rally", None),
            "Fed holds rates - markets rally"
        );
        assert_eq!(
            strip_site_suffix("Fed holds rates - Daily News", Some("Daily News")),
            "Fed holds rates"
        );
        assert_eq!(
            strip_site_suffix("Daily News \u{2014} Fed holds rates", Some("daily news")),
            "Fed holds rates"
        );
        assert_eq!(strip_site_suffix(" | Site", None), "| Site");
    }

    #[test]
    fn charset_from_meta_charset() {
        assert_eq!(
            declared_charset(b"<html><head><meta charset=\"Windows-1252\"></head>").as_deref(),
            Some("windows-1252")
        );
        assert_eq!(
            declared_charset(b"<META CHARSET=utf-8>").as_deref(),
            Some("utf-8")
        );
        assert_eq!(
            declared_charset(b"<meta charset='iso-8859-15'/>").as_deref(),
            Some("iso-8859-15")
        );
    }

    #[test]
    fn charset_from_http_equiv() {
        assert_eq!(
            declared_charset(INJECTED_PAGE.as_bytes()).as_deref(),
            Some("iso-8859-1")
        );
        assert_eq!(
            declared_charset(
                b"<meta content=\"text/html;charset=KOI8-R\" http-equiv=\"content-type\">"
            )
            .as_deref(),
            Some("koi8-r")
        );
    }

    #[test]
    fn charset_bom_and_absent() {
        assert_eq!(
            declared_charset(b"\xEF\xBB\xBF<html>").as_deref(),
            Some("utf-8")
        );
        assert_eq!(declared_charset(b"<html><head></head></html>"), None);
        assert_eq!(declared_charset(b""), None);
        // charset= in a non-http-equiv meta is not a declaration.
        assert_eq!(
            declared_charset(b"<meta name=\"description\" content=\"charset=utf-8 tips\">"),
            None
        );
        assert_eq!(declared_charset(b"<metadata charset=\"utf-8\">"), None);
        assert_eq!(declared_charset(b"<meta charset=>"), None);
        assert_eq!(
            declared_charset(b"<meta charset=\"utf-8"),
            Some("utf-8".into())
        );
        assert_eq!(declared_charset(b"<meta charset"), None);
        // Latin-1 bytes in the page do not upset the scan.
        assert_eq!(
            declared_charset(b"<p>caf\xE9</p><meta charset=latin1>").as_deref(),
            Some("latin1")
        );
        assert_eq!(
            declared_charset(NEWS_PAGE.as_bytes()).as_deref(),
            Some("utf-8")
        );
    }

    #[test]
    fn charset_beyond_scan_window_is_ignored() {
        let mut page = vec![b' '; CHARSET_SCAN_BYTES];
        page.extend_from_slice(b"<meta charset=utf-8>");
        assert_eq!(declared_charset(&page), None);
    }
}
