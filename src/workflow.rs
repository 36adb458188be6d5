//! The everyday workflow: starting a repository (`init`), writing a new record
//! (`new`), chasing actions (`actions`), figures (`stats`) and the schema.

use crate::config::{CONFIG_FILE, Config};
use crate::figures::{self, Stats};
use crate::load::{Casebook, RawIncident};
use crate::model::{ActionItem, ActionStatus, Incident};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Where `init` writes the schema; records point at it with `#:schema ../casebook.schema.json`.
pub const SCHEMA_FILE: &str = "casebook.schema.json";

/// The JSON Schema of the record format, from the loader's own types.
pub fn record_schema() -> String {
    let schema = schemars::schema_for!(RawIncident);
    let mut s = serde_json::to_string_pretty(&schema).expect("schema serializes");
    s.push('\n');
    s
}

/// The JSON Schema of casebook.toml.
pub fn config_schema() -> String {
    let schema = schemars::schema_for!(crate::config::RawConfig);
    let mut s = serde_json::to_string_pretty(&schema).expect("schema serializes");
    s.push('\n');
    s
}

/// What `init` did with each path.
#[derive(Debug, PartialEq, Eq)]
pub enum InitStep {
    Created(PathBuf),
    Kept(PathBuf),
}

const CONFIG_TEMPLATE: &str = r#"# casebook configuration: every key is optional.

[project]
# Pattern for `casebook new`: {year}, {seq} (counts within the year; {seq:03} pads).
id_format = "INC-{year}-{seq:03}"

[severity]
levels = ["SEV1", "SEV2", "SEV3", "SEV4", "SEV5"]   # worst first

# [[repositories]]           # where cited commits live; default: this repository
# name = "app"
# path = "."
# url = "https://github.com/acme/app/commit/{sha}"

[runbooks]
review_days = 180

# [redact]
# patterns = ["CUSTOMER-\\d+"]   # replaced by [redacted] in public output

[book]
title = "Incidents and runbooks"
# incident_pages = 500        # for large archives: the newest get a page each, older months share one
"#;

/// Writes casebook.toml, incidents/ and an example record; never touches what exists.
pub fn init(root: &Path, today: NaiveDate) -> std::io::Result<Vec<InitStep>> {
    let mut steps = Vec::new();
    let config = root.join(CONFIG_FILE);
    if config.exists() {
        steps.push(InitStep::Kept(config));
    } else {
        crate::fsutil::write_atomic(&config, CONFIG_TEMPLATE.as_bytes())?;
        steps.push(InitStep::Created(config));
    }
    let schema = root.join(SCHEMA_FILE);
    if schema.exists() {
        steps.push(InitStep::Kept(schema));
    } else {
        crate::fsutil::write_atomic(&schema, record_schema().as_bytes())?;
        steps.push(InitStep::Created(schema));
    }
    let (cfg, _, _) = Config::load(root);
    let incidents = cfg.incidents_dir.clone();
    let has_records = incidents.is_dir() && !crate::load::discover(std::slice::from_ref(&incidents), root).0.is_empty();
    if incidents.is_dir() {
        steps.push(InitStep::Kept(incidents.clone()));
    } else {
        std::fs::create_dir_all(&incidents)?;
        steps.push(InitStep::Created(incidents.clone()));
    }
    if !has_records {
        let id = next_id(&cfg.id_format, &[], today);
        let example = incidents.join(format!("{today}-example-incident.toml"));
        let text = skeleton(&id, "Example: what users saw", today, None, &Some("SEV3".to_string()), &[], true);
        std::fs::write(&example, text)?;
        steps.push(InitStep::Created(example));
    }
    Ok(steps)
}

/// The next id for `format`, one past the highest sequence number already used this year.
pub fn next_id(format: &crate::config::IdFormat, existing: &[&str], today: NaiveDate) -> String {
    format.next(existing, today.year())
}

