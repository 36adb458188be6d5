//! Every computed figure, in one place: durations between key moments, the
//! effort total, the impact duration, window lengths, overdue flags and the
//! cross-record statistics. Templates print these; they never compute.

mod actions;
mod quarters;
mod stats;

pub use actions::{ActionCounts, ActionFilter, ActionRow, actions, in_range};
pub use quarters::{Quarter, QuarterFigures, quarters};
pub use stats::{Count, Recurrence, ResponseBySeverity, Stats, stats};

use crate::model::{Duration, ImpactWindow, Incident, MomentKind, Precision, When};
use serde::Serialize;

/// A duration between two moments, flagged when either end is an estimate
/// or known only to the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Interval {
    pub secs: i64,
    pub approximate: bool,
}

impl Interval {
    pub fn between(from: &When, to: &When) -> Interval {
        Interval {
            secs: (to.at - from.at).num_seconds(),
            approximate: from.precision != Precision::Exact || to.precision != Precision::Exact,
        }
    }

    pub fn duration(&self) -> Duration {
        Duration::from_secs(self.secs)
    }

    pub fn is_negative(&self) -> bool {
        self.secs < 0
    }

    /// The length without its sign: `3h 42m`, `~2h`. Callers that can meet a
    /// negative interval use [`Interval::phrase`] or [`Interval::display`].
    pub fn magnitude(&self) -> String {
        let d = Duration::from_secs(self.secs.abs());
        if self.approximate { format!("~{d}") } else { d.to_string() }
    }

    /// `3h 42m`, `~2h`; a negative interval keeps its sign (`-2m`).
    pub fn display(&self) -> String {
        if self.is_negative() { format!("-{}", self.magnitude()) } else { self.magnitude() }
    }

    /// Measured from `from`: `45m`, `~2h`, or for a negative interval
    /// `2m before impact started` / `2m before detection`.
    pub fn phrase(&self, from: MomentKind) -> String {
        if self.is_negative() { format!("{} before {}", self.magnitude(), since(from)) } else { self.magnitude() }
    }
}

/// The moment a duration is measured from, as a phrase: "impact started", "detection".
pub fn since(from: MomentKind) -> &'static str {
    match from {
        MomentKind::Introduced => "the cause was introduced",
        MomentKind::Started => "impact started",
        MomentKind::Detected => "detection",
        MomentKind::Acknowledged => "acknowledgement",
        MomentKind::Identified => "the cause was identified",
        MomentKind::Mitigated => "mitigation",
        MomentKind::Resolved => "resolution",
    }
}

/// Time to detect, acknowledge, identify, mitigate and resolve.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResponseTimes {
    /// `started` → `detected`; negative when detection preceded impact.
    pub detect: Option<Interval>,
    pub acknowledge: Option<Interval>,
    pub identify: Option<Interval>,
    pub mitigate: Option<Interval>,
    pub resolve: Option<Interval>,
    /// The moment the others are measured from: `started`, else `detected`.
    pub basis: Option<MomentKind>,
}

pub fn response_times(inc: &Incident) -> ResponseTimes {
    let started = inc.moment(MomentKind::Started);
    let detected = inc.moment(MomentKind::Detected);
    let (basis, base) = match (started, detected) {
        (Some(s), _) => (Some(MomentKind::Started), Some(s)),
        (None, Some(d)) => (Some(MomentKind::Detected), Some(d)),
        _ => (None, None),
    };
    let since = |kind: MomentKind| -> Option<Interval> {
        let to = inc.moment(kind)?;
        let from = base?;
        Some(Interval::between(from, to))
    };
    ResponseTimes {
        detect: started.zip(detected).map(|(s, d)| Interval::between(s, d)),
        acknowledge: since(MomentKind::Acknowledged),
        identify: since(MomentKind::Identified),
        mitigate: since(MomentKind::Mitigated),
        resolve: since(MomentKind::Resolved),
        basis,
    }
}

/// Who owns an action that names no owner, in every listing.
pub const UNOWNED: &str = "unowned";

/// The sum of `[[effort]]`.
pub fn effort_total(inc: &Incident) -> Duration {
    inc.effort.iter().map(|e| e.duration.value).sum()
}

/// How long users were affected, and the moments it is measured between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImpactDuration {
    pub interval: Interval,
    /// `started`, else `detected`.
    pub from: MomentKind,
    /// `mitigated`, else `resolved`.
    pub to: MomentKind,
}

