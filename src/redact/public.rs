//! The public filter: one pass over the records and the git facts that leaves out
//! every private part and redacts every remaining string, before any public page,
//! figure or output is made from them. Nothing downstream decides visibility again,
//! so no page can forget it.

use super::detect::{self, Scope};
use crate::model::*;
use regex::Regex;
use std::collections::{HashMap, HashSet};

/// Replaces secrets, personal data and the configured `[redact] patterns` with `[redacted]`.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    patterns: Vec<Regex>,
}

impl Redactor {
    pub fn new(patterns: &[Regex]) -> Redactor {
        Redactor { patterns: patterns.to_vec() }
    }

    /// `s` with every sensitive range replaced by `[redacted]`.
    pub fn text(&self, s: &str) -> String {
        let mut ranges: Vec<std::ops::Range<usize>> =
            detect::find(s, Scope::All).into_iter().map(|f| f.range).collect();
        for re in &self.patterns {
            ranges.extend(re.find_iter(s).map(|m| m.range()).filter(|r| !r.is_empty()));
        }
        detect::replace_ranges(s, ranges)
    }

    fn opt(&self, s: &Option<String>) -> Option<String> {
        s.as_deref().map(|s| self.text(s))
    }

    fn all(&self, v: &[String]) -> Vec<String> {
        v.iter().map(|s| self.text(s)).collect()
    }

    fn located(&self, l: &Located<String>) -> Located<String> {
        Located::new(self.text(&l.value), l.span)
    }

    /// A slug or other file-name part with the sensitive ranges cut out: `redacted`
    /// stands in for each, so the name stays within the slug characters.
    fn name(&self, s: &str) -> String {
        let t = self.text(s);
        if t == s { t } else { t.replace("[redacted]", "redacted") }
    }
}

/// The public version of a set of incidents, in the same order: private timeline
/// entries, causes, changes, actions and sections left out, commits cited only in
/// them dropped, and every string redacted (slugs too: two slugs that redact to the
/// same name are told apart by a number, and `related` follows them).
pub fn incidents(all: &[&Incident], r: &Redactor) -> Vec<Incident> {
    let mut taken = HashSet::new();
    let mut slugs: HashMap<&str, String> = HashMap::new();
    for inc in all {
        let base = r.name(&inc.slug);
        let mut slug = base.clone();
        let mut n = 2;
        while !taken.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        slugs.insert(inc.slug.as_str(), slug);
    }
    all.iter().map(|inc| incident(inc, r, &slugs)).collect()
}

fn incident(inc: &Incident, r: &Redactor, slugs: &HashMap<&str, String>) -> Incident {
    let (timeline, moments) = timeline(inc, r);
    let causes = causes(inc, r);
    let changes = changes(inc, r);
    let commits = commit_notes(inc, &timeline, &causes, &changes, r);
    Incident {
        slug: slugs.get(inc.slug.as_str()).cloned().unwrap_or_else(|| r.name(&inc.slug)),
        format: inc.format,
        id: r.text(&inc.id),
        title: r.text(&inc.title),
        date: inc.date,
        zone: inc.zone,
        severity: inc.severity.as_ref().map(|s| r.located(s)),
        status: inc.status,
        services: r.all(&inc.services),
        tags: r.all(&inc.tags),
        authors: r.all(&inc.authors),
        summary: r.text(&inc.summary),
        moments,
        effort_total: inc.effort_total.clone(),
        created: inc.created,
        updated: inc.updated,
        actions_as_of: inc.actions_as_of,
        conclusion: r.opt(&inc.conclusion),
        related: inc
            .related
            .iter()
            .map(|l| match slugs.get(l.value.as_str()) {
                Some(slug) => Located::new(slug.clone(), l.span),
                None => r.located(l),
            })
            .collect(),
        runbook_refs: inc.runbook_refs.iter().map(|l| r.located(l)).collect(),
        impact: inc.impact.as_ref().map(|im| impact(im, r)),
        timeline,
        causes,
        commits,
        changes,
        lessons: inc
            .lessons
            .iter()
            .map(|l| Lesson { title: r.text(&l.title), problem: r.opt(&l.problem), takeaways: r.all(&l.takeaways) })
            .collect(),
        actions: inc.actions.iter().filter(|a| !a.private).map(|a| action(a, r)).collect(),
        verification: inc
            .verification
            .iter()
            .map(|v| VerificationItem { item: r.text(&v.item), done: v.done, by: r.opt(&v.by) })
            .collect(),
        effort: inc
            .effort
            .iter()
            .map(|e| EffortItem { activity: r.text(&e.activity), duration: e.duration.clone() })
            .collect(),
        runbooks: inc.runbooks.iter().map(|rb| runbook(rb, r)).collect(),
        links: inc
            .links
            .iter()
            .map(|l| Link { id: r.opt(&l.id), title: r.opt(&l.title), url: r.text(&l.url), kind: l.kind })
            .collect(),
        sections: inc
            .sections
            .iter()
            .filter(|s| !s.private)
            .map(|s| Section { title: r.text(&s.title), body: r.opt(&s.body), after: s.after, private: false })
            .collect(),
    }
}

