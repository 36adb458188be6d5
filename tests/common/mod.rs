//! Helpers for tests that run the real binary on real files in temp dirs.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A throwaway project: a temp dir with `incidents/`.
pub struct Project {
    pub dir: TempDir,
}

pub const MINIMAL: &str =
    "title = \"Checkout down\"\nstatus = \"resolved\"\nsummary = \"Checkout failed.\"\ndate = 2025-11-16\n";

impl Project {
    pub fn new() -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("incidents")).expect("incidents dir");
        Project { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `incidents/<name>` (or any relative path) and returns its path.
    pub fn write(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let p = if name.contains('/') { self.path().join(name) } else { self.path().join("incidents").join(name) };
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    /// `casebook -C <dir> --color never --today 2026-01-01 ARGS...`
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("casebook").expect("binary");
        c.arg("-C").arg(self.path()).args(["--color", "never", "--today", "2026-01-01"]).args(args);
        c.env_remove("CASEBOOK_TODAY").env("NO_COLOR", "1");
        c
    }

    /// Runs `check` and returns (exit code, stderr).
    pub fn check(&self) -> (i32, String) {
        let out = self.cmd(&["check"]).output().unwrap();
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
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

/// A record: MINIMAL plus extra TOML after it.
pub fn record(extra: &str) -> String {
    format!("{MINIMAL}{extra}")
}

/// The record written from FORMAT.md alone, with every key.
pub const MAXIMAL: &str = include_str!("../fixtures/maximal.toml");

/// A project with the maximal record, the minimal one it relates to, and the
/// `infra` repository its `infra@` commit names (no path: linked, unverified).
pub fn maximal_project() -> Project {
    let p = Project::new();
    p.write("maximal.toml", MAXIMAL);
    p.write("minimal.toml", MINIMAL);
    p.write(
        "./casebook.toml",
        "[[repositories]]\nname = \"infra\"\nurl = \"https://git.example.com/infra/commit/{sha}\"\n",
    );
    p
}
