//! Search: query + flags → request → tantivy query + filters → hits → passages → response.

pub mod dates;
pub mod passages;
pub mod syntax;
