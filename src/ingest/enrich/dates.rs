//! Publication dates: turns the date strings found in news files (front matter, JSON exports,
//! RSS/Atom feeds, e-mail/Usenet headers, Reuters SGML, file paths) into a normalised [`PubDate`].
//!
//! Everything here is pure: nothing reads the clock. Callers pass `now` (Unix seconds, UTC),
//! which is only used to reject dates in the future.
//!
//! # Accepted formats ([`parse_date`])
//!
//! Surrounding whitespace and quotes are ignored, only the first 100 characters are looked at,
//! and the text is cut at the first control character or `&#` entity (Reuters SGML junk).
//! Month names, weekday names, zone names, `T` and `AM`/`PM` are case-insensitive.
//!
//! - ISO 8601 / RFC 3339: `2025-03-02T14:30:00Z`, `+02:00` / `+0200` / `+02` offsets, fractional
//!   seconds (truncated), `T` or space separator, no seconds (`2025-03-02T14:30`), no zone (UTC),
//!   a zone name or `[Region/City]` after the time; `2025-03-02` (day), `2025-03` (month),
//!   `2025/03/02`, `2025.03.02`; a bare date with a zone (`2025-03-02Z`) keeps its calendar day.
//! - `2025` (year; exactly four digits), compact `20250302` (eight digits, 19xx/20xx) and
//!   `20250302143000` (fourteen digits, 19xx/20xx).
//! - Unix timestamps: ten digits (seconds, optionally with a fraction) or thirteen digits
//!   (milliseconds).
//! - RFC 2822 and its Usenet variants: optional weekday, one- or two-digit day, two-digit years,
//!   missing seconds, missing zone (UTC), numeric zones with or without a comment
//!   (`-0500 (EST)`), zone names, `MET DST`; `asctime` (`Tue Apr 20 15:15:58 1993`, also with a
//!   zone before the year).
//! - Month names, full or abbreviated (`Sept` too), with or without a dot: `March 16, 2025`,
//!   `March 16 2025`, `Mar. 16, 2025`, `March 16th, 2025`, `16 March 2025`, `16th of March 2025`,
//!   `16-Mar-2025`, `Sunday, March 16, 2025`, `March 2025` / `March, 2025` (month), each with an
//!   optional time such as `3:45 PM EST`, `3 p.m.`, `, 14:05`, `at 14:05`.
//! - Reuters: `19-OCT-1987 01:16:31.23`; junk after the time is ignored for this form.
//! - Apache log style: `16/Mar/2025:14:05:00 +0000`.
//! - Numeric with the year last: `03/16/2025`, `16/03/2025`, `03-16-2025`, `16.03.2025`.
//!
//! # Decisions
//!
//! - Two-digit years (in dates with a month name): `00`–`49` → 20xx, `50`–`99` → 19xx. Other
//!   year lengths are taken literally, so three-digit years are out of range.
//! - Numeric dates with `/` or `-` are read as month/day/year (US) unless the first number is
//!   over 12 and the second is not; `03/04/2025` is therefore 4 March 2025. With dots they are
//!   always day.month.year (the European convention).
//! - `IST` is India Standard Time (+05:30), `CST` is US Central (−06:00), `BST` British Summer
//!   Time (+01:00), `MET`/`CET` +01:00. A known zone name followed by `DST` gets one more hour.
//!   `Eastern`/`Central`/`Mountain`/`Pacific` (optionally `Standard`/`Daylight` and `Time`) are
//!   understood; without `Daylight`, and for `ET`/`CT`/`MT`/`PT`, standard time is assumed.
//!   Unknown alphabetic zone names of up to six letters are taken as UTC; a numeric offset always
//!   wins over a name.
//! - Weekday names are skipped and never checked against the date (Usenet dates often disagree).
//! - `AM`/`PM` need an hour from 1 to 12; `00:00:60` (a leap second) is read as `00:00:59`.
//! - A date that has a time has [`DatePrecision::Time`], even at midnight.
//! - Placeholders: year 0 or 1 in any form, and the exact Unix epoch instant
//!   (`1970-01-01T00:00:00Z`, also written with an offset, or timestamp 0). The day
//!   `1970-01-01` without a time is accepted.
//! - Rejection order: placeholder, then out of range (year outside 1000–9999, or before the index's
//!   first instant, 1677-09-21), then impossible
//!   (bad month, day, hour, minute, second or offset), then future (the period starts more than
//!   two days after `now`).

use crate::model::{DatePrecision, PubDate};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike};

/// Only this many characters of a date string are looked at.
const MAX_CHARS: usize = 100;
/// Dates may lie this far (seconds) after `now` before they count as future (time zones, embargoes).
const FUTURE_SLACK: i64 = 2 * 86_400;
/// Seconds in a day.
const DAY: i64 = 86_400;
/// An hour value that can never be valid, used to mark `13 PM` and the like as impossible.
const BAD_HOUR: u32 = u32::MAX;

/// Why a date string was not accepted; Display gives a short lower-case reason like
/// `placeholder date "0001-01-01"` / `impossible date "2025-02-31"` / `unrecognised date "next tuesday"` /
/// `date out of range "99999-01-01"` / `date in the future "2031-01-01"`.
///
/// Each variant carries the cleaned-up text (trimmed, unquoted, at most 100 characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// No supported format matched.
    Unrecognised(String),
    /// A well-formed value that stands for "no date" (year 0 or 1, the Unix epoch instant).
    Placeholder(String),
    /// A well-formed date that does not exist (31 February, month 13, hour 25, offset +9900).
    Impossible(String),
    /// A year outside 1000..=9999, a timestamp that does not fit, or a date the index cannot hold
    /// (before 1677-09-21).
    OutOfRange(String),
    /// A date more than two days after `now`.
    Future(String),
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateError::Unrecognised(s) => write!(f, "unrecognised date {s:?}"),
            DateError::Placeholder(s) => write!(f, "placeholder date {s:?}"),
            DateError::Impossible(s) => write!(f, "impossible date {s:?}"),
            DateError::OutOfRange(s) => write!(f, "date out of range {s:?}"),
            DateError::Future(s) => write!(f, "date in the future {s:?}"),
        }
    }
}

impl std::error::Error for DateError {}

/// Parses a date as written in an article's metadata. `now` = current time (Unix seconds, UTC) passed in by
/// the caller — never read the clock in this module.
///
/// See the [module documentation](self) for the accepted formats and the rules used.
pub fn parse_date(text: &str, now: i64) -> Result<PubDate, DateError> {
    let clean = clean(text);
    match parse_fields(clean) {
        Some(fields) => finish(&fields, now).map_err(|kind| kind.error(clean)),
        None => Err(DateError::Unrecognised(clean.to_string())),
    }
}

/// A date from a file path: `…/2025/03/16/…`, `…/2025-03-16-slug.md`, `…/20250316_slug.txt`-style (be
/// conservative: only plausible years 1900..=now's year+1, valid month/day; `…/2025/03/…` → month precision).
/// Returns None when the path holds no date. Day precision for full dates.
///
/// Recognised, with `/` or `\` as separators:
/// - directories `YYYY/M[M]/D[D]/` (day) and `YYYY/M[M]/` (month);
/// - a directory named exactly `YYYY-MM` or `YYYY_MM` (month);
/// - inside any component, `YYYY-MM-DD` or `YYYY_MM_DD`, or a run of exactly eight digits
///   `YYYYMMDD` (day); digits may not touch the match on either side.
///
/// Day precision beats month precision; among equals the one nearest the file name wins. Dates
/// more than two days after `now` are ignored.
pub fn date_from_path(path: &str, now: i64) -> Option<PubDate> {
    let max_year = DateTime::from_timestamp(now, 0).map_or(9999, |d| i64::from(d.year()) + 1);
    let segs: Vec<&str> = path.split(['/', '\\']).collect();
    let dirs = segs.len().saturating_sub(1);
    let mut best: Option<PubDate> = None;
    let mut consider = |y: u64, m: u64, d: Option<u64>| {
        if let Some(found) = path_candidate(y, m, d, max_year, now) {
            if best.is_none_or(|b| found.precision >= b.precision) {
                best = Some(found);
            }
        }
    };
    for (idx, seg) in segs.iter().enumerate() {
        let bytes = seg.as_bytes();
        let is_dir = idx < dirs;
        if is_dir && bytes.len() == 4 && all_digits(bytes) {
            let month = segs
                .get(idx + 1)
                .filter(|_| idx + 1 < dirs)
                .map(|s| s.as_bytes());
            if let Some(mb) = month.filter(|b| (1..=2).contains(&b.len()) && all_digits(b)) {
                let day = segs
                    .get(idx + 2)
                    .filter(|_| idx + 2 < dirs)
                    .map(|s| s.as_bytes());
                let day = day.filter(|b| (1..=2).contains(&b.len()) && all_digits(b));
                consider(digits_value(bytes), digits_value(mb), day.map(digits_value));
            }
        }
        if is_dir
            && bytes.len() == 7
            && all_digits(&bytes[..4])
            && matches!(bytes[4], b'-' | b'_')
            && all_digits(&bytes[5..])
        {
            consider(digits_value(&bytes[..4]), digits_value(&bytes[5..]), None);
        }
        scan_segment(bytes, &mut consider);
    }
    best
}

