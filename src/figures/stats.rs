//! Cross-record figures, shared by the book's overview and `casebook stats`.

use super::{ActionCounts, Interval, ResponseTimes, Spread, effort_total, response_times, spread};
use crate::model::{Incident, MomentKind, Status};
use chrono::NaiveDate;
use serde::Serialize;

/// Cross-record figures, shared by the book's overview and `casebook stats`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Stats {
    pub incidents: usize,
    pub by_severity: Vec<Count>,
    pub by_status: Vec<Count>,
    pub by_service: Vec<Count>,
    pub by_cause_kind: Vec<Count>,
    pub by_month: Vec<Count>,
    /// Response times by severity (seconds; time to detect is negative when detection
    /// came before impact).
    pub response: Vec<ResponseBySeverity>,
    pub effort_total_secs: i64,
    /// Every action by state; overdue judged per record (its `actions_as_of`, else today).
    pub actions: ActionCounts,
    /// The same service and cause kind more than once.
    pub recurrences: Vec<Recurrence>,
    /// Past incidents on today's month and day.
    pub on_this_day: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Count {
    pub key: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResponseBySeverity {
    pub severity: String,
    pub detect: Option<Spread>,
    pub mitigate: Option<Spread>,
    pub resolve: Option<Spread>,
}

impl ResponseBySeverity {
    /// Each figure with its name and the moment it is measured from, for the phrase
    /// a negative value takes: time to detect runs from `started`; time to mitigate or
    /// resolve can be negative only when measured from detection (a record without
    /// `started`: mitigated before detected), since mitigated before started and any
    /// moment after resolved are errors.
    pub fn measures(&self) -> [(&'static str, Option<Spread>, MomentKind); 3] {
        [
            ("detect", self.detect, MomentKind::Started),
            ("mitigate", self.mitigate, MomentKind::Detected),
            ("resolve", self.resolve, MomentKind::Detected),
        ]
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Recurrence {
    pub service: String,
    pub cause_kind: String,
    /// Incident ids, oldest first.
    pub incidents: Vec<String>,
}

fn counts<'a>(items: impl Iterator<Item = &'a str>) -> Vec<Count> {
    let mut m: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for i in items {
        *m.entry(i).or_default() += 1;
    }
    m.into_iter().map(|(k, count)| Count { key: k.to_string(), count }).collect()
}

/// Computes the cross-record figures. `severities` orders the severity rows.
pub fn stats(incidents: &[&Incident], severities: &[String], today: NaiveDate) -> Stats {
    use chrono::Datelike;
    let sev = |i: &Incident| i.severity.as_ref().map_or("unset".to_string(), |s| s.value.clone());
    let mut by_severity = counts(incidents.iter().map(|i| i.severity.as_ref().map_or("unset", |s| s.value.as_str())));
    let order = |k: &str| severities.iter().position(|s| s == k).unwrap_or(usize::MAX);
    by_severity.sort_by_key(|c| (order(&c.key), c.key.clone()));
    let mut by_status = counts(incidents.iter().map(|i| i.status.as_str()));
    by_status.sort_by_key(|c| Status::parse(&c.key).map(|s| s as usize).unwrap_or(usize::MAX));
    let months: Vec<String> = incidents.iter().map(|i| i.month()).collect();
    let mut sev_keys: Vec<String> = incidents.iter().map(|i| sev(i)).collect();
    sev_keys.sort_by_key(|k| (order(k), k.clone()));
    sev_keys.dedup();
    let response = sev_keys
        .iter()
        .map(|s| {
            let group: Vec<ResponseTimes> =
                incidents.iter().filter(|i| &sev(i) == s).map(|i| response_times(i)).collect();
            let collect = |f: &dyn Fn(&ResponseTimes) -> Option<Interval>| {
                let mut v: Vec<Interval> = group.iter().filter_map(f).collect();
                spread(&mut v)
            };
            ResponseBySeverity {
                severity: s.clone(),
                detect: collect(&|r| r.detect),
                mitigate: collect(&|r| r.mitigate),
                resolve: collect(&|r| r.resolve),
            }
        })
        .collect();
    let mut groups: std::collections::BTreeMap<(String, String), Vec<(NaiveDate, String)>> = Default::default();
    for i in incidents {
        let kinds: std::collections::BTreeSet<&str> = i.causes.iter().filter_map(|c| c.kind.as_deref()).collect();
        for s in &i.services {
            for k in &kinds {
                groups.entry((s.clone(), k.to_string())).or_default().push((i.date, i.id.clone()));
            }
        }
    }
    let recurrences = groups
        .into_iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|((service, cause_kind), mut v)| {
            v.sort();
            Recurrence { service, cause_kind, incidents: v.into_iter().map(|(_, id)| id).collect() }
        })
        .collect();
    let mut on_this_day: Vec<(NaiveDate, String)> = incidents
        .iter()
        .filter(|i| i.date.month() == today.month() && i.date.day() == today.day() && i.date.year() < today.year())
        .map(|i| (i.date, i.id.clone()))
        .collect();
    on_this_day.sort();
    Stats {
        incidents: incidents.len(),
        by_severity,
        by_status,
        by_service: counts(incidents.iter().flat_map(|i| i.services.iter().map(String::as_str))),
        by_cause_kind: counts(incidents.iter().flat_map(|i| {
            let kinds: std::collections::BTreeSet<&str> = i.causes.iter().filter_map(|c| c.kind.as_deref()).collect();
            kinds.into_iter()
        })),
        by_month: counts(months.iter().map(String::as_str)),
        response,
        effort_total_secs: incidents.iter().map(|i| effort_total(i).secs()).sum(),
        actions: incidents.iter().map(|i| ActionCounts::of(i, &i.actions, today)).sum(),
        recurrences,
        on_this_day: on_this_day.into_iter().map(|(_, id)| id).collect(),
    }
}
