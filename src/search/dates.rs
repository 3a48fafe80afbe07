//! Date bounds for search filters: turns what users type after `--since`, `--until` and inside
//! `date:` clauses into a period of Unix seconds (UTC).
//!
//! Everything here is pure: nothing reads the clock. Callers pass `now` (Unix seconds, UTC),
//! which is only used by the relative forms.
//!
//! # Accepted forms ([`parse_bound`])
//!
//! Surrounding whitespace is ignored. Each form names a period `[start, end]`, both ends
//! inclusive, in Unix seconds:
//!
//! | text                        | period                                                   |
//! |-----------------------------|----------------------------------------------------------|
//! | `2025`                      | the UTC year: 2025-01-01T00:00:00Z ..= 2025-12-31T23:59:59Z |
//! | `2025-03`                   | the UTC month (`2025-3` is accepted too)                 |
//! | `2025-03-16`                | the UTC day (`2025-3-6` is accepted too)                 |
//! | `2025-03-16T10:00:00Z`      | that instant (RFC 3339; any offset, fraction truncated)  |
//! | `2025-03-16T10:00:00`, `2025-03-16T10:00` | that instant, read as UTC (no offset given) |
//! | `7d`, `3w`                  | the instant `now` − 7 × 86 400 s, `now` − 21 × 86 400 s  |
//! | `6m`, `1y`                  | the instant 6 calendar months, 1 calendar year before `now` |
//!
//! - Years must be four digits from 1000 to 9999, in every form (a relative date that lands
//!   before year 1000 is out of range too).
//! - Calendar months and years back keep the time of day and clamp the day to the end of a
//!   shorter month: `1m` before 31 March is 28 (or 29) February, `1y` before 29 February is
//!   28 February.
//! - `0d` (or `0w`, `0m`, `0y`) is `now` itself. Unit letters are lowercase only (`6M` is not
//!   months, it is an error), and there are no future offsets.
//! - The `T` of an RFC 3339 date-time may also be `t` or a space.
//!
//! The caller decides which end it needs: `--since X` uses X's start, `--until X` X's end, so
//! `--since 2025-03 --until 2025-03` is all of March 2025.
//!
//! Error messages name the problem only (`month out of range`); the caller adds the subject,
//! e.g. `--since: bad date "2025-13": month out of range`.

use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, Utc};

/// The message for text that matches none of the accepted forms.
const NOT_A_DATE: &str = "not a date: expected YYYY, YYYY-MM, YYYY-MM-DD, RFC 3339 or 7d/3w/6m/1y";

/// The message for a date-time whose date part is fine but whose time part is not.
const BAD_TIME: &str = "bad time: expected RFC 3339 like 2025-03-16T10:00:00Z";

/// The message for a year outside [`MIN_YEAR`]..=[`MAX_YEAR`].
const YEAR_OUT_OF_RANGE: &str = "year out of range: expected 1000 to 9999";

/// The earliest year a bound may name.
const MIN_YEAR: i32 = 1000;

/// The latest year a bound may name.
const MAX_YEAR: i32 = 9999;

/// Seconds in a day (calendar days are UTC days, which have no leap seconds in Unix time).
const SECONDS_PER_DAY: i64 = 86_400;

/// A date bound as users type it in `--since`/`--until` and `date:` clauses.
///
/// Returns the period `[start, end]` the text names, both inclusive, in Unix seconds (UTC);
/// for an instant (RFC 3339 or relative) `start == end`. `now` (Unix seconds) anchors the
/// relative forms. See the [module docs](self) for the accepted forms.
///
/// # Errors
///
/// A message naming the problem, without the text itself: `month out of range`,
/// `day out of range`, `year out of range: expected 1000 to 9999`, or
/// `not a date: expected YYYY, YYYY-MM, YYYY-MM-DD, RFC 3339 or 7d/3w/6m/1y`.
pub fn parse_bound(text: &str, now: i64) -> Result<(i64, i64), String> {
    let text = text.trim();
    if let Some(instant) = relative(text, now) {
        let instant = instant?;
        return Ok((instant, instant));
    }
    if let Some((index, _)) = text
        .char_indices()
        .find(|&(_, c)| matches!(c, 'T' | 't' | ' '))
    {
        let instant = date_time(text, index)?;
        return Ok((instant, instant));
    }
    calendar(text)
}

