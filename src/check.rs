//! The rules of FORMAT.md that span more than one value: ordering, uniqueness,
//! references, cross-checks of stated figures, overdue work, and the scan of the
//! source text for secrets and personal data.

use crate::diag::{Code, Diagnostic, did_you_mean, suggest};
use crate::figures::{self, differs_by_more_than_a_tenth};
use crate::load::{Casebook, Record};
use crate::model::*;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
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
    periods(inc, path, &mut d);
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

/// Periods that end before they start: a timeline entry's `until`, an impact window's `to`.
fn periods(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    let zone = &inc.zone;
    for e in &inc.timeline {
        if let Some(until) = &e.until
            && before(until, &e.at, zone)
        {
            d.push(
                Diagnostic::new(Code::PeriodOrder, format!("the entry ends ({until}) before it starts ({})", e.at))
                    .at(path, e.span)
                    .label("`until` is earlier than this")
                    .hint("check both times and their timezone; a local-time `until` is read on the day of `at`"),
            );
        }
    }
    for w in inc.impact.iter().flat_map(|i| &i.windows) {
        if let Some(to) = &w.to
            && before(to, &w.from, zone)
        {
            d.push(
                Diagnostic::new(
                    Code::PeriodOrder,
                    format!("impact window `{}` ends ({to}) before it starts ({})", w.scope, w.from),
                )
                .at(path, w.span)
                .label("`to` is earlier than `from`")
                .hint("check both times and their timezone; leave out `to` while the window is still open"),
            );
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
    cause_cycles(inc, path, d);
}

/// Every cycle of `because_of`, reported once, at its first cause in record order.
/// Strongly connected components (Tarjan's algorithm, iterative), so that thousands
/// of causes take linear time.
fn cause_cycles(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    let index: HashMap<&str, usize> =
        inc.causes.iter().enumerate().filter_map(|(i, c)| Some((c.id.as_deref()?, i))).collect();
    let edges: Vec<Vec<usize>> = inc
        .causes
        .iter()
        .map(|c| {
            let mut e: Vec<usize> = c.because_of.iter().filter_map(|b| index.get(b.value.as_str()).copied()).collect();
            e.dedup();
            e
        })
        .collect();
    for component in strongly_connected(&edges) {
        let first = *component.iter().min().expect("components are not empty");
        let looped = component.len() > 1 || edges[first].contains(&first);
        if !looped {
            continue;
        }
        let cycle = cycle_through(first, &component, &edges);
        let names: Vec<&str> = cycle.iter().map(|&i| inc.causes[i].id.as_deref().unwrap_or("?")).collect();
        d.push(
            Diagnostic::new(Code::CauseCycle, format!("causes form a cycle: {}", names.join(" → ")))
                .at(path, inc.causes[first].span)
                .hint("a causal chain must end; remove one `because_of` link"),
        );
    }
}

/// The strongly connected components of a graph given as adjacency lists.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut out = Vec::new();
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut e)) = work.last_mut() {
            if let Some(&w) = edges[v].get(*e) {
                *e += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(component);
            }
        }
    }
    out
}