/// Start and end (inclusive) of a calendar period — used later for query ranges like `--since 2025-03`.
/// Returns None for invalid components.
///
/// The year must be in 1..=9999, the month in 1..=12 and the day must exist in that month; a day
/// without a month is invalid. Times are UTC: a day runs from 00:00:00 to 23:59:59.
pub fn period(year: i32, month: Option<u32>, day: Option<u32>) -> Option<(i64, i64)> {
    if !(1..=9999).contains(&year) {
        return None;
    }
    match (month, day) {
        (None, None) => Some((day_start(year, 1, 1)?, day_start(year + 1, 1, 1)? - 1)),
        (Some(m), None) => {
            let start = day_start(year, m, 1)?;
            let (ny, nm) = if m == 12 {
                (year + 1, 1)
            } else {
                (year, m + 1)
            };
            Some((start, day_start(ny, nm, 1)? - 1))
        }
        (Some(m), Some(d)) => {
            let start = day_start(year, m, d)?;
            Some((start, start + DAY - 1))
        }
        (None, Some(_)) => None,
    }
}

/// First second (UTC) of a calendar day, or None when the day does not exist.
fn day_start(year: i32, month: u32, day: u32) -> Option<i64> {
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some(date.and_time(NaiveTime::MIN).and_utc().timestamp())
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

/// The components read from a date string, not yet validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fields {
    /// The year as written (after two-digit expansion); may be out of range.
    year: i64,
    /// Month, if given; may be invalid.
    month: Option<u32>,
    /// Day of month, if given; may be invalid.
    day: Option<u32>,
    /// Time of day, if given; may be invalid.
    time: Option<Hms>,
    /// Zone offset in seconds east of UTC.
    offset: i64,
    /// The zone offset was syntactically fine but impossible (e.g. `+9900`).
    bad_zone: bool,
}

impl Fields {
    /// A year with nothing else.
    fn year(year: i64) -> Fields {
        Fields {
            year,
            month: None,
            day: None,
            time: None,
            offset: 0,
            bad_zone: false,
        }
    }

    /// A year and month.
    fn ym(year: i64, month: u64) -> Fields {
        Fields {
            month: Some(to_u32(month)),
            ..Fields::year(year)
        }
    }

    /// A calendar day.
    fn ymd(year: i64, month: u64, day: u64) -> Fields {
        Fields {
            day: Some(to_u32(day)),
            ..Fields::ym(year, month)
        }
    }

    /// The UTC calendar fields of an instant (from a Unix timestamp).
    fn instant(secs: i64) -> Fields {
        match DateTime::from_timestamp(secs, 0) {
            Some(dt) => Fields {
                time: Some(Hms {
                    h: dt.hour(),
                    m: dt.minute(),
                    s: dt.second(),
                }),
                ..Fields::ymd(
                    i64::from(dt.year()),
                    u64::from(dt.month()),
                    u64::from(dt.day()),
                )
            },
            // Does not fit the calendar: an impossible year makes `finish` report out of range.
            None => Fields::year(i64::MAX),
        }
    }
}

/// A time of day as written; may be invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hms {
    /// Hour (0..=23 when valid).
    h: u32,
    /// Minute.
    m: u32,
    /// Second (60 is accepted as a leap second).
    s: u32,
}

/// The kind of rejection, before the text is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reject {
    /// See [`DateError::Placeholder`].
    Placeholder,
    /// See [`DateError::Impossible`].
    Impossible,
    /// See [`DateError::OutOfRange`].
    OutOfRange,
    /// See [`DateError::Future`].
    Future,
}

impl Reject {
    /// The public error for this kind of rejection of `text`.
    fn error(self, text: &str) -> DateError {
        let text = text.to_string();
        match self {
            Reject::Placeholder => DateError::Placeholder(text),
            Reject::Impossible => DateError::Impossible(text),
            Reject::OutOfRange => DateError::OutOfRange(text),
            Reject::Future => DateError::Future(text),
        }
    }
}

/// Validates parsed fields and turns them into a period.
fn finish(f: &Fields, now: i64) -> Result<PubDate, Reject> {
    if f.year == 0 || f.year == 1 {
        return Err(Reject::Placeholder);
    }
    if !(1000..=9999).contains(&f.year) {
        return Err(Reject::OutOfRange);
    }
    let year = i32::try_from(f.year).map_err(|_| Reject::OutOfRange)?;
    let (start, end, precision) = match (f.month, f.day, f.time) {
        (None, _, _) => {
            let (s, e) = period(year, None, None).ok_or(Reject::OutOfRange)?;
            (s, e, DatePrecision::Year)
        }
        (Some(m), None, _) => {
            let (s, e) = period(year, Some(m), None).ok_or(Reject::Impossible)?;
            (s, e, DatePrecision::Month)
        }
        (Some(m), Some(d), None) => {
            let (s, e) = period(year, Some(m), Some(d)).ok_or(Reject::Impossible)?;
            (s, e, DatePrecision::Day)
        }
        (Some(m), Some(d), Some(t)) => {
            let day = day_start(year, m, d).ok_or(Reject::Impossible)?;
            if t.h > 23 || t.m > 59 || t.s > 60 {
                return Err(Reject::Impossible);
            }
            let secs = i64::from(t.h) * 3600 + i64::from(t.m) * 60 + i64::from(t.s.min(59));
            let instant = day + secs - f.offset;
            (instant, instant, DatePrecision::Time)
        }
    };
    if f.bad_zone {
        return Err(Reject::Impossible);
    }
    if precision == DatePrecision::Time && start == 0 {
        return Err(Reject::Placeholder);
    }
    if start > now.saturating_add(FUTURE_SLACK) {
        return Err(Reject::Future);
    }
    // The index holds instants from 1677-09-21 to 2262-04-11 only; an earlier date would be
    // stored as a different one, and a wrong date is worse than none.
    if !crate::schema::INDEX_DATES.contains(&start) || !crate::schema::INDEX_DATES.contains(&end) {
        return Err(Reject::OutOfRange);
    }
    Ok(PubDate {
        start,
        end,
        precision,
    })
}

// ---------------------------------------------------------------------------------------------
// Cleaning and the all-digit forms
// ---------------------------------------------------------------------------------------------

/// Characters trimmed from both ends of a date string.
fn is_trim_char(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '“' | '”' | '‘' | '’' | '«' | '»')
}

/// Trims whitespace and quotes, keeps the first [`MAX_CHARS`] characters and cuts at the first
/// control character or `&#` entity.
fn clean(text: &str) -> &str {
    let t = text.trim_start_matches(is_trim_char);
    let end = t.char_indices().nth(MAX_CHARS).map_or(t.len(), |(i, _)| i);
    let mut t = &t[..end];
    if let Some(pos) = t.find(|c: char| c.is_control() && !c.is_whitespace()) {
        t = &t[..pos];
    }
    if let Some(pos) = t.find("&#") {
        t = &t[..pos];
    }
    t.trim_matches(is_trim_char)
}

/// Parses a cleaned date string into unvalidated fields.
fn parse_fields(s: &str) -> Option<Fields> {
    if s.is_empty() {
        return None;
    }
    if let Some(f) = parse_digits(s) {
        return Some(f);
    }
    parse_tokens(&tokenize(s))
}

/// The all-digit forms: year, compact dates, Unix timestamps.
fn parse_digits(s: &str) -> Option<Fields> {
    let b = s.as_bytes();
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) if i.len() == 10 && (1..=9).contains(&f.len()) && all_digits(f.as_bytes()) => {
            (i.as_bytes(), true)
        }
        _ => (b, false),
    };
    if !all_digits(int) {
        return None;
    }
    let century_ok = int.starts_with(b"19") || int.starts_with(b"20");
    let num = |r: std::ops::Range<usize>| digits_value(&int[r]);
    match (int.len(), frac) {
        (4, false) => Some(Fields::year(to_i64(num(0..4)))),
        (8, false) if century_ok => Some(Fields::ymd(to_i64(num(0..4)), num(4..6), num(6..8))),
        (14, false) if century_ok => Some(Fields {
            time: Some(Hms {
                h: to_u32(num(8..10)),
                m: to_u32(num(10..12)),
                s: to_u32(num(12..14)),
            }),
            ..Fields::ymd(to_i64(num(0..4)), num(4..6), num(6..8))
        }),
        (10, _) => Some(Fields::instant(to_i64(num(0..10)))),
        (13, false) => Some(Fields::instant(to_i64(num(0..13)) / 1000)),
        _ => None,
    }
}

/// True when `b` is non-empty and all ASCII digits.
fn all_digits(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(u8::is_ascii_digit)
}

/// The value of a run of ASCII digits (saturating; non-digits count as 0).
fn digits_value(b: &[u8]) -> u64 {
    b.iter().fold(0u64, |acc, &c| {
        acc.saturating_mul(10)
            .saturating_add(u64::from(c.wrapping_sub(b'0').min(9)))
    })
}

/// Saturating conversion to `i64`.
fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Saturating conversion to `u32`.
fn to_u32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind<'a> {
    /// A run of ASCII digits: its (saturating) value and its number of digits.
    Num(u64, usize),
    /// A run of ASCII letters.
    Word(&'a str),
    /// Any other single character.
    Sym(char),
}

/// A token and whether whitespace came before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tok<'a> {
    /// The token.
    kind: Kind<'a>,
    /// Whitespace precedes the token.
    sp: bool,
}

/// Splits a date string into digit runs, letter runs and single symbols.
fn tokenize(s: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut sp = false;
    let mut chars = s.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            sp = true;
            continue;
        }
        let kind = if let Some(first) = c.to_digit(10) {
            let (mut val, mut len) = (u64::from(first), 1);
            while let Some(d) = chars.peek().and_then(|&(_, d)| d.to_digit(10)) {
                val = val.saturating_mul(10).saturating_add(u64::from(d));
                len += 1;
                chars.next();
            }
            Kind::Num(val, len)
        } else if c.is_ascii_alphabetic() {
            let mut end = start + 1;
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_ascii_alphabetic() {
                    break;
                }
                end = i + 1;
                chars.next();
            }
            Kind::Word(&s[start..end])
        } else {
            Kind::Sym(c)
        };
        out.push(Tok { kind, sp });
        sp = false;
    }
    out
}

