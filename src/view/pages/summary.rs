//! `SUMMARY.md`: mdBook's table of contents.

use super::{Site, plural};
use crate::markdown::inline_text;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct SummaryView {
    pub runbooks: Vec<SummaryRunbook>,
    pub incidents: Vec<SummaryIncident>,
    pub archive: Vec<SummaryMonth>,
}

#[derive(Debug, Serialize)]
pub struct SummaryRunbook {
    pub title: String,
    pub file: String,
}

#[derive(Debug, Serialize)]
pub struct SummaryIncident {
    pub date: String,
    pub title: String,
    pub page: String,
}

#[derive(Debug, Serialize)]
pub struct SummaryMonth {
    pub month: String,
    pub count: usize,
    pub plural: &'static str,
}

/// The incidents with a page of their own, the archive months (with how many
/// incidents each holds) and the runbooks (id, title).
pub fn summary(site: &dyn Site, months: &[(String, usize)], runbooks: &[(&str, &str)]) -> SummaryView {
    SummaryView {
        runbooks: runbooks
            .iter()
            .map(|(id, title)| SummaryRunbook { title: inline_text(title), file: site.runbook_file(id) })
            .collect(),
        incidents: site
            .incident_pages()
            .into_iter()
            .map(|i| SummaryIncident {
                date: i.date.to_string(),
                title: inline_text(&i.title),
                page: site.incident_page(i),
            })
            .collect(),
        archive: months
            .iter()
            .map(|(month, n)| SummaryMonth { month: month.clone(), count: *n, plural: plural(*n) })
            .collect(),
    }
}
