//! The git layer: resolves every commit a record cites (full id, summary, author,
//! date, files touched, web link), and scans history for commits that point back
//! at incidents (`INC-2025-011` in a message, `Incident:` and `Closes-Action:` trailers).
//!
//! Each repository is opened once per run; no process is spawned per commit. The
//! layer reads incidents and the config; checks and views read what it found.

mod history;
mod remote;
mod repo;

pub use remote::commit_url_pattern;

use crate::config::Config;
use crate::model::{CommitKey, CommitRef, Incident};
use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use repo::{link, open_all, resolve_one};
use std::collections::{BTreeMap, HashMap};

/// What git says about a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: String,
    pub summary: String,
    pub author: String,
    pub time: DateTime<FixedOffset>,
    pub files: Vec<String>,
}

/// The outcome of resolving one cited commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Found(CommitInfo),
    /// Not in the repository; `shallow` when the clone's history is cut short.
    Missing {
        shallow: bool,
    },
    /// The prefix matches several commits.
    Ambiguous(Vec<String>),
    /// No repository on disk to check against (the reason says why).
    Unverified(String),
}

/// A resolved citation: the resolution plus the web link, when one can be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub repository: Option<String>,
    pub resolution: Resolution,
    pub url: Option<String>,
}

/// A commit whose message points at an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub incident_id: String,
    pub commit: CommitInfo,
    pub repository: Option<String>,
    pub url: Option<String>,
    /// `Some("A2")` for a `Closes-Action: ID#A2` trailer.
    pub closes_action: Option<String>,
    /// How it was found: "message", "Incident trailer", "Closes-Action trailer".
    pub via: &'static str,
}

impl Resolution {
    /// How the commit's state reads in pages and command output, everywhere.
    pub fn status(&self) -> &'static str {
        match self {
            Resolution::Found(_) => "verified",
            Resolution::Missing { shallow: false } => "not found",
            Resolution::Missing { shallow: true } => "not in this shallow clone",
            Resolution::Ambiguous(_) => "ambiguous",
            Resolution::Unverified(_) => "unverified",
        }
    }
}

/// Everything the git layer found, for checks and views.
#[derive(Debug, Default, Clone)]
pub struct GitFacts {
    /// Keyed by `CommitRef::key()` (`sha` or `repo@sha` as written, lower-cased).
    pub commits: HashMap<CommitKey, Resolved>,
    pub mentions: Vec<Mention>,
    /// Positions in `mentions` by incident id: every page asks for its own.
    mentions_by_id: HashMap<String, Vec<usize>>,
    /// Repositories that could not be used, with the reason.
    pub unavailable: BTreeMap<String, String>,
}

impl GitFacts {
    /// Facts from resolved citations and mentions (in history order), indexed for lookups.
    pub fn new(
        commits: HashMap<CommitKey, Resolved>,
        mentions: Vec<Mention>,
        unavailable: BTreeMap<String, String>,
    ) -> GitFacts {
        let mut mentions_by_id: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, m) in mentions.iter().enumerate() {
            mentions_by_id.entry(m.incident_id.clone()).or_default().push(i);
        }
        GitFacts { commits, mentions, mentions_by_id, unavailable }
    }

    /// The same facts with every commit message, author name and file path passed
    /// through `text` (the public filter's redaction).
    pub fn map_text(&self, text: &dyn Fn(&str) -> String) -> GitFacts {
        let info = |i: &CommitInfo| CommitInfo {
            id: i.id.clone(),
            summary: text(&i.summary),
            author: text(&i.author),
            time: i.time,
            files: i.files.iter().map(|f| text(f)).collect(),
        };
        let commits = self
            .commits
            .iter()
            .map(|(k, v)| {
                let resolution = match &v.resolution {
                    Resolution::Found(i) => Resolution::Found(info(i)),
                    other => other.clone(),
                };
                (k.clone(), Resolved { repository: v.repository.clone(), resolution, url: v.url.clone() })
            })
            .collect();
        let mentions = self
            .mentions
            .iter()
            .map(|m| Mention {
                incident_id: text(&m.incident_id),
                commit: info(&m.commit),
                closes_action: m.closes_action.as_ref().map(|a| text(a)),
                ..m.clone()
            })
            .collect();
        GitFacts::new(commits, mentions, self.unavailable.clone())
    }

    pub fn resolved(&self, key: &CommitKey) -> Option<&Resolved> {
        self.commits.get(key)
    }

    /// Mentions of an incident id, in history order.
    pub fn mentions_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Mention> + 'a {
        self.mentions_by_id.get(id).into_iter().flatten().map(|&i| &self.mentions[i])
    }
}

