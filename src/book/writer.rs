//! The book's transactional writer: every generated file is written whole (a
//! temporary file, then a link or rename into place), only files casebook wrote are
//! ever replaced or removed, and a build that fails, panics or is killed never costs
//! a user's file.
//!
//! Ownership is proved by content, not by name. The manifest lists each file casebook
//! wrote with the hash of what it wrote; a file at that path with other bytes (a
//! user's file, one edited since) is not casebook's to replace or remove. Before each
//! write, the path and the hash of the bytes about to be written go into a journal,
//! so that after a `kill -9` the next build knows which files the killed build wrote,
//! and with which bytes, and finishes the job (or reports the conflict) instead of
//! guessing. Temporary files live in a folder of casebook's own inside the book, which
//! each build empties first.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// The manifest of generated files, inside the book folder.
pub const MANIFEST: &str = ".casebook-manifest";
/// What a build is about to write, kept until it finishes.
pub const JOURNAL: &str = ".casebook-journal";
/// casebook's own folder for files being written.
pub const TEMP_DIR: &str = ".casebook-tmp";
/// The first line of a manifest that records content hashes.
const MANIFEST_HEADER: &str = "# casebook manifest 2: files written by casebook build (path, content hash, input hash); it replaces and removes only these, and only while their content is what it wrote.";

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{} {why}; move or delete it, or choose another book folder", .path.display())]
    Conflict { path: PathBuf, why: &'static str },
    #[error("{} is a link: casebook writes only into real folders inside the book", .0.display())]
    LinkedFolder(PathBuf),
    #[error("internal error: casebook was about to write the unsafe path {0:?}")]
    UnsafePath(PathBuf),
}

/// What a build does with what it produces: compare it with the disk only
/// (`--check`), or also write what differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Check,
    Write,
}

/// The hash of a file's content as ownership is judged: line endings normalised,
/// so that a checkout that converts them does not make casebook's files look foreign.
pub fn content_hash(bytes: &[u8]) -> u64 {
    if !bytes.contains(&b'\r') {
        return xxhash_rust::xxh3::xxh3_64(bytes);
    }
    let mut normal = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        normal.push(bytes[i]);
        i += 1;
    }
    xxhash_rust::xxh3::xxh3_64(&normal)
}

/// One manifest line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: PathBuf,
    /// The hash of the content written; `None` in a manifest from before hashes
    /// were recorded (trusted as casebook's).
    pub content: Option<u64>,
    /// The hash of what an incident page was made from, to reuse it when unchanged.
    pub input: Option<u64>,
}

/// A path casebook may write in the book: relative, plain components, under `src/`,
/// a page or a stylesheet; or casebook's own stylesheet and script beside book.toml. A manifest arrives in pull requests like anything else:
/// nothing it says can point casebook at another file.
pub fn is_generated_path(p: &Path) -> bool {
    let plain = p.components().all(|c| matches!(c, Component::Normal(_)));
    let under_src = p.components().next() == Some(Component::Normal("src".as_ref()));
    let ext = p.extension().and_then(|e| e.to_str());
    let clean = p.to_str().is_some_and(|s| !s.chars().any(|c| c.is_control()));
    let asset = matches!(p.to_str(), Some("casebook.css" | "casebook.js"));
    asset || (plain && under_src && clean && matches!(ext, Some("md" | "css")))
}

/// The manifest of `dir`: every generated file with its hashes. Lines that do not
/// name a path casebook could have written are ignored.
pub fn read_manifest(dir: &Path) -> Vec<Entry> {
    let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) else {
        return Vec::new();
    };
    let hashed = text.lines().next() == Some(MANIFEST_HEADER);
    let hex = |s: &str| u64::from_str_radix(s, 16).ok();
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let path = PathBuf::from(cols.next()?);
            let entry = if hashed {
                let content = Some(hex(cols.next()?)?);
                Entry { path, content, input: cols.next().and_then(hex) }
            } else {
                Entry { path, content: None, input: cols.next().and_then(hex) }
            };
            is_generated_path(&entry.path).then_some(entry)
        })
        .collect()
}

