//! The book: an mdBook source tree of incident pages, indexes, runbooks, the
//! action tracker and the commit index. Output is deterministic; only changed
//! files are written; files casebook did not write are never touched.

use crate::view::charts;
use crate::config::Config;
use crate::figures::{self, Spread, Stats};
use crate::git::{GitFacts, Resolution};
use crate::load::Record;
use crate::markdown::{code_span, inline_text};
use crate::model::*;
use crate::render::{RenderError, Renderer};
use crate::view::{self, BookLinks, ViewOptions};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// mdBook's configuration, written once when absent; the user's afterwards.
const BOOK_TOML: &str = "book.toml";

mod writer;

use writer::Writer;
pub use writer::{JOURNAL, MANIFEST, Mode, Plan, TEMP_DIR, WriteError, read_manifest, was_interrupted};

#[derive(Debug, thiserror::Error)]
pub enum BookError {
    #[error("{0}")]
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

/// Everything an incident page is made from, hashed: when it matches the hash the
/// manifest recorded and the page is on disk, rendering it again would give the same bytes.
fn page_hash(inc: &Incident, path: &Path, o: &BookOptions<'_>, shared: u64, links: &Links<'_>) -> u64 {
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

/// Page file name for a runbook id (ids are slugs; anything else is made safe).
pub fn runbook_file(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '-' })
        .collect();
    format!("{}.md", safe.trim_matches('.'))
}

/// Where each incident's postmortem is in the book: a page of its own, or (past the
/// `[book] incident_pages` most recent) a section of its month's archive page.
struct Placement<'a> {
    by_slug: BTreeMap<&'a str, &'a Incident>,
    by_id: std::collections::HashMap<&'a str, &'a Incident>,
    /// Archived incidents' months, by slug.
    archived: std::collections::HashMap<&'a str, String>,
}

impl<'a> Placement<'a> {
    /// `sorted` is newest first: up to `pages` of the newest incidents get pages of their
    /// own; the archive takes whole months, so a month is never split between the two.
    fn new(sorted: &[&'a Incident], pages: usize) -> Placement<'a> {
        let mut by_id = std::collections::HashMap::new();
        for i in sorted {
            by_id.entry(i.id.as_str()).or_insert(*i);
        }
        Placement {
            by_slug: sorted.iter().map(|i| (i.slug.as_str(), *i)).collect(),
            by_id,
            // Whole months: the month of the first incident past `pages`, and all older ones.
            archived: match sorted.get(pages).map(|i| i.month()) {
                Some(cut) => sorted.iter().map(|i| (i.slug.as_str(), i.month())).filter(|(_, m)| *m <= cut).collect(),
                None => Default::default(),
            },
        }
    }

    /// The page (and anchor) holding an incident, from the book's src/ folder.
    fn target(&self, inc: &Incident) -> String {
        match self.archived.get(inc.slug.as_str()) {
            Some(month) => format!("archive/{month}.md#{}", archive_anchor(&inc.slug)),
            None => format!("incidents/{}.md", inc.slug),
        }
    }

    /// An incident by slug or id.
    fn find(&self, key: &str) -> Option<&'a Incident> {
        self.by_slug.get(key).or_else(|| self.by_id.get(key)).copied()
    }
}

struct Links<'a> {
    placement: &'a Placement<'a>,
    prefix: &'a str,
}

impl BookLinks for Links<'_> {
    fn runbook(&self, id: &str) -> Option<String> {
        Some(format!("{}runbooks/{}", self.prefix, runbook_file(id)))
    }
    fn incident(&self, key: &str) -> Option<(String, String)> {
        let inc = self.placement.find(key)?;
        Some((inc.title.clone(), format!("{}{}", self.prefix, self.placement.target(inc))))
    }
}

/// Each incident's link and index-table row, made once (on every core) for all the
/// index pages that list it.
struct Listing<'a> {
    entries: std::collections::HashMap<&'a str, (String, String)>,
}

impl<'a> Listing<'a> {
    fn new(incidents: &[&'a Incident], placement: &Placement<'_>) -> Listing<'a> {
        let entries = incidents
            .par_iter()
            .map(|i| {
                let link = link_to(i, &placement.target(i));
                let row = format!(
                    "| {} | {} | {} | {} | {} |\n",
                    i.date,
                    link,
                    i.severity.as_ref().map_or("–".to_string(), |s| inline_text(&s.value)),
                    i.status,
                    i.services.iter().map(|s| inline_text(s)).collect::<Vec<_>>().join(", ")
                );
                (i.slug.as_str(), (link, row))
            })
            .collect();
        Listing { entries }
    }

    /// `[ID · Title](incidents/slug.md)`, from the book's src/ folder.
    fn link(&self, i: &Incident) -> &str {
        &self.entries[i.slug.as_str()].0
    }

