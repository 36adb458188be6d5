//! The view: what templates receive. Built from the record model plus what the git
//! layer and the checks found; every figure is computed (in `figures`) and every
//! string is escaped for markdown here, so templates only print.

use crate::config::Config;
use crate::figures::{self, Interval};
use crate::git::{GitFacts, Resolution};
use crate::markdown::{code_block, code_span, inline_text, safe_markdown, table_cell};
use crate::model::*;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::collections::BTreeSet;

/// How a view is built.
pub struct ViewOptions<'a> {
    pub config: &'a Config,
    pub git: &'a GitFacts,
    pub today: NaiveDate,
    /// Leave out private parts and apply redaction.
    pub public: bool,
    /// Link targets inside the book (`None` for a standalone postmortem).
    pub book_links: Option<&'a dyn BookLinks>,
}

/// Where the book puts pages, relative to an incident page.
pub trait BookLinks {
    fn runbook(&self, id: &str) -> Option<String>;
    fn incident(&self, key: &str) -> Option<(String, String)>;
}

#[derive(Debug, Serialize)]
pub struct Context {
    pub incident: IncidentView,
    pub public: bool,
    pub generator: &'static str,
}

#[derive(Debug, Serialize)]
pub struct IncidentView {
    pub slug: String,
    pub id: String,
    pub title: String,
    pub date: String,
    pub status: String,
    pub severity: Option<String>,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    /// "UTC", or "Europe/Berlin (UTC+01:00)".
    pub timezone: String,
    pub summary: String,
    pub moments: Vec<MomentView>,
    pub response: Vec<FigureView>,
    /// "started" or "detected": what time-to-X is measured from.
    pub response_basis: Option<String>,
    pub impact: ImpactView,
    pub timeline: TimelineView,
    pub causes: CausesView,
    pub commits: Vec<CommitView>,
    /// Commits found in history that name this incident.
    pub referenced_by: Vec<CommitView>,
    pub changes: Vec<ChangeView>,
    pub lessons: Vec<LessonView>,
    pub actions: ActionsView,
    pub verification: VerificationView,
    pub effort: EffortView,
    pub runbooks: Vec<RunbookView>,
    pub links: Vec<LinkView>,
    pub related: Vec<RelatedView>,
    /// Custom sections, by the standard section they follow.
    pub sections: SectionsView,
    pub conclusion: Option<String>,
    pub created: Option<String>,
    pub updated: Option<String>,
    /// An inline SVG strip of the key moments (set in the book).
    pub figure: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct MomentView {
    pub name: String,
    pub label: String,
    pub time: String,
    pub approximate: bool,
}

#[derive(Debug, Serialize)]
pub struct FigureView {
    pub label: String,
    /// "45m", "~2h", or "not recorded".
    pub value: String,
    pub recorded: bool,
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ImpactView {
    pub recorded: bool,
    pub summary: Option<String>,
    /// Computed: started (else detected) → mitigated (else resolved).
    pub duration: Option<String>,
    pub duration_basis: Option<String>,
    pub downtime: Option<String>,
    pub degraded: Option<String>,
    pub users_affected: Option<String>,
    pub customers_affected: Option<String>,
    pub data_loss: Option<String>,
    pub revenue: Option<String>,
    pub notes: Vec<String>,
    pub metrics: Vec<MetricView>,
    pub windows: Vec<WindowView>,
    /// Table rows of the computed and stated figures.
    pub figures: Vec<Row>,
}

/// A label and a value, for two-column tables.
#[derive(Debug, Serialize)]
pub struct Row {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct MetricView {
    pub name: String,
    pub value: String,
    pub note: Option<String>,
    pub source: Option<LinkView>,
}

#[derive(Debug, Serialize)]
pub struct WindowView {
    pub scope: String,
    pub level: String,
    pub from: String,
    pub to: String,
    pub length: String,
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct TimelineView {
    pub entries: Vec<EntryView>,
    pub spans_days: bool,
    /// "Times are UTC." / "Times are Europe/Berlin (UTC+01:00)."
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct EntryView {
    pub time: String,
    pub until: Option<String>,
    pub title: Option<String>,
    pub kind: String,
    pub marks: Vec<String>,
    pub body: Option<String>,
    pub commits: Vec<CommitView>,
    pub approximate: bool,
    pub source: Option<LinkView>,
}

#[derive(Debug, Serialize)]
pub struct CausesView {
    pub any: bool,
    pub root: Vec<CauseView>,
    pub contributing: Vec<CauseView>,
    pub trigger: Vec<CauseView>,
}

#[derive(Debug, Serialize)]
pub struct CauseView {
    pub id: Option<String>,
    pub title: String,
    pub role: String,
    pub kind: Option<String>,
    pub primary: bool,
    pub description: Option<String>,
    pub impact: Option<String>,
    pub fix: Option<String>,
    pub fix_time: Option<String>,
    pub commits: Vec<CommitView>,
    pub found: Option<String>,
    /// Titles of the causes that led to this one.
    pub because_of: Vec<String>,
}

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

#[derive(Debug, Serialize)]
pub struct ChangeView {
    pub path: Option<String>,
    pub setting: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub at: Option<String>,
    pub summary: Option<String>,
    pub commits: Vec<CommitView>,
    pub committed: bool,
}

#[derive(Debug, Serialize)]
pub struct LessonView {
    pub title: String,
    pub problem: Option<String>,
    pub takeaways: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ActionsView {
    pub total: usize,
    pub open: usize,
    pub overdue: usize,
    pub groups: Vec<ActionGroup>,
}

#[derive(Debug, Serialize)]
pub struct ActionGroup {
    pub horizon: String,
    pub label: String,
    pub items: Vec<ActionView>,
}

#[derive(Debug, Serialize, Clone)]
pub struct ActionView {
    pub id: String,
    pub title: String,
    pub details: Vec<String>,
    pub kind: Option<String>,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub status: String,
    pub overdue: bool,
    pub ticket: Option<String>,
    /// Set when a commit's `Closes-Action` trailer closed it.
    pub closed_by: Option<CommitView>,
}

#[derive(Debug, Serialize)]
pub struct VerificationView {
    pub items: Vec<CheckItemView>,
    pub done: usize,
    pub total: usize,
}

#[derive(Debug, Serialize)]
pub struct CheckItemView {
    pub item: String,
    pub done: bool,
    pub by: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct EffortView {
    /// `label`: the activity, `value`: its duration.
    pub items: Vec<Row>,
    pub total: Option<String>,
    /// The hand-typed `effort_total`, when it differs from the computed total.
    pub stated_differs: Option<String>,
}

#[derive(Debug, Serialize, Clone)]
pub struct RunbookView {
    pub id: String,
    pub title: String,
    pub symptoms: Vec<String>,
    pub services: Vec<String>,
    pub steps: Vec<StepView>,
    pub verify: Vec<String>,
    pub owner: Option<String>,
    pub reviewed: Option<String>,
    /// Link to the runbook's page in the book.
    pub href: Option<String>,
}

#[derive(Debug, Serialize, Clone)]
pub struct StepView {
    pub number: usize,
    /// How far the step's body and command are indented under its number
    /// (`1. ` is 3 wide, `10. ` is 4), so that they stay inside the list item.
    pub indent: usize,
    pub title: Option<String>,
    pub body: Option<String>,
    /// The command as a fenced code block, ready to print.
    pub command: Option<String>,
}

#[derive(Debug, Serialize, Clone)]
pub struct LinkView {
    pub id: Option<String>,
    pub title: String,
    /// The link target, escaped for markdown; none when its scheme is not published.
    pub url: Option<String>,
    pub kind: String,
    /// Markdown `[title](url)`, or the title alone when the target is not published.
    pub markdown: String,
}

#[derive(Debug, Serialize)]
pub struct RelatedView {
    pub key: String,
    pub title: Option<String>,
    pub href: Option<String>,
}

#[derive(Debug, Serialize, Default)]
pub struct SectionsView {
    pub summary: Vec<SectionView>,
    pub impact: Vec<SectionView>,
    pub timeline: Vec<SectionView>,
    pub causes: Vec<SectionView>,
    pub changes: Vec<SectionView>,
    pub lessons: Vec<SectionView>,
    pub actions: Vec<SectionView>,
    pub verification: Vec<SectionView>,
    pub effort: Vec<SectionView>,
    pub runbook: Vec<SectionView>,
    pub conclusion: Vec<SectionView>,
}

#[derive(Debug, Serialize)]
pub struct SectionView {
    pub title: String,
    pub body: Option<String>,
}

/// Turns record text into output text: escaped for the place it lands. The view is
/// made from records that the public filter already went over when the output is
/// public (see [`crate::redact::public`]), so nothing here decides visibility.
struct Text;

impl Text {
    /// Markdown field.
    fn md(&self, s: &str) -> String {
        safe_markdown(s).trim().to_string()
    }

    fn md_opt(&self, s: &Option<String>) -> Option<String> {
        s.as_deref().map(|s| self.md(s)).filter(|s| !s.is_empty())
    }

    /// One-line plain text.
    fn line(&self, s: &str) -> String {
        inline_text(s)
    }

    fn line_opt(&self, s: &Option<String>) -> Option<String> {
        s.as_deref().map(|s| self.line(s))
    }

    fn lines(&self, v: &[String]) -> Vec<String> {
        v.iter().map(|s| self.line(s)).collect()
    }

    /// Table cell.
    fn cell(&self, s: &str) -> String {
        table_cell(s)
    }
}

pub fn time_of(w: &When, zone: &Zone, with_date: bool, with_offset: bool) -> String {
    if w.precision == Precision::Day {
        return w.day(zone).to_string();
    }
    // Written out by hand: chrono's strftime parses its pattern on every call, and a
    // build formats several times per timeline entry.
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    let local = zone.show(w.at);
    let mut s = String::with_capacity(32);
    if with_date {
        let _ = write!(s, "{:04}-{:02}-{:02} ", local.year(), local.month(), local.day());
    }
    let _ = write!(s, "{:02}:{:02}", local.hour(), local.minute());
    if local.second() != 0 {
        let _ = write!(s, ":{:02}", local.second());
    }
    if with_offset {
        s.push(' ');
        s.push_str(&zone.offset_label(w.at));
    }
    if w.precision == Precision::Approximate {
        s.insert(0, '~');
    }
    s
}

pub fn moment_label(k: MomentKind) -> &'static str {
    match k {
        MomentKind::Introduced => "Introduced",
        MomentKind::Started => "Impact started",
        MomentKind::Detected => "Detected",
        MomentKind::Acknowledged => "Acknowledged",
        MomentKind::Identified => "Cause identified",
        MomentKind::Mitigated => "Mitigated",
        MomentKind::Resolved => "Resolved",
    }
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let n = v as i64;
        let s = n.abs().to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    } else {
        format!("{v}")
    }
}

/// Builds the template context for one incident.
pub fn build(inc: &Incident, o: &ViewOptions<'_>) -> Context {
    Context { incident: incident(inc, o), public: o.public, generator: concat!("casebook ", env!("CARGO_PKG_VERSION")) }
}

pub fn incident(inc: &Incident, o: &ViewOptions<'_>) -> IncidentView {
    let t = Text;
    let zone = &inc.zone;

    // Offsets in force over the incident: shown per time only when they differ.
    let mut offsets = BTreeSet::new();
    let mut days = BTreeSet::new();
    for w in inc.timeline.iter().map(|e| &e.at).chain(inc.moments.values().map(|m| &m.when)) {
        offsets.insert(zone.offset_label(w.at));
        days.insert(w.day(zone));
    }
    let mixed_offsets = offsets.len() > 1;
    let spans_days = days.len() > 1;
    let zone_label = {
        let name = zone.name();
        let off = offsets.iter().next().cloned().unwrap_or_else(|| "UTC".into());
        if name == "UTC" && !mixed_offsets {
            "UTC".to_string()
        } else if mixed_offsets {
            format!("{name} ({})", offsets.iter().cloned().collect::<Vec<_>>().join(" / "))
        } else {
            format!("{name} ({off})")
        }
    };

    let links: Vec<LinkView> = inc.links.iter().map(|l| link_view(l, &t)).collect();
    let find_link = |id: &Option<Located<String>>| -> Option<LinkView> {
        let id = id.as_ref()?;
        inc.links.iter().find(|l| l.id.as_deref() == Some(id.value.as_str())).map(|l| link_view(l, &t))
    };

    let notes: std::collections::HashMap<CommitKey, Option<String>> =
        inc.commits.iter().map(|c| (c.commit.key(), c.note.clone())).collect();
    let commit = |c: &CommitRef| commit_view(c, o.git, notes.get(&c.key()).cloned().flatten().as_deref(), &t);

    let moments = inc
        .moments
        .values()
        .map(|m| MomentView {
            name: m.kind.as_str().to_string(),
            label: moment_label(m.kind).to_string(),
            time: time_of(&m.when, zone, true, true),
            approximate: m.when.is_approximate(),
        })
        .collect();

    let rt = figures::response_times(inc);
    let basis = rt.basis.map(|b| b.as_str().to_string());
    let fig = |label: &str, i: Option<Interval>, note: Option<String>| FigureView {
        label: label.to_string(),
        value: i.map_or_else(|| "not recorded".to_string(), |i| i.display()),
        recorded: i.is_some(),
        note: i.and(note),
    };
    let from_basis = basis.as_ref().map(|b| format!("from {b}"));
    let detect_note = rt.detect.filter(|d| d.secs < 0).map(|_| "detected before impact began".to_string());
    let response = vec![
        fig("Time to detect", rt.detect, detect_note),
        fig("Time to acknowledge", rt.acknowledge, from_basis.clone()),
        fig("Time to identify", rt.identify, from_basis.clone()),
        fig("Time to mitigate", rt.mitigate, from_basis.clone()),
        fig("Time to resolve", rt.resolve, from_basis.clone()),
    ];

    let impact = impact_view(inc, &t, &find_link, zone, spans_days);

    let timeline = TimelineView {
        spans_days,
        note: format!("Times are {zone_label}."),
        entries: inc
            .timeline
            .iter()
            .map(|e| {
                let title = t.line_opt(&e.title);
                let body = t.md_opt(&e.body);
                EntryView {
                    time: time_of(&e.at, zone, spans_days, mixed_offsets),
                    until: e
                        .until
                        .as_ref()
                        .map(|u| time_of(u, zone, spans_days && u.day(zone) != e.at.day(zone), mixed_offsets)),
                    title,
                    kind: e.kind.as_str().to_string(),
                    marks: e.marks.iter().map(|m| moment_label(*m).to_string()).collect(),
                    body,
                    commits: e.commits.iter().map(commit).collect(),
                    approximate: e.at.is_approximate(),
                    source: find_link(&e.source),
                }
            })
            .collect(),
    };

    let cause_title = |id: &str| {
        inc.causes.iter().find(|c| c.id.as_deref() == Some(id)).map(|c| t.line(&c.title)).unwrap_or_else(|| t.line(id))
    };
    let cause_views: Vec<(CauseRole, CauseView)> = inc
        .causes
        .iter()
        .map(|c| {
            (
                c.role,
                CauseView {
                    id: t.line_opt(&c.id),
                    title: t.line(&c.title),
                    role: c.role.as_str().to_string(),
                    kind: t.line_opt(&c.kind),
                    primary: c.primary,
                    description: t.md_opt(&c.description),
                    impact: t.md_opt(&c.impact).map(crate::markdown::after_label),
                    fix: t.md_opt(&c.fix).map(crate::markdown::after_label),
                    fix_time: c.fix_time.map(|d| d.to_string()),
                    commits: c.commits.iter().map(commit).collect(),
                    found: c.found.as_ref().map(|w| time_of(w, zone, true, true)),
                    because_of: c.because_of.iter().map(|b| cause_title(&b.value)).collect(),
                },
            )
        })
        .collect();
    let mut causes = CausesView { any: !cause_views.is_empty(), root: vec![], contributing: vec![], trigger: vec![] };
    for (role, v) in cause_views {
        match role {
            CauseRole::Root => causes.root.push(v),
            CauseRole::Contributing => causes.contributing.push(v),
            CauseRole::Trigger => causes.trigger.push(v),
        }
    }
    // The primary cause leads its group.
    causes.root.sort_by_key(|c| !c.primary);

    // Commits: every citation, in first-mention order, leaving out those cited only in private parts.
    let commits = inc.all_commit_refs().into_iter().map(commit).collect();

    let referenced_by =
        o.git.mentions_of(&inc.id).map(|m| mention_view(m, &t)).fold(Vec::<CommitView>::new(), |mut acc, v| {
            if !acc.iter().any(|a| a.sha == v.sha) {
                acc.push(v);
            }
            acc
        });

    let changes = inc
        .changes
        .iter()
        .map(|c| {
            let (path, setting, from, to) = match &c.target {
                ChangeTarget::File(p) => (Some(code_span(p)), None, None, None),
                ChangeTarget::Setting { name, from, to } => {
                    (None, Some(code_span(name)), from.as_deref().map(code_span), to.as_deref().map(code_span))
                }
            };
            ChangeView {
                path,
                setting,
                from,
                to,
                at: c.at.as_ref().map(|w| time_of(w, zone, true, true)),
                summary: t.md_opt(&c.summary),
                commits: c.commits.iter().map(commit).collect(),
                committed: c.committed,
            }
        })
        .collect();

    let lessons = inc
        .lessons
        .iter()
        .map(|l| LessonView {
            title: t.line(&l.title),
            problem: t.md_opt(&l.problem).map(crate::markdown::after_label),
            takeaways: l.takeaways.iter().map(|s| crate::markdown::list_item(t.md(s))).collect(),
        })
        .collect();

    let actions = actions_view(inc, o, &t);

    let verification = VerificationView {
        done: inc.verification.iter().filter(|v| v.done).count(),
        total: inc.verification.len(),
        items: inc
            .verification
            .iter()
            .map(|v| CheckItemView { item: t.line(&v.item), done: v.done, by: t.line_opt(&v.by) })
            .collect(),
    };

    let total = figures::effort_total(inc);
    let effort = EffortView {
        items: inc.effort.iter().map(|e| Row { label: t.cell(&e.activity), value: e.duration.to_string() }).collect(),
        total: (!inc.effort.is_empty()).then(|| total.to_string()),
        stated_differs: inc.effort_total.as_ref().filter(|s| s.value != total).map(|s| s.value.to_string()),
    };

    let runbooks = inc.runbooks.iter().map(|rb| runbook_view(rb, &t, o)).collect();

    let related = inc
        .related
        .iter()
        .map(|r| {
            let found = o.book_links.and_then(|b| b.incident(&r.value));
            RelatedView {
                key: t.line(&r.value),
                title: found.as_ref().map(|(title, _)| t.line(title)),
                href: found.map(|(_, h)| h),
            }
        })
        .collect();

    let mut sections = SectionsView::default();
    for s in &inc.sections {
        let v = SectionView { title: t.line(&s.title), body: t.md_opt(&s.body) };
        let slot = match s.after {
            SectionAnchor::Summary => &mut sections.summary,
            SectionAnchor::Impact => &mut sections.impact,
            SectionAnchor::Timeline => &mut sections.timeline,
            SectionAnchor::Causes => &mut sections.causes,
            SectionAnchor::Changes => &mut sections.changes,
            SectionAnchor::Lessons => &mut sections.lessons,
            SectionAnchor::Actions => &mut sections.actions,
            SectionAnchor::Verification => &mut sections.verification,
            SectionAnchor::Effort => &mut sections.effort,
            SectionAnchor::Runbook => &mut sections.runbook,
            SectionAnchor::Conclusion => &mut sections.conclusion,
        };
        slot.push(v);
    }

    IncidentView {
        slug: inc.slug.clone(),
        id: t.line(&inc.id),
        title: t.line(&inc.title),
        date: inc.date.to_string(),
        status: inc.status.as_str().to_string(),
        severity: inc.severity.as_ref().map(|s| t.line(&s.value)),
        services: t.lines(&inc.services),
        tags: t.lines(&inc.tags),
        authors: t.lines(&inc.authors),
        timezone: zone_label,
        summary: t.md(&inc.summary),
        moments,
        response,
        response_basis: basis,
        impact,
        timeline,
        causes,
        commits,
        referenced_by,
        changes,
        lessons,
        actions,
        verification,
        effort,
        runbooks,
        links,
        related,
        sections,
        conclusion: t.md_opt(&inc.conclusion),
        created: inc.created.as_ref().map(|w| time_of(w, zone, true, w.precision != Precision::Day)),
        updated: inc.updated.as_ref().map(|w| time_of(w, zone, true, w.precision != Precision::Day)),
        figure: None,
    }
}

fn link_view(l: &Link, t: &Text) -> LinkView {
    let title = t.line(l.title.as_deref().unwrap_or(&l.url));
    let url = crate::markdown::link_destination(&l.url);
    LinkView {
        id: t.line_opt(&l.id),
        markdown: crate::markdown::link(&title, &l.url),
        title,
        url,
        kind: l.kind.as_str().to_string(),
    }
}

fn impact_view(
    inc: &Incident,
    t: &Text,
    find_link: &dyn Fn(&Option<Located<String>>) -> Option<LinkView>,
    zone: &Zone,
    spans_days: bool,
) -> ImpactView {
    let impact = figures::impact_duration(inc);
    let computed = impact.map(|i| i.interval);
    let basis = impact.map(|i| i.basis());
    let Some(im) = &inc.impact else {
        return ImpactView {
            recorded: false,
            summary: None,
            duration: computed.map(|i| i.display()),
            duration_basis: basis,
            downtime: None,
            degraded: None,
            users_affected: None,
            customers_affected: None,
            data_loss: None,
            revenue: None,
            notes: vec![],
            metrics: vec![],
            windows: vec![],
            figures: vec![],
        };
    };
    let downtime = im.downtime.as_ref().map(|d| d.value.to_string());
    let degraded = im.degraded.as_ref().map(|d| d.value.to_string());
    let users = im.users_affected.map(|n| number(n as f64));
    let customers = im.customers_affected.map(|n| number(n as f64));
    let data_loss = im.data_loss.as_deref().map(|s| t.cell(s));
    let revenue = im.revenue.as_deref().map(|s| t.cell(s));
    let mut figures_rows = Vec::new();
    if let Some(d) = &computed {
        figures_rows.push(Row {
            label: "Impact duration (computed)".to_string(),
            value: format!("{} ({})", d.display(), basis.clone().unwrap_or_default()),
        });
    }
    for (label, v) in [
        ("Downtime", &downtime),
        ("Degraded", &degraded),
        ("Users affected", &users),
        ("Customers affected", &customers),
        ("Data loss", &data_loss),
        ("Revenue impact", &revenue),
    ] {
        if let Some(v) = v {
            figures_rows.push(Row { label: label.to_string(), value: v.clone() });
        }
    }
    ImpactView {
        recorded: true,
        summary: t.md_opt(&im.summary),
        duration: computed.map(|i| i.display()),
        duration_basis: basis,
        downtime,
        degraded,
        users_affected: users,
        customers_affected: customers,
        data_loss,
        revenue,
        notes: im.notes.iter().map(|n| crate::markdown::list_item(t.md(n))).collect(),
        metrics: im
            .metrics
            .iter()
            .map(|m| {
                let prefix = match m.bound {
                    Bound::Exact => "",
                    Bound::About => "~",
                    Bound::AtLeast => "≥ ",
                    Bound::AtMost => "≤ ",
                };
                let unit = m
                    .unit
                    .as_deref()
                    .map(|u| if u == "%" { u.to_string() } else { format!(" {}", t.cell(u)) })
                    .unwrap_or_default();
                MetricView {
                    name: t.cell(&m.name),
                    value: format!("{prefix}{}{unit}", number(m.value)),
                    note: m.note.as_deref().map(crate::markdown::cell_markdown).filter(|n| !n.is_empty()),
                    source: find_link(&m.source),
                }
            })
            .collect(),
        windows: im
            .windows
            .iter()
            .map(|w| {
                let approx = if w.approximate { "~" } else { "" };
                WindowView {
                    scope: t.cell(&w.scope),
                    level: w.level.as_str().to_string(),
                    from: format!("{approx}{}", time_of(&w.from, zone, spans_days || w.to.is_none(), false)),
                    to: w.to.as_ref().map_or_else(
                        || "still open".to_string(),
                        |to| format!("{approx}{}", time_of(to, zone, spans_days, false)),
                    ),
                    length: figures::window_length(w).map_or_else(|| "open".to_string(), |i| i.display()),
                    note: w.note.as_deref().map(crate::markdown::cell_markdown).filter(|n| !n.is_empty()),
                }
            })
            .collect(),
        figures: figures_rows,
    }
}

fn actions_view(inc: &Incident, o: &ViewOptions<'_>, t: &Text) -> ActionsView {
    let visible: Vec<&ActionItem> = inc.actions.iter().collect();
    let closed_by = |a: &ActionItem| -> Option<CommitView> {
        o.git
            .mentions_of(&inc.id)
            .find(|m| m.closes_action.as_deref() == Some(a.id.as_str()))
            .map(|m| mention_view(m, t))
    };
    let view = |a: &ActionItem| ActionView {
        id: t.line(&a.id),
        title: t.line(&a.title),
        details: a.details.iter().map(|d| t.md(d)).collect(),
        kind: a.kind.map(|k| k.as_str().to_string()),
        owner: t.line_opt(&a.owner),
        due: a.due.map(|d| d.to_string()),
        status: a.status.as_str().to_string(),
        overdue: a.is_overdue(o.today),
        ticket: t.line_opt(&a.ticket),
        closed_by: closed_by(a),
    };
    let mut groups = Vec::new();
    for (h, label) in [
        (Some(Horizon::Immediate), "Immediate (next week)"),
        (Some(Horizon::Short), "Short term (next month)"),
        (Some(Horizon::Long), "Long term (next quarter)"),
        (None, "Unscheduled"),
    ] {
        let items: Vec<ActionView> = visible.iter().filter(|a| a.horizon == h).map(|a| view(a)).collect();
        if !items.is_empty() {
            groups.push(ActionGroup {
                horizon: h.map_or("none", |h| h.as_str()).to_string(),
                label: label.to_string(),
                items,
            });
        }
    }
    ActionsView {
        total: visible.len(),
        open: visible.iter().filter(|a| a.status.is_pending()).count(),
        overdue: visible.iter().filter(|a| a.is_overdue(o.today)).count(),
        groups,
    }
}

fn runbook_view(rb: &Runbook, t: &Text, o: &ViewOptions<'_>) -> RunbookView {
    RunbookView {
        id: t.line(&rb.id),
        title: t.line(&rb.title),
        symptoms: rb.symptoms.iter().map(|s| code_span(s)).collect(),
        services: t.lines(&rb.services),
        steps: rb
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepView {
                number: i + 1,
                indent: (i + 1).to_string().len() + 2,
                title: t.line_opt(&s.title),
                body: t.md_opt(&s.body),
                command: s.command.as_deref().map(|c| code_block(c, "sh")),
            })
            .collect(),
        verify: rb.verify.iter().map(|v| t.line(v)).collect(),
        owner: t.line_opt(&rb.owner),
        reviewed: rb.reviewed.map(|d| d.to_string()),
        href: o.book_links.and_then(|b| b.runbook(&rb.id)),
    }
}

fn fmt_date(d: &DateTime<FixedOffset>) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn commit_view(c: &CommitRef, git: &GitFacts, note: Option<&str>, t: &Text) -> CommitView {
    let resolved = git.resolved(&c.key());
    let (sha, summary, author, date, files, status, verified) = match resolved.map(|r| &r.resolution) {
        Some(Resolution::Found(info)) => (
            info.id.clone(),
            Some(t.line(&info.summary)),
            Some(t.line(&info.author)),
            Some(fmt_date(&info.time)),
            info.files.iter().map(|f| code_span(f)).collect(),
            "verified",
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
        note: note.map(|n| t.line(n)),
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

fn mention_view(m: &crate::git::Mention, t: &Text) -> CommitView {
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
