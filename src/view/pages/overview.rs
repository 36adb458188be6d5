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
pub fn overview<'a>(title: &str, incidents: &[&Incident], stats: &Stats, listing: &'a Listing) -> OverviewView<'a> {
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
        monthly_chart: if incidents.is_empty() { String::new() } else { monthly_chart(incidents, stats, first, last) },
        by_severity: stats.by_severity.iter().map(|c| CountRow { key: inline_text(&c.key), count: c.count }).collect(),
        by_status: stats.by_status.iter().map(|c| CountRow { key: c.key.clone(), count: c.count }).collect(),
        by_service: services
            .iter()
            .take(20)
            .map(|c| ServiceRow { key: inline_text(&c.key), anchor: anchor(&inline_text(&c.key)), count: c.count })
            .collect(),
        response: stats.response.iter().map(response_row).collect(),
        resolve_chart: if incidents.is_empty() { String::new() } else { resolve_chart(incidents, stats) },
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
    }
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

/// Incidents per month stacked by severity, months filled in between.
fn monthly_chart(incidents: &[&Incident], stats: &Stats, first: NaiveDate, last: NaiveDate) -> String {
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
    let series: Vec<(String, Vec<usize>)> =
        stats.by_severity.iter().map(|c| (c.key.clone(), counts.remove(c.key.as_str()).unwrap_or_default())).collect();
    charts::monthly_stacked(&months, &series)
}

/// Time to resolve per incident over time.
fn resolve_chart(incidents: &[&Incident], stats: &Stats) -> String {
    let sev_names: Vec<String> = stats.by_severity.iter().map(|c| c.key.clone()).collect();
    let mut points: Vec<(String, i64, i64, usize, String)> = incidents
        .iter()
        .filter_map(|i| {
            let times = figures::response_times(i);
            let r = times.resolve?;
            let sev = i.severity.as_ref().map_or("unset", |s| s.value.as_str());
            let n = sev_names.iter().position(|k| k == sev).unwrap_or(0);
            Some((
                i.date.to_string(),
                i.date.signed_duration_since(NaiveDate::MIN).num_days(),
                r.secs.max(0),
                n,
                format!("{}: {}", i.id, r.phrase(times.basis.unwrap_or(MomentKind::Started))),
            ))
        })
        .collect();
    points.sort();
    charts::resolve_over_time(&points, &sev_names)
}
