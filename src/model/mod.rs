//! The record model: one typed `Incident` per record file, as FORMAT.md defines it.
//!
//! The model knows nothing of files, templates, git or the terminal. Items keep the
//! byte `Span` they came from so that checks can point at them.

mod duration;
mod time;

pub use duration::{Duration, DurationError};
pub use time::{Precision, When, Zone, offset_label};

use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;
use std::fmt;

/// A byte range in the record's source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span { start: r.start, end: r.end }
    }
}

/// A value with the place it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Located<T> {
    pub fn new(value: T, span: Span) -> Self {
        Located { value, span }
    }
}

/// A figure the author typed: its value, the text it was written as (shown as
/// written, FORMAT.md "Stated values are shown as written") and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Stated<T> {
    pub value: T,
    /// The value as written: `"73h"` stays `73h`, `1_500_000` stays `1_500_000`.
    pub written: String,
    pub span: Span,
}

impl<T> Stated<T> {
    pub fn new(value: T, written: impl Into<String>, span: Span) -> Self {
        Stated { value, written: written.into(), span }
    }
}

impl<T> fmt::Display for Stated<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? } default $default:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
            pub fn names() -> &'static [&'static str] {
                &[$($text),+]
            }
        }

        impl Default for $name {
            fn default() -> Self { $name::$default }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(
    /// The incident's `status`.
    Status {
        Investigating = "investigating",
        Identified = "identified",
        Monitoring = "monitoring",
        Resolved = "resolved",
        Closed = "closed",
    } default Investigating
);

keyword_enum!(
    /// The key moments of an incident, in their usual order.
    MomentKind {
        Introduced = "introduced",
        Started = "started",
        Detected = "detected",
        Acknowledged = "acknowledged",
        Identified = "identified",
        Mitigated = "mitigated",
        Resolved = "resolved",
    } default Started
);

keyword_enum!(
    /// A timeline entry's `kind`.
    EntryKind {
        Detection = "detection",
        Investigation = "investigation",
        Action = "action",
        Mitigation = "mitigation",
        Resolution = "resolution",
        Communication = "communication",
        Other = "other",
    } default Other
);

keyword_enum!(
    /// A cause's `role`.
    CauseRole { Root = "root", Contributing = "contributing", Trigger = "trigger" } default Root
);

keyword_enum!(
    /// An action's `kind`.
    ActionKind {
        Prevent = "prevent",
        Detect = "detect",
        Mitigate = "mitigate",
        Process = "process",
        Document = "document",
        Other = "other",
    } default Other
);

keyword_enum!(
    /// An action's `horizon`: next week, month, quarter.
    Horizon { Immediate = "immediate", Short = "short", Long = "long" } default Immediate
);

keyword_enum!(
    /// An action's `status`.
    ActionStatus {
        Open = "open",
        InProgress = "in-progress",
        Done = "done",
        Deferred = "deferred",
        Dropped = "dropped",
    } default Open
);

keyword_enum!(
    /// How bad an impact window was.
    WindowLevel { Down = "down", Degraded = "degraded", Partial = "partial", Intermittent = "intermittent" } default Down
);

keyword_enum!(
    /// How exact an impact metric is.
    Bound { Exact = "exact", About = "about", AtLeast = "at-least", AtMost = "at-most" } default Exact
);

keyword_enum!(
    /// A link's `kind`.
    LinkKind {
        Postmortem = "postmortem",
        Pr = "pr",
        Issue = "issue",
        Ticket = "ticket",
        Dashboard = "dashboard",
        Doc = "doc",
        StatusPage = "status-page",
        Chat = "chat",
        Social = "social",
        Other = "other",
    } default Other
);

keyword_enum!(
    /// The standard sections a custom `[[sections]]` entry may follow.
    SectionAnchor {
        Summary = "summary",
        Impact = "impact",
        Timeline = "timeline",
        Causes = "causes",
        Changes = "changes",
        Lessons = "lessons",
        Actions = "actions",
        Verification = "verification",
        Effort = "effort",
        Runbook = "runbook",
        Conclusion = "conclusion",
    } default Conclusion
);

impl ActionStatus {
    /// Open or in progress: work still owed.
    pub fn is_pending(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

/// A reference to a commit: `aa01f4d` or `boulder@aa01f4d`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitRef {
    pub repository: Option<String>,
    /// Lower-case hex, 4 to 40 characters.
    pub sha: String,
    pub span: Span,
}

impl CommitRef {
    /// Parses `sha` or `repo@sha`; the error says what is wrong.
    pub fn parse(text: &str, span: Span) -> Result<CommitRef, String> {
        let (repository, sha) = match text.split_once('@') {
            Some((repo, sha)) if !repo.is_empty() => (Some(repo.to_string()), sha),
            Some(_) => return Err("repository name before `@` is empty".to_string()),
            None => (None, text),
        };
        if !(4..=40).contains(&sha.len()) {
            return Err(format!("a commit id has 4 to 40 hex characters, `{sha}` has {}", sha.chars().count()));
        }
        if let Some(bad) = sha.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Err(format!("`{bad}` is not a hex digit"));
        }
        Ok(CommitRef { repository, sha: sha.to_ascii_lowercase(), span })
    }

    /// The commit as a key: the repository named (if any) and the sha, lower-cased.
    pub fn key(&self) -> CommitKey {
        CommitKey { repository: self.repository.clone(), sha: self.sha.clone() }
    }
}

/// A cited commit as a key for lookups: the repository it names (none for the
/// default repository) and its sha, lower-cased. Shown as `repo@sha` or `sha`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommitKey {
    pub repository: Option<String>,
    pub sha: String,
}

