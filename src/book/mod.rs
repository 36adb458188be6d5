//! The book: an mdBook source tree of incident pages, indexes, runbooks, the
//! action tracker and the commit index, every page rendered through a template.
//! Output is deterministic; only changed files are written (see `writer`); files
//! casebook did not write are never touched.
//!
//! `plan` decides where each page goes, the view (`crate::view::pages`) what each
//! shows, the renderer how it reads; this module puts them together.

mod fingerprint;
mod plan;
pub mod preview;
mod writer;

pub use fingerprint::{all_present, forget_fingerprint, has_manifest, record_fingerprint, recorded_fingerprint};
pub use plan::runbook_file;
pub use writer::{JOURNAL, MANIFEST, Mode, Plan, TEMP_DIR, WriteError, read_manifest, was_interrupted};

use crate::config::Config;
use crate::figures;
use crate::git::GitFacts;
use crate::load::Record;
use crate::model::*;
use crate::render::{RenderError, Renderer};
use crate::view::pages::{self, Listing, MergedRunbook};
use crate::view::{self, ViewOptions};
use chrono::NaiveDate;
use plan::{Links, Placement, Unit};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use writer::Writer;

/// mdBook's configuration, written once when absent; the user's afterwards.
const BOOK_TOML: &str = "book.toml";

/// The stylesheet and script casebook writes beside book.toml on every build, and
/// the `[output.html]` keys that load them.
pub const ASSETS: [(&str, &str, &str); 2] = [
    ("casebook.css", "additional-css", include_str!("../../templates/casebook.css")),
    ("casebook.js", "additional-js", include_str!("../../templates/casebook.js")),
];

/// What `book.toml` lacks to load casebook's stylesheet and script: for each, the
/// `[output.html]` line to add, or the file to add to a list the user already has
/// (`None` when no book.toml can be read: mdBook reports that itself).
pub fn missing_asset_lines(dir: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(dir.join(BOOK_TOML)).ok()?;
    let doc: toml::Table = text.parse().ok()?;
    let html = doc.get("output").and_then(|o| o.get("html"));
    Some(
        ASSETS
            .iter()
            .filter_map(|(file, key, _)| match html.and_then(|h| h.get(*key)).and_then(|v| v.as_array()) {
                Some(list) if list.iter().any(|v| v.as_str() == Some(*file)) => None,
                Some(_) => Some(format!("add \"{file}\" to the `{key}` list")),
                None => Some(format!("{key} = [\"{file}\"]")),
            })
            .collect(),
    )
}

#[derive(Debug, thiserror::Error)]
pub enum BookError {
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

pub struct BookOptions<'a> {
    pub config: &'a Config,
    pub git: &'a GitFacts,
    pub today: NaiveDate,
    pub public: bool,
    /// The book folder, to reuse unchanged pages; `None` renders everything.
    pub reuse_from: Option<&'a Path>,
    /// The record sources, for page input hashes.
    pub sources: &'a crate::diag::Sources,
}

/// Builds the book in `dir`: renders every page and compares it with the disk; in
/// `Mode::Write` also writes each page that differs as soon as it is rendered (on
/// every core), removes the generated files no longer produced, and records what it
/// wrote in the manifest. On any error or panic, everything this build wrote is
/// undone: the book is left as it was.
pub fn build(
    dir: &Path,
    records: &[Record],
    renderer: &Renderer,
    o: &BookOptions<'_>,
    mode: Mode,
) -> Result<Plan, BookError> {
    let mut sorted: Vec<&Incident> = records.iter().map(|r| &r.incident).collect();
    // Newest first, then by slug: a stable order for every listing.
    sorted.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
    let placement = Placement::new(&sorted, o.config.book_incident_pages);
    let units = placement.units();
    let writer = Writer::new(dir, mode);
    let book =
        Book { dir, records, renderer, o, placement: &placement, units: &units, sorted: &sorted, writer: &writer };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| book.write())) {
        Ok(Ok((produced, inputs))) => {
            let inputs: HashMap<&Path, u64> = inputs.iter().map(|(p, h)| (p.as_path(), *h)).collect();
            Ok(writer.finish(&produced, &inputs)?)
        }
        Ok(Err(e)) => {
            writer.undo();
            Err(e)
        }
        Err(panic) => {
            writer.undo();
            std::panic::resume_unwind(panic)
        }
    }
}