impl ImpactDuration {
    /// "started → mitigated".
    pub fn basis(&self) -> String {
        format!("{} → {}", self.from, self.to)
    }
}

/// `started` (else `detected`) → `mitigated` (else `resolved`).
pub fn impact_duration(inc: &Incident) -> Option<ImpactDuration> {
    let first = |kinds: [MomentKind; 2]| kinds.into_iter().find_map(|k| Some((k, inc.moment(k)?)));
    let (from, start) = first([MomentKind::Started, MomentKind::Detected])?;
    let (to, end) = first([MomentKind::Mitigated, MomentKind::Resolved])?;
    Some(ImpactDuration { interval: Interval::between(start, end), from, to })
}

/// A closed window's length; `None` while it is still open.
pub fn window_length(w: &ImpactWindow) -> Option<Interval> {
    let to = w.to.as_ref()?;
    let mut i = Interval::between(&w.from, to);
    i.approximate |= w.approximate;
    Some(i)
}

/// When the stated figure differs from the computed one by more than 10% of the stated.
pub fn differs_by_more_than_a_tenth(stated: Duration, computed: Duration) -> bool {
    let diff = (stated.secs() - computed.secs()).abs();
    diff * 10 > stated.secs().abs()
}

/// The median and 90th percentile (nearest-rank) of intervals, in seconds; negative
/// values (detection before impact) count as they are. Each figure says whether the
/// interval it came from was approximate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Spread {
    pub count: usize,
    pub median: i64,
    pub p90: i64,
    pub median_approximate: bool,
    pub p90_approximate: bool,
}

impl Spread {
    pub fn median(&self) -> Interval {
        Interval { secs: self.median, approximate: self.median_approximate }
    }

    pub fn p90(&self) -> Interval {
        Interval { secs: self.p90, approximate: self.p90_approximate }
    }
}