impl fmt::Display for CommitKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repository {
            Some(r) => write!(f, "{r}@{}", self.sha),
            None => f.write_str(&self.sha),
        }
    }
}

/// An abbreviated sha that several longer shas cited in the same record extend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmbiguousCitation {
    pub commit: CommitRef,
    /// The longer forms it could stand for.
    pub candidates: Vec<String>,
}

/// An action's `due`: a day, a month or a quarter (due at its end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Day(NaiveDate),
    Month { year: i32, month: u32 },
    Quarter { year: i32, quarter: u32 },
}

impl Due {
    /// Parses `"YYYY-MM"` or `"YYYY-Qn"`.
    pub fn parse_period(text: &str) -> Option<Due> {
        let (y, rest) = text.split_once('-')?;
        if y.len() != 4 {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
            let quarter: u32 = q.parse().ok()?;
            return (1..=4).contains(&quarter).then_some(Due::Quarter { year, quarter });
        }
        if rest.len() != 2 {
            return None;
        }
        let month: u32 = rest.parse().ok()?;
        (1..=12).contains(&month).then_some(Due::Month { year, month })
    }

    /// The last day on which the action is still on time.
    pub fn last_day(&self) -> NaiveDate {
        let end_of_month = |year: i32, month: u32| {
            let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
            NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
        };
        match *self {
            Due::Day(d) => d,
            Due::Month { year, month } => end_of_month(year, month),
            Due::Quarter { year, quarter } => end_of_month(year, quarter * 3),
        }
    }
}

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Due::Day(d) => write!(f, "{d}"),
            Due::Month { year, month } => write!(f, "{year}-{month:02}"),
            Due::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
        }
    }
}

