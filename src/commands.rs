//! The commands: each takes its options, does its work through the library and
//! reports to the terminal. Exit codes: 0 success, 1 problems found, 2 usage.

use crate::check::{self, CheckOptions};
use crate::diag::{self, Code, Level};
use crate::git::{self, GitFacts};
use crate::load::{self, Casebook};
use crate::render::{self, Renderer};
use crate::view::{self, ViewOptions};
use crate::{Error, Result};
use chrono::NaiveDate;
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream, WriteColor};
use std::io::Write;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::xxh3_64;

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

/// Loads the casebook, resolves its commits and runs every check; diagnostics are sorted.
pub fn load_and_check(g: &Global, paths: &[PathBuf]) -> (Casebook, GitFacts) {
    load_and_check_with(g, paths, git::Depth { history: true, files: false }, true)
}

/// `load_and_check`, asking git for `depth` (pages need the files each commit
/// touched). Without `warnings` only errors are kept, and the record texts are
/// scanned while loading and then let go (see [`Casebook::load_with`]).
pub fn load_and_check_with(g: &Global, paths: &[PathBuf], depth: git::Depth, warnings: bool) -> (Casebook, GitFacts) {
    let t0 = std::time::Instant::now();
    let scan_errors = |path: &Path, text: &str| {
        let mut found = check::scan_text(path, text);
        found.retain(diag::Diagnostic::is_error);
        found
    };
    let scan = (!warnings).then_some(&scan_errors as load::TextScan<'_>);
    let mut book = Casebook::load_with(&g.root, &[], scan);
    // Extra paths outside the incidents folder are loaded too.
    if !paths.is_empty() {
        let extra: Vec<PathBuf> =
            paths.iter().filter(|p| !p.starts_with(&book.config.incidents_dir)).cloned().collect();
        if !extra.is_empty() {
            let more = Casebook::load_records_with(&extra, scan);
            book.absorb(more);
        }
    }
    g.timing("load records", t0);
    let t0 = std::time::Instant::now();
    let found = check::run(&book, &CheckOptions { today: g.today, warnings });
    g.timing("checks", t0);
    let t0 = std::time::Instant::now();
    book.diagnostics.extend(found);
    let incidents: Vec<&crate::model::Incident> = book.records.iter().map(|r| &r.incident).collect();
    let facts = git::resolve(&book.config, &incidents, depth);
    book.diagnostics.extend(check::git_checks(&book, &facts));
    // Loading's and git's warnings; the checks already left theirs out.
    if !warnings {
        book.diagnostics.retain(diag::Diagnostic::is_error);
    }
    g.timing("git", t0);
    check::sort(&mut book.diagnostics);
    (book, facts)
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
    let (book, _) = load_and_check(g, &paths);
    let shown: Vec<&diag::Diagnostic> =
        book.diagnostics.iter().filter(|d| paths.is_empty() || under_any(d.path.as_ref(), &paths)).collect();
    let errors = shown.iter().filter(|d| d.level == Level::Error).count();
    let warnings = shown.len() - errors;
    match format {
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in &shown {
                let line = serde_json::to_string(&diag::to_json(d, &book.sources)).expect("diagnostic serializes");
                writeln!(out, "{line}").map_err(|e| Error::io("stdout", e))?;
            }
        }
        Format::Human => {
            // -q: only errors are printed (warnings still count for --deny-warnings).
            let printed: Vec<&diag::Diagnostic> = shown.iter().copied().filter(|d| !g.quiet || d.is_error()).collect();
            show_diagnostics(g, &book, &printed)?;
            let records = if paths.is_empty() {
                book.records.len()
            } else {
                book.records.iter().filter(|r| under_any(Some(&r.path), &paths)).count()
            };
            let verdict = if errors > 0 || (deny_warnings && warnings > 0) { "failed" } else { "ok" };
            if !g.quiet || verdict == "failed" {
                g.done(&format!(
                    "check {verdict}: {records} record{} checked, {errors} error{}, {warnings} warning{}",
                    plural(records),
                    plural(errors),
                    plural(warnings)
                ));
            }
        }
    }
    Ok(if errors > 0 || (deny_warnings && warnings > 0) { 1 } else { 0 })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Shows paths relative to the project root, as cargo does.
fn relative(d: &diag::Diagnostic, root: &Path) -> diag::Diagnostic {
    let mut d = d.clone();
    let rel = |p: &PathBuf| p.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| p.clone());
    d.path = d.path.as_ref().map(rel);
    d.related = d.related.iter().map(|(p, s, l)| (rel(p), *s, l.clone())).collect();
    d
}

pub fn absolutize(root: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() { p.to_path_buf() } else { root.join(p) }
}

