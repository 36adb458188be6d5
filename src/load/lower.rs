//! Lowering: raw file structs → typed model, with a diagnostic for every value
//! that cannot be used. Lowering keeps going after an error so that one run
//! reports as many problems as it can.

use super::raw::*;
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::model::*;
use chrono::{NaiveDate, NaiveTime};
use std::collections::BTreeMap;
use std::path::Path;

struct Lower<'a> {
    path: &'a Path,
    diags: Vec<Diagnostic>,
    zone: Zone,
    date: Option<NaiveDate>,
}

fn sp(r: &std::ops::Range<usize>) -> Span {
    r.clone().into()
}

/// A diagnostic being built; it is recorded when dropped.
struct Pending<'l> {
    sink: &'l mut Vec<Diagnostic>,
    diag: Option<Diagnostic>,
}

impl Pending<'_> {
    fn map(mut self, f: impl FnOnce(Diagnostic) -> Diagnostic) -> Self {
        self.diag = self.diag.take().map(f);
        self
    }
    fn label(self, l: impl Into<String>) -> Self {
        self.map(|d| d.label(l))
    }
    fn hint(self, h: impl Into<String>) -> Self {
        self.map(|d| d.hint(h))
    }
    fn also(self, path: &Path, span: Span, l: impl Into<String>) -> Self {
        self.map(|d| d.also(path, span, l))
    }
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        if let Some(d) = self.diag.take() {
            self.sink.push(d);
        }
    }
}

