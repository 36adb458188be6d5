//! `casebook commits`: every link between incidents and commits, both ways.

use super::output::{Depth, Global, load_and_check, plural, print};
use super::{Format, Status};
use crate::diag::terminal_safe;
use crate::error::{Error, Result};
use crate::git::{self, GitFacts};
use crate::model::Incident;

#[derive(clap::Args, Debug)]
pub struct CommitsArgs {
    /// Only this record (slug or id)
    pub record: Option<String>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
}

/// One row of `casebook commits`.
#[derive(serde::Serialize)]
struct CommitLink {
    incident: String,
    commit: String,
    /// "cites" (the record names the commit) or "references" (the commit names the incident).
    direction: &'static str,
    status: String,
    summary: String,
    via: String,
    url: Option<String>,
}

/// Every commit a record cites, then every commit whose message names it.
fn links(inc: &Incident, facts: &GitFacts) -> Vec<CommitLink> {
    let mut rows = Vec::new();
    for c in inc.all_commit_refs() {
        let (status, summary, url, full) = match facts.resolved(&c.key()) {
            Some(res) => match &res.resolution {
                git::Resolution::Found(i) => {
                    (res.resolution.status().to_string(), i.summary.clone(), res.url.clone(), i.id.clone())
                }
                other => (other.status().to_string(), String::new(), res.url.clone(), c.key().to_string()),
            },
            None => ("unknown repository".to_string(), String::new(), None, c.key().to_string()),
        };
        rows.push(CommitLink {
            incident: inc.id.clone(),
            commit: full,
            direction: "cites",
            status,
            summary,
            via: "record".to_string(),
            url,
        });
    }
    for m in facts.mentions_of(&inc.id) {
        rows.push(CommitLink {
            incident: inc.id.clone(),
            commit: m.commit.id.clone(),
            direction: "references",
            status: "verified".to_string(),
            summary: m.commit.summary.clone(),
            via: match &m.closes_action {
                Some(a) => format!("Closes-Action {a}"),
                None => m.via.to_string(),
            },
            url: m.url.clone(),
        });
    }
    rows
}

pub fn run(g: &Global, args: &CommitsArgs) -> Result<Status> {
    let depth = Depth { git: git::Depth { history: true, files: false }, warnings: true, personal: false };
    let (book, facts) = load_and_check(g, &[], depth);
    let incidents: Vec<&Incident> = match &args.record {
        Some(t) => {
            let r = book.find(t).ok_or_else(|| Error::Usage(format!("no record with slug or id \"{t}\"")))?;
            vec![&r.incident]
        }
        None => book.records.iter().map(|r| &r.incident).collect(),
    };
    let rows: Vec<CommitLink> = incidents.iter().flat_map(|i| links(i, &facts)).collect();
    let mut text = String::new();
    for row in &rows {
        match args.format {
            Format::Json => {
                text.push_str(&serde_json::to_string(row).map_err(|e| Error::io("stdout", std::io::Error::other(e)))?);
                text.push('\n');
            }
            Format::Human => {
                let short: String = row.commit.chars().take(12).collect();
                text.push_str(&format!(
                    "{:<14} {:<10} {:<12} {:<24} {}{}\n",
                    terminal_safe(&row.incident),
                    row.direction,
                    short,
                    row.status,
                    terminal_safe(&row.summary),
                    row.url.as_deref().map(|u| format!("  <{u}>")).unwrap_or_default()
                ));
            }
        }
    }
    print(&text)?;
    g.done(&format!(
        "{} link{} across {} record{}",
        rows.len(),
        plural(rows.len()),
        incidents.len(),
        plural(incidents.len())
    ));
    Ok(Status::Success)
}