/// `casebook explain CODE`.
pub fn explain(g: &Global, code: Option<&str>) -> Result<i32> {
    let mut out = g.stdout();
    let w = |out: &mut StandardStream, s: String| writeln!(out, "{s}").map_err(|e| Error::io("stdout", e));
    match code {
        None => {
            for c in Code::ALL {
                w(
                    &mut out,
                    format!(
                        "{}  {:<7}  {}",
                        c.as_str(),
                        if c.level() == Level::Error { "error" } else { "warning" },
                        c.title()
                    ),
                )?;
            }
            Ok(0)
        }
        Some(text) => match Code::parse(text) {
            Some(c) => {
                let level = if c.level() == Level::Error { "error" } else { "warning" };
                w(&mut out, format!("{level}[{}]: {}\n\n{}", c.as_str(), c.title(), c.explanation()))?;
                out.flush().ok();
                Ok(0)
            }
            None => Err(Error::Usage(format!("no diagnostic code \"{text}\"; `casebook explain` lists them all"))),
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

/// Emits diagnostics with paths relative to the root.
pub fn show_diagnostics(g: &Global, book: &Casebook, diags: &[&diag::Diagnostic]) -> Result<()> {
    let owned: Vec<diag::Diagnostic> = diags.iter().map(|d| relative(d, &g.root)).collect();
    let mut sources = diag::Sources::default();
    for d in &owned {
        let paths = d.path.iter().chain(d.related.iter().map(|(p, _, _)| p));
        for p in paths {
            if let Some(text) = book.sources.get(&g.root.join(p)).or(book.sources.get(p)) {
                sources.insert(p.clone(), text.to_string());
            }
        }
    }
    let mut err = g.stderr();
    diag::emit(&mut err, &owned, &sources).map_err(|e| Error::io("stderr", e))
}

/// Options of `casebook render`.
pub struct RenderArgs {
    pub target: String,
    pub output: Option<PathBuf>,
    pub context: bool,
    pub public: bool,
}

/// `casebook render SLUG|PATH`: one postmortem to stdout or a file.
pub fn render(g: &Global, args: &RenderArgs) -> Result<i32> {
    let as_path = absolutize(&g.root, Path::new(&args.target));
    let extra: Vec<PathBuf> = if as_path.is_file() { vec![as_path.clone()] } else { vec![] };
    let (book, facts) = load_and_check_with(g, &extra, git::Depth { history: true, files: true }, true);
    let record = book
        .records
        .iter()
        .find(|r| r.path == as_path || r.incident.slug == args.target || r.incident.id == args.target);
    let Some(record) = record else {
        let failed = book.failed.iter().find(|p| **p == as_path || crate::load::slug_of(p) == args.target);
        if let Some(path) = failed {
            let errs: Vec<&diag::Diagnostic> =
                book.diagnostics.iter().filter(|d| d.path.as_ref() == Some(path)).collect();
            show_diagnostics(g, &book, &errs)?;
            return Err(Error::Failed(format!("{} has errors; fix them and render again", path.display())));
        }
        let known: Vec<&str> = book.records.iter().map(|r| r.incident.slug.as_str()).collect();
        let hint = match diag::did_you_mean(&args.target, known.iter().copied()) {
            Some(s) => format!("; did you mean \"{s}\"?"),
            None => "; `casebook check` lists the records it finds".to_string(),
        };
        return Err(Error::Usage(format!("no record with slug, id or path \"{}\"{hint}", args.target)));
    };
    let errors: Vec<&diag::Diagnostic> =
        book.diagnostics.iter().filter(|d| d.is_error() && d.path.as_ref() == Some(&record.path)).collect();
    if !errors.is_empty() {
        show_diagnostics(g, &book, &errors)?;
        return Err(Error::Failed(format!(
            "{} has errors; fix them and render again",
            record.path.strip_prefix(&g.root).unwrap_or(&record.path).display()
        )));
    }
    let (incident, facts) = if args.public {
        let redactor = crate::redact::Redactor::new(&book.config.redact);
        let incident = crate::redact::public::incidents(&[&record.incident], &redactor).remove(0);
        (incident, facts.map_text(&|s| redactor.text(s)))
    } else {
        (record.incident.clone(), facts)
    };
    let opts = ViewOptions { config: &book.config, git: &facts, today: g.today, public: args.public, book_links: None };
    let ctx = view::build(&incident, &opts);
    let text = if args.context {
        let mut s = serde_json::to_string_pretty(&ctx).expect("context serializes");
        s.push('\n');
        s
    } else {
        let renderer = Renderer::new(Some(&book.config.templates_dir)).map_err(|e| template_failure(g, e))?;
        renderer.postmortem(&ctx).map_err(|e| template_failure(g, e))?
    };
    match &args.output {
        Some(out) => {
            let out = absolutize(&g.root, out);
            crate::fsutil::write_atomic(&out, text.as_bytes()).map_err(|e| Error::io(&out, e))?;
            g.done(&format!("rendered {} to {}", record.incident.slug, out.display()));
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes()).map_err(|e| Error::io("stdout", e))?;
        }
    }
    Ok(0)
}

/// `casebook templates eject`: writes the built-in templates for editing.
pub fn templates_eject(g: &Global, force: bool) -> Result<i32> {
    let (config, _, _) = crate::config::Config::load(&g.root);
    let written = render::eject(&config.templates_dir, force).map_err(|e| Error::Failed(e.to_string()))?;
    g.done(&format!("wrote {} templates to {}", written.len(), config.templates_dir.display()));
    Ok(0)
}

/// `casebook templates list`: each template and where it comes from.
pub fn templates_list(g: &Global) -> Result<i32> {
    let (config, _, _) = crate::config::Config::load(&g.root);
    let renderer = Renderer::new(Some(&config.templates_dir)).map_err(|e| template_failure(g, e))?;
    let mut out = std::io::stdout().lock();
    for (name, _) in render::BUILTIN {
        let origin = match renderer.origin(name) {
            Some(render::Origin::User(p)) => p.strip_prefix(&g.root).unwrap_or(p).display().to_string(),
            _ => "built-in".to_string(),
        };
        writeln!(out, "{name:<18} {origin}").map_err(|e| Error::io("stdout", e))?;
    }
    Ok(0)
}

/// A template error, with paths shown relative to the project root.
pub fn template_failure(g: &Global, e: render::RenderError) -> Error {
    let root = format!("{}/", g.root.display());
    Error::Failed(e.to_string().replace(&root, ""))
}

/// One row of `casebook commits`.
#[derive(serde::Serialize)]
struct CommitLink {
    incident: String,
    commit: String,
    /// "cites" (the record names the commit) or "references" (the commit names the incident).
    direction: &'static str,
    status: String,
    summary: String,
    via: String,
    url: Option<String>,
}

/// `casebook commits [SLUG]`: every link between incidents and commits, both ways.
pub fn commits(g: &Global, target: Option<&str>, format: Format) -> Result<i32> {
    let (book, facts) = load_and_check(g, &[]);
    let records: Vec<&crate::Record> = match target {
        Some(t) => {
            let r = book.find(t).ok_or_else(|| Error::Usage(format!("no record with slug or id \"{t}\"")))?;
            vec![r]
        }
        None => book.records.iter().collect(),
    };
    let mut rows = Vec::new();
    for r in &records {
        let inc = &r.incident;
        for c in inc.all_commit_refs() {
            let (status, summary, url, full) = match facts.resolved(&c.key()) {
                Some(res) => match &res.resolution {
                    git::Resolution::Found(i) => {
                        (res.resolution.status().to_string(), i.summary.clone(), res.url.clone(), i.id.clone())
                    }
                    other => (other.status().to_string(), String::new(), res.url.clone(), c.key().to_string()),
                },
                None => ("unknown repository".to_string(), String::new(), None, c.key().to_string()),
            };
            rows.push(CommitLink {
                incident: inc.id.clone(),
                commit: full,
                direction: "cites",
                status,
                summary,
                via: "record".to_string(),
                url,
            });
        }
        for m in facts.mentions_of(&inc.id) {
            rows.push(CommitLink {
                incident: inc.id.clone(),
                commit: m.commit.id.clone(),
                direction: "references",
                status: "verified".to_string(),
                summary: m.commit.summary.clone(),
                via: match &m.closes_action {
                    Some(a) => format!("Closes-Action {a}"),
                    None => m.via.to_string(),
                },
                url: m.url.clone(),
            });
        }
    }
    let mut out = std::io::stdout().lock();
    let io = |e| Error::io("stdout", e);
    match format {
        Format::Json => {
            for row in &rows {
                writeln!(out, "{}", serde_json::to_string(row).expect("serializes")).map_err(io)?;
            }
        }
        Format::Human => {
            for row in &rows {
                let short: String = row.commit.chars().take(12).collect();
                writeln!(
                    out,
                    "{:<14} {:<10} {:<12} {:<24} {}{}",
                    diag::terminal_safe(&row.incident),
                    row.direction,
                    short,
                    row.status,
                    diag::terminal_safe(&row.summary),
                    row.url.as_deref().map(|u| format!("  <{u}>")).unwrap_or_default()
                )
                .map_err(io)?;
            }
        }
    }
    g.done(&format!(
        "{} link{} across {} record{}",
        rows.len(),
        plural(rows.len()),
        records.len(),
        plural(records.len())
    ));
    Ok(0)
}

/// Options of `casebook build`.
pub struct BuildArgs {
    pub check: bool,
    pub html: bool,
    pub public: bool,
    pub out: Option<PathBuf>,
}

/// `casebook build`: writes the book; `--check` writes nothing and fails when the
/// committed book is stale.
pub fn build(g: &Global, args: &BuildArgs) -> Result<i32> {
    let started = std::time::Instant::now();
    let (config, _, _) = crate::config::Config::load(&g.root);
    let dir = args.out.as_ref().map(|o| absolutize(&g.root, o)).unwrap_or_else(|| config.book_dir.clone());
    let shown_dir = dir.strip_prefix(&g.root).unwrap_or(&dir).display().to_string();
    // Nothing changed since the last build: no need to parse anything. --check always
    // compares. With no earlier build to match (a cold build) the inputs are hashed
    // after loading, from the texts in memory, instead of being read twice.
    let recorded = if args.check { None } else { crate::book::recorded_fingerprint(&dir) };
    let earlier = recorded.is_some() && crate::book::has_manifest(&dir);
    let fingerprint = if earlier { inputs_fingerprint(g, &config, args.public, read_and_hash) } else { None };
    if let Some(f) = fingerprint
        && recorded == Some(f)
        && crate::book::all_present(&dir)
    {
        g.done(&format!("{shown_dir}/ is up to date (no input changed) in {:.2}s", started.elapsed().as_secs_f64()));
        return if args.html { mdbook(g, "build", &dir) } else { Ok(0) };
    }
    if earlier {
        g.timing("fingerprint inputs", started);
    }
    // Only errors stop a build, and a large casebook's warnings and record texts were
    // a third of its memory: fresh memory costs the kernel's zeroing.
    let (book, all_facts) = load_and_check_with(g, &[], git::Depth { history: true, files: true }, false);
    g.timing("load, check and resolve commits", started);
    report_load_errors(g, &book, "nothing was written (run `casebook check` for warnings too)")?;
    let renderer = Renderer::new(Some(&book.config.templates_dir)).map_err(|e| template_failure(g, e))?;
    // Public output is made from the public version of the records and git facts only.
    let public = args.public.then(|| public_version(&book, &all_facts));
    let (records, facts) = match &public {
        Some((records, facts)) => (records.as_slice(), facts),
        None => (book.records.as_slice(), &all_facts),
    };
    let opts = crate::book::BookOptions {
        config: &book.config,
        git: facts,
        today: g.today,
        public: args.public,
        // --check compares every byte; a build reuses pages whose inputs did not change.
        reuse_from: (!args.check).then_some(dir.as_path()),
        sources: &book.sources,
    };
    let phase = std::time::Instant::now();
    let mode = if args.check { crate::book::Mode::Check } else { crate::book::Mode::Write };
    let plan = crate::book::build(&dir, records, &renderer, &opts, mode)
        .map_err(|e| Error::Failed(format!("{e}; the book is left as it was")))?;
    g.timing(if args.check { "render and compare pages" } else { "render, compare and write pages" }, phase);
    let files = plan.files();
    if args.check {
        if plan.is_empty() {
            g.done(&format!("{shown_dir}/ is up to date: {files} files"));
            return Ok(0);
        }
        let mut out = std::io::stdout().lock();
        out.write_all(plan.diff().as_bytes()).map_err(|e| Error::io("stdout", e))?;
        if plan.changed_files() == 0 {
            g.done(&format!(
                "{shown_dir}/ is stale: every page is current but {} is not; run `casebook build`",
                crate::book::MANIFEST
            ));
        } else {
            g.done(&format!(
                "{shown_dir}/ is stale: {} to create, {} to update, {} to remove; run `casebook build`",
                plan.create.len(),
                plan.update.len(),
                plan.remove.len()
            ));
        }
        return Ok(1);
    }
    let fingerprint = fingerprint.or_else(|| inputs_fingerprint(g, &config, args.public, |f| book.sources.hash(f)));
    if let Some(f) = fingerprint {
        crate::book::record_fingerprint(&dir, f);
    }
    for kept in &plan.kept {
        let mut err = g.stderr();
        let _ = writeln!(
            err,
            "warning: kept {shown_dir}/{}: casebook no longer produces it, but it changed since casebook wrote it; delete it if nothing in it is needed",
            kept.display()
        );
    }
    g.done(&format!(
        "built {shown_dir}/: {} records, {files} files ({} written, {} removed, {} unchanged{}) in {:.2}s",
        book.records.len(),
        plan.written(),
        plan.remove.len(),
        plan.unchanged,
        if plan.created_book_toml() { "; book.toml created" } else { "" },
        started.elapsed().as_secs_f64()
    ));
    // Freeing ten thousand parsed records takes a tenth of a second that nobody
    // waits for: a thread does it while the command ends (or mdBook runs).
    std::thread::spawn(move || drop((book, all_facts, renderer, plan, public)));
    if args.html {
        return mdbook(g, "build", &dir);
    }
    Ok(0)
}

/// The public version of the records and git facts: private parts left out, every
/// string redacted (see [`crate::redact::public`]). Record paths stay, for page hashes.
fn public_version(book: &Casebook, facts: &GitFacts) -> (Vec<crate::Record>, GitFacts) {
    let redactor = crate::redact::Redactor::new(&book.config.redact);
    let incidents: Vec<&crate::model::Incident> = book.records.iter().map(|r| &r.incident).collect();
    let public = crate::redact::public::incidents(&incidents, &redactor);
    let records =
        book.records.iter().zip(public).map(|(r, incident)| crate::Record { path: r.path.clone(), incident }).collect();
    (records, facts.map_text(&|s| redactor.text(s)))
}

/// The mdBook binary: `$CASEBOOK_MDBOOK`, else `mdbook` on the PATH.
fn mdbook_binary() -> PathBuf {
    std::env::var_os("CASEBOOK_MDBOOK").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("mdbook"))
}

/// The `book.toml` lines that leave incident pages (and month archive pages, when the
/// book has them) out of mdBook's search; see the README's "Large archives". mdBook
/// refuses a key that matches no page, hence the check.
fn search_exclusion(dir: &Path) -> String {
    let mut s = String::from("[output.html.search.chapter]");
    for folder in ["incidents", "archive"] {
        if dir.join("src").join(folder).is_dir() {
            s.push_str(&format!("\n          \"{folder}\" = {{ enable = false }}"));
        }
    }
    s
}

/// Past this many incident pages, `build --html` suggests `[book] incident_pages`.
const LARGE_BOOK_PAGES: usize = 1000;

/// The mdBook version casebook is tested with.
pub const MDBOOK_VERSION: &str = "0.5.4";

/// Runs `mdbook build|serve` on the book folder; mdBook's warnings fail a build.
pub fn mdbook(g: &Global, action: &str, dir: &Path) -> Result<i32> {
    let bin = mdbook_binary();
    let mut cmd = std::process::Command::new(&bin);
    cmd.arg(action).arg(dir);
    if action == "serve" {
        let status = cmd.status().map_err(|e| mdbook_missing(&bin, e))?;
        return Ok(if status.success() { 0 } else { 1 });
    }
    let out = cmd.output().map_err(|e| mdbook_missing(&bin, e))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let (large_index, warnings): (Vec<&str>, Vec<&str>) = stderr
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR"))
        .partition(|l| l.contains("search index is very large"));
    if !out.status.success() || !warnings.is_empty() {
        let mut err = g.stderr();
        let _ = err.write_all(stderr.as_bytes());
        return Err(Error::Failed(format!("mdbook {action} reported {} problem(s)", warnings.len().max(1))));
    }
    // Not a fault of the book, but every reader's browser downloads that index on their
    // first search: say how to keep it small.
    if let Some(line) = large_index.first() {
        let mut err = g.stderr();
        let _ = writeln!(
            err,
            "note: mdBook: {}\n  = help: full-text search over every incident page is what makes the index (and mdBook's time) grow;\n          to search only the runbooks, the symptom index and the other index pages, add to {}:\n\n          {}",
            line.split("WARN").nth(1).unwrap_or(line).trim(),
            dir.join("book.toml").strip_prefix(&g.root).unwrap_or(&dir.join("book.toml")).display(),
            search_exclusion(dir),
        );
    }
    // mdBook's time grows faster than the page count: past a thousand pages, say how
    // to bound it.
    let pages = std::fs::read_dir(dir.join("src/incidents")).map_or(0, |d| d.count());
    if pages > LARGE_BOOK_PAGES {
        let mut err = g.stderr();
        let _ = writeln!(
            err,
            "note: the book has {pages} incident pages, and mdBook's time grows faster than that\n  = help: `[book] incident_pages = 500` in casebook.toml gives only the newest 500 pages of their own and\n          groups older months into archive pages (their URLs change); see the README's \"Large archives\""
        );
    }
    g.done(&format!(
        "rendered HTML with mdBook into {}",
        dir.join("book").strip_prefix(&g.root).unwrap_or(&dir.join("book")).display()
    ));
    Ok(0)
}

fn mdbook_missing(bin: &Path, e: std::io::Error) -> Error {
    Error::Failed(format!(
        "cannot run {}: {e}\n  help: install mdBook {MDBOOK_VERSION}: cargo install mdbook --version {MDBOOK_VERSION} --locked (or set CASEBOOK_MDBOOK)",
        bin.display()
    ))
}

/// `casebook serve`: builds the book, then serves it with mdBook (live reload).
pub fn serve(g: &Global) -> Result<i32> {
    let code = build(g, &BuildArgs { check: false, html: false, public: false, out: None })?;
    if code != 0 {
        return Ok(code);
    }
    let (config, _, _) = crate::config::Config::load(&g.root);
    mdbook(g, "serve", &config.book_dir)
}

/// A hash of everything a build reads: every record's bytes, casebook.toml, the
/// templates, the repositories' refs, today, public mode and casebook's version.
/// `None` when something cannot be read (the full build then reports it).
///
/// `content_hash` gives the hash of one record file's bytes: read from disk before
/// a build, or taken from the texts a build loaded.
fn inputs_fingerprint(
    g: &Global,
    config: &crate::config::Config,
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

/// `casebook schema [--config]`: the JSON Schema of records (or of casebook.toml).
pub fn schema(config: bool) -> Result<i32> {
    let text = if config { crate::workflow::config_schema() } else { crate::workflow::record_schema() };
    std::io::stdout().lock().write_all(text.as_bytes()).map_err(|e| Error::io("stdout", e))?;
    Ok(0)
}

/// `casebook init`: casebook.toml, incidents/ and an example record, never touching what exists.
pub fn init(g: &Global) -> Result<i32> {
    let steps = crate::workflow::init(&g.root, g.today).map_err(|e| Error::io(&g.root, e))?;
    let mut err = g.stderr();
    let mut created = 0;
    for s in &steps {
        let (verb, p) = match s {
            crate::workflow::InitStep::Created(p) => {
                created += 1;
                ("created", p)
            }
            crate::workflow::InitStep::Kept(p) => ("kept existing", p),
        };
        if !g.quiet {
            let _ = writeln!(err, "  {verb:<14} {}", p.strip_prefix(&g.root).unwrap_or(p).display());
        }
    }
    g.done(&format!(
        "initialised {}: {created} created, {} kept; next: casebook new \"Title\"",
        g.root.display(),
        steps.len() - created
    ));
    Ok(0)
}

/// Options of `casebook new`.
pub struct NewArgs {
    pub title: String,
    pub severity: Option<String>,
    pub services: Vec<String>,
    pub edit: bool,
}

/// `casebook new "Title"`: the next id, a slug from date and title, a skeleton; checks it.
pub fn new(g: &Global, args: &NewArgs) -> Result<i32> {
    let title = args.title.trim();
    if title.is_empty() {
        return Err(Error::Usage(
            "the title is empty; say what users saw, e.g. casebook new \"Checkout returned 500\"".into(),
        ));
    }
    let book = Casebook::load(&g.root, &[]);
    if let Some(sev) = &args.severity
        && !book.config.severity_levels.contains(sev)
    {
        return Err(Error::Usage(format!(
            "severity \"{sev}\" is not a configured level; use one of {}",
            book.config.severity_levels.join(", ")
        )));
    }
    let ids: Vec<&str> = book.records.iter().map(|r| r.incident.id.as_str()).collect();
    let id = crate::workflow::next_id(&book.config.id_format, &ids, g.today);
    let slug = crate::workflow::slug(g.today, title);
    let path = book.config.incidents_dir.join(format!("{slug}.toml"));
    let taken = book.records.iter().any(|r| r.incident.slug == slug)
        || book.failed.iter().any(|p| crate::load::slug_of(p) == slug);
    if path.exists() || taken {
        return Err(Error::Failed(format!(
            "{} already exists; give the new incident a different title, or edit that record",
            path.strip_prefix(&g.root).unwrap_or(&path).display()
        )));
    }
    let now = chrono::Utc::now().naive_utc();
    let now = if now.date() == g.today { Some(now) } else { None };
    let text = crate::workflow::skeleton(&id, title, g.today, now, &args.severity, &args.services, false);
    std::fs::create_dir_all(&book.config.incidents_dir).map_err(|e| Error::io(&book.config.incidents_dir, e))?;
    crate::fsutil::create_new(&path, text.as_bytes()).map_err(|e| Error::io(&path, e))?;
    let shown = path.strip_prefix(&g.root).unwrap_or(&path).display().to_string();
    if args.edit {
        let editor = std::env::var("VISUAL").or_else(|_| std::env::var("EDITOR")).unwrap_or_else(|_| "vi".into());
        let mut parts = editor.split_whitespace();
        let program = parts.next().unwrap_or("vi");
        let status = std::process::Command::new(program)
            .args(parts)
            .arg(&path)
            .status()
            .map_err(|e| Error::Failed(format!("cannot start the editor `{editor}`: {e} (set $EDITOR)")))?;
        if !status.success() {
            return Err(Error::Failed(format!("the editor exited with {status}; {shown} is kept as it is")));
        }
    }
    // Check what was written (or edited).
    let (_, incident, diags) = crate::load::load_file(&path);
    let errors: Vec<&diag::Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        let mut book = Casebook::load(&g.root, &[]);
        book.diagnostics = diags.clone();
        show_diagnostics(g, &book, &errors)?;
        return Err(Error::Failed(format!("{shown} has errors; fix them, then run casebook check")));
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{shown}");
    g.done(&format!(
        "created {} {shown} ({})",
        incident.map(|i| i.id).unwrap_or(id),
        if args.edit { "edited, checked" } else { "checked" }
    ));
    Ok(0)
}

/// Output formats of `actions` and `stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Table,
    Json,
    Csv,
    Markdown,
}

/// Options of `casebook actions`.
pub struct ActionsArgs {
    pub overdue: bool,
    pub owner: Option<String>,
    pub status: Option<String>,
    pub format: TableFormat,
    pub fail_on_overdue: bool,
}

/// `casebook actions`: every action across records, overdue first.
pub fn actions(g: &Global, args: &ActionsArgs) -> Result<i32> {
    use crate::model::ActionStatus;
    let status = match &args.status {
        Some(s) => Some(ActionStatus::parse(s).ok_or_else(|| {
            Error::Usage(format!("unknown status \"{s}\"; use one of {}", ActionStatus::names().join(", ")))
        })?),
        None => None,
    };
    let book = Casebook::load(&g.root, &[]);
    report_load_errors(g, &book, "run `casebook check`")?;
    let incidents: Vec<&crate::model::Incident> = book.records.iter().map(|r| &r.incident).collect();
    let filter = crate::workflow::ActionFilter { overdue_only: args.overdue, owner: args.owner.clone(), status };
    let rows = crate::workflow::actions(&incidents, &filter, g.today);
    let mut out = std::io::stdout().lock();
    let io = |e| Error::io("stdout", e);
    let cells = |r: &crate::workflow::ActionRow| {
        vec![
            r.incident.clone(),
            r.id.clone(),
            r.title.clone(),
            r.owner.clone(),
            r.due.clone().unwrap_or_default(),
            format!("{}{}", r.status, if r.overdue { " (overdue)" } else { "" }),
        ]
    };
    let header = ["incident", "action", "title", "owner", "due", "status"];
    match args.format {
        TableFormat::Json => {
            for r in &rows {
                writeln!(out, "{}", serde_json::to_string(r).expect("serializes")).map_err(io)?;
            }
        }
        TableFormat::Csv => {
            writeln!(out, "incident,slug,action,title,owner,due,status,overdue,ticket").map_err(io)?;
            for r in &rows {
                let f = crate::workflow::csv_field;
                writeln!(
                    out,
                    "{},{},{},{},{},{},{},{},{}",
                    f(&r.incident),
                    f(&r.slug),
                    f(&r.id),
                    f(&r.title),
                    f(&r.owner),
                    f(r.due.as_deref().unwrap_or("")),
                    r.status,
                    r.overdue,
                    f(r.ticket.as_deref().unwrap_or(""))
                )
                .map_err(io)?;
            }
        }
        TableFormat::Markdown => {
            writeln!(out, "| {} |\n|{}|", header.join(" | "), "---|".repeat(header.len())).map_err(io)?;
            for r in &rows {
                let c: Vec<String> = cells(r).iter().map(|c| crate::markdown::table_cell(c)).collect();
                writeln!(out, "| {} |", c.join(" | ")).map_err(io)?;
            }
        }
        TableFormat::Table => {
            let body: Vec<Vec<String>> = rows.iter().map(cells).collect();
            write_table(&mut out, &header, &body).map_err(io)?;
        }
    }
    let overdue = rows.iter().filter(|r| r.overdue).count();
    g.done(&format!("{} action{}, {overdue} overdue", rows.len(), plural(rows.len())));
    Ok(if args.fail_on_overdue && overdue > 0 { 1 } else { 0 })
}

/// Aligned columns for the terminal.
fn write_table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    // Record text reaches a terminal here: no escape sequences, no line breaks.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| diag::terminal_safe(&c.replace(['\n', '\r', '\t'], " ")).into_owned()).collect())
        .collect();
    let rows = rows.as_slice();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count().min(60));
        }
    }
    let line = |cells: Vec<String>| -> String {
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
    writeln!(out, "{}", line(header.iter().map(|h| h.to_uppercase()).collect()))?;
    for r in rows {
        writeln!(out, "{}", line(r.clone()))?;
    }
    Ok(())
}

