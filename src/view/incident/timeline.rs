//! The timeline.

use super::{CommitView, LinkView, Scope};
use crate::view::text::{moment_label, time_of};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct TimelineView {
    pub entries: Vec<EntryView>,
    pub spans_days: bool,
    /// "Times are UTC." / "Times are Europe/Berlin (UTC+01:00)."
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct EntryView {
    pub time: String,
    pub until: Option<String>,
    pub title: Option<String>,
    pub kind: String,
    pub marks: Vec<String>,
    pub body: Option<String>,
    pub commits: Vec<CommitView>,
    pub approximate: bool,
    pub source: Option<LinkView>,
}

pub(super) fn timeline(s: &Scope<'_>) -> TimelineView {
    let (t, zone) = (&s.t, s.zone);
    TimelineView {
        spans_days: s.spans_days,
        note: format!("Times are {}.", super::header::zone_label(s.inc)),
        entries: s
            .inc
            .timeline
            .iter()
            .map(|e| EntryView {
                time: time_of(&e.at, zone, s.spans_days, s.mixed_offsets),
                until: e
                    .until
                    .as_ref()
                    .map(|u| time_of(u, zone, s.spans_days && u.day(zone) != e.at.day(zone), s.mixed_offsets)),
                title: t.line_opt(&e.title),
                kind: e.kind.as_str().to_string(),
                marks: e.marks.iter().map(|m| moment_label(*m).to_string()).collect(),
                body: t.md_opt(&e.body),
                commits: s.commits(&e.commits),
                approximate: e.at.is_approximate(),
                source: s.link(&e.source),
            })
            .collect(),
    }
}
