//! The rules of FORMAT.md that span more than one value: ordering, uniqueness,
//! references, cross-checks of stated figures, overdue work, and the scan of the
//! source text for secrets and personal data.

use crate::diag::{Code, Diagnostic, did_you_mean, suggest};
use crate::figures::{self, differs_by_more_than_a_tenth};
use crate::load::{Casebook, Record};
use crate::model::*;
use chrono::NaiveDate;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::LazyLock;

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
            let mut d = record_checks(r, book, opts);
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
    out.extend(book.scanned.iter().flatten().filter(|d| opts.warnings || d.is_error()).cloned());
    out.extend(cross_record_checks(book).into_iter().filter(|d| opts.warnings || d.is_error()));
    out
}

fn record_checks(rec: &Record, book: &Casebook, opts: &CheckOptions) -> Vec<Diagnostic> {
    let inc = &rec.incident;
    let path = rec.path.as_path();
    let mut d = Vec::new();
    timeline_order(inc, path, &mut d);
    moment_order(inc, path, &mut d);
    causes(inc, path, &mut d);
    actions(inc, path, opts.today, &mut d);
    links(inc, path, &mut d);
    figures_cross_check(inc, path, &mut d);
    if let Some(sev) = &inc.severity {
        let levels = &book.config.severity_levels;
        if !levels.contains(&sev.value) {
            let mut diag =
                Diagnostic::new(Code::UnknownSeverity, format!("severity \"{}\" is not a configured level", sev.value))
                    .at(path, sev.span)
                    .label("unknown level");
            diag = match did_you_mean(&sev.value, levels.iter().map(String::as_str)) {
                Some(s) => diag.hint(format!("did you mean \"{s}\"? Levels: {}", levels.join(", "))),
                None => diag
                    .hint(format!("use one of {}, or add it to [severity] levels in casebook.toml", levels.join(", "))),
            };
            d.push(diag);
        }
    }
    for rb in &inc.runbooks {
        if let Some(reviewed) = rb.reviewed {
            let age = (opts.today - reviewed).num_days();
            if age > book.config.review_days {
                d.push(
                    Diagnostic::new(
                        Code::StaleRunbook,
                        format!("runbook `{}` was last reviewed {age} days ago", rb.id),
                    )
                    .at(path, rb.span)
                    .hint(format!(
                        "walk through it, then set `reviewed = {}` (review age: {} days)",
                        opts.today, book.config.review_days
                    )),
                );
            }
        }
    }
    if inc.status == Status::Closed {
        let open: Vec<&str> = inc.actions.iter().filter(|a| a.status.is_pending()).map(|a| a.id.as_str()).collect();
        let unverified = inc.verification.iter().filter(|v| !v.done).count();
        if !open.is_empty() || unverified > 0 {
            let mut what = Vec::new();
            if !open.is_empty() {
                what.push(format!("open actions {}", open.join(", ")));
            }
            if unverified > 0 {
                what.push(format!("{unverified} verification item(s) not done"));
            }
            d.push(
                Diagnostic::new(Code::ClosedWithOpenWork, format!("status is \"closed\" but there are {}", what.join(" and ")))
                    .in_file(path)
                    .hint("closed means every action is done, deferred or dropped and verification is complete; use \"resolved\" until then"),
            );
        }
    }
    for c in inc.all_commit_refs() {
        if let Some(repo) = &c.repository
            && book.config.repository(repo).is_none()
        {
            let known: Vec<&str> = book.config.repositories.iter().map(|r| r.name.as_str()).collect();
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
    d
}

fn timeline_order(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    let mut last_exact: Option<&TimelineEntry> = None;
    let mut last_day: Option<(NaiveDate, &TimelineEntry)> = None;
    for e in &inc.timeline {
        let day = e.at.day(&inc.zone);
        let backwards = match e.at.precision {
            Precision::Day => last_exact
                .filter(|p| day < p.at.day(&inc.zone))
                .or(last_day.filter(|(d0, _)| day < *d0).map(|(_, p)| p)),
            _ => last_exact.filter(|p| e.at.at < p.at.at).or(last_day.filter(|(d0, _)| day < *d0).map(|(_, p)| p)),
        };
        if let Some(prev) = backwards {
            let show = |w: &When| match w.precision {
                Precision::Day => w.at.date_naive().to_string(),
                _ => inc.zone.show(w.at).format("%Y-%m-%d %H:%M:%S").to_string(),
            };
            d.push(
                Diagnostic::new(Code::TimelineOrder, format!("timeline goes backwards: {} comes after {}", show(&e.at), show(&prev.at)))
                    .at(path, e.span)
                    .label("earlier than the entry before it")
                    .also(path, prev.span, "previous entry")
                    .hint("order entries by time; to cross midnight with local times, give full datetimes (2025-11-17T00:20:00Z)"),
            );
        }
        match e.at.precision {
            Precision::Day => last_day = Some((day, e)),
            _ => {
                last_exact = Some(e);
                last_day = Some((day, e));
            }
        }
    }
}

/// `a` is certainly before `b`: by instant, or by day when either is known only to the day.
fn before(a: &When, b: &When, zone: &Zone) -> bool {
    if a.precision == Precision::Day || b.precision == Precision::Day { a.day(zone) < b.day(zone) } else { a.at < b.at }
}

fn moment_order(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    use MomentKind::*;
    let m = &inc.moments;
    let mut rule = |early: MomentKind, late: MomentKind, why: &str| {
        if let (Some(a), Some(b)) = (m.get(&early), m.get(&late))
            && before(&b.when, &a.when, &inc.zone)
        {
            d.push(
                Diagnostic::new(Code::MomentOrder, format!("`{late}` ({}) is before `{early}` ({})", b.when, a.when))
                    .at(path, b.span)
                    .label(format!("before {early}"))
                    .also(path, a.span, format!("{early} is here"))
                    .hint(why.to_string()),
            );
        }
    };
    for k in MomentKind::ALL.iter().filter(|k| **k != Introduced) {
        rule(Introduced, *k, "nothing can happen before the cause was introduced; check both times and their timezone");
    }
    rule(Detected, Acknowledged, "a responder acknowledges after detection; check both times");
    rule(Started, Mitigated, "impact stops after it starts; check both times");
    for k in MomentKind::ALL.iter().filter(|k| **k != Resolved) {
        rule(*k, Resolved, "resolved is the last moment; check both times and their timezone");
    }
}

fn causes(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    let primaries: Vec<&Cause> = inc.causes.iter().filter(|c| c.primary).collect();
    if primaries.len() > 1 {
        let mut diag = Diagnostic::new(
            Code::TwoPrimaryCauses,
            format!("{} causes are marked primary; at most one may be", primaries.len()),
        )
        .at(path, primaries[1].span)
        .label("second primary cause")
        .hint("keep `primary = true` on the main cause only; give the others role = \"contributing\" or \"trigger\"");
        diag = diag.also(path, primaries[0].span, "first primary cause");
        d.push(diag);
    }
    let mut ids: HashMap<&str, Span> = HashMap::new();
    for c in &inc.causes {
        if let Some(id) = &c.id
            && let Some(first) = ids.insert(id, c.span)
        {
            d.push(
                Diagnostic::new(Code::DuplicateId, format!("cause id \"{id}\" is used twice"))
                    .at(path, c.span)
                    .also(path, first, "first used here")
                    .hint("give each cause its own id"),
            );
        }
    }
    for c in &inc.causes {
        for b in &c.because_of {
            if !ids.contains_key(b.value.as_str()) {
                let hint = suggest(
                    &b.value,
                    ids.keys().copied(),
                    "`because_of` names the `id` of another cause in this record".to_string(),
                );
                d.push(
                    Diagnostic::new(Code::UnknownReference, format!("no cause has id \"{}\"", b.value))
                        .at(path, b.span)
                        .hint(hint),
                );
            }
        }
    }
    // Cycles in because_of.
    let edges: HashMap<&str, Vec<&str>> = inc
        .causes
        .iter()
        .filter_map(|c| Some((c.id.as_deref()?, c.because_of.iter().map(|b| b.value.as_str()).collect())))
        .collect();
    let mut reported = HashSet::new();
    for c in &inc.causes {
        let Some(start) = c.id.as_deref() else {
            continue;
        };
        let mut stack = vec![(start, vec![start])];
        let mut seen = HashSet::new();
        while let Some((node, trail)) = stack.pop() {
            for next in edges.get(node).into_iter().flatten() {
                if *next == start {
                    let mut cycle = trail.clone();
                    cycle.push(start);
                    let mut key: Vec<&str> = trail.clone();
                    key.sort();
                    if reported.insert(key) {
                        d.push(
                            Diagnostic::new(Code::CauseCycle, format!("causes form a cycle: {}", cycle.join(" → ")))
                                .at(path, c.span)
                                .hint("a causal chain must end; remove one `because_of` link"),
                        );
                    }
                } else if seen.insert(*next) {
                    let mut t = trail.clone();
                    t.push(next);
                    stack.push((next, t));
                }
            }
        }
    }
}

fn actions(inc: &Incident, path: &Path, today: NaiveDate, d: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &ActionItem> = HashMap::new();
    for a in &inc.actions {
        if let Some(first) = seen.insert(a.id.as_str(), a) {
            let (dup, orig) = if a.explicit_id { (a, first) } else { (first, a) };
            let why = if dup.explicit_id && !orig.explicit_id {
                format!("action id \"{}\" equals the default id of the action at position {}", dup.id, &orig.id[1..])
            } else {
                format!("action id \"{}\" is used twice", dup.id)
            };
            d.push(
                Diagnostic::new(Code::DuplicateId, why)
                    .at(path, dup.span)
                    .also(path, orig.span, "the other action")
                    .hint("give the action another id; actions without one are numbered A1, A2... by position"),
            );
        }
        if a.is_overdue(today) {
            let due = a.due.expect("overdue has a due date");
            d.push(
                Diagnostic::new(
                    Code::OverdueAction,
                    format!("action {} \"{}\" was due {due} and is still {}", a.id, a.title, a.status),
                )
                .at(path, a.span)
                .hint("update `status` (done, deferred, dropped) or move `due`"),
            );
        }
    }
}

fn links(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    let ids: Vec<&str> = inc.links.iter().filter_map(|l| l.id.as_deref()).collect();
    let mut seen = HashSet::new();
    for id in &ids {
        if !seen.insert(*id) {
            d.push(
                Diagnostic::new(Code::DuplicateId, format!("link id \"{id}\" is used twice"))
                    .in_file(path)
                    .hint("give each link its own id"),
            );
        }
    }
    let sources = inc
        .timeline
        .iter()
        .filter_map(|e| e.source.as_ref())
        .chain(inc.impact.iter().flat_map(|i| i.metrics.iter().filter_map(|m| m.source.as_ref())));
    for s in sources {
        if !ids.contains(&s.value.as_str()) {
            let hint = suggest(
                &s.value,
                ids.iter().copied(),
                "`source` names the `id` of a [[links]] entry in this record".to_string(),
            );
            d.push(
                Diagnostic::new(Code::UnknownReference, format!("no link has id \"{}\"", s.value))
                    .at(path, s.span)
                    .hint(hint),
            );
        }
    }
    let mut rb_ids: HashMap<&str, Span> = HashMap::new();
    for rb in &inc.runbooks {
        if let Some(first) = rb_ids.insert(&rb.id, rb.span) {
            d.push(
                Diagnostic::new(Code::DuplicateId, format!("runbook \"{}\" is defined twice in this record", rb.id))
                    .at(path, rb.span)
                    .also(path, first, "first defined here")
                    .hint("merge the two [[runbook]] entries"),
            );
        }
    }
}

fn figures_cross_check(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    if let Some(stated) = &inc.effort_total {
        let computed = figures::effort_total(inc);
        if stated.value != computed {
            d.push(
                Diagnostic::new(
                    Code::EffortMismatch,
                    format!("effort_total says {} but the [[effort]] items add up to {computed}", stated.value),
                )
                .at(path, stated.span)
                .label(format!("computed: {computed}"))
                .hint("remove `effort_total` (the total is computed) or correct the items"),
            );
        }
    }
    let Some(impact) = &inc.impact else { return };
    let stated: Vec<&Located<Duration>> = impact.downtime.iter().chain(impact.degraded.iter()).collect();
    if stated.is_empty() {
        return;
    }
    let Some(computed) = figures::impact_duration(inc) else {
        return;
    };
    let sum: Duration = stated.iter().map(|s| s.value).sum();
    if differs_by_more_than_a_tenth(sum, computed.duration()) {
        let what = match (&impact.downtime, &impact.degraded) {
            (Some(_), Some(_)) => "downtime + degraded",
            (Some(_), None) => "downtime",
            _ => "degraded",
        };
        let from = if inc.moment(MomentKind::Started).is_some() { "started" } else { "detected" };
        let to = if inc.moment(MomentKind::Mitigated).is_some() { "mitigated" } else { "resolved" };
        d.push(
            Diagnostic::new(
                Code::ImpactMismatch,
                format!("{what} is {sum}, but the impact lasted {} ({from} → {to})", computed.display()),
            )
            .at(path, stated[0].span)
            .label(format!("timeline says {}", computed.display()))
            .hint(if from == "detected" {
                "correct the figure, or record `started` if impact began before detection".to_string()
            } else {
                format!("correct the figure, or the `{from}` and `{to}` moments")
            }),
        );
    }
}

fn cross_record_checks(book: &Casebook) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    let mut slugs: HashMap<&str, &Record> = HashMap::new();
    let mut ids: HashSet<&str> = HashSet::new();
    let mut runbook_ids: HashSet<&str> = HashSet::new();
    for r in &book.records {
        if let Some(first) = slugs.insert(&r.incident.slug, r) {
            d.push(
                Diagnostic::new(Code::DuplicateSlug, format!("slug \"{}\" is used by two records", r.incident.slug))
                    .in_file(&r.path)
                    .hint(format!(
                        "the other is {}; rename one file (the slug is the page name in the book)",
                        first.path.display()
                    )),
            );
        }
        ids.insert(&r.incident.id);
        runbook_ids.extend(r.incident.runbooks.iter().map(|rb| rb.id.as_str()));
    }
    // Records that failed to load have their own errors; do not cascade into references to them.
    let failed: HashSet<String> = book.failed.iter().map(|p| crate::load::slug_of(p)).collect();
    for r in &book.records {
        for rel in &r.incident.related {
            let v = rel.value.as_str();
            if !slugs.contains_key(v) && !ids.contains(v) && !failed.contains(v) {
                let candidates = slugs.keys().copied().chain(ids.iter().copied());
                let hint =
                    suggest(v, candidates, "`related` names another record by slug (file name) or id".to_string());
                d.push(
                    Diagnostic::new(Code::UnknownReference, format!("no incident has slug or id \"{v}\""))
                        .at(&r.path, rel.span)
                        .hint(hint),
                );
            }
        }
        for rb in &r.incident.runbook_refs {
            if !runbook_ids.contains(rb.value.as_str()) {
                let hint = suggest(
                    &rb.value,
                    runbook_ids.iter().copied(),
                    "define it in a [[runbook]] table of some record (id = \"...\")",
                );
                d.push(
                    Diagnostic::new(Code::UnknownReference, format!("no runbook has id \"{}\"", rb.value))
                        .at(&r.path, rb.span)
                        .hint(hint),
                );
            }
        }
    }
    d
}

/// A secret or personal-data detector.
struct Detector {
    code: Code,
    what: &'static str,
    re: Regex,
    /// What every match contains, searched first: a pattern without a plain literal
    /// to look for scans each text byte by byte, ten times slower than this.
    gate: Option<Regex>,
}

impl Detector {
    fn captures<'t>(&self, text: &'t str) -> impl Iterator<Item = regex::Captures<'t>> {
        let open = self.gate.as_ref().is_none_or(|g| g.is_match(text));
        open.then(|| self.re.captures_iter(text)).into_iter().flatten()
    }
}