    /// A table of incidents: date, link, severity, status, services.
    fn table(&self, incidents: &[&Incident]) -> String {
        let mut s = String::from("| Date | Incident | Severity | Status | Services |\n|---|---|---|---|---|\n");
        for i in incidents {
            s.push_str(&self.entries[i.slug.as_str()].1);
        }
        s
    }
}

/// `[ID · Title](target)`.
fn link_to(inc: &Incident, target: &str) -> String {
    format!("[{} · {}]({target})", inline_text(&inc.id), inline_text(&inc.title))
}

fn duration(secs: i64) -> String {
    Duration::from_secs(secs).to_string()
}

fn spread_cells(s: &Option<Spread>) -> String {
    match s {
        Some(s) => format!("{} | {}", duration(s.median), duration(s.p90)),
        None => "– | –".to_string(),
    }
}

/// Builds the book in `dir`: renders every page and compares it with the disk; in
/// `Mode::Write` also writes each page that differs as soon as it is rendered (on
/// every core), removes the generated files no longer produced, and records what it
/// wrote in the manifest. On any error, everything this build wrote is undone: the
/// book is left as it was.
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
    // What is rendered: a page per recent incident, an archive page per older month.
    let mut units: Vec<Unit<'_>> = Vec::new();
    for inc in &sorted {
        match placement.archived.get(inc.slug.as_str()) {
            None => units.push(Unit::Page(inc)),
            Some(month) => match units.last_mut() {
                Some(Unit::Month(m, members)) if m == month => members.push(inc),
                _ => units.push(Unit::Month(month.clone(), vec![inc])),
            },
        }
    }
    let page_paths: Vec<PathBuf> = units.iter().map(Unit::path).collect();

    let writer = Writer::new(dir, mode);
    // A build cut short may have left pages that do not match the manifest's input
    // hashes: then every page is rendered and compared.
    let reuse = o.reuse_from.is_some() && !writer.interrupted();
    let body = || -> Result<(Vec<PathBuf>, HashMap<PathBuf, u64>), BookError> {
        let shared = shared_hash(renderer, o);
        let paths: BTreeMap<&str, &Path> =
            records.iter().map(|r| (r.incident.slug.as_str(), r.path.as_path())).collect();
        let links = Links { placement: &placement, prefix: "../" };
        let render = |inc: &Incident| -> Result<String, BookError> {
            let opts = ViewOptions {
                config: o.config,
                git: o.git,
                today: o.today,
                public: o.public,
                book_links: Some(&links),
            };
            let mut ctx = view::build(inc, &opts);
            ctx.incident.figure = strip(inc);
            Ok(renderer.postmortem(&ctx)?)
        };
        let pages = || -> Result<Vec<(PathBuf, u64)>, BookError> {
            units
                .par_iter()
                // One task per unit: a month's archive page costs as much as a hundred
                // pages, and a run of them left in one task would keep the other core idle.
                .with_max_len(1)
                .map(|unit| {
                    let rel = unit.path();
                    let one = |inc: &Incident| page_hash(inc, paths[inc.slug.as_str()], o, shared, &links);
                    let hash = match unit {
                        Unit::Page(inc) => one(inc),
                        Unit::Month(_, members) => {
                            use std::hash::Hasher;
                            let mut h = xxhash_rust::xxh3::Xxh3::with_seed(shared);
                            members.iter().for_each(|inc| h.write_u64(one(inc)));
                            h.finish()
                        }
                    };
                    if reuse
                        && let Some(prev) = writer.previous_entry(&rel)
                        && prev.input == Some(hash)
                        && let Some(content) = prev.content
                        && dir.join(&rel).is_file()
                    {
                        writer.reused(&rel, content);
                        return Ok((rel, hash));
                    }
                    // Fault injection for the tests of undo on a panic (debug builds only).
                    #[cfg(debug_assertions)]
                    if let (Unit::Page(inc), Some(slug)) = (unit, std::env::var_os("CASEBOOK_FAULT_PANIC_ON_PAGE"))
                        && slug == inc.slug.as_str()
                    {
                        panic!("fault injected on the page of {}", inc.slug);
                    }
                    let text = match unit {
                        Unit::Page(inc) => render(inc)?,
                        Unit::Month(month, members) => archive_page(month, members, &render)?,
                    };
                    writer.put(&rel, text.into_bytes())?;
                    Ok((rel, hash))
                })
                .collect()
        };
        let runbooks = merge_runbooks(&sorted);
        let index_paths = index_paths(&runbooks);
        let emit = |rel: &Path, text: String| -> Result<(), BookError> { Ok(writer.put(rel, text.into_bytes())?) };
        // The indexes are made on one core while the pages go on the other (and on
        // both once the indexes are done).
        let (indexes, hashes) = rayon::join(|| index_pages(&sorted, &placement, &units, o, &runbooks, &emit), pages);
        indexes?;
        let hashes = hashes?;
        // book.toml is written only when absent: the user owns it afterwards.
        let toml = PathBuf::from(BOOK_TOML);
        if std::fs::symlink_metadata(dir.join(&toml)).is_err() {
            writer.put(&toml, book_toml(o.config).into_bytes())?;
        }
        let mut produced = page_paths.clone();
        produced.extend(index_paths);
        produced.sort();
        let keep: BTreeSet<&PathBuf> = produced.iter().collect();
        for rel in writer.owned_paths().iter().filter(|p| !keep.contains(p)) {
            writer.remove(rel)?;
        }
        Ok((produced, hashes.into_iter().collect()))
    };
    // Undo runs on any error, and on a panic too (then the panic goes on).
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
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