/// The relative forms `7d`, `3w`, `6m`, `1y`: `None` if the text is not one of them.
fn relative(text: &str, now: i64) -> Option<Result<i64, String>> {
    let unit = text.chars().last()?;
    let digits = text.strip_suffix(unit)?;
    if !matches!(unit, 'd' | 'w' | 'm' | 'y')
        || digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some(relative_instant(digits, unit, now))
}

/// Resolves a relative form whose syntax has been checked.
fn relative_instant(digits: &str, unit: char, now: i64) -> Result<i64, String> {
    const TOO_FAR: &str = "too far back: the year must be 1000 or later";
    let count: i64 = digits.parse().map_err(|_| TOO_FAR.to_string())?;
    let now_utc =
        DateTime::<Utc>::from_timestamp(now, 0).ok_or("current time out of range".to_string())?;
    let instant = match unit {
        'd' | 'w' => {
            let days = if unit == 'w' {
                count.checked_mul(7)
            } else {
                Some(count)
            };
            days.and_then(|days| days.checked_mul(SECONDS_PER_DAY))
                .and_then(|seconds| now.checked_sub(seconds))
                .and_then(|seconds| DateTime::<Utc>::from_timestamp(seconds, 0))
        }
        _ => {
            let months = if unit == 'y' {
                count.checked_mul(12)
            } else {
                Some(count)
            };
            months
                .and_then(|months| u32::try_from(months).ok())
                .and_then(|months| now_utc.checked_sub_months(Months::new(months)))
        }
    };
    match instant {
        Some(instant) if instant.year() > MAX_YEAR => {
            Err("the current time is after year 9999: check NEWSDEX_NOW".to_string())
        }
        Some(instant) if instant.year() >= MIN_YEAR => Ok(instant.timestamp()),
        _ => Err(TOO_FAR.to_string()),
    }
}

/// An RFC 3339 date-time (or one without an offset, read as UTC) whose date and time are
/// separated at byte `index`.
fn date_time(text: &str, index: usize) -> Result<i64, String> {
    let date = &text[..index];
    if date.split('-').count() != 3 {
        return Err(NOT_A_DATE.to_string());
    }
    // Checks the date first, so its errors are as precise as for a bare date.
    calendar(date)?;
    let time = &text[index + 1..];
    let normalised = format!("{date}T{time}");
    let instant = if let Ok(parsed) = DateTime::parse_from_rfc3339(&normalised) {
        parsed.timestamp()
    } else {
        ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(&normalised, format).ok())
            .map(|naive| naive.and_utc().timestamp())
            .ok_or(BAD_TIME.to_string())?
    };
    // An offset can move the instant across a year boundary.
    match DateTime::<Utc>::from_timestamp(instant, 0) {
        Some(utc) if (MIN_YEAR..=MAX_YEAR).contains(&utc.year()) => Ok(instant),
        _ => Err(YEAR_OUT_OF_RANGE.to_string()),
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the whole UTC year, month or day.
fn calendar(text: &str) -> Result<(i64, i64), String> {
    let parts: Vec<&str> = text.split('-').collect();
    let numeric = |part: &&str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if parts.len() > 3 || !parts.iter().all(numeric) {
        return Err(NOT_A_DATE.to_string());
    }
    let (year, rest) = match parts.split_first() {
        Some((year, rest)) if year.len() == 4 => (year, rest),
        _ => return Err(NOT_A_DATE.to_string()),
    };
    if rest.iter().any(|part| part.len() > 2) {
        return Err(NOT_A_DATE.to_string());
    }
    let year: i32 = year.parse().map_err(|_| NOT_A_DATE.to_string())?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(YEAR_OUT_OF_RANGE.to_string());
    }
    let mut numbers = rest.iter().map(|part| part.parse::<u32>().unwrap_or(0));
    let (start, next) = match (numbers.next(), numbers.next()) {
        (None, _) => (ymd(year, 1, 1), ymd(year + 1, 1, 1)),
        (Some(month), day) => {
            if !(1..=12).contains(&month) {
                return Err("month out of range".to_string());
            }
            let first = ymd(year, month, 1);
            let next_month = first.and_then(|first| first.checked_add_months(Months::new(1)));
            match day {
                None => (first, next_month),
                Some(day) => {
                    let start = ymd(year, month, day).ok_or("day out of range".to_string())?;
                    (Some(start), start.succ_opt())
                }
            }
        }
    };
    match (start, next) {
        (Some(start), Some(next)) => Ok((midnight(start), midnight(next) - 1)),
        // Unreachable for years 1000–9999, which chrono represents with room to spare.
        _ => Err(YEAR_OUT_OF_RANGE.to_string()),
    }
}