static DETECTORS: LazyLock<Vec<Detector>> = LazyLock::new(|| {
    let d = |code, what, re: &str| Detector { code, what, re: Regex::new(re).expect("detector regex"), gate: None };
    let gated = |gate: &str, det: Detector| Detector { gate: Some(Regex::new(gate).expect("gate regex")), ..det };
    vec![
        d(Code::Secret, "a password in a URL", r"[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@'\x22]+:([^\s@/'\x22]+)@[^\s'\x22]"),
        gated(
            r"(?i)pass|pwd",
            d(
                Code::Secret,
                "a password in a connection string",
                r"(?i)\b(?:password|pwd|passwd)\s*=\s*([^;\s'\x22]{3,})",
            ),
        ),
        d(Code::Secret, "a private key", r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"),
        d(Code::Secret, "an AWS access key", r"\b((?:AKIA|ASIA)[0-9A-Z]{16})\b"),
        d(Code::Secret, "a GitHub token", r"\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})\b"),
        d(Code::Secret, "a GitLab token", r"\b(glpat-[A-Za-z0-9_-]{20,})\b"),
        d(Code::Secret, "a Slack token", r"\b(xox[abposr]-[A-Za-z0-9-]{10,})\b"),
        d(Code::Secret, "a Stripe secret key", r"\b([sr]k_live_[A-Za-z0-9]{16,})\b"),
        d(Code::Secret, "a Google API key", r"\b(AIza[0-9A-Za-z_-]{35})\b"),
        d(Code::Secret, "an OpenAI-style API key", r"\b(sk-(?:proj-)?[A-Za-z0-9_-]{32,})\b"),
        d(Code::Secret, "a JSON web token", r"\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})\b"),
        d(
            Code::PersonalData,
            "an e-mail address",
            r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b",
        ),
        d(
            Code::PersonalData,
            "a phone number",
            r"(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){2,4}\b|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}\b)",
        ),
    ]
});

/// Values that are plainly placeholders, not secrets.
fn is_placeholder(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.chars().all(|c| c == '*' || c == 'x' || c == '.')
        || l.starts_with('$')
        || l.starts_with('<')
        || l.starts_with('{')
        || l.starts_with('%')
        || ["redacted", "password", "secret", "changeme", "placeholder", "example", "token"]
            .iter()
            .any(|p| l.contains(p))
}

fn is_example_address(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    let domain = l.rsplit('@').next().unwrap_or("");
    l.starts_with("git@")
        || ["example.com", "example.org", "example.net"]
            .iter()
            .any(|e| domain == *e || domain.ends_with(&format!(".{e}")))
        || [".example", ".test", ".invalid", ".localhost"].iter().any(|t| domain.ends_with(t))
}

/// Byte ranges of text that public output must not show: secrets, tokens and
/// e-mail addresses (the built-in redaction of FORMAT.md, Visibility).
pub fn sensitive_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    for det in DETECTORS.iter().filter(|d| d.code == Code::Secret || d.what.contains("e-mail")) {
        for caps in det.captures(text) {
            let whole = caps.get(0).expect("match");
            let inner = caps.get(1).unwrap_or(whole);
            if det.code == Code::Secret && caps.get(1).is_some() && is_placeholder(inner.as_str()) {
                continue;
            }
            out.push(inner.range());
        }
    }
    out
}