/// Where a key moment was stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MomentSource {
    TopLevel,
    /// Index into `Incident::timeline`.
    Timeline(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moment {
    pub kind: MomentKind,
    pub when: When,
    pub source: MomentSource,
    pub span: Span,
}

/// One incident record.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// File name without `.toml`.
    pub slug: String,
    pub format: i64,
    pub id: String,
    pub title: String,
    /// The day the incident began, in `zone`.
    pub date: NaiveDate,
    pub zone: Zone,
    pub severity: Option<Located<String>>,
    pub status: Status,
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub summary: String,
    /// Every key moment, from the top level or a timeline mark.
    pub moments: BTreeMap<MomentKind, Moment>,
    pub effort_total: Option<Stated<Duration>>,
    pub created: Option<When>,
    pub updated: Option<When>,
    /// The day the action statuses were last brought up to date (overdue is judged on it).
    pub actions_as_of: Option<NaiveDate>,
    pub conclusion: Option<String>,
    pub related: Vec<Located<String>>,
    pub runbook_refs: Vec<Located<String>>,
    pub impact: Option<Impact>,
    pub timeline: Vec<TimelineEntry>,
    pub causes: Vec<Cause>,
    pub commits: Vec<CommitNote>,
    pub changes: Vec<Change>,
    pub lessons: Vec<Lesson>,
    pub actions: Vec<ActionItem>,
    pub verification: Vec<VerificationItem>,
    pub effort: Vec<EffortItem>,
    pub runbooks: Vec<Runbook>,
    pub links: Vec<Link>,
    pub sections: Vec<Section>,
}

impl Incident {
    pub fn moment(&self, kind: MomentKind) -> Option<&When> {
        self.moments.get(&kind).map(|m| &m.when)
    }

    /// Every commit the record cites, in order of first mention, without duplicates.
    pub fn all_commit_refs(&self) -> Vec<&CommitRef> {
        self.commit_refs(true)
    }

    /// The commits the record cites, in order of first mention, without duplicates;
    /// without `include_private`, those cited only in private entries, causes and changes are left out.
    pub fn commit_refs(&self, include_private: bool) -> Vec<&CommitRef> {
        let mut seen = std::collections::HashSet::new();
        let shown = |private: bool| include_private || !private;
        let timeline = self.timeline.iter().filter(|e| shown(e.private)).flat_map(|e| &e.commits);
        let causes = self.causes.iter().filter(|c| shown(c.private)).flat_map(|c| &c.commits);
        let changes = self.changes.iter().filter(|c| shown(c.private)).flat_map(|c| &c.commits);
        let notes = self.commits.iter().map(|c| &c.commit);
        timeline.chain(causes).chain(changes).chain(notes).filter(|c| seen.insert(c.key())).collect()
    }

    /// The day overdue actions are judged on: `actions_as_of` when the record gives
    /// it (never later than `today`), else `today`.
    pub fn actions_judged_on(&self, today: NaiveDate) -> NaiveDate {
        self.actions_as_of.map_or(today, |d| d.min(today))
    }

    /// Whether `action` (one of this record's) is overdue, judged on [`Self::actions_judged_on`].
    pub fn is_overdue(&self, action: &ActionItem, today: NaiveDate) -> bool {
        action.is_overdue(self.actions_judged_on(today))
    }

    /// Every commit citation, wherever it is written.
    fn citations_mut(&mut self) -> impl Iterator<Item = &mut CommitRef> {
        let timeline = self.timeline.iter_mut().flat_map(|e| &mut e.commits);
        let causes = self.causes.iter_mut().flat_map(|c| &mut c.commits);
        let changes = self.changes.iter_mut().flat_map(|c| &mut c.commits);
        let notes = self.commits.iter_mut().map(|c| &mut c.commit);
        timeline.chain(causes).chain(changes).chain(notes)
    }