fn manifest_text(entries: &[Entry]) -> String {
    use std::fmt::Write;
    let mut s = format!("{MANIFEST_HEADER}\n");
    for e in entries {
        let _ = write!(s, "{}\t{:016x}", e.path.display(), e.content.unwrap_or_default());
        if let Some(h) = e.input {
            let _ = write!(s, "\t{h:016x}");
        }
        s.push('\n');
    }
    s
}

/// The journal a killed build left: the files it may have written, with the hashes
/// of the bytes it wrote.
fn read_journal(dir: &Path) -> Option<Vec<(PathBuf, u64)>> {
    let text = std::fs::read_to_string(dir.join(JOURNAL)).ok()?;
    Some(
        text.lines()
            .filter_map(|l| {
                let (p, h) = l.split_once('\t')?;
                let path = PathBuf::from(p);
                Some((path, u64::from_str_radix(h, 16).ok()?))
            })
            .filter(|(p, _)| is_generated_path(p) || p.as_os_str() == "book.toml")
            .collect(),
    )
}

/// True when the last build of `dir` did not finish (its journal is still there).
pub fn was_interrupted(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(JOURNAL)).is_ok()
}

/// Which files are casebook's, and with which contents.
#[derive(Debug, Default)]
struct Ownership {
    /// Each path casebook wrote, with the hashes of every content it wrote there
    /// (`None`: an old manifest, trusted).
    files: HashMap<PathBuf, Vec<Option<u64>>>,
}

impl Ownership {
    fn owns(&self, rel: &Path, content: &[u8]) -> bool {
        let Some(hashes) = self.files.get(rel) else { return false };
        let h = content_hash(content);
        hashes.iter().any(|k| k.is_none_or(|k| k == h))
    }
}

/// What a build did to the book folder (or, with `--check`, would do).
#[derive(Debug, Default)]
pub struct Plan {
    pub create: Vec<PathBuf>,
    pub update: Vec<PathBuf>,
    pub remove: Vec<PathBuf>,
    /// Files the last build wrote that this one would have removed, kept because
    /// they changed since (someone's edits).
    pub kept: Vec<PathBuf>,
    pub unchanged: usize,
    /// With `--check`: new contents of created and changed files, for diffs.
    contents: BTreeMap<PathBuf, Vec<u8>>,
    /// With `--check`: old contents of changed and removed files, for diffs.
    old: BTreeMap<PathBuf, Vec<u8>>,
    pub(crate) manifest_changed: bool,
    pub(crate) generated: usize,
    pub(crate) created_book_toml: bool,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.create.is_empty() && self.update.is_empty() && self.remove.is_empty() && !self.manifest_changed
    }

    /// Files created, updated or removed.
    pub fn changed_files(&self) -> usize {
        self.create.len() + self.update.len() + self.remove.len()
    }

    /// The files casebook generates in the book (book.toml, the user's, aside).
    pub fn files(&self) -> usize {
        self.generated
    }

    /// Whether the build created book.toml (written once, then the user's).
    pub fn created_book_toml(&self) -> bool {
        self.created_book_toml
    }

    /// Generated files created or updated (book.toml aside).
    pub fn written(&self) -> usize {
        self.create.len() + self.update.len() - usize::from(self.created_book_toml)
    }

    /// A unified diff of every change, for `build --check`.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        let text = |b: Option<&Vec<u8>>| b.map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
        let mut all: Vec<&PathBuf> = self.create.iter().chain(&self.update).chain(&self.remove).collect();
        all.sort();
        for p in all {
            let old = text(self.old.get(p));
            let new = text(self.contents.get(p));
            let a = if self.create.contains(p) { "/dev/null".to_string() } else { format!("a/{}", p.display()) };
            let b = if self.remove.contains(p) { "/dev/null".to_string() } else { format!("b/{}", p.display()) };
            let diff = similar::TextDiff::from_lines(&old, &new);
            out.push_str(&diff.unified_diff().context_radius(3).header(&a, &b).to_string());
        }
        out
    }
}

