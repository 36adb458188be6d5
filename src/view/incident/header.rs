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
    /// "45m", "~2h", or "not recorded".
    pub value: String,
    pub recorded: bool,
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

pub(super) fn moments(s: &Scope<'_>) -> Vec<MomentView> {
    s.inc
        .moments
        .values()
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
    let fig = |label: &str, i: Option<Interval>, note: Option<String>| FigureView {
        label: label.to_string(),
        value: i.map_or_else(|| "not recorded".to_string(), |i| i.display()),
        recorded: i.is_some(),
        note: i.and(note),
    };
    let from_basis = basis.as_ref().map(|b| format!("from {b}"));
    let detect_note = rt.detect.filter(|d| d.secs < 0).map(|_| "detected before impact began".to_string());
    let response = vec![
        fig("Time to detect", rt.detect, detect_note),
        fig("Time to acknowledge", rt.acknowledge, from_basis.clone()),
        fig("Time to identify", rt.identify, from_basis.clone()),
        fig("Time to mitigate", rt.mitigate, from_basis.clone()),
        fig("Time to resolve", rt.resolve, from_basis.clone()),
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
