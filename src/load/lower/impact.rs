//! `[impact]`, its metrics and windows.

use super::{Lower, sp};
use crate::load::raw::{RawImpact, RawMetric, RawWindow, Sp};
use crate::model::*;

pub(super) fn impact(l: &mut Lower<'_>, im: RawImpact) -> Impact {
    let RawImpact {
        summary,
        downtime,
        degraded,
        users_affected,
        customers_affected,
        data_loss,
        revenue,
        notes,
        metrics,
        windows,
    } = im;
    let windows = windows.into_iter().filter_map(|w| window(l, w)).collect();
    let metrics = metrics.into_iter().map(|m| metric(l, m)).collect();
    let stated = |l: &mut Lower<'_>, d: Option<Sp<String>>| d.and_then(|d| l.duration(&d));
    Impact {
        summary: l.markdown(summary, "summary"),
        downtime: stated(l, downtime),
        degraded: stated(l, degraded),
        users_affected: l.count(&users_affected, "users_affected"),
        customers_affected: l.count(&customers_affected, "customers_affected"),
        data_loss,
        revenue,
        notes: l.markdowns(notes, "notes"),
        metrics,
        windows,
    }
}

fn window(l: &mut Lower<'_>, w: Sp<RawWindow>) -> Option<ImpactWindow> {
    let span = sp(&w.span);
    let RawWindow { scope, from, to, level, approximate, note } = w.value;
    let from = l.time(&from, None, "from")?;
    let to = to.as_ref().and_then(|t| l.time(t, Some(from.day(&l.zone)), "to"));
    let level = level
        .as_ref()
        .and_then(|s| l.keyword(s, WindowLevel::parse, WindowLevel::names(), "level"))
        .unwrap_or_default();
    let note = l.markdown(note, "note");
    Some(ImpactWindow { scope, from, to, level, approximate, note, span })
}

fn metric(l: &mut Lower<'_>, m: RawMetric) -> Metric {
    Metric {
        bound: m.bound.as_ref().and_then(|b| l.keyword(b, Bound::parse, Bound::names(), "bound")).unwrap_or_default(),
        note: l.markdown(m.note, "note"),
        source: m.source.map(Lower::located),
        name: m.name,
        value: Stated::new(m.value.value, l.written(&m.value.span), sp(&m.value.span)),
        unit: m.unit,
    }
}
