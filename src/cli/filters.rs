//! Filter flags shared by `search` and `entities`: dates and entity names.

use clap::Args;

use crate::error::{Error, Result};
use crate::search::dates;
use crate::search::request::{DateFilter, ValueFilters};

/// `--since`, `--until`, `--person`, `--org`, `--place`, `--entity`.
#[derive(Debug, Args, Default)]
pub struct FilterArgs {
    /// Only articles dated on or after this: YYYY, YYYY-MM, YYYY-MM-DD, RFC 3339, or 7d/3w/6m/1y ago.
    #[arg(long)]
    pub since: Option<String>,
    /// Only articles dated on or before this (inclusive at the precision given).
    #[arg(long)]
    pub until: Option<String>,
    /// Only articles mentioning this person (exact canonical name; repeatable).
    #[arg(long = "person", value_name = "NAME")]
    pub persons: Vec<String>,
    /// Only articles mentioning this organisation (repeatable).
    #[arg(long = "org", value_name = "NAME")]
    pub orgs: Vec<String>,
    /// Only articles mentioning this place (repeatable).
    #[arg(long = "place", value_name = "NAME")]
    pub places: Vec<String>,
    /// Only articles mentioning this entity of any type (repeatable).
    #[arg(long = "entity", value_name = "NAME")]
    pub entities: Vec<String>,
}

impl FilterArgs {
    /// The entity-name filters.
    pub fn values(&self) -> ValueFilters {
        ValueFilters {
            persons: self.persons.clone(),
            orgs: self.orgs.clone(),
            places: self.places.clone(),
            entities: self.entities.clone(),
        }
    }

    /// The date filter: `--since` from the start of its period, `--until` to the end of its.
    pub fn dates(&self, undated: bool, now: i64) -> Result<DateFilter> {
        let bound = |flag: &str, text: &Option<String>, pick_end: bool| -> Result<Option<i64>> {
            match text {
                None => Ok(None),
                Some(text) => dates::parse_bound(text, now)
                    .map(|(start, end)| Some(if pick_end { end } else { start }))
                    .map_err(|e| Error::Usage(format!("{flag} {text:?}: {e}"))),
            }
        };
        Ok(DateFilter {
            since: bound("--since", &self.since, false)?,
            until: bound("--until", &self.until, true)?,
            undated,
        })
    }
}
