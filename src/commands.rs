//! The commands: each takes its options, does its work through the library and
//! reports to the terminal. Exit codes: 0 success, 1 problems found, 2 usage.

use crate::check::{self, CheckOptions};
use crate::diag::{self, Code, Level};
use crate::load::Casebook;
use crate::{Error, Result};
use chrono::NaiveDate;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream, WriteColor};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Options every command shares.
#[derive(Debug, Clone)]
pub struct Global {
    /// The project root (`-C DIR`, default the working directory).
    pub root: PathBuf,
    pub color: ColorChoice,
    pub quiet: bool,
    pub verbose: bool,
    /// "Today", for overdue actions and review ages.
    pub today: NaiveDate,
}

impl Global {
    pub fn stderr(&self) -> StandardStream {
        StandardStream::stderr(self.color)
    }

    pub fn stdout(&self) -> StandardStream {
        StandardStream::stdout(self.color)
    }

    /// The one-line summary a long-running command ends with.
    pub fn done(&self, line: &str) {
        if !self.quiet {
            let mut err = self.stderr();
            let _ = writeln!(err, "{line}");
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// Loads the casebook and runs every check; diagnostics are sorted.
pub fn load_and_check(g: &Global, paths: &[PathBuf]) -> Casebook {
    let mut book = Casebook::load(&g.root, &[]);
    // Extra paths outside the incidents folder are loaded too.
    if !paths.is_empty() {
        let extra: Vec<PathBuf> = paths
            .iter()
            .filter(|p| !p.starts_with(&book.config.incidents_dir))
            .cloned()
            .collect();
        if !extra.is_empty() {
            let more = Casebook::load_records(&extra);
            book.absorb(more);
        }
    }
    let found = check::run(&book, &CheckOptions { today: g.today });
    book.diagnostics.extend(found);
    check::sort(&mut book.diagnostics, &book.sources);
    book
}

fn under_any(path: Option<&PathBuf>, roots: &[PathBuf]) -> bool {
    match path {
        None => true,
        Some(p) => roots.iter().any(|r| p.starts_with(r) || p == r),
    }
}

/// `casebook check`: exit 0 without errors, 1 with errors (or warnings under `--deny-warnings`).
pub fn check(g: &Global, paths: &[PathBuf], format: Format, deny_warnings: bool) -> Result<i32> {
    let paths: Vec<PathBuf> = paths.iter().map(|p| absolutize(&g.root, p)).collect();
    let book = load_and_check(g, &paths);
    let shown: Vec<&diag::Diagnostic> = book
        .diagnostics
        .iter()
        .filter(|d| paths.is_empty() || under_any(d.path.as_ref(), &paths))
        .collect();
    let errors = shown.iter().filter(|d| d.level == Level::Error).count();
    let warnings = shown.len() - errors;
    match format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in &shown {
                let line = serde_json::to_string(&diag::to_json(d, &book.sources))
                    .expect("diagnostic serializes");
                writeln!(out, "{line}").map_err(|e| Error::io("stdout", e))?;
            }
        }
        Format::Human => {
            let owned: Vec<diag::Diagnostic> = shown.iter().map(|d| relative(d, &g.root)).collect();
            let mut sources = diag::Sources::default();
            for d in &owned {
                if let Some(p) = &d.path
                    && let Some(text) = book.sources.get(&g.root.join(p)).or(book.sources.get(p))
                {
                    sources.insert(p.clone(), text.to_string());
                }
                for (p, _, _) in &d.related {
                    if let Some(text) = book.sources.get(&g.root.join(p)).or(book.sources.get(p)) {
                        sources.insert(p.clone(), text.to_string());
                    }
                }
            }
            let mut err = g.stderr();
            diag::emit(&mut err, &owned, &sources).map_err(|e| Error::io("stderr", e))?;
            let records = if paths.is_empty() {
                book.records.len()
            } else {
                book.records
                    .iter()
                    .filter(|r| under_any(Some(&r.path), &paths))
                    .count()
            };
            let verdict = if errors > 0 || (deny_warnings && warnings > 0) {
                "failed"
            } else {
                "ok"
            };
            if !g.quiet || verdict == "failed" {
                let _ = err.flush();
                g.done(&format!(
                    "check {verdict}: {records} record{} checked, {errors} error{}, {warnings} warning{}",
                    plural(records),
                    plural(errors),
                    plural(warnings)
                ));
            }
        }
    }
    Ok(if errors > 0 || (deny_warnings && warnings > 0) {
        1
    } else {
        0
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Shows paths relative to the project root, as cargo does.
fn relative(d: &diag::Diagnostic, root: &Path) -> diag::Diagnostic {
    let mut d = d.clone();
    let rel = |p: &PathBuf| {
        p.strip_prefix(root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| p.clone())
    };
    d.path = d.path.as_ref().map(rel);
    d.related = d
        .related
        .iter()
        .map(|(p, s, l)| (rel(p), *s, l.clone()))
        .collect();
    d
}

pub fn absolutize(root: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        root.join(p)
    }
}

/// `casebook explain CODE`.
pub fn explain(g: &Global, code: Option<&str>) -> Result<i32> {
    let mut out = g.stdout();
    let w = |out: &mut StandardStream, s: String| {
        writeln!(out, "{s}").map_err(|e| Error::io("stdout", e))
    };
    match code {
        None => {
            for c in Code::ALL {
                w(
                    &mut out,
                    format!(
                        "{}  {:<7}  {}",
                        c.as_str(),
                        if c.level() == Level::Error {
                            "error"
                        } else {
                            "warning"
                        },
                        c.title()
                    ),
                )?;
            }
            Ok(0)
        }
        Some(text) => match Code::parse(text) {
            Some(c) => {
                let level = if c.level() == Level::Error {
                    "error"
                } else {
                    "warning"
                };
                w(
                    &mut out,
                    format!(
                        "{level}[{}]: {}\n\n{}",
                        c.as_str(),
                        c.title(),
                        c.explanation()
                    ),
                )?;
                out.flush().ok();
                Ok(0)
            }
            None => Err(Error::Usage(format!(
                "no diagnostic code \"{text}\"; `casebook explain` lists them all"
            ))),
        },
    }
}

/// Writes to stderr in red: `error: ...`.
pub fn report_error(color: ColorChoice, e: &Error) {
    use codespan_reporting::term::termcolor::{Color, ColorSpec};
    let mut err = StandardStream::stderr(color);
    let _ = err.set_color(ColorSpec::new().set_fg(Some(Color::Red)).set_bold(true));
    let _ = write!(err, "error");
    let _ = err.reset();
    let _ = writeln!(err, ": {e}");
}