    /// One commit, one citation key (FORMAT.md, `[[commits]]`): a sha cited in full
    /// and abbreviated in the same repository becomes the longest form written, and
    /// `default_repository@sha` and a bare `sha` are one commit (shown with the
    /// repository's name when any citation of it gave it). `[[commits]]` entries that
    /// now name the same commit become one, their notes kept in order. Returns the
    /// abbreviations that several cited commits share, left as written.
    pub fn merge_citations(&mut self, default_repository: Option<&str>) -> Vec<AmbiguousCitation> {
        use std::collections::{BTreeMap, BTreeSet};
        // The repository a citation means: `None` for the default, however written.
        let canonical = |c: &CommitRef| -> Option<String> {
            c.repository.clone().filter(|r| Some(r.as_str()) != default_repository)
        };
        let mut shas: BTreeMap<Option<String>, BTreeSet<String>> = BTreeMap::new();
        for c in self.citations_mut() {
            shas.entry(canonical(c)).or_default().insert(c.sha.clone());
        }
        let mut longest: BTreeMap<(Option<String>, String), String> = BTreeMap::new();
        let mut shared: BTreeMap<(Option<String>, String), Vec<String>> = BTreeMap::new();
        for (repository, set) in &shas {
            for sha in set {
                let longer: Vec<&String> =
                    set.iter().filter(|t| t.len() > sha.len() && t.starts_with(sha.as_str())).collect();
                // The longer forms that no other longer form extends.
                let tips: Vec<String> = longer
                    .iter()
                    .filter(|t| !longer.iter().any(|u| u.len() > t.len() && u.starts_with(t.as_str())))
                    .map(|t| t.to_string())
                    .collect();
                let key = (repository.clone(), sha.clone());
                match tips.as_slice() {
                    [] => {}
                    [one] => {
                        longest.insert(key, one.clone());
                    }
                    _ => {
                        shared.insert(key, tips);
                    }
                }
            }
        }
        let mut ambiguous = Vec::new();
        let mut named: BTreeSet<String> = BTreeSet::new();
        for c in self.citations_mut() {
            let key = (canonical(c), c.sha.clone());
            if let Some(full) = longest.get(&key) {
                c.sha = full.clone();
            } else if let Some(tips) = shared.get(&key) {
                ambiguous.push(AmbiguousCitation { commit: c.clone(), candidates: tips.clone() });
            }
            if key.0.is_none() && c.repository.is_some() {
                named.insert(c.sha.clone());
            }
        }
        // Every citation of a default-repository commit spelled the same way.
        for c in self.citations_mut() {
            if canonical(c).is_none() {
                c.repository = named.contains(&c.sha).then(|| default_repository.unwrap_or_default().to_string());
            }
        }
        if self.commits.len() > 1 {
            self.merge_commit_notes();
        }
        ambiguous
    }

    /// `[[commits]]` entries naming the same commit become the first of them.
    fn merge_commit_notes(&mut self) {
        let mut merged: Vec<CommitNote> = Vec::with_capacity(self.commits.len());
        for n in std::mem::take(&mut self.commits) {
            match merged.iter_mut().find(|m| m.commit.key() == n.commit.key()) {
                Some(m) => match (&mut m.note, n.note) {
                    (Some(a), Some(b)) if *a != b => {
                        a.push_str("; ");
                        a.push_str(&b);
                    }
                    (slot @ None, b) => *slot = b,
                    _ => {}
                },
                None => merged.push(n),
            }
        }
        self.commits = merged;
    }

    /// Whether any part of the record is `private` (left out of public output).
    pub fn has_private_parts(&self) -> bool {
        self.timeline.iter().any(|e| e.private)
            || self.causes.iter().any(|c| c.private)
            || self.changes.iter().any(|c| c.private)
            || self.actions.iter().any(|a| a.private)
            || self.sections.iter().any(|s| s.private)
    }