/// What the book renders: a page for one incident, or a month's archive page.
enum Unit<'a> {
    Page(&'a Incident),
    Month(String, Vec<&'a Incident>),
}

impl Unit<'_> {
    fn path(&self) -> PathBuf {
        match self {
            Unit::Page(inc) => PathBuf::from("src/incidents").join(format!("{}.md", inc.slug)),
            Unit::Month(month, _) => PathBuf::from("src/archive").join(format!("{month}.md")),
        }
    }
}

/// The anchor of an archived postmortem: its slug, with anything but letters, digits,
/// `-`, `_` and `.` made `-` (a file name may hold quotes or spaces; an HTML id may not).
fn archive_anchor(slug: &str) -> String {
    slug.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' }).collect()
}

/// A month's archive page: a list of its incidents, then each postmortem under an
/// anchor named by its slug.
fn archive_page(
    month: &str,
    members: &[&Incident],
    render: &dyn Fn(&Incident) -> Result<String, BookError>,
) -> Result<String, BookError> {
    let mut s = format!("# Archive: {month}\n\nThe postmortems of {month}, newest first.\n\n");
    for inc in members {
        s.push_str(&format!("- [{} {}](#{})\n", inc.date, inline_text(&inc.title), archive_anchor(&inc.slug)));
    }
    for inc in members {
        s.push_str(&format!("\n<a id=\"{}\"></a>\n\n", archive_anchor(&inc.slug)));
        s.push_str(&render(inc)?);
        s.push_str("\n---\n");
    }
    Ok(s)
}

/// The part of every page's input hash that all pages share.
fn shared_hash(renderer: &Renderer, o: &BookOptions<'_>) -> u64 {
    use std::hash::Hasher;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    h.write(renderer.fingerprint().as_bytes());
    // The config's text, not its parsed form: that holds absolute paths, and the
    // same records must give the same bytes wherever the project lives.
    if let Some(file) = &o.config.file {
        h.write_u64(o.sources.hash(file).unwrap_or_default());
    }
    h.finish()
}