/// The number at `i`: value and digit count.
fn num(t: &[Tok], i: usize) -> Option<(u64, usize)> {
    match t.get(i)?.kind {
        Kind::Num(v, l) => Some((v, l)),
        _ => None,
    }
}

/// The number at `i` if no whitespace precedes it.
fn num_adj(t: &[Tok], i: usize) -> Option<(u64, usize)> {
    t.get(i).filter(|tok| !tok.sp).and_then(|_| num(t, i))
}

/// The symbol at `i`.
fn sym(t: &[Tok], i: usize) -> Option<char> {
    match t.get(i)?.kind {
        Kind::Sym(c) => Some(c),
        _ => None,
    }
}

/// The symbol at `i` if no whitespace precedes it.
fn sym_adj(t: &[Tok], i: usize) -> Option<char> {
    t.get(i).filter(|tok| !tok.sp).and_then(|_| sym(t, i))
}

/// The word at `i`.
fn word<'a>(t: &[Tok<'a>], i: usize) -> Option<&'a str> {
    match t.get(i)?.kind {
        Kind::Word(w) => Some(w),
        _ => None,
    }
}

/// True when the word at `i` is `w` (ASCII case-insensitive).
fn word_is(t: &[Tok], i: usize, w: &str) -> bool {
    word(t, i).is_some_and(|x| x.eq_ignore_ascii_case(w))
}

/// True when whitespace precedes the token at `i` (false past the end).
fn spaced(t: &[Tok], i: usize) -> bool {
    t.get(i).is_some_and(|tok| tok.sp)
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/// Month names and abbreviations.
const MONTHS: [(&str, u64); 24] = [
    ("jan", 1),
    ("january", 1),
    ("feb", 2),
    ("february", 2),
    ("mar", 3),
    ("march", 3),
    ("apr", 4),
    ("april", 4),
    ("may", 5),
    ("jun", 6),
    ("june", 6),
    ("jul", 7),
    ("july", 7),
    ("aug", 8),
    ("august", 8),
    ("sep", 9),
    ("sept", 9),
    ("september", 9),
    ("oct", 10),
    ("october", 10),
    ("nov", 11),
    ("november", 11),
    ("dec", 12),
    ("december", 12),
];

/// Weekday names and abbreviations.
const WEEKDAYS: [&str; 18] = [
    "mon",
    "monday",
    "tue",
    "tues",
    "tuesday",
    "wed",
    "wednesday",
    "thu",
    "thur",
    "thurs",
    "thursday",
    "fri",
    "friday",
    "sat",
    "saturday",
    "sun",
    "sunday",
    "weds",
];

/// Zone abbreviations and their offsets (seconds east of UTC).
const ZONES: [(&str, i64); 56] = [
    ("z", 0),
    ("ut", 0),
    ("utc", 0),
    ("uct", 0),
    ("gmt", 0),
    ("wet", 0),
    ("bst", 3600),
    ("ist", 19_800),
    ("cet", 3600),
    ("met", 3600),
    ("mez", 3600),
    ("west", 3600),
    ("wat", 3600),
    ("cest", 7200),
    ("mest", 7200),
    ("mesz", 7200),
    ("eet", 7200),
    ("sast", 7200),
    ("cat", 7200),
    ("eest", 10_800),
    ("msk", 10_800),
    ("eat", 10_800),
    ("pkt", 18_000),
    ("ict", 25_200),
    ("wib", 25_200),
    ("hkt", 28_800),
    ("sgt", 28_800),
    ("awst", 28_800),
    ("pht", 28_800),
    ("jst", 32_400),
    ("kst", 32_400),
    ("acst", 34_200),
    ("aest", 36_000),
    ("acdt", 37_800),
    ("aedt", 39_600),
    ("nzst", 43_200),
    ("nzdt", 46_800),
    ("est", -18_000),
    ("edt", -14_400),
    ("cst", -21_600),
    ("cdt", -18_000),
    ("mst", -25_200),
    ("mdt", -21_600),
    ("pst", -28_800),
    ("pdt", -25_200),
    ("ast", -14_400),
    ("adt", -10_800),
    ("nst", -12_600),
    ("ndt", -9000),
    ("akst", -32_400),
    ("akdt", -28_800),
    ("hst", -36_000),
    ("et", -18_000),
    ("ct", -21_600),
    ("mt", -25_200),
    ("pt", -28_800),
];

/// North American zones written out (`Eastern Standard Time`): standard offsets.
const LONG_ZONES: [(&str, i64); 4] = [
    ("eastern", -18_000),
    ("central", -21_600),
    ("mountain", -25_200),
    ("pacific", -28_800),
];

/// Longest unknown alphabetic word still taken as a zone name (meaning UTC).
const MAX_UNKNOWN_ZONE: usize = 6;

/// Looks `w` up in a name table.
fn lookup<T: Copy>(table: &[(&str, T)], w: &str) -> Option<T> {
    table
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(w))
        .map(|&(_, v)| v)
}

/// The month number of a month name.
fn month_of(w: &str) -> Option<u64> {
    lookup(&MONTHS, w)
}

/// True for weekday names.
fn is_weekday(w: &str) -> bool {
    WEEKDAYS.iter().any(|d| d.eq_ignore_ascii_case(w))
}

// ---------------------------------------------------------------------------------------------
// Grammar
// ---------------------------------------------------------------------------------------------

/// Which date form matched; decides what may follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `YYYY-MM-DD` (also with `/` or `.`).
    Iso,
    /// `YYYY-MM`: nothing may follow.
    IsoMonth,
    /// `MM/DD/YYYY` and friends.
    Numeric,
    /// `DD Mon YYYY`; the separator (`' '`, `-`, `/` or `.`).
    DayMonth(char),
    /// `Mon DD, YYYY`.
    MonthFirst,
    /// `Mon YYYY`: nothing may follow.
    MonthYear,
    /// A form that already read its time and zone (`asctime`).
    Complete,
}

/// Parses a tokenised date.
fn parse_tokens(t: &[Tok]) -> Option<Fields> {
    let mut i = 0;
    if word(t, 0).is_some_and(is_weekday) {
        i = 1;
        if matches!(sym(t, 1), Some(',' | '.')) {
            i = 2;
        }
    }
    let (mut f, mut i, form) = date_iso(t, i)
        .or_else(|| date_numeric(t, i))
        .or_else(|| date_day_month(t, i))
        .or_else(|| date_month_first(t, i))?;
    match form {
        Form::Complete | Form::IsoMonth | Form::MonthYear => {}
        _ => {
            if let Some((hms, j)) = time_at(t, i, form) {
                f.time = Some(hms);
                let (offset, bad, k) = zone_at(t, j);
                if trailing_ok(t, k) {
                    f.offset = offset;
                    f.bad_zone = bad;
                    i = k;
                } else if form == Form::DayMonth('-') {
                    // Reuters: whatever follows the time is SGML junk.
                    i = t.len();
                } else {
                    return None;
                }
            } else if form == Form::Iso && !spaced(t, i) && starts_zone(t, i) {
                // `2025-03-02Z`, `2025-03-02+01:00`: the calendar day as written.
                let (_, bad, k) = zone_at(t, i);
                f.bad_zone = bad;
                i = k;
            }
        }
    }
    trailing_ok(t, i).then_some(f)
}

/// True when a zone (`Z`, `+…`, `-…`) starts at `i`.
fn starts_zone(t: &[Tok], i: usize) -> bool {
    matches!(sym(t, i), Some('+' | '-')) || word_is(t, i, "z")
}

/// What may end a date: `.`, `,`, `;` and bracketed comments.
fn trailing_ok(t: &[Tok], mut i: usize) -> bool {
    while i < t.len() {
        match sym(t, i) {
            Some('.' | ',' | ';') => i += 1,
            Some('(' | '[') => i = skip_comment(t, i).0,
            _ => return false,
        }
    }
    true
}

/// Skips a bracketed comment starting at `i` (unclosed comments run to the end); returns the
/// index after it and the comment's first word.
fn skip_comment<'a>(t: &[Tok<'a>], i: usize) -> (usize, Option<&'a str>) {
    let close = if sym(t, i) == Some('[') { ']' } else { ')' };
    let first = word(t, i + 1);
    let mut j = i + 1;
    while j < t.len() && sym(t, j) != Some(close) {
        j += 1;
    }
    ((j + 1).min(t.len()), first)
}

/// A year as written next to a month name: two digits are expanded, one digit is rejected.
fn year_from(v: u64, len: usize) -> Option<i64> {
    match len {
        0 | 1 => None,
        2 if v < 50 => Some(2000 + to_i64(v)),
        2 => Some(1900 + to_i64(v)),
        _ => Some(to_i64(v)),
    }
}

/// Skips an ordinal suffix (`16th`) directly after a number.
fn skip_ordinal(t: &[Tok], i: usize) -> usize {
    let ordinal = !spaced(t, i) && ["st", "nd", "rd", "th"].iter().any(|s| word_is(t, i, s));
    if ordinal {
        i + 1
    } else {
        i
    }
}

