//! The record file as written: serde structs that mirror FORMAT.md key for key.
//!
//! Unknown keys are rejected in every table (`deny_unknown_fields`); values that
//! checks must point at keep their span (`Sp`). The same structs derive the JSON
//! Schema that `casebook schema` prints, so the schema cannot drift from the loader.

pub use crate::diag::toml::Sp;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use std::borrow::Cow;

/// A TOML datetime, local datetime, local date or local time.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct RawTime(pub toml::value::Datetime);

impl JsonSchema for RawTime {
    fn schema_name() -> Cow<'static, str> {
        "Datetime".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A TOML offset datetime (2025-11-16T21:00:00Z), local datetime (read in the record's timezone), local date (2025-11-16) or, where allowed, local time (21:10:00).",
            "type": "string",
            "anyOf": [
                {"format": "date-time"},
                {"format": "date"},
                {"format": "partial-date-time"},
                {"format": "time"}
            ]
        })
    }
}

/// A TOML date, or a string (`due`: "YYYY-MM" / "YYYY-Qn").
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
pub struct RawDue(pub toml::Value);

impl JsonSchema for RawDue {
    fn schema_name() -> Cow<'static, str> {
        "Due".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date (2025-12-01), a month (\"2025-12\") or a quarter (\"2026-Q1\"); a month or quarter is due at its end.",
            "type": "string",
            "anyOf": [
                {"format": "date"},
                {"pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"},
                {"pattern": "^[0-9]{4}-[Qq][1-4]$"}
            ]
        })
    }
}