/// Every page but the incident pages: overview, indexes, trackers, runbooks, SUMMARY.md.
fn index_pages(
    sorted: &[&Incident],
    placement: &Placement<'_>,
    units: &[Unit<'_>],
    o: &BookOptions<'_>,
    runbooks: &BTreeMap<String, MergedRunbook<'_>>,
    emit: &dyn Fn(&Path, String) -> Result<(), BookError>,
) -> Result<(), BookError> {
    let src = Path::new("src");
    let stats = figures::stats(sorted, &o.config.severity_levels, o.today);
    let listing = Listing::new(sorted, placement);
    // Each page goes to disk as soon as it is made: together they are tens of
    // megabytes on a large casebook, and memory held is memory the kernel zeroes.
    let put = |name: &str, text: String| emit(&src.join(name), text);
    put("index.md", overview(sorted, &stats, o, &listing))?;
    put("by-month.md", index_page("Incidents by month", &group(sorted, |i| vec![i.month()]), true, &listing))?;
    put("by-service.md", index_page("Incidents by service", &group(sorted, |i| i.services.clone()), false, &listing))?;
    put("by-severity.md", {
        let mut g = group(sorted, |i| vec![i.severity.as_ref().map_or("unset".into(), |s| s.value.clone())]);
        let order = |k: &str| o.config.severity_levels.iter().position(|s| s == k).unwrap_or(usize::MAX);
        g.sort_by_key(|(k, _)| (order(k), k.clone()));
        index_page("Incidents by severity", &g, false, &listing)
    })?;
    put(
        "by-cause.md",
        index_page(
            "Incidents by cause kind",
            &group(sorted, |i| {
                let kinds: BTreeSet<String> = i.causes.iter().filter_map(|c| c.kind.clone()).collect();
                kinds.into_iter().collect()
            }),
            false,
            &listing,
        ),
    )?;
    put("by-tag.md", index_page("Incidents by tag", &group(sorted, |i| i.tags.clone()), false, &listing))?;
    put("actions.md", action_tracker(sorted, o, &listing))?;
    put("commits.md", commit_index(sorted, o, &listing))?;
    put("symptoms.md", symptom_index(runbooks))?;
    put("runbooks/index.md", runbook_list(runbooks))?;
    // Two ids can make the same file name: the last one wins, as it always has.
    let pages: BTreeMap<String, String> =
        runbooks.iter().map(|(id, rb)| (runbook_file(id), runbook_page(rb, placement, o))).collect();
    for (file, text) in pages {
        put(&format!("runbooks/{file}"), text)?;
    }
    put("SUMMARY.md", summary(units, runbooks))
}

/// The files [`index_pages`] writes, known before it runs.
fn index_paths(runbooks: &BTreeMap<String, MergedRunbook<'_>>) -> Vec<PathBuf> {
    let fixed = [
        "index.md",
        "by-month.md",
        "by-service.md",
        "by-severity.md",
        "by-cause.md",
        "by-tag.md",
        "actions.md",
        "commits.md",
        "symptoms.md",
        "runbooks/index.md",
        "SUMMARY.md",
    ];
    let runbook_pages = runbooks.keys().map(|id| format!("runbooks/{}", runbook_file(id)));
    let mut paths: Vec<PathBuf> =
        fixed.into_iter().map(String::from).chain(runbook_pages).map(|f| Path::new("src").join(f)).collect();
    paths.sort();
    paths.dedup();
    paths
}

fn book_toml(config: &Config) -> String {
    let toml_string = |s: &str| toml::Value::String(s.to_string()).to_string();
    let authors: Vec<String> = config.book_authors.iter().map(|a| toml_string(a)).collect();
    format!(
        "# Written once by casebook; yours to edit: casebook never overwrites it.\n[book]\ntitle = {}\nauthors = [{}]\nlanguage = \"en\"\nsrc = \"src\"\n\n[output.html]\nno-section-label = true\n\n[output.html.search]\nenable = true\nlimit-results = 30\nuse-boolean-and = true\n",
        toml_string(&config.book_title),
        authors.join(", ")
    )
}

fn strip(inc: &Incident) -> Option<String> {
    let first = inc.moments.values().map(|m| m.when.at).min()?;
    if inc.moments.len() < 2 {
        return None;
    }
    let points: Vec<(String, i64, bool, String)> = inc
        .moments
        .values()
        .map(|m| {
            (
                view::moment_label(m.kind).to_string(),
                (m.when.at - first).num_seconds(),
                m.when.is_approximate(),
                view::time_of(&m.when, &inc.zone, true, true),
            )
        })
        .collect();
    Some(charts::timeline_strip(&points))
}

fn group<'a>(incidents: &[&'a Incident], keys: impl Fn(&Incident) -> Vec<String>) -> Vec<(String, Vec<&'a Incident>)> {
    let mut m: BTreeMap<String, Vec<&Incident>> = BTreeMap::new();
    for i in incidents {
        for k in keys(i) {
            m.entry(k).or_default().push(i);
        }
    }
    m.into_iter().collect()
}

fn index_page(title: &str, groups: &[(String, Vec<&Incident>)], newest_first: bool, listing: &Listing<'_>) -> String {
    let mut s = format!("# {title}\n\n");
    if groups.is_empty() {
        s.push_str("Nothing recorded yet.\n");
        return s;
    }
    let ordered: Vec<&(String, Vec<&Incident>)> =
        if newest_first { groups.iter().rev().collect() } else { groups.iter().collect() };
    s.push_str(
        &ordered
            .iter()
            .map(|(k, v)| format!("[{}](#{}) ({})", inline_text(k), anchor(k), v.len()))
            .collect::<Vec<_>>()
            .join(" · "),
    );
    s.push_str("\n\n");
    for (key, incidents) in ordered {
        s.push_str(&format!("## {}\n\n{}\n", inline_text(key), listing.table(incidents)));
    }
    s
}

/// The id mdBook gives a heading.
pub fn anchor(heading: &str) -> String {
    let mut out = String::new();
    for c in heading.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    out
}

