//! Publication dates from text. This module owns turning date strings into a
//! calendar day ([`Ymd`]): metadata/JSON date strings ([`parse_date`]: ISO 8601,
//! RFC 2822, "December 2, 2025", "2 December 2025", Reuters' raw
//! "26-FEB-1987 15:01:01.79"), dates found in the opening text of an article
//! ([`date_from_text`]: datelines such as "MOSCOW, Dec 2 (Reuters) -" and full
//! dates), and the user's `--since`/`--until` filter words ([`parse_bound`]).
//! Every result is calendar-checked (no Feb 30, leap years honoured). Times and
//! UTC offsets are ignored: the date is the one written, in the writer's zone.
//! All parsing is hand-written, dependency-free and never panics on input.

pub use crate::article::Date as Ymd;

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// English month name or abbreviation (already lowercased) to its number.
fn month_number(word: &str) -> Option<u32> {
    let m = match word {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn is_weekday(word: &str) -> bool {
    matches!(
        word,
        "monday"
            | "mon"
            | "tuesday"
            | "tue"
            | "tues"
            | "wednesday"
            | "wed"
            | "thursday"
            | "thu"
            | "thur"
            | "thurs"
            | "friday"
            | "fri"
            | "saturday"
            | "sat"
            | "sunday"
            | "sun"
    )
}

fn is_ordinal_suffix(word: &str) -> bool {
    matches!(word, "st" | "nd" | "rd" | "th")
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A run of ASCII digits: its value (saturating) and its digit count.
    Num(u32, usize),
    /// A run of letters, lowercased.
    Word(Word),
    /// Any other non-space character.
    Punct(char),
}

/// A lower-cased word as the date grammar reads it. Every word it knows
/// ("september", "wednesday", "of", "th") is ASCII and at most `WORD_MAX`
/// letters; any other word is kept as the empty word, which matches none.
#[derive(Debug, Clone, PartialEq)]
struct Word {
    letters: [u8; WORD_MAX],
    len: u8,
}

const WORD_MAX: usize = 9;

impl Word {
    fn new(word: &str) -> Word {
        let mut letters = [0; WORD_MAX];
        let len = if word.len() <= WORD_MAX && word.is_ascii() {
            letters[..word.len()].copy_from_slice(word.as_bytes());
            letters.make_ascii_lowercase();
            word.len()
        } else {
            0
        };
        Word {
            letters,
            len: len as u8,
        }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.letters[..self.len as usize]).unwrap_or_default()
    }
}

fn tokenize(s: &str) -> Vec<Tok> {
    let bytes = s.as_bytes();
    let mut toks = Vec::with_capacity(s.len() / 4);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let mut value: u32 = 0;
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                value = value
                    .saturating_mul(10)
                    .saturating_add(u32::from(bytes[i] - b'0'));
                i += 1;
            }
            toks.push(Tok::Num(value, i - start));
            continue;
        }
        let c = s[i..].chars().next().unwrap_or_default();
        if c.is_alphabetic() {
            let start = i;
            i += s[i..]
                .chars()
                .take_while(|a| a.is_alphabetic())
                .map(char::len_utf8)
                .sum::<usize>();
            toks.push(Tok::Word(Word::new(&s[start..i])));
            continue;
        }
        if !c.is_whitespace() {
            toks.push(Tok::Punct(c));
        }
        i += c.len_utf8();
    }
    toks
}

/// Allowed year range for a given strictness.
#[derive(Clone, Copy)]
struct Years {
    min: i32,
    max: i32,
}

const META_YEARS: Years = Years {
    min: 1000,
    max: 9999,
};
/// In running text a four-digit number after "December 2," is more often a
/// count than a far-off year, so only plausible news years are taken.
const TEXT_YEARS: Years = Years {
    min: 1800,
    max: 2199,
};

fn year_at(toks: &[Tok], i: usize, years: Years) -> Option<i32> {
    match toks.get(i) {
        Some(Tok::Num(v, 4)) => {
            let y = i32::try_from(*v).ok()?;
            (years.min..=years.max).contains(&y).then_some(y)
        }
        _ => None,
    }
}

fn day_at(toks: &[Tok], i: usize) -> Option<u32> {
    match toks.get(i) {
        Some(Tok::Num(v, len)) if (1..=2).contains(len) && (1..=31).contains(v) => Some(*v),
        _ => None,
    }
}