/// `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYY-MM`, `YYYY/MM` (four or more year digits).
fn date_iso(t: &[Tok], i: usize) -> Option<(Fields, usize, Form)> {
    let (y, yl) = num(t, i)?;
    let sep = sym_adj(t, i + 1).filter(|c| matches!(c, '-' | '/' | '.'))?;
    let (m, ml) = num_adj(t, i + 2)?;
    if yl < 4 || ml > 2 {
        return None;
    }
    if sym_adj(t, i + 3) == Some(sep) {
        let (d, dl) = num_adj(t, i + 4)?;
        return (dl <= 2).then_some((Fields::ymd(to_i64(y), m, d), i + 5, Form::Iso));
    }
    (sep != '.').then_some((Fields::ym(to_i64(y), m), i + 3, Form::IsoMonth))
}

/// `MM/DD/YYYY`, `DD/MM/YYYY` (when the first number exceeds 12), `MM-DD-YYYY`, `DD.MM.YYYY`.
fn date_numeric(t: &[Tok], i: usize) -> Option<(Fields, usize, Form)> {
    let (a, al) = num(t, i)?;
    let sep = sym_adj(t, i + 1).filter(|c| matches!(c, '-' | '/' | '.'))?;
    let (b, bl) = num_adj(t, i + 2)?;
    if al > 2 || bl > 2 || sym_adj(t, i + 3) != Some(sep) {
        return None;
    }
    let (y, yl) = num_adj(t, i + 4)?;
    if yl < 4 {
        return None;
    }
    let day_first = sep == '.' || (a > 12 && b <= 12);
    let (month, day) = if day_first { (b, a) } else { (a, b) };
    Some((Fields::ymd(to_i64(y), month, day), i + 5, Form::Numeric))
}

/// `16 March 2025`, `16th of March, 2025`, `5 Apr 93`, `19-OCT-1987`, `16/Mar/2025`.
fn date_day_month(t: &[Tok], i: usize) -> Option<(Fields, usize, Form)> {
    let (d, dl) = num(t, i)?;
    if dl > 2 {
        return None;
    }
    let mut j = skip_ordinal(t, i + 1);
    let sep = match sym_adj(t, j) {
        Some(c @ ('-' | '/' | '.')) => {
            j += 1;
            c
        }
        _ => ' ',
    };
    if sep == ' ' && word_is(t, j, "of") {
        j += 1;
    }
    let month = month_of(word(t, j)?)?;
    if sep != ' ' && spaced(t, j) {
        return None;
    }
    j += 1;
    if sep == ' ' {
        if sym_adj(t, j) == Some('.') {
            j += 1;
        }
        if sym(t, j) == Some(',') {
            j += 1;
        }
    } else {
        if sep != '.' && sym_adj(t, j) == Some('.') {
            j += 1;
        }
        if sym_adj(t, j) != Some(sep) {
            return None;
        }
        j += 1;
    }
    let (yv, yl) = num(t, j)?;
    if sep != ' ' && spaced(t, j) {
        return None;
    }
    let year = year_from(yv, yl)?;
    Some((Fields::ymd(year, month, d), j + 1, Form::DayMonth(sep)))
}

/// `March 16, 2025`, `Mar. 16 2025`, `March 2025`, and `asctime` (`Apr 20 15:15:58 [EDT] 1993`).
fn date_month_first(t: &[Tok], i: usize) -> Option<(Fields, usize, Form)> {
    let month = month_of(word(t, i)?)?;
    let mut j = i + 1;
    if sym_adj(t, j) == Some('.') {
        j += 1;
    }
    if sym(t, j) == Some(',') {
        j += 1;
    }
    let (v, l) = num(t, j)?;
    if l >= 4 {
        return Some((Fields::ym(to_i64(v), month), j + 1, Form::MonthYear));
    }
    if l > 2 {
        return None;
    }
    j = skip_ordinal(t, j + 1);
    if num(t, j).is_some() && sym_adj(t, j + 1) == Some(':') {
        let (hms, k) = time_at(t, j, Form::Complete)?;
        let (offset, bad_zone, k) = zone_at(t, k);
        let (yv, yl) = num(t, k)?;
        let fields = Fields {
            time: Some(hms),
            offset,
            bad_zone,
            ..Fields::ymd(year_from(yv, yl)?, month, v)
        };
        return Some((fields, k + 1, Form::Complete));
    }
    if sym(t, j) == Some(',') {
        j += 1;
    }
    let (yv, yl) = num(t, j)?;
    Some((
        Fields::ymd(year_from(yv, yl)?, month, v),
        j + 1,
        Form::MonthFirst,
    ))
}

/// A time of day at `i`: `14:30`, `14:30:00.123`, `3:45 PM`, `3 p.m.`, with the connector the
/// form allows before it (`T` for ISO; `,`, `at` otherwise; `:` after `16/Mar/2025`).
fn time_at(t: &[Tok], i: usize, form: Form) -> Option<(Hms, usize)> {
    let mut j = i;
    if form == Form::Iso {
        if word_is(t, j, "t") {
            if spaced(t, j) || spaced(t, j + 1) {
                return None;
            }
            j += 1;
        }
    } else {
        if sym(t, j) == Some(',') || (form == Form::DayMonth('/') && sym_adj(t, j) == Some(':')) {
            j += 1;
        }
        if word_is(t, j, "at") {
            j += 1;
        }
    }
    let (h, hl) = num(t, j)?;
    if hl > 3 {
        return None;
    }
    j += 1;
    let (mut m, mut s, mut colon) = (0, 0, false);
    if sym_adj(t, j) == Some(':') {
        let (mv, ml) = num_adj(t, j + 1)?;
        if ml > 2 {
            return None;
        }
        m = mv;
        colon = true;
        j += 2;
        if sym_adj(t, j) == Some(':') {
            let (sv, sl) = num_adj(t, j + 1)?;
            if sl > 2 {
                return None;
            }
            s = sv;
            j += 2;
            if matches!(sym_adj(t, j), Some('.' | ',')) && num_adj(t, j + 1).is_some() {
                j += 2;
            }
        }
    }
    let (ampm, j) = ampm_at(t, j);
    let h = match ampm {
        None if !colon => return None,
        None => to_u32(h),
        Some(_) if h == 0 || h > 12 => BAD_HOUR,
        Some(pm) => to_u32(h % 12) + if pm { 12 } else { 0 },
    };
    Some((
        Hms {
            h,
            m: to_u32(m),
            s: to_u32(s),
        },
        j,
    ))
}

/// `AM`/`PM`/`a.m.`/`p.m.` at `i`: `Some(true)` for PM, and the index after it.
fn ampm_at(t: &[Tok], i: usize) -> (Option<bool>, usize) {
    let Some(w) = word(t, i) else {
        return (None, i);
    };
    if w.eq_ignore_ascii_case("am") || w.eq_ignore_ascii_case("pm") {
        return (Some(w.eq_ignore_ascii_case("pm")), i + 1);
    }
    let pm = w.eq_ignore_ascii_case("p");
    if (pm || w.eq_ignore_ascii_case("a"))
        && sym_adj(t, i + 1) == Some('.')
        && !spaced(t, i + 2)
        && word_is(t, i + 2, "m")
    {
        let end = if sym_adj(t, i + 3) == Some('.') {
            i + 4
        } else {
            i + 3
        };
        return (Some(pm), end);
    }
    (None, i)
}

/// A zone after a time: a name (`GMT`, `EST`, `MET DST`, `Eastern Daylight Time`, unknown short
/// words → UTC), a numeric offset (`+0200`, `-05:00`, `+02`, `GMT+1`), a redundant name after the
/// offset, and bracketed comments (`(EST)`, `[Europe/Paris]`). Returns the offset (0 if none),
/// whether it is impossible, and the index after the zone.
fn zone_at(t: &[Tok], mut i: usize) -> (i64, bool, usize) {
    let mut named = None;
    let mut numeric = None;
    let mut bad = false;
    if let Some((offset, used)) = zone_words(t, i) {
        named = Some(offset);
        i += used;
    }
    if matches!(sym(t, i), Some('+' | '-')) {
        if let Some((offset, ok, used)) = numeric_offset(t, i) {
            numeric = Some(offset);
            bad = !ok;
            i += used;
            if word(t, i).is_some_and(|w| w.len() <= MAX_UNKNOWN_ZONE) {
                i += 1;
            }
        }
    }
    while matches!(sym(t, i), Some('(' | '[')) {
        let (next, first) = skip_comment(t, i);
        if named.is_none() && numeric.is_none() {
            named = first.and_then(|w| lookup(&ZONES, w));
        }
        i = next;
    }
    (numeric.or(named).unwrap_or(0), bad, i)
}

/// A zone name at `i`: its offset and the number of words used.
fn zone_words(t: &[Tok], i: usize) -> Option<(i64, usize)> {
    let w = word(t, i)?;
    if let Some(offset) = lookup(&ZONES, w) {
        return Some(if word_is(t, i + 1, "dst") {
            (offset + 3600, 2)
        } else {
            (offset, 1)
        });
    }
    if let Some(mut offset) = lookup(&LONG_ZONES, w) {
        let mut j = i + 1;
        if word_is(t, j, "standard") {
            j += 1;
        } else if word_is(t, j, "daylight") {
            offset += 3600;
            j += 1;
        }
        if word_is(t, j, "time") {
            j += 1;
        }
        return Some((offset, j - i));
    }
    (w.len() <= MAX_UNKNOWN_ZONE).then_some((0, 1))
}