impl<'a> Lower<'a> {
    fn error(&mut self, code: Code, message: impl Into<String>, span: Span) -> Pending<'_> {
        let diag = Diagnostic::new(code, message).at(self.path, span);
        Pending { sink: &mut self.diags, diag: Some(diag) }
    }

    fn duration(&mut self, s: &Sp<String>) -> Option<Duration> {
        match Duration::parse(&s.value) {
            Ok(d) => Some(d),
            Err(e) => {
                // +1 skips the opening quote of the TOML string.
                let at = (s.span.start + 1 + e.at).min(s.span.end);
                self.error(
                    Code::BadDuration,
                    format!("cannot read duration \"{}\": {}", s.value, e.message),
                    Span { start: at, end: (at + 1).min(s.span.end) },
                )
                .label("here")
                .hint("write parts like \"1h30m\", \"3d 4h\", \"45m\", \"90s\" (units w d h m s, largest first)");
                None
            }
        }
    }

    fn keyword<T: Copy>(
        &mut self,
        s: &Sp<String>,
        parse: fn(&str) -> Option<T>,
        names: &[&'static str],
        key: &str,
    ) -> Option<T> {
        if let Some(v) = parse(&s.value) {
            return Some(v);
        }
        let suggestion = did_you_mean(&s.value, names.iter().copied());
        let message = match suggestion {
            Some(m) => format!("`{key}` cannot be \"{}\"; did you mean \"{m}\"?", s.value),
            None => format!("`{key}` cannot be \"{}\"", s.value),
        };
        self.error(Code::InvalidValue, message, sp(&s.span))
            .label("not an allowed value")
            .hint(format!("use one of: {}", names.join(", ")));
        None
    }

    /// A datetime in any of the record's forms: offset datetime, local datetime
    /// (in the record's zone), local date (known only to the day), or local time
    /// (on `day`, default the record's date).
    fn time(&mut self, t: &Sp<RawTime>, day: Option<NaiveDate>, key: &str) -> Option<When> {
        let dt = &t.value.0;
        let span = sp(&t.span);
        let date = dt.date.map(|d| NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32));
        let date = match date {
            Some(Some(d)) => Some(d),
            Some(None) => {
                self.error(Code::BadTime, format!("`{key}` is not a real date"), span)
                    .hint("use a date that exists on the calendar");
                return None;
            }
            None => None,
        };
        let time = dt.time.map(|tm| {
            NaiveTime::from_hms_nano_opt(
                tm.hour as u32,
                tm.minute as u32,
                tm.second.unwrap_or(0).min(59) as u32,
                tm.nanosecond.unwrap_or(0),
            )
        });
        let time = match time {
            Some(Some(t)) => Some(t),
            Some(None) => {
                self.error(Code::BadTime, format!("`{key}` is not a real time of day"), span);
                return None;
            }
            None => None,
        };
        match (date, time, dt.offset) {
            (Some(d), Some(t), Some(off)) => {
                let secs = match off {
                    toml::value::Offset::Z => 0,
                    toml::value::Offset::Custom { minutes } => minutes as i32 * 60,
                };
                let Some(off) = chrono::FixedOffset::east_opt(secs) else {
                    self.error(Code::BadTime, format!("`{key}` has an impossible UTC offset"), span);
                    return None;
                };
                let naive = d.and_time(t);
                match naive.and_local_timezone(off).single() {
                    Some(at) => Some(When::exact(at)),
                    None => {
                        self.error(Code::BadTime, format!("`{key}` cannot be placed in time"), span);
                        None
                    }
                }
            }
            (Some(d), Some(t), None) => self.localize(d.and_time(t), span, key),
            (Some(d), None, _) => {
                let at = self.localize(d.and_hms_opt(0, 0, 0).expect("midnight"), span, key)?;
                Some(When { precision: Precision::Day, ..at })
            }
            (None, Some(t), _) => {
                let Some(d) = day.or(self.date) else {
                    self.error(Code::BadTime, format!("`{key}` is a time of day, but the record has no `date` to put it on"), span)
                        .label("time without a date")
                        .hint("add `date = YYYY-MM-DD` at the top level, or write a full datetime such as 2025-11-16T21:10:00Z");
                    return None;
                };
                self.localize(d.and_time(t), span, key)
            }
            (None, None, _) => None,
        }
    }

    fn localize(&mut self, naive: chrono::NaiveDateTime, span: Span, key: &str) -> Option<When> {
        match self.zone.localize(naive) {
            Ok(at) => Some(When::exact(at)),
            Err(e) => {
                self.error(Code::BadTime, format!("`{key}`: {e}"), span)
                    .hint("give an explicit offset, e.g. 2025-03-30T02:30:00+01:00");
                None
            }
        }
    }

    fn commits(&mut self, list: &[Sp<String>]) -> Vec<CommitRef> {
        list.iter().filter_map(|c| self.commit(c)).collect()
    }

    fn commit(&mut self, c: &Sp<String>) -> Option<CommitRef> {
        match CommitRef::parse(&c.value, sp(&c.span)) {
            Ok(r) => Some(r),
            Err(e) => {
                self.error(Code::BadSha, format!("cannot read commit id \"{}\": {e}", c.value), sp(&c.span))
                    .hint("write a hex commit id of 4 to 40 characters, optionally as \"repo@sha\"");
                None
            }
        }
    }

    fn markdown(&mut self, s: &Option<Sp<String>>, key: &str) -> Option<String> {
        let s = s.as_ref()?;
        self.check_markdown(s, key);
        Some(s.value.clone())
    }

    fn markdowns(&mut self, list: &[Sp<String>], key: &str) -> Vec<String> {
        list.iter()
            .map(|s| {
                self.check_markdown(s, key);
                s.value.clone()
            })
            .collect()
    }

    /// An identifier: restricted to characters safe in file names, URLs and anchors.
    fn name(&mut self, s: &Sp<String>, key: &str) {
        if let Some(problem) = crate::redact::names::id_problem(&s.value) {
            self.error(Code::UnsafeName, format!("`{key}` cannot be used as an id: {problem}"), sp(&s.span))
                .label("not a safe id")
                .hint("use letters, digits and - _ . / : + only, e.g. \"db-restore-1\"");
        }
    }

    /// A count that cannot be negative.
    fn count(&mut self, v: &Option<Sp<i64>>, key: &str) -> Option<i64> {
        let v = v.as_ref()?;
        if v.value < 0 {
            self.error(Code::OutOfRange, format!("`{key}` cannot be negative ({})", v.value), sp(&v.span))
                .label("negative count")
                .hint("write how many were affected; leave the key out when it is not known");
            return None;
        }
        Some(v.value)
    }

    /// A link target that published pages would not keep.
    fn link_target(&mut self, url: &str, span: Span, key: &str) {
        use crate::redact::LinkTarget;
        match crate::redact::links::classify(url) {
            LinkTarget::Allowed => {}
            LinkTarget::Dangerous(scheme) => {
                self.error(
                    Code::UnsafeLink,
                    format!("`{key}` links to a `{scheme}:` target, which could run code"),
                    span,
                )
                .label("dangerous link")
                .hint("remove the link, or link to an https page");
            }
            LinkTarget::Unpublished(scheme) => {
                self.error(
                    Code::UnpublishedLink,
                    format!("`{key}` links to a `{scheme}:` target; published pages show it as text"),
                    span,
                )
                .label("not a web link")
                .hint("link to an https page if readers should follow it");
            }
        }
    }

    /// A fenced code block left open would swallow the rest of the page.
    fn check_markdown(&mut self, s: &Sp<String>, key: &str) {
        for (url, _) in crate::markdown::unsafe_links(&s.value) {
            self.link_target(&url, sp(&s.span), key);
        }
        if let Some(fence) = crate::markdown::unclosed_fence(&s.value) {
            self.error(
                Code::BrokenMarkdown,
                format!("`{key}` opens a code fence ({fence}) that it never closes"),
                sp(&s.span),
            )
            .label("unclosed code fence")
            .hint(format!("close the block with {fence} on a line of its own inside this field"));
        }
    }
}