fn month_at(toks: &[Tok], i: usize) -> Option<u32> {
    match toks.get(i) {
        Some(Tok::Word(w)) => month_number(w.as_str()),
        _ => None,
    }
}

fn is_punct(toks: &[Tok], i: usize, set: &[char]) -> bool {
    matches!(toks.get(i), Some(Tok::Punct(c)) if set.contains(c))
}

fn is_word(toks: &[Tok], i: usize, pred: fn(&str) -> bool) -> bool {
    matches!(toks.get(i), Some(Tok::Word(w)) if pred(w.as_str()))
}

/// Skips an ordinal suffix ("2nd") after a day number.
fn skip_ordinal(toks: &[Tok], i: usize) -> usize {
    if is_word(toks, i, is_ordinal_suffix) {
        i + 1
    } else {
        i
    }
}

/// A month name followed by its optional abbreviation dot, then a day:
/// "Dec. 2", "December 2nd". Returns (month, day, index after the day).
fn month_day_at(toks: &[Tok], i: usize) -> Option<(u32, u32, usize)> {
    let month = month_at(toks, i)?;
    let mut j = i + 1;
    if is_punct(toks, j, &['.']) {
        j += 1;
    }
    let day = day_at(toks, j)?;
    Some((month, day, skip_ordinal(toks, j + 1)))
}

/// A day followed by a month name: "2 December", "2nd of Dec.", "26-FEB".
/// Returns (month, day, index after the month and its optional dot).
fn day_month_at(toks: &[Tok], i: usize) -> Option<(u32, u32, usize)> {
    let day = day_at(toks, i)?;
    let mut j = skip_ordinal(toks, i + 1);
    if is_word(toks, j, |w| w == "of") || is_punct(toks, j, &['-', '.', '/']) {
        j += 1;
    }
    let month = month_at(toks, j)?;
    j += 1;
    if is_punct(toks, j, &['.']) {
        j += 1;
    }
    Some((month, day, j))
}

/// ISO-style year first: "2025-12-02", "2025/12/02", "2025.12.02".
fn iso_at(toks: &[Tok], i: usize, years: Years) -> Option<Ymd> {
    let year = year_at(toks, i, years)?;
    let sep = match toks.get(i + 1) {
        Some(Tok::Punct(c @ ('-' | '/' | '.'))) => *c,
        _ => return None,
    };
    let month = match toks.get(i + 2) {
        Some(Tok::Num(v, 1..=2)) => *v,
        _ => return None,
    };
    if !is_punct(toks, i + 3, &[sep]) {
        return None;
    }
    let day = match toks.get(i + 4) {
        Some(Tok::Num(v, 1..=2)) => *v,
        _ => return None,
    };
    Ymd::new(year, month, day)
}

/// A full date with a written month starting at token `i`:
/// "December 2, 2025", "Dec. 2 2025", "2 December 2025", "26-FEB-1987",
/// or an ISO date. Returns the date if the calendar accepts it.
fn full_date_at(toks: &[Tok], i: usize, years: Years) -> Option<Ymd> {
    if let Some(d) = iso_at(toks, i, years) {
        return Some(d);
    }
    if let Some((month, day, mut j)) = month_day_at(toks, i) {
        if is_punct(toks, j, &[',']) {
            j += 1;
        }
        if let Some(year) = year_at(toks, j, years) {
            return Ymd::new(year, month, day);
        }
    }
    if let Some((month, day, mut j)) = day_month_at(toks, i) {
        if is_punct(toks, j, &[',', '-']) {
            j += 1;
        }
        if let Some(year) = year_at(toks, j, years) {
            return Ymd::new(year, month, day);
        }
    }
    None
}

/// "25/12/2025" style: accepted only when one of the first two numbers is
/// above 12, which makes day and month unambiguous.
fn numeric_dmy_at(toks: &[Tok], i: usize) -> Option<Ymd> {
    let a = match toks.get(i) {
        Some(Tok::Num(v, 1..=2)) => *v,
        _ => return None,
    };
    let sep = match toks.get(i + 1) {
        Some(Tok::Punct(c @ ('/' | '.' | '-'))) => *c,
        _ => return None,
    };
    let b = match toks.get(i + 2) {
        Some(Tok::Num(v, 1..=2)) => *v,
        _ => return None,
    };
    if !is_punct(toks, i + 3, &[sep]) {
        return None;
    }
    let year = year_at(toks, i + 4, META_YEARS)?;
    match (a > 12, b > 12) {
        (true, false) => Ymd::new(year, b, a),
        (false, true) => Ymd::new(year, a, b),
        _ => None,
    }
}

