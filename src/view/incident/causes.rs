//! Causes, by role, each with its chain.

use super::{CommitView, Scope};
use crate::model::*;
use crate::view::text::Text;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct CausesView {
    pub any: bool,
    pub root: Vec<CauseView>,
    pub contributing: Vec<CauseView>,
    pub trigger: Vec<CauseView>,
    /// The causal graph as an indented "why" tree, one line per node, from the
    /// primary cause (then every other cause nothing else leads to) down through
    /// `because_of`; empty when no cause names another.
    pub why: Vec<WhyLine>,
}

/// One line of the "why" tree.
#[derive(Debug, Serialize)]
pub struct WhyLine {
    /// 0 for a tree's top; each level deeper is one `because_of` step.
    pub depth: usize,
    /// Spaces that nest a markdown list item at `depth` (two per level).
    pub indent: String,
    pub title: String,
    pub role: String,
    pub primary: bool,
    /// Already shown above with its own causes (several causes lead to it).
    pub repeated: bool,
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
    /// Titles of the causes that led to this one: its direct causes, side by side.
    pub because_of: Vec<String>,
    /// Titles of the causes this one led to.
    pub led_to: Vec<String>,
}

pub(super) fn causes(s: &Scope<'_>) -> CausesView {
    let (inc, t) = (s.inc, &s.t);
    let cause_title = |id: &str| {
        inc.causes.iter().find(|c| c.id.as_deref() == Some(id)).map(|c| t.line(&c.title)).unwrap_or_else(|| t.line(id))
    };
    let mut causes = CausesView {
        any: !inc.causes.is_empty(),
        root: vec![],
        contributing: vec![],
        trigger: vec![],
        why: why_tree(inc, t),
    };
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
            fix_time: c.fix_time.as_ref().map(|d| d.written.clone()),
            commits: s.commits(&c.commits),
            found: c.found.as_ref().map(|w| s.when(w)),
            because_of: c.because_of.iter().map(|b| cause_title(&b.value)).collect(),
            led_to: match &c.id {
                Some(id) => inc
                    .causes
                    .iter()
                    .filter(|o| o.because_of.iter().any(|b| &b.value == id))
                    .map(|o| t.line(&o.title))
                    .collect(),
                None => vec![],
            },
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

/// The causal graph, flattened for a nested list: each tree starts at a cause that
/// no other cause names in `because_of` (the primary cause first) and goes down
/// through its direct causes. A cause reached twice is shown again but not
/// expanded again, so the tree stays small and finite whatever the record says
/// (cycles are rejected by `check`; causes only a cycle reaches get a tree too).
fn why_tree(inc: &Incident, t: &Text) -> Vec<WhyLine> {
    let causes = &inc.causes;
    if causes.iter().all(|c| c.because_of.is_empty()) {
        return Vec::new();
    }
    let by_id = |id: &str| causes.iter().position(|c| c.id.as_deref() == Some(id));
    let named: std::collections::HashSet<usize> =
        causes.iter().flat_map(|c| c.because_of.iter().filter_map(|b| by_id(&b.value))).collect();
    let mut starts: Vec<usize> = (0..causes.len()).filter(|i| !named.contains(i)).collect();
    starts.sort_by_key(|&i| (!causes[i].primary, i));
    starts.extend((0..causes.len()).filter(|i| named.contains(i)));
    let mut lines = Vec::new();
    let mut expanded = vec![false; causes.len()];
    for start in starts {
        if expanded[start] {
            continue;
        }
        // Depth-first; `Err` is a `because_of` naming no cause (left out of a public page).
        let mut stack: Vec<(Result<usize, &str>, usize)> = vec![(Ok(start), 0)];
        while let Some((node, depth)) = stack.pop() {
            let line = |title: String, role: &str, primary: bool, repeated: bool| WhyLine {
                depth,
                indent: "  ".repeat(depth),
                title,
                role: role.to_string(),
                primary,
                repeated,
            };
            let i = match node {
                Ok(i) => i,
                Err(name) => {
                    lines.push(line(t.line(name), "", false, false));
                    continue;
                }
            };
            let c = &causes[i];
            let repeated = expanded[i];
            lines.push(line(t.line(&c.title), c.role.as_str(), c.primary, repeated && !c.because_of.is_empty()));
            if repeated {
                continue;
            }
            expanded[i] = true;
            for b in c.because_of.iter().rev() {
                stack.push((by_id(&b.value).ok_or(b.value.as_str()), depth + 1));
            }
        }
    }
    lines
}
