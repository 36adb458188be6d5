//! Causes, commit notes and changes: the parts that cite commits.

use super::{Lower, sp};
use crate::diag::Code;
use crate::load::raw::{RawCause, RawChange, RawCommitNote, Sp};
use crate::model::*;

pub(super) fn causes(l: &mut Lower<'_>, raw: Vec<Sp<RawCause>>) -> Vec<Cause> {
    raw.into_iter().map(|c| cause(l, c)).collect()
}

fn cause(l: &mut Lower<'_>, c: Sp<RawCause>) -> Cause {
    let span = sp(&c.span);
    let r = c.value;
    if let Some(id) = &r.id {
        l.name(id, "id");
    }
    Cause {
        id: r.id.map(|i| i.value),
        title: r.title,
        role: r
            .role
            .as_ref()
            .and_then(|s| l.keyword(s, CauseRole::parse, CauseRole::names(), "role"))
            .unwrap_or_default(),
        because_of: r.because_of.into_iter().map(Lower::located).collect(),
        kind: r.kind,
        primary: r.primary,
        description: l.markdown(r.description, "description"),
        impact: l.markdown(r.impact, "impact"),
        fix: l.markdown(r.fix, "fix"),
        fix_time: r.fix_time.as_ref().and_then(|d| l.duration(d)),
        commits: l.commits(&r.commits),
        found: r.found.as_ref().and_then(|f| l.time(f, None, "found")),
        private: r.private,
        span,
    }
}

/// `[[commits]]`: notes on commits, a `repository` naming where a bare sha lives.
pub(super) fn commit_notes(l: &mut Lower<'_>, raw: Vec<RawCommitNote>) -> Vec<CommitNote> {
    raw.into_iter()
        .filter_map(|c| {
            let mut commit = l.commit(&c.sha)?;
            if let Some(repo) = c.repository
                && commit.repository.is_none()
            {
                commit.repository = Some(repo.value);
            }
            Some(CommitNote { commit, note: l.markdown(c.note, "note") })
        })
        .collect()
}

pub(super) fn changes(l: &mut Lower<'_>, raw: Vec<Sp<RawChange>>) -> Vec<Change> {
    raw.into_iter().filter_map(|c| change(l, c)).collect()
}

fn change(l: &mut Lower<'_>, c: Sp<RawChange>) -> Option<Change> {
    let span = sp(&c.span);
    let r = c.value;
    let target = match (r.path, r.setting) {
        (Some(p), None) => {
            if r.from.is_some() || r.to.is_some() {
                l.error(Code::BadChange, "`from` and `to` describe a setting, but this change names a `path`", span)
                    .hint("use `setting` for configuration values, or put the file's change in `summary`");
            }
            ChangeTarget::File(p)
        }
        (None, Some(name)) => ChangeTarget::Setting { name, from: r.from, to: r.to },
        (Some(_), Some(_)) => {
            l.error(Code::BadChange, "a change names both `path` and `setting`", span)
                .hint("split it into two [[changes]] entries");
            return None;
        }
        (None, None) => {
            l.error(Code::BadChange, "a change names neither `path` nor `setting`", span)
                .hint("add `path = \"src/file.rs\"` or `setting = \"service max_connections\"`");
            return None;
        }
    };
    Some(Change {
        target,
        at: r.at.as_ref().and_then(|t| l.time(t, None, "at")),
        summary: l.markdown(r.summary, "summary"),
        commits: l.commits(&r.commits),
        committed: r.committed.unwrap_or(true),
        private: r.private,
    })
}
