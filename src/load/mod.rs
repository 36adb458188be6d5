//! Loading records: finding the files, reading them safely, turning TOML errors into
//! diagnostics, and lowering the raw file format into the typed model.

mod lower;
mod raw;
mod recover;

pub use lower::{Origin, lower};
pub use raw::*;

use crate::config::Config;
use crate::diag::{Code, Diagnostic, Source, Sources};
use crate::model::{Incident, Span};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A loaded record and where it came from.
#[derive(Debug, Clone)]
pub struct Record {
    pub path: PathBuf,
    pub incident: Incident,
}

/// Everything `check`, `render` and `build` start from.
pub struct Casebook {
    pub config: Config,
    pub records: Vec<Record>,
    pub sources: Sources,
    /// Problems found while loading (checks add theirs later).
    pub diagnostics: Vec<Diagnostic>,
    /// Record files that exist but did not load; their slugs still count as taken.
    pub failed: Vec<PathBuf>,
    /// What [`TextScan`] found while loading, when loading was asked to scan; the
    /// checks take these instead of scanning the texts again.
    pub scanned: Option<Vec<Diagnostic>>,
}

/// A look at each record's text while it is in memory, for loading that does not
/// keep the texts: `build` scans them for secrets and lets them go at once.
pub type TextScan<'a> = &'a (dyn Fn(&Path, &str) -> Vec<Diagnostic> + Sync);

impl Casebook {
    /// Loads the config at `root` and the records under `paths` (default: the
    /// configured incidents folder). Records that fail to load are left out and
    /// explained in `diagnostics`.
    pub fn load(root: &Path, paths: &[PathBuf]) -> Casebook {
        Casebook::load_with(root, paths, None)
    }

    /// [`Casebook::load`]; with `scan`, each record's text goes through `scan` and is
    /// then let go, unless the file had load problems (a diagnostic shows its text).
    /// Every file's hash is kept. A build holds every record at once, and their texts
    /// were a fifth of its memory; freed on the thread that read them, their memory
    /// goes to the next file.
    pub fn load_with(root: &Path, paths: &[PathBuf], scan: Option<TextScan<'_>>) -> Casebook {
        let (config, config_text, mut diagnostics) = Config::load(root);
        let mut sources = Sources::default();
        if let (Some(file), Some(text)) = (&config.file, config_text) {
            sources.insert(file.clone(), text);
        }
        let roots: Vec<PathBuf> = if paths.is_empty() { vec![config.incidents_dir.clone()] } else { paths.to_vec() };
        let (files, found_diags) = discover(&roots, root);
        let default_repository = config.default_repository();
        diagnostics.extend(found_diags);
        type Outcome = (PathBuf, Option<Source>, Option<Incident>, Vec<Diagnostic>, Vec<Diagnostic>);
        let outcomes: Vec<Outcome> = files
            .par_iter()
            .map(|path| {
                let (text, incident, diags) = load_file(path, default_repository);
                let mut found = Vec::new();
                let source = text.map(|text| {
                    let Some(scan) = scan else { return Source::new(text) };
                    found = scan(path, &text);
                    if diags.is_empty() { Source::hash_only(&text) } else { Source::new(text) }
                });
                (path.clone(), source, incident, diags, found)
            })
            .collect();
        let mut records = Vec::with_capacity(outcomes.len());
        let mut failed = Vec::new();
        let mut scanned = scan.map(|_| Vec::new());
        for (path, source, incident, diags, found) in outcomes {
            if let Some(source) = source {
                sources.insert_source(path.clone(), source);
            }
            diagnostics.extend(diags);
            if let Some(all) = &mut scanned {
                all.extend(found);
            }
            match incident {
                Some(incident) => records.push(Record { path, incident }),
                None => failed.push(path),
            }
        }
        Casebook { config, records, sources, diagnostics, failed, scanned }
    }

    /// Loads records only (no config), e.g. files outside the incidents folder.
    pub fn load_records(paths: &[PathBuf]) -> Casebook {
        Casebook::load_records_with(paths, None)
    }

    /// [`Casebook::load_records`], scanning as [`Casebook::load_with`] does.
    pub fn load_records_with(paths: &[PathBuf], scan: Option<TextScan<'_>>) -> Casebook {
        let mut book = Casebook::load_with(Path::new("/nonexistent-casebook-root"), paths, scan);
        book.config = Config::defaults(Path::new("."));
        book
    }

    /// Adds another casebook's records, sources and diagnostics.
    pub fn absorb(&mut self, other: Casebook) {
        self.sources.merge(other.sources);
        // Both were loaded the same way, or the checks would miss some texts.
        debug_assert_eq!(self.scanned.is_some(), other.scanned.is_some());
        if let (Some(mine), Some(theirs)) = (&mut self.scanned, other.scanned) {
            mine.extend(theirs);
        }
        self.records.extend(other.records);
        self.failed.extend(other.failed);
        self.diagnostics.extend(other.diagnostics);
        self.records.sort_by(|a, b| a.path.cmp(&b.path));
    }

