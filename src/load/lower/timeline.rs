//! The timeline, the incident's day, and the key moments.

use super::{Lower, sp};
use crate::diag::Code;
use crate::load::raw::{RawTime, RawTimelineEntry, Sp};
use crate::model::*;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The top-level key moments as written.
pub(super) type TopMoments = [(MomentKind, Option<Sp<RawTime>>); 7];

/// Without a stated `date`, the day of `started`, else of the first timeline entry
/// with a full datetime.
pub(super) fn infer_date(l: &mut Lower<'_>, top: &TopMoments, timeline: &[RawTimelineEntry]) {
    if l.date.is_some() {
        return;
    }
    let started = top.iter().filter(|(k, _)| *k == MomentKind::Started).filter_map(|(_, v)| v.as_ref());
    for t in started.chain(timeline.iter().map(|e| &e.at)) {
        if t.value.0.date.is_some()
            && t.value.0.time.is_some()
            && let Some(w) = l.time(t, None, "at")
        {
            l.date = Some(w.day(&l.zone));
            break;
        }
    }
}

/// Where each entry's marks were written, by entry, for diagnostics.
pub(super) type MarkSpans = Vec<Vec<(MomentKind, Span)>>;

/// The timeline entries that could be read, with the spans of their marks.
pub(super) fn entries(l: &mut Lower<'_>, raw: Vec<RawTimelineEntry>) -> (Vec<TimelineEntry>, MarkSpans) {
    let mut timeline = Vec::with_capacity(raw.len());
    let mut marks_at = Vec::with_capacity(raw.len());
    for e in raw {
        let Some(at) = l.time(&e.at, None, "at") else {
            continue;
        };
        let at = if e.approximate && at.precision == Precision::Exact {
            When { precision: Precision::Approximate, ..at }
        } else {
            at
        };
        let until = e.until.as_ref().and_then(|u| l.time(u, Some(at.day(&l.zone)), "until"));
        let kind = e
            .kind
            .as_ref()
            .and_then(|k| l.keyword(k, EntryKind::parse, EntryKind::names(), "kind"))
            .unwrap_or_default();
        let marks: Vec<(MomentKind, Span)> = e
            .marks
            .iter()
            .filter_map(|m| Some((l.keyword(m, MomentKind::parse, MomentKind::names(), "marks")?, sp(&m.span))))
            .collect();
        let commits = l.commits(&e.commits);
        let body = l.markdown(e.body, "body");
        timeline.push(TimelineEntry {
            at,
            until,
            title: e.title,
            body,
            kind,
            marks: marks.iter().map(|(k, _)| *k).collect(),
            commits,
            source: e.source.map(Lower::located),
            private: e.private,
            span: sp(&e.at.span),
        });
        marks_at.push(marks);
    }
    (timeline, marks_at)
}

/// The incident's day: stated or inferred, else that of the first date-only entry.
pub(super) fn date(l: &mut Lower<'_>, timeline: &[TimelineEntry]) -> NaiveDate {
    if l.date.is_none()
        && let Some(first) = timeline.iter().find(|e| e.at.precision == Precision::Day)
    {
        l.date = Some(first.at.day(&l.zone));
    }
    match l.date {
        Some(d) => d,
        None => {
            l.error(Code::MissingKey, "missing required key \"date\"", Span::default())
                .hint("add `date = YYYY-MM-DD`, or give `started` or a timeline entry a full datetime");
            NaiveDate::MIN
        }
    }
}

/// Key moments: top-level keys, then timeline marks; a moment given twice is an error.
pub(super) fn moments(
    l: &mut Lower<'_>,
    top: TopMoments,
    timeline: &[TimelineEntry],
    marks: &MarkSpans,
) -> BTreeMap<MomentKind, Moment> {
    let mut moments: BTreeMap<MomentKind, Moment> = BTreeMap::new();
    for (kind, value) in top {
        if let Some(v) = value
            && let Some(when) = l.time(&v, None, kind.as_str())
        {
            moments.insert(kind, Moment { kind, when, source: MomentSource::TopLevel, span: sp(&v.span) });
        }
    }
    for (i, (e, marks)) in timeline.iter().zip(marks).enumerate() {
        for (kind, span) in marks {
            if let Some(prev) = moments.get(kind) {
                let where_ = match prev.source {
                    MomentSource::TopLevel => "as a top-level key",
                    MomentSource::Timeline(_) => "on another timeline entry",
                };
                let prev_span = prev.span;
                let path = l.path;
                l.error(Code::MomentTwice, format!("`{kind}` is given twice: here and {where_}"), *span)
                    .label("second time")
                    .also(path, prev_span, "first given here")
                    .hint("state each key moment once: remove one of the two");
                continue;
            }
            moments.insert(*kind, Moment { kind: *kind, when: e.at, source: MomentSource::Timeline(i), span: *span });
        }
    }
    moments
}
