//! Causes, by role, each with its chain.

use super::{CommitView, Scope};
use crate::model::*;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct CausesView {
    pub any: bool,
    pub root: Vec<CauseView>,
    pub contributing: Vec<CauseView>,
    pub trigger: Vec<CauseView>,
}

#[derive(Debug, Serialize)]
pub struct CauseView {
    pub id: Option<String>,
    pub title: String,
    pub role: String,
    pub kind: Option<String>,
    pub primary: bool,
    pub description: Option<String>,
    pub impact: Option<String>,
    pub fix: Option<String>,
    pub fix_time: Option<String>,
    pub commits: Vec<CommitView>,
    pub found: Option<String>,
    /// Titles of the causes that led to this one.
    pub because_of: Vec<String>,
}

pub(super) fn causes(s: &Scope<'_>) -> CausesView {
    let (inc, t) = (s.inc, &s.t);
    let cause_title = |id: &str| {
        inc.causes.iter().find(|c| c.id.as_deref() == Some(id)).map(|c| t.line(&c.title)).unwrap_or_else(|| t.line(id))
    };
    let mut causes = CausesView { any: !inc.causes.is_empty(), root: vec![], contributing: vec![], trigger: vec![] };
    for c in &inc.causes {
        let v = CauseView {
            id: t.line_opt(&c.id),
            title: t.line(&c.title),
            role: c.role.as_str().to_string(),
            kind: t.line_opt(&c.kind),
            primary: c.primary,
            description: t.md_opt(&c.description),
            impact: t.md_opt(&c.impact).map(crate::markdown::after_label),
            fix: t.md_opt(&c.fix).map(crate::markdown::after_label),
            fix_time: c.fix_time.map(|d| d.to_string()),
            commits: s.commits(&c.commits),
            found: c.found.as_ref().map(|w| s.when(w)),
            because_of: c.because_of.iter().map(|b| cause_title(&b.value)).collect(),
        };
        match c.role {
            CauseRole::Root => causes.root.push(v),
            CauseRole::Contributing => causes.contributing.push(v),
            CauseRole::Trigger => causes.trigger.push(v),
        }
    }
    // The primary cause leads its group.
    causes.root.sort_by_key(|c| !c.primary);
    causes
}
