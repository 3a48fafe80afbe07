//! STUB (replaced by the parsers work).
use super::Parsed;
/// Parses.
pub fn parse(text: &str) -> Parsed { super::txt::parse(text) }
