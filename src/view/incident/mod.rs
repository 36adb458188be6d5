//! The postmortem's view: one `IncidentView` per record, one file per section.

mod actions;
mod causes;
mod commits;
mod header;
mod impact;
mod parts;
mod runbooks;
mod timeline;

pub use actions::{ActionGroup, ActionView, ActionsView, action_anchor};
pub use causes::{CauseView, CausesView};
pub use commits::CommitView;
pub use header::{FigureView, GlanceItem, MomentView};
pub use impact::{ImpactView, MetricView, WindowView};
pub use parts::*;
pub use runbooks::{RunbookView, StepView};
pub use timeline::{EntryView, TimelineView};

use super::ViewOptions;
use super::text::{Text, time_of};
use crate::model::*;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Serialize)]
pub struct IncidentView {
    pub slug: String,
    pub id: String,
    pub title: String,
    pub date: String,
    pub status: String,
    pub severity: Option<String>,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    /// "UTC", or "Europe/Berlin (UTC+01:00)".
    pub timezone: String,
    pub summary: String,
    /// Severity, status, impact, users, response times and services, as cards.
    pub glance: Vec<GlanceItem>,
    pub moments: Vec<MomentView>,
    pub response: Vec<FigureView>,
    /// "started" or "detected": what time-to-X is measured from.
    pub response_basis: Option<String>,
    pub impact: ImpactView,
    pub timeline: TimelineView,
    pub causes: CausesView,
    pub commits: Vec<CommitView>,
    /// Commits found in history that name this incident.
    pub referenced_by: Vec<CommitView>,
    pub changes: Vec<ChangeView>,
    pub lessons: Vec<LessonView>,
    pub actions: ActionsView,
    pub verification: VerificationView,
    pub effort: EffortView,
    pub runbooks: Vec<RunbookView>,
    pub links: Vec<LinkView>,
    pub related: Vec<RelatedView>,
    /// Custom sections, by the standard section they follow.
    pub sections: SectionsView,
    pub conclusion: Option<String>,
    pub created: Option<String>,
    pub updated: Option<String>,
    /// An inline SVG strip of the key moments (set in the book).
    pub figure: Option<String>,
}

/// What every section of an incident's view is made with.
struct Scope<'a> {
    inc: &'a Incident,
    o: &'a ViewOptions<'a>,
    t: Text,
    zone: &'a Zone,
    /// The timeline covers more than one day: times show their date.
    spans_days: bool,
    /// Times carry different UTC offsets (a daylight-saving change): each shows its own.
    mixed_offsets: bool,
    /// `[[commits]]` notes by commit.
    notes: HashMap<CommitKey, Option<String>>,
}

impl<'a> Scope<'a> {
    fn new(inc: &'a Incident, o: &'a ViewOptions<'a>) -> Scope<'a> {
        let zone = &inc.zone;
        let (offsets, days) = header::offsets_and_days(inc);
        Scope {
            inc,
            o,
            t: Text,
            zone,
            spans_days: days > 1,
            mixed_offsets: offsets.len() > 1,
            notes: inc.commits.iter().map(|c| (c.commit.key(), c.note.clone())).collect(),
        }
    }

    fn commit(&self, c: &CommitRef) -> CommitView {
        commits::commit_view(c, self.o.git, self.notes.get(&c.key()).cloned().flatten().as_deref(), &self.t)
    }

    fn commits(&self, list: &[CommitRef]) -> Vec<CommitView> {
        list.iter().map(|c| self.commit(c)).collect()
    }

    /// The `[[links]]` entry a `source` key names.
    fn link(&self, id: &Option<Located<String>>) -> Option<LinkView> {
        let id = id.as_ref()?;
        self.inc.links.iter().find(|l| l.id.as_deref() == Some(id.value.as_str())).map(|l| parts::link_view(l, &self.t))
    }

    /// A moment with its date and offset.
    fn when(&self, w: &When) -> String {
        time_of(w, self.zone, true, true)
    }
}

/// Builds the view of one incident.
pub fn incident(inc: &Incident, o: &ViewOptions<'_>) -> IncidentView {
    let s = Scope::new(inc, o);
    let t = &s.t;
    let (response, response_basis) = header::response(inc);
    let impact = impact::impact_view(&s);
    IncidentView {
        glance: header::glance(&s, &impact, &response),
        slug: inc.slug.clone(),
        id: t.line(&inc.id),
        title: t.line(&inc.title),
        date: inc.date.to_string(),
        status: inc.status.as_str().to_string(),
        severity: inc.severity.as_ref().map(|sev| t.line(&sev.value)),
        services: t.lines(&inc.services),
        tags: t.lines(&inc.tags),
        authors: t.lines(&inc.authors),
        timezone: header::zone_label(inc),
        summary: t.md(&inc.summary),
        moments: header::moments(&s),
        response,
        response_basis,
        impact,
        timeline: timeline::timeline(&s),
        causes: causes::causes(&s),
        commits: inc.all_commit_refs().into_iter().map(|c| s.commit(c)).collect(),
        referenced_by: commits::referenced_by(&s),
        changes: parts::changes(&s),
        lessons: parts::lessons(&s),
        actions: actions::actions_view(&s),
        verification: parts::verification(&s),
        effort: parts::effort(&s),
        runbooks: inc.runbooks.iter().map(|rb| runbooks::runbook_view(rb, &s)).collect(),
        links: inc.links.iter().map(|l| parts::link_view(l, t)).collect(),
        related: parts::related(&s),
        sections: parts::sections(&s),
        conclusion: t.md_opt(&inc.conclusion),
        created: inc.created.as_ref().map(|w| time_of(w, s.zone, true, w.precision != Precision::Day)),
        updated: inc.updated.as_ref().map(|w| time_of(w, s.zone, true, w.precision != Precision::Day)),
        // The strip of key moments is drawn in the book, not in a standalone postmortem.
        figure: o.book_links.and_then(|_| header::strip(inc)),
    }
}
