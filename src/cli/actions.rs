//! `casebook actions`: every action item across records, overdue first.

use super::Status;
use super::output::{Global, csv_field, plural, print, refuse_errors, write_table};
use crate::error::{Error, Result};
use crate::figures::{self, ActionFilter, ActionRow};
use crate::load::Casebook;
use crate::model::{ActionStatus, Incident};
use clap::ValueEnum;

#[derive(clap::Args, Debug)]
pub struct ActionsArgs {
    /// Only overdue actions
    #[arg(long)]
    pub overdue: bool,
    /// Only this owner's actions (any case)
    #[arg(long)]
    pub owner: Option<String>,
    /// Only actions with this status: open, in-progress, done, deferred or dropped
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableFormat,
    /// Exit 1 when any action is overdue
    #[arg(long)]
    pub fail_on_overdue: bool,
}

/// Output formats of `actions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Table,
    Json,
    Csv,
    Markdown,
}

const HEADER: [&str; 6] = ["incident", "action", "title", "owner", "due", "status"];

fn cells(r: &ActionRow) -> Vec<String> {
    vec![
        r.incident.clone(),
        r.id.clone(),
        r.title.clone(),
        r.owner.clone(),
        r.due.clone().unwrap_or_default(),
        format!("{}{}", r.status, if r.overdue { " (overdue)" } else { "" }),
    ]
}

fn json_lines(rows: &[ActionRow]) -> String {
    rows.iter().filter_map(|r| serde_json::to_string(r).ok()).map(|l| l + "\n").collect()
}

fn csv(rows: &[ActionRow]) -> String {
    let f = csv_field;
    let mut s = String::from("incident,slug,action,title,owner,due,status,overdue,ticket\n");
    for r in rows {
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            f(&r.incident),
            f(&r.slug),
            f(&r.id),
            f(&r.title),
            f(&r.owner),
            f(r.due.as_deref().unwrap_or("")),
            r.status,
            r.overdue,
            f(r.ticket.as_deref().unwrap_or(""))
        ));
    }
    s
}

fn markdown(rows: &[ActionRow]) -> String {
    let mut s = format!("| {} |\n|{}\n", HEADER.join(" | "), "---|".repeat(HEADER.len()));
    for r in rows {
        let c: Vec<String> = cells(r).iter().map(|c| crate::markdown::table_cell(c)).collect();
        s.push_str(&format!("| {} |\n", c.join(" | ")));
    }
    s
}

pub fn run(g: &Global, args: &ActionsArgs) -> Result<Status> {
    let status = match &args.status {
        Some(s) => Some(ActionStatus::parse(s).ok_or_else(|| {
            Error::Usage(format!("unknown status \"{s}\"; use one of {}", ActionStatus::names().join(", ")))
        })?),
        None => None,
    };
    let book = Casebook::load(&g.root, &[]);
    refuse_errors(g, &book, "run `casebook check`")?;
    let incidents: Vec<&Incident> = book.records.iter().map(|r| &r.incident).collect();
    let filter = ActionFilter { overdue_only: args.overdue, owner: args.owner.clone(), status };
    let rows = figures::actions(&incidents, &filter, g.today);
    match args.format {
        TableFormat::Json => print(&json_lines(&rows))?,
        TableFormat::Csv => print(&csv(&rows))?,
        TableFormat::Markdown => print(&markdown(&rows))?,
        TableFormat::Table => {
            let body: Vec<Vec<String>> = rows.iter().map(cells).collect();
            write_table(&mut std::io::stdout().lock(), &HEADER, &body).map_err(|e| Error::io("stdout", e))?;
        }
    }
    let overdue = rows.iter().filter(|r| r.overdue).count();
    g.done(&format!("{} action{}, {overdue} overdue", rows.len(), plural(rows.len())));
    Ok(Status::failed_if(args.fail_on_overdue && overdue > 0))
}