/// Lowers one parsed record. Returns `None` when an error leaves no usable incident.
pub fn lower(slug: &str, raw: RawIncident, path: &Path) -> (Option<Incident>, Vec<Diagnostic>) {
    let mut l = Lower { path, diags: Vec::new(), zone: Zone::default(), date: None };
    let whole = Span { start: 0, end: 0 };

    if let Some(id) = &raw.id {
        l.name(id, "id");
    }
    let format = raw.format.as_ref().map_or(1, |f| f.value);
    if let Some(f) = &raw.format
        && f.value != 1
    {
        l.error(
            Code::UnsupportedFormat,
            format!("format version {} is not supported; this casebook reads version 1", f.value),
            sp(&f.span),
        )
        .hint("upgrade casebook, or set `format = 1` if the record follows version 1");
        return (None, l.diags);
    }

    if let Some(tz) = &raw.timezone {
        match Zone::parse(&tz.value) {
            Some(z) => l.zone = z,
            None => {
                let hint = match did_you_mean(&tz.value, Zone::known_names()) {
                    Some(s) => format!("did you mean \"{s}\"? Use an IANA name or an offset such as \"+02:00\""),
                    None => "use an IANA name (\"Europe/Berlin\", \"UTC\") or an offset such as \"+02:00\"".to_string(),
                };
                l.error(Code::UnknownTimezone, format!("unknown timezone \"{}\"", tz.value), sp(&tz.span))
                    .label("not a timezone")
                    .hint(hint);
            }
        }
    }

    // The record's date: stated, or the day of `started` or of the first full datetime.
    if let Some(d) = &raw.date {
        let t = &d.value.0;
        match (t.date, t.time) {
            (Some(date), None) => match NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32) {
                Some(nd) => l.date = Some(nd),
                None => {
                    l.error(Code::BadTime, "`date` is not a real date", sp(&d.span));
                }
            },
            _ => {
                l.error(Code::BadTime, "`date` takes a date alone, such as 2025-11-16", sp(&d.span))
                    .label("not a plain date")
                    .hint("write the day as YYYY-MM-DD; put the time in `started` or the timeline");
            }
        }
    }

    let mut missing = Vec::new();
    let title = raw.title.as_ref().map(|t| t.value.clone());
    if title.is_none() {
        missing.push("title");
    }
    if raw.summary.is_none() {
        missing.push("summary");
    }
    let status = match &raw.status {
        Some(s) => l.keyword(s, Status::parse, Status::names(), "status"),
        None => {
            missing.push("status");
            None
        }
    };
    for key in &missing {
        let hint = match *key {
            "title" => "add `title = \"What users saw\"`",
            "summary" => "add `summary = \"\"\"What happened, in a paragraph.\"\"\"`",
            _ => "add `status = \"investigating\"` (or identified, monitoring, resolved, closed)",
        };
        l.error(Code::MissingKey, format!("missing required key \"{key}\""), whole).hint(hint);
    }
    let summary = l.markdown(&raw.summary, "summary");

    // Timeline, first pass: full datetimes give a date when none is stated.
    if l.date.is_none() {
        let candidates = raw.started.iter().chain(raw.timeline.iter().map(|e| &e.at));
        for t in candidates {
            if t.value.0.date.is_some()
                && t.value.0.time.is_some()
                && let Some(w) = l.time(t, None, "at")
            {
                l.date = Some(w.day(&l.zone));
                break;
            }
        }
    }

    let mut timeline = Vec::with_capacity(raw.timeline.len());
    for e in &raw.timeline {
        let Some(at) = l.time(&e.at, None, "at") else {
            continue;
        };
        let at = if e.approximate && at.precision == Precision::Exact {
            When { precision: Precision::Approximate, ..at }
        } else {
            at
        };
        let until = e.until.as_ref().and_then(|u| l.time(u, Some(at.day(&l.zone)), "until"));
        let kind = e
            .kind
            .as_ref()
            .and_then(|k| l.keyword(k, EntryKind::parse, EntryKind::names(), "kind"))
            .unwrap_or_default();
        let marks =
            e.marks.iter().filter_map(|m| l.keyword(m, MomentKind::parse, MomentKind::names(), "marks")).collect();
        let commits = l.commits(&e.commits);
        let body = l.markdown(&e.body, "body");
        timeline.push(TimelineEntry {
            at,
            until,
            title: e.title.clone(),
            body,
            kind,
            marks,
            commits,
            source: e.source.as_ref().map(|s| Located::new(s.value.clone(), sp(&s.span))),
            private: e.private,
            span: sp(&e.at.span),
        });
    }

    if l.date.is_none()
        && let Some(first) = timeline.iter().find(|e| e.at.precision == Precision::Day)
    {
        l.date = Some(first.at.day(&l.zone));
    }
    let date = match l.date {
        Some(d) => d,
        None => {
            l.error(Code::MissingKey, "missing required key \"date\"", whole)
                .hint("add `date = YYYY-MM-DD`, or give `started` or a timeline entry a full datetime");
            NaiveDate::MIN
        }
    };

    // Key moments: top-level keys, then timeline marks.
    let mut moments: BTreeMap<MomentKind, Moment> = BTreeMap::new();
    let top = [
        (MomentKind::Introduced, &raw.introduced),
        (MomentKind::Started, &raw.started),
        (MomentKind::Detected, &raw.detected),
        (MomentKind::Acknowledged, &raw.acknowledged),
        (MomentKind::Identified, &raw.identified),
        (MomentKind::Mitigated, &raw.mitigated),
        (MomentKind::Resolved, &raw.resolved),
    ];
    for (kind, value) in top {
        if let Some(v) = value
            && let Some(when) = l.time(v, None, kind.as_str())
        {
            moments.insert(kind, Moment { kind, when, source: MomentSource::TopLevel, span: sp(&v.span) });
        }
    }
    for (i, e) in timeline.iter().enumerate() {
        let raw_marks = raw.timeline.iter().find(|r| sp(&r.at.span) == e.span).map(|r| &r.marks);
        for kind in &e.marks {
            let span = raw_marks
                .and_then(|m| m.iter().find(|s| s.value == kind.as_str()))
                .map(|s| sp(&s.span))
                .unwrap_or(e.span);
            if let Some(prev) = moments.get(kind) {
                let where_ = match prev.source {
                    MomentSource::TopLevel => "as a top-level key",
                    MomentSource::Timeline(_) => "on another timeline entry",
                };
                let prev_span = prev.span;
                let path = l.path;
                l.error(Code::MomentTwice, format!("`{kind}` is given twice: here and {where_}"), span)
                    .label("second time")
                    .also(path, prev_span, "first given here")
                    .hint("state each key moment once: remove one of the two");
                continue;
            }
            moments.insert(*kind, Moment { kind: *kind, when: e.at, source: MomentSource::Timeline(i), span });
        }
    }

    // Impact.
    let impact = raw.impact.as_ref().map(|im| {
        let windows = im
            .windows
            .iter()
            .filter_map(|w| {
                let from = l.time(&w.value.from, None, "from")?;
                let to = w.value.to.as_ref().and_then(|t| l.time(t, Some(from.day(&l.zone)), "to"));
                let level = w
                    .value
                    .level
                    .as_ref()
                    .and_then(|s| l.keyword(s, WindowLevel::parse, WindowLevel::names(), "level"))
                    .unwrap_or_default();
                let note = l.markdown(&w.value.note, "note");
                Some(ImpactWindow {
                    scope: w.value.scope.clone(),
                    from,
                    to,
                    level,
                    approximate: w.value.approximate,
                    note,
                    span: sp(&w.span),
                })
            })
            .collect();
        let metrics = im
            .metrics
            .iter()
            .map(|m| Metric {
                name: m.name.clone(),
                value: m.value,
                unit: m.unit.clone(),
                bound: m
                    .bound
                    .as_ref()
                    .and_then(|b| l.keyword(b, Bound::parse, Bound::names(), "bound"))
                    .unwrap_or_default(),
                note: l.markdown(&m.note, "note"),
                source: m.source.as_ref().map(|s| Located::new(s.value.clone(), sp(&s.span))),
            })
            .collect();
        Impact {
            summary: l.markdown(&im.summary, "summary"),
            downtime: im.downtime.as_ref().and_then(|d| l.duration(d).map(|v| Located::new(v, sp(&d.span)))),
            degraded: im.degraded.as_ref().and_then(|d| l.duration(d).map(|v| Located::new(v, sp(&d.span)))),
            users_affected: l.count(&im.users_affected, "users_affected"),
            customers_affected: l.count(&im.customers_affected, "customers_affected"),
            data_loss: im.data_loss.clone(),
            revenue: im.revenue.clone(),
            notes: l.markdowns(&im.notes, "notes"),
            metrics,
            windows,
        }
    });

    let causes = raw
        .causes
        .iter()
        .map(|c| {
            let r = &c.value;
            if let Some(id) = &r.id {
                l.name(id, "id");
            }
            Cause {
                id: r.id.as_ref().map(|i| i.value.clone()),
                title: r.title.clone(),
                role: r
                    .role
                    .as_ref()
                    .and_then(|s| l.keyword(s, CauseRole::parse, CauseRole::names(), "role"))
                    .unwrap_or_default(),
                because_of: r.because_of.iter().map(|b| Located::new(b.value.clone(), sp(&b.span))).collect(),
                kind: r.kind.clone(),
                primary: r.primary,
                description: l.markdown(&r.description, "description"),
                impact: l.markdown(&r.impact, "impact"),
                fix: l.markdown(&r.fix, "fix"),
                fix_time: r.fix_time.as_ref().and_then(|d| l.duration(d)),
                commits: l.commits(&r.commits),
                found: r.found.as_ref().and_then(|f| l.time(f, None, "found")),
                private: r.private,
                span: sp(&c.span),
            }
        })
        .collect();

    let commits = raw
        .commits
        .iter()
        .filter_map(|c| {
            let mut commit = l.commit(&c.sha)?;
            if let Some(repo) = &c.repository
                && commit.repository.is_none()
            {
                commit.repository = Some(repo.value.clone());
            }
            Some(CommitNote { commit, note: c.note.clone() })
        })
        .collect();

    let changes = raw
        .changes
        .iter()
        .filter_map(|c| {
            let r = &c.value;
            let target = match (&r.path, &r.setting) {
                (Some(p), None) => {
                    if r.from.is_some() || r.to.is_some() {
                        l.error(
                            Code::BadChange,
                            "`from` and `to` describe a setting, but this change names a `path`",
                            sp(&c.span),
                        )
                        .hint("use `setting` for configuration values, or put the file's change in `summary`");
                    }
                    ChangeTarget::File(p.clone())
                }
                (None, Some(s)) => ChangeTarget::Setting { name: s.clone(), from: r.from.clone(), to: r.to.clone() },
                (Some(_), Some(_)) => {
                    l.error(Code::BadChange, "a change names both `path` and `setting`", sp(&c.span))
                        .hint("split it into two [[changes]] entries");
                    return None;
                }
                (None, None) => {
                    l.error(Code::BadChange, "a change names neither `path` nor `setting`", sp(&c.span))
                        .hint("add `path = \"src/file.rs\"` or `setting = \"service max_connections\"`");
                    return None;
                }
            };
            Some(Change {
                target,
                at: r.at.as_ref().and_then(|t| l.time(t, None, "at")),
                summary: l.markdown(&r.summary, "summary"),
                commits: l.commits(&r.commits),
                committed: r.committed.unwrap_or(true),
                private: r.private,
            })
        })
        .collect();

    let lessons = raw
        .lessons
        .iter()
        .map(|le| Lesson {
            title: le.title.clone(),
            problem: l.markdown(&le.problem, "problem"),
            takeaways: l.markdowns(&le.takeaways, "takeaways"),
        })
        .collect();

    let actions = raw
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let r = &a.value;
            let due = r.due.as_ref().and_then(|d| match &d.value.0 {
                toml::Value::Datetime(dt) if dt.date.is_some() && dt.time.is_none() => {
                    let date = dt.date.expect("checked");
                    NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32).map(Due::Day)
                }
                toml::Value::String(s) => match Due::parse_period(s) {
                    Some(due) => Some(due),
                    None => {
                        l.error(Code::BadTime, format!("cannot read `due` \"{s}\""), sp(&d.span)).hint(
                            "write a date (2025-12-01, no quotes), a month (\"2025-12\") or a quarter (\"2026-Q1\")",
                        );
                        None
                    }
                },
                _ => {
                    l.error(Code::WrongType, "`due` takes a date, a month or a quarter", sp(&d.span))
                        .hint("write a date (2025-12-01, no quotes), a month (\"2025-12\") or a quarter (\"2026-Q1\")");
                    None
                }
            });
            if let Some(id) = &r.id {
                l.name(id, "id");
            }
            ActionItem {
                id: r.id.as_ref().map_or_else(|| format!("A{}", i + 1), |id| id.value.clone()),
                explicit_id: r.id.is_some(),
                title: r.title.clone(),
                details: l.markdowns(&r.details, "details"),
                kind: r.kind.as_ref().and_then(|s| l.keyword(s, ActionKind::parse, ActionKind::names(), "kind")),
                horizon: r.horizon.as_ref().and_then(|s| l.keyword(s, Horizon::parse, Horizon::names(), "horizon")),
                owner: r.owner.clone(),
                due,
                status: r
                    .status
                    .as_ref()
                    .and_then(|s| l.keyword(s, ActionStatus::parse, ActionStatus::names(), "status"))
                    .unwrap_or_default(),
                ticket: r.ticket.clone(),
                private: r.private,
                span: r.id.as_ref().map_or(sp(&a.span), |id| sp(&id.span)),
            }
        })
        .collect();

    let verification = raw
        .verification
        .iter()
        .map(|v| VerificationItem { item: v.item.clone(), done: v.done, by: v.by.clone() })
        .collect();
    let effort = raw
        .effort
        .iter()
        .filter_map(|e| Some(EffortItem { activity: e.activity.clone(), duration: l.duration(&e.duration)? }))
        .collect();

    let runbooks = raw
        .runbook
        .iter()
        .map(|rb| {
            let r = &rb.value;
            l.name(&r.id, "id");
            let reviewed = r.reviewed.as_ref().and_then(|t| l.time(t, None, "reviewed")).map(|w| w.at.date_naive());
            Runbook {
                id: r.id.value.clone(),
                title: r.title.clone(),
                symptoms: r.symptoms.clone(),
                services: r.services.clone(),
                steps: r
                    .steps
                    .iter()
                    .map(|s| RunbookStep {
                        title: s.title.clone(),
                        body: l.markdown(&s.body, "body"),
                        command: s.command.clone(),
                    })
                    .collect(),
                verify: r.verify.clone(),
                owner: r.owner.clone(),
                reviewed,
                span: sp(&r.id.span),
            }
        })
        .collect();

    let links = raw
        .links
        .iter()
        .map(|k| Link {
            id: k.id.as_ref().map(|id| {
                l.name(id, "id");
                id.value.clone()
            }),
            title: k.title.clone(),
            url: {
                l.link_target(&k.url.value, sp(&k.url.span), "url");
                k.url.value.clone()
            },
            kind: k
                .kind
                .as_ref()
                .and_then(|s| l.keyword(s, LinkKind::parse, LinkKind::names(), "kind"))
                .unwrap_or_default(),
        })
        .collect();

    let sections = raw
        .sections
        .iter()
        .map(|s| Section {
            title: s.title.clone(),
            body: l.markdown(&s.body, "body"),
            after: s
                .after
                .as_ref()
                .and_then(|a| l.keyword(a, SectionAnchor::parse, SectionAnchor::names(), "after"))
                .unwrap_or_default(),
            private: s.private,
        })
        .collect();

    let effort_total = raw.effort_total.as_ref().and_then(|d| l.duration(d).map(|v| Located::new(v, sp(&d.span))));
    let created = raw.created.as_ref().and_then(|t| l.time(t, None, "created"));
    let updated = raw.updated.as_ref().and_then(|t| l.time(t, None, "updated"));
    let conclusion = l.markdown(&raw.conclusion, "conclusion");

    if l.diags.iter().any(Diagnostic::is_error) {
        return (None, l.diags);
    }
    let incident = Incident {
        slug: slug.to_string(),
        format,
        id: raw.id.as_ref().map_or_else(|| slug.to_string(), |id| id.value.clone()),
        title: title.unwrap_or_default(),
        date,
        zone: l.zone,
        severity: raw.severity.as_ref().map(|s| Located::new(s.value.clone(), sp(&s.span))),
        status: status.unwrap_or_default(),
        services: raw.services.clone(),
        tags: raw.tags.clone(),
        authors: raw.authors.clone(),
        summary: summary.unwrap_or_default(),
        moments,
        effort_total,
        created,
        updated,
        conclusion,
        related: raw.related.iter().map(|r| Located::new(r.value.clone(), sp(&r.span))).collect(),
        runbook_refs: raw.runbooks.iter().map(|r| Located::new(r.value.clone(), sp(&r.span))).collect(),
        impact,
        timeline,
        causes,
        commits,
        changes,
        lessons,
        actions,
        verification,
        effort,
        runbooks,
        links,
        sections,
    };
    (Some(incident), l.diags)
}
