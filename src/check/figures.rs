//! Stated figures against computed ones: the effort total, downtime and degraded time.

use crate::diag::{Code, Diagnostic};
use crate::figures::{self, differs_by_more_than_a_tenth};
use crate::model::*;
use std::path::Path;

pub(super) fn cross_check(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    if let Some(stated) = &inc.effort_total {
        let computed = figures::effort_total(inc);
        if stated.value != computed {
            d.push(
                Diagnostic::new(
                    Code::EffortMismatch,
                    format!("effort_total says {} but the [[effort]] items add up to {computed}", stated.written),
                )
                .at(path, stated.span)
                .label(format!("computed: {computed}"))
                .hint("remove `effort_total` (the total is computed) or correct the items"),
            );
        }
    }
    let Some(impact) = &inc.impact else { return };
    let stated: Vec<&Stated<Duration>> = impact.downtime.iter().chain(impact.degraded.iter()).collect();
    if stated.is_empty() {
        return;
    }
    let Some(computed) = figures::impact_duration(inc) else {
        return;
    };
    let sum: Duration = stated.iter().map(|s| s.value).sum();
    // As the author wrote them: "24h 11m", not "1d 11m".
    let written = stated.iter().map(|s| s.written.as_str()).collect::<Vec<_>>().join(" + ");
    if differs_by_more_than_a_tenth(sum, computed.interval.duration()) {
        let what = match (&impact.downtime, &impact.degraded) {
            (Some(_), Some(_)) => "downtime + degraded",
            (Some(_), None) => "downtime",
            _ => "degraded",
        };
        let (from, to) = (computed.from, computed.to);
        let lasted = computed.interval.display();
        d.push(
            Diagnostic::new(
                Code::ImpactMismatch,
                format!("{what} is {written}, but the impact lasted {lasted} ({})", computed.basis()),
            )
            .at(path, stated[0].span)
            .label(format!("timeline says {lasted}"))
            .hint(if from == MomentKind::Detected {
                "correct the figure, or record `started` if impact began before detection".to_string()
            } else {
                format!("correct the figure, or the `{from}` and `{to}` moments")
            }),
        );
    }
}
