//! Where everything goes in the book: which incidents have a page of their own and
//! which are in a month's archive page, the file of each page, and the files the
//! book's index pages are written to.

use crate::model::Incident;
use crate::view::BookLinks;
use crate::view::pages::{Site, archive_anchor};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Page file name for a runbook id (ids are safe names; anything else is made safe).
pub fn runbook_file(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '-' })
        .collect();
    format!("{}.md", safe.trim_matches('.'))
}

/// Where each incident's postmortem is in the book: a page of its own, or (past the
/// `[book] incident_pages` most recent) a section of its month's archive page.
pub struct Placement<'a> {
    /// Newest first.
    sorted: &'a [&'a Incident],
    by_slug: BTreeMap<&'a str, &'a Incident>,
    by_id: HashMap<&'a str, &'a Incident>,
    /// Archived incidents' months, by slug.
    archived: HashMap<&'a str, String>,
}

impl<'a> Placement<'a> {
    /// `sorted` is newest first: up to `pages` of the newest incidents get pages of their
    /// own; the archive takes whole months, so a month is never split between the two.
    pub fn new(sorted: &'a [&'a Incident], pages: usize) -> Placement<'a> {
        let mut by_id = HashMap::new();
        for i in sorted {
            by_id.entry(i.id.as_str()).or_insert(*i);
        }
        Placement {
            sorted,
            by_slug: sorted.iter().map(|i| (i.slug.as_str(), *i)).collect(),
            by_id,
            // Whole months: the month of the first incident past `pages`, and all older ones.
            archived: match sorted.get(pages).map(|i| i.month()) {
                Some(cut) => sorted.iter().map(|i| (i.slug.as_str(), i.month())).filter(|(_, m)| *m <= cut).collect(),
                None => HashMap::new(),
            },
        }
    }

    /// An incident by slug or id.
    pub fn find(&self, key: &str) -> Option<&'a Incident> {
        self.by_slug.get(key).or_else(|| self.by_id.get(key)).copied()
    }

    /// What the book renders: a page per recent incident, an archive page per older month.
    pub fn units(&self) -> Vec<Unit<'a>> {
        let mut units: Vec<Unit<'a>> = Vec::new();
        for inc in self.sorted {
            match self.archived.get(inc.slug.as_str()) {
                None => units.push(Unit::Page(inc)),
                Some(month) => match units.last_mut() {
                    Some(Unit::Month(m, members)) if m == month => members.push(inc),
                    _ => units.push(Unit::Month(month.clone(), vec![inc])),
                },
            }
        }
        units
    }
}

impl Site for Placement<'_> {
    fn incident_page(&self, inc: &Incident) -> String {
        match self.archived.get(inc.slug.as_str()) {
            Some(month) => format!("archive/{month}.md#{}", archive_anchor(&inc.slug)),
            None => format!("incidents/{}.md", inc.slug),
        }
    }

    fn runbook_file(&self, id: &str) -> String {
        runbook_file(id)
    }

    fn incident_pages(&self) -> Vec<&Incident> {
        self.sorted.iter().copied().filter(|i| !self.archived.contains_key(i.slug.as_str())).collect()
    }
}

/// Links from a page one folder below `src/` (an incident or archive page).
pub struct Links<'a> {
    pub placement: &'a Placement<'a>,
}

impl BookLinks for Links<'_> {
    fn runbook(&self, id: &str) -> Option<String> {
        Some(format!("../runbooks/{}", runbook_file(id)))
    }
    fn incident(&self, key: &str) -> Option<(String, String)> {
        let inc = self.placement.find(key)?;
        Some((inc.title.clone(), format!("../{}", self.placement.incident_page(inc))))
    }
}

/// What the book renders: a page for one incident, or a month's archive page.
pub enum Unit<'a> {
    Page(&'a Incident),
    Month(String, Vec<&'a Incident>),
}

impl Unit<'_> {
    pub fn path(&self) -> PathBuf {
        match self {
            Unit::Page(inc) => PathBuf::from("src/incidents").join(format!("{}.md", inc.slug)),
            Unit::Month(month, _) => PathBuf::from("src/archive").join(format!("{month}.md")),
        }
    }
}

/// The index pages' files (everything but the incident and archive pages), known
/// before they are made.
pub fn index_paths<'a>(runbook_ids: impl Iterator<Item = &'a str>) -> Vec<PathBuf> {
    let fixed = [
        "index.md",
        "by-month.md",
        "by-service.md",
        "by-severity.md",
        "by-cause.md",
        "by-tag.md",
        "actions.md",
        "commits.md",
        "symptoms.md",
        "runbooks/index.md",
        "SUMMARY.md",
    ];
    let runbook_pages = runbook_ids.map(|id| format!("runbooks/{}", runbook_file(id)));
    let mut paths: Vec<PathBuf> =
        fixed.into_iter().map(String::from).chain(runbook_pages).map(|f| Path::new("src").join(f)).collect();
    paths.sort();
    paths.dedup();
    paths
}
