//! The timeline, the incident's day, and the key moments.

use super::{Lower, sp};
use crate::diag::Code;
use crate::load::raw::{RawTime, RawTimelineEntry, Sp};
use crate::model::*;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The top-level key moments as written.
pub(super) type TopMoments = [(MomentKind, Option<Sp<RawTime>>); 7];

/// Without a stated `date` (FORMAT.md revision 2): the day of `started`, else of
/// `detected` (a top-level key or a timeline mark), else of the earliest full
/// datetime among the other key moments and timeline entries, else of the earliest
/// of them known only to the day. `introduced` (often a commit made long before)
/// dates the incident only when nothing else does.
pub(super) fn infer_date(l: &mut Lower<'_>, top: &TopMoments, timeline: &[RawTimelineEntry]) {
    if l.date.is_some() {
        return;
    }
    let top_of = |kind: MomentKind| top.iter().filter(|(k, _)| *k == kind).find_map(|(_, v)| v.as_ref());
    let marked = |e: &RawTimelineEntry, kind: MomentKind| e.marks.iter().any(|m| m.value == kind.as_str());
    let dated = |t: &&Sp<RawTime>| t.value.0.date.is_some();
    for kind in [MomentKind::Started, MomentKind::Detected] {
        let stated = top_of(kind).into_iter().chain(timeline.iter().filter(|e| marked(e, kind)).map(|e| &e.at));
        if let Some(day) = stated.filter(dated).find_map(|t| l.quiet_day(t)) {
            l.date = Some(day);
            return;
        }
    }
    let others = top
        .iter()
        .filter(|(k, _)| *k != MomentKind::Introduced)
        .filter_map(|(_, v)| v.as_ref())
        .chain(timeline.iter().filter(|e| !marked(e, MomentKind::Introduced)).map(|e| &e.at));
    let introduced = top_of(MomentKind::Introduced)
        .into_iter()
        .chain(timeline.iter().filter(|e| marked(e, MomentKind::Introduced)).map(|e| &e.at));
    let others: Vec<&Sp<RawTime>> = others.filter(dated).collect();
    let introduced: Vec<&Sp<RawTime>> = introduced.filter(dated).collect();
    let has_time = |t: &&&Sp<RawTime>| t.value.0.time.is_some();
    let full: Vec<&Sp<RawTime>> = others.iter().filter(has_time).copied().collect();
    let day_only: Vec<&Sp<RawTime>> = others.iter().filter(|t| !has_time(t)).copied().collect();
    for group in [full, day_only, introduced] {
        let earliest = group.iter().filter_map(|t| l.quiet_time(t)).min_by_key(|w| w.at);
        if let Some(w) = earliest {
            l.date = Some(w.day(&l.zone));
            return;
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

/// The incident's day, stated or inferred; without either, an error.
pub(super) fn date(l: &mut Lower<'_>) -> NaiveDate {
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
