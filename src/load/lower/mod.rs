//! Lowering: raw file structs → typed model, with a diagnostic for every value
//! that cannot be used. Lowering keeps going after an error so that one run
//! reports as many problems as it can. One file per part of the record; the
//! helpers every part uses are here.

mod actions;
mod causes;
mod header;
mod impact;
mod tables;
mod timeline;

use super::raw::*;
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::model::*;
use chrono::{NaiveDate, NaiveTime};
use std::path::Path;

struct Lower<'a> {
    path: &'a Path,
    /// The record's text, for values shown as written.
    text: &'a str,
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

    /// The source text of a value, as written (a number's literal).
    fn written(&self, span: &std::ops::Range<usize>) -> String {
        self.text.get(span.clone()).unwrap_or_default().trim().to_string()
    }

    /// A stated duration, kept as written.
    fn duration(&mut self, s: &Sp<String>) -> Option<Stated<Duration>> {
        match Duration::parse(&s.value) {
            Ok(d) => Some(Stated::new(d, s.value.trim(), sp(&s.span))),
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
                let at = self.localize(d.and_time(NaiveTime::MIN), span, key)?;
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

    /// [`Lower::time`] without diagnostics: for looking ahead at a value that is
    /// lowered (and reported) later.
    fn quiet_time(&mut self, t: &Sp<RawTime>) -> Option<When> {
        let before = self.diags.len();
        let when = self.time(t, None, "at");
        self.diags.truncate(before);
        when
    }

    /// The day of a value, in the record's zone, without diagnostics.
    fn quiet_day(&mut self, t: &Sp<RawTime>) -> Option<NaiveDate> {
        let when = self.quiet_time(t)?;
        Some(when.day(&self.zone))
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

    fn markdown(&mut self, s: Option<Sp<String>>, key: &str) -> Option<String> {
        let s = s?;
        self.check_markdown(&s, key);
        Some(s.value)
    }

    fn markdowns(&mut self, list: Vec<Sp<String>>, key: &str) -> Vec<String> {
        list.into_iter()
            .map(|s| {
                self.check_markdown(&s, key);
                s.value
            })
            .collect()
    }

    /// A value with its span, as the model keeps it.
    fn located(s: Sp<String>) -> Located<String> {
        Located::new(s.value, sp(&s.span))
    }

    /// An identifier: restricted to characters safe in file names, URLs and anchors.
    fn name(&mut self, s: &Sp<String>, key: &str) {
        if let Some(problem) = crate::redact::names::id_problem(&s.value) {
            self.error(Code::UnsafeName, format!("`{key}` cannot be used as an id: {problem}"), sp(&s.span))
                .label("not a safe id")
                .hint("use letters, digits and - _ . / : + only, e.g. \"db-restore-1\"");
        }
    }

    /// A count that cannot be negative, kept as written.
    fn count(&mut self, v: &Option<Sp<i64>>, key: &str) -> Option<Stated<i64>> {
        let v = v.as_ref()?;
        if v.value < 0 {
            self.error(Code::OutOfRange, format!("`{key}` cannot be negative ({})", v.value), sp(&v.span))
                .label("negative count")
                .hint("write how many were affected; leave the key out when it is not known");
            return None;
        }
        Some(Stated::new(v.value, self.written(&v.span), sp(&v.span)))
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

/// Where a record is lowered: its file, its text, and the configured default
/// repository (citations of it are citations of the default).
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    pub default_repository: Option<&'a str>,
}

/// Lowers one parsed record. Returns `None` when an error leaves no usable incident.
pub fn lower(slug: &str, raw: RawIncident, origin: Origin<'_>) -> (Option<Incident>, Vec<Diagnostic>) {
    let path = origin.path;
    let mut l = Lower { path, text: origin.text, diags: Vec::new(), zone: Zone::default(), date: None };
    let RawIncident {
        format,
        id,
        title,
        date,
        timezone,
        severity,
        status,
        services,
        tags,
        authors,
        summary,
        introduced,
        started,
        detected,
        acknowledged,
        identified,
        mitigated,
        resolved,
        effort_total,
        created,
        updated,
        actions_as_of,
        conclusion,
        related,
        runbooks: runbook_refs,
        impact,
        timeline,
        causes,
        commits,
        changes,
        lessons,
        actions,
        verification,
        effort,
        runbook,
        links,
        sections,
    } = raw;
    let Some(format) = header::format(&mut l, format) else {
        return (None, l.diags);
    };
    if let Some(id) = &id {
        l.name(id, "id");
    }
    header::timezone(&mut l, timezone);
    header::stated_date(&mut l, date);
    let required = header::required(&mut l, title, summary, status);
    let top = [
        (MomentKind::Introduced, introduced),
        (MomentKind::Started, started),
        (MomentKind::Detected, detected),
        (MomentKind::Acknowledged, acknowledged),
        (MomentKind::Identified, identified),
        (MomentKind::Mitigated, mitigated),
        (MomentKind::Resolved, resolved),
    ];
    timeline::infer_date(&mut l, &top, &timeline);
    let (timeline, marks) = timeline::entries(&mut l, timeline);
    let date = timeline::date(&mut l);
    let moments = timeline::moments(&mut l, top, &timeline, &marks);
    let impact = impact.map(|im| impact::impact(&mut l, im));
    let causes = causes::causes(&mut l, causes);
    let commits = causes::commit_notes(&mut l, commits);
    let changes = causes::changes(&mut l, changes);
    let actions = actions::actions(&mut l, actions);
    let lessons = tables::lessons(&mut l, lessons);
    let verification = tables::verification(verification);
    let effort = tables::effort(&mut l, effort);
    let runbooks = tables::runbooks(&mut l, runbook);
    let links = tables::links(&mut l, links);
    let sections = tables::sections(&mut l, sections);
    let effort_total = effort_total.and_then(|d| l.duration(&d));
    let actions_as_of = actions_as_of.and_then(|d| {
        header::plain_date(&mut l, &d, "actions_as_of", "the day the statuses were last brought up to date")
    });
    let created = created.and_then(|t| l.time(&t, None, "created"));
    let updated = updated.and_then(|t| l.time(&t, None, "updated"));
    let conclusion = l.markdown(conclusion, "conclusion");
    if l.diags.iter().any(Diagnostic::is_error) {
        return (None, l.diags);
    }
    let mut incident = Incident {
        slug: slug.to_string(),
        format,
        id: id.map_or_else(|| slug.to_string(), |id| id.value),
        title: required.title,
        date,
        zone: l.zone,
        severity: severity.map(Lower::located),
        status: required.status,
        services,
        tags,
        authors,
        summary: required.summary,
        moments,
        effort_total,
        created,
        updated,
        actions_as_of,
        conclusion,
        related: related.into_iter().map(Lower::located).collect(),
        runbook_refs: runbook_refs.into_iter().map(Lower::located).collect(),
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
    merge_citations(&mut l, &mut incident, origin.default_repository);
    if l.diags.iter().any(Diagnostic::is_error) {
        return (None, l.diags);
    }
    (Some(incident), l.diags)
}

/// One commit, one citation (see [`Incident::merge_citations`]); an abbreviation that
/// several cited commits share is an error.
fn merge_citations(l: &mut Lower<'_>, incident: &mut Incident, default_repository: Option<&str>) {
    for a in incident.merge_citations(default_repository) {
        l.error(
            Code::CommitAmbiguous,
            format!(
                "commit id \"{}\" is ambiguous: this record cites {} commits that start with it",
                a.commit.sha,
                a.candidates.len()
            ),
            a.commit.span,
        )
        .label("abbreviation")
        .hint(format!("write the commit in full, one of: {}", a.candidates.join(", ")));
    }
}