fn overview(incidents: &[&Incident], stats: &Stats, o: &BookOptions<'_>, listing: &Listing<'_>) -> String {
    let mut s = format!("# {}\n\n", inline_text(&o.config.book_title));
    if incidents.is_empty() {
        s.push_str("No incidents recorded yet. Add one with `casebook new \"Title\"`.\n");
        return s;
    }
    let first = incidents.last().map(|i| i.date).expect("non-empty");
    let last = incidents.first().map(|i| i.date).expect("non-empty");
    s.push_str(&format!(
        "{} incident{} from {first} to {last}; {} open action{}, {} overdue ([action tracker](actions.md)).\n\n",
        stats.incidents,
        if stats.incidents == 1 { "" } else { "s" },
        stats.open_actions,
        if stats.open_actions == 1 { "" } else { "s" },
        stats.overdue_actions
    ));
    // Incidents per month stacked by severity, months filled in between.
    let mut months = Vec::new();
    let (mut y, mut m) = (
        first.format("%Y").to_string().parse::<i32>().unwrap_or(0),
        first.format("%m").to_string().parse::<u32>().unwrap_or(1),
    );
    let end = last.format("%Y-%m").to_string();
    loop {
        let key = format!("{y:04}-{m:02}");
        months.push(key.clone());
        if key >= end || months.len() > 1200 {
            break;
        }
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    // One pass: (severity, month) → count.
    let month_index: BTreeMap<&str, usize> = months.iter().enumerate().map(|(n, m)| (m.as_str(), n)).collect();
    let mut counts: BTreeMap<&str, Vec<usize>> =
        stats.by_severity.iter().map(|c| (c.key.as_str(), vec![0; months.len()])).collect();
    for i in incidents {
        let sev = i.severity.as_ref().map_or("unset", |s| s.value.as_str());
        if let (Some(row), Some(m)) = (counts.get_mut(sev), month_index.get(i.month().as_str())) {
            row[*m] += 1;
        }
    }
    let series: Vec<(String, Vec<usize>)> =
        stats.by_severity.iter().map(|c| (c.key.clone(), counts.remove(c.key.as_str()).unwrap_or_default())).collect();
    s.push_str(&format!("<div class=\"casebook-chart\">{}</div>\n\n", charts::monthly_stacked(&months, &series)));
    s.push_str("## By severity\n\n| Severity | Incidents |\n|---|---|\n");
    for c in &stats.by_severity {
        s.push_str(&format!("| {} | {} |\n", inline_text(&c.key), c.count));
    }
    s.push_str("\n## By status\n\n| Status | Incidents |\n|---|---|\n");
    for c in &stats.by_status {
        s.push_str(&format!("| {} | {} |\n", c.key, c.count));
    }
    if !stats.by_service.is_empty() {
        s.push_str("\n## By service\n\n| Service | Incidents |\n|---|---|\n");
        let mut svc = stats.by_service.clone();
        svc.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        for c in svc.iter().take(20) {
            s.push_str(&format!(
                "| [{}](by-service.md#{}) | {} |\n",
                inline_text(&c.key),
                anchor(&inline_text(&c.key)),
                c.count
            ));
        }
    }
    s.push_str("\n## Response times\n\nMedian and 90th percentile; time to resolve is measured from impact start (or detection).\n\n| Severity | Detect (median) | Detect (p90) | Mitigate (median) | Mitigate (p90) | Resolve (median) | Resolve (p90) |\n|---|---|---|---|---|---|---|\n");
    for r in &stats.response {
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            inline_text(&r.severity),
            spread_cells(&r.detect),
            spread_cells(&r.mitigate),
            spread_cells(&r.resolve)
        ));
    }
    let sev_names: Vec<String> = stats.by_severity.iter().map(|c| c.key.clone()).collect();
    let mut points: Vec<(String, i64, i64, usize, String)> = incidents
        .iter()
        .filter_map(|i| {
            let r = figures::response_times(i).resolve?;
            let sev = i.severity.as_ref().map_or("unset", |s| s.value.as_str());
            let n = sev_names.iter().position(|k| k == sev).unwrap_or(0);
            Some((
                i.date.to_string(),
                i.date.signed_duration_since(NaiveDate::MIN).num_days(),
                r.secs.max(0),
                n,
                format!("{}: {}", i.id, r.display()),
            ))
        })
        .collect();
    points.sort();
    s.push_str(&format!("\n<div class=\"casebook-chart\">{}</div>\n", charts::resolve_over_time(&points, &sev_names)));
    s.push_str("\n## Most recent\n\n");
    s.push_str(&listing.table(&incidents.iter().take(10).copied().collect::<Vec<_>>()));
    if !stats.recurrences.is_empty() {
        s.push_str("\n## Recurring\n\nThe same service and cause kind more than once:\n\n| Service | Cause kind | Incidents |\n|---|---|---|\n");
        for r in &stats.recurrences {
            s.push_str(&format!(
                "| {} | {} | {} |\n",
                inline_text(&r.service),
                inline_text(&r.cause_kind),
                r.incidents.iter().map(|i| inline_text(i)).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    s
}

/// An open action as the tracker lists it.
struct Tracked<'a> {
    on_time: bool,
    owner: String,
    due: Option<NaiveDate>,
    incident: &'a Incident,
    action: &'a ActionItem,
}

fn action_tracker(incidents: &[&Incident], o: &BookOptions<'_>, listing: &Listing<'_>) -> String {
    let mut rows: Vec<Tracked<'_>> = Vec::new();
    for i in incidents {
        for a in i.actions.iter().filter(|a| a.status.is_pending()) {
            rows.push(Tracked {
                on_time: !a.is_overdue(o.today),
                owner: a.owner.clone().unwrap_or_else(|| "unowned".to_string()),
                due: a.due.map(|d| d.last_day()),
                incident: i,
                action: a,
            });
        }
    }
    // Overdue first, then by owner, due date, incident and id.
    rows.sort_by(|x, y| {
        (x.on_time, &x.owner, x.due.unwrap_or(NaiveDate::MAX), &x.incident.slug, &x.action.id).cmp(&(
            y.on_time,
            &y.owner,
            y.due.unwrap_or(NaiveDate::MAX),
            &y.incident.slug,
            &y.action.id,
        ))
    });
    let mut s = String::from("# Action tracker\n\n");
    let overdue = rows.iter().filter(|r| !r.on_time).count();
    // No date here: the page must not change from one day to the next unless an action falls due.
    s.push_str(&format!(
        "{} open action{}, {overdue} overdue.\n\n",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ));
    let mut by_owner: BTreeMap<&str, Vec<&Tracked<'_>>> = BTreeMap::new();
    for r in &rows {
        by_owner.entry(r.owner.as_str()).or_default().push(r);
    }
    let mut owners: Vec<(&str, Vec<&Tracked<'_>>)> = by_owner.into_iter().collect();
    // Owners with overdue work first.
    owners.sort_by_key(|(name, items)| (items.iter().all(|r| r.on_time), *name));
    for (owner, items) in owners {
        s.push_str(&format!("## {}\n\n| Action | Incident | Due | Status |\n|---|---|---|---|\n", inline_text(owner)));
        for r in items {
            s.push_str(&format!(
                "| {} {} | {} | {} | {}{} |\n",
                inline_text(&r.action.id),
                inline_text(&r.action.title),
                listing.link(r.incident),
                r.action.due.map_or("–".into(), |d| d.to_string()),
                r.action.status,
                if r.on_time { "" } else { " **(overdue)**" }
            ));
        }
        s.push('\n');
    }
    s
}

/// A commit in the index: its link, summary, and the incidents it belongs to.
struct IndexedCommit {
    link: String,
    summary: String,
    incidents: BTreeSet<(String, String)>,
}

fn commit_index(incidents: &[&Incident], o: &BookOptions<'_>, listing: &Listing<'_>) -> String {
    // full id (or as cited) → (link markdown, summary, incidents)
    let mut m: BTreeMap<String, IndexedCommit> = BTreeMap::new();
    for i in incidents {
        for c in i.all_commit_refs() {
            let res = o.git.resolved(&c.key());
            let (key, summary) = match res.map(|r| &r.resolution) {
                Some(Resolution::Found(info)) => (info.id.clone(), inline_text(&info.summary)),
                _ => (c.key().to_string(), String::new()),
            };
            let short: String = key.rsplit('@').next().unwrap_or(&key).chars().take(12).collect();
            let link = crate::markdown::commit_link(&short, res.and_then(|r| r.url.as_deref()));
            let e = m.entry(key).or_insert_with(|| IndexedCommit { link, summary, incidents: BTreeSet::new() });
            e.incidents.insert((i.slug.clone(), listing.link(i).to_string()));
        }
        for mention in o.git.mentions_of(&i.id) {
            let short: String = mention.commit.id.chars().take(12).collect();
            let link = crate::markdown::commit_link(&short, mention.url.as_deref());
            let e = m.entry(mention.commit.id.clone()).or_insert_with(|| IndexedCommit {
                link,
                summary: inline_text(&mention.commit.summary),
                incidents: BTreeSet::new(),
            });
            e.incidents.insert((i.slug.clone(), listing.link(i).to_string()));
        }
    }
    let mut s =
        String::from("# Commit index\n\nEvery commit a record cites or that names an incident in its message.\n\n");
    if m.is_empty() {
        s.push_str("No commits recorded yet.\n");
        return s;
    }
    s.push_str("| Commit | Summary | Incidents |\n|---|---|---|\n");
    for c in m.into_values() {
        let incidents: Vec<String> = c.incidents.into_iter().map(|(_, l)| l).collect();
        s.push_str(&format!("| {} | {} | {} |\n", c.link, c.summary, incidents.join("<br>")));
    }
    s
}

/// One runbook merged across the incidents that contributed to it.
struct MergedRunbook<'a> {
    /// Contributions, newest review (then newest incident) first.
    parts: Vec<(&'a Incident, &'a Runbook)>,
}

fn merge_runbooks<'a>(incidents: &[&'a Incident]) -> BTreeMap<String, MergedRunbook<'a>> {
    let mut m: BTreeMap<String, MergedRunbook<'a>> = BTreeMap::new();
    for i in incidents {
        for rb in &i.runbooks {
            m.entry(rb.id.clone()).or_insert_with(|| MergedRunbook { parts: Vec::new() }).parts.push((i, rb));
        }
    }
    for rb in m.values_mut() {
        rb.parts.sort_by(|a, b| {
            b.1.reviewed.cmp(&a.1.reviewed).then(b.0.date.cmp(&a.0.date)).then(a.0.slug.cmp(&b.0.slug))
        });
    }
    m
}

