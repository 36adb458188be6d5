//! `casebook stats`: the overview's figures, for a period.

use super::Status;
use super::output::{Global, csv_field, plural, print, refuse_errors, write_table};
use crate::error::{Error, Result};
use crate::figures::{self, Stats};
use crate::load::Casebook;
use crate::model::{Duration, Incident};
use chrono::NaiveDate;
use clap::ValueEnum;

#[derive(clap::Args, Debug)]
pub struct StatsArgs {
    /// Incidents on or after this day
    #[arg(long, value_name = "DATE")]
    pub since: Option<NaiveDate>,
    /// Incidents on or before this day
    #[arg(long, value_name = "DATE")]
    pub until: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: StatsFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    Table,
    Json,
    Csv,
}

/// (section, key, value) rows shared by the table and CSV.
fn rows(s: &Stats, today: NaiveDate) -> Vec<(String, String, String)> {
    let d = |secs: i64| Duration::from_secs(secs).to_string();
    let mut rows: Vec<(String, String, String)> = vec![("incidents".into(), "total".into(), s.incidents.to_string())];
    for (section, counts) in [
        ("severity", &s.by_severity),
        ("status", &s.by_status),
        ("service", &s.by_service),
        ("cause kind", &s.by_cause_kind),
        ("month", &s.by_month),
    ] {
        for c in counts {
            rows.push((section.into(), c.key.clone(), c.count.to_string()));
        }
    }
    for r in &s.response {
        for (what, sp, from) in r.measures() {
            if let Some(sp) = sp {
                rows.push((
                    format!("time to {what}"),
                    r.severity.clone(),
                    format!("median {}, p90 {} (n={})", sp.median().phrase(from), sp.p90().phrase(from), sp.count),
                ));
            }
        }
    }
    rows.push(("effort".into(), "total".into(), d(s.effort_total_secs)));
    let a = &s.actions;
    for (key, n) in [
        ("total", a.total),
        ("open", a.open),
        ("in progress", a.in_progress),
        ("done", a.done),
        ("deferred", a.deferred),
        ("dropped", a.dropped),
        ("overdue", a.overdue),
    ] {
        rows.push(("actions".into(), key.into(), n.to_string()));
    }
    for r in &s.recurrences {
        rows.push(("recurrence".into(), format!("{} / {}", r.service, r.cause_kind), r.incidents.join(", ")));
    }
    for id in &s.on_this_day {
        rows.push(("on this day".into(), today.format("%m-%d").to_string(), id.clone()));
    }
    rows
}

pub fn run(g: &Global, args: &StatsArgs) -> Result<Status> {
    let book = Casebook::load(&g.root, &[]);
    refuse_errors(g, &book, "run `casebook check`")?;
    let all: Vec<&Incident> = book.records.iter().map(|r| &r.incident).collect();
    let incidents = figures::in_range(&all, args.since, args.until);
    let s = figures::stats(&incidents, &book.config.severity_levels, g.today);
    match args.format {
        StatsFormat::Json => {
            let json = serde_json::to_string_pretty(&s).map_err(|e| Error::io("stdout", std::io::Error::other(e)))?;
            print(&format!("{json}\n"))?;
        }
        StatsFormat::Csv => {
            let mut text = String::from("section,key,value\n");
            for (a, b, c) in rows(&s, g.today) {
                text.push_str(&format!("{},{},{}\n", csv_field(&a), csv_field(&b), csv_field(&c)));
            }
            print(&text)?;
        }
        StatsFormat::Table => {
            let body: Vec<Vec<String>> = rows(&s, g.today).into_iter().map(|(a, b, c)| vec![a, b, c]).collect();
            write_table(&mut std::io::stdout().lock(), &["section", "key", "value"], &body)
                .map_err(|e| Error::io("stdout", e))?;
        }
    }
    g.done(&format!("{} incident{} in range", s.incidents, plural(s.incidents)));
    Ok(Status::Success)
}