/// Nearest rank: the value at position ceil(p·n) of the sorted values (exact before
/// approximate among equal lengths).
pub fn spread(values: &mut [Interval]) -> Option<Spread> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable_by_key(|i| (i.secs, i.approximate));
    let rank = |p: f64| -> Interval {
        let n = values.len();
        let idx = ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
        values[idx]
    };
    let (median, p90) = (rank(0.5), rank(0.9));
    Some(Spread {
        count: values.len(),
        median: median.secs,
        p90: p90.secs,
        median_approximate: median.approximate,
        p90_approximate: p90.approximate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use chrono::{DateTime, FixedOffset, NaiveDate};

    fn at(s: &str) -> When {
        When::exact(DateTime::<FixedOffset>::parse_from_rfc3339(s).unwrap())
    }

    fn incident(moments: &[(MomentKind, When)]) -> Incident {
        let mut map = std::collections::BTreeMap::new();
        for (k, w) in moments {
            map.insert(*k, Moment { kind: *k, when: *w, source: MomentSource::TopLevel, span: Span::default() });
        }
        Incident {
            slug: "x".into(),
            format: 1,
            id: "x".into(),
            title: "t".into(),
            date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            zone: Zone::default(),
            severity: None,
            status: Status::Resolved,
            services: vec![],
            tags: vec![],
            authors: vec![],
            summary: String::new(),
            moments: map,
            effort_total: None,
            created: None,
            updated: None,
            actions_as_of: None,
            conclusion: None,
            related: vec![],
            runbook_refs: vec![],
            impact: None,
            timeline: vec![],
            causes: vec![],
            commits: vec![],
            changes: vec![],
            lessons: vec![],
            actions: vec![],
            verification: vec![],
            effort: vec![],
            runbooks: vec![],
            links: vec![],
            sections: vec![],
        }
    }

    #[test]
    fn response_times_measure_from_started() {
        use MomentKind::*;
        let inc = incident(&[
            (Started, at("2025-11-16T20:50:00Z")),
            (Detected, at("2025-11-16T21:00:00Z")),
            (Mitigated, at("2025-11-16T21:30:00Z")),
            (Resolved, at("2025-11-16T22:00:00Z")),
        ]);
        let r = response_times(&inc);
        assert_eq!(r.basis, Some(Started));
        assert_eq!(r.detect.unwrap().display(), "10m");
        assert_eq!(r.mitigate.unwrap().display(), "40m");
        assert_eq!(r.resolve.unwrap().display(), "1h 10m");
        assert_eq!(r.identify, None);
    }

    #[test]
    fn without_started_the_basis_is_detected() {
        use MomentKind::*;
        let inc = incident(&[(Detected, at("2025-11-16T21:00:00Z")), (Resolved, at("2025-11-16T22:00:00Z"))]);
        let r = response_times(&inc);
        assert_eq!(r.basis, Some(Detected));
        assert_eq!(r.detect, None);
        assert_eq!(r.resolve.unwrap().display(), "1h");
        let impact = impact_duration(&inc).unwrap();
        assert_eq!(impact.interval.display(), "1h");
        assert_eq!(impact.basis(), "detected → resolved");
    }

    #[test]
    fn multi_day_and_mixed_offsets() {
        use MomentKind::*;
        let inc = incident(&[(Started, at("2025-11-16T23:30:00+02:00")), (Resolved, at("2025-11-18T01:00:00Z"))]);
        // 21:30Z on the 16th to 01:00Z on the 18th.
        assert_eq!(response_times(&inc).resolve.unwrap().display(), "1d 3h 30m");
    }

    #[test]
    fn detection_before_impact_is_negative() {
        use MomentKind::*;
        let inc = incident(&[(Started, at("2025-11-16T21:10:00Z")), (Detected, at("2025-11-16T21:00:00Z"))]);
        let d = response_times(&inc).detect.unwrap();
        assert_eq!(d.secs, -600);
        assert_eq!(d.magnitude(), "10m");
        assert_eq!(d.display(), "-10m");
        assert_eq!(d.phrase(Started), "10m before impact started");
        assert_eq!(d.phrase(Detected), "10m before detection");
    }

    #[test]
    fn approximate_ends_make_approximate_intervals() {
        let mut day = at("2025-11-16T00:00:00Z");
        day.precision = Precision::Day;
        let i = Interval::between(&day, &at("2025-11-16T02:00:00Z"));
        assert!(i.approximate);
        assert_eq!(i.display(), "~2h");
    }

    #[test]
    fn effort_total_sums_items() {
        let mut inc = incident(&[]);
        for m in [120, 30, 10, 2, 60] {
            let duration = Stated::new(Duration::from_minutes(m), format!("{m}m"), Span::default());
            inc.effort.push(EffortItem { activity: "x".into(), duration });
        }
        assert_eq!(effort_total(&inc).to_string(), "3h 42m");
    }

    #[test]
    fn ten_percent_rule() {
        let h = |m| Duration::from_minutes(m);
        assert!(!differs_by_more_than_a_tenth(h(120), h(110)));
        assert!(differs_by_more_than_a_tenth(h(120), h(60)));
        assert!(!differs_by_more_than_a_tenth(h(100), h(110)));
        assert!(differs_by_more_than_a_tenth(h(100), h(111)));
    }

    #[test]
    fn windows_and_open_windows() {
        let w = ImpactWindow {
            scope: "api".into(),
            from: at("2025-11-16T21:00:00Z"),
            to: Some(at("2025-11-16T21:45:00Z")),
            level: WindowLevel::Down,
            approximate: true,
            note: None,
            span: Span::default(),
        };
        assert_eq!(window_length(&w).unwrap().display(), "~45m");
        assert_eq!(window_length(&ImpactWindow { to: None, ..w }), None);
    }

    fn exact(secs: &[i64]) -> Vec<Interval> {
        secs.iter().map(|&secs| Interval { secs, approximate: false }).collect()
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let s = spread(&mut exact(&[5, 1, 3, 2, 4, 6, 7, 8, 9, 10])).unwrap();
        assert_eq!((s.median, s.p90), (5, 9));
        assert_eq!(spread(&mut []), None);
        let one = spread(&mut exact(&[42])).unwrap();
        assert_eq!((one.median, one.p90), (42, 42));
    }

    #[test]
    fn percentiles_order_negative_values_below_zero() {
        // Sorted: -600 -60 120 300 900; the median is the third.
        let s = spread(&mut exact(&[300, -60, 900, -600, 120])).unwrap();
        assert_eq!((s.median, s.p90), (120, 900));
        let s = spread(&mut exact(&[-600, -60, 120])).unwrap();
        assert_eq!(s.median().phrase(MomentKind::Started), "1m before impact started");
    }

    #[test]
    fn percentiles_say_when_the_value_is_approximate() {
        let mut v = exact(&[60, 180]);
        v.push(Interval { secs: 120, approximate: true });
        let s = spread(&mut v).unwrap();
        assert!(s.median_approximate);
        assert!(!s.p90_approximate);
        assert_eq!(s.median().magnitude(), "~2m");
    }
}
