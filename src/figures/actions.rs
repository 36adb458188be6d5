//! Action items across records: the listing `casebook actions` prints.

use super::UNOWNED;
use crate::model::{ActionItem, ActionStatus, Incident};
use chrono::NaiveDate;
use serde::Serialize;

/// One action with its incident, as `actions` lists it.
#[derive(Debug, Serialize)]
pub struct ActionRow {
    pub incident: String,
    pub slug: String,
    pub id: String,
    pub title: String,
    pub owner: String,
    pub due: Option<String>,
    pub status: String,
    pub overdue: bool,
    pub ticket: Option<String>,
}

/// Filters for `actions`.
#[derive(Debug, Default)]
pub struct ActionFilter {
    pub overdue_only: bool,
    pub owner: Option<String>,
    pub status: Option<ActionStatus>,
}

/// Every action across records, overdue first, then by due date, incident and id.
pub fn actions(records: &[&Incident], filter: &ActionFilter, today: NaiveDate) -> Vec<ActionRow> {
    let mut rows: Vec<(&Incident, &ActionItem)> = records
        .iter()
        .flat_map(|i| i.actions.iter().map(move |a| (*i, a)))
        .filter(|(_, a)| !filter.overdue_only || a.is_overdue(today))
        .filter(|(_, a)| {
            filter.owner.as_deref().is_none_or(|o| a.owner.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(o)))
        })
        .filter(|(_, a)| filter.status.is_none_or(|s| a.status == s))
        .collect();
    rows.sort_by(|(ia, a), (ib, b)| {
        (!a.is_overdue(today), a.due.map(|d| d.last_day()).unwrap_or(NaiveDate::MAX), &ia.slug, &a.id).cmp(&(
            !b.is_overdue(today),
            b.due.map(|d| d.last_day()).unwrap_or(NaiveDate::MAX),
            &ib.slug,
            &b.id,
        ))
    });
    rows.into_iter()
        .map(|(i, a)| ActionRow {
            incident: i.id.clone(),
            slug: i.slug.clone(),
            id: a.id.clone(),
            title: a.title.clone(),
            owner: a.owner.clone().unwrap_or_else(|| UNOWNED.into()),
            due: a.due.map(|d| d.to_string()),
            status: a.status.as_str().to_string(),
            overdue: a.is_overdue(today),
            ticket: a.ticket.clone(),
        })
        .collect()
}

/// Incidents whose date falls in [since, until].
pub fn in_range<'a>(
    incidents: &[&'a Incident],
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Vec<&'a Incident> {
    incidents
        .iter()
        .copied()
        .filter(|i| since.is_none_or(|s| i.date >= s) && until.is_none_or(|u| i.date <= u))
        .collect()
}
