//! The header: key moments, response times, the timezone.

use super::Scope;
use crate::figures::{self, Interval};
use crate::model::*;
use crate::view::charts::StripMoment;
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
    /// Shown as a card at the top (detect, mitigate, resolve); the others go on the
    /// details line when recorded.
    pub at_a_glance: bool,
}

/// One card of the at-a-glance block at the top of the page.
#[derive(Debug, Serialize)]
pub struct GlanceItem {
    pub label: String,
    /// Markdown (the severity is a badge: `<span class="cb-sev cb-sev-N">`).
    pub value: String,
    /// What a figure is measured from, in small print.
    pub note: Option<String>,
    /// Takes two cards' room (the services).
    pub wide: bool,
}

/// Severity, status, impact, users affected, time to detect, mitigate and
/// resolve, services: what an on-call engineer looks for first.
pub(super) fn glance(s: &Scope<'_>, impact: &super::ImpactView, response: &[FigureView]) -> Vec<GlanceItem> {
    let (inc, t) = (s.inc, &s.t);
    let item =
        |label: &str, value: String, note: Option<String>| GlanceItem { label: label.into(), value, note, wide: false };
    let severity = match &inc.severity {
        Some(sev) => {
            let level = s.o.config.severity_levels.iter().position(|l| *l == sev.value);
            let class = level.map_or_else(|| "cb-sev".to_string(), |l| format!("cb-sev cb-sev-{}", l % 6));
            format!("<span class=\"{class}\">{}</span>", t.line(&sev.value))
        }
        None => "not set".to_string(),
    };
    let (impact_value, impact_note) = match (&impact.duration, &impact.downtime) {
        (Some(d), _) => (d.clone(), impact.duration_basis.clone()),
        (None, Some(d)) => (d.clone(), Some("stated".into())),
        (None, None) => ("not recorded".into(), None),
    };
    let mut items = vec![
        item("Severity", severity, None),
        item("Status", inc.status.as_str().to_string(), None),
        item("Impact", impact_value, impact_note),
    ];
    // Users, customers, or both; "not recorded" only when neither is.
    match (&impact.users_affected, &impact.customers_affected) {
        (None, None) => items.push(item("Users affected", "not recorded".into(), None)),
        (users, customers) => {
            if let Some(u) = users {
                items.push(item("Users affected", u.clone(), None));
            }
            if let Some(c) = customers {
                items.push(item("Customers affected", c.clone(), None));
            }
        }
    }
    for f in response.iter().filter(|f| f.at_a_glance) {
        items.push(item(&f.label, f.value.clone(), f.note.clone()));
    }
    if !inc.services.is_empty() {
        items.push(GlanceItem {
            label: "Services".into(),
            value: t.lines(&inc.services).join(", "),
            note: None,
            wide: true,
        });
    }
    items
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
        at_a_glance: true,
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
        FigureView { at_a_glance: false, ..fig("Time to acknowledge", rt.acknowledge, rt.basis) },
        FigureView { at_a_glance: false, ..fig("Time to identify", rt.identify, rt.basis) },
        fig("Time to mitigate", rt.mitigate, rt.basis),
        fig("Time to resolve", rt.resolve, rt.basis),
    ];
    (response, basis)
}

/// The strip of key moments drawn on the incident's page in the book, with the
/// impact (started, else detected → mitigated, else resolved) as a band.
pub(super) fn strip(inc: &Incident) -> Option<String> {
    let first = inc.moments.values().map(|m| m.when.at).min()?;
    if inc.moments.len() < 2 {
        return None;
    }
    let mut moments: Vec<&Moment> = inc.moments.values().collect();
    moments.sort_by_key(|m| (m.when.at, m.kind));
    let from_first = |m: &Moment| (m.when.at - first).num_seconds();
    let (_, days) = offsets_and_days(inc);
    let points: Vec<StripMoment> = moments
        .iter()
        .map(|m| StripMoment {
            label: moment_label(m.kind).to_string(),
            at: from_first(m),
            approximate: m.when.is_approximate(),
            time: time_of(&m.when, &inc.zone, days > 1, false),
        })
        .collect();
    let moment = |kinds: [MomentKind; 2]| kinds.iter().find_map(|k| inc.moments.get(k)).map(from_first);
    let band =
        moment([MomentKind::Started, MomentKind::Detected]).zip(moment([MomentKind::Mitigated, MomentKind::Resolved]));
    Some(crate::view::charts::timeline_strip(&points, band))
}