/// A key in FORMAT.md, in the order a person writes them.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "casebook incident record",
    description = "One incident: incidents/<slug>.toml (casebook's record format, version 1; the reference is docs/format.md in casebook's repository)."
)]
pub struct RawIncident {
    /// Record format version (default 1).
    pub format: Option<Sp<i64>>,
    /// Public identifier such as INC-2025-011; defaults to the slug.
    pub id: Option<Sp<String>>,
    /// One line: what users saw.
    pub title: Option<Sp<String>>,
    /// The day the incident began, in `timezone`.
    pub date: Option<Sp<RawTime>>,
    /// IANA name or fixed offset ("+02:00") for local datetimes and times in this record (default "UTC").
    pub timezone: Option<Sp<String>>,
    /// One of the configured levels (default SEV1..SEV5, SEV1 worst).
    pub severity: Option<Sp<String>>,
    /// investigating, identified, monitoring, resolved or closed.
    pub status: Option<Sp<String>>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    /// What happened, in a paragraph (markdown).
    pub summary: Option<Sp<String>>,
    pub introduced: Option<Sp<RawTime>>,
    pub started: Option<Sp<RawTime>>,
    pub detected: Option<Sp<RawTime>>,
    pub acknowledged: Option<Sp<RawTime>>,
    pub identified: Option<Sp<RawTime>>,
    pub mitigated: Option<Sp<RawTime>>,
    pub resolved: Option<Sp<RawTime>>,
    /// A hand-typed total to cross-check against the computed effort total.
    pub effort_total: Option<Sp<String>>,
    pub created: Option<Sp<RawTime>>,
    pub updated: Option<Sp<RawTime>>,
    /// The day the action statuses were last brought up to date (a date); overdue is
    /// judged on that day instead of today.
    pub actions_as_of: Option<Sp<RawTime>>,
    /// Closing paragraph (markdown).
    pub conclusion: Option<Sp<String>>,
    /// Slugs or ids of related incidents.
    #[serde(default)]
    pub related: Vec<Sp<String>>,
    /// Ids of runbooks this incident used or produced.
    #[serde(default)]
    pub runbooks: Vec<Sp<String>>,
    pub impact: Option<RawImpact>,
    #[serde(default)]
    pub timeline: Vec<RawTimelineEntry>,
    #[serde(default)]
    pub causes: Vec<Sp<RawCause>>,
    #[serde(default)]
    pub commits: Vec<RawCommitNote>,
    #[serde(default)]
    pub changes: Vec<Sp<RawChange>>,
    #[serde(default)]
    pub lessons: Vec<RawLesson>,
    #[serde(default)]
    pub actions: Vec<Sp<RawAction>>,
    #[serde(default)]
    pub verification: Vec<RawVerification>,
    #[serde(default)]
    pub effort: Vec<RawEffort>,
    #[serde(default)]
    pub runbook: Vec<Sp<RawRunbook>>,
    #[serde(default)]
    pub links: Vec<RawLink>,
    #[serde(default)]
    pub sections: Vec<RawSection>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawImpact {
    pub summary: Option<Sp<String>>,
    /// How long the affected function was unavailable (duration).
    pub downtime: Option<Sp<String>>,
    /// How long it was degraded but usable (duration).
    pub degraded: Option<Sp<String>>,
    pub users_affected: Option<Sp<i64>>,
    pub customers_affected: Option<Sp<i64>>,
    /// "none", or a description.
    pub data_loss: Option<String>,
    /// "none", or a description / amount.
    pub revenue: Option<String>,
    #[serde(default)]
    pub notes: Vec<Sp<String>>,
    #[serde(default)]
    pub metrics: Vec<RawMetric>,
    #[serde(default)]
    pub windows: Vec<Sp<RawWindow>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMetric {
    pub name: String,
    pub value: Sp<f64>,
    pub unit: Option<String>,
    /// exact (default), about, at-least, at-most.
    pub bound: Option<Sp<String>>,
    pub note: Option<Sp<String>>,
    /// A [[links]] id.
    pub source: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWindow {
    pub scope: String,
    pub from: Sp<RawTime>,
    pub to: Option<Sp<RawTime>>,
    /// down (default), degraded, partial, intermittent.
    pub level: Option<Sp<String>>,
    #[serde(default)]
    pub approximate: bool,
    pub note: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTimelineEntry {
    /// Datetime, local time on the incident's date, or a date alone.
    pub at: Sp<RawTime>,
    pub until: Option<Sp<RawTime>>,
    pub title: Option<String>,
    pub body: Option<Sp<String>>,
    /// detection, investigation, action, mitigation, resolution, communication or other.
    pub kind: Option<Sp<String>>,
    /// Key moments this entry marks.
    #[serde(default)]
    pub marks: Vec<Sp<String>>,
    #[serde(default)]
    pub commits: Vec<Sp<String>>,
    #[serde(default)]
    pub approximate: bool,
    /// The [[links]] id this entry comes from.
    pub source: Option<Sp<String>>,
    #[serde(default)]
    pub private: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCause {
    pub id: Option<Sp<String>>,
    pub title: String,
    /// root (default), contributing or trigger.
    pub role: Option<Sp<String>>,
    #[serde(default)]
    pub because_of: Vec<Sp<String>>,
    pub kind: Option<String>,
    #[serde(default)]
    pub primary: bool,
    pub description: Option<Sp<String>>,
    pub impact: Option<Sp<String>>,
    pub fix: Option<Sp<String>>,
    pub fix_time: Option<Sp<String>>,
    #[serde(default)]
    pub commits: Vec<Sp<String>>,
    pub found: Option<Sp<RawTime>>,
    #[serde(default)]
    pub private: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCommitNote {
    pub sha: Sp<String>,
    /// Why it matters (markdown).
    pub note: Option<Sp<String>>,
    pub repository: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    pub path: Option<String>,
    pub setting: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub at: Option<Sp<RawTime>>,
    pub summary: Option<Sp<String>>,
    #[serde(default)]
    pub commits: Vec<Sp<String>>,
    pub committed: Option<bool>,
    #[serde(default)]
    pub private: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLesson {
    pub title: String,
    pub problem: Option<Sp<String>>,
    #[serde(default)]
    pub takeaways: Vec<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAction {
    pub id: Option<Sp<String>>,
    pub title: String,
    #[serde(default)]
    pub details: Vec<Sp<String>>,
    /// prevent, detect, mitigate, process, document or other.
    pub kind: Option<Sp<String>>,
    /// immediate, short, long.
    pub horizon: Option<Sp<String>>,
    pub owner: Option<String>,
    pub due: Option<Sp<RawDue>>,
    /// open (default), in-progress, done, deferred, dropped.
    pub status: Option<Sp<String>>,
    pub ticket: Option<String>,
    #[serde(default)]
    pub private: bool,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawVerification {
    pub item: String,
    #[serde(default)]
    pub done: bool,
    pub by: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEffort {
    pub activity: String,
    pub duration: Sp<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub title: Option<String>,
    pub body: Option<Sp<String>>,
    pub command: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRunbook {
    pub id: Sp<String>,
    pub title: String,
    #[serde(default)]
    pub symptoms: Vec<String>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub steps: Vec<RawStep>,
    #[serde(default)]
    pub verify: Vec<Sp<String>>,
    pub owner: Option<String>,
    pub reviewed: Option<Sp<RawTime>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    pub id: Option<Sp<String>>,
    pub title: Option<String>,
    pub url: Sp<String>,
    /// postmortem, pr, issue, ticket, dashboard, doc, status-page, chat, social or other.
    pub kind: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub title: String,
    pub body: Option<Sp<String>>,
    /// The standard section it follows; default: before the conclusion.
    pub after: Option<Sp<String>>,
    #[serde(default)]
    pub private: bool,
}