/// A slug from a date and a title: `2025-11-16-checkout-returned-500`.
pub fn slug(date: NaiveDate, title: &str) -> String {
    let words: Vec<String> = title
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(6)
        .map(str::to_string)
        .collect();
    let mut s = format!("{date}-{}", words.join("-"));
    if words.is_empty() {
        s.push_str("incident");
    }
    s.chars().take(72).collect::<String>().trim_end_matches('-').to_string()
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A new record with every section present, the optional ones commented out.
pub fn skeleton(
    id: &str,
    title: &str,
    date: NaiveDate,
    now: Option<NaiveDateTime>,
    severity: &Option<String>,
    services: &[String],
    example: bool,
) -> String {
    let services = services.iter().map(|s| toml_string(s)).collect::<Vec<_>>().join(", ");
    let at = now.map_or("00:00:00".to_string(), |n| n.format("%H:%M:00").to_string());
    let mut s = String::new();
    s.push_str("#:schema ../casebook.schema.json\n");
    s.push_str("# An incident record (FORMAT.md, version 1). `casebook check` validates it;\n");
    s.push_str("# `casebook render ");
    s.push_str(&slug(date, title));
    s.push_str("` shows the postmortem. Uncomment what you know.\n");
    s.push_str(&format!(
        "format = 1\nid = {}\ntitle = {}\ndate = {date}\ntimezone = \"UTC\"\n",
        toml_string(id),
        toml_string(title)
    ));
    match severity {
        Some(sev) => s.push_str(&format!("severity = {}\n", toml_string(sev))),
        None => s.push_str("# severity = \"SEV3\"\n"),
    }
    s.push_str("status = \"investigating\"\n");
    s.push_str(&format!("services = [{services}]\n"));
    s.push_str("tags = []\nauthors = []\n");
    s.push_str(
        "summary = \"\"\"\nWhat happened, in a paragraph: who was affected, what they saw, what fixed it.\n\"\"\"\n",
    );
    s.push_str("# started = 2025-11-16T20:50:00Z      # impact began (or mark it on a timeline entry)\n");
    s.push_str("# conclusion = \"\"\"Closing paragraph.\"\"\"\n# related = []\n# runbooks = []\n\n");
    s.push_str("# [impact]\n# summary = \"Who and what was affected.\"\n# downtime = \"45m\"\n# users_affected = 0\n# data_loss = \"none\"\n# revenue = \"none\"\n\n");
    s.push_str(&format!(
        "[[timeline]]\nat = {at}\ntitle = \"Incident declared\"\nkind = \"detection\"\nmarks = [\"detected\"]\n{}\n",
        if example { "body = \"How it was noticed: an alert, a customer report...\"\n" } else { "" }
    ));
    s.push_str("# [[timeline]]\n# at = 21:10:00\n# title = \"What was done\"\n# kind = \"investigation\"   # detection, investigation, action, mitigation, resolution, communication, other\n# marks = [\"identified\"]    # introduced, started, detected, acknowledged, identified, mitigated, resolved\n# commits = [\"abc1234\"]\n\n");
    s.push_str("# [[causes]]\n# title = \"The cause\"\n# role = \"root\"           # root, contributing, trigger\n# kind = \"config\"\n# description = \"\"\n# fix = \"\"\n# commits = []\n\n");
    s.push_str("# [[changes]]\n# path = \"src/file.rs\"      # or: setting = \"service max_connections\", from = \"\", to = \"\"\n# summary = \"\"\n\n");
    s.push_str("# [[lessons]]\n# title = \"\"\n# problem = \"\"\n# takeaways = []\n\n");
    s.push_str("# [[actions]]\n# title = \"\"\n# kind = \"prevent\"        # prevent, detect, mitigate, process, document, other\n# horizon = \"short\"       # immediate, short, long\n# owner = \"\"\n# due = \"2026-01\"         # a date, \"YYYY-MM\" or \"YYYY-Qn\"\n\n");
    s.push_str("# [[verification]]\n# item = \"\"\n# done = false\n\n");
    s.push_str("# [[effort]]\n# activity = \"Investigation\"\n# duration = \"1h30m\"\n\n");
    s.push_str("# [[runbook]]\n# id = \"what-to-do-next-time\"\n# title = \"\"\n# symptoms = []\n# steps = [{ title = \"\", command = \"\" }]\n\n");
    s.push_str("# [[links]]\n# title = \"\"\n# url = \"https://\"\n# kind = \"pr\"\n");
    s
}

/// One action with its incident, as `actions` lists it.
#[derive(Debug, Serialize)]
pub struct ActionRow {
    pub incident: String,
    pub slug: String,
    pub id: String,
    pub title: String,
    pub owner: String,
    pub due: Option<String>,
    pub status: String,
    pub overdue: bool,
    pub ticket: Option<String>,
}

/// Filters for `actions`.
#[derive(Debug, Default)]
pub struct ActionFilter {
    pub overdue_only: bool,
    pub owner: Option<String>,
    pub status: Option<ActionStatus>,
}

/// Every action across records, overdue first, then by due date, incident and id.
pub fn actions(records: &[&Incident], filter: &ActionFilter, today: NaiveDate) -> Vec<ActionRow> {
    let mut rows: Vec<(&Incident, &ActionItem)> = records
        .iter()
        .flat_map(|i| i.actions.iter().map(move |a| (*i, a)))
        .filter(|(_, a)| !filter.overdue_only || a.is_overdue(today))
        .filter(|(_, a)| {
            filter.owner.as_deref().is_none_or(|o| a.owner.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(o)))
        })
        .filter(|(_, a)| filter.status.is_none_or(|s| a.status == s))
        .collect();
    rows.sort_by(|(ia, a), (ib, b)| {
        (!a.is_overdue(today), a.due.map(|d| d.last_day()).unwrap_or(NaiveDate::MAX), &ia.slug, &a.id).cmp(&(
            !b.is_overdue(today),
            b.due.map(|d| d.last_day()).unwrap_or(NaiveDate::MAX),
            &ib.slug,
            &b.id,
        ))
    });
    rows.into_iter()
        .map(|(i, a)| ActionRow {
            incident: i.id.clone(),
            slug: i.slug.clone(),
            id: a.id.clone(),
            title: a.title.clone(),
            owner: a.owner.clone().unwrap_or_else(|| "unowned".into()),
            due: a.due.map(|d| d.to_string()),
            status: a.status.as_str().to_string(),
            overdue: a.is_overdue(today),
            ticket: a.ticket.clone(),
        })
        .collect()
}