/// The public timeline entries, and the key moments with their sources renumbered
/// (a moment marked on a private entry keeps its time, not its entry).
fn timeline(inc: &Incident, r: &Redactor) -> (Vec<TimelineEntry>, std::collections::BTreeMap<MomentKind, Moment>) {
    // Timeline positions of the entries kept, for moments marked on them.
    let mut kept_at: HashMap<usize, usize> = HashMap::new();
    let timeline: Vec<TimelineEntry> = inc
        .timeline
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.private)
        .map(|(i, e)| {
            kept_at.insert(i, kept_at.len());
            TimelineEntry {
                at: e.at,
                until: e.until,
                title: r.opt(&e.title),
                body: r.opt(&e.body),
                kind: e.kind,
                marks: e.marks.clone(),
                commits: e.commits.clone(),
                source: e.source.as_ref().map(|s| r.located(s)),
                private: false,
                span: e.span,
            }
        })
        .collect();
    let moments = inc
        .moments
        .iter()
        .map(|(k, m)| {
            let source = match m.source {
                MomentSource::Timeline(i) => {
                    kept_at.get(&i).map_or(MomentSource::TopLevel, |j| MomentSource::Timeline(*j))
                }
                s => s,
            };
            (*k, Moment { source, ..m.clone() })
        })
        .collect();
    (timeline, moments)
}

fn causes(inc: &Incident, r: &Redactor) -> Vec<Cause> {
    // A private cause is not named in public output, not even in another's chain.
    let private_causes: HashSet<&str> =
        inc.causes.iter().filter(|c| c.private).filter_map(|c| c.id.as_deref()).collect();
    inc.causes
        .iter()
        .filter(|c| !c.private)
        .map(|c| Cause {
            id: r.opt(&c.id),
            title: r.text(&c.title),
            role: c.role,
            because_of: c
                .because_of
                .iter()
                .filter(|b| !private_causes.contains(b.value.as_str()))
                .map(|b| r.located(b))
                .collect(),
            kind: r.opt(&c.kind),
            primary: c.primary,
            description: r.opt(&c.description),
            impact: r.opt(&c.impact),
            fix: r.opt(&c.fix),
            fix_time: c.fix_time.clone(),
            commits: c.commits.clone(),
            found: c.found,
            private: false,
            span: c.span,
        })
        .collect()
}

fn changes(inc: &Incident, r: &Redactor) -> Vec<Change> {
    inc.changes
        .iter()
        .filter(|c| !c.private)
        .map(|c| Change {
            target: match &c.target {
                ChangeTarget::File(p) => ChangeTarget::File(r.text(p)),
                ChangeTarget::Setting { name, from, to } => {
                    ChangeTarget::Setting { name: r.text(name), from: r.opt(from), to: r.opt(to) }
                }
            },
            at: c.at,
            summary: r.opt(&c.summary),
            commits: c.commits.clone(),
            committed: c.committed,
            private: false,
        })
        .collect()
}

