//! `casebook build`: the book's source (and with `--html`, its HTML).

use super::Status;
use super::mdbook;
use super::output::{Depth, Global, load_and_check, print, refuse_errors};
use crate::book::{self, BookOptions, Mode, Plan};
use crate::config::Config;
use crate::error::Result;
use crate::git::{self, GitFacts};
use crate::load::{Casebook, Record};
use crate::render::{self, Renderer};
use std::io::Write;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::xxh3_64;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct BuildArgs {
    /// Write nothing; print a diff of every file that would change and exit 1 if any would
    #[arg(long)]
    pub check: bool,
    /// Also render the HTML with mdBook
    #[arg(long, conflicts_with = "check")]
    pub html: bool,
    /// Leave out private parts and apply redaction (the default with `[book] public = true`)
    #[arg(long)]
    pub public: bool,
    /// Build the internal book, private parts included, even with `[book] public = true`
    #[arg(long, conflicts_with = "public")]
    pub internal: bool,
    /// The book folder (default: [paths] book of casebook.toml, else book/)
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Writes the book; `--check` writes nothing and fails when the committed book is stale.
pub fn run(g: &Global, args: &BuildArgs) -> Result<Status> {
    run_noting(g, args, &mut Vec::new())
}

/// [`run`], adding to `written` the book's files (relative to the book folder) that
/// this build created or changed: what `serve` previews at once.
pub fn run_noting(g: &Global, args: &BuildArgs, written: &mut Vec<PathBuf>) -> Result<Status> {
    let started = std::time::Instant::now();
    let config = g.config()?;
    let public = !args.internal && (args.public || config.book_public);
    let dir = args.out.as_ref().map(|o| g.absolute(o)).unwrap_or_else(|| config.book_dir.clone());
    // Nothing changed since the last build: no need to parse anything. --check always
    // compares. With no earlier build to match (a cold build) the inputs are hashed
    // after loading, from the texts in memory, instead of being read twice.
    let recorded = if args.check { None } else { book::recorded_fingerprint(&dir) };
    let earlier = recorded.is_some() && book::has_manifest(&dir);
    let fingerprint = if earlier { inputs_fingerprint(g, &config, public, read_and_hash) } else { None };
    if fingerprint.is_some() && recorded == fingerprint && book::all_present(&dir) {
        g.done(&format!(
            "{}/ is up to date (no input changed) in {:.2}s",
            g.shown(&dir),
            started.elapsed().as_secs_f64()
        ));
        return if args.html { mdbook::run(g, "build", &dir) } else { Ok(Status::Success) };
    }
    if earlier {
        g.timing("fingerprint inputs", started);
    }
    // Only errors stop a build, and a large casebook's warnings and record texts were
    // a third of its memory: fresh memory costs the kernel's zeroing.
    let depth = Depth { git: git::Depth { history: true, files: true }, warnings: false, personal: !public };
    let (casebook, all_facts) = load_and_check(g, &[], depth);
    g.timing("load, check and resolve commits", started);
    refuse_errors(g, &casebook, "nothing was written (run `casebook check` for warnings too)")?;
    let renderer = Renderer::new(Some(&casebook.config.templates_dir), &g.root)?;
    // Public output is made from the public version of the records and git facts only.
    let public_records = public.then(|| public_version(&casebook, &all_facts));
    let (records, facts) = match &public_records {
        Some((records, facts)) => (records.as_slice(), facts),
        None => (casebook.records.as_slice(), &all_facts),
    };
    let opts = BookOptions {
        config: &casebook.config,
        git: facts,
        today: g.today,
        public,
        // --check compares every byte; a build reuses pages whose inputs did not change.
        reuse_from: (!args.check).then_some(dir.as_path()),
        sources: &casebook.sources,
    };
    let phase = std::time::Instant::now();
    let mode = if args.check { Mode::Check } else { Mode::Write };
    let plan = book::build(&dir, records, &renderer, &opts, mode)?;
    g.timing(if args.check { "render and compare pages" } else { "render, compare and write pages" }, phase);
    if args.check {
        return stale(g, &dir, &plan);
    }
    written.extend(plan.create.iter().chain(&plan.update).cloned());
    let fingerprint = fingerprint.or_else(|| inputs_fingerprint(g, &config, public, |f| casebook.sources.hash(f)));
    if let Some(f) = fingerprint {
        book::record_fingerprint(&dir, f);
    }
    built(g, &dir, &plan, casebook.records.len(), started);
    assets_note(g, &dir);
    if !public {
        internal_note(g, &casebook);
    }
    // Freeing ten thousand parsed records takes a tenth of a second that nobody
    // waits for: a thread does it while the command ends (or mdBook runs).
    std::thread::spawn(move || drop((casebook, all_facts, renderer, plan, public_records)));
    if args.html {
        return mdbook::run(g, "build", &dir);
    }
    Ok(Status::Success)
}

/// A book.toml of the user's own that does not load casebook's stylesheet and
/// script: the pages still build, but plain; say which lines to add.
fn assets_note(g: &Global, dir: &Path) {
    let Some(missing) = book::missing_asset_lines(dir).filter(|m| !m.is_empty()) else {
        return;
    };
    let mut err = g.stderr();
    let _ = writeln!(
        err,
        "warning: {}/book.toml does not load casebook's stylesheet and script, so incident pages, charts and the overview show unstyled\n  = help: under [output.html] in {}/book.toml:",
        g.shown(dir),
        g.shown(dir)
    );
    for line in missing {
        let _ = writeln!(err, "      {line}");
    }
}

/// An internal book holds what a public one leaves out: say how many records have
/// private parts and how many personal data (the loading scan found it).
fn internal_note(g: &Global, casebook: &Casebook) {
    let private = casebook.records.iter().filter(|r| r.incident.has_private_parts()).count();
    let personal: std::collections::BTreeSet<&Path> = casebook
        .scanned
        .iter()
        .flatten()
        .filter(|d| d.code == crate::diag::Code::PersonalData)
        .filter_map(|d| d.path.as_deref())
        .collect();
    if private == 0 && personal.is_empty() {
        return;
    }
    let records = |n: usize| if n == 1 { "1 record".to_string() } else { format!("{n} records") };
    let mut err = g.stderr();
    let _ = writeln!(
        err,
        "note: this is the internal book, with everything: {} with private parts, {} with personal data shown as written (`casebook check` lists it)\n  = help: to publish, build with `--public` (private parts left out, personal data redacted), or set `[book] public = true` in casebook.toml",
        records(private),
        records(personal.len())
    );
}

/// `--check`: the diff of what would change, and whether the book is stale.
fn stale(g: &Global, dir: &Path, plan: &Plan) -> Result<Status> {
    let shown = g.shown(dir);
    if plan.is_empty() {
        g.done(&format!("{shown}/ is up to date: {} files", plan.files()));
        return Ok(Status::Success);
    }
    print(&plan.diff())?;
    if plan.changed_files() == 0 {
        g.done(&format!(
            "{shown}/ is stale: every page is current but {} is not; run `casebook build`",
            book::MANIFEST
        ));
    } else {
        g.done(&format!(
            "{shown}/ is stale: {} to create, {} to update, {} to remove; run `casebook build`",
            plan.create.len(),
            plan.update.len(),
            plan.remove.len()
        ));
    }
    Ok(Status::Problems)
}

/// What a build wrote, in one line, and the files it kept for someone's edits.
fn built(g: &Global, dir: &Path, plan: &Plan, records: usize, started: std::time::Instant) {
    let shown = g.shown(dir);
    for kept in &plan.kept {
        let mut err = g.stderr();
        let _ = writeln!(
            err,
            "warning: kept {shown}/{}: casebook no longer produces it, but it changed since casebook wrote it; delete it if nothing in it is needed",
            kept.display()
        );
    }
    g.done(&format!(
        "built {shown}/: {records} records, {} files ({} written, {} removed, {} unchanged{}) in {:.2}s",
        plan.files(),
        plan.written(),
        plan.remove.len(),
        plan.unchanged,
        if plan.created_book_toml() { "; book.toml created" } else { "" },
        started.elapsed().as_secs_f64()
    ));
}

/// The public version of the records and git facts: private parts left out, every
/// string redacted (see [`crate::redact::public`]). Record paths stay, for page hashes.
fn public_version(casebook: &Casebook, facts: &GitFacts) -> (Vec<Record>, GitFacts) {
    let redactor = crate::redact::Redactor::new(&casebook.config.redact);
    let incidents: Vec<&crate::model::Incident> = casebook.records.iter().map(|r| &r.incident).collect();
    let public = crate::redact::public::incidents(&incidents, &redactor);
    let records =
        casebook.records.iter().zip(public).map(|(r, incident)| Record { path: r.path.clone(), incident }).collect();
    (records, facts.map_text(&|s| redactor.text(s)))
}

/// A hash of everything a build reads: every record's bytes, casebook.toml, the
/// templates, the repositories' refs, today, public mode and casebook's version.
/// `None` when something cannot be read (the full build then reports it).
///
/// `content_hash` gives the hash of one record file's bytes: read from disk before
/// a build, or taken from the texts a build loaded.
fn inputs_fingerprint(
    g: &Global,
    config: &Config,
    public: bool,
    content_hash: impl Fn(&Path) -> Option<u64> + Sync,
) -> Option<u64> {
    use rayon::prelude::*;
    use std::hash::Hasher;
    let (files, problems) = crate::load::discover(std::slice::from_ref(&config.incidents_dir), &config.root);
    if !problems.is_empty() {
        return None;
    }
    let hashes: Vec<Option<u64>> = files
        .par_iter()
        .map(|f| {
            // Paths relative to the project: the same records give the same book anywhere.
            let rel = f.strip_prefix(&config.root).unwrap_or(f);
            content_hash(f).map(|h| h ^ xxh3_64(rel.as_os_str().as_encoded_bytes()))
        })
        .collect();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for x in hashes {
        h.write_u64(x?);
    }
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    // This very binary: a rebuilt casebook (same version or not) may write other bytes.
    let exe = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    h.write_u64(exe.len());
    h.write(format!("{:?}", exe.modified().ok()?).as_bytes());
    h.write(g.today.to_string().as_bytes());
    h.write_u8(public as u8);
    if let Some(file) = &config.file {
        h.write(&std::fs::read(file).ok()?);
    }
    // The templates' texts (not compiled: the build compiles them once, if it runs).
    for (name, (text, _)) in render::template_sources(Some(&config.templates_dir)).ok()? {
        h.write(name.as_bytes());
        h.write(text.as_bytes());
    }
    h.write(git::state_fingerprint(config).as_bytes());
    Some(h.finish())
}

/// The hash of a record file as it is on disk.
fn read_and_hash(path: &Path) -> Option<u64> {
    std::fs::read(path).ok().map(|b| xxh3_64(&b))
}