/// One build: what it reads and where it writes.
struct Book<'a> {
    dir: &'a Path,
    records: &'a [Record],
    renderer: &'a Renderer,
    o: &'a BookOptions<'a>,
    placement: &'a Placement<'a>,
    units: &'a [Unit<'a>],
    /// Newest first.
    sorted: &'a [&'a Incident],
    writer: &'a Writer<'a>,
}

/// The pages written, and the input hash of each incident and archive page.
type Written = (Vec<PathBuf>, HashMap<PathBuf, u64>);

impl Book<'_> {
    /// Every page, then book.toml, then the files no longer produced go.
    fn write(&self) -> Result<Written, BookError> {
        let runbooks = pages::merge_runbooks(self.sorted);
        let index_paths = plan::index_paths(runbooks.keys().map(String::as_str));
        // The indexes are made on one core while the pages go on the other (and on
        // both once the indexes are done).
        let (indexes, hashes) = rayon::join(|| self.index_pages(&runbooks), || self.pages());
        indexes?;
        let hashes = hashes?;
        // book.toml is written only when absent: the user owns it afterwards.
        let toml = PathBuf::from(BOOK_TOML);
        if std::fs::symlink_metadata(self.dir.join(&toml)).is_err() {
            self.writer.put(&toml, book_toml(self.o.config).into_bytes())?;
        }
        for (file, _, text) in ASSETS {
            self.writer.put(Path::new(file), text.as_bytes().to_vec())?;
        }
        let mut produced: Vec<PathBuf> = self.units.iter().map(Unit::path).collect();
        produced.extend(index_paths);
        produced.extend(ASSETS.iter().map(|(file, _, _)| PathBuf::from(file)));
        produced.sort();
        let keep: BTreeSet<&PathBuf> = produced.iter().collect();
        for rel in self.writer.owned_paths().iter().filter(|p| !keep.contains(p)) {
            self.writer.remove(rel)?;
        }
        Ok((produced, hashes.into_iter().collect()))
    }

    /// The postmortem of one incident, as its page (or archive section) shows it.
    fn postmortem(&self, inc: &Incident) -> Result<String, BookError> {
        let links = Links { placement: self.placement };
        let o = self.o;
        let opts =
            ViewOptions { config: o.config, git: o.git, today: o.today, public: o.public, book_links: Some(&links) };
        Ok(self.renderer.postmortem(&view::build(inc, &opts))?)
    }

    /// Incident and archive pages, in parallel; unchanged ones are reused from the
    /// last build (unless it was cut short).
    fn pages(&self) -> Result<Vec<(PathBuf, u64)>, BookError> {
        let reuse = self.o.reuse_from.is_some() && !self.writer.interrupted();
        // An incident page depends on the postmortem's templates; an archive page on its own too.
        let shared = shared_hash(self.renderer.postmortem_fingerprint(), self.o);
        let archive_shared = shared_hash(self.renderer.fingerprint(), self.o);
        let paths: BTreeMap<&str, &Path> =
            self.records.iter().map(|r| (r.incident.slug.as_str(), r.path.as_path())).collect();
        let links = Links { placement: self.placement };
        self.units
            .par_iter()
            // One task per unit: a month's archive page costs as much as a hundred
            // pages, and a run of them left in one task would keep the other core idle.
            .with_max_len(1)
            .map(|unit| {
                let rel = unit.path();
                let one = |inc: &Incident| page_hash(inc, paths[inc.slug.as_str()], self.o, shared, &links);
                let hash = match unit {
                    Unit::Page(inc) => one(inc),
                    Unit::Month(_, members) => {
                        use std::hash::Hasher;
                        let mut h = xxhash_rust::xxh3::Xxh3::with_seed(archive_shared);
                        members.iter().for_each(|inc| h.write_u64(one(inc)));
                        h.finish()
                    }
                };
                if reuse
                    && let Some(prev) = self.writer.previous_entry(&rel)
                    && prev.input == Some(hash)
                    && let Some(content) = prev.content
                    && self.dir.join(&rel).is_file()
                {
                    self.writer.reused(&rel, content);
                    return Ok((rel, hash));
                }
                fault_injection(unit);
                let text = match unit {
                    Unit::Page(inc) => self.postmortem(inc)?,
                    Unit::Month(month, members) => {
                        let texts = members.iter().map(|i| self.postmortem(i)).collect::<Result<Vec<_>, _>>()?;
                        let page = pages::archive(month, members, texts);
                        self.renderer.page("book-archive.md", &page, self.o.public)?
                    }
                };
                self.writer.put(&rel, text.into_bytes())?;
                Ok((rel, hash))
            })
            .collect()
    }

    /// Every page but the incident pages: overview, indexes, trackers, runbooks,
    /// SUMMARY.md. Each goes to disk as soon as it is made: together they are tens of
    /// megabytes on a large casebook, and memory held is memory the kernel zeroes.
    fn index_pages(&self, runbooks: &BTreeMap<String, MergedRunbook<'_>>) -> Result<(), BookError> {
        let (o, sorted, site) = (self.o, self.sorted, self.placement);
        let listing = Listing::new(sorted, site);
        let put = |name: &str, text: String| -> Result<(), BookError> {
            Ok(self.writer.put(&Path::new("src").join(name), text.into_bytes())?)
        };
        let page = |template: &str, file: &str, view: &dyn erased::Page| -> Result<(), BookError> {
            put(file, view.render(self.renderer, template, o.public)?)
        };
        let stats = figures::stats(sorted, &o.config.severity_levels, o.today);
        page(
            "book-overview.md",
            "index.md",
            &pages::overview(&o.config.book_title, &o.config.severity_levels, o.today, sorted, &stats, &listing),
        )?;
        for (file, view) in self.indexes(&listing) {
            page("book-index.md", file, &view)?;
        }
        page("book-actions.md", "actions.md", &pages::tracker(sorted, o.today, &listing))?;
        page("book-commits.md", "commits.md", &pages::commit_index(sorted, o.git, &listing))?;
        page("book-symptoms.md", "symptoms.md", &pages::symptoms(runbooks, site))?;
        page("book-runbooks.md", "runbooks/index.md", &pages::runbook_list(runbooks, site))?;
        // Two ids can make the same file name: the last one wins, as it always has.
        let runbook_pages: BTreeMap<String, pages::RunbookPageView> = runbooks
            .iter()
            .map(|(id, rb)| (runbook_file(id), pages::runbook_page(rb, sorted, site, o.config.review_days)))
            .collect();
        for (file, view) in &runbook_pages {
            page("book-runbook.md", &format!("runbooks/{file}"), view)?;
        }
        let months: Vec<(String, usize)> = self
            .units
            .iter()
            .filter_map(|u| match u {
                Unit::Month(m, members) => Some((m.clone(), members.len())),
                Unit::Page(_) => None,
            })
            .collect();
        let runbook_titles: Vec<(&str, &str)> =
            runbooks.iter().map(|(id, rb)| (id.as_str(), rb.main().title.as_str())).collect();
        page("book-summary.md", "SUMMARY.md", &pages::summary(site, &months, &runbook_titles))
    }

    /// The index pages by month, service, severity, cause kind and tag.
    fn indexes<'l>(&self, listing: &'l Listing) -> Vec<(&'static str, pages::IndexView<'l>)> {
        let sorted = self.sorted;
        let levels = &self.o.config.severity_levels;
        let severity_rank = |k: &str| levels.iter().position(|s| s == k).unwrap_or(usize::MAX);
        let cause_kinds = |i: &Incident| {
            let kinds: BTreeSet<String> = i.causes.iter().filter_map(|c| c.kind.clone()).collect();
            kinds.into_iter().collect()
        };
        vec![
            ("by-month.md", pages::by_key("Incidents by month", sorted, |i| vec![i.month()], None, true, listing)),
            (
                "by-service.md",
                pages::by_key("Incidents by service", sorted, |i| i.services.clone(), None, false, listing),
            ),
            (
                "by-severity.md",
                pages::by_key(
                    "Incidents by severity",
                    sorted,
                    |i| vec![i.severity.as_ref().map_or("unset".into(), |s| s.value.clone())],
                    Some(&severity_rank),
                    false,
                    listing,
                ),
            ),
            ("by-cause.md", pages::by_key("Incidents by cause kind", sorted, cause_kinds, None, false, listing)),
            ("by-tag.md", pages::by_key("Incidents by tag", sorted, |i| i.tags.clone(), None, false, listing)),
        ]
    }
}

