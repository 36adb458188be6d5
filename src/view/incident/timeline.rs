//! The timeline: a compact table, one row per entry with its own anchor, and the
//! entries whose text a table cell cannot hold (lists, code) in full below it.

use super::{CommitView, LinkView, Scope};
use crate::markdown::{cell_markdown, paragraphs_cell};
use crate::view::text::{moment_label, time_of};
use chrono::Timelike;
use serde::Serialize;
use std::collections::HashSet;

#[derive(Debug, Serialize)]
pub struct TimelineView {
    pub entries: Vec<EntryView>,
    pub spans_days: bool,
    /// "Times are UTC." / "Times are Europe/Berlin (UTC+01:00)."
    pub note: String,
    /// Some entry cites a commit (the table has a commits column).
    pub has_commits: bool,
    /// Some entry's text is shown in full below the table.
    pub has_details: bool,
}

#[derive(Debug, Serialize)]
pub struct EntryView {
    /// The row's anchor: `t-2100`, `t-2025-11-16-2100` when the timeline spans
    /// days, with `-2`, `-3`... for entries at the same minute.
    pub anchor: String,
    pub time: String,
    pub until: Option<String>,
    /// Plain one-line text (headings, link text).
    pub title: Option<String>,
    /// The title as cell markdown (inline code and emphasis kept).
    pub title_cell: Option<String>,
    pub kind: String,
    pub marks: Vec<String>,
    pub body: Option<String>,
    /// The body in the table's cell when it is only paragraphs; else the
    /// paragraphs it starts with (if any), and the body is shown in full below
    /// the table (`details`).
    pub body_cell: Option<String>,
    pub details: bool,
    pub commits: Vec<CommitView>,
    pub approximate: bool,
    pub source: Option<LinkView>,
}

pub(super) fn timeline(s: &Scope<'_>) -> TimelineView {
    let (t, zone) = (&s.t, s.zone);
    let mut anchors = HashSet::new();
    let entries: Vec<EntryView> = s
        .inc
        .timeline
        .iter()
        .map(|e| {
            let local = zone.show(e.at.at);
            let base = if s.spans_days {
                format!("t-{}-{:02}{:02}", e.at.day(zone), local.hour(), local.minute())
            } else {
                format!("t-{:02}{:02}", local.hour(), local.minute())
            };
            let mut anchor = base.clone();
            let mut n = 1;
            while !anchors.insert(anchor.clone()) {
                n += 1;
                anchor = format!("{base}-{n}");
            }
            let body = t.md_opt(&e.body);
            let cell = body.as_deref().map(paragraphs_cell);
            let details = matches!(cell, Some(Err(_)));
            let body_cell = cell.map(|c| c.unwrap_or_else(|lead| lead)).filter(|c| !c.is_empty());
            EntryView {
                anchor,
                time: time_of(&e.at, zone, s.spans_days, s.mixed_offsets),
                until: e
                    .until
                    .as_ref()
                    .map(|u| time_of(u, zone, s.spans_days && u.day(zone) != e.at.day(zone), s.mixed_offsets)),
                title: t.line_opt(&e.title),
                title_cell: e.title.as_deref().map(cell_markdown).filter(|c| !c.is_empty()),
                kind: e.kind.as_str().to_string(),
                marks: e.marks.iter().map(|m| moment_label(*m).to_string()).collect(),
                details,
                body,
                body_cell,
                commits: s.commits(&e.commits),
                approximate: e.at.is_approximate(),
                source: s.link(&e.source),
            }
        })
        .collect();
    TimelineView {
        spans_days: s.spans_days,
        note: format!(
            "Times are {}.{}",
            super::header::zone_label(s.inc),
            if entries.iter().any(|e| e.approximate) { " A `~` marks an approximate time." } else { "" }
        ),
        has_commits: entries.iter().any(|e| !e.commits.is_empty()),
        has_details: entries.iter().any(|e| e.details),
        entries,
    }
}
