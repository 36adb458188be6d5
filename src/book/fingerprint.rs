//! The input fingerprint of the last finished build, kept in the user's cache folder:
//! a rebuild with nothing changed stops at once.

use super::writer::{self, MANIFEST, read_manifest};
use std::path::{Path, PathBuf};

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