#[derive(Default)]
struct State {
    plan: Plan,
    /// Each file this build wrote or removed, with its bytes before (None: it did not exist).
    undo: Vec<(PathBuf, Option<Vec<u8>>)>,
    /// Folders this build created, outermost first.
    folders: Vec<PathBuf>,
    /// Folders known to be real folders (not links) inside the book.
    checked: HashSet<PathBuf>,
    /// The journal, open once the first change is about to be made.
    journal: Option<std::fs::File>,
    /// The content hash of every file this build produced or left as it was.
    hashes: HashMap<PathBuf, u64>,
}

/// Writes (or, in `Mode::Check`, compares) the files of one build.
pub struct Writer<'a> {
    dir: &'a Path,
    mode: Mode,
    /// The manifest the last finished build left, by path.
    previous: HashMap<PathBuf, Entry>,
    owned: Ownership,
    /// A leftover journal: the last build was cut short.
    interrupted: bool,
    state: Mutex<State>,
    temp_counter: AtomicU64,
}

impl<'a> Writer<'a> {
    /// A writer for the book in `dir`. In `Mode::Write`, what a killed build left in
    /// casebook's temporary folder is removed first.
    pub fn new(dir: &'a Path, mode: Mode) -> Writer<'a> {
        let previous = read_manifest(dir);
        let mut owned = Ownership::default();
        for e in &previous {
            owned.files.entry(e.path.clone()).or_default().push(e.content);
        }
        let journal = read_journal(dir);
        let interrupted = journal.is_some() || was_interrupted(dir);
        for (path, hash) in journal.into_iter().flatten() {
            owned.files.entry(path).or_default().push(Some(hash));
        }
        if mode == Mode::Write {
            clean_temp_dir(dir);
        }
        Writer {
            dir,
            mode,
            previous: previous.into_iter().map(|e| (e.path.clone(), e)).collect(),
            owned,
            interrupted,
            state: Mutex::new(State::default()),
            temp_counter: AtomicU64::new(0),
        }
    }

    /// The last finished build's manifest entry for `rel`.
    pub fn previous_entry(&self, rel: &Path) -> Option<&Entry> {
        self.previous.get(rel)
    }

    /// True when the last build did not finish: its pages cannot be trusted to match
    /// the manifest's input hashes.
    pub fn interrupted(&self) -> bool {
        self.interrupted
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A page left on disk as it was (reused without rendering): it is casebook's
    /// with the content hash the manifest gives.
    pub fn reused(&self, rel: &Path, content: u64) {
        let mut st = self.state();
        st.plan.unchanged += 1;
        st.hashes.insert(rel.to_path_buf(), content);
    }

    /// Before the first change: the journal is opened, and the recorded input
    /// fingerprint is forgotten, so that nothing vouches for a book this build might
    /// leave half-written.
    fn before_change(&self, st: &mut State) -> Result<(), WriteError> {
        if st.journal.is_some() {
            return Ok(());
        }
        super::forget_fingerprint(self.dir);
        // The book folder itself, and each missing folder on the way, outermost first,
        // so that undo removes them all.
        let mut missing = Vec::new();
        let mut f = Some(self.dir.to_path_buf());
        while let Some(p) = f.filter(|p| std::fs::symlink_metadata(p).is_err()) {
            f = p.parent().map(Path::to_path_buf);
            missing.push(p);
        }
        for p in missing.into_iter().rev() {
            std::fs::create_dir(&p).map_err(|source| WriteError::Write { path: p.clone(), source })?;
            st.folders.push(p);
        }
        let path = self.dir.join(JOURNAL);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|source| WriteError::Write { path, source })?;
        st.journal = Some(file);
        Ok(())
    }

    /// Notes in the journal that `rel` is about to get content with hash `hash`.
    fn journal(&self, st: &mut State, rel: &Path, hash: u64) -> Result<(), WriteError> {
        self.before_change(st)?;
        let line = format!("{}\t{hash:016x}\n", rel.display());
        if let Some(f) = &mut st.journal {
            f.write_all(line.as_bytes())
                .map_err(|source| WriteError::Write { path: self.dir.join(JOURNAL), source })?;
        }
        Ok(())
    }

    /// Makes sure the folders of `rel` are real folders inside the book (creating the
    /// missing ones): a link committed at `book/src` must not lead the build elsewhere.
    fn folders(&self, st: &mut State, rel: &Path) -> Result<(), WriteError> {
        let Some(parent) = rel.parent() else { return Ok(()) };
        let mut at = PathBuf::new();
        for c in parent.components() {
            at.push(c);
            if st.checked.contains(&at) {
                continue;
            }
            let full = self.dir.join(&at);
            match std::fs::symlink_metadata(&full) {
                Ok(m) if m.is_dir() => {}
                Ok(m) if m.file_type().is_symlink() => return Err(WriteError::LinkedFolder(full)),
                Ok(_) => {
                    return Err(WriteError::Conflict { path: full, why: "is a file where casebook needs a folder" });
                }
                Err(_) if self.mode == Mode::Check => {}
                Err(_) => {
                    self.before_change(st)?;
                    std::fs::create_dir(&full).map_err(|source| WriteError::Write { path: full.clone(), source })?;
                    st.folders.push(full);
                }
            }
            st.checked.insert(at.clone());
        }
        Ok(())
    }

    fn temp_file(&self, bytes: &[u8]) -> Result<PathBuf, WriteError> {
        temp_file(self.dir, &self.temp_counter, bytes)
    }

    /// Every generated file casebook may own: the last manifest's, and those a killed
    /// build wrote. What this build does not produce of these is removed.
    pub fn owned_paths(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = self.owned.files.keys().filter(|p| is_generated_path(p)).cloned().collect();
        v.sort();
        v
    }

    /// One generated file: unchanged, or created or replaced (written now in
    /// `Mode::Write`). Only a file casebook wrote, still with the content it wrote,
    /// is replaced; anything else at that path is a conflict.
    pub fn put(&self, rel: &Path, bytes: Vec<u8>) -> Result<(), WriteError> {
        if !(is_generated_path(rel) || rel.as_os_str() == "book.toml") {
            return Err(WriteError::UnsafePath(rel.to_path_buf()));
        }
        let path = self.dir.join(rel);
        {
            let mut st = self.state();
            self.folders(&mut st, rel)?;
        }
        let old = match std::fs::symlink_metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(WriteError::Read { path, source }),
            Ok(m) if m.file_type().is_symlink() => {
                return Err(WriteError::Conflict { path, why: "is a link that casebook did not make" });
            }
            Ok(m) if !m.is_file() => {
                return Err(WriteError::Conflict { path, why: "is not a file casebook wrote" });
            }
            Ok(_) => Some(std::fs::read(&path).map_err(|source| WriteError::Read { path: path.clone(), source })?),
        };
        let hash = content_hash(&bytes);
        if old.as_deref() == Some(bytes.as_slice()) {
            let mut st = self.state();
            st.plan.unchanged += 1;
            st.hashes.insert(rel.to_path_buf(), hash);
            return Ok(());
        }
        // `--check` shows a listed file edited since as a change (the book is stale);
        // only a build refuses to replace it.
        let listed = self.owned.files.contains_key(rel);
        if let Some(old) = &old
            && !self.owned.owns(rel, old)
            && !(self.mode == Mode::Check && listed)
        {
            let why = if listed { "changed since casebook wrote it" } else { "exists and was not written by casebook" };
            return Err(WriteError::Conflict { path, why });
        }
        if self.mode == Mode::Write {
            {
                let mut st = self.state();
                self.journal(&mut st, rel, hash)?;
            }
            let tmp = self.temp_file(&bytes)?;
            let placed = match &old {
                // No-replace: a file that appeared meanwhile is not overwritten.
                None => match std::fs::hard_link(&tmp, &path) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        let _ = std::fs::remove_file(&tmp);
                        return Err(WriteError::Conflict { path, why: "appeared while casebook was writing" });
                    }
                    // A file system without hard links: create it in place.
                    Err(_) => std::fs::File::create_new(&path).and_then(|mut f| f.write_all(&bytes)),
                },
                Some(_) => std::fs::rename(&tmp, &path),
            };
            let _ = std::fs::remove_file(&tmp);
            placed.map_err(|source| WriteError::Write { path: path.clone(), source })?;
        }
        let mut st = self.state();
        let st = &mut *st;
        st.hashes.insert(rel.to_path_buf(), hash);
        if rel.as_os_str() == "book.toml" {
            st.plan.created_book_toml = true;
        }
        match &old {
            None => st.plan.create.push(rel.to_path_buf()),
            Some(_) => st.plan.update.push(rel.to_path_buf()),
        }
        match self.mode {
            Mode::Write => st.undo.push((rel.to_path_buf(), old)),
            Mode::Check => {
                st.plan.contents.insert(rel.to_path_buf(), bytes);
                if let Some(old) = old {
                    st.plan.old.insert(rel.to_path_buf(), old);
                }
            }
        }
        Ok(())
    }

    /// A file the last build wrote and this one does not produce: removed, with the
    /// folders it leaves empty, while it still holds what casebook wrote; kept (and
    /// reported) when it changed since.
    pub fn remove(&self, rel: &Path) -> Result<(), WriteError> {
        let path = self.dir.join(rel);
        let old = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => {
                std::fs::read(&path).map_err(|source| WriteError::Read { path: path.clone(), source })?
            }
            Ok(_) => {
                self.state().plan.kept.push(rel.to_path_buf());
                return Ok(());
            }
            Err(_) => return Ok(()),
        };
        if !self.owned.owns(rel, &old) {
            self.state().plan.kept.push(rel.to_path_buf());
            return Ok(());
        }
        let mut st = self.state();
        if self.mode == Mode::Write {
            self.before_change(&mut st)?;
            std::fs::remove_file(&path).map_err(|source| WriteError::Write { path: path.clone(), source })?;
            let mut parent = path.parent();
            while let Some(p) = parent {
                if p == self.dir || std::fs::remove_dir(p).is_err() {
                    break;
                }
                parent = p.parent();
            }
        }
        st.plan.remove.push(rel.to_path_buf());
        match self.mode {
            Mode::Write => st.undo.push((rel.to_path_buf(), Some(old))),
            Mode::Check => {
                st.plan.old.insert(rel.to_path_buf(), old);
            }
        }
        Ok(())
    }

    /// Ends a build that succeeded: writes the manifest of `produced` (with the input
    /// hashes given), removes the journal and the temporary folder.
    pub fn finish(self, produced: &[PathBuf], inputs: &HashMap<&Path, u64>) -> Result<Plan, WriteError> {
        let mut st = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut entries = Vec::with_capacity(produced.len());
        for p in produced {
            if !is_generated_path(p) {
                return Err(WriteError::UnsafePath(p.clone()));
            }
            entries.push(Entry {
                path: p.clone(),
                content: st.hashes.get(p).copied(),
                input: inputs.get(p.as_path()).copied(),
            });
        }
        let manifest = manifest_text(&entries);
        let path = self.dir.join(MANIFEST);
        let old = std::fs::read(&path).ok();
        st.plan.manifest_changed = old.as_deref() != Some(manifest.as_bytes());
        st.plan.generated = produced.len();
        if self.mode == Mode::Write {
            if st.plan.manifest_changed {
                // Through a temporary file: a reader sees the old manifest or the new one.
                let tmp = temp_file(self.dir, &self.temp_counter, manifest.as_bytes())?;
                std::fs::rename(&tmp, &path).map_err(|source| WriteError::Write { path: path.clone(), source })?;
            }
            finish_cleanup(self.dir, st.journal.take());
        }
        let mut plan = st.plan;
        for v in [&mut plan.create, &mut plan.update, &mut plan.remove, &mut plan.kept] {
            v.sort();
        }
        Ok(plan)
    }

    /// Undoes every write of this build, in reverse order: files get their old bytes
    /// back (or go, when this build created them), then the folders it created go.
    /// The journal goes last, once the book is as it was.
    pub fn undo(self) {
        let mut st = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        if self.mode == Mode::Check {
            return;
        }
        let mut complete = true;
        for (rel, old) in st.undo.drain(..).rev() {
            let path = self.dir.join(&rel);
            let restored = match old {
                Some(bytes) => crate::fsutil::write_atomic(&path, &bytes),
                None => std::fs::remove_file(&path),
            };
            complete &= restored.is_ok();
        }
        // A killed build's journal stays: its files are still on disk.
        if complete && !self.interrupted {
            finish_cleanup(self.dir, st.journal.take());
        } else {
            drop(st.journal.take());
            clean_temp_dir(self.dir);
        }
        for f in st.folders.iter().rev() {
            let _ = std::fs::remove_dir(f);
        }
    }
}