/// A calendar day, if it exists.
fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The Unix seconds of a day's UTC midnight.
fn midnight(day: NaiveDate) -> i64 {
    day.and_time(chrono::NaiveTime::MIN).and_utc().timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-27T00:00:00Z, a Friday.
    const NOW: i64 = 1_795_737_600;

    /// Unix seconds of a UTC date-time, for readable expectations.
    fn at(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text).unwrap().timestamp()
    }

    fn ok(text: &str) -> (i64, i64) {
        parse_bound(text, NOW).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn err(text: &str) -> String {
        match parse_bound(text, NOW) {
            Ok(period) => panic!("{text:?} parsed as {period:?}"),
            Err(message) => message,
        }
    }

    #[test]
    fn now_is_what_the_tests_say() {
        assert_eq!(at("2026-11-27T00:00:00Z"), NOW);
    }

    #[test]
    fn years() {
        assert_eq!(
            ok("2025"),
            (at("2025-01-01T00:00:00Z"), at("2025-12-31T23:59:59Z"))
        );
        assert_eq!(ok("2025"), (1_735_689_600, 1_767_225_599));
        assert_eq!(ok("1000").0, at("1000-01-01T00:00:00Z"));
        assert_eq!(ok("9999").1, at("9999-12-31T23:59:59Z"));
        assert_eq!(ok("2024").1 - ok("2024").0 + 1, 366 * SECONDS_PER_DAY);
    }

    #[test]
    fn months() {
        assert_eq!(
            ok("2025-03"),
            (at("2025-03-01T00:00:00Z"), at("2025-03-31T23:59:59Z"))
        );
        assert_eq!(ok("2025-3"), ok("2025-03"));
        assert_eq!(ok("2024-02").1, at("2024-02-29T23:59:59Z"));
        assert_eq!(ok("2025-02").1, at("2025-02-28T23:59:59Z"));
        assert_eq!(
            ok("2025-12"),
            (at("2025-12-01T00:00:00Z"), at("2025-12-31T23:59:59Z"))
        );
    }

    #[test]
    fn days() {
        assert_eq!(
            ok("2025-03-16"),
            (at("2025-03-16T00:00:00Z"), at("2025-03-16T23:59:59Z"))
        );
        assert_eq!(ok("2025-03-16"), (1_742_083_200, 1_742_169_599));
        assert_eq!(ok("2025-3-6"), ok("2025-03-06"));
        assert_eq!(ok("2024-02-29").0, at("2024-02-29T00:00:00Z"));
        assert_eq!(ok("2025-12-31").1, at("2025-12-31T23:59:59Z"));
        assert_eq!(ok("  2025-03-16\t"), ok("2025-03-16"));
    }

    #[test]
    fn rfc_3339_instants() {
        let instant = at("2025-03-16T10:00:00Z");
        assert_eq!(ok("2025-03-16T10:00:00Z"), (instant, instant));
        assert_eq!(ok("2025-03-16T11:30:00+01:30").0, instant);
        assert_eq!(ok("2025-03-16T05:00:00-05:00").0, instant);
        assert_eq!(ok("2025-03-16t10:00:00z").0, instant);
        assert_eq!(ok("2025-03-16 10:00:00Z").0, instant);
        assert_eq!(ok("2025-03-16T10:00:00.999Z").0, instant);
        assert_eq!(ok("2025-03-16T10:00:00").0, instant);
        assert_eq!(ok("2025-03-16T10:00").0, instant);
        assert_eq!(ok("2025-03-16T10:00:00.5").0, instant);
    }

    #[test]
    fn relative_days_and_weeks() {
        assert_eq!(ok("7d"), (NOW - 7 * 86_400, NOW - 7 * 86_400));
        assert_eq!(ok("7d").0, 1_795_132_800);
        assert_eq!(ok("3w").0, NOW - 21 * 86_400);
        assert_eq!(ok("0d"), (NOW, NOW));
        assert_eq!(ok("0w").0, NOW);
        assert_eq!(ok("365d").0, at("2025-11-27T00:00:00Z"));
    }

    #[test]
    fn relative_calendar_months_and_years() {
        assert_eq!(ok("6m").0, at("2026-05-27T00:00:00Z"));
        assert_eq!(ok("1m").0, at("2026-10-27T00:00:00Z"));
        assert_eq!(
            ok("1y"),
            (at("2025-11-27T00:00:00Z"), at("2025-11-27T00:00:00Z"))
        );
        assert_eq!(ok("0m").0, NOW);
        assert_eq!(ok("0y").0, NOW);
        assert_eq!(ok("26m").0, at("2024-09-27T00:00:00Z"));
        // Day clamped to the end of the shorter month; the time of day is kept.
        let march_31 = at("2025-03-31T12:34:56Z");
        assert_eq!(
            parse_bound("1m", march_31),
            Ok((at("2025-02-28T12:34:56Z"), at("2025-02-28T12:34:56Z")))
        );
        let leap_day = at("2024-02-29T00:00:00Z");
        assert_eq!(
            parse_bound("1y", leap_day).map(|p| p.0),
            Ok(at("2023-02-28T00:00:00Z"))
        );
        assert_eq!(
            parse_bound("4y", leap_day).map(|p| p.0),
            Ok(at("2020-02-29T00:00:00Z"))
        );
    }

    #[test]
    fn relative_out_of_range() {
        assert_eq!(ok("1026y").0, at("1000-11-27T00:00:00Z"));
        assert!(err("1027y").starts_with("too far back"));
        assert!(err("999999999999999999999d").starts_with("too far back"));
        assert!(err("9223372036854775807w").starts_with("too far back"));
        assert!(err("9999999999y").starts_with("too far back"));
        assert!(err("4294967296m").starts_with("too far back"));
        assert_eq!(
            parse_bound("1d", i64::MAX),
            Err("current time out of range".to_string())
        );
        assert_eq!(
            parse_bound("1d", i64::MIN),
            Err("current time out of range".to_string())
        );
    }

    #[test]
    fn month_and_day_out_of_range() {
        assert_eq!(err("2025-13"), "month out of range");
        assert_eq!(err("2025-00"), "month out of range");
        assert_eq!(err("2025-00-10"), "month out of range");
        assert_eq!(err("2025-02-29"), "day out of range");
        assert_eq!(err("2025-04-31"), "day out of range");
        assert_eq!(err("2025-01-00"), "day out of range");
        assert_eq!(err("2025-13-01T00:00:00Z"), "month out of range");
        assert_eq!(err("2025-02-30T00:00:00Z"), "day out of range");
    }

    #[test]
    fn years_out_of_range() {
        assert_eq!(err("0999"), YEAR_OUT_OF_RANGE);
        assert_eq!(err("0000"), YEAR_OUT_OF_RANGE);
        assert_eq!(err("0999-12-31T23:00:00Z"), YEAR_OUT_OF_RANGE);
        // The offset moves the instant into year 999.
        assert_eq!(err("1000-01-01T00:30:00+01:00"), YEAR_OUT_OF_RANGE);
        // And out of 9999.
        assert_eq!(err("9999-12-31T23:30:00-01:00"), YEAR_OUT_OF_RANGE);
    }

    #[test]
    fn not_dates() {
        for text in [
            "",
            " ",
            "25",
            "202",
            "20250",
            "20250316",
            "2025-",
            "-2025",
            "2025--03",
            "2025-03-",
            "2025-003",
            "2025-03-016",
            "2025-03-16-01",
            "march",
            "7",
            "d",
            "7h",
            "7D",
            "6M",
            "-7d",
            "+7d",
            "7 d",
            "1.5d",
            "2025/03/16",
            "16.03.2025",
            "２０２５",
            "2025-0３",
            "*",
            "2025-03T10:00:00Z",
            "T10:00",
            "yesterday",
            "now",
            "é",
            "2025-03-16é",
        ] {
            assert_eq!(err(text), NOT_A_DATE, "{text:?}");
        }
    }

    #[test]
    fn bad_times() {
        for text in [
            "2025-03-16T",
            "2025-03-16T25:00:00Z",
            "2025-03-16T10",
            "2025-03-16T10:00:00+25:00",
            "2025-03-16T10:00:00Zjunk",
            "2025-03-16Tnoon",
            "2025-03-16T10:61",
        ] {
            assert_eq!(err(text), BAD_TIME, "{text:?}");
        }
        // Trailing whitespace is trimmed before the separator is looked for.
        assert!(parse_bound("2025-03-16 ", NOW).is_ok());
    }

    #[test]
    fn never_panics() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let alphabet: Vec<char> = "0123456789-:T tZz+dwmy.é２\u{0}\u{10ffff}"
            .chars()
            .collect();
        for _ in 0..20_000 {
            let mut text = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 30) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            for now in [NOW, 0, i64::MAX, i64::MIN, -62_000_000_000] {
                let _ = parse_bound(&text, now);
            }
        }
    }
}