/// What to find out besides the cited commits themselves.
#[derive(Debug, Clone, Copy)]
pub struct Depth {
    /// Scan history for commits whose messages name an incident.
    pub history: bool,
    /// List the files each cited commit touched (a tree diff per commit: pages
    /// show them, checks do not need them).
    pub files: bool,
}
/// Resolves every cited commit and, as `depth` asks, lists their files and finds
/// the commits whose messages name an incident id.
pub fn resolve(config: &Config, incidents: &[&Incident], depth: Depth) -> GitFacts {
    // casebook only reads: re-hashing every object it reads (SHA-1 with collision
    // detection) buys nothing here and costs a tenth of a history scan.
    git2::opts::strict_hash_verification(false);
    // Each commit is read once: caching objects only costs.
    git2::opts::enable_caching(false);
    let repos = open_all(config);
    let default = 0usize;
    let index: HashMap<&str, usize> =
        repos.iter().enumerate().filter_map(|(i, r)| Some((r.name.as_deref()?, i))).collect();
    let mut facts = GitFacts::default();
    for r in &repos {
        if let Some(why) = &r.why_not {
            facts.unavailable.insert(r.label(), why.clone());
        }
    }
    let mut cache: HashMap<String, CommitInfo> = HashMap::new();
    // Each record's cited commits, gathered on every core (50,000 on a large casebook);
    // the repository is then read from one thread.
    let cited: Vec<Vec<(CommitKey, &CommitRef)>> =
        incidents.par_iter().map(|inc| inc.all_commit_refs().into_iter().map(|c| (c.key(), c)).collect()).collect();
    for (key, c) in cited.into_iter().flatten() {
        if facts.commits.contains_key(&key) {
            continue;
        }
        let repo_index = match &c.repository {
            Some(name) => match index.get(name.as_str()) {
                Some(i) => *i,
                None => continue, // reported by checks as an unknown repository
            },
            None => default,
        };
        let repo = &repos[repo_index];
        let resolution = resolve_one(repo, &c.sha, &mut cache, depth.files);
        let url = match &resolution {
            Resolution::Found(info) => link(&repo.url_pattern, &info.id),
            Resolution::Unverified(_) => link(&repo.url_pattern, &c.sha),
            _ => None,
        };
        facts.commits.insert(key, Resolved { repository: repo.name.clone(), resolution, url });
    }
    if depth.history {
        let ids: Vec<&str> = incidents.iter().map(|i| i.id.as_str()).collect();
        for repo in &repos {
            if let Some(git) = &repo.git {
                history::scan(git, repo, &ids, &mut facts.mentions);
            }
        }
    }
    GitFacts::new(facts.commits, facts.mentions, facts.unavailable)
}

/// A fingerprint of the repositories' state: HEAD and every branch and tag. When it
/// is unchanged, so is every commit the records cite and every commit that names an incident.
pub fn state_fingerprint(config: &Config) -> String {
    let mut out = String::new();
    for repo in open_all(config) {
        out.push_str(&repo.label());
        match &repo.git {
            None => out.push_str(":none"),
            Some(git) => {
                if let Ok(head) = git.head() {
                    out.push_str(&format!(":{:?}", head.target()));
                }
                out.push_str(if git.is_shallow() { ":shallow" } else { ":full" });
                if let Ok(refs) = git.references() {
                    let mut all: Vec<String> =
                        refs.flatten().map(|r| format!("{}={:?}", r.name().unwrap_or(""), r.target())).collect();
                    all.sort();
                    out.push_str(&all.join(","));
                }
            }
        }
        if let Some(p) = &repo.url_pattern {
            out.push_str(p);
        }
        out.push('\n');
    }
    out
}