/// Compact ISO 8601 basic form: "20251202" or "20251202T100000Z".
fn compact_iso(s: &str) -> Option<Ymd> {
    let digits = s.get(..8)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match s.as_bytes().get(8) {
        None | Some(b'T') | Some(b't') | Some(b' ') => {}
        Some(_) => return None,
    }
    let year: i32 = digits.get(..4)?.parse().ok()?;
    let month: u32 = digits.get(4..6)?.parse().ok()?;
    let day: u32 = digits.get(6..8)?.parse().ok()?;
    Ymd::new(year, month, day)
}

/// Parse a metadata/JSON date string: ISO 8601 ("2025-12-02",
/// "2025-12-02T10:00:00+01:00", "2025-12-02 10:00", "20251202"), RFC 2822
/// ("Tue, 02 Dec 2025 10:00:00 GMT"), "December 2, 2025", "2 December 2025",
/// "Dec. 2, 2025", Reuters' raw "26-FEB-1987 15:01:01.79". Numeric
/// day/month forms such as "02/12/2025" are ambiguous and give `None`, unless
/// one of the two numbers is above 12 ("25/12/2025"). A string that does not
/// start with a date is searched for a written-out one ("Published December
/// 2, 2025"). Impossible dates (Feb 30) give `None`.
pub fn parse_date(s: &str) -> Option<Ymd> {
    let s = s.trim();
    if let Some(d) = compact_iso(s) {
        return Some(d);
    }
    let toks = tokenize(s);
    let mut i = 0;
    if is_word(&toks, i, is_weekday) {
        i += 1;
        if is_punct(&toks, i, &[',']) {
            i += 1;
        }
    }
    // A well-formed date at the start decides, valid or not.
    if iso_at(&toks, i, META_YEARS).is_some()
        || month_day_at(&toks, i).is_some()
        || day_month_at(&toks, i).is_some()
    {
        return full_date_at(&toks, i, META_YEARS);
    }
    if matches!(toks.get(i), Some(Tok::Num(_, 1..=2))) && is_punct(&toks, i + 1, &['/', '.', '-']) {
        return numeric_dmy_at(&toks, i);
    }
    (i..toks.len()).find_map(|k| full_date_at(&toks, k, META_YEARS))
}

/// How far into an article's text a date is looked for, in characters.
const TEXT_WINDOW_CHARS: usize = 600;
/// How far into the text a year-less dateline may start, in characters.
const DATELINE_WINDOW_CHARS: usize = 200;

fn prefix_chars(text: &str, n: usize) -> &str {
    match text.char_indices().nth(n) {
        Some((idx, _)) => text.get(..idx).unwrap_or(text),
        None => text,
    }
}

/// A year-less dateline "CITY, Dec 2 (Reuters) -" / "CITY, 2 December -":
/// a month and day right after the start or a comma, followed by "(" or a
/// dash or colon. Returns (month, day).
fn dateline(toks: &[Tok]) -> Option<(u32, u32)> {
    (0..toks.len()).find_map(|i| {
        if i > 0 && !is_punct(toks, i - 1, &[',']) {
            return None;
        }
        let (month, day, j) = month_day_at(toks, i).or_else(|| day_month_at(toks, i))?;
        is_punct(toks, j, &['(', '-', '\u{2013}', '\u{2014}', ':']).then_some((month, day))
    })
}

/// A date found in an article's opening text. A year-less dateline such as
/// "MOSCOW, Dec 2 (Reuters) -" in the first ~200 characters is dated with
/// `year_hint` (without a hint it is skipped). Otherwise the first full date
/// in the first ~600 characters is taken ("on December 2, 2025",
/// "2 December 2025", "2025-12-02"). The calendar is validated (no Feb 30).
pub fn date_from_text(text: &str, year_hint: Option<i32>) -> Option<Ymd> {
    if let Some(year) = year_hint {
        let head = tokenize(prefix_chars(text, DATELINE_WINDOW_CHARS));
        if let Some(d) = dateline(&head).and_then(|(m, d)| Ymd::new(year, m, d)) {
            return Some(d);
        }
    }
    let toks = tokenize(prefix_chars(text, TEXT_WINDOW_CHARS));
    (0..toks.len()).find_map(|i| full_date_at(&toks, i, TEXT_YEARS))
}

