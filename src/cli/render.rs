//! `casebook render`: one postmortem, as markdown (or its template context).

use super::Status;
use super::output::{Depth, Global, load_and_check, print, show_diagnostics};
use crate::diag::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::git;
use crate::render::Renderer;
use crate::view::{self, ViewOptions};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct RenderArgs {
    /// The record's slug, id, or path
    pub record: String,
    /// Write to FILE instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print the JSON context the templates receive, instead of rendering
    #[arg(long)]
    pub context: bool,
    /// Leave out private parts and apply redaction
    #[arg(long)]
    pub public: bool,
}

/// Refuses a record with errors: shows them, and says so.
fn refuse(g: &Global, sources: &diag::Sources, errors: &[&Diagnostic], path: &Path) -> Error {
    if let Err(e) = show_diagnostics(g, sources, errors) {
        return e;
    }
    Error::Invalid { count: errors.len(), what: g.shown(path), then: "fix them and render again".into() }
}

pub fn run(g: &Global, args: &RenderArgs) -> Result<Status> {
    let as_path = g.absolute(Path::new(&args.record));
    let extra: Vec<PathBuf> = if as_path.is_file() { vec![as_path.clone()] } else { vec![] };
    let depth = Depth { git: git::Depth { history: true, files: true }, warnings: true, personal: false };
    let (book, facts) = load_and_check(g, &extra, depth);
    let target = &args.record;
    let record =
        book.records.iter().find(|r| r.path == as_path || r.incident.slug == *target || r.incident.id == *target);
    let Some(record) = record else {
        let failed = book.failed.iter().find(|p| **p == as_path || crate::load::slug_of(p) == *target);
        if let Some(path) = failed {
            let errs: Vec<&Diagnostic> = book.diagnostics.iter().filter(|d| d.path.as_ref() == Some(path)).collect();
            return Err(refuse(g, &book.sources, &errs, path));
        }
        let known: Vec<&str> = book.records.iter().map(|r| r.incident.slug.as_str()).collect();
        let hint = match diag::did_you_mean(target, known.iter().copied()) {
            Some(s) => format!("; did you mean \"{s}\"?"),
            None => "; `casebook check` lists the records it finds".to_string(),
        };
        return Err(Error::Usage(format!("no record with slug, id or path \"{target}\"{hint}")));
    };
    let errors: Vec<&Diagnostic> =
        book.diagnostics.iter().filter(|d| d.is_error() && d.path.as_ref() == Some(&record.path)).collect();
    if !errors.is_empty() {
        return Err(refuse(g, &book.sources, &errors, &record.path));
    }
    // Public output is made from the public version of the record and git facts only.
    let (incident, facts) = if args.public {
        let redactor = crate::redact::Redactor::new(&book.config.redact);
        let mut public = crate::redact::public::incidents(&[&record.incident], &redactor);
        (public.remove(0), facts.map_text(&|s| redactor.text(s)))
    } else {
        (record.incident.clone(), facts)
    };
    let opts = ViewOptions { config: &book.config, git: &facts, today: g.today, public: args.public, book_links: None };
    let ctx = view::build(&incident, &opts);
    let text = if args.context {
        let mut s = serde_json::to_string_pretty(&ctx).map_err(|e| Error::io("stdout", std::io::Error::other(e)))?;
        s.push('\n');
        s
    } else {
        Renderer::new(Some(&book.config.templates_dir), &g.root)?.postmortem(&ctx)?
    };
    match &args.output {
        Some(out) => {
            let out = g.absolute(out);
            crate::fsutil::write_atomic(&out, text.as_bytes()).map_err(|e| Error::io(&out, e))?;
            g.done(&format!("rendered {} to {}", record.incident.slug, out.display()));
        }
        None => print(&text)?,
    }
    Ok(Status::Success)
}
