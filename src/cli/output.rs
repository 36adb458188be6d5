//! What every command shares: the global options, loading and checking the
//! project, and writing to the terminal (errors, diagnostics, tables).

use crate::check::{self, CheckOptions};
use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::git::{self, GitFacts};
use crate::load::{self, Casebook};
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

    /// With `-v`, how long a phase took.
    pub fn timing(&self, what: &str, since: std::time::Instant) {
        if self.verbose {
            let mut err = self.stderr();
            let _ = writeln!(err, "  {what}: {:.3}s", since.elapsed().as_secs_f64());
        }
    }

    /// The one-line summary a long-running command ends with.
    pub fn done(&self, line: &str) {
        if !self.quiet {
            let mut err = self.stderr();
            let _ = writeln!(err, "{line}");
        }
    }

    /// A path as the user gave it, made absolute against the project root.
    pub fn absolute(&self, p: &Path) -> PathBuf {
        if p.is_absolute() { p.to_path_buf() } else { self.root.join(p) }
    }

    /// A path as cargo shows it: relative to the project root when inside it.
    pub fn shown(&self, p: &Path) -> String {
        p.strip_prefix(&self.root).unwrap_or(p).display().to_string()
    }

    /// `casebook.toml` (or the defaults); its problems are shown, and its errors stop
    /// the command.
    pub fn config(&self) -> Result<Config> {
        let (config, text, diags) = Config::load(&self.root);
        if diags.is_empty() {
            return Ok(config);
        }
        let mut sources = diag::Sources::default();
        if let (Some(file), Some(text)) = (&config.file, text) {
            sources.insert(file.clone(), text);
        }
        let shown: Vec<&Diagnostic> = diags.iter().collect();
        show_diagnostics(self, &sources, &shown)?;
        let errors = diags.iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            return Err(Error::Invalid {
                count: errors,
                what: "casebook.toml".into(),
                then: "fix them and run the command again".into(),
            });
        }
        Ok(config)
    }
}

/// What to find out about the project: git's depth, and whether warnings matter.
#[derive(Debug, Clone, Copy)]
pub struct Depth {
    pub git: git::Depth,
    /// Keep warnings. Without, only errors are kept and the record texts are scanned
    /// while loading and then let go (see [`Casebook::load_with`]): a build's way.
    pub warnings: bool,
    /// Without warnings: have the scan look for personal data too (its findings
    /// stay in [`Casebook::scanned`] for the caller to count).
    pub personal: bool,
}

/// Loads the casebook (and the records at `paths` outside its incidents folder),
/// resolves its commits and runs every check; diagnostics are sorted.
pub fn load_and_check(g: &Global, paths: &[PathBuf], depth: Depth) -> (Casebook, GitFacts) {
    let t0 = std::time::Instant::now();
    let scan_errors = |path: &Path, text: &str| check::scan_secrets(path, text);
    let scan_all = |path: &Path, text: &str| check::scan_text(path, text);
    let chosen: load::TextScan<'_> = if depth.personal { &scan_all } else { &scan_errors };
    let scan = (!depth.warnings).then_some(chosen);
    let mut book = Casebook::load_with(&g.root, &[], scan);
    let extra: Vec<PathBuf> = paths.iter().filter(|p| !p.starts_with(&book.config.incidents_dir)).cloned().collect();
    if !extra.is_empty() {
        book.absorb(Casebook::load_records_with(&extra, scan));
    }
    g.timing("load records", t0);
    let t0 = std::time::Instant::now();
    let found = check::run(&book, &CheckOptions { today: g.today, warnings: depth.warnings });
    g.timing("checks", t0);
    let t0 = std::time::Instant::now();
    book.diagnostics.extend(found);
    let incidents: Vec<&crate::model::Incident> = book.records.iter().map(|r| &r.incident).collect();
    let facts = git::resolve(&book.config, &incidents, depth.git);
    book.diagnostics.extend(check::git_checks(&book, &facts));
    // Loading's and git's warnings; the checks already left theirs out.
    if !depth.warnings {
        book.diagnostics.retain(Diagnostic::is_error);
    }
    g.timing("git", t0);
    check::sort(&mut book.diagnostics);
    (book, facts)
}

/// Shows the records' errors, if any, and refuses to go on; `then` says what that means.
pub fn refuse_errors(g: &Global, book: &Casebook, then: &str) -> Result<()> {
    let errors: Vec<&Diagnostic> = book.diagnostics.iter().filter(|d| d.is_error()).collect();
    if errors.is_empty() {
        return Ok(());
    }
    show_diagnostics(g, &book.sources, &errors)?;
    Err(Error::Invalid { count: errors.len(), what: "the records".into(), then: then.into() })
}

/// Writes to stderr in red: `error: ...`, with what caused it, as cargo does.
pub fn report_error(color: ColorChoice, e: &Error) {
    use codespan_reporting::term::termcolor::{Color, ColorSpec};
    let mut err = StandardStream::stderr(color);
    let _ = err.set_color(ColorSpec::new().set_fg(Some(Color::Red)).set_bold(true));
    let _ = write!(err, "error");
    let _ = err.reset();
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    let _ = writeln!(err, ": {}", diag::terminal_safe(&message));
    if let Some(help) = e.help() {
        let _ = writeln!(err, "  = help: {help}");
    }
}

/// Emits diagnostics with paths relative to the root.
pub fn show_diagnostics(g: &Global, sources: &diag::Sources, diags: &[&Diagnostic]) -> Result<()> {
    let rel = |p: &PathBuf| p.strip_prefix(&g.root).map(Path::to_path_buf).unwrap_or_else(|_| p.clone());
    let owned: Vec<Diagnostic> = diags
        .iter()
        .map(|d| {
            let mut d = (*d).clone();
            d.path = d.path.as_ref().map(rel);
            d.related = d.related.iter().map(|(p, s, l)| (rel(p), *s, l.clone())).collect();
            d
        })
        .collect();
    let mut shown = diag::Sources::default();
    for d in &owned {
        for p in d.path.iter().chain(d.related.iter().map(|(p, _, _)| p)) {
            if let Some(text) = sources.get(&g.root.join(p)).or(sources.get(p)) {
                shown.insert(p.clone(), text.to_string());
            }
        }
    }
    let mut err = g.stderr();
    diag::emit(&mut err, &owned, &shown).map_err(|e| Error::io("stderr", e))
}

/// "s" for counts other than one.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Aligned columns for the terminal.
pub fn write_table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    // Record text reaches a terminal here: no escape sequences, no line breaks.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| diag::terminal_safe(&c.replace(['\n', '\r', '\t'], " ")).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count().min(60));
        }
    }
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c: String = c.chars().take(60).collect();
                format!("{c:<w$}", w = widths[i])
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let head: Vec<String> = header.iter().map(|h| h.to_uppercase()).collect();
    writeln!(out, "{}", line(&head))?;
    for r in &rows {
        writeln!(out, "{}", line(r))?;
    }
    Ok(())
}

/// CSV field quoting (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// Standard output, with write errors as `Error`.
pub fn print(text: &str) -> Result<()> {
    std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| Error::io("stdout", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