    pub fn find(&self, key: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.incident.slug == key || r.incident.id == key)
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// The largest record casebook reads (a postmortem is a few dozen kilobytes; this
/// only keeps a runaway file from exhausting memory).
pub const MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;

/// Every `*.toml` file under `roots`, sorted, following symlinks; loops,
/// unreadable entries, directories named `*.toml`, files that are not regular files
/// (a FIFO would block the read forever), files over [`MAX_RECORD_BYTES`], and links
/// that lead outside `boundary` (a link in a pull request must not read the build
/// machine's files) become diagnostics. A root outside `boundary` (a path given on
/// the command line) is its own boundary.
pub fn discover(roots: &[PathBuf], boundary: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let canonical_boundary = std::fs::canonicalize(boundary).unwrap_or_else(|_| boundary.to_path_buf());
    // Paths in messages as cargo shows them: relative to the project.
    let shown = |p: &Path| p.strip_prefix(boundary).unwrap_or(p).display().to_string();
    for root in roots {
        if !root.exists() && std::fs::symlink_metadata(root).is_err() {
            diags.push(
                Diagnostic::new(Code::Unreadable, format!("{} does not exist", shown(root)))
                    .in_file(root)
                    .hint("run `casebook init` to create incidents/, or pass the folder that holds your records"),
            );
            continue;
        }
        let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        let limit = if canonical_root.starts_with(&canonical_boundary) { &canonical_boundary } else { &canonical_root };
        let mut walk = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter();
        while let Some(entry) = walk.next() {
            let e = match entry {
                Ok(e) => e,
                Err(err) => {
                    diags.push(walk_error(&err, root, &shown));
                    continue;
                }
            };
            if e.path_is_symlink() {
                let target = std::fs::canonicalize(e.path()).unwrap_or_else(|_| e.path().to_path_buf());
                if !target.starts_with(limit) {
                    diags.push(
                        Diagnostic::new(
                            Code::Unreadable,
                            format!("{} is a link to {}, outside the project", shown(e.path()), target.display()),
                        )
                        .in_file(e.path())
                        .hint("casebook reads records only inside the project; copy the file in instead of linking it"),
                    );
                    if e.file_type().is_dir() {
                        walk.skip_current_dir();
                    }
                    continue;
                }
            }
            // A file named on the command line is read whatever its name.
            let is_toml =
                e.path().extension().is_some_and(|x| x == "toml") || (e.depth() == 0 && !e.file_type().is_dir());
            if !is_toml {
                continue;
            }
            let ft = e.file_type();
            if ft.is_dir() {
                diags.push(
                    Diagnostic::new(Code::Unreadable, format!("{} is a directory, not a record", shown(e.path())))
                        .in_file(e.path())
                        .hint("records are files; rename the directory so that its name does not end in .toml"),
                );
            } else if !ft.is_file() {
                diags.push(
                    Diagnostic::new(
                        Code::Unreadable,
                        format!("{} is not a regular file (a pipe, socket or device)", shown(e.path())),
                    )
                    .in_file(e.path())
                    .hint("records are plain files; remove it or rename it so that its name does not end in .toml"),
                );
            } else if e.metadata().is_ok_and(|m| m.len() > MAX_RECORD_BYTES) {
                diags.push(
                    Diagnostic::new(
                        Code::Unreadable,
                        format!("{} is larger than {} MiB", shown(e.path()), MAX_RECORD_BYTES / 1024 / 1024),
                    )
                    .in_file(e.path())
                    .hint("a record is one incident in TOML; keep logs and data in linked files"),
                );
            } else {
                files.push(e.into_path());
            }
        }
    }
    files.sort();
    files.dedup();
    (files, diags)
}

fn walk_error(err: &walkdir::Error, root: &Path, shown: &dyn Fn(&Path) -> String) -> Diagnostic {
    let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
    let (message, hint) = if let Some(ancestor) = err.loop_ancestor() {
        (
            format!("symlink loop: {} points back to {}", shown(&path), shown(ancestor)),
            "remove or fix the link; casebook follows links under incidents/",
        )
    } else {
        (format!("cannot read {}: {}", shown(&path), io_reason(err.io_error())), "check the path and its permissions")
    };
    Diagnostic::new(Code::Unreadable, message).in_file(&path).hint(hint)
}

fn io_reason(e: Option<&std::io::Error>) -> String {
    match e {
        Some(e) => match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            std::io::ErrorKind::NotFound => "no such file (a broken symlink?)".to_string(),
            _ => e.to_string(),
        },
        None => "unknown error".to_string(),
    }
}

