//! The one test harness: a project in a temp dir (records, casebook.toml, git
//! history) and the real `casebook` binary run in it.

use assert_cmd::Command;
use git2::{Repository, Signature, Time};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A record with the keys every record needs and nothing else.
pub const MINIMAL: &str =
    "title = \"Checkout down\"\nstatus = \"resolved\"\nsummary = \"Checkout failed.\"\ndate = 2025-11-16\n";

/// The record written from FORMAT.md alone, with every key.
pub const MAXIMAL: &str = include_str!("../fixtures/maximal.toml");

/// A record: MINIMAL plus extra TOML after it.
pub fn record(extra: &str) -> String {
    format!("{MINIMAL}{extra}")
}

/// A project: a temp dir with `incidents/` (or this repository, read only).
pub struct Project {
    root: PathBuf,
    pub dir: Option<TempDir>,
}

/// What a run printed and how it ended: (exit code, stdout, stderr).
pub type Run = (i32, String, String);

impl Project {
    pub fn new() -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("incidents")).expect("incidents dir");
        Project { root: dir.path().to_path_buf(), dir: Some(dir) }
    }

    /// This repository, with its bundled incidents and committed book: only for
    /// commands that write nothing (or write elsewhere with `-o`).
    pub fn this_repository() -> Project {
        Project { root: PathBuf::from(env!("CARGO_MANIFEST_DIR")), dir: None }
    }

    /// A project holding records (file stem, TOML).
    pub fn with_records(records: impl IntoIterator<Item = (String, String)>) -> Project {
        let p = Project::new();
        for (stem, text) in records {
            p.write(&format!("{stem}.toml"), text);
        }
        p
    }

    /// The maximal record, the minimal one it relates to, and the `infra` repository
    /// its `infra@` commit names (no path: linked, unverified).
    pub fn maximal() -> Project {
        let p = Project::new();
        p.write("maximal.toml", MAXIMAL);
        p.write("minimal.toml", MINIMAL);
        p.config("[[repositories]]\nname = \"infra\"\nurl = \"https://git.example.com/infra/commit/{sha}\"\n");
        p
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// Keeps the temp dir after the test, for a look.
    pub fn keep(&mut self) {
        if let Some(d) = &mut self.dir {
            d.disable_cleanup(true);
        }
    }

    /// Writes `incidents/<name>`, or the project-relative path `./<path>` (or any
    /// path with a `/`), and returns its path.
    pub fn write(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let p = if name.contains('/') { self.root.join(name) } else { self.root.join("incidents").join(name) };
        std::fs::create_dir_all(p.parent().expect("a parent folder")).expect("folders");
        std::fs::write(&p, text).expect("written");
        p
    }

    /// Writes `casebook.toml`.
    pub fn config(&self, text: &str) {
        self.write("./casebook.toml", text);
    }

    /// `casebook -C <dir> --color never --today 2026-01-01 ARGS...`
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("casebook").expect("the casebook binary");
        c.arg("-C").arg(&self.root).args(["--color", "never", "--today", "2026-01-01"]).args(args);
        c.env_remove("CASEBOOK_TODAY").env("NO_COLOR", "1");
        c
    }

    /// Runs `casebook ARGS` to its end.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = self.cmd(args).output().expect("casebook runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `casebook build ARGS`.
    pub fn build(&self, args: &[&str]) -> Run {
        self.run(&[&["build"], args].concat())
    }

    /// `casebook render ARGS`.
    pub fn render(&self, args: &[&str]) -> Run {
        self.run(&[&["render"], args].concat())
    }

    /// Runs `check` and returns (exit code, stderr).
    pub fn check(&self) -> (i32, String) {
        let (code, _, err) = self.run(&["check"]);
        (code, err)
    }

    /// A shallow clone (depth 1) of this project's repository, as a project of its own.
    pub fn shallow_clone(&self) -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("clone");
        let status = std::process::Command::new("git")
            .args(["clone", "--quiet", "--depth", "1"])
            .arg(format!("file://{}", self.root.display()))
            .arg(&root)
            .status()
            .expect("git runs");
        assert!(status.success(), "git clone --depth 1");
        std::fs::create_dir_all(root.join("incidents")).expect("incidents dir");
        Project { root, dir: Some(dir) }
    }

    /// The project's git repository (created on first use, with a GitHub `origin`).
    pub fn git(&self) -> Git {
        let repo = Repository::open(&self.root).unwrap_or_else(|_| {
            let repo = Repository::init(&self.root).expect("git init");
            repo.remote("origin", "git@github.com:acme/app.git").expect("a remote");
            repo
        });
        Git { repo }
    }
}

/// A git repository to commit to, with a fixed author and times, so ids are stable.
pub struct Git {
    pub repo: Repository,
}

impl Git {
    /// A new repository at `path`, with no remote.
    pub fn init(path: &Path) -> Git {
        Git { repo: Repository::init(path).expect("git init") }
    }

    /// Commits `files` (path, text) as commit number `n`; returns the full id.
    pub fn commit(&self, n: i64, message: &str, files: &[(&str, &str)]) -> String {
        let repo = &self.repo;
        let workdir = repo.workdir().expect("a work tree").to_path_buf();
        let mut index = repo.index().expect("the index");
        let default = [(format!("f{n}.txt"), message.to_string())];
        let owned: Vec<(String, String)> = if files.is_empty() {
            default.to_vec()
        } else {
            files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
        };
        for (path, text) in &owned {
            let full = workdir.join(path);
            std::fs::create_dir_all(full.parent().expect("a parent")).expect("folders");
            std::fs::write(&full, text).expect("written");
            index.add_path(Path::new(path)).expect("added");
        }
        index.write().expect("index written");
        let tree = repo.find_tree(index.write_tree().expect("a tree")).expect("the tree");
        let sig = Signature::new("Ada Lovelace", "ada@example.com", &Time::new(1_700_000_000 + n * 60, 0))
            .expect("a signature");
        let parents: Vec<git2::Commit> = repo.head().ok().and_then(|h| h.peel_to_commit().ok()).into_iter().collect();
        let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parent_refs).expect("committed").to_string()
    }
}

/// Asserts that `check` fails and its output holds every needle.
pub fn assert_check_fails(p: &Project, needles: &[&str]) {
    let (code, err) = p.check();
    assert_eq!(code, 1, "expected failure, got:\n{err}");
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in:\n{err}");
    }
}

/// Asserts that `check` passes (exit 0) and its output holds every needle.
pub fn assert_check_passes(p: &Project, needles: &[&str]) {
    let (code, err) = p.check();
    assert_eq!(code, 0, "expected success, got:\n{err}");
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in:\n{err}");
    }
}

/// Every file under `dir`, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).expect("inside").to_path_buf();
            out.insert(rel, std::fs::read(e.path()).expect("readable"));
        }
    }
    out
}

/// Every file under `dir`, with its text.
pub fn texts(dir: &Path) -> BTreeMap<PathBuf, String> {
    tree(dir).into_iter().map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned())).collect()
}

/// Asserts two trees hold the same files with the same bytes, naming those that differ.
pub fn assert_same_tree(got: &BTreeMap<PathBuf, Vec<u8>>, want: &BTreeMap<PathBuf, Vec<u8>>, what: &str) {
    let differ: Vec<&PathBuf> = got.keys().chain(want.keys()).filter(|k| got.get(*k) != want.get(*k)).collect();
    assert!(differ.is_empty(), "{what}: files differ: {differ:?}");
}
