//! The timeline of a search: how many matching articles fall on each day,
//! week or month. A collector reads the `date` fast field of the first
//! matching passage of each article (no stored documents are loaded); the
//! days are then put into buckets whose width fits the span of the dates.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

use super::collector::FirstPassages;
use super::{SearchRequest, Searcher};
use crate::article::Date;
use crate::error::Result;
use crate::index::schema::{self, DATE};

/// Spans up to this many days are shown by day.
const MAX_DAYS_BY_DAY: i64 = 62;
/// Spans up to this many days (about a year) are shown by week; longer ones
/// by month.
const MAX_DAYS_BY_WEEK: i64 = 366;
/// 1970-01-01 was a Thursday: three days after a Monday.
const EPOCH_WEEKDAY_FROM_MONDAY: i64 = 3;

/// The width of a histogram bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    Day,
    /// Monday to Sunday.
    Week,
    Month,
}

/// One bar of the timeline: matching articles dated `start..=end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    pub start: String,
    pub end: String,
    pub count: u64,
}

/// Matching articles over time. Empty buckets between the first and the last
/// date are kept, so the bars form a timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Histogram {
    pub interval: Interval,
    pub buckets: Vec<Bucket>,
    /// Matching articles that carry no date.
    pub undated: u64,
}

impl Searcher {
    /// The date histogram of the articles matching a request (filters and
    /// date range included; duplicates are counted, as `total_articles` is).
    pub fn histogram(&self, request: &SearchRequest) -> Result<Histogram> {
        let query = self.build_query(request)?;
        let days = self.reader.searcher().search(&*query, &DayCounter)?;
        Ok(Histogram::from_days(&days))
    }
}

/// Matching articles per day (days since the epoch); `None` for undated.
type DayCounts = BTreeMap<Option<i64>, u64>;

/// Counts each matching article once, by the day of its date fast field.
struct DayCounter;

struct SegmentDayCounter {
    first: FirstPassages,
    dates: Column<DateTime>,
    days: DayCounts,
}

impl Collector for DayCounter {
    type Fruit = DayCounts;
    type Child = SegmentDayCounter;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentDayCounter> {
        Ok(SegmentDayCounter {
            first: FirstPassages::new(reader)?,
            dates: reader.fast_fields().date(DATE)?,
            days: DayCounts::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<DayCounts>) -> tantivy::Result<DayCounts> {
        let mut all = DayCounts::new();
        for fruit in fruits {
            for (day, n) in fruit {
                *all.entry(day).or_default() += n;
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentDayCounter {
    type Fruit = DayCounts;

    // An article's passages are consecutive documents of one segment (see
    // `collector`), so counting first passages counts each article once.
    fn collect(&mut self, doc: DocId, _score: Score) {
        if self.first.new_article(doc).is_some() {
            let day = self
                .dates
                .first(doc)
                .map(|d| schema::date_of_value(d).days_since_epoch());
            *self.days.entry(day).or_default() += 1;
        }
    }

    fn harvest(self) -> DayCounts {
        self.days
    }
}

impl Histogram {
    /// Buckets of a width that fits the span from the first to the last day.
    fn from_days(days: &DayCounts) -> Histogram {
        let undated = days.get(&None).copied().unwrap_or_default();
        let dated: Vec<(i64, u64)> = days.iter().filter_map(|(d, n)| Some(((*d)?, *n))).collect();
        let (Some(&(first, _)), Some(&(last, _))) = (dated.first(), dated.last()) else {
            return Histogram {
                interval: Interval::Day,
                buckets: Vec::new(),
                undated,
            };
        };
        let interval = Interval::for_span(last - first);
        let mut buckets: Vec<Bucket> = Vec::new();
        let mut start = interval.bucket_start(first);
        let mut counts = dated.iter().peekable();
        while start <= last {
            let next = interval.next_start(start);
            let mut count = 0;
            while let Some(&&(day, n)) = counts.peek() {
                if day >= next {
                    break;
                }
                count += n;
                counts.next();
            }
            buckets.push(Bucket {
                start: Date::from_days_since_epoch(start).to_string(),
                end: Date::from_days_since_epoch(next - 1).to_string(),
                count,
            });
            start = next;
        }
        Histogram {
            interval,
            buckets,
            undated,
        }
    }
}

impl Interval {
    /// The bucket width for dates spanning `days` days.
    pub fn for_span(days: i64) -> Interval {
        if days <= MAX_DAYS_BY_DAY {
            Interval::Day
        } else if days <= MAX_DAYS_BY_WEEK {
            Interval::Week
        } else {
            Interval::Month
        }
    }

    /// The first day of the bucket holding `day`.
    fn bucket_start(self, day: i64) -> i64 {
        match self {
            Interval::Day => day,
            Interval::Week => day - (day + EPOCH_WEEKDAY_FROM_MONDAY).rem_euclid(7),
            Interval::Month => {
                let d = Date::from_days_since_epoch(day);
                day - i64::from(d.day) + 1
            }
        }
    }

    /// The first day of the bucket after the one starting at `start`.
    fn next_start(self, start: i64) -> i64 {
        match self {
            Interval::Day => start + 1,
            Interval::Week => start + 7,
            Interval::Month => {
                let d = Date::from_days_since_epoch(start);
                let (year, month) = if d.month == 12 {
                    (d.year + 1, 1)
                } else {
                    (d.year, d.month + 1)
                };
                Date::new(year, month, 1).map_or(start + 31, Date::days_since_epoch)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Option<i64> {
        Some(Date::new(y, m, d).unwrap().days_since_epoch())
    }

    #[test]
    fn a_short_span_is_counted_by_day_with_empty_days_kept() {
        let days = DayCounts::from([(day(2025, 12, 1), 2), (day(2025, 12, 3), 1), (None, 4)]);
        let h = Histogram::from_days(&days);
        assert_eq!(h.interval, Interval::Day);
        let bars: Vec<(&str, u64)> = h
            .buckets
            .iter()
            .map(|b| (b.start.as_str(), b.count))
            .collect();
        assert_eq!(
            bars,
            [("2025-12-01", 2), ("2025-12-02", 0), ("2025-12-03", 1)]
        );
        assert_eq!(h.undated, 4);
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2025-12-03 is a Wednesday; 2026-02-20 a Friday.
        let days = DayCounts::from([(day(2025, 12, 3), 1), (day(2026, 2, 20), 1)]);
        let h = Histogram::from_days(&days);
        assert_eq!(h.interval, Interval::Week);
        let first = &h.buckets[0];
        assert_eq!(
            (first.start.as_str(), first.end.as_str()),
            ("2025-12-01", "2025-12-07")
        );
        assert_eq!(h.buckets.last().unwrap().start, "2026-02-16");
        assert_eq!(h.buckets.iter().map(|b| b.count).sum::<u64>(), 2);
    }

    #[test]
    fn long_spans_go_by_calendar_month() {
        let days = DayCounts::from([(day(2004, 1, 31), 1), (day(2005, 2, 1), 3)]);
        let h = Histogram::from_days(&days);
        assert_eq!(h.interval, Interval::Month);
        assert_eq!(h.buckets.len(), 14);
        assert_eq!(h.buckets[1].start, "2004-02-01");
        assert_eq!(h.buckets[1].end, "2004-02-29");
        assert_eq!(h.buckets[13].count, 3);
    }

    #[test]
    fn no_dates_means_no_buckets() {
        let h = Histogram::from_days(&DayCounts::from([(None, 2)]));
        assert!(h.buckets.is_empty());
        assert_eq!(h.undated, 2);
    }
}