fn runbook_page(rb: &MergedRunbook<'_>, placement: &Placement<'_>, o: &BookOptions<'_>) -> String {
    let (_, main) = rb.parts[0];
    let mut s = format!("# {}\n\n", inline_text(&main.title));
    let mut meta = vec![format!("Runbook {}", code_span(&main.id))];
    if let Some(owner) = &main.owner {
        meta.push(format!("owner {}", inline_text(owner)));
    }
    if let Some(r) = main.reviewed {
        let due = r + chrono::Days::new(o.config.review_days as u64);
        meta.push(format!("reviewed {r}, next review due {due}"));
    } else {
        meta.push("never reviewed".to_string());
    }
    s.push_str(&format!("{}\n\n", meta.join(" · ")));
    let symptoms: BTreeSet<&String> = rb.parts.iter().flat_map(|(_, r)| &r.symptoms).collect();
    if !symptoms.is_empty() {
        s.push_str("## Symptoms\n\n");
        for sym in symptoms {
            s.push_str(&format!("- {}\n", code_span(sym)));
        }
        s.push('\n');
    }
    let services: BTreeSet<&String> = rb.parts.iter().flat_map(|(_, r)| &r.services).collect();
    if !services.is_empty() {
        s.push_str(&format!(
            "**Services:** {}\n\n",
            services.iter().map(|x| inline_text(x)).collect::<Vec<_>>().join(", ")
        ));
    }
    let t = |x: &str| inline_text(x);
    let steps = |r: &Runbook| {
        let mut s = String::new();
        for (n, step) in r.steps.iter().enumerate() {
            // The body and command sit under the number: `1. ` is 3 wide, `10. ` is 4.
            let pad = " ".repeat((n + 1).to_string().len() + 2);
            s.push_str(&format!("{}. **{}**\n", n + 1, step.title.as_deref().map_or(format!("Step {}", n + 1), t)));
            if let Some(b) = &step.body {
                s.push_str(&format!(
                    "\n{pad}{}\n",
                    crate::markdown::safe_markdown(b).trim().replace('\n', &format!("\n{pad}"))
                ));
            }
            if let Some(c) = &step.command {
                s.push_str(&format!(
                    "\n{pad}{}\n",
                    crate::markdown::code_block(c, "sh").replace('\n', &format!("\n{pad}"))
                ));
            }
            s.push('\n');
        }
        s
    };
    s.push_str("## Steps\n\n");
    s.push_str(&steps(main));
    let verify: BTreeSet<&String> = rb.parts.iter().flat_map(|(_, r)| &r.verify).collect();
    if !verify.is_empty() {
        s.push_str("## Verify\n\n");
        for v in verify {
            s.push_str(&format!("- {}\n", inline_text(v)));
        }
        s.push('\n');
    }
    for (inc, other) in rb.parts.iter().skip(1) {
        if other.steps != main.steps && !other.steps.is_empty() {
            s.push_str(&format!("## Steps as recorded in {}\n\n{}", inline_text(&inc.id), steps(other)));
        }
    }
    s.push_str("## Seen in\n\n");
    let mut seen: Vec<&Incident> = rb.parts.iter().map(|(i, _)| *i).collect();
    for i in placement.by_slug.values() {
        if i.runbook_refs.iter().any(|r| r.value == main.id) && !seen.iter().any(|x| x.slug == i.slug) {
            seen.push(i);
        }
    }
    seen.sort_by(|a, b| b.date.cmp(&a.date).then(a.slug.cmp(&b.slug)));
    for i in seen {
        s.push_str(&format!("- {} {}\n", i.date, link_to(i, &format!("../{}", placement.target(i)))));
    }
    s
}