/// Incidents whose date falls in [since, until].
pub fn in_range(book: &Casebook, since: Option<NaiveDate>, until: Option<NaiveDate>) -> Vec<&Incident> {
    book.records
        .iter()
        .map(|r| &r.incident)
        .filter(|i| since.is_none_or(|s| i.date >= s) && until.is_none_or(|u| i.date <= u))
        .collect()
}

/// The figures of `stats`, the same computation as the book's overview.
pub fn stats(book: &Casebook, since: Option<NaiveDate>, until: Option<NaiveDate>, today: NaiveDate) -> Stats {
    figures::stats(&in_range(book, since, until), &book.config.severity_levels, today)
}

/// CSV field quoting (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_count_within_the_year() {
        let d = NaiveDate::from_ymd_opt(2025, 11, 16).unwrap();
        let f = crate::config::IdFormat::default();
        assert_eq!(next_id(&f, &[], d), "INC-2025-001");
        assert_eq!(next_id(&f, &["INC-2025-007", "INC-2024-099", "X"], d), "INC-2025-008");
    }

    #[test]
    fn slugs_are_readable() {
        let d = NaiveDate::from_ymd_opt(2025, 11, 16).unwrap();
        assert_eq!(slug(d, "Checkout returned 500 for EU users!"), "2025-11-16-checkout-returned-500-for-eu-users");
        assert_eq!(slug(d, "???"), "2025-11-16-incident");
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
