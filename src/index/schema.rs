//! The tantivy schema: the only place field names are spelled. Every tantivy
//! document is one passage, carrying its article's id, title, date and
//! entity facets, its ordinal in the article, and its byte range.

use tantivy::DateTime;

use crate::article::Date;
use crate::extract::EntityKind;
use tantivy::schema::{
    DateOptions, Field, FieldType, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing,
    TextOptions, FAST, INDEXED, STORED, STRING,
};

/// The tokenizer for searchable text: lower-cased, English-stemmed words.
pub const TEXT_TOKENIZER: &str = "en_stem";

/// Handles to every field of the passage schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The article id (path, plus `#line` for .jsonl); the delete key.
    pub id: Field,
    /// A 64-bit hash of the article id, as a fast field for grouping.
    pub article_key: Field,
    pub path: Field,
    pub doc_id: Field,
    pub title: Field,
    /// The passage text.
    pub text: Field,
    pub date: Field,
    pub url: Field,
    pub source: Field,
    pub author: Field,
    /// The passage's ordinal within its article, from 0.
    pub ordinal: Field,
    /// Byte offsets of the passage in the article body.
    pub start: Field,
    pub end: Field,
    /// The article's entities as `KIND\0NAME` (`person\0Vladimir Putin`), in
    /// order of first mention: stored, and a fast column (with its dictionary
    /// of values) for counting and filtering. Not in the inverted index: a
    /// filter scans the column, and the term dictionary and postings of
    /// every name were 15% of what entities add to an index build.
    pub entity: Field,
    /// The article's duplicate group (the key of its first copy), on every passage.
    pub dup_group: Field,
    // The manifest, on each article's first passage only:
    pub file_hash: Field,
    pub article_hash: Field,
    pub body_hash: Field,
    pub simhash: Field,
    pub words: Field,
}

impl Fields {
    /// Builds the schema and the handles to its fields.
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(TEXT_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let fields = Fields {
            id: b.add_text_field(ID, STRING | STORED | FAST),
            article_key: b.add_u64_field("article_key", NumericOptions::default().set_fast()),
            path: b.add_text_field("path", STORED),
            doc_id: b.add_text_field("doc_id", STRING | STORED),
            title: b.add_text_field("title", text.clone()),
            text: b.add_text_field("text", text),
            date: b.add_date_field(
                DATE,
                DateOptions::default().set_indexed().set_stored().set_fast(),
            ),
            url: b.add_text_field("url", STORED),
            source: b.add_text_field("source", STRING | STORED),
            author: b.add_text_field("author", STORED),
            ordinal: b.add_u64_field(ORDINAL, INDEXED | STORED | FAST),
            start: b.add_u64_field("start", STORED),
            end: b.add_u64_field("end", STORED),
            entity: b.add_text_field(ENTITY, TextOptions::default().set_fast("raw").set_stored()),
            dup_group: b.add_u64_field(DUP_GROUP, FAST),
            file_hash: b.add_u64_field(FILE_HASH, FAST),
            article_hash: b.add_u64_field(ARTICLE_HASH, FAST),
            body_hash: b.add_u64_field(BODY_HASH, FAST),
            simhash: b.add_u64_field(SIMHASH, FAST),
            words: b.add_u64_field(WORDS, FAST),
        };
        (b.build(), fields)
    }

    /// Looks the fields up in an existing index's schema.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: f("id")?,
            article_key: f("article_key")?,
            path: f("path")?,
            doc_id: f("doc_id")?,
            title: f("title")?,
            text: f("text")?,
            date: f("date")?,
            url: f("url")?,
            source: f("source")?,
            author: f("author")?,
            ordinal: f("ordinal")?,
            start: f("start")?,
            end: f("end")?,
            entity: entity_field(schema)?,
            dup_group: f(DUP_GROUP)?,
            file_hash: f(FILE_HASH)?,
            article_hash: f(ARTICLE_HASH)?,
            body_hash: f(BODY_HASH)?,
            simhash: f(SIMHASH)?,
            words: f(WORDS)?,
        })
    }
}

/// The name of the fast field holding [`Fields::article_key`].
pub const ARTICLE_KEY: &str = "article_key";
/// The name of the field holding [`Fields::entity`].
pub const ENTITY: &str = "entity";

/// The entity field, when it is the fast text field this version writes (an
/// index built before held hierarchical facets there instead).
fn entity_field(schema: &Schema) -> tantivy::Result<Field> {
    let field = schema.get_field(ENTITY)?;
    match schema.get_field_entry(field).field_type() {
        FieldType::Str(options) if options.is_fast() => Ok(field),
        _ => Err(tantivy::TantivyError::SchemaError(format!(
            "field {ENTITY:?} is not a fast text field"
        ))),
    }
}

/// An entity as the entity field holds it: `KIND\0NAME`.
pub fn entity_value(kind: EntityKind, name: &str) -> String {
    [kind.name(), "\0", name].concat()
}

/// The kind and name of an entity field value.
pub fn parse_entity_value(value: &str) -> Option<(EntityKind, &str)> {
    let (kind, name) = value.split_once('\0')?;
    Some((EntityKind::from_name(kind)?, name))
}
pub const ID: &str = "id";
pub const DATE: &str = "date";
pub const ORDINAL: &str = "ordinal";
pub const DUP_GROUP: &str = "dup_group";
pub const FILE_HASH: &str = "file_hash";
pub const ARTICLE_HASH: &str = "article_hash";
pub const BODY_HASH: &str = "body_hash";
pub const SIMHASH: &str = "simhash";
pub const WORDS: &str = "words";

/// An article's date as the value of the date field (midnight UTC).
pub fn date_value(date: Date) -> DateTime {
    DateTime::from_timestamp_secs(date.days_since_epoch() * SECONDS_PER_DAY)
}

/// The inverse of [`date_value`].
pub fn date_of_value(value: DateTime) -> Date {
    Date::from_days_since_epoch(value.into_timestamp_secs().div_euclid(SECONDS_PER_DAY))
}

const SECONDS_PER_DAY: i64 = 86_400;

/// The grouping key of an article id (FNV-1a, stable across runs and builds).
pub fn article_key(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
