//! `[impact]`: the computed duration, stated figures, metrics and windows.

use super::{Row, Scope};
use crate::figures;
use crate::model::*;
use crate::view::text::time_of;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ImpactView {
    pub recorded: bool,
    pub summary: Option<String>,
    /// Computed: started (else detected) → mitigated (else resolved).
    pub duration: Option<String>,
    pub duration_basis: Option<String>,
    pub downtime: Option<String>,
    pub degraded: Option<String>,
    pub users_affected: Option<String>,
    pub customers_affected: Option<String>,
    pub data_loss: Option<String>,
    pub revenue: Option<String>,
    pub notes: Vec<String>,
    pub metrics: Vec<MetricView>,
    pub windows: Vec<WindowView>,
    /// Table rows of the computed and stated figures.
    pub figures: Vec<Row>,
}

#[derive(Debug, Serialize)]
pub struct MetricView {
    pub name: String,
    pub value: String,
    pub note: Option<String>,
    pub source: Option<super::LinkView>,
}

#[derive(Debug, Serialize)]
pub struct WindowView {
    pub scope: String,
    pub level: String,
    pub from: String,
    pub to: String,
    pub length: String,
    pub note: Option<String>,
}

pub(super) fn impact_view(s: &Scope<'_>) -> ImpactView {
    let (inc, t, zone, spans_days) = (s.inc, &s.t, s.zone, s.spans_days);
    let find_link = |id: &Option<Located<String>>| s.link(id);
    let impact = figures::impact_duration(inc);
    let computed = impact.map(|i| i.interval);
    let basis = impact.map(|i| i.basis());
    let Some(im) = &inc.impact else {
        return ImpactView {
            recorded: false,
            summary: None,
            duration: computed.map(|i| i.display()),
            duration_basis: basis,
            downtime: None,
            degraded: None,
            users_affected: None,
            customers_affected: None,
            data_loss: None,
            revenue: None,
            notes: vec![],
            metrics: vec![],
            windows: vec![],
            figures: vec![],
        };
    };
    // Stated figures as the author wrote them; only computed ones take the tool's form.
    let downtime = im.downtime.as_ref().map(|d| d.written.clone());
    let degraded = im.degraded.as_ref().map(|d| d.written.clone());
    let users = im.users_affected.as_ref().map(written_number);
    let customers = im.customers_affected.as_ref().map(written_number);
    let data_loss = im.data_loss.as_deref().map(|s| t.cell(s));
    let revenue = im.revenue.as_deref().map(|s| t.cell(s));
    let mut figures_rows = Vec::new();
    if let Some(d) = &computed {
        figures_rows.push(Row {
            label: "Impact duration (computed)".to_string(),
            value: format!("{} ({})", d.display(), basis.clone().unwrap_or_default()),
        });
    }
    for (label, v) in [
        ("Downtime (stated)", &downtime),
        ("Degraded (stated)", &degraded),
        ("Users affected", &users),
        ("Customers affected", &customers),
        ("Data loss", &data_loss),
        ("Revenue impact", &revenue),
    ] {
        if let Some(v) = v {
            figures_rows.push(Row { label: label.to_string(), value: v.clone() });
        }
    }
    ImpactView {
        recorded: true,
        summary: t.md_opt(&im.summary),
        duration: computed.map(|i| i.display()),
        duration_basis: basis,
        downtime,
        degraded,
        users_affected: users,
        customers_affected: customers,
        data_loss,
        revenue,
        notes: im.notes.iter().map(|n| crate::markdown::list_item(t.md(n))).collect(),
        metrics: im
            .metrics
            .iter()
            .map(|m| {
                let prefix = match m.bound {
                    Bound::Exact => "",
                    Bound::About => "~",
                    Bound::AtLeast => "≥ ",
                    Bound::AtMost => "≤ ",
                };
                let unit = m
                    .unit
                    .as_deref()
                    .map(|u| if u == "%" { u.to_string() } else { format!(" {}", t.cell(u)) })
                    .unwrap_or_default();
                MetricView {
                    name: t.cell(&m.name),
                    value: format!("{prefix}{}{unit}", written_number(&m.value)),
                    note: m.note.as_deref().map(crate::markdown::cell_markdown).filter(|n| !n.is_empty()),
                    source: find_link(&m.source),
                }
            })
            .collect(),
        windows: im
            .windows
            .iter()
            .map(|w| {
                let approx = if w.approximate { "~" } else { "" };
                // A window that ends on another day than it starts shows the day it ends.
                let to_day = w.to.as_ref().is_some_and(|to| to.day(zone) != w.from.day(zone));
                WindowView {
                    scope: t.cell(&w.scope),
                    level: w.level.as_str().to_string(),
                    from: format!("{approx}{}", time_of(&w.from, zone, spans_days || to_day || w.to.is_none(), false)),
                    to: w.to.as_ref().map_or_else(
                        || "still open".to_string(),
                        |to| format!("{approx}{}", time_of(to, zone, spans_days || to_day, false)),
                    ),
                    length: figures::window_length(w).map_or_else(|| "open".to_string(), |i| i.display()),
                    note: w.note.as_deref().map(crate::markdown::cell_markdown).filter(|n| !n.is_empty()),
                }
            })
            .collect(),
        figures: figures_rows,
    }
}

/// A number the author typed, as written; TOML's digit separator `_` reads as `,`
/// (`1_500_000` shows as `1,500,000`).
fn written_number<T>(n: &Stated<T>) -> String {
    n.written.replace('_', ",")
}