/// Page views of different types behind one reference, for one `page` helper.
mod erased {
    use crate::render::{RenderError, Renderer};

    pub trait Page {
        fn render(&self, renderer: &Renderer, template: &str, public: bool) -> Result<String, RenderError>;
    }

    impl<T: serde::Serialize> Page for T {
        fn render(&self, renderer: &Renderer, template: &str, public: bool) -> Result<String, RenderError> {
            renderer.page(template, self, public)
        }
    }
}

/// Fault injection for the tests of undo on a panic (debug builds only): panics on
/// the page of the incident `CASEBOOK_FAULT_PANIC_ON_PAGE` names.
fn fault_injection(unit: &Unit<'_>) {
    #[cfg(debug_assertions)]
    if let (Unit::Page(inc), Some(slug)) = (unit, std::env::var_os("CASEBOOK_FAULT_PANIC_ON_PAGE"))
        && slug == inc.slug.as_str()
    {
        panic!("fault injected on the page of {}", inc.slug);
    }
    #[cfg(not(debug_assertions))]
    let _ = unit;
}

/// Everything an incident page is made from, hashed: when it matches the hash the
/// manifest recorded and the page is on disk, rendering it again would give the same bytes.
fn page_hash(inc: &Incident, path: &Path, o: &BookOptions<'_>, shared: u64, links: &Links<'_>) -> u64 {
    use crate::view::BookLinks;
    use std::hash::Hasher;
    let mut h = xxhash_rust::xxh3::Xxh3::with_seed(shared);
    h.write_u64(o.sources.hash(path).unwrap_or_default());
    h.write_u8(o.public as u8);
    if inc.actions.iter().any(|a| a.status.is_pending() && a.due.is_some()) {
        h.write(o.today.to_string().as_bytes());
    }
    for c in inc.all_commit_refs() {
        h.write(format!("{:?}", o.git.resolved(&c.key())).as_bytes());
    }
    for m in o.git.mentions_of(&inc.id) {
        h.write(format!("{m:?}").as_bytes());
    }
    for r in &inc.related {
        h.write(format!("{:?}", links.incident(&r.value)).as_bytes());
    }
    h.finish()
}

