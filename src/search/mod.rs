//! Search: query + flags → [`request::SearchRequest`] → [`query`] (tantivy query + filters) →
//! [`hits`] (one page + total) → [`passages`] → [`response::SearchResponse`] → `render`.

pub mod aggregate;
pub mod all_of;
pub mod date_span;
pub mod dates;
pub mod either;
pub mod hits;
pub mod passages;
pub mod query;
pub mod rank;
pub mod request;
pub mod response;
pub mod stems;
pub mod stored;
pub mod surnames;
pub mod syntax;