/// The `[[commits]]` notes of commits cited in a public part, or cited nowhere at all.
fn commit_notes(
    inc: &Incident,
    timeline: &[TimelineEntry],
    causes: &[Cause],
    changes: &[Change],
    r: &Redactor,
) -> Vec<CommitNote> {
    // A commit note stays when its commit is cited in a public part, or nowhere at all.
    let cited_anywhere: HashSet<CommitKey> = inc.all_commit_refs().iter().map(|c| c.key()).collect();
    let cited_publicly: HashSet<CommitKey> = timeline
        .iter()
        .flat_map(|e| &e.commits)
        .chain(causes.iter().flat_map(|c| &c.commits))
        .chain(changes.iter().flat_map(|c| &c.commits))
        .map(CommitRef::key)
        .collect();
    let cited_in_parts: HashSet<CommitKey> = inc
        .timeline
        .iter()
        .flat_map(|e| &e.commits)
        .chain(inc.causes.iter().flat_map(|c| &c.commits))
        .chain(inc.changes.iter().flat_map(|c| &c.commits))
        .map(CommitRef::key)
        .collect();
    inc.commits
        .iter()
        .filter(|n| {
            let key = n.commit.key();
            cited_publicly.contains(&key) || (cited_anywhere.contains(&key) && !cited_in_parts.contains(&key))
        })
        .map(|n| CommitNote { commit: n.commit.clone(), note: r.opt(&n.note) })
        .collect()
}

fn action(a: &ActionItem, r: &Redactor) -> ActionItem {
    ActionItem {
        id: r.text(&a.id),
        title: r.text(&a.title),
        details: r.all(&a.details),
        owner: r.opt(&a.owner),
        ticket: r.opt(&a.ticket),
        private: false,
        ..a.clone()
    }
}

fn runbook(rb: &Runbook, r: &Redactor) -> Runbook {
    Runbook {
        id: r.text(&rb.id),
        title: r.text(&rb.title),
        symptoms: r.all(&rb.symptoms),
        services: r.all(&rb.services),
        steps: rb
            .steps
            .iter()
            .map(|s| RunbookStep { title: r.opt(&s.title), body: r.opt(&s.body), command: r.opt(&s.command) })
            .collect(),
        verify: r.all(&rb.verify),
        owner: r.opt(&rb.owner),
        reviewed: rb.reviewed,
        span: rb.span,
    }
}

fn impact(im: &Impact, r: &Redactor) -> Impact {
    Impact {
        summary: r.opt(&im.summary),
        downtime: im.downtime.clone(),
        degraded: im.degraded.clone(),
        users_affected: im.users_affected.clone(),
        customers_affected: im.customers_affected.clone(),
        data_loss: r.opt(&im.data_loss),
        revenue: r.opt(&im.revenue),
        notes: r.all(&im.notes),
        metrics: im
            .metrics
            .iter()
            .map(|m| Metric {
                name: r.text(&m.name),
                unit: r.opt(&m.unit),
                note: r.opt(&m.note),
                source: m.source.as_ref().map(|s| r.located(s)),
                ..m.clone()
            })
            .collect(),
        windows: im
            .windows
            .iter()
            .map(|w| ImpactWindow { scope: r.text(&w.scope), note: r.opt(&w.note), ..w.clone() })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_covers_detectors_and_patterns() {
        let r = Redactor::new(&[Regex::new(r"ACME-\d+").unwrap()]);
        assert_eq!(r.text("mail jane@acme.io about ACME-123"), "mail [redacted] about [redacted]");
        assert_eq!(r.text("call +44 20 7946 0958 from 81.2.69.160"), "call [redacted] from [redacted]");
        assert_eq!(r.name("2025-01-01-acme-123"), "2025-01-01-acme-123");
        let r = Redactor::new(&[Regex::new(r"acme-\d+").unwrap()]);
        assert_eq!(r.name("2025-01-01-acme-123"), "2025-01-01-redacted");
    }
}
