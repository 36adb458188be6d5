//! The action tracker: open actions by owner, overdue first.

use super::Listing;
use crate::figures::ActionCounts;
use crate::figures::UNOWNED;
use crate::markdown::inline_text;
use crate::model::{ActionItem, Incident};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Serialize)]
pub struct TrackerView {
    /// Open or in progress.
    pub open: usize,
    pub in_progress: usize,
    pub overdue: usize,
    /// "4 open actions (2 in progress)", "4 open actions, all in progress".
    pub summary: String,
    /// Owners with overdue work first.
    pub owners: Vec<OwnerView>,
}

#[derive(Debug, Serialize)]
pub struct OwnerView {
    pub name: String,
    pub actions: Vec<TrackedView>,
}

#[derive(Debug, Serialize)]
pub struct TrackedView {
    pub id: String,
    /// The id linked to the action's row on the incident's page (to the incident
    /// in an archive page, which holds several incidents' actions).
    pub link: String,
    pub title: String,
    /// Link to the incident.
    pub incident: String,
    /// The due day, month or quarter, or `–`.
    pub due: String,
    pub status: String,
    pub overdue: bool,
}

/// An open action as the tracker sorts it.
struct Tracked<'a> {
    on_time: bool,
    owner: String,
    due: Option<NaiveDate>,
    incident: &'a Incident,
    action: &'a ActionItem,
}

/// Every open or in-progress action, grouped by owner.
pub fn tracker(incidents: &[&Incident], today: NaiveDate, listing: &Listing) -> TrackerView {
    let mut rows: Vec<Tracked<'_>> = Vec::new();
    for i in incidents {
        for a in i.actions.iter().filter(|a| a.status.is_pending()) {
            rows.push(Tracked {
                on_time: !i.is_overdue(a, today),
                owner: a.owner.clone().unwrap_or_else(|| UNOWNED.to_string()),
                due: a.due.map(|d| d.last_day()),
                incident: i,
                action: a,
            });
        }
    }
    // Overdue first, then by owner, due date, incident and id.
    rows.sort_by(|x, y| {
        (x.on_time, &x.owner, x.due.unwrap_or(NaiveDate::MAX), &x.incident.slug, &x.action.id).cmp(&(
            y.on_time,
            &y.owner,
            y.due.unwrap_or(NaiveDate::MAX),
            &y.incident.slug,
            &y.action.id,
        ))
    });
    let counts: ActionCounts = incidents.iter().map(|i| ActionCounts::of(i, &i.actions, today)).sum();
    let mut by_owner: BTreeMap<&str, Vec<&Tracked<'_>>> = BTreeMap::new();
    for r in &rows {
        by_owner.entry(r.owner.as_str()).or_default().push(r);
    }
    let mut owners: Vec<(&str, Vec<&Tracked<'_>>)> = by_owner.into_iter().collect();
    owners.sort_by_key(|(name, items)| (items.iter().all(|r| r.on_time), *name));
    TrackerView {
        open: counts.open,
        in_progress: counts.in_progress,
        overdue: counts.overdue,
        summary: counts.open_actions_phrase(),
        owners: owners
            .into_iter()
            .map(|(name, items)| OwnerView {
                name: inline_text(name),
                actions: items
                    .into_iter()
                    .map(|r| TrackedView {
                        id: inline_text(&r.action.id),
                        link: {
                            let target = &listing.row(r.incident).target;
                            let target = if target.contains('#') {
                                target.clone()
                            } else {
                                format!("{target}#{}", crate::view::incident::action_anchor(&r.action.id))
                            };
                            format!("[{}]({target})", inline_text(&r.action.id))
                        },
                        title: inline_text(&r.action.title),
                        incident: listing.row(r.incident).link.clone(),
                        due: r.action.due.map_or("–".into(), |d| d.to_string()),
                        status: r.action.status.to_string(),
                        overdue: !r.on_time,
                    })
                    .collect(),
            })
            .collect(),
    }
}