/// A shortest cycle from `start` back to itself inside `component` (breadth first).
fn cycle_through(start: usize, component: &[usize], edges: &[Vec<usize>]) -> Vec<usize> {
    let inside: HashSet<usize> = component.iter().copied().collect();
    let mut came_from: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &edges[v] {
            if w == start {
                let mut path = vec![start];
                let mut at = v;
                while at != start {
                    path.push(at);
                    at = came_from[&at];
                }
                path.push(start);
                let last = path.len() - 1;
                path[1..last].reverse();
                return path;
            }
            if inside.contains(&w) && !came_from.contains_key(&w) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    vec![start, start]
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

/// The diagnostic for one detector finding at `span`.
fn finding_diagnostic(path: &Path, f: &crate::redact::Finding, span: Span, decoded: bool) -> Diagnostic {
    let after = if decoded { " (once its TOML escapes are read)" } else { "" };
    match f.kind {
        crate::redact::Kind::Secret => Diagnostic::new(Code::Secret, format!("{} is in the record{after}", f.what))
            .at(path, span)
            .label("secret")
            .hint("replace it with a placeholder such as REDACTED and rotate it: it is already in your history"),
        crate::redact::Kind::Personal => {
            Diagnostic::new(Code::PersonalData, format!("{} is in the record{after}", f.what))
                .at(path, span)
                .label("personal data")
                .hint("name a role or team instead, use an example.com placeholder, or mark the entry private; public output redacts it")
        }
    }
}

/// Scans a record's text for secrets (errors) and personal data (warnings): the
/// text as written, comments included, and every string value as TOML decodes it,
/// so that an escape (`\u0041KIA...`, `\u0040`) or a line continuation cannot hide one.
pub fn scan_text(path: &Path, text: &str) -> Vec<Diagnostic> {
    scan(path, text, crate::redact::Scope::All)
}

/// [`scan_text`] for secrets only: what stops a build.
pub fn scan_secrets(path: &Path, text: &str) -> Vec<Diagnostic> {
    scan(path, text, crate::redact::Scope::Secrets)
}

fn scan(path: &Path, text: &str, scope: crate::redact::Scope) -> Vec<Diagnostic> {
    let found = crate::redact::detect::find(text, scope);
    let mut out: Vec<Diagnostic> =
        found.iter().map(|f| finding_diagnostic(path, f, f.range.clone().into(), false)).collect();
    // Only a string with an escape decodes to something other than its source text.
    if !text.contains('\\') {
        return out;
    }
    for (span, value) in decoded_strings(text) {
        let raw = &text[span.start.min(text.len())..span.end.min(text.len())];
        if raw.contains(value.as_str()) {
            continue;
        }
        for f in crate::redact::detect::find(&value, scope) {
            let seen = found.iter().any(|g| g.what == f.what && g.range.start >= span.start && g.range.end <= span.end);
            if !seen {
                out.push(finding_diagnostic(path, &f, span, true));
            }
        }
    }
    out
}

/// Every string value (and key) in a TOML text with its span, decoded.
fn decoded_strings(text: &str) -> Vec<(Span, String)> {
    use toml::de::{DeTable, DeValue};
    fn walk(v: &toml::Spanned<DeValue<'_>>, out: &mut Vec<(Span, String)>) {
        match v.get_ref() {
            DeValue::String(s) => out.push((v.span().into(), s.to_string())),
            DeValue::Array(items) => items.iter().for_each(|i| walk(i, out)),
            DeValue::Table(t) => table(t, out),
            _ => {}
        }
    }
    fn table(t: &DeTable<'_>, out: &mut Vec<(Span, String)>) {
        for (k, v) in t.iter() {
            out.push((k.span().into(), k.get_ref().to_string()));
            walk(v, out);
        }
    }
    let (doc, _) = DeTable::parse_recoverable(text);
    let mut out = Vec::new();
    table(doc.get_ref(), &mut out);
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
        assert_eq!(scan("# a comment: ghp_abcdefghijklmnopqrstuvwxyz0123456789")[0].0, Code::Secret);
        assert_eq!(scan("-----BEGIN RSA PRIVATE KEY-----")[0].0, Code::Secret);
    }

    #[test]
    fn escapes_do_not_hide_secrets() {
        // The whole string value is pointed at.
        assert_eq!(
            scan(r#"k = "\u0041KIAABCDEFGHIJKLMNOP""#),
            vec![(Code::Secret, r#""\u0041KIAABCDEFGHIJKLMNOP""#.into())]
        );
        let continued = "k = \"\"\"AKIAABCD\\\n      EFGHIJKLMNOP\"\"\"";
        assert_eq!(scan(continued)[0].0, Code::Secret);
        assert_eq!(scan(r#"u = "postgres://app:hunter22\u0040db/app""#)[0].0, Code::Secret);
        assert_eq!(scan(r#"who = "jane\u0040acme.io""#)[0].0, Code::PersonalData);
        // Reported once when the escape does not touch the secret.
        assert_eq!(scan(r#"k = "\tAKIAABCDEFGHIJKLMNOP""#).len(), 1);
    }

    #[test]
    fn personal_data_is_a_warning() {
        assert_eq!(scan("who = \"jane.doe@acme.io\""), vec![(Code::PersonalData, "jane.doe@acme.io".into())]);
        assert_eq!(scan("from = \"81.2.69.160\"")[0].0, Code::PersonalData);
        assert!(scan("who = \"developer@example.com\"").is_empty());
        assert_eq!(scan("call = \"+44 20 7946 0958\"")[0].0, Code::PersonalData);
        assert!(scan("at = 2025-11-16T21:00:00Z\nid = \"508626c0-6e22-4dcd-93da-0eea6a63437e\"").is_empty());
    }
}