fn runbook_list(runbooks: &BTreeMap<String, MergedRunbook<'_>>) -> String {
    let mut s = String::from(
        "# Runbooks\n\nWhat to do when it happens again. Search for an error message, or use the [symptom index](../symptoms.md).\n\n",
    );
    if runbooks.is_empty() {
        s.push_str("No runbooks recorded yet.\n");
        return s;
    }
    s.push_str("| Runbook | Owner | Reviewed | Seen in |\n|---|---|---|---|\n");
    for (id, rb) in runbooks {
        let (_, main) = rb.parts[0];
        s.push_str(&format!(
            "| [{}]({}) | {} | {} | {} |\n",
            inline_text(&main.title),
            runbook_file(id),
            main.owner.as_deref().map_or("–".to_string(), inline_text),
            main.reviewed.map_or("never".to_string(), |d| d.to_string()),
            rb.parts.len()
        ));
    }
    s
}

fn symptom_index(runbooks: &BTreeMap<String, MergedRunbook<'_>>) -> String {
    let mut s =
        String::from("# Symptom index\n\nError messages and signs, each pointing at the runbook that handles it.\n\n");
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for (id, rb) in runbooks {
        let (_, main) = rb.parts[0];
        let symptoms: BTreeSet<&String> = rb.parts.iter().flat_map(|(_, r)| &r.symptoms).collect();
        for sym in symptoms {
            rows.push((
                sym.to_lowercase(),
                code_span(sym),
                format!("[{}](runbooks/{})", inline_text(&main.title), runbook_file(id)),
            ));
        }
    }
    if rows.is_empty() {
        s.push_str("No symptoms recorded yet.\n");
        return s;
    }
    rows.sort();
    s.push_str("| Symptom | Runbook |\n|---|---|\n");
    for (_, sym, link) in rows {
        s.push_str(&format!("| {} | {link} |\n", sym.replace('|', "\\|")));
    }
    s
}

