//! The header: key moments, response times, the timezone.

use super::Scope;
use crate::figures::{self, Interval};
use crate::model::*;
use crate::view::text::{moment_label, time_of};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Serialize)]
pub struct MomentView {
    pub name: String,
    pub label: String,
    pub time: String,
    pub approximate: bool,
}

#[derive(Debug, Serialize)]
pub struct FigureView {
    pub label: String,
    /// "45m", "~2h", "2m before impact started", or "not recorded".
    pub value: String,
    pub recorded: bool,
    /// The interval in seconds, negative when the moment came before its basis.
    pub secs: Option<i64>,
    pub negative: bool,
    pub approximate: bool,
    /// "from started" for a positive figure (a negative one names its basis in `value`).
    pub note: Option<String>,
}

/// The UTC offsets in force over the incident (shown per time only when they differ)
/// and how many days its times cover.
pub(super) fn offsets_and_days(inc: &Incident) -> (BTreeSet<String>, usize) {
    let zone = &inc.zone;
    let mut offsets = BTreeSet::new();
    let mut days = BTreeSet::new();
    for w in inc.timeline.iter().map(|e| &e.at).chain(inc.moments.values().map(|m| &m.when)) {
        offsets.insert(zone.offset_label(w.at));
        days.insert(w.day(zone));
    }
    (offsets, days.len())
}

/// "UTC", or "Europe/Berlin (UTC+01:00)", or both offsets across a change.
pub(super) fn zone_label(inc: &Incident) -> String {
    let (offsets, _) = offsets_and_days(inc);
    let name = inc.zone.name();
    let mixed = offsets.len() > 1;
    let off = offsets.iter().next().cloned().unwrap_or_else(|| "UTC".into());
    if name == "UTC" && !mixed {
        "UTC".to_string()
    } else if mixed {
        format!("{name} ({})", offsets.iter().cloned().collect::<Vec<_>>().join(" / "))
    } else {
        format!("{name} ({off})")
    }
}

/// The key moments in the order they happened (FORMAT.md: detection can precede
/// impact); moments at the same instant keep their usual order.
pub(super) fn moments(s: &Scope<'_>) -> Vec<MomentView> {
    let mut moments: Vec<&Moment> = s.inc.moments.values().collect();
    moments.sort_by_key(|m| (m.when.at, m.kind));
    moments
        .into_iter()
        .map(|m| MomentView {
            name: m.kind.as_str().to_string(),
            label: moment_label(m.kind).to_string(),
            time: time_of(&m.when, s.zone, true, true),
            approximate: m.when.is_approximate(),
        })
        .collect()
}

/// Time to detect, acknowledge, identify, mitigate and resolve, and their basis.
pub(super) fn response(inc: &Incident) -> (Vec<FigureView>, Option<String>) {
    let rt = figures::response_times(inc);
    let basis = rt.basis.map(|b| b.as_str().to_string());
    let fig = |label: &str, i: Option<Interval>, from: Option<MomentKind>| FigureView {
        label: label.to_string(),
        value: match (i, from) {
            (Some(i), Some(from)) => i.phrase(from),
            (Some(i), None) => i.display(),
            (None, _) => "not recorded".to_string(),
        },
        recorded: i.is_some(),
        secs: i.map(|i| i.secs),
        negative: i.is_some_and(|i| i.is_negative()),
        approximate: i.is_some_and(|i| i.approximate),
        note: i.filter(|i| !i.is_negative()).and(from).map(|b| format!("from {b}")),
    };
    // Time to detect is always measured from `started`; a note would repeat the label.
    let detect = FigureView { note: None, ..fig("Time to detect", rt.detect, Some(MomentKind::Started)) };
    let response = vec![
        detect,
        fig("Time to acknowledge", rt.acknowledge, rt.basis),
        fig("Time to identify", rt.identify, rt.basis),
        fig("Time to mitigate", rt.mitigate, rt.basis),
        fig("Time to resolve", rt.resolve, rt.basis),
    ];
    (response, basis)
}

/// The strip of key moments drawn on the incident's page in the book.
pub(super) fn strip(inc: &Incident) -> Option<String> {
    let first = inc.moments.values().map(|m| m.when.at).min()?;
    if inc.moments.len() < 2 {
        return None;
    }
    let points: Vec<(String, i64, bool, String)> = inc
        .moments
        .values()
        .map(|m| {
            (
                moment_label(m.kind).to_string(),
                (m.when.at - first).num_seconds(),
                m.when.is_approximate(),
                time_of(&m.when, &inc.zone, true, true),
            )
        })
        .collect();
    Some(crate::view::charts::timeline_strip(&points))
}