/// A numeric offset at `i` (the sign): `+0200`, `-500`, `+02`, `+02:00`. Returns seconds east of
/// UTC, whether hours ≤ 23 and minutes ≤ 59, and the number of tokens used.
fn numeric_offset(t: &[Tok], i: usize) -> Option<(i64, bool, usize)> {
    let sign = if sym(t, i)? == '-' { -1 } else { 1 };
    let (v, l) = num_adj(t, i + 1)?;
    let (hh, mm, used) = match l {
        3 | 4 => (v / 100, v % 100, 2),
        1 | 2 => match (sym_adj(t, i + 2), num_adj(t, i + 3)) {
            (Some(':'), Some((m, 2))) => (v, m, 4),
            _ => (v, 0, 2),
        },
        _ => return None,
    };
    let ok = hh <= 23 && mm <= 59;
    Some((sign * (to_i64(hh) * 3600 + to_i64(mm) * 60), ok, used))
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

/// A date found in a path, if plausible: year in 1900..=`max_year`, a real calendar date, not
/// after `now` + two days.
fn path_candidate(y: u64, m: u64, d: Option<u64>, max_year: i64, now: i64) -> Option<PubDate> {
    let year = to_i64(y);
    if year < 1900 || year > max_year {
        return None;
    }
    let year = i32::try_from(year).ok()?;
    let (start, end) = period(year, Some(to_u32(m)), d.map(to_u32))?;
    if start > now.saturating_add(FUTURE_SLACK) {
        return None;
    }
    let precision = if d.is_some() {
        DatePrecision::Day
    } else {
        DatePrecision::Month
    };
    Some(PubDate {
        start,
        end,
        precision,
    })
}

/// Finds `YYYY-MM-DD`, `YYYY_MM_DD` and eight-digit `YYYYMMDD` (19xx/20xx) inside one path
/// component; digit runs must match exactly (no digits touching).
fn scan_segment(b: &[u8], consider: &mut impl FnMut(u64, u64, Option<u64>)) {
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let run = &b[start..i];
        match run.len() {
            8 if run.starts_with(b"19") || run.starts_with(b"20") => consider(
                digits_value(&run[..4]),
                digits_value(&run[4..6]),
                Some(digits_value(&run[6..])),
            ),
            4 => {
                let rest = &b[i..];
                let dashed = rest.len() >= 6
                    && matches!(rest[0], b'-' | b'_')
                    && rest[3] == rest[0]
                    && all_digits(&rest[1..3])
                    && all_digits(&rest[4..6])
                    && !rest.get(6).is_some_and(u8::is_ascii_digit);
                if dashed {
                    consider(
                        digits_value(run),
                        digits_value(&rest[1..3]),
                        Some(digits_value(&rest[4..6])),
                    );
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-27T00:00:00Z.
    const NOW: i64 = 1_795_737_600;

    fn ts(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, s)
            .unwrap()
            .and_utc()
            .timestamp()
    }

    fn ok(s: &str) -> PubDate {
        parse_date(s, NOW).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
    }

    fn err(s: &str) -> DateError {
        match parse_date(s, NOW) {
            Ok(d) => panic!("{s:?} should fail, got {d:?}"),
            Err(e) => e,
        }
    }

    fn assert_time(s: &str, expected: i64) {
        let d = ok(s);
        assert_eq!(
            d,
            PubDate {
                start: expected,
                end: expected,
                precision: DatePrecision::Time
            },
            "{s:?}"
        );
    }

    fn assert_day(s: &str, y: i32, m: u32, d: u32) {
        let start = ts(y, m, d, 0, 0, 0);
        let got = ok(s);
        assert_eq!(
            got,
            PubDate {
                start,
                end: start + 86_399,
                precision: DatePrecision::Day
            },
            "{s:?}"
        );
    }

    fn assert_month(s: &str, y: i32, m: u32) {
        let got = ok(s);
        assert_eq!(got.precision, DatePrecision::Month, "{s:?}");
        assert_eq!(got.start, ts(y, m, 1, 0, 0, 0), "{s:?}");
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        assert_eq!(got.end, ts(ny, nm, 1, 0, 0, 0) - 1, "{s:?}");
    }

    fn is_unrecognised(e: &DateError) -> bool {
        matches!(e, DateError::Unrecognised(_))
    }

    #[test]
    fn now_constant_is_2026_11_27() {
        assert_eq!(ts(2026, 11, 27, 0, 0, 0), NOW);
        assert_eq!(ts(2024, 3, 16, 12, 0, 0), 1_710_590_400);
        assert_eq!(ts(1993, 4, 5, 14, 23, 1), 734_019_781);
    }

    #[test]
    fn rfc3339_and_iso_times() {
        let t = ts(2025, 3, 2, 14, 30, 0);
        for s in [
            "2025-03-02T14:30:00Z",
            "2025-03-02t14:30:00z",
            "2025-03-02T14:30:00+00:00",
            "2025-03-02T14:30:00-00:00",
            "2025-03-02T16:30:00+02:00",
            "2025-03-02T16:30:00+0200",
            "2025-03-02T16:30:00+02",
            "2025-03-02T09:30:00-05:00",
            "2025-03-02T20:00:00+05:30",
            "2025-03-02T14:30:00.123Z",
            "2025-03-02T14:30:00.123456789+00:00",
            "2025-03-02T14:30:00,5Z",
            "2025-03-02 14:30:00",
            "2025-03-02 14:30:00Z",
            "2025-03-02T14:30",
            "2025-03-02 14:30",
            "2025-03-02T14:30Z",
            "2025-03-02T14:30:00",
            "2025-03-02T15:30:00+01:00[Europe/Paris]",
            "2025-03-02 15:30:00 +0100",
            "2025-03-02 14:30:00 +0000 UTC",
            "2025-03-02 14:30:00 UTC",
            "2025-03-02 14:30:00 GMT",
            "2025-03-02T14:30:00.000+0000",
            "2025/03/02 14:30:00",
            "2025-03-02 2:30 PM",
            "20250302143000",
        ] {
            assert_time(s, t);
        }
    }

    #[test]
    fn a_time_means_time_precision_even_at_midnight() {
        assert_time("2025-03-02T00:00:00Z", ts(2025, 3, 2, 0, 0, 0));
        assert_time("2025-03-02 00:00", ts(2025, 3, 2, 0, 0, 0));
        assert_time("1 Jan 2000 00:00:00 GMT", ts(2000, 1, 1, 0, 0, 0));
    }

    #[test]
    fn offsets_can_change_the_utc_day() {
        assert_time("2025-03-02T23:30:00-05:00", ts(2025, 3, 3, 4, 30, 0));
        assert_time("2025-01-01T01:00:00+02:00", ts(2024, 12, 31, 23, 0, 0));
    }

    #[test]
    fn iso_days_months_years() {
        for s in [
            "2025-03-02",
            "2025/03/02",
            "2025.03.02",
            "2025-3-2",
            "20250302",
            "2025-03-02Z",
        ] {
            assert_day(s, 2025, 3, 2);
        }
        assert_day("2025-03-02+05:00", 2025, 3, 2);
        assert_month("2025-03", 2025, 3);
        assert_month("2025/03", 2025, 3);
        assert_month("2025-12", 2025, 12);
        let y = ok("2025");
        assert_eq!(y.precision, DatePrecision::Year);
        assert_eq!(y.start, ts(2025, 1, 1, 0, 0, 0));
        assert_eq!(y.end, ts(2025, 12, 31, 23, 59, 59));
    }

    #[test]
    fn precision_boundaries_and_leap_years() {
        let feb = ok("2024-02");
        assert_eq!(feb.start, ts(2024, 2, 1, 0, 0, 0));
        assert_eq!(feb.end, 1_709_251_199); // 2024-02-29T23:59:59Z
        assert_eq!(ok("2023-02").end, ts(2023, 2, 28, 23, 59, 59));
        assert_eq!(ok("1900-02").end, ts(1900, 2, 28, 23, 59, 59));
        assert_eq!(ok("2000-02").end, ts(2000, 2, 29, 23, 59, 59));
        assert_eq!(ok("2024").end - ok("2024").start + 1, 366 * 86_400);
        assert_eq!(ok("2023").end - ok("2023").start + 1, 365 * 86_400);
        assert_day("2024-02-29", 2024, 2, 29);
        assert_day("2000-02-29", 2000, 2, 29);
        assert_day("Feb 29, 2024", 2024, 2, 29);
        for s in ["2023-02-29", "1900-02-29", "2100-02-29", "29 Feb 2023"] {
            assert!(matches!(err(s), DateError::Impossible(_)), "{s}");
        }
        let d = ok("2025-03-16");
        assert_eq!((d.start, d.end), (1_742_083_200, 1_742_083_200 + 86_399));
    }

    #[test]
    fn unix_timestamps() {
        let t = 1_710_590_400;
        assert_time("1710590400", t);
        assert_time("1710590400123", t);
        assert_time("1710590400999", t);
        assert_time("1710590400.75", t);
        assert_time("\"1710590400\"", t);
        assert!(matches!(err("9999999999"), DateError::Future(_)));
        assert!(matches!(err("0000000000"), DateError::Placeholder(_)));
        assert!(matches!(err("0000000000000"), DateError::Placeholder(_)));
        for s in ["171059040", "17105904001", "171059040012", "17105904001234"] {
            assert!(is_unrecognised(&err(s)), "{s}");
        }
    }

    #[test]
    fn compact_dates_need_19xx_or_20xx() {
        assert_day("19991231", 1999, 12, 31);
        assert!(is_unrecognised(&err("30250302")));
        assert!(is_unrecognised(&err("12345678")));
        assert!(matches!(err("20250231"), DateError::Impossible(_)));
        assert!(matches!(err("20251301"), DateError::Impossible(_)));
    }

    #[test]
    fn rfc2822_and_usenet_samples() {
        let cases: [(&str, i64); 22] = [
            ("Mon, 5 Apr 93 14:23:01 GMT", ts(1993, 4, 5, 14, 23, 1)),
            ("5 Apr 1993 14:23:01 -0400", ts(1993, 4, 5, 18, 23, 1)),
            ("Tue, 20 Apr 1993 18:06:13 GMT", ts(1993, 4, 20, 18, 6, 13)),
            ("Fri, 2 Apr 93 1:43:42 PDT", ts(1993, 4, 2, 8, 43, 42)),
            (
                "Sat, 3 Apr 1993 01:32:29 -0500 (EST)",
                ts(1993, 4, 3, 6, 32, 29),
            ),
            (
                "Mon, 19 Apr 1993 13:07:06 +0200 (MET DST)",
                ts(1993, 4, 19, 11, 7, 6),
            ),
            (
                "Tue, 6 Apr 1993 21:05:09 +0100 (MET)",
                ts(1993, 4, 6, 20, 5, 9),
            ),
            (
                "Tue, 20 Apr 93 15:35:46 MET DST",
                ts(1993, 4, 20, 13, 35, 46),
            ),
            ("21 Apr 93 02:49:11 GMT", ts(1993, 4, 21, 2, 49, 11)),
            (
                "Wednesday, 14 Apr 1993 22:17:47 +0000",
                ts(1993, 4, 14, 22, 17, 47),
            ),
            (
                "Sat, 17 Apr 1993 05:41:20 LOCAL",
                ts(1993, 4, 17, 5, 41, 20),
            ),
            ("Thu, 15 Apr 1993 21:40:52 EDT", ts(1993, 4, 16, 1, 40, 52)),
            ("Fri, 16 Apr 93 07:47   EST", ts(1993, 4, 16, 12, 47, 0)),
            (
                "Mon,  5 Apr 1993   14:23:01   GMT",
                ts(1993, 4, 5, 14, 23, 1),
            ),
            ("Mon, 05 Apr 1993 14:23:01", ts(1993, 4, 5, 14, 23, 1)),
            (
                "19 Apr 93 16:16:48 -0500 (CDT)",
                ts(1993, 4, 19, 21, 16, 48),
            ),
            ("Tue Apr 20 15:15:58 1993", ts(1993, 4, 20, 15, 15, 58)),
            ("Mon Apr  5 14:23:01 EDT 1993", ts(1993, 4, 5, 18, 23, 1)),
            ("Apr 16 93 14:58:14", ts(1993, 4, 16, 14, 58, 14)),
            ("5 Apr 1993 14:23:01 -0400 (Mon)", ts(1993, 4, 5, 18, 23, 1)),
            (
                "Thu, 22 Apr 1993 15:32:58 -0400 (EDT)",
                ts(1993, 4, 22, 19, 32, 58),
            ),
            ("mon, 5 APR 93 14:23:01 gmt", ts(1993, 4, 5, 14, 23, 1)),
        ];
        for (s, t) in cases {
            assert_time(s, t);
        }
        assert_day("Mon, 5 Apr 93", 1993, 4, 5);
    }

    #[test]
    fn two_digit_years() {
        assert_day("1 Jan 00", 2000, 1, 1);
        assert_day("1 Jan 50", 1950, 1, 1);
        assert_day("31 Dec 99", 1999, 12, 31);
        assert_day("Apr 5, 93", 1993, 4, 5);
        assert_day("1 Jan 25", 2025, 1, 1);
        // 49 is 2049: in the future for NOW, fine once the clock has moved on.
        assert!(matches!(err("1 Jan 49"), DateError::Future(_)));
        let later = ts(2050, 1, 1, 0, 0, 0);
        assert_eq!(
            parse_date("1 Jan 49", later).map(|d| d.start),
            Ok(ts(2049, 1, 1, 0, 0, 0))
        );
        // One digit is not a year; three digits are taken literally.
        assert!(is_unrecognised(&err("1 Jan 9")));
        assert!(matches!(err("1 Jan 093"), DateError::OutOfRange(_)));
    }

    #[test]
    fn zone_names() {
        let base = ts(2000, 1, 1, 12, 0, 0);
        let zones: [(&str, i64); 27] = [
            ("GMT", 0),
            ("UT", 0),
            ("UTC", 0),
            ("Z", 0),
            ("EST", -5 * 3600),
            ("EDT", -4 * 3600),
            ("CST", -6 * 3600),
            ("CDT", -5 * 3600),
            ("MST", -7 * 3600),
            ("MDT", -6 * 3600),
            ("PST", -8 * 3600),
            ("PDT", -7 * 3600),
            ("BST", 3600),
            ("CET", 3600),
            ("CEST", 7200),
            ("MET", 3600),
            ("MEST", 7200),
            ("EET", 7200),
            ("JST", 9 * 3600),
            ("IST", 5 * 3600 + 1800),
            ("NZST", 12 * 3600),
            ("AEST", 10 * 3600),
            ("XYZ", 0),
            ("GMT+1", 3600),
            ("UTC-05:00", -5 * 3600),
            ("Eastern Daylight Time", -4 * 3600),
            ("Pacific Standard Time", -8 * 3600),
        ];
        for (zone, offset) in zones {
            assert_time(&format!("1 Jan 2000 12:00:00 {zone}"), base - offset);
            assert_time(&format!("Sat, 01 Jan 2000 12:00 {zone}"), base - offset);
        }
        // A numeric offset wins over a name or comment.
        assert_time("1 Jan 2000 12:00:00 +0100 (EST)", base - 3600);
        // A name in a comment is used when nothing else is given.
        assert_time("1 Jan 2000 12:00:00 (EST)", base + 5 * 3600);
    }

    #[test]
    fn month_name_dates() {
        for s in [
            "March 16, 2025",
            "March 16 2025",
            "Mar. 16, 2025",
            "Mar 16, 2025",
            "MARCH 16, 2025",
            "march 16,2025",
            "16 March 2025",
            "16 Mar 2025",
            "16 mar. 2025",
            "16-Mar-2025",
            "16/Mar/2025",
            "16.Mar.2025",
            "Sunday, March 16, 2025",
            "Sun, March 16, 2025",
            "Sun. 16 March 2025",
            "March 16th, 2025",
            "16th March 2025",
            "16th of March 2025",
            "16 March, 2025",
            "March 16, 2025.",
            "March 16, 2025 (Sunday)",
            "\"March 16, 2025\"",
            "“March 16, 2025”",
            "  'March 16, 2025'  ",
            "March\u{a0}16,\u{a0}2025",
        ] {
            assert_day(s, 2025, 3, 16);
        }
        assert_day("Sept. 5, 2025", 2025, 9, 5);
        assert_day("September 5, 2025", 2025, 9, 5);
        assert_day("1 May 2025", 2025, 5, 1);
        assert_month("March 2025", 2025, 3);
        assert_month("Mar 2025", 2025, 3);
        assert_month("March, 2025", 2025, 3);
        assert_month("dec 1999", 1999, 12);
    }

    #[test]
    fn month_name_dates_with_times() {
        let d = ts(2025, 3, 16, 0, 0, 0);
        let cases: [(&str, i64); 14] = [
            ("March 16, 2025 3:45 PM EST", d + 20 * 3600 + 45 * 60),
            ("March 16, 2025 3:45 pm", d + 15 * 3600 + 45 * 60),
            ("March 16, 2025 3:45PM", d + 15 * 3600 + 45 * 60),
            ("March 16, 2025 at 3:45 p.m.", d + 15 * 3600 + 45 * 60),
            ("March 16, 2025, 12:30 AM", d + 30 * 60),
            ("March 16, 2025 12:00 PM", d + 12 * 3600),
            ("March 16, 2025 12:00 a.m.", d),
            ("March 16, 2025 3 PM", d + 15 * 3600),
            (
                "March 16, 2025 3:45 PM Eastern Daylight Time",
                d + 19 * 3600 + 45 * 60,
            ),
            ("March 16, 2025 3:45 PM ET", d + 20 * 3600 + 45 * 60),
            ("16 Mar 2025 14:05", d + 14 * 3600 + 5 * 60),
            ("16 Mar 2025, 14:05:30", d + 14 * 3600 + 5 * 60 + 30),
            ("Sunday, March 16, 2025 14:05 +0100", d + 13 * 3600 + 5 * 60),
            ("16/Mar/2025:14:05:00 +0000", d + 14 * 3600 + 5 * 60),
        ];
        for (s, t) in cases {
            assert_time(s, t);
        }
    }

    #[test]
    fn reuters_samples() {
        assert_time("19-OCT-1987 01:16:31.23", 561_604_591);
        assert_time(" 1-MAR-1987 01:41:26.47", ts(1987, 3, 1, 1, 41, 26));
        let t = ts(1987, 3, 27, 0, 3, 35);
        for s in [
            "27-MAR-1987 00:03:35.68",
            "27-MAR-1987 00:03:35.68\u{5}\u{5}\u{5}F\u{16}\u{16}\u{1}f0412\u{1f}reute",
            "27-MAR-1987 00:03:35.68\u{5}",
            "27-MAR-1987 00:03:35.68 F",
            "27-MAR-1987 00:03:35.68F",
            "27-MAR-1987 00:03:35.68 F F f0412reute",
            "27-MAR-1987 00:03:35.68&#5;&#5;&#5;F",
            "27-mar-1987 00:03:35.68",
        ] {
            assert_time(s, t);
        }
        assert!(matches!(
            err("31-MAR-1987 605:12:19.12"),
            DateError::Impossible(_)
        ));
    }

    #[test]
    fn numeric_dates_with_year_last() {
        for s in [
            "03/16/2025",
            "3/16/2025",
            "16/03/2025",
            "03-16-2025",
            "16-03-2025",
            "16.03.2025",
        ] {
            assert_day(s, 2025, 3, 16);
        }
        // Ambiguous: US month/day/year with slashes and dashes, day.month.year with dots.
        assert_day("03/04/2025", 2025, 3, 4);
        assert_day("03-04-2025", 2025, 3, 4);
        assert_day("03.04.2025", 2025, 4, 3);
        assert_time("03/16/2025 14:30", ts(2025, 3, 16, 14, 30, 0));
        assert!(matches!(err("13/13/2025"), DateError::Impossible(_)));
        assert!(matches!(err("02/30/2025"), DateError::Impossible(_)));
        assert!(is_unrecognised(&err("03/16/25")));
    }

    #[test]
    fn placeholders() {
        for s in [
            "0001-01-01",
            "0001-01-01T00:00:00Z",
            "0001-01-01 00:00:00",
            "0000-00-00",
            "0000-00-00 00:00:00",
            "0000",
            "0001",
            "1 Jan 0001",
            "1970-01-01T00:00:00Z",
            "1970-01-01T00:00:00.000Z",
            "1970-01-01 00:00:00",
            "1970-01-01T01:00:00+01:00",
            "Thu, 01 Jan 1970 00:00:00 +0000",
            "Wed, 31 Dec 1969 19:00:00 -0500",
            "0000000000",
        ] {
            assert!(matches!(err(s), DateError::Placeholder(_)), "{s}");
        }
        assert_day("1970-01-01", 1970, 1, 1);
        assert_time("1970-01-01T00:00:01Z", 1);
        assert_day("1900-01-01", 1900, 1, 1);
        assert_time("1900-01-01T00:00:00", ts(1900, 1, 1, 0, 0, 0));
    }

    #[test]
    fn impossible_dates() {
        for s in [
            "2025-02-31",
            "2025-13-01",
            "2025-00-10",
            "2025-03-00",
            "2025-04-31",
            "2025-13",
            "2025-00",
            "2025-03-02T25:00:00Z",
            "2025-03-02T24:00:00Z",
            "2025-03-02T14:60:00Z",
            "2025-03-02T14:30:61Z",
            "2025-03-02T14:30:00+99:00",
            "2025-03-02T14:30:00+0075",
            "Feb 30, 2025",
            "31 Feb 2025",
            "32 Jan 2025",
            "March 16, 2025 13:30 PM",
            "March 16, 2025 0:30 AM",
            "Mon, 5 Apr 93 25:23:01 GMT",
        ] {
            assert!(matches!(err(s), DateError::Impossible(_)), "{s}");
        }
        // A leap second is read as the second before.
        assert_time("2016-12-31T23:59:60Z", ts(2016, 12, 31, 23, 59, 59));
    }

    #[test]
    fn out_of_range() {
        for s in [
            "99999-01-01",
            "0999-12-31",
            "0500",
            "0002",
            "1 Jan 999",
            "March 99999",
            "01/01/10000",
            "12345678901234567890123-01-01",
            // Before the first instant the index can hold.
            "1000-01-01",
            "1677-09-20",
            "1492",
        ] {
            assert!(matches!(err(s), DateError::OutOfRange(_)), "{s}");
        }
        assert_day("1677-09-22", 1677, 9, 22);
        assert_day("1700-01-01", 1700, 1, 1);
    }

    #[test]
    fn future_dates() {
        for s in [
            "2031-01-01",
            "2027",
            "2026-12",
            "2026-11-30",
            "2026-11-29T00:00:01Z",
            "9999-12-31",
            "Dec 31, 49",
        ] {
            assert!(matches!(err(s), DateError::Future(_)), "{s}");
        }
        // Two days of slack.
        assert_time("2026-11-29T00:00:00Z", NOW + 2 * 86_400);
        assert_day("2026-11-29", 2026, 11, 29);
        assert_month("2026-11", 2026, 11);
        assert!(ok("2026").start < NOW);
    }

    #[test]
    fn unrecognised() {
        for s in [
            "",
            "   ",
            "\"\"",
            "next tuesday",
            "yesterday",
            "Monday",
            "March",
            "16 March",
            "March 16",
            "N/A",
            "null",
            "TBD",
            "-1",
            "1.5",
            "123",
            "12345",
            "2025-03-02T",
            "2025-03-02T14",
            "2025-03-02 garbage words here",
            "2025-03-02T14:30:00Z extra stuff",
            "2025-03-02 14:30:00 Extraordinary",
            "March 16, 2025 foo bar",
            "٢٠٢٥-٠٣-٠٢",
            "2025年3月16日",
            "2025.03",
            "-2025-03-02",
            "Date: 2025-03-02",
        ] {
            assert!(is_unrecognised(&err(s)), "{s:?}");
        }
    }

    #[test]
    fn errors_display_and_carry_the_cleaned_text() {
        assert_eq!(
            err("  \"next tuesday\" ").to_string(),
            "unrecognised date \"next tuesday\""
        );
        assert_eq!(
            err("0001-01-01").to_string(),
            "placeholder date \"0001-01-01\""
        );
        assert_eq!(
            err("2025-02-31").to_string(),
            "impossible date \"2025-02-31\""
        );
        assert_eq!(
            err("99999-01-01").to_string(),
            "date out of range \"99999-01-01\""
        );
        assert_eq!(
            err("2031-01-01").to_string(),
            "date in the future \"2031-01-01\""
        );
        assert_eq!(
            err("next tuesday"),
            DateError::Unrecognised("next tuesday".into())
        );
        let long = "x".repeat(10_000);
        match err(&long) {
            DateError::Unrecognised(s) => assert_eq!(s.chars().count(), MAX_CHARS),
            other => panic!("{other:?}"),
        }
        let e: Box<dyn std::error::Error> = Box::new(err("nope"));
        assert_eq!(e.to_string(), "unrecognised date \"nope\"");
    }

    #[test]
    fn only_the_first_hundred_characters_count() {
        let padded = format!("2025-03-02{}trailing", " ".repeat(200));
        assert_day(&padded, 2025, 3, 2);
        let prefixed = format!("{}2025-03-02", " ".repeat(100_000));
        assert_day(&prefixed, 2025, 3, 2);
        let late = format!("{}2025-03-02", "x".repeat(200));
        assert!(is_unrecognised(&err(&late)));
    }

    #[test]
    fn period_values() {
        assert_eq!(
            period(2025, None, None),
            Some((ts(2025, 1, 1, 0, 0, 0), ts(2025, 12, 31, 23, 59, 59)))
        );
        assert_eq!(
            period(2024, Some(2), None),
            Some((ts(2024, 2, 1, 0, 0, 0), 1_709_251_199))
        );
        assert_eq!(
            period(2025, Some(12), None),
            Some((ts(2025, 12, 1, 0, 0, 0), ts(2025, 12, 31, 23, 59, 59)))
        );
        assert_eq!(
            period(2025, Some(3), Some(16)),
            Some((1_742_083_200, 1_742_083_200 + 86_399))
        );
        assert_eq!(
            period(9999, None, None).map(|p| p.1),
            Some(ts(9999, 12, 31, 23, 59, 59))
        );
        assert_eq!(
            period(1, Some(1), Some(1)).map(|p| p.0),
            Some(ts(1, 1, 1, 0, 0, 0))
        );
        assert_eq!(period(1970, Some(1), Some(1)), Some((0, 86_399)));
        for (y, m, d) in [
            (2025, Some(13), None),
            (2025, Some(0), None),
            (2025, Some(2), Some(29)),
            (2025, Some(1), Some(32)),
            (2025, Some(1), Some(0)),
            (2025, None, Some(1)),
            (0, None, None),
            (-5, Some(1), None),
            (10_000, None, None),
            (i32::MAX, Some(u32::MAX), Some(u32::MAX)),
        ] {
            assert_eq!(period(y, m, d), None, "{y} {m:?} {d:?}");
        }
    }

    fn path_day(p: &str, y: i32, m: u32, d: u32) {
        let start = ts(y, m, d, 0, 0, 0);
        assert_eq!(
            date_from_path(p, NOW),
            Some(PubDate {
                start,
                end: start + 86_399,
                precision: DatePrecision::Day
            }),
            "{p}"
        );
    }

    fn path_month(p: &str, y: i32, m: u32) {
        let got = date_from_path(p, NOW).unwrap_or_else(|| panic!("{p}: no date"));
        assert_eq!(got.precision, DatePrecision::Month, "{p}");
        assert_eq!(Some((got.start, got.end)), period(y, Some(m), None), "{p}");
    }

    #[test]
    fn dates_from_paths() {
        path_day("/news/2025/03/16/story.html", 2025, 3, 16);
        path_day("news/2025/3/7/story.html", 2025, 3, 7);
        path_day("C:\\archive\\2025\\03\\16\\a.txt", 2025, 3, 16);
        path_day("/blog/_posts/2025-03-16-slug.md", 2025, 3, 16);
        path_day("/blog/2025_03_16_slug.md", 2025, 3, 16);
        path_day("/data/20250316_slug.txt", 2025, 3, 16);
        path_day("/data/slug-20250316.json", 2025, 3, 16);
        path_day("/data/2025-03-16/index.html", 2025, 3, 16);
        path_day("/新闻/2025/03/16/文章.txt", 2025, 3, 16);
        path_day("/1999/12/31/party.txt", 1999, 12, 31);
        path_day("/1900/01/01/x.txt", 1900, 1, 1);
        // Day beats month; the one nearest the file wins among equals.
        path_day("/2025/03/20250316.txt", 2025, 3, 16);
        path_day("/2024/01/01/2025-03-16-post.md", 2025, 3, 16);
        path_month("/news/2025/03/story.html", 2025, 3);
        path_month("/news/2025/03/16.html", 2025, 3);
        path_month("/news/2025/03/10-things.html", 2025, 3);
        path_month("/archive/2025-03/x.md", 2025, 3);
        // Up to two days after now.
        path_day("/2026/11/29/x.txt", 2026, 11, 29);
        for p in [
            "",
            "/",
            "/home/user/notes.txt",
            "/data/12345678.txt",
            "/data/202503161.txt",
            "/data/120250316.txt",
            "/ids/2025/99/x.txt",
            "/ids/2025/13/01/x.txt",
            "/v2/2025-02-30-x.md",
            "/v2/2025-3-16-x.md",
            "/1899/01/01/x.txt",
            "/2026/12/01/x.txt",
            "/2026/12/x.txt",
            "/2027/01/01/x.txt",
            "/2028/01/01/x.txt",
            "/a/2025/03",
            "/a/2025",
            "/2025/x.txt",
            "/archive/2025-03.md",
            "/data/18991231.txt",
        ] {
            assert_eq!(date_from_path(p, NOW), None, "{p}");
        }
    }

    #[test]
    fn path_year_limit_follows_now() {
        // With now in 2026, 2027 is a plausible year but its dates are still in the future.
        let later = ts(2027, 6, 1, 0, 0, 0);
        assert!(date_from_path("/2027/05/01/x", later).is_some());
        assert!(date_from_path("/2028/05/01/x", later).is_none());
    }

    #[test]
    fn hostile_inputs_never_panic() {
        let mut inputs: Vec<String> = [
            "\u{0}",
            "\u{7f}",
            "é",
            "2025-03-0é",
            "2025-é3-02",
            "((((((((",
            "))))",
            "[",
            "+",
            "-",
            ":",
            "::::",
            "T",
            "Z",
            "1:",
            "1::",
            "12:",
            "Mar",
            "Mar.",
            "16 Mar",
            "16-Mar-",
            "16th",
            "of",
            "a.m.",
            "p.",
            "Mon,",
            "Mon Apr 5 14:23:01",
            "Mon Apr 5 14:23:01 EDT",
            "2025-03-02T14:30:00+",
            "2025-03-02T14:30:00+:",
            "2025-03-02T14:30:00-99999999999999999999",
            "2025-03-02T99999999999999999999:00",
            "99999999999999999999999999999999999999",
            "18446744073709551616-01-01",
            "1 Jan 18446744073709551616",
            "1710590400.",
            "1710590400.1234567890",
            ".1710590400",
            "𝟚𝟘𝟚𝟝",
            "\u{202e}2025-03-02",
            "2025-03-02\u{200b}",
            "\u{feff}2025-03-02",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        inputs.push("9".repeat(100_000));
        inputs.push("(".repeat(10_000));
        inputs.push("1:".repeat(5_000));
        inputs.push("é".repeat(50_000));
        inputs.push("/2025".repeat(10_000));
        // Every prefix of some real samples.
        for s in [
            "Mon, 19 Apr 1993 13:07:06 +0200 (MET DST)",
            "2025-03-02T14:30:00.123+05:30",
            "March 16, 2025 at 3:45 p.m. EST",
        ] {
            for (i, _) in s.char_indices() {
                inputs.push(s[..i].to_string());
                inputs.push(s[i..].to_string());
            }
        }
        // Pseudo-random strings over an alphabet of date-ish characters.
        let alphabet: Vec<char> = "0123456789 -/:.,+()[]TZamptAPMJanMarDecGMTESTé\u{1}\"'"
            .chars()
            .collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3_000 {
            let mut s = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            inputs.push(s);
        }
        for s in &inputs {
            for now in [NOW, 0, i64::MIN, i64::MAX] {
                if let Ok(d) = parse_date(s, now) {
                    assert!(d.start <= d.end, "{s:?}");
                }
                let _ = date_from_path(s, now);
            }
        }
    }
}

/// Property tests: any text (and any path) gives a date in range and not in the future, or a
/// reason; the same day written in the documented forms is the same [`PubDate`].
#[cfg(test)]
mod properties {
    use chrono::{Days, NaiveDateTime};
    use proptest::prelude::*;

    use super::*;
    use crate::fuzzing::check_ingest_date;

    /// 2026-11-27T00:00:00Z.
    const NOW: i64 = 1_795_737_600;

    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    /// Pieces of the date formats the module documents, right and wrong.
    const PIECES: &[&str] = &[
        "2025",
        "1987",
        "0000",
        "0001",
        "99999",
        "25",
        "93",
        "03",
        "3",
        "12",
        "13",
        "16",
        "29",
        "31",
        "32",
        "-",
        "/",
        ".",
        ":",
        " ",
        ",",
        "T",
        "Z",
        "+02:00",
        "+0200",
        "+02",
        "-0500",
        "(EST)",
        "EST",
        "MET DST",
        "IST",
        "Pacific Daylight Time",
        "[Europe/Paris]",
        "AM",
        "p.m.",
        "PM",
        "th",
        "of",
        "at",
        "Sept",
        "Mar.",
        "MARCH",
        "Tue",
        "Sunday,",
        "OCT",
        "14:05",
        "14:05:60",
        "01:16:31.23",
        "1742212800",
        "1742212800123",
        "20250302",
        "20250302143000",
        "\"",
        "'",
        "&#",
        "\n",
        "\u{1}",
        "\u{a0}",
        "é",
        "日",
    ];

    fn date_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            6 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
            1 => "[0-9]{1,15}",
        ];
        prop::collection::vec(piece, 0..14).prop_map(|pieces| pieces.concat())
    }

    fn path() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => prop::sample::select(&["/", "\\", "2025", "03", "16", "2025-03", "2025_03_16", "20250316", "1899", "9999", "00", "13", "-", "_", "a", ".md"][..]).prop_map(str::to_string),
            1 => "[0-9]{1,10}",
            1 => any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
    }

    fn now() -> impl Strategy<Value = i64> {
        prop_oneof![Just(NOW), -40_000_000_000i64..300_000_000_000, any::<i64>()]
    }

    /// A day from 1678 (the index holds nothing earlier) to 2025 (not after [`NOW`]).
    fn day() -> impl Strategy<Value = NaiveDate> {
        (0u64..=127_000).prop_filter_map("in range", |n| {
            NaiveDate::from_ymd_opt(1678, 1, 1).and_then(|d| d.checked_add_days(Days::new(n)))
        })
    }

    fn day_period(day: NaiveDate) -> PubDate {
        let start = day.and_time(NaiveTime::MIN).and_utc().timestamp();
        PubDate {
            start,
            end: start + DAY - 1,
            precision: DatePrecision::Day,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_text_is_a_valid_date_or_a_reason(text in date_text(), now in now()) {
            if let Err(violation) = check_ingest_date(&text, now) {
                prop_assert!(false, "{violation}");
            }
        }

        #[test]
        fn any_path_is_a_valid_date_or_none(path in path(), now in now()) {
            if let Err(violation) = check_ingest_date(&path, now) {
                prop_assert!(false, "{violation}");
            }
        }

        #[test]
        fn a_day_in_any_documented_form_is_that_day(day in day()) {
            let expected = Ok(day_period(day));
            let (y, m, d) = (day.year(), day.month(), day.day());
            let name = MONTHS[day.month0() as usize];
            let short = &name[..3];
            let forms = [
                format!("{y}-{m:02}-{d:02}"),
                format!("{y}/{m:02}/{d:02}"),
                format!("{y}.{m:02}.{d:02}"),
                format!("\"{y}-{m:02}-{d:02}\""),
                format!("{name} {d}, {y}"),
                format!("{short}. {d}, {y}"),
                format!("{d} {name} {y}"),
                format!("{d:02}-{}-{y}", short.to_uppercase()),
                format!("{d:02}.{m:02}.{y}"),
            ];
            for form in forms {
                prop_assert_eq!(&parse_date(&form, NOW), &expected, "{}", form);
            }
            if (1900..=2026).contains(&y) {
                let path = format!("archive/{y}/{m:02}/{d:02}/story.html");
                prop_assert_eq!(date_from_path(&path, NOW), Some(day_period(day)));
            }
        }

        #[test]
        fn an_instant_reads_back(day in day(), second in 0u32..86_400) {
            let time = NaiveTime::from_num_seconds_from_midnight_opt(second, 0)
                .ok_or_else(|| TestCaseError::fail("a second of the day"))?;
            let instant = NaiveDateTime::new(day, time).and_utc();
            let t = instant.timestamp();
            prop_assume!(t != 0 && t <= NOW);
            let expected = Ok(PubDate { start: t, end: t, precision: DatePrecision::Time });
            prop_assert_eq!(&parse_date(&instant.to_rfc3339(), NOW), &expected);
            if let Some(offset) = chrono::FixedOffset::west_opt(5 * 3600) {
                let text = instant.with_timezone(&offset).to_rfc2822();
                // The local date may fall before year 1000; inside the range it must read back.
                if instant.with_timezone(&offset).year() >= 1000 {
                    prop_assert_eq!(&parse_date(&text, NOW), &expected, "{}", text);
                }
            }
        }
    }
}
