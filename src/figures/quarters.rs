//! Incidents and time to resolve by calendar quarter: the overview's "this quarter
//! against the last" and its time-to-resolve trend.

use super::{Interval, Spread, response_times, spread};
use crate::model::Incident;
use chrono::{Datelike, NaiveDate};

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub q: u32,
}

impl Quarter {
    pub fn of(day: NaiveDate) -> Quarter {
        Quarter { year: day.year(), q: day.month0() / 3 + 1 }
    }

    pub fn previous(self) -> Quarter {
        if self.q == 1 { Quarter { year: self.year - 1, q: 4 } } else { Quarter { year: self.year, q: self.q - 1 } }
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} Q{}", self.year, self.q)
    }
}

/// One quarter's figures.
#[derive(Debug, Clone)]
pub struct QuarterFigures {
    pub quarter: Quarter,
    pub incidents: usize,
    /// Time to resolve of the quarter's incidents that have one (see
    /// [`response_times`] for its basis).
    pub resolve: Option<Spread>,
}

/// The `count` quarters up to and including `last`, oldest first, each with its
/// incidents (by incident date) and their time to resolve; quarters without
/// incidents are included, with zero.
pub fn quarters(incidents: &[&Incident], last: Quarter, count: usize) -> Vec<QuarterFigures> {
    let mut list = Vec::with_capacity(count);
    let mut q = last;
    for _ in 0..count {
        list.push(q);
        q = q.previous();
    }
    list.reverse();
    // One pass over the incidents: (count, times to resolve) per quarter shown.
    let mut by_quarter: std::collections::HashMap<Quarter, (usize, Vec<Interval>)> =
        list.iter().map(|q| (*q, (0, Vec::new()))).collect();
    for i in incidents {
        if let Some((count, times)) = by_quarter.get_mut(&Quarter::of(i.date)) {
            *count += 1;
            times.extend(response_times(i).resolve);
        }
    }
    list.into_iter()
        .map(|quarter| {
            let (incidents, mut times) = by_quarter.remove(&quarter).unwrap_or_default();
            QuarterFigures { quarter, incidents, resolve: spread(&mut times) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_run_back_across_years() {
        let q = Quarter::of(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default());
        assert_eq!(q.to_string(), "2026 Q1");
        assert_eq!(q.previous().to_string(), "2025 Q4");
        assert_eq!(Quarter::of(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default()).to_string(), "2026 Q4");
        let list = quarters(&[], q, 3);
        assert_eq!(list.iter().map(|f| f.quarter.to_string()).collect::<Vec<_>>(), ["2025 Q3", "2025 Q4", "2026 Q1"]);
        assert!(list.iter().all(|f| f.incidents == 0 && f.resolve.is_none()));
    }
}
