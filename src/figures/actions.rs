//! Action items across records: the listing `casebook actions` prints.

use super::UNOWNED;
use crate::model::{ActionItem, ActionStatus, Incident};
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt::Write;

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

/// How many actions are in each state. "Open" in counts means work still owed:
/// `open` or `in-progress` (FORMAT.md: "4 open (2 in progress)").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ActionCounts {
    pub total: usize,
    /// `open` or `in-progress`.
    pub open: usize,
    pub in_progress: usize,
    pub done: usize,
    pub deferred: usize,
    pub dropped: usize,
    pub overdue: usize,
}

impl ActionCounts {
    /// Counts `actions` of `inc`, overdue judged on the record's `actions_as_of`, else `today`.
    pub fn of<'a>(inc: &Incident, actions: impl IntoIterator<Item = &'a ActionItem>, today: NaiveDate) -> Self {
        let mut c = ActionCounts::default();
        for a in actions {
            c.total += 1;
            match a.status {
                ActionStatus::Open => c.open += 1,
                ActionStatus::InProgress => {
                    c.open += 1;
                    c.in_progress += 1;
                }
                ActionStatus::Done => c.done += 1,
                ActionStatus::Deferred => c.deferred += 1,
                ActionStatus::Dropped => c.dropped += 1,
            }
            c.overdue += usize::from(inc.is_overdue(a, today));
        }
        c
    }

    /// "4 open", "4 open (2 in progress)", "4 open, all in progress", "none open".
    pub fn open_phrase(&self) -> String {
        match (self.open, self.in_progress) {
            (0, _) => "none open".to_string(),
            (n, 0) => format!("{n} open"),
            (1, 1) => "1 open, in progress".to_string(),
            (n, p) if n == p => format!("{n} open, all in progress"),
            (n, p) => format!("{n} open ({p} in progress)"),
        }
    }

    /// "4 open actions", "4 open actions (2 in progress)", "4 open actions, all in
    /// progress", "1 open action, in progress", "no open actions".
    pub fn open_actions_phrase(&self) -> String {
        let noun = if self.open == 1 { "action" } else { "actions" };
        match (self.open, self.in_progress) {
            (0, _) => "no open actions".to_string(),
            (n, 0) => format!("{n} open {noun}"),
            (1, 1) => "1 open action, in progress".to_string(),
            (n, p) if n == p => format!("{n} open {noun}, all in progress"),
            (n, p) => format!("{n} open {noun} ({p} in progress)"),
        }
    }

    /// "7 actions: 4 open (2 in progress), 2 done, 1 dropped".
    pub fn summary(&self) -> String {
        let mut s = format!("{} action{}: {}", self.total, if self.total == 1 { "" } else { "s" }, self.open_phrase());
        for (n, what) in [(self.done, "done"), (self.deferred, "deferred"), (self.dropped, "dropped")] {
            if n > 0 {
                let _ = write!(s, ", {n} {what}");
            }
        }
        s
    }
}

/// Counts over several records.
impl std::ops::Add for ActionCounts {
    type Output = ActionCounts;
    fn add(self, o: ActionCounts) -> ActionCounts {
        ActionCounts {
            total: self.total + o.total,
            open: self.open + o.open,
            in_progress: self.in_progress + o.in_progress,
            done: self.done + o.done,
            deferred: self.deferred + o.deferred,
            dropped: self.dropped + o.dropped,
            overdue: self.overdue + o.overdue,
        }
    }
}

impl std::iter::Sum for ActionCounts {
    fn sum<I: Iterator<Item = ActionCounts>>(iter: I) -> ActionCounts {
        iter.fold(ActionCounts::default(), |a, b| a + b)
    }
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
        .filter(|(i, a)| !filter.overdue_only || i.is_overdue(a, today))
        .filter(|(_, a)| {
            filter.owner.as_deref().is_none_or(|o| a.owner.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(o)))
        })
        .filter(|(_, a)| filter.status.is_none_or(|s| a.status == s))
        .collect();
    rows.sort_by(|(ia, a), (ib, b)| {
        (!ia.is_overdue(a, today), a.due.map(|d| d.last_day()).unwrap_or(NaiveDate::MAX), &ia.slug, &a.id).cmp(&(
            !ib.is_overdue(b, today),
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
            overdue: i.is_overdue(a, today),
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
