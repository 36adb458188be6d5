//! The smaller parts: changes, lessons, verification, effort, links, related
//! incidents and custom sections.

use super::{CommitView, Scope};
use crate::figures;
use crate::markdown::code_span;
use crate::model::*;
use crate::view::text::Text;
use serde::Serialize;

/// A label and a value, for two-column tables.
#[derive(Debug, Serialize)]
pub struct Row {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct ChangeView {
    pub path: Option<String>,
    pub setting: Option<String>,
    /// The setting's value before, or "unknown" when the record does not say.
    pub from: Option<String>,
    /// The setting's value after, or "unknown".
    pub to: Option<String>,
    pub at: Option<String>,
    pub summary: Option<String>,
    pub commits: Vec<CommitView>,
    pub committed: bool,
}

#[derive(Debug, Serialize)]
pub struct LessonView {
    pub title: String,
    pub problem: Option<String>,
    pub takeaways: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct VerificationView {
    pub items: Vec<CheckItemView>,
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Serialize)]
pub struct CheckItemView {
    pub item: String,
    pub done: bool,
    pub by: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct EffortView {
    /// `label`: the activity, `value`: its duration as written.
    pub items: Vec<Row>,
    /// Computed from the items.
    pub total: Option<String>,
    /// The hand-typed `effort_total`, as written.
    pub stated: Option<String>,
    /// The hand-typed `effort_total`, when it differs from the computed total.
    pub stated_differs: Option<String>,
}

#[derive(Debug, Serialize, Clone)]
pub struct LinkView {
    pub id: Option<String>,
    pub title: String,
    /// The link target, escaped for markdown; none when its scheme is not published.
    pub url: Option<String>,
    pub kind: String,
    /// Markdown `[title](url)`, or the title alone when the target is not published.
    pub markdown: String,
}

#[derive(Debug, Serialize)]
pub struct RelatedView {
    pub key: String,
    pub title: Option<String>,
    pub href: Option<String>,
}

#[derive(Debug, Serialize, Default)]
pub struct SectionsView {
    pub summary: Vec<SectionView>,
    pub impact: Vec<SectionView>,
    pub timeline: Vec<SectionView>,
    pub causes: Vec<SectionView>,
    pub changes: Vec<SectionView>,
    pub lessons: Vec<SectionView>,
    pub actions: Vec<SectionView>,
    pub verification: Vec<SectionView>,
    pub effort: Vec<SectionView>,
    pub runbook: Vec<SectionView>,
    pub conclusion: Vec<SectionView>,
}

#[derive(Debug, Serialize)]
pub struct SectionView {
    pub title: String,
    pub body: Option<String>,
}

pub(super) fn changes(s: &Scope<'_>) -> Vec<ChangeView> {
    s.inc
        .changes
        .iter()
        .map(|c| {
            let (path, setting, from, to) = match &c.target {
                ChangeTarget::File(p) => (Some(code_span(p)), None, None, None),
                ChangeTarget::Setting { name, from, to } => {
                    // Absent is unknown, never a value such as "(unset)" (FORMAT.md).
                    let value = |v: &Option<String>| v.as_deref().map_or_else(|| "unknown".to_string(), code_span);
                    let given = from.is_some() || to.is_some();
                    (None, Some(code_span(name)), given.then(|| value(from)), given.then(|| value(to)))
                }
            };
            ChangeView {
                path,
                setting,
                from,
                to,
                at: c.at.as_ref().map(|w| s.when(w)),
                summary: s.t.md_opt(&c.summary),
                commits: s.commits(&c.commits),
                committed: c.committed,
            }
        })
        .collect()
}

pub(super) fn lessons(s: &Scope<'_>) -> Vec<LessonView> {
    let t = &s.t;
    s.inc
        .lessons
        .iter()
        .map(|l| LessonView {
            title: t.line(&l.title),
            problem: t.md_opt(&l.problem).map(crate::markdown::after_label),
            takeaways: l.takeaways.iter().map(|x| crate::markdown::list_item(t.md(x))).collect(),
        })
        .collect()
}

pub(super) fn verification(s: &Scope<'_>) -> VerificationView {
    let items = &s.inc.verification;
    VerificationView {
        done: items.iter().filter(|v| v.done).count(),
        total: items.len(),
        items: items
            .iter()
            .map(|v| CheckItemView { item: s.t.line(&v.item), done: v.done, by: s.t.line_opt(&v.by) })
            .collect(),
    }
}

pub(super) fn effort(s: &Scope<'_>) -> EffortView {
    let inc = s.inc;
    let total = figures::effort_total(inc);
    EffortView {
        items: inc
            .effort
            .iter()
            .map(|e| Row { label: s.t.cell(&e.activity), value: e.duration.written.clone() })
            .collect(),
        total: (!inc.effort.is_empty()).then(|| total.to_string()),
        stated: inc.effort_total.as_ref().map(|st| st.written.clone()),
        stated_differs: inc.effort_total.as_ref().filter(|st| st.value != total).map(|st| st.written.clone()),
    }
}

pub(super) fn related(s: &Scope<'_>) -> Vec<RelatedView> {
    s.inc
        .related
        .iter()
        .map(|r| {
            let found = s.o.book_links.and_then(|b| b.incident(&r.value));
            RelatedView {
                key: s.t.line(&r.value),
                title: found.as_ref().map(|(title, _)| s.t.line(title)),
                href: found.map(|(_, h)| h),
            }
        })
        .collect()
}

pub(super) fn sections(s: &Scope<'_>) -> SectionsView {
    let mut sections = SectionsView::default();
    for x in &s.inc.sections {
        let v = SectionView { title: s.t.line(&x.title), body: s.t.md_opt(&x.body) };
        let slot = match x.after {
            SectionAnchor::Summary => &mut sections.summary,
            SectionAnchor::Impact => &mut sections.impact,
            SectionAnchor::Timeline => &mut sections.timeline,
            SectionAnchor::Causes => &mut sections.causes,
            SectionAnchor::Changes => &mut sections.changes,
            SectionAnchor::Lessons => &mut sections.lessons,
            SectionAnchor::Actions => &mut sections.actions,
            SectionAnchor::Verification => &mut sections.verification,
            SectionAnchor::Effort => &mut sections.effort,
            SectionAnchor::Runbook => &mut sections.runbook,
            SectionAnchor::Conclusion => &mut sections.conclusion,
        };
        slot.push(v);
    }
    sections
}

pub(super) fn link_view(l: &Link, t: &Text) -> LinkView {
    let title = t.line(l.title.as_deref().unwrap_or(&l.url));
    let url = crate::markdown::link_destination(&l.url);
    LinkView {
        id: t.line_opt(&l.id),
        markdown: crate::markdown::link(&title, &l.url),
        title,
        url,
        kind: l.kind.as_str().to_string(),
    }
}
