//! `casebook check`: validate records and casebook.toml.

use super::output::{Depth, Global, load_and_check, plural, show_diagnostics};
use super::{Format, Status};
use crate::diag::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::git;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Record files or folders (default: the incidents folder)
    pub paths: Vec<PathBuf>,
    /// Output format: human-readable, or one JSON object per diagnostic
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Fail on warnings too
    #[arg(long)]
    pub deny_warnings: bool,
}

fn under_any(path: Option<&PathBuf>, roots: &[PathBuf]) -> bool {
    match path {
        None => true,
        Some(p) => roots.iter().any(|r| p.starts_with(r) || p == r),
    }
}

/// Exit 0 without errors, 1 with errors (or warnings under `--deny-warnings`).
pub fn run(g: &Global, args: &CheckArgs) -> Result<Status> {
    let paths: Vec<PathBuf> = args.paths.iter().map(|p| g.absolute(p)).collect();
    let depth = Depth { git: git::Depth { history: true, files: false }, warnings: true, personal: false };
    let (book, _) = load_and_check(g, &paths, depth);
    let shown: Vec<&Diagnostic> =
        book.diagnostics.iter().filter(|d| paths.is_empty() || under_any(d.path.as_ref(), &paths)).collect();
    let errors = shown.iter().filter(|d| d.is_error()).count();
    let warnings = shown.len() - errors;
    let failed = errors > 0 || (args.deny_warnings && warnings > 0);
    match args.format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in &shown {
                let line = serde_json::to_string(&diag::to_json(d, &book.sources)).map_err(std::io::Error::other);
                writeln!(out, "{}", line.map_err(|e| Error::io("stdout", e))?).map_err(|e| Error::io("stdout", e))?;
            }
        }
        Format::Human => {
            // -q: only errors are printed (warnings still count for --deny-warnings).
            let printed: Vec<&Diagnostic> = shown.iter().copied().filter(|d| !g.quiet || d.is_error()).collect();
            show_diagnostics(g, &book.sources, &printed)?;
            let records = if paths.is_empty() {
                book.records.len()
            } else {
                book.records.iter().filter(|r| under_any(Some(&r.path), &paths)).count()
            };
            if !g.quiet || failed {
                g.done(&format!(
                    "check {}: {records} record{} checked, {errors} error{}, {warnings} warning{}",
                    if failed { "failed" } else { "ok" },
                    plural(records),
                    plural(errors),
                    plural(warnings)
                ));
            }
        }
    }
    Ok(Status::failed_if(failed))
}