/// User filter words for `--since`/`--until`: "2025-12-02", "2025-12",
/// "2025" (also a written-out date that [`parse_date`] accepts, such as
/// "Dec 2, 2025"). With `end == true` a
/// month or year gives its last day, otherwise its first.
pub fn parse_bound(s: &str, end: bool) -> Option<Ymd> {
    let s = s.trim();
    let toks = tokenize(s);
    match toks.as_slice() {
        [Tok::Num(y, 4)] => {
            let year = i32::try_from(*y).ok()?;
            if end {
                Ymd::new(year, 12, 31)
            } else {
                Ymd::new(year, 1, 1)
            }
        }
        [Tok::Num(y, 4), Tok::Punct('-' | '/'), Tok::Num(m, 1..=2)] => {
            let year = i32::try_from(*y).ok()?;
            let day = if end { days_in_month(year, *m) } else { 1 };
            Ymd::new(year, *m, day)
        }
        [Tok::Num(_, 4), Tok::Punct(sep @ ('-' | '/')), Tok::Num(_, 1..=2), Tok::Punct(sep2), Tok::Num(_, 1..=2)]
            if sep == sep2 =>
        {
            iso_at(&toks, 0, META_YEARS)
        }
        // Written-out dates ("Dec 2, 2025"); purely numeric strings must
        // match one of the forms above exactly.
        _ if s.chars().any(char::is_alphabetic) => parse_date(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(year: i32, month: u32, day: u32) -> Option<Ymd> {
        Some(Ymd { year, month, day })
    }

    #[test]
    fn ymd_validates_calendar() {
        assert_eq!(Ymd::new(2024, 2, 29), ymd(2024, 2, 29));
        assert_eq!(Ymd::new(2025, 2, 29), None);
        assert_eq!(Ymd::new(1900, 2, 29), None);
        assert_eq!(Ymd::new(2000, 2, 29), ymd(2000, 2, 29));
        assert_eq!(Ymd::new(2025, 4, 31), None);
        assert_eq!(Ymd::new(2025, 13, 1), None);
        assert_eq!(Ymd::new(2025, 0, 1), None);
        assert_eq!(Ymd::new(2025, 1, 0), None);
        assert_eq!(Ymd::new(999, 1, 1), None);
    }

    #[test]
    fn ymd_orders_and_displays() {
        assert!(ymd(2025, 12, 2) < ymd(2026, 1, 1));
        assert!(ymd(2025, 11, 30) < ymd(2025, 12, 1));
        assert!(ymd(2025, 12, 1) < ymd(2025, 12, 2));
        assert_eq!(
            Ymd {
                year: 1987,
                month: 2,
                day: 6
            }
            .to_string(),
            "1987-02-06"
        );
    }

    #[test]
    fn parses_iso_forms() {
        assert_eq!(parse_date("2025-12-02"), ymd(2025, 12, 2));
        assert_eq!(parse_date("2025-12-02T10:00:00Z"), ymd(2025, 12, 2));
        assert_eq!(parse_date("2025-12-02T10:00:00+01:00"), ymd(2025, 12, 2));
        assert_eq!(
            parse_date("2025-12-02T23:30:00.123-05:00"),
            ymd(2025, 12, 2)
        );
        assert_eq!(parse_date("2025-12-02 10:00"), ymd(2025, 12, 2));
        assert_eq!(parse_date("  2025-12-02  "), ymd(2025, 12, 2));
        assert_eq!(parse_date("2025/12/02"), ymd(2025, 12, 2));
        assert_eq!(parse_date("2025.12.02"), ymd(2025, 12, 2));
        assert_eq!(parse_date("20251202"), ymd(2025, 12, 2));
        assert_eq!(parse_date("20251202T100000Z"), ymd(2025, 12, 2));
        assert_eq!(parse_date("2024-02-29"), ymd(2024, 2, 29));
    }

    #[test]
    fn parses_rfc2822() {
        assert_eq!(
            parse_date("Tue, 02 Dec 2025 10:00:00 GMT"),
            ymd(2025, 12, 2)
        );
        assert_eq!(
            parse_date("Tue, 2 Dec 2025 10:00:00 +0100"),
            ymd(2025, 12, 2)
        );
        assert_eq!(parse_date("02 Dec 2025 10:00:00 GMT"), ymd(2025, 12, 2));
        assert_eq!(
            parse_date("Tuesday, 02-Dec-2025 10:00:00 GMT"),
            ymd(2025, 12, 2)
        );
    }

    #[test]
    fn parses_written_months() {
        assert_eq!(parse_date("December 2, 2025"), ymd(2025, 12, 2));
        assert_eq!(parse_date("december 2 2025"), ymd(2025, 12, 2));
        assert_eq!(parse_date("2 December 2025"), ymd(2025, 12, 2));
        assert_eq!(parse_date("Dec. 2, 2025"), ymd(2025, 12, 2));
        assert_eq!(parse_date("Sept. 5, 2025"), ymd(2025, 9, 5));
        assert_eq!(parse_date("December 2nd, 2025"), ymd(2025, 12, 2));
        assert_eq!(parse_date("2nd of December 2025"), ymd(2025, 12, 2));
        assert_eq!(parse_date("Tuesday, December 2, 2025"), ymd(2025, 12, 2));
        assert_eq!(
            parse_date("December 2, 2025 10:00 AM EST"),
            ymd(2025, 12, 2)
        );
        assert_eq!(parse_date("Published December 2, 2025"), ymd(2025, 12, 2));
    }

    #[test]
    fn parses_reuters_raw() {
        assert_eq!(parse_date("26-FEB-1987 15:01:01.79"), ymd(1987, 2, 26));
        assert_eq!(parse_date(" 3-MAR-1987 09:18:21.26"), ymd(1987, 3, 3));
    }

    #[test]
    fn numeric_day_month_only_when_unambiguous() {
        assert_eq!(parse_date("02/12/2025"), None);
        assert_eq!(parse_date("12/02/2025"), None);
        assert_eq!(parse_date("02.12.2025"), None);
        assert_eq!(parse_date("25/12/2025"), ymd(2025, 12, 25));
        assert_eq!(parse_date("12/25/2025"), ymd(2025, 12, 25));
        assert_eq!(parse_date("31/02/2025"), None);
        assert_eq!(parse_date("13/13/2025"), None);
    }

    #[test]
    fn parse_date_rejects_invalid() {
        for bad in [
            "",
            "   ",
            "yesterday",
            "2 hours ago",
            "2025",
            "2025-12",
            "December 2025",
            "December 2",
            "2025-02-30",
            "2025-13-01",
            "2025-00-10",
            "2025-12-32",
            "February 29, 2025",
            "30 Feb 2024",
            "Tue, 31 Apr 2025 10:00:00 GMT",
            "31-APR-1987 15:01:01.79",
            "Dec 2, 25",
            "Foo 2, 2025",
            "2025-12-02x",
            "99999999",
            "20251302",
            "123456789012345678901234567890-12-02",
            "\u{0}\u{ffff}🙂",
        ] {
            let got = parse_date(bad);
            // "2025-12-02x" is fine to accept: the date is well formed.
            if bad == "2025-12-02x" {
                assert_eq!(got, ymd(2025, 12, 2));
            } else {
                assert_eq!(got, None, "{bad:?}");
            }
        }
    }

    #[test]
    fn dateline_needs_year_hint() {
        let text = "MOSCOW, Dec 2 (Reuters) - Russia said on Tuesday that talks would go on.";
        assert_eq!(date_from_text(text, Some(2025)), ymd(2025, 12, 2));
        assert_eq!(date_from_text(text, None), None);
    }

    #[test]
    fn dateline_variants() {
        assert_eq!(
            date_from_text("WASHINGTON, March 3 - The Treasury said...", Some(1987)),
            ymd(1987, 3, 3)
        );
        assert_eq!(
            date_from_text("NEW YORK, Sept. 14 (Reuters) - Stocks rose.", Some(2024)),
            ymd(2024, 9, 14)
        );
        assert_eq!(
            date_from_text(
                "LONDON, 2 December (Reuters) \u{2013} Shares fell.",
                Some(2025)
            ),
            ymd(2025, 12, 2)
        );
        assert_eq!(
            date_from_text("Dec 2 (AP) \u{2014} Officials said.", Some(2025)),
            ymd(2025, 12, 2)
        );
    }

    #[test]
    fn dateline_validates_calendar_with_hint() {
        let text = "TOKYO, Feb 29 (Reuters) - Markets were closed.";
        assert_eq!(date_from_text(text, Some(2024)), ymd(2024, 2, 29));
        assert_eq!(date_from_text(text, Some(2025)), None);
        assert_eq!(
            date_from_text("PARIS, Feb 30 (Reuters) - x", Some(2024)),
            None
        );
    }

    #[test]
    fn may_as_verb_is_not_a_dateline() {
        let text = "Officials said prices may 5 times rise (or fall) - nobody knows.";
        assert_eq!(date_from_text(text, Some(2025)), None);
    }

    #[test]
    fn full_dates_in_text() {
        assert_eq!(
            date_from_text(
                "The summit, held on December 2, 2025, ended without a deal.",
                None
            ),
            ymd(2025, 12, 2)
        );
        assert_eq!(
            date_from_text("Published 2 December 2025. The council met.", None),
            ymd(2025, 12, 2)
        );
        assert_eq!(
            date_from_text("Updated 2025-12-02 09:14 GMT. Rain fell.", None),
            ymd(2025, 12, 2)
        );
        // The year-less dateline wins when a hint is given.
        assert_eq!(
            date_from_text(
                "MOSCOW, Dec 2 (Reuters) - The deal signed on November 28, 2025 holds.",
                Some(2025)
            ),
            ymd(2025, 12, 2)
        );
        // Without a hint, the full date in the text is used.
        assert_eq!(
            date_from_text(
                "MOSCOW, Dec 2 (Reuters) - The deal signed on November 28, 2025 holds.",
                None
            ),
            ymd(2025, 11, 28)
        );
        // A dateline that carries its own year.
        assert_eq!(
            date_from_text("BERLIN, Dec. 2, 2025 (dpa) - Snow.", None),
            ymd(2025, 12, 2)
        );
    }

    #[test]
    fn text_dates_are_validated_and_windowed() {
        assert_eq!(
            date_from_text("It happened on February 30, 2025 they say.", None),
            None
        );
        assert_eq!(
            date_from_text("On December 2, 1500 protesters marched.", None),
            None
        );
        let far = format!("{} on December 2, 2025.", "word ".repeat(200));
        assert_eq!(date_from_text(&far, None), None);
        let near = format!("{} on December 2, 2025.", "word ".repeat(100));
        assert_eq!(date_from_text(&near, None), ymd(2025, 12, 2));
        assert_eq!(date_from_text("", Some(2025)), None);
        assert_eq!(date_from_text("No dates here at all.", Some(2025)), None);
        // Multi-byte text near the window edge must not panic.
        let multibyte = "é".repeat(700);
        assert_eq!(date_from_text(&multibyte, Some(2025)), None);
    }

    #[test]
    fn text_ignores_ambiguous_numeric_dates() {
        assert_eq!(date_from_text("Report dated 02/12/2025.", None), None);
    }

    #[test]
    fn bounds_day_month_year() {
        assert_eq!(parse_bound("2025-12-02", false), ymd(2025, 12, 2));
        assert_eq!(parse_bound("2025-12-02", true), ymd(2025, 12, 2));
        assert_eq!(parse_bound("2025-12", false), ymd(2025, 12, 1));
        assert_eq!(parse_bound("2025-12", true), ymd(2025, 12, 31));
        assert_eq!(parse_bound("2024-02", true), ymd(2024, 2, 29));
        assert_eq!(parse_bound("2025-02", true), ymd(2025, 2, 28));
        assert_eq!(parse_bound("2025-4", true), ymd(2025, 4, 30));
        assert_eq!(parse_bound("2025", false), ymd(2025, 1, 1));
        assert_eq!(parse_bound("2025", true), ymd(2025, 12, 31));
        assert_eq!(parse_bound(" 1987 ", true), ymd(1987, 12, 31));
        assert_eq!(parse_bound("Dec 2, 2025", true), ymd(2025, 12, 2));
    }

    #[test]
    fn bounds_reject_invalid() {
        for bad in [
            "",
            "20",
            "202",
            "20255",
            "2025-13",
            "2025-00",
            "2025-02-30",
            "2025-12-",
            "abc",
            "-2025",
            "2025-12-02-01",
            "12-2025",
        ] {
            assert_eq!(parse_bound(bad, false), None, "{bad:?}");
            assert_eq!(parse_bound(bad, true), None, "{bad:?}");
        }
    }
}
