//! The rules of FORMAT.md that span more than one value: ordering, uniqueness,
//! references, cross-checks of stated figures, overdue work, the scan of the source
//! text for secrets and personal data, and what the git layer found.

mod actions;
mod causes;
mod figures;
mod git;
mod links;
mod references;
mod scan;
mod time;

pub use git::git_checks;
pub use scan::{scan_secrets, scan_text};

use crate::config::Config;
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::load::{Casebook, Record};
use crate::model::*;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;

/// What the checks need besides the records.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions {
    /// The day overdue actions and stale runbooks are judged on.
    pub today: NaiveDate,
    /// Keep warnings too. `build` shows only errors, and on a large casebook its
    /// warnings (tens of thousands) took a sixth of its memory.
    pub warnings: bool,
}

/// Runs every check over every loaded record.
pub fn run(book: &Casebook, opts: &CheckOptions) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let mut out: Vec<Diagnostic> = book
        .records
        .par_iter()
        .flat_map_iter(|r| {
            let mut d = record_checks(r, &book.config, opts);
            // Loading may have scanned the texts already (and let them go).
            if book.scanned.is_none()
                && let Some(text) = book.sources.get(&r.path)
            {
                d.extend(scan_text(&r.path, &text));
            }
            if !opts.warnings {
                d.retain(Diagnostic::is_error);
            }
            d
        })
        .collect();
    // What loading's scan found (secrets only: errors).
    out.extend(book.scanned.iter().flatten().filter(|d| opts.warnings || d.is_error()).cloned());
    out.extend(references::cross_record_checks(book).into_iter().filter(|d| opts.warnings || d.is_error()));
    out
}

/// The checks of one record on its own (not those across records, nor git's).
pub fn record_checks(rec: &Record, config: &Config, opts: &CheckOptions) -> Vec<Diagnostic> {
    let inc = &rec.incident;
    let path = rec.path.as_path();
    let mut d = Vec::new();
    time::timeline_order(inc, path, &mut d);
    time::periods(inc, path, &mut d);
    time::moment_order(inc, path, &mut d);
    causes::causes(inc, path, &mut d);
    actions::actions(inc, path, opts.today, &mut d);
    actions::closed_with_open_work(inc, path, &mut d);
    links::links(inc, path, &mut d);
    figures::cross_check(inc, path, &mut d);
    severity(inc, path, config, &mut d);
    runbook_reviews(inc, path, config, opts.today, &mut d);
    repositories(inc, path, config, &mut d);
    d
}

/// The severity is one of the configured levels.
fn severity(inc: &Incident, path: &Path, config: &Config, d: &mut Vec<Diagnostic>) {
    let Some(sev) = &inc.severity else { return };
    let levels = &config.severity_levels;
    if levels.contains(&sev.value) {
        return;
    }
    let diag = Diagnostic::new(Code::UnknownSeverity, format!("severity \"{}\" is not a configured level", sev.value))
        .at(path, sev.span)
        .label("unknown level");
    d.push(match did_you_mean(&sev.value, levels.iter().map(String::as_str)) {
        Some(s) => diag.hint(format!("did you mean \"{s}\"? Levels: {}", levels.join(", "))),
        None => diag.hint(format!("use one of {}, or add it to [severity] levels in casebook.toml", levels.join(", "))),
    });
}

/// Runbooks reviewed longer ago than the configured review age.
fn runbook_reviews(inc: &Incident, path: &Path, config: &Config, today: NaiveDate, d: &mut Vec<Diagnostic>) {
    for rb in &inc.runbooks {
        let Some(reviewed) = rb.reviewed else { continue };
        let age = (today - reviewed).num_days();
        if age > config.review_days {
            d.push(
                Diagnostic::new(Code::StaleRunbook, format!("runbook `{}` was last reviewed {age} days ago", rb.id))
                    .at(path, rb.span)
                    .hint(format!(
                        "walk through it, then set `reviewed = {today}` (review age: {} days)",
                        config.review_days
                    )),
            );
        }
    }
}

/// Every `repo@sha` names a configured repository.
fn repositories(inc: &Incident, path: &Path, config: &Config, d: &mut Vec<Diagnostic>) {
    for c in inc.all_commit_refs() {
        let Some(repo) = &c.repository else { continue };
        if config.repository(repo).is_some() {
            continue;
        }
        let known: Vec<&str> = config.repositories.iter().map(|r| r.name.as_str()).collect();
        let hint = match did_you_mean(repo, known.iter().copied()) {
            Some(s) => format!("did you mean \"{s}\"?"),
            None if known.is_empty() => {
                "configure it in casebook.toml: [[repositories]] name = \"...\" path = \"...\"".to_string()
            }
            None => format!("configured repositories: {}", known.join(", ")),
        };
        d.push(
            Diagnostic::new(Code::UnknownRepository, format!("repository \"{repo}\" is not configured"))
                .at(path, c.span)
                .hint(hint),
        );
    }
}

/// Diagnostics from loading and checks, ordered by file, then position, then code.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    // Paths compare component by component, which is slow: rank the distinct ones once
    // (tens of thousands of diagnostics share ten thousand paths), then sort on ranks.
    let distinct: std::collections::BTreeSet<&Path> = diags.iter().filter_map(|d| d.path.as_deref()).collect();
    let rank: HashMap<&Path, usize> = distinct.into_iter().enumerate().map(|(i, p)| (p, i)).collect();
    let mut keyed: Vec<(Option<usize>, Option<usize>, Code, usize)> = diags
        .iter()
        .enumerate()
        .map(|(i, d)| (d.path.as_deref().map(|p| rank[p]), d.span.map(|s| s.start), d.code, i))
        .collect();
    keyed.sort_by(|a, b| {
        (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)).then_with(|| diags[a.3].message.cmp(&diags[b.3].message))
    });
    let mut all: Vec<Option<Diagnostic>> = std::mem::take(diags).into_iter().map(Some).collect();
    *diags = keyed.into_iter().filter_map(|k| all[k.3].take()).collect();
}