/// Commands that read records refuse to work from records with errors.
/// Shows the records' errors, if any, and refuses to go on; `then` says what that means.
fn report_load_errors(g: &Global, book: &Casebook, then: &str) -> Result<()> {
    let errors: Vec<&diag::Diagnostic> = book.diagnostics.iter().filter(|d| d.is_error()).collect();
    if errors.is_empty() {
        return Ok(());
    }
    show_diagnostics(g, book, &errors)?;
    Err(Error::Failed(format!("{} error{} in the records; {then}", errors.len(), plural(errors.len()))))
}

/// `casebook stats`: the overview's figures, for a period, as a table, JSON or CSV.
pub fn stats(g: &Global, since: Option<NaiveDate>, until: Option<NaiveDate>, format: TableFormat) -> Result<i32> {
    let book = Casebook::load(&g.root, &[]);
    report_load_errors(g, &book, "run `casebook check`")?;
    let s = crate::workflow::stats(&book, since, until, g.today);
    let mut out = std::io::stdout().lock();
    let io = |e| Error::io("stdout", e);
    let d = |secs: i64| crate::model::Duration::from_secs(secs).to_string();
    // (section, key, value) rows shared by table and CSV.
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
        for (what, sp) in [("detect", &r.detect), ("mitigate", &r.mitigate), ("resolve", &r.resolve)] {
            if let Some(sp) = sp {
                rows.push((
                    format!("time to {what}"),
                    r.severity.clone(),
                    format!("median {}, p90 {} (n={})", d(sp.median), d(sp.p90), sp.count),
                ));
            }
        }
    }
    rows.push(("effort".into(), "total".into(), d(s.effort_total_secs)));
    rows.push(("actions".into(), "open".into(), s.open_actions.to_string()));
    rows.push(("actions".into(), "overdue".into(), s.overdue_actions.to_string()));
    for r in &s.recurrences {
        rows.push(("recurrence".into(), format!("{} / {}", r.service, r.cause_kind), r.incidents.join(", ")));
    }
    for id in &s.on_this_day {
        rows.push(("on this day".into(), g.today.format("%m-%d").to_string(), id.clone()));
    }
    match format {
        TableFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&s).expect("serializes")).map_err(io)?,
        TableFormat::Csv => {
            writeln!(out, "section,key,value").map_err(io)?;
            for (a, b, c) in &rows {
                let f = crate::workflow::csv_field;
                writeln!(out, "{},{},{}", f(a), f(b), f(c)).map_err(io)?;
            }
        }
        TableFormat::Table | TableFormat::Markdown => {
            let body: Vec<Vec<String>> = rows.iter().map(|(a, b, c)| vec![a.clone(), b.clone(), c.clone()]).collect();
            write_table(&mut out, &["section", "key", "value"], &body).map_err(io)?;
        }
    }
    g.done(&format!("{} incident{} in range", s.incidents, plural(s.incidents)));
    Ok(0)
}

