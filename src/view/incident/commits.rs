//! Commits: those a record cites, and those whose message names the incident.

use super::Scope;
use crate::git::{GitFacts, Mention, Resolution};
use crate::markdown::code_span;
use crate::markdown::inline_text;
use crate::model::*;
use crate::view::text::{Text, fmt_date};
use serde::Serialize;

#[derive(Debug, Serialize, Clone)]
pub struct CommitView {
    /// As written in the record.
    pub cited: String,
    pub sha: String,
    pub short: String,
    pub repository: Option<String>,
    pub summary: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub files: Vec<String>,
    /// The files for a table cell: up to five, then "+N more".
    pub files_cell: String,
    pub url: Option<String>,
    /// "verified", "not found", "ambiguous", "unverified".
    pub status: String,
    pub verified: bool,
    pub note: Option<String>,
    /// Markdown: `abc1234` linked when a URL is known.
    pub link: String,
}

/// Commits whose message names the incident, each once.
pub(super) fn referenced_by(s: &Scope<'_>) -> Vec<CommitView> {
    s.o.git.mentions_of(&s.inc.id).map(|m| mention_view(m, &s.t)).fold(Vec::<CommitView>::new(), |mut acc, v| {
        if !acc.iter().any(|a| a.sha == v.sha) {
            acc.push(v);
        }
        acc
    })
}

pub(super) fn commit_view(c: &CommitRef, git: &GitFacts, note: Option<&str>, t: &Text) -> CommitView {
    let resolved = git.resolved(&c.key());
    let (sha, summary, author, date, files, status, verified) = match resolved.map(|r| &r.resolution) {
        Some(Resolution::Found(info)) => (
            info.id.clone(),
            Some(t.line(&info.summary)),
            Some(t.line(&info.author)),
            Some(fmt_date(&info.time)),
            info.files.iter().map(|f| code_span(f)).collect(),
            Resolution::Found(info.clone()).status(),
            true,
        ),
        Some(Resolution::Missing { .. }) => (c.sha.clone(), None, None, None, vec![], "not found", false),
        Some(Resolution::Ambiguous(_)) => (c.sha.clone(), None, None, None, vec![], "ambiguous", false),
        _ => (c.sha.clone(), None, None, None, vec![], "unverified", false),
    };
    let short: String = sha.chars().take(7.max(c.sha.len().min(12))).collect();
    let url = resolved.and_then(|r| r.url.clone());
    let link = crate::markdown::commit_link(&short, url.as_deref());
    let files_cell = files_cell(&files);
    CommitView {
        cited: inline_text(&c.key().to_string()),
        sha,
        short,
        repository: c.repository.as_deref().map(inline_text),
        summary,
        author,
        date,
        files,
        files_cell,
        url,
        status: status.to_string(),
        verified,
        note: note.map(crate::markdown::cell_markdown).filter(|n| !n.is_empty()),
        link,
    }
}

fn files_cell(files: &[String]) -> String {
    let mut s = files.iter().take(5).cloned().collect::<Vec<_>>().join("<br>");
    if files.len() > 5 {
        s.push_str(&format!("<br>+{} more", files.len() - 5));
    }
    s
}

pub(super) fn mention_view(m: &Mention, t: &Text) -> CommitView {
    let short: String = m.commit.id.chars().take(7).collect();
    let link = crate::markdown::commit_link(&short, m.url.as_deref());
    CommitView {
        cited: m.commit.id.clone(),
        sha: m.commit.id.clone(),
        short,
        repository: m.repository.as_deref().map(inline_text),
        summary: Some(t.line(&m.commit.summary)),
        author: Some(t.line(&m.commit.author)),
        date: Some(fmt_date(&m.commit.time)),
        files: vec![],
        files_cell: String::new(),
        link,
        url: m.url.clone(),
        status: "verified".to_string(),
        verified: true,
        note: Some(match &m.closes_action {
            Some(a) => format!("closes action {a}"),
            None => format!("references this incident ({})", m.via),
        }),
    }
}