/// Scans a record's text for secrets (errors) and personal data (warnings).
pub fn scan_text(path: &Path, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for det in DETECTORS.iter() {
        for caps in det.captures(text) {
            let whole = caps.get(0).expect("match");
            let inner = caps.get(1).unwrap_or(whole);
            if det.code == Code::Secret && caps.get(1).is_some() && is_placeholder(inner.as_str()) {
                continue;
            }
            if det.code == Code::PersonalData && det.what.contains("e-mail") && is_example_address(whole.as_str()) {
                continue;
            }
            let span = Span { start: inner.start(), end: inner.end() };
            let diag = if det.code == Code::Secret {
                Diagnostic::new(det.code, format!("{} is in the record", det.what))
                    .at(path, span)
                    .label("secret")
                    .hint("replace it with a placeholder such as REDACTED and rotate it: it is already in your history")
            } else {
                Diagnostic::new(det.code, format!("{} is in the record", det.what))
                    .at(path, span)
                    .label("personal data")
                    .hint("name a role or team instead, use an example.com placeholder, or add a [redact] pattern for public output")
            };
            out.push(diag);
        }
    }
    out
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
                    Code::UnknownReference,
                    format!(
                        "commit {} closes action {action}, which {} does not have",
                        &m.commit.id[..7],
                        r.incident.id
                    ),
                )
                .in_file(&r.path)
                .hint("fix the Closes-Action trailer's action id in a follow-up commit, or add the action"),
            ),
        }
    }
    (d, unverified)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(t: &str) -> Vec<(Code, String)> {
        scan_text(Path::new("x.toml"), t)
            .into_iter()
            .map(|d| (d.code, t[d.span.unwrap().start..d.span.unwrap().end].to_string()))
            .collect()
    }

    #[test]
    fn secrets_are_found_exactly() {
        assert_eq!(scan("url = \"postgres://app:hunter22@db:5432/app\""), vec![(Code::Secret, "hunter22".into())]);
        assert_eq!(scan("c = \"Server=db;Password=s3cr3tpw;\""), vec![(Code::Secret, "s3cr3tpw".into())]);
        assert_eq!(scan("k = \"AKIAABCDEFGHIJKLMNOP\"")[0].0, Code::Secret);
        assert_eq!(scan("k = \"ghp_abcdefghijklmnopqrstuvwxyz0123456789\"")[0].0, Code::Secret);
        assert_eq!(scan("-----BEGIN RSA PRIVATE KEY-----")[0].0, Code::Secret);
    }

    #[test]
    fn placeholders_are_not_secrets() {
        assert!(scan("url = \"postgres://app:REDACTED@db/app\"").is_empty());
        assert!(scan("url = \"postgres://app:${DB_PASSWORD}@db/app\"").is_empty());
        assert!(scan("x = \"https://github.com/acme/app\"").is_empty());
        assert!(scan("x = \"git@github.com:acme/app.git\"").is_empty());
    }

    #[test]
    fn personal_data_is_a_warning() {
        assert_eq!(scan("who = \"jane.doe@acme.io\""), vec![(Code::PersonalData, "jane.doe@acme.io".into())]);
        assert!(scan("who = \"developer@example.com\"").is_empty());
        assert_eq!(scan("call = \"+44 20 7946 0958\"")[0].0, Code::PersonalData);
        assert!(scan("at = 2025-11-16T21:00:00Z\nid = \"508626c0-6e22-4dcd-93da-0eea6a63437e\"").is_empty());
    }
}