/// Property tests: any text gives a period inside years 1000–9999 or an error, and every day,
/// month, year and instant written in the documented forms reads back as itself.
#[cfg(test)]
mod properties {
    use chrono::{Days, NaiveDateTime};
    use proptest::prelude::*;

    use super::*;
    use crate::fuzzing::check_search_bound;

    /// Pieces of dates, right and wrong.
    const PIECES: &[&str] = &[
        "2025",
        "0000",
        "1000",
        "0999",
        "9999",
        "10000",
        "99999",
        "-",
        "--",
        "03",
        "3",
        "13",
        "00",
        "02",
        "29",
        "30",
        "31",
        "32",
        "T",
        "t",
        " ",
        ":",
        "10",
        "23",
        "24",
        "59",
        "60",
        ".123",
        "Z",
        "z",
        "+02:00",
        "-05:00",
        "+99:99",
        "d",
        "w",
        "m",
        "y",
        "M",
        "0",
        "7",
        "99999999999999999999",
        "é",
        "\u{0}",
    ];

    fn bound_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            5 => prop::sample::select(PIECES).prop_map(str::to_string),
            1 => any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
    }

    /// Any `now`, including ones before year 1000 and after 9999.
    fn now() -> impl Strategy<Value = i64> {
        prop_oneof![
            Just(1_795_737_600i64),
            -40_000_000_000i64..300_000_000_000,
            any::<i64>(),
        ]
    }

    /// A day in years 1000–9999.
    fn day() -> impl Strategy<Value = NaiveDate> {
        (0u64..=3_287_181).prop_filter_map("in range", |n| {
            NaiveDate::from_ymd_opt(1000, 1, 1).and_then(|d| d.checked_add_days(Days::new(n)))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_text_is_a_period_in_range_or_an_error(text in bound_text(), now in now()) {
            if let Err(violation) = check_search_bound(&text, now) {
                prop_assert!(false, "{violation}");
            }
        }

        #[test]
        fn days_months_and_years_read_back(day in day()) {
            let start = midnight(day);
            let (y, m, d) = (day.year(), day.month(), day.day());
            prop_assert_eq!(parse_bound(&format!("{y}-{m:02}-{d:02}"), 0), Ok((start, start + 86_399)));
            prop_assert_eq!(parse_bound(&format!("{y}-{m}-{d}"), 0), Ok((start, start + 86_399)));
            let month = parse_bound(&format!("{y}-{m:02}"), 0);
            let year = parse_bound(&format!(" {y}\t"), 0);
            for (period, name) in [(month, "month"), (year, "year")] {
                let (first, last) = period.map_err(|e| TestCaseError::fail(format!("{name}: {e}")))?;
                prop_assert!(first <= start && start + 86_399 <= last, "{day} not in its {name}");
                prop_assert_eq!((first - start) % 86_400, 0);
                prop_assert_eq!((last + 1 - start) % 86_400, 0);
            }
        }

        #[test]
        fn instants_read_back(day in day(), second in 0u32..86_400) {
            let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(second, 0)
                .ok_or_else(|| TestCaseError::fail("a second of the day"))?;
            let instant = NaiveDateTime::new(day, time).and_utc();
            let t = instant.timestamp();
            prop_assert_eq!(parse_bound(&instant.to_rfc3339(), 0), Ok((t, t)));
            let naive = instant.format("%Y-%m-%dT%H:%M:%S").to_string();
            prop_assert_eq!(parse_bound(&naive, 0), Ok((t, t)));
            let offset = instant
                .with_timezone(&chrono::FixedOffset::east_opt(5 * 3600 + 1800).ok_or_else(|| TestCaseError::fail("offset"))?)
                .to_rfc3339();
            // An offset can move the local year past 9999; inside the range it must read back.
            if let Ok(period) = parse_bound(&offset, 0) {
                prop_assert_eq!(period, (t, t));
            }
        }

        #[test]
        fn days_and_weeks_back_are_exact(count in 0i64..400_000, weeks in any::<bool>()) {
            let now = 1_795_737_600i64;
            let (text, days) = if weeks {
                (format!("{count}w"), count * 7)
            } else {
                (format!("{count}d"), count)
            };
            let expected = now - days * SECONDS_PER_DAY;
            match parse_bound(&text, now) {
                Ok(period) => prop_assert_eq!(period, (expected, expected)),
                Err(_) => prop_assert!(expected < crate::fuzzing::MIN_INSTANT, "{text} refused"),
            }
        }
    }
}
