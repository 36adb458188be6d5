//! Opening repositories and reading one commit.

use super::{CommitInfo, Resolution};
use crate::config::{Config, Repository};
use chrono::{DateTime, FixedOffset, Offset, TimeZone};
use git2::{ErrorCode, Oid, Repository as GitRepo};
use std::collections::HashMap;

/// One repository as the run sees it.
pub(super) struct Repo {
    pub name: Option<String>,
    pub git: Option<GitRepo>,
    pub url_pattern: Option<String>,
    pub why_not: Option<String>,
}

impl Repo {
    pub fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| "the records' repository".to_string())
    }
}

/// Opens each configured repository once; with none configured, the repository that
/// holds the records (discovered from `root`).
pub(super) fn open_all(config: &Config) -> Vec<Repo> {
    if config.repositories.is_empty() {
        return vec![match GitRepo::discover(&config.root) {
            Ok(git) => {
                let url_pattern = remote_pattern(&git);
                Repo { name: None, git: Some(git), url_pattern, why_not: None }
            }
            Err(_) => Repo {
                name: None,
                git: None,
                url_pattern: None,
                why_not: Some(format!("no git repository holds {}", config.root.display())),
            },
        }];
    }
    config.repositories.iter().map(open_configured).collect()
}

fn open_configured(r: &Repository) -> Repo {
    let name = Some(r.name.clone());
    let Some(path) = &r.path else {
        return Repo {
            name,
            git: None,
            url_pattern: r.url.clone(),
            why_not: Some(format!("repository `{}` has no `path` in casebook.toml", r.name)),
        };
    };
    match GitRepo::open(path) {
        Ok(git) => {
            let url_pattern = r.url.clone().or_else(|| remote_pattern(&git));
            Repo { name, git: Some(git), url_pattern, why_not: None }
        }
        Err(e) => Repo {
            name,
            git: None,
            url_pattern: r.url.clone(),
            why_not: Some(format!("cannot open repository `{}` at {}: {}", r.name, path.display(), e.message())),
        },
    }
}

/// The commit URL pattern derived from the `origin` remote (else the first remote).
fn remote_pattern(git: &GitRepo) -> Option<String> {
    let remote = git.find_remote("origin").ok().or_else(|| {
        let names = git.remotes().ok()?;
        let first = names.get(0).ok()??.to_string();
        git.find_remote(&first).ok()
    })?;
    super::remote::commit_url_pattern(remote.url().ok()?)
}

pub(super) fn link(pattern: &Option<String>, sha: &str) -> Option<String> {
    pattern.as_ref().map(|p| p.replace("{sha}", sha))
}

pub(super) fn signature_time(t: git2::Time) -> DateTime<FixedOffset> {
    let off = FixedOffset::east_opt(t.offset_minutes() * 60).unwrap_or(chrono::Utc.fix());
    off.timestamp_opt(t.seconds(), 0).single().unwrap_or_else(|| DateTime::UNIX_EPOCH.with_timezone(&off))
}

pub(super) fn info(git: &GitRepo, commit: &git2::Commit<'_>, with_files: bool) -> CommitInfo {
    let files = if with_files { files_touched(git, commit) } else { Vec::new() };
    CommitInfo {
        id: commit.id().to_string(),
        summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default()).into_owned(),
        author: String::from_utf8_lossy(commit.author().name_bytes()).into_owned(),
        time: signature_time(commit.time()),
        files,
    }
}

fn files_touched(git: &GitRepo, commit: &git2::Commit<'_>) -> Vec<String> {
    let Ok(tree) = commit.tree() else {
        return Vec::new();
    };
    let parent = commit.parent(0).ok().and_then(|p| p.tree().ok());
    // Paths only: skipping the binary check keeps libgit2 from reading every blob.
    let mut opts = git2::DiffOptions::new();
    opts.skip_binary_check(true).ignore_submodules(true);
    let Ok(diff) = git.diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut opts)) else {
        return Vec::new();
    };
    let mut files: Vec<String> = diff
        .deltas()
        .filter_map(|d| d.new_file().path().or(d.old_file().path()).map(|p| p.to_string_lossy().into_owned()))
        .collect();
    files.sort();
    files.dedup();
    files
}

/// Every commit id in the repository that starts with `prefix` (for ambiguity reports).
fn candidates(git: &GitRepo, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(odb) = git.odb() {
        let _ = odb.foreach(|oid| {
            let s = oid.to_string();
            if s.starts_with(prefix) && git.find_commit(*oid).is_ok() {
                out.push(s);
            }
            true
        });
    }
    out.sort();
    out.dedup();
    out
}

pub(super) fn resolve_one(
    repo: &Repo,
    sha: &str,
    cache: &mut HashMap<String, CommitInfo>,
    with_files: bool,
) -> Resolution {
    let Some(git) = &repo.git else {
        return Resolution::Unverified(repo.why_not.clone().unwrap_or_default());
    };
    let found = if sha.len() == 40 {
        Oid::from_str(sha).and_then(|oid| git.find_commit(oid))
    } else {
        git.find_commit_by_prefix(sha)
    };
    match found {
        Ok(commit) => {
            let id = commit.id().to_string();
            let info = cache.entry(id).or_insert_with(|| info(git, &commit, with_files)).clone();
            Resolution::Found(info)
        }
        Err(e) if e.code() == ErrorCode::Ambiguous => Resolution::Ambiguous(candidates(git, sha)),
        Err(_) => Resolution::Missing { shallow: git.is_shallow() },
    }
}