/// The part of every page's input hash that all pages share.
fn shared_hash(templates: &str, o: &BookOptions<'_>) -> u64 {
    use std::hash::Hasher;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    h.write(templates.as_bytes());
    // The config's text, not its parsed form: that holds absolute paths, and the
    // same records must give the same bytes wherever the project lives.
    if let Some(file) = &o.config.file {
        h.write_u64(o.sources.hash(file).unwrap_or_default());
    }
    h.finish()
}

/// mdBook's configuration for a new book.
fn book_toml(config: &Config) -> String {
    let toml_string = |s: &str| toml::Value::String(s.to_string()).to_string();
    let authors: Vec<String> = config.book_authors.iter().map(|a| toml_string(a)).collect();
    format!(
        "# Written once by casebook; yours to edit: casebook never overwrites it.\n[book]\ntitle = {}\nauthors = [{}]\nlanguage = \"en\"\nsrc = \"src\"\n\n[output.html]\nno-section-label = true\n# casebook's stylesheet and script, written beside this file on every build.\nadditional-css = [\"casebook.css\"]\nadditional-js = [\"casebook.js\"]\n\n[output.html.search]\nenable = true\nlimit-results = 30\nuse-boolean-and = true\n",
        toml_string(&config.book_title),
        authors.join(", ")
    )
}