/// Options of `casebook import`.
pub struct ImportArgs {
    pub input: Option<PathBuf>,
    pub stdin: bool,
    pub output: Option<PathBuf>,
}

/// `casebook import FILE.md | DIR | --stdin`: markdown postmortems to records.
pub fn import(g: &Global, args: &ImportArgs) -> Result<i32> {
    let mut err = g.stderr();
    let note = |err: &mut StandardStream, name: &str, r: &crate::import::ImportReport| {
        if r.repaired > 0 {
            let _ = writeln!(
                err,
                "{name}: repaired {} mis-decoded character(s) (UTF-8 read as Mac Roman or Windows-1252)",
                r.repaired
            );
        }
        for t in &r.todos {
            let _ = writeln!(err, "{name}: TODO {t}");
        }
    };
    if args.stdin {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map_err(|e| Error::io("stdin", e))?;
        let (toml, report) = crate::import::import(&String::from_utf8_lossy(&bytes));
        note(&mut err, "stdin", &report);
        return write_import(g, &toml, args.output.as_deref());
    }
    let input = args.input.as_ref().ok_or_else(|| Error::Usage("give a markdown file or folder, or --stdin".into()))?;
    let input = absolutize(&g.root, input);
    if input.is_dir() {
        let out_dir = args
            .output
            .as_ref()
            .map(|o| absolutize(&g.root, o))
            .unwrap_or_else(|| crate::config::Config::load(&g.root).0.incidents_dir);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&input)
            .map_err(|e| Error::io(&input, e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "md" || x == "markdown"))
            .collect();
        files.sort();
        let mut rows = Vec::new();
        let mut failures = 0;
        for f in &files {
            let text = match read_markdown(f) {
                Ok(t) => t,
                Err(e) => {
                    failures += 1;
                    let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    rows.push(vec![name, e.to_string(), String::new(), String::new()]);
                    continue;
                }
            };
            let (toml, report) = crate::import::import(&String::from_utf8_lossy(&text));
            let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let target = out_dir
                .join(format!("{}.toml", f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()));
            let status = if target.exists() {
                failures += 1;
                "exists, skipped".to_string()
            } else {
                crate::fsutil::create_new(&target, toml.as_bytes()).map_err(|e| Error::io(&target, e))?;
                format!("{} TODO", report.todos.len())
            };
            note(&mut err, &name, &report);
            let mapped = report.mapped.iter().map(|(h, to)| format!("{h} → {to}")).collect::<Vec<_>>().join("; ");
            rows.push(vec![name, status, report.repaired.to_string(), mapped]);
        }
        let mut out = std::io::stdout().lock();
        write_table(&mut out, &["file", "result", "repaired", "sections"], &rows)
            .map_err(|e| Error::io("stdout", e))?;
        g.done(&format!(
            "imported {} of {} file(s) into {}",
            files.len() - failures,
            files.len(),
            out_dir.strip_prefix(&g.root).unwrap_or(&out_dir).display()
        ));
        return Ok(if failures > 0 { 1 } else { 0 });
    }
    let bytes = read_markdown(&input)?;
    let (toml, report) = crate::import::import(&String::from_utf8_lossy(&bytes));
    let name = input.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    note(&mut err, &name, &report);
    for (h, to) in &report.mapped {
        if g.verbose {
            let _ = writeln!(err, "{name}: {h} → {to}");
        }
    }
    write_import(g, &toml, args.output.as_deref())
}

/// A markdown file to import, read only when it is a regular file: a FIFO named
/// `x.md` would block the read forever.
fn read_markdown(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(Error::Failed(format!("{} is not a regular file; import reads markdown files", path.display())));
    }
    if meta.len() > crate::load::MAX_RECORD_BYTES {
        return Err(Error::Failed(format!("{} is larger than 64 MiB; import reads postmortems", path.display())));
    }
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

fn write_import(g: &Global, toml: &str, output: Option<&Path>) -> Result<i32> {
    match output {
        Some(o) => {
            let o = absolutize(&g.root, o);
            if o.exists() {
                return Err(Error::Failed(format!("{} exists; casebook import never overwrites a file", o.display())));
            }
            crate::fsutil::create_new(&o, toml.as_bytes()).map_err(|e| Error::io(&o, e))?;
            g.done(&format!(
                "wrote {}; fill its TODOs, then run casebook check",
                o.strip_prefix(&g.root).unwrap_or(&o).display()
            ));
        }
        None => std::io::stdout().lock().write_all(toml.as_bytes()).map_err(|e| Error::io("stdout", e))?,
    }
    Ok(0)
}
