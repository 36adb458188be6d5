//! The views of the book's pages besides the postmortems: the overview, the
//! indexes, the action tracker, the commit index, the runbooks and symptom index,
//! the archive pages and `SUMMARY.md`. The book decides where each page lives (a
//! [`Site`]); these views say what each page shows, ready to print.

mod archive;
mod indexes;
mod overview;
mod runbooks;
mod summary;
mod tracker;

pub use crate::view::text::anchor;
pub use archive::{ArchiveMember, ArchivePostmortem, ArchiveView, archive, archive_anchor};
pub use indexes::{CommitIndexView, IndexGroup, IndexView, IndexedCommitView, by_key, commit_index};
pub use overview::{OverviewView, overview};
pub use runbooks::{
    MergedRunbook, RunbookListRow, RunbookListView, RunbookPageView, SymptomRow, SymptomsView, merge_runbooks,
    runbook_list, runbook_page, symptoms,
};
pub use summary::{SummaryView, summary};
pub use tracker::{TrackerView, tracker};

use crate::markdown::inline_text;
use crate::model::Incident;
use serde::Serialize;
use std::collections::HashMap;

/// Where the book puts things, from its `src/` folder.
pub trait Site {
    /// The page (and anchor) holding an incident: `incidents/SLUG.md`, or a section
    /// of its month's archive page.
    fn incident_page(&self, inc: &Incident) -> String;
    /// A runbook's page file name under `runbooks/`.
    fn runbook_file(&self, id: &str) -> String;
    /// The incidents that have a page of their own, newest first.
    fn incident_pages(&self) -> Vec<&Incident>;
}

/// One incident as the index pages list it.
#[derive(Debug, Serialize)]
pub struct IncidentRow {
    pub date: String,
    /// `[ID · Title](incidents/slug.md)`, from the book's src/ folder.
    pub link: String,
    /// `incidents/slug.md`, or `archive/2025-01.md#anchor` for an archived incident.
    #[serde(skip)]
    pub target: String,
    /// The severity, or `–`.
    pub severity: String,
    pub status: String,
    pub services: String,
}

/// Each incident's link and table row, made once (on every core) for all the index
/// pages that list it.
pub struct Listing {
    rows: Vec<IncidentRow>,
    by_slug: HashMap<String, usize>,
}

impl Listing {
    pub fn new(incidents: &[&Incident], site: &(dyn Site + Sync)) -> Listing {
        use rayon::prelude::*;
        let rows: Vec<IncidentRow> = incidents
            .par_iter()
            .map(|i| {
                let target = site.incident_page(i);
                IncidentRow {
                    date: i.date.to_string(),
                    link: link_to(i, &target),
                    target,
                    severity: i.severity.as_ref().map_or("–".to_string(), |s| inline_text(&s.value)),
                    status: i.status.to_string(),
                    services: i.services.iter().map(|s| inline_text(s)).collect::<Vec<_>>().join(", "),
                }
            })
            .collect();
        let by_slug = incidents.iter().enumerate().map(|(n, i)| (i.slug.clone(), n)).collect();
        Listing { rows, by_slug }
    }

    /// The row of an incident.
    pub fn row(&self, inc: &Incident) -> &IncidentRow {
        &self.rows[self.by_slug[&inc.slug]]
    }

    /// The rows of several incidents, in their order.
    pub fn rows<'a>(&'a self, incidents: &[&Incident]) -> Vec<&'a IncidentRow> {
        incidents.iter().map(|i| self.row(i)).collect()
    }
}

/// `[ID · Title](target)`.
pub fn link_to(inc: &Incident, target: &str) -> String {
    format!("[{} · {}]({target})", inline_text(&inc.id), inline_text(&inc.title))
}

/// "s" for counts other than one.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
