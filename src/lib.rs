//! newsdex: full-text search for news archives.
//!
//! Two one-way chains (see `ARCHITECTURE.md`):
//! - index: files → [`ingest::discover`] → [`ingest::parse`] → [`model::Article`] → [`ingest::enrich`]
//!   → [`model::EnrichedArticle`] → [`ingest::document`] → [`ingest::writer`] → index;
//! - search: query + flags → [`search`] → hits → passages → [`render`].
#![warn(missing_docs)]

pub mod cli;
pub mod entities;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod ingest;
pub mod model;
pub mod render;
pub mod schema;
pub mod search;
pub mod stats;
pub mod stem;
pub mod store;
pub mod words;
