//! Action items, grouped by horizon.

use super::{CommitView, Scope};
use crate::model::*;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ActionsView {
    pub total: usize,
    /// Open or in progress.
    pub open: usize,
    pub in_progress: usize,
    pub overdue: usize,
    /// "7 actions: 4 open (2 in progress), 2 done, 1 dropped".
    pub summary: String,
    /// The record's `actions_as_of`: the day overdue is judged on.
    pub as_of: Option<String>,
    pub groups: Vec<ActionGroup>,
}

#[derive(Debug, Serialize)]
pub struct ActionGroup {
    pub horizon: String,
    pub label: String,
    pub items: Vec<ActionView>,
}

#[derive(Debug, Serialize, Clone)]
pub struct ActionView {
    pub id: String,
    /// The id of the action's row (`action-` and the id as mdBook makes anchors).
    pub anchor: String,
    pub title: String,
    pub details: Vec<String>,
    pub kind: Option<String>,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub status: String,
    pub overdue: bool,
    pub ticket: Option<String>,
    /// Set when a commit's `Closes-Action` trailer closed it.
    pub closed_by: Option<CommitView>,
}

/// The anchor of an action's row on its incident's page.
pub fn action_anchor(id: &str) -> String {
    format!("action-{}", crate::view::text::anchor(id))
}

pub(super) fn actions_view(s: &Scope<'_>) -> ActionsView {
    let (inc, o, t) = (s.inc, s.o, &s.t);
    let visible: Vec<&ActionItem> = inc.actions.iter().collect();
    let closed_by = |a: &ActionItem| -> Option<CommitView> {
        o.git
            .mentions_of(&inc.id)
            .find(|m| m.closes_action.as_deref() == Some(a.id.as_str()))
            .map(|m| super::commits::mention_view(m, t))
    };
    let view = |a: &ActionItem| ActionView {
        id: t.line(&a.id),
        anchor: action_anchor(&a.id),
        title: t.line(&a.title),
        details: a.details.iter().map(|d| t.md(d)).collect(),
        kind: a.kind.map(|k| k.as_str().to_string()),
        owner: t.line_opt(&a.owner),
        due: a.due.map(|d| d.to_string()),
        status: a.status.as_str().to_string(),
        overdue: inc.is_overdue(a, o.today),
        ticket: a.ticket.as_deref().map(|x| t.line_or_link(x)),
        closed_by: closed_by(a),
    };
    let mut groups = Vec::new();
    for (h, label) in [
        (Some(Horizon::Immediate), "Immediate (next week)"),
        (Some(Horizon::Short), "Short term (next month)"),
        (Some(Horizon::Long), "Long term (next quarter)"),
        (None, "Unscheduled"),
    ] {
        let items: Vec<ActionView> = visible.iter().filter(|a| a.horizon == h).map(|a| view(a)).collect();
        if !items.is_empty() {
            groups.push(ActionGroup {
                horizon: h.map_or("none", |h| h.as_str()).to_string(),
                label: label.to_string(),
                items,
            });
        }
    }
    let counts = crate::figures::ActionCounts::of(inc, visible.iter().copied(), o.today);
    ActionsView {
        total: counts.total,
        open: counts.open,
        in_progress: counts.in_progress,
        overdue: counts.overdue,
        summary: counts.summary(),
        as_of: inc.actions_as_of.map(|d| d.to_string()),
        groups,
    }
}