    /// `YYYY-MM` of the incident's date, for monthly indexes.
    pub fn month(&self) -> String {
        format!("{:04}-{:02}", self.date.year(), self.date.month())
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Impact {
    pub summary: Option<String>,
    pub downtime: Option<Stated<Duration>>,
    pub degraded: Option<Stated<Duration>>,
    pub users_affected: Option<Stated<i64>>,
    pub customers_affected: Option<Stated<i64>>,
    pub data_loss: Option<String>,
    pub revenue: Option<String>,
    pub notes: Vec<String>,
    pub metrics: Vec<Metric>,
    pub windows: Vec<ImpactWindow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub name: String,
    pub value: Stated<f64>,
    pub unit: Option<String>,
    pub bound: Bound,
    pub note: Option<String>,
    pub source: Option<Located<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImpactWindow {
    pub scope: String,
    pub from: When,
    pub to: Option<When>,
    pub level: WindowLevel,
    pub approximate: bool,
    pub note: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    pub at: When,
    pub until: Option<When>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub kind: EntryKind,
    pub marks: Vec<MomentKind>,
    pub commits: Vec<CommitRef>,
    pub source: Option<Located<String>>,
    pub private: bool,
    /// Where `at` is written.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    pub id: Option<String>,
    pub title: String,
    pub role: CauseRole,
    pub because_of: Vec<Located<String>>,
    pub kind: Option<String>,
    pub primary: bool,
    pub description: Option<String>,
    pub impact: Option<String>,
    pub fix: Option<String>,
    pub fix_time: Option<Stated<Duration>>,
    pub commits: Vec<CommitRef>,
    pub found: Option<When>,
    pub private: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommitNote {
    pub commit: CommitRef,
    pub note: Option<String>,
}

/// What a `[[changes]]` entry changed.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeTarget {
    File(String),
    Setting { name: String, from: Option<String>, to: Option<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub target: ChangeTarget,
    pub at: Option<When>,
    pub summary: Option<String>,
    pub commits: Vec<CommitRef>,
    pub committed: bool,
    pub private: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    pub title: String,
    pub problem: Option<String>,
    pub takeaways: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionItem {
    pub id: String,
    /// True when `id` was given in the record, not defaulted to `A<n>`.
    pub explicit_id: bool,
    pub title: String,
    pub details: Vec<String>,
    pub kind: Option<ActionKind>,
    pub horizon: Option<Horizon>,
    pub owner: Option<String>,
    pub due: Option<Due>,
    pub status: ActionStatus,
    pub ticket: Option<String>,
    pub private: bool,
    pub span: Span,
}

impl ActionItem {
    /// Open or in progress with its due day before `day` (see [`Incident::is_overdue`],
    /// which judges on the record's `actions_as_of`).
    pub fn is_overdue(&self, day: NaiveDate) -> bool {
        self.status.is_pending() && self.due.is_some_and(|d| d.last_day() < day)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct VerificationItem {
    pub item: String,
    pub done: bool,
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EffortItem {
    pub activity: String,
    pub duration: Stated<Duration>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RunbookStep {
    pub title: Option<String>,
    pub body: Option<String>,
    pub command: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Runbook {
    pub id: String,
    pub title: String,
    pub symptoms: Vec<String>,
    pub services: Vec<String>,
    pub steps: Vec<RunbookStep>,
    pub verify: Vec<String>,
    pub owner: Option<String>,
    pub reviewed: Option<NaiveDate>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub id: Option<String>,
    pub title: Option<String>,
    pub url: String,
    pub kind: LinkKind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub body: Option<String>,
    pub after: SectionAnchor,
    pub private: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_periods_end_at_their_last_day() {
        let d = |s| Due::parse_period(s).unwrap().last_day().to_string();
        assert_eq!(d("2025-02"), "2025-02-28");
        assert_eq!(d("2024-02"), "2024-02-29");
        assert_eq!(d("2025-12"), "2025-12-31");
        assert_eq!(d("2025-Q1"), "2025-03-31");
        assert_eq!(d("2025-Q4"), "2025-12-31");
        assert!(Due::parse_period("2025-Q5").is_none());
        assert!(Due::parse_period("2025-13").is_none());
        assert!(Due::parse_period("25-01").is_none());
    }

    #[test]
    fn commit_refs_parse() {
        let c = CommitRef::parse("boulder@AA01F4D", Span::default()).unwrap();
        assert_eq!(c.repository.as_deref(), Some("boulder"));
        assert_eq!(c.sha, "aa01f4d");
        assert!(CommitRef::parse("abc", Span::default()).unwrap_err().contains("4 to 40"));
        assert!(CommitRef::parse("abcg123", Span::default()).unwrap_err().contains("`g`"));
        assert!(CommitRef::parse("@abcd", Span::default()).is_err());
    }
}