fn summary(units: &[Unit<'_>], runbooks: &BTreeMap<String, MergedRunbook<'_>>) -> String {
    let mut s = String::from("# Summary\n\n[Overview](index.md)\n\n# Indexes\n\n");
    for (title, file) in [
        ("By month", "by-month.md"),
        ("By service", "by-service.md"),
        ("By severity", "by-severity.md"),
        ("By cause kind", "by-cause.md"),
        ("By tag", "by-tag.md"),
        ("Action tracker", "actions.md"),
        ("Commit index", "commits.md"),
    ] {
        s.push_str(&format!("- [{title}]({file})\n"));
    }
    s.push_str("\n# Runbooks\n\n- [All runbooks](runbooks/index.md)\n");
    for (id, rb) in runbooks {
        s.push_str(&format!("  - [{}](runbooks/{})\n", inline_text(&rb.parts[0].1.title), runbook_file(id)));
    }
    s.push_str("- [Symptom index](symptoms.md)\n\n# Incidents\n\n");
    for u in units {
        if let Unit::Page(i) = u {
            s.push_str(&format!("- [{} {}](incidents/{}.md)\n", i.date, inline_text(&i.title), i.slug));
        }
    }
    if units.iter().any(|u| matches!(u, Unit::Month(..))) {
        s.push_str("\n# Archive\n\n");
        for u in units {
            if let Unit::Month(month, members) = u {
                let n = members.len();
                s.push_str(&format!(
                    "- [{month} ({n} incident{})](archive/{month}.md)\n",
                    if n == 1 { "" } else { "s" }
                ));
            }
        }
    }
    s
}

/// Where the last build's input fingerprint is kept: local state, outside the book
/// (which must be the same bytes on every machine), in the user's cache folder.
fn fingerprint_file(dir: &Path) -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let name = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(key.as_os_str().as_encoded_bytes()));
    Some(cache.join("casebook").join("builds").join(name))
}

/// The input fingerprint recorded by the last build of `dir`, if any.
pub fn recorded_fingerprint(dir: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(fingerprint_file(dir)?).ok()?;
    u64::from_str_radix(text.trim(), 16).ok()
}

/// True when `dir` has a manifest, i.e. was built before.
pub fn has_manifest(dir: &Path) -> bool {
    dir.join(MANIFEST).is_file()
}

/// True when every file the manifest lists is on disk and the last build finished.
pub fn all_present(dir: &Path) -> bool {
    let files = read_manifest(dir);
    !writer::was_interrupted(dir) && !files.is_empty() && files.iter().all(|e| dir.join(&e.path).is_file())
}

/// Records `fingerprint` as the inputs of the book now in `dir`. Best effort: without
/// a cache folder the next build simply does the full comparison.
pub fn record_fingerprint(dir: &Path, fingerprint: u64) {
    if let Some(file) = fingerprint_file(dir) {
        let _ = crate::fsutil::write_atomic(&file, format!("{fingerprint:016x}\n").as_bytes());
    }
}

/// Forgets the recorded fingerprint of `dir`: a build is about to change the book,
/// and only a build that finishes may vouch for it again.
pub fn forget_fingerprint(dir: &Path) {
    if let Some(file) = fingerprint_file(dir) {
        let _ = std::fs::remove_file(file);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_anchors_are_safe_html_ids() {
        assert_eq!(archive_anchor("2025-03-01-db-down"), "2025-03-01-db-down");
        assert_eq!(archive_anchor("a \"b\"<c>"), "a--b--c-");
        assert_eq!(archive_anchor("v1.2_x"), "v1.2_x");
    }
}
