//! `casebook new "Title"`: a new record, checked.

use super::Status;
use super::output::{Global, show_diagnostics};
use crate::diag::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::load::Casebook;
use crate::project;
use std::io::Write;
use std::path::Path;

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// What users saw, in one line
    pub title: String,
    /// One of the configured severity levels (default SEV1..SEV5, SEV1 worst)
    #[arg(long)]
    pub severity: Option<String>,
    /// A service affected (repeat for several)
    #[arg(long = "service", value_name = "SERVICE")]
    pub services: Vec<String>,
    /// The day the incident began, for one that happened earlier (default: today); sets
    /// `date`, the id's year and the file name
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<chrono::NaiveDate>,
    /// When it was declared, on that day, for the first timeline entry (default: now
    /// when the day is today, else 00:00)
    #[arg(long, value_name = "HH:MM", value_parser = parse_clock)]
    pub at: Option<chrono::NaiveTime>,
    /// Open $VISUAL or $EDITOR on the new record, then check it
    #[arg(long)]
    pub edit: bool,
}

/// The next id, a slug from date and title, a skeleton; checks it.
pub fn run(g: &Global, args: &NewArgs) -> Result<Status> {
    let title = args.title.trim();
    if title.is_empty() {
        return Err(Error::Usage(
            "the title is empty; say what users saw, e.g. casebook new \"Checkout returned 500\"".into(),
        ));
    }
    let config = g.config()?;
    if let Some(sev) = &args.severity
        && !config.severity_levels.contains(sev)
    {
        return Err(Error::Usage(format!(
            "severity \"{sev}\" is not a configured level; use one of {}",
            config.severity_levels.join(", ")
        )));
    }
    let book = Casebook::load(&g.root, &[]);
    let ids: Vec<&str> = book.records.iter().map(|r| r.incident.id.as_str()).collect();
    let day = args.date.unwrap_or(g.today);
    let id = project::next_id(&config.id_format, &ids, day);
    let slug = project::slug(day, title);
    let path = config.incidents_dir.join(format!("{slug}.toml"));
    let taken = book.records.iter().any(|r| r.incident.slug == slug)
        || book.failed.iter().any(|p| crate::load::slug_of(p) == slug);
    if path.exists() || taken {
        return Err(Error::Exists {
            path: g.shown(&path).into(),
            advice: "give the new incident a different title, or edit that record",
        });
    }
    let now = chrono::Utc::now().naive_utc();
    let declared = match args.at {
        Some(t) => Some(day.and_time(t)),
        None if now.date() == day => Some(now),
        None => None,
    };
    let text = project::skeleton(&id, title, day, declared, &args.severity, &args.services, false);
    std::fs::create_dir_all(&config.incidents_dir).map_err(|e| Error::io(&config.incidents_dir, e))?;
    crate::fsutil::create_new(&path, text.as_bytes()).map_err(|e| Error::io(&path, e))?;
    let shown = g.shown(&path);
    if args.edit {
        edit(&path, &shown)?;
    }
    // Check what was written (or edited).
    let (text, incident, diags) = crate::load::load_file(&path, config.default_repository());
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        let mut sources = diag::Sources::default();
        if let Some(text) = text {
            sources.insert(path.clone(), text);
        }
        show_diagnostics(g, &sources, &errors)?;
        return Err(Error::Invalid {
            count: errors.len(),
            what: shown,
            then: "fix them, then run casebook check".into(),
        });
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{shown}");
    g.done(&format!(
        "created {} {shown} ({})",
        incident.map(|i| i.id).unwrap_or(id),
        if args.edit { "edited, checked" } else { "checked" }
    ));
    Ok(Status::Success)
}

/// Opens `$VISUAL` (else `$EDITOR`, else vi) on the record and waits for it.
fn edit(path: &Path, shown: &str) -> Result<()> {
    let editor = std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).unwrap_or_else(|_| "vi".into());
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(path)
        .status()
        .map_err(|source| Error::Editor { editor: editor.clone(), source })?;
    if !status.success() {
        return Err(Error::EditorFailed { status, path: shown.to_string() });
    }
    Ok(())
}

/// `HH:MM` or `HH:MM:SS`.
fn parse_clock(s: &str) -> std::result::Result<chrono::NaiveTime, String> {
    chrono::NaiveTime::parse_from_str(s, "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(s, "%H:%M:%S"))
        .map_err(|_| format!("`{s}` is not a time of day; write HH:MM, e.g. 21:10"))
}
