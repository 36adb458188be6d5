//! The texts diagnostics point into: each input file's text (or, once let go, its
//! hash, to read it again only while it is unchanged).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, col)
}

/// One input file as read: its hash (for page input hashes and the build
/// fingerprint) and, unless let go, its text (for diagnostics).
#[derive(Debug, Clone)]
pub struct Source {
    hash: u64,
    text: Option<String>,
}

impl Source {
    pub fn new(text: String) -> Source {
        Source { hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()), text: Some(text) }
    }

    /// The hash alone: [`Sources::get`] reads the file again if a diagnostic needs it.
    pub fn hash_only(text: &str) -> Source {
        Source { hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()), text: None }
    }
}

/// The source texts diagnostics point into.
#[derive(Default)]
pub struct Sources {
    files: HashMap<PathBuf, Source>,
}

impl Sources {
    pub fn insert(&mut self, path: PathBuf, text: String) {
        self.files.insert(path, Source::new(text));
    }

    pub fn insert_source(&mut self, path: PathBuf, source: Source) {
        self.files.insert(path, source);
    }

    pub fn merge(&mut self, other: Sources) {
        self.files.extend(other.files);
    }

    /// The text of `path`. A text that was let go is read again from the file, and
    /// only if it is still the text that was loaded: spans into a file edited since
    /// would point at the wrong place, so its diagnostics show no source line.
    pub fn get(&self, path: &Path) -> Option<Cow<'_, str>> {
        let (key, source) = self.files.get_key_value(path)?;
        match &source.text {
            Some(text) => Some(Cow::Borrowed(text)),
            None => std::fs::read_to_string(key)
                .ok()
                .filter(|t| xxhash_rust::xxh3::xxh3_64(t.as_bytes()) == source.hash)
                .map(Cow::Owned),
        }
    }

    /// The xxh3 hash of the text of `path` as it was loaded.
    pub fn hash(&self, path: &Path) -> Option<u64> {
        self.files.get(path).map(|s| s.hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_let_go_is_read_again_only_if_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.toml");
        std::fs::write(&path, "title = \"x\"\n").unwrap();
        let mut sources = Sources::default();
        sources.insert_source(path.clone(), Source::hash_only("title = \"x\"\n"));
        assert_eq!(sources.get(&path).as_deref(), Some("title = \"x\"\n"));
        assert_eq!(sources.hash(&path), Some(xxhash_rust::xxh3::xxh3_64(b"title = \"x\"\n")));
        // Edited since it was loaded: its spans would point at the wrong place.
        std::fs::write(&path, "title = \"edited\"\n").unwrap();
        assert_eq!(sources.get(&path), None);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(sources.get(&path), None);
    }

    #[test]
    fn line_col_counts_characters() {
        let t = "a = 1\nb = \"é\" x";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 6), (2, 1));
        assert_eq!(line_col(t, t.find('x').unwrap()), (2, 9));
    }
}
