//! Writing files without leaving half-written output behind.

use std::path::{Path, PathBuf};

/// The temporary name a file is written under before it is renamed into place.
fn temp_name(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.casebook-{}.tmp", std::process::id()))
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename,
/// so readers see the old file or the new one, never a partial one.
///
/// No fsync: the rename is what keeps readers from partial files, and after a crash
/// the next build compares contents and rewrites whatever is off.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty() && !p.is_dir()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = temp_name(path);
    if let Err(e) = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
}

/// Creates a file that does not exist yet (O_EXCL): no reader can have seen an
/// older version, so no temporary file is needed. Falls back to `write_atomic`
/// when the file appeared in the meantime.
pub fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    match std::fs::File::create_new(path) {
        Ok(mut f) => f.write_all(bytes).inspect_err(|_| {
            let _ = std::fs::remove_file(path);
        }),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => write_atomic(path, bytes),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_whole_files_and_leave_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/a.md");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.md")]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        write_atomic(&p, b"old").unwrap();
        // A directory where the file should go cannot be replaced by rename.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir_all(blocked.join("inner")).unwrap();
        assert!(write_atomic(&blocked, b"x").is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        assert!(blocked.join("inner").is_dir());
    }
}
