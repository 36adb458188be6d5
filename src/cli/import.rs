//! `casebook import`: markdown postmortems to records.

use super::Status;
use super::output::{Global, print, write_table};
use crate::error::{Error, Result};
use crate::import::ImportReport;
use codespan_reporting::term::termcolor::StandardStream;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// A markdown file, or a folder of them (batch mode)
    pub input: Option<PathBuf>,
    /// Read the markdown from standard input
    #[arg(long, conflicts_with = "input")]
    pub stdin: bool,
    /// Where to write: a file (default: standard output), or a folder in batch mode (default: incidents/)
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a record has a TODO or something the importer was unsure of (still writing it)
    #[arg(long)]
    pub strict: bool,
}

/// The report of one document, on stderr: what became what, what it repaired,
/// what stayed TODO and what the importer was unsure of, then one line of counts.
fn note(err: &mut StandardStream, name: &str, r: &ImportReport) {
    // Headings, file names and the document's words reach the terminal: its
    // control characters (escape sequences) are shown as `?`, never run.
    let mut say = |line: String| {
        let _ = writeln!(err, "{}", crate::diag::terminal_safe(&line));
    };
    for (heading, to) in &r.mapped {
        say(format!("{name}: {heading} → {to}"));
    }
    if r.repaired > 0 {
        say(format!(
            "{name}: repaired {} mis-decoded character(s) (UTF-8 read as Mac Roman or Windows-1252)",
            r.repaired
        ));
    }
    for t in &r.todos {
        say(format!("{name}: TODO {t}"));
    }
    for u in &r.unsure {
        say(format!("{name}: unsure: {u}"));
    }
    say(format!("{name}: {} section(s) mapped, {} TODO, {} unsure", r.mapped.len(), r.todos.len(), r.unsure.len()));
}

/// With `--strict`, a record with a TODO or a guess fails the command.
fn strict_failed(args: &ImportArgs, r: &ImportReport) -> bool {
    args.strict && (!r.todos.is_empty() || !r.unsure.is_empty())
}

/// `casebook import FILE.md | DIR | --stdin`.
pub fn run(g: &Global, args: &ImportArgs) -> Result<Status> {
    let mut err = g.stderr();
    if args.stdin {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map_err(|e| Error::io("stdin", e))?;
        let (toml, report) = crate::import::import(&String::from_utf8_lossy(&bytes), &g.config()?);
        note(&mut err, "stdin", &report);
        refuse_rejected("stdin", &report)?;
        write_import(g, &toml, args.output.as_deref())?;
        return Ok(Status::failed_if(strict_failed(args, &report)));
    }
    let input = args.input.as_ref().ok_or_else(|| Error::Usage("give a markdown file or folder, or --stdin".into()))?;
    let input = g.absolute(input);
    if input.is_dir() {
        let out_dir = match &args.output {
            Some(o) => g.absolute(o),
            None => g.config()?.incidents_dir,
        };
        return batch(g, args, &input, &out_dir);
    }
    let bytes = read_markdown(&input)?;
    let (toml, report) = crate::import::import(&String::from_utf8_lossy(&bytes), &g.config()?);
    let name = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    note(&mut err, &name, &report);
    refuse_rejected(&name, &report)?;
    write_import(g, &toml, args.output.as_deref())?;
    Ok(Status::failed_if(strict_failed(args, &report)))
}

/// An import whose record casebook's loader rejects, or `casebook check` finds an
/// error in, is not written.
fn refuse_rejected(name: &str, report: &crate::import::ImportReport) -> Result<()> {
    if !report.rejected.is_empty() {
        return Err(Error::ImportRejected { name: name.to_string(), problems: report.rejected.clone() });
    }
    if !report.refused.is_empty() {
        return Err(Error::ImportRefused { name: name.to_string(), problems: report.refused.clone() });
    }
    Ok(())
}

/// Every `.md` in `input` into `out_dir`, with a table of what became of each.
fn batch(g: &Global, args: &ImportArgs, input: &Path, out_dir: &Path) -> Result<Status> {
    let mut err = g.stderr();
    let mut files: Vec<PathBuf> = std::fs::read_dir(input)
        .map_err(|e| Error::io(input, e))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md" || x == "markdown"))
        .collect();
    files.sort();
    let config = &g.config()?;
    let mut rows = Vec::new();
    let mut failures = 0;
    let mut strict = false;
    for f in &files {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let text = match read_markdown(f) {
            Ok(t) => t,
            Err(e) => {
                failures += 1;
                rows.push(vec![name, e.to_string(), String::new(), String::new()]);
                continue;
            }
        };
        let (toml, report) = crate::import::import(&String::from_utf8_lossy(&text), config);
        let stem = f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let target = out_dir.join(format!("{stem}.toml"));
        let status = if !report.rejected.is_empty() {
            failures += 1;
            format!("not written: casebook rejects the record it made ({})", report.rejected.join("; "))
        } else if !report.refused.is_empty() {
            failures += 1;
            format!("not written: casebook check refuses what the document says ({})", report.refused.join("; "))
        } else if target.exists() {
            failures += 1;
            "exists, skipped".to_string()
        } else {
            crate::fsutil::create_new(&target, toml.as_bytes()).map_err(|e| Error::io(&target, e))?;
            format!("{} TODO", report.todos.len())
        };
        note(&mut err, &name, &report);
        strict |= strict_failed(args, &report);
        let mapped = report.mapped.iter().map(|(h, to)| format!("{h} → {to}")).collect::<Vec<_>>().join("; ");
        rows.push(vec![name, status, report.repaired.to_string(), mapped]);
    }
    write_table(&mut std::io::stdout().lock(), &["file", "result", "repaired", "sections"], &rows)
        .map_err(|e| Error::io("stdout", e))?;
    g.done(&format!("imported {} of {} file(s) into {}", files.len() - failures, files.len(), g.shown(out_dir)));
    Ok(Status::failed_if(failures > 0 || strict))
}

/// A markdown file to import, read only when it is a regular file: a FIFO named
/// `x.md` would block the read forever.
fn read_markdown(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() || meta.len() > crate::load::MAX_RECORD_BYTES {
        return Err(Error::NotAFile { path: path.to_path_buf(), what: "import reads markdown files" });
    }
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

fn write_import(g: &Global, toml: &str, output: Option<&Path>) -> Result<Status> {
    match output {
        Some(o) => {
            let o = g.absolute(o);
            if o.exists() {
                return Err(Error::Exists { path: o, advice: "casebook import never overwrites a file" });
            }
            crate::fsutil::create_new(&o, toml.as_bytes()).map_err(|e| Error::io(&o, e))?;
            g.done(&format!("wrote {}; fill its TODOs, then run casebook check", g.shown(&o)));
        }
        None => print(toml)?,
    }
    Ok(Status::Success)
}