/// The source text (when readable), the incident (when it loaded) and the problems found.
pub type FileOutcome = (Option<String>, Option<Incident>, Vec<Diagnostic>);

/// Reads and lowers one record. Returns the text (when it is UTF-8) for diagnostics.
/// `default_repository` is the configured default repository's name, if any.
pub fn load_file(path: &Path, default_repository: Option<&str>) -> FileOutcome {
    // A FIFO named *.toml would block the read forever; a device would never end.
    if let Ok(meta) = std::fs::metadata(path)
        && (!meta.is_file() || meta.len() > MAX_RECORD_BYTES)
    {
        let d = Diagnostic::new(Code::Unreadable, "this is not a regular file of at most 64 MiB")
            .in_file(path)
            .hint("records are plain files");
        return (None, None, vec![d]);
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let d = Diagnostic::new(Code::Unreadable, format!("cannot read the file: {}", io_reason(Some(&e))))
                .in_file(path)
                .hint(if e.kind() == std::io::ErrorKind::PermissionDenied {
                    "give yourself read permission: chmod u+r FILE"
                } else {
                    "check that the path is a readable file"
                });
            return (None, None, vec![d]);
        }
    };
    let slug = slug_of(path);
    let (text, incident, mut diags) = match parse_record(&slug, bytes, path, default_repository) {
        Ok((text, incident, diags)) => (Some(text), incident, diags),
        Err((text, diags)) => (text, None, diags),
    };
    if let Some(problem) = crate::redact::names::slug_problem(&slug) {
        diags.insert(
            0,
            Diagnostic::new(Code::UnsafeName, format!("the file name cannot name a page: {problem}"))
                .in_file(path)
                .hint(format!(
                    "rename the file to letters, digits and - _ . only, e.g. {}.toml",
                    crate::redact::names::slugify(&slug)
                )),
        );
    }
    (text, incident, diags)
}

/// The slug: the file name without `.toml`.
pub fn slug_of(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

type Parsed = (String, Option<Incident>, Vec<Diagnostic>);

/// Parses a record from bytes: encoding checks, TOML, lowering.
///
/// Takes the bytes by value: a valid file becomes its text without a copy.
pub fn parse_record(
    slug: &str,
    bytes: Vec<u8>,
    path: &Path,
    default_repository: Option<&str>,
) -> Result<Parsed, (Option<String>, Vec<Diagnostic>)> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let d = Diagnostic::new(Code::ByteOrderMark, "the file starts with a UTF-8 byte-order mark")
            .at(path, Span { start: 0, end: 3 })
            .label("byte-order mark")
            .hint("save the file as UTF-8 without BOM, or run: sed -i '1s/^\\xEF\\xBB\\xBF//' FILE");
        return Err((Some(text), vec![d]));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            // Offsets in the lossy text match up to the first bad byte.
            let d = Diagnostic::new(Code::InvalidUtf8, format!("byte 0x{:02X} is not valid UTF-8", bytes[at]))
                .at(path, Span { start: at, end: at + 1 })
                .label("not UTF-8")
                .hint("re-save the file as UTF-8 (e.g. iconv -f WINDOWS-1252 -t UTF-8)");
            return Err((Some(lossy), vec![d]));
        }
    };
    if text.trim().is_empty() {
        let d = Diagnostic::new(Code::EmptyFile, "the record is empty")
            .in_file(path)
            .hint("start from `casebook new \"Title\"`, or delete the file");
        return Err((Some(text), vec![d]));
    }
    let raw: RawIncident = match recover::deserialize(path, &text, &record_keys()) {
        Ok(raw) => raw,
        Err(recover::Problems { mut diags, rest }) => {
            // What is left without the bad keys still gets its own checks (a bad
            // duration, an unknown word), so one run shows them all; the record
            // itself does not load.
            if let Some(rest) = rest {
                let origin = Origin { path, text: &text, default_repository };
                let (_, more) = lower(slug, *rest, origin);
                // A required key that was there, with a problem of its own, is not missing.
                let written = text.parse::<toml::Table>().unwrap_or_default();
                let was_written = |d: &Diagnostic| {
                    d.code == Code::MissingKey
                        && d.message.split('"').nth(1).is_some_and(|key| written.contains_key(key))
                };
                diags.extend(more.into_iter().filter(|d| !was_written(d)));
            }
            return Err((Some(text), diags));
        }
    };
    let (incident, diags) = lower(slug, raw, Origin { path, text: &text, default_repository });
    Ok((text, incident, diags))
}

/// Every key name of the record format, for suggestions.
pub fn record_keys() -> Vec<&'static str> {
    crate::diag::toml::schema_keys(schemars::schema_for!(RawIncident).as_value())
}
