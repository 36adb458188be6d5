//! Time order: the timeline, periods, and the key moments.

use crate::diag::{Code, Diagnostic};
use crate::model::*;
use chrono::NaiveDate;
use std::path::Path;

pub(super) fn timeline_order(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    let mut last_exact: Option<&TimelineEntry> = None;
    let mut last_day: Option<(NaiveDate, &TimelineEntry)> = None;
    for e in &inc.timeline {
        let day = e.at.day(&inc.zone);
        let backwards = match e.at.precision {
            Precision::Day => last_exact
                .filter(|p| day < p.at.day(&inc.zone))
                .or(last_day.filter(|(d0, _)| day < *d0).map(|(_, p)| p)),
            _ => last_exact.filter(|p| e.at.at < p.at.at).or(last_day.filter(|(d0, _)| day < *d0).map(|(_, p)| p)),
        };
        if let Some(prev) = backwards {
            let show = |w: &When| match w.precision {
                Precision::Day => w.at.date_naive().to_string(),
                _ => inc.zone.show(w.at).format("%Y-%m-%d %H:%M:%S").to_string(),
            };
            d.push(
                Diagnostic::new(Code::TimelineOrder, format!("timeline goes backwards: {} comes after {}", show(&e.at), show(&prev.at)))
                    .at(path, e.span)
                    .label("earlier than the entry before it")
                    .also(path, prev.span, "previous entry")
                    .hint("order entries by time; to cross midnight with local times, give full datetimes (2025-11-17T00:20:00Z)"),
            );
        }
        match e.at.precision {
            Precision::Day => last_day = Some((day, e)),
            _ => {
                last_exact = Some(e);
                last_day = Some((day, e));
            }
        }
    }
}

/// Periods that end before they start: a timeline entry's `until`, an impact window's `to`.
pub(super) fn periods(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    let zone = &inc.zone;
    for e in &inc.timeline {
        if let Some(until) = &e.until
            && before(until, &e.at, zone)
        {
            d.push(
                Diagnostic::new(Code::PeriodOrder, format!("the entry ends ({until}) before it starts ({})", e.at))
                    .at(path, e.span)
                    .label("`until` is earlier than this")
                    .hint("check both times and their timezone; a local-time `until` is read on the day of `at`"),
            );
        }
    }
    for w in inc.impact.iter().flat_map(|i| &i.windows) {
        if let Some(to) = &w.to
            && before(to, &w.from, zone)
        {
            d.push(
                Diagnostic::new(
                    Code::PeriodOrder,
                    format!("impact window `{}` ends ({to}) before it starts ({})", w.scope, w.from),
                )
                .at(path, w.span)
                .label("`to` is earlier than `from`")
                .hint("check both times and their timezone; leave out `to` while the window is still open"),
            );
        }
    }
}

/// `a` is certainly before `b`: by instant, or by day when either is known only to the day.
fn before(a: &When, b: &When, zone: &Zone) -> bool {
    if a.precision == Precision::Day || b.precision == Precision::Day { a.day(zone) < b.day(zone) } else { a.at < b.at }
}

pub(super) fn moment_order(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    use MomentKind::*;
    let m = &inc.moments;
    let mut rule = |early: MomentKind, late: MomentKind, why: &str| {
        if let (Some(a), Some(b)) = (m.get(&early), m.get(&late))
            && before(&b.when, &a.when, &inc.zone)
        {
            d.push(
                Diagnostic::new(Code::MomentOrder, format!("`{late}` ({}) is before `{early}` ({})", b.when, a.when))
                    .at(path, b.span)
                    .label(format!("before {early}"))
                    .also(path, a.span, format!("{early} is here"))
                    .hint(why.to_string()),
            );
        }
    };
    for k in MomentKind::ALL.iter().filter(|k| **k != Introduced) {
        rule(Introduced, *k, "nothing can happen before the cause was introduced; check both times and their timezone");
    }
    rule(Detected, Acknowledged, "a responder acknowledges after detection; check both times");
    rule(Started, Mitigated, "impact stops after it starts; check both times");
    for k in MomentKind::ALL.iter().filter(|k| **k != Resolved) {
        rule(*k, Resolved, "resolved is the last moment; check both times and their timezone");
    }
}