/// A new temporary file in casebook's folder inside the book, holding `bytes`.
fn temp_file(dir: &Path, counter: &AtomicU64, bytes: &[u8]) -> Result<PathBuf, WriteError> {
    let tmp_dir = dir.join(TEMP_DIR);
    match std::fs::symlink_metadata(&tmp_dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => return Err(WriteError::LinkedFolder(tmp_dir)),
        Err(_) => match std::fs::create_dir(&tmp_dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(source) => return Err(WriteError::Write { path: tmp_dir, source }),
        },
    }
    let n = counter.fetch_add(1, Ordering::Relaxed);
    let tmp = tmp_dir.join(format!("{}-{n}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|source| WriteError::Write { path: tmp.clone(), source })?;
    Ok(tmp)
}

/// Removes the journal and casebook's temporary folder after a build ended cleanly.
fn finish_cleanup(dir: &Path, journal: Option<std::fs::File>) {
    drop(journal);
    let _ = std::fs::remove_file(dir.join(JOURNAL));
    clean_temp_dir(dir);
}

/// Empties casebook's temporary folder (files a killed build left) and removes it.
fn clean_temp_dir(dir: &Path) {
    let tmp = dir.join(TEMP_DIR);
    if std::fs::symlink_metadata(&tmp).is_ok_and(|m| m.is_dir())
        && let Ok(entries) = std::fs::read_dir(&tmp)
    {
        for e in entries.flatten() {
            if e.file_type().is_ok_and(|t| t.is_file()) {
                let _ = std::fs::remove_file(e.path());
            }
        }
        let _ = std::fs::remove_dir(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_casebook_writes_are_trusted_from_a_manifest() {
        for ok in ["src/index.md", "src/incidents/a.md", "src/casebook.css"] {
            assert!(is_generated_path(Path::new(ok)), "{ok}");
        }
        for bad in
            ["README.md", "book.toml", "src/../README.md", "/etc/passwd", "src/a.txt", "src/a\u{1b}.md", "../src/x.md"]
        {
            assert!(!is_generated_path(Path::new(bad)), "{bad}");
        }
    }

    #[test]
    fn line_endings_do_not_change_ownership() {
        assert_eq!(content_hash(b"a\r\nb\r\n"), content_hash(b"a\nb\n"));
        assert_ne!(content_hash(b"a\nb\n"), content_hash(b"a\nc\n"));
    }

    #[test]
    fn manifests_round_trip_and_old_ones_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let entries = vec![
            Entry { path: "src/index.md".into(), content: Some(1), input: None },
            Entry { path: "src/incidents/a.md".into(), content: Some(2), input: Some(3) },
        ];
        std::fs::write(dir.path().join(MANIFEST), manifest_text(&entries)).unwrap();
        assert_eq!(read_manifest(dir.path()), entries);
        std::fs::write(
            dir.path().join(MANIFEST),
            "# old\nsrc/index.md\nsrc/incidents/a.md\t0000000000000003\n../x.md\n",
        )
        .unwrap();
        assert_eq!(
            read_manifest(dir.path()),
            vec![
                Entry { path: "src/index.md".into(), content: None, input: None },
                Entry { path: "src/incidents/a.md".into(), content: None, input: Some(3) },
            ]
        );
    }
}
