//! The overview (`index.md`): counts, response times, charts, the most recent
//! incidents and recurring pairs.

use super::{IncidentRow, Listing, anchor, plural};
use crate::figures::{self, Stats};
use crate::markdown::inline_text;
use crate::model::{Incident, MomentKind};
use crate::view::charts;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct OverviewView<'a> {
    pub title: String,
    pub incidents: usize,
    pub incidents_plural: &'static str,
    /// The first and last incident days.
    pub first: String,
    pub last: String,
    /// Open or in progress.
    pub open_actions: usize,
    pub in_progress_actions: usize,
    pub overdue_actions: usize,
    /// "12 actions: 4 open (2 in progress), 7 done, 1 dropped".
    pub actions: String,
    /// Incidents per month, stacked by severity (inline SVG).
    pub monthly_chart: String,
    pub by_severity: Vec<CountRow>,
    pub by_status: Vec<CountRow>,
    /// The twenty services with most incidents, each linking to its index section.
    pub by_service: Vec<ServiceRow>,
    pub response: Vec<ResponseRow>,
    /// Time to resolve over time (inline SVG).
    pub resolve_chart: String,
    pub recent: Vec<&'a IncidentRow>,
    pub recurrences: Vec<RecurrenceRow>,
    /// The dashboard's tiles: this quarter against the last, time to resolve,
    /// open and overdue actions, recurring pairs.
    pub tiles: Vec<Tile>,
    /// The last six quarters: incidents and median time to resolve.
    pub quarters: Vec<QuarterRow>,
    /// Every incident's month and day (the three newest per day), for the
    /// reader's "on this day" (shown by casebook.js).
    pub on_this_day: Vec<OnThisDay<'a>>,
}

#[derive(Debug, Serialize)]
pub struct Tile {
    pub label: String,
    /// Markdown.
    pub value: String,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct QuarterRow {
    pub quarter: String,
    pub incidents: usize,
    /// The median time to resolve, or `–`.
    pub resolve_median: String,
    pub resolved: usize,
}

#[derive(Debug, Serialize)]
pub struct OnThisDay<'a> {
    /// `MM-DD`.
    pub month_day: String,
    pub year: i32,
    pub row: &'a IncidentRow,
}

#[derive(Debug, Serialize)]
pub struct CountRow {
    pub key: String,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct ServiceRow {
    pub key: String,
    pub anchor: String,
    pub count: usize,
}

/// Median and 90th percentile of each response time, or `–`.
#[derive(Debug, Serialize)]
pub struct ResponseRow {
    pub severity: String,
    pub detect_median: String,
    pub detect_p90: String,
    pub mitigate_median: String,
    pub mitigate_p90: String,
    pub resolve_median: String,
    pub resolve_p90: String,
}

#[derive(Debug, Serialize)]
pub struct RecurrenceRow {
    pub service: String,
    pub cause_kind: String,
    pub incidents: String,
}

/// The overview of `incidents` (newest first); `None` when there are none.
pub fn overview<'a>(
    title: &str,
    levels: &[String],
    today: NaiveDate,
    incidents: &[&Incident],
    stats: &Stats,
    listing: &'a Listing,
) -> OverviewView<'a> {
    let quarters = figures::quarters(incidents, figures::Quarter::of(today), 6);
    let (first, last) = match (incidents.last(), incidents.first()) {
        (Some(f), Some(l)) => (f.date, l.date),
        _ => (NaiveDate::MIN, NaiveDate::MIN),
    };
    let mut services: Vec<&figures::Count> = stats.by_service.iter().collect();
    services.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    OverviewView {
        title: inline_text(title),
        incidents: stats.incidents,
        incidents_plural: plural(stats.incidents),
        first: first.to_string(),
        last: last.to_string(),
        open_actions: stats.actions.open,
        in_progress_actions: stats.actions.in_progress,
        overdue_actions: stats.actions.overdue,
        actions: stats.actions.summary(),
        monthly_chart: if incidents.is_empty() {
            String::new()
        } else {
            monthly_chart(incidents, stats, levels, first, last)
        },
        by_severity: stats.by_severity.iter().map(|c| CountRow { key: inline_text(&c.key), count: c.count }).collect(),
        by_status: stats.by_status.iter().map(|c| CountRow { key: c.key.clone(), count: c.count }).collect(),
        by_service: services
            .iter()
            .take(20)
            .map(|c| ServiceRow { key: inline_text(&c.key), anchor: anchor(&inline_text(&c.key)), count: c.count })
            .collect(),
        response: stats.response.iter().map(response_row).collect(),
        resolve_chart: if incidents.is_empty() { String::new() } else { resolve_chart(incidents, stats, levels) },
        recent: listing.rows(&incidents.iter().take(10).copied().collect::<Vec<_>>()),
        recurrences: stats
            .recurrences
            .iter()
            .map(|r| RecurrenceRow {
                service: inline_text(&r.service),
                cause_kind: inline_text(&r.cause_kind),
                incidents: r.incidents.iter().map(|i| inline_text(i)).collect::<Vec<_>>().join(", "),
            })
            .collect(),
        tiles: tiles(&quarters, stats),
        quarters: quarters
            .iter()
            .rev()
            .map(|q| QuarterRow {
                quarter: q.quarter.to_string(),
                incidents: q.incidents,
                resolve_median: q.resolve.as_ref().map_or("–".into(), |s| s.median().display()),
                resolved: q.resolve.as_ref().map_or(0, |s| s.count),
            })
            .collect(),
        on_this_day: on_this_day(incidents, listing),
    }
}

