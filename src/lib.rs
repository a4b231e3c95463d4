//! newsdex: full-text search for news corpora on tantivy.
//!
//! The data flows one way. [`ingest`] streams articles from a folder;
//! [`passage`] cuts each body into sentence-bounded passages; [`extract`]
//! finds the persons, places and organisations an article mentions;
//! [`index`] writes passages with their article's facets to tantivy; and
//! [`search`] ranks passages, groups them by article and counts facets, for
//! [`render`] to print as text or JSON; [`serve`] offers the same search to a
//! web browser.

pub mod article;
pub mod batch;
pub mod cli;
pub mod commands;
pub mod dates;
pub mod error;
pub mod extract;
pub mod fingerprint;
pub mod index;
pub mod ingest;
pub mod ner;
pub mod passage;
pub mod render;
pub mod search;
pub mod serve;
pub mod words;

pub use error::{Error, Result};
