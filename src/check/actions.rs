//! Action items: unique ids, overdue work, and `closed` with work still open.

use crate::diag::{Code, Diagnostic};
use crate::model::*;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;

pub(super) fn actions(inc: &Incident, path: &Path, today: NaiveDate, d: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &ActionItem> = HashMap::new();
    for a in &inc.actions {
        if let Some(first) = seen.insert(a.id.as_str(), a) {
            let (dup, orig) = if a.explicit_id { (a, first) } else { (first, a) };
            let why = if dup.explicit_id && !orig.explicit_id {
                format!("action id \"{}\" equals the default id of the action at position {}", dup.id, &orig.id[1..])
            } else {
                format!("action id \"{}\" is used twice", dup.id)
            };
            d.push(
                Diagnostic::new(Code::DuplicateId, why)
                    .at(path, dup.span)
                    .also(path, orig.span, "the other action")
                    .hint("give the action another id; actions without one are numbered A1, A2... by position"),
            );
        }
        if let Some(due) = a.due.filter(|_| inc.is_overdue(a, today)) {
            let judged = match inc.actions_as_of {
                Some(day) => format!(" on {day} (`actions_as_of`)"),
                None => String::new(),
            };
            d.push(
                Diagnostic::new(
                    Code::OverdueAction,
                    format!("action {} \"{}\" was due {due} and is still {}{judged}", a.id, a.title, a.status),
                )
                .at(path, a.span)
                .hint(
                    "update `status` (done, deferred, dropped) or move `due`; for a historical record nobody \
                     follows up, set `actions_as_of` to the day the statuses were last brought up to date",
                ),
            );
        }
    }
}

/// `closed` means every action done, deferred or dropped and verification complete.
pub(super) fn closed_with_open_work(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    if inc.status != Status::Closed {
        return;
    }
    let open: Vec<&str> = inc.actions.iter().filter(|a| a.status.is_pending()).map(|a| a.id.as_str()).collect();
    let unverified = inc.verification.iter().filter(|v| !v.done).count();
    if open.is_empty() && unverified == 0 {
        return;
    }
    let mut what = Vec::new();
    if !open.is_empty() {
        what.push(format!("open actions {}", open.join(", ")));
    }
    if unverified > 0 {
        what.push(format!("{unverified} verification item(s) not done"));
    }
    d.push(
        Diagnostic::new(Code::ClosedWithOpenWork, format!("status is \"closed\" but there are {}", what.join(" and ")))
            .in_file(path)
            .hint("closed means every action is done, deferred or dropped and verification is complete; use \"resolved\" until then"),
    );
}
