//! What the git layer found, as diagnostics.

use crate::diag::{Code, Diagnostic};
use crate::load::{Casebook, Record};
use crate::model::Span;
use std::collections::HashSet;
use std::path::Path;

/// What the git layer found, as diagnostics: missing, ambiguous and unverifiable
/// commits, and actions that a commit closed while the record calls them open.
pub fn git_checks(book: &Casebook, facts: &crate::git::GitFacts) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    // Per record on every core; "cannot be verified" is then said once per repository,
    // at its first citation in record order.
    let per_record: Vec<(Vec<Diagnostic>, Vec<Unverified<'_>>)> =
        book.records.par_iter().map(|r| record_git_checks(r, facts)).collect();
    let mut d = Vec::new();
    let mut unverified_reported = HashSet::new();
    for (found, unverified) in per_record {
        for u in unverified {
            if unverified_reported.insert(u.repository) {
                d.push(
                    Diagnostic::new(Code::RepositoryUnavailable, format!("commits cannot be verified: {}", u.why))
                        .at(u.path, u.span)
                        .hint(if u.linked {
                            "they are linked from the configured `url` and shown as unverified; set `path` to verify them"
                        } else {
                            "they are shown unverified; set `path` (and `url` for links) under [[repositories]] in casebook.toml"
                        }),
                );
            }
        }
        d.extend(found);
    }
    d
}

/// A record's first citation of a commit in a repository that cannot be read.
struct Unverified<'a> {
    repository: Option<&'a str>,
    why: &'a str,
    path: &'a Path,
    span: Span,
    linked: bool,
}

fn record_git_checks<'a>(r: &'a Record, facts: &'a crate::git::GitFacts) -> (Vec<Diagnostic>, Vec<Unverified<'a>>) {
    use crate::git::Resolution;
    let mut d = Vec::new();
    let mut unverified: Vec<Unverified<'a>> = Vec::new();
    for c in r.incident.all_commit_refs() {
        let Some(res) = facts.resolved(&c.key()) else {
            continue;
        };
        let repo =
            || res.repository.as_deref().map_or_else(|| "the repository".to_string(), |n| format!("repository `{n}`"));
        match &res.resolution {
            Resolution::Found(_) => {}
            Resolution::Missing { shallow: false } => d.push(
                Diagnostic::new(Code::CommitMissing, format!("commit {} is not in {}", c.sha, repo()))
                    .at(&r.path, c.span)
                    .label("no such commit")
                    .hint(
                        "check the id for a typo, or push the commit; `git log --oneline | grep <id>` finds it locally",
                    ),
            ),
            Resolution::Missing { shallow: true } => d.push(
                Diagnostic::new(
                    Code::ShallowClone,
                    format!("commit {} is not in {}, which is a shallow clone", c.sha, repo()),
                )
                .at(&r.path, c.span)
                .label("not in the fetched history")
                .hint(
                    "fetch full history: git fetch --unshallow (GitHub Actions: actions/checkout with fetch-depth: 0)",
                ),
            ),
            Resolution::Ambiguous(candidates) => d.push(
                Diagnostic::new(Code::CommitAmbiguous, format!("commit id {} is ambiguous in {}", c.sha, repo()))
                    .at(&r.path, c.span)
                    .label(format!("{} commits start with this", candidates.len()))
                    .hint(format!(
                        "use more characters; candidates: {}",
                        candidates.iter().map(|s| &s[..12.min(s.len())]).collect::<Vec<_>>().join(", ")
                    )),
            ),
            Resolution::Unverified(why) => {
                let repository = res.repository.as_deref();
                if unverified.iter().all(|u| u.repository != repository) {
                    unverified.push(Unverified {
                        repository,
                        why,
                        path: &r.path,
                        span: c.span,
                        linked: res.url.is_some(),
                    });
                }
            }
        }
    }
    for m in facts.mentions_of(&r.incident.id) {
        let Some(action) = &m.closes_action else {
            continue;
        };
        match r.incident.actions.iter().find(|a| &a.id == action) {
            Some(a) if a.status.is_pending() => d.push(
                Diagnostic::new(
                    Code::ActionClosedByCommit,
                    format!("action {} is `{}`, but commit {} closed it", a.id, a.status, &m.commit.id[..7]),
                )
                .at(&r.path, a.span)
                .hint(format!("set `status = \"done\"` (commit: {})", m.commit.summary)),
            ),
            Some(_) => {}
            None => d.push(
                Diagnostic::new(
                    Code::UnknownClosedAction,
                    format!(
                        "commit {} closes action {action}, which {} does not have",
                        &m.commit.id[..7],
                        r.incident.id
                    ),
                )
                .in_file(&r.path)
                .hint(format!(
                    "history cannot change, so fix it here: give the action the commit meant `id = \"{action}\"`, \
                     or add an [[actions]] entry with that id and `status = \"done\"` (commit: {})",
                    m.commit.summary
                )),
            ),
        }
    }
    (d, unverified)
}