/// The dashboard: this quarter (of today) against the last, the median time to
/// resolve in each, open and overdue actions, recurring pairs.
fn tiles(quarters: &[figures::QuarterFigures], stats: &Stats) -> Vec<Tile> {
    let n = quarters.len();
    let (this, last) = (&quarters[n - 1], &quarters[n - 2]);
    let median = |q: &figures::QuarterFigures| q.resolve.as_ref().map_or("–".to_string(), |s| s.median().display());
    let a = &stats.actions;
    vec![
        Tile {
            label: format!("This quarter ({})", this.quarter),
            value: format!("{} incident{}", this.incidents, plural(this.incidents)),
            note: format!("{} in {}", last.incidents, last.quarter),
        },
        Tile {
            label: "Time to resolve, median".into(),
            value: median(this),
            note: format!("{} in {}", median(last), last.quarter),
        },
        Tile {
            label: "Open actions".into(),
            value: format!("[{}](actions.md)", a.open),
            note: format!("{} in progress", a.in_progress),
        },
        Tile {
            label: "Overdue actions".into(),
            value: format!("[{}](actions.md)", a.overdue),
            note: format!("of {} open", a.open),
        },
        Tile {
            label: "Recurring".into(),
            value: if stats.recurrences.is_empty() {
                "none".into()
            } else {
                format!("[{} pair{}](#recurring)", stats.recurrences.len(), plural(stats.recurrences.len()))
            },
            note: "service and cause kind seen again".into(),
        },
    ]
}

/// Each incident under its month and day, the three newest of each day, by day.
fn on_this_day<'a>(incidents: &[&Incident], listing: &'a Listing) -> Vec<OnThisDay<'a>> {
    let mut days: BTreeMap<String, Vec<&Incident>> = BTreeMap::new();
    // `incidents` are newest first: the first three of each day are its newest.
    for i in incidents {
        let list = days.entry(i.date.format("%m-%d").to_string()).or_default();
        if list.len() < 3 {
            list.push(i);
        }
    }
    days.into_iter()
        .flat_map(|(md, list)| {
            list.into_iter().map(move |i| OnThisDay { month_day: md.clone(), year: i.date.year(), row: listing.row(i) })
        })
        .collect()
}

fn response_row(r: &figures::ResponseBySeverity) -> ResponseRow {
    let [(detect_median, detect_p90), (mitigate_median, mitigate_p90), (resolve_median, resolve_p90)] =
        r.measures().map(|(_, s, from)| match s {
            Some(s) => (s.median().phrase(from), s.p90().phrase(from)),
            None => ("–".to_string(), "–".to_string()),
        });
    ResponseRow {
        severity: inline_text(&r.severity),
        detect_median,
        detect_p90,
        mitigate_median,
        mitigate_p90,
        resolve_median,
        resolve_p90,
    }
}

/// Every month from `first` to `last`, as `YYYY-MM`, gaps included (at most 1,200).
fn months_between(first: NaiveDate, last: NaiveDate) -> Vec<String> {
    let mut months = Vec::new();
    let (mut y, mut m) = (first.year(), first.month());
    let end = format!("{:04}-{:02}", last.year(), last.month());
    loop {
        let key = format!("{y:04}-{m:02}");
        months.push(key.clone());
        if key >= end || months.len() > 1200 {
            break;
        }
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    months
}

/// The chart series of the severities present, each with its configured level
/// (so its colour, pattern and shape are the same in every book).
fn severity_series(stats: &Stats, levels: &[String]) -> Vec<charts::Series> {
    stats
        .by_severity
        .iter()
        .map(|c| charts::Series { name: c.key.clone(), level: levels.iter().position(|l| *l == c.key) })
        .collect()
}

/// Incidents per month stacked by severity, months filled in between.
fn monthly_chart(
    incidents: &[&Incident],
    stats: &Stats,
    levels: &[String],
    first: NaiveDate,
    last: NaiveDate,
) -> String {
    let months = months_between(first, last);
    // One pass: (severity, month) → count.
    let month_index: BTreeMap<&str, usize> = months.iter().enumerate().map(|(n, m)| (m.as_str(), n)).collect();
    let mut counts: BTreeMap<&str, Vec<usize>> =
        stats.by_severity.iter().map(|c| (c.key.as_str(), vec![0; months.len()])).collect();
    for i in incidents {
        let sev = i.severity.as_ref().map_or("unset", |s| s.value.as_str());
        if let (Some(row), Some(m)) = (counts.get_mut(sev), month_index.get(i.month().as_str())) {
            row[*m] += 1;
        }
    }
    let series = severity_series(stats, levels);
    let counts: Vec<Vec<usize>> =
        stats.by_severity.iter().map(|c| counts.remove(c.key.as_str()).unwrap_or_default()).collect();
    charts::monthly_stacked(&months, &series, &counts)
}

/// Time to resolve per incident over time.
fn resolve_chart(incidents: &[&Incident], stats: &Stats, levels: &[String]) -> String {
    let series = severity_series(stats, levels);
    let mut points: Vec<charts::ResolvePoint> = incidents
        .iter()
        .filter_map(|i| {
            let times = figures::response_times(i);
            let r = times.resolve?;
            let sev = i.severity.as_ref().map_or("unset", |s| s.value.as_str());
            Some(charts::ResolvePoint {
                date: i.date.to_string(),
                day: i.date.signed_duration_since(NaiveDate::MIN).num_days(),
                secs: r.secs.max(0),
                series: series.iter().position(|k| k.name == sev).unwrap_or(0),
                tip: format!("{}: {}", i.id, r.phrase(times.basis.unwrap_or(MomentKind::Started))),
            })
        })
        .collect();
    points.sort_by(|a, b| (a.day, &a.date, a.secs, &a.tip).cmp(&(b.day, &b.date, b.secs, &b.tip)));
    charts::resolve_over_time(&points, &series)
}
