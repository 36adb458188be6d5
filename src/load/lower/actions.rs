//! Action items: ids by position, `due` as a day, month or quarter.

use super::{Lower, sp};
use crate::diag::Code;
use crate::load::raw::{RawAction, RawDue, Sp};
use crate::model::*;
use chrono::NaiveDate;

pub(super) fn actions(l: &mut Lower<'_>, raw: Vec<Sp<RawAction>>) -> Vec<ActionItem> {
    raw.into_iter().enumerate().map(|(i, a)| action(l, i, a)).collect()
}

fn action(l: &mut Lower<'_>, i: usize, a: Sp<RawAction>) -> ActionItem {
    let whole = sp(&a.span);
    let r = a.value;
    let due = r.due.as_ref().and_then(|d| due(l, d));
    if let Some(id) = &r.id {
        l.name(id, "id");
    }
    ActionItem {
        explicit_id: r.id.is_some(),
        span: r.id.as_ref().map_or(whole, |id| sp(&id.span)),
        id: r.id.map_or_else(|| format!("A{}", i + 1), |id| id.value),
        title: r.title,
        details: l.markdowns(r.details, "details"),
        kind: r.kind.as_ref().and_then(|s| l.keyword(s, ActionKind::parse, ActionKind::names(), "kind")),
        horizon: r.horizon.as_ref().and_then(|s| l.keyword(s, Horizon::parse, Horizon::names(), "horizon")),
        owner: r.owner,
        due,
        status: r
            .status
            .as_ref()
            .and_then(|s| l.keyword(s, ActionStatus::parse, ActionStatus::names(), "status"))
            .unwrap_or_default(),
        ticket: r.ticket,
        private: r.private,
    }
}

const DUE_HINT: &str = "write a date (2025-12-01, no quotes), a month (\"2025-12\") or a quarter (\"2026-Q1\")";

fn due(l: &mut Lower<'_>, d: &Sp<RawDue>) -> Option<Due> {
    match &d.value.0 {
        toml::Value::Datetime(dt) if dt.time.is_none() => {
            let date = dt.date?;
            NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32).map(Due::Day)
        }
        toml::Value::String(s) => match Due::parse_period(s) {
            Some(due) => Some(due),
            None => {
                l.error(Code::BadTime, format!("cannot read `due` \"{s}\""), sp(&d.span)).hint(DUE_HINT);
                None
            }
        },
        _ => {
            l.error(Code::WrongType, "`due` takes a date, a month or a quarter", sp(&d.span)).hint(DUE_HINT);
            None
        }
    }
}
