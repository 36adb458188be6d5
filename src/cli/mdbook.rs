//! Running mdBook on the book: `build --html` and `serve`.

use super::Status;
use super::output::Global;
use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The mdBook version casebook is tested with.
pub const MDBOOK_VERSION: &str = "0.5.4";

/// Past this many incident pages, `build --html` suggests `[book] incident_pages`.
const LARGE_BOOK_PAGES: usize = 1000;

/// The mdBook binary: `$CASEBOOK_MDBOOK`, else `mdbook` on the PATH.
pub fn binary() -> PathBuf {
    std::env::var_os("CASEBOOK_MDBOOK").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("mdbook"))
}

pub fn missing(bin: &Path, source: std::io::Error) -> Error {
    Error::MdbookMissing { bin: bin.to_path_buf(), version: MDBOOK_VERSION, source }
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

/// Runs `mdbook build` on the book folder; mdBook's warnings fail it.
pub fn run(g: &Global, action: &'static str, dir: &Path) -> Result<Status> {
    let bin = binary();
    let out = std::process::Command::new(&bin).arg(action).arg(dir).output().map_err(|e| missing(&bin, e))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let (large_index, warnings): (Vec<&str>, Vec<&str>) = stderr
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR"))
        .partition(|l| l.contains("search index is very large"));
    if !out.status.success() || !warnings.is_empty() {
        let mut err = g.stderr();
        let _ = err.write_all(stderr.as_bytes());
        return Err(Error::MdbookProblems { action, count: warnings.len().max(1) });
    }
    // Not a fault of the book, but every reader's browser downloads that index on their
    // first search: say how to keep it small.
    if let Some(line) = large_index.first() {
        let mut err = g.stderr();
        let _ = writeln!(
            err,
            "note: mdBook: {}\n  = help: full-text search over every incident page is what makes the index (and mdBook's time) grow;\n          to search only the runbooks, the symptom index and the other index pages, add to {}:\n\n          {}",
            line.split("WARN").nth(1).unwrap_or(line).trim(),
            g.shown(&dir.join("book.toml")),
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
    g.done(&format!("rendered HTML with mdBook into {}", g.shown(&dir.join("book"))));
    Ok(Status::Success)
}
