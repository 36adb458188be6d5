//! The templates: the built-ins embedded from `templates/` in this repository, each
//! replaced by a file of the same name in the user's templates folder, and the
//! copy `templates eject` writes out.

use super::RenderError;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The built-in templates, embedded from `templates/` in this repository.
pub const BUILTIN: &[(&str, &str)] = &[
    ("postmortem.md", include_str!("../../templates/postmortem.md")),
    ("header.md", include_str!("../../templates/header.md")),
    ("summary.md", include_str!("../../templates/summary.md")),
    ("sections.md", include_str!("../../templates/sections.md")),
    ("impact.md", include_str!("../../templates/impact.md")),
    ("timeline.md", include_str!("../../templates/timeline.md")),
    ("causes.md", include_str!("../../templates/causes.md")),
    ("cause.md", include_str!("../../templates/cause.md")),
    ("commits.md", include_str!("../../templates/commits.md")),
    ("changes.md", include_str!("../../templates/changes.md")),
    ("lessons.md", include_str!("../../templates/lessons.md")),
    ("actions.md", include_str!("../../templates/actions.md")),
    ("verification.md", include_str!("../../templates/verification.md")),
    ("effort.md", include_str!("../../templates/effort.md")),
    ("runbook.md", include_str!("../../templates/runbook.md")),
    ("links.md", include_str!("../../templates/links.md")),
    ("conclusion.md", include_str!("../../templates/conclusion.md")),
    ("book-summary.md", include_str!("../../templates/book-summary.md")),
    ("book-overview.md", include_str!("../../templates/book-overview.md")),
    ("book-index.md", include_str!("../../templates/book-index.md")),
    ("book-actions.md", include_str!("../../templates/book-actions.md")),
    ("book-commits.md", include_str!("../../templates/book-commits.md")),
    ("book-symptoms.md", include_str!("../../templates/book-symptoms.md")),
    ("book-runbooks.md", include_str!("../../templates/book-runbooks.md")),
    ("book-runbook.md", include_str!("../../templates/book-runbook.md")),
    ("book-steps.md", include_str!("../../templates/book-steps.md")),
    ("book-archive.md", include_str!("../../templates/book-archive.md")),
];

/// The template a postmortem starts from.
pub const ENTRY: &str = "postmortem.md";

/// Where a template came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    User(PathBuf),
}

/// Every template's text and origin: the built-ins, each replaced by `dir/<name>`
/// when that file exists, plus the other `.md` files in `dir`.
pub fn template_sources(dir: Option<&Path>) -> Result<BTreeMap<String, (String, Origin)>, RenderError> {
    let mut sources: BTreeMap<String, (String, Origin)> =
        BUILTIN.iter().map(|(n, t)| (n.to_string(), (t.to_string(), Origin::Builtin))).collect();
    if let Some(dir) = dir.filter(|d| d.is_dir()) {
        let entries = std::fs::read_dir(dir).map_err(|source| RenderError::Read { path: dir.to_path_buf(), source })?;
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "md") && p.is_file())
            .collect();
        files.sort();
        // A template is read into every page: a link must not pull in a file from
        // elsewhere on the build machine.
        let real_dir =
            std::fs::canonicalize(dir).map_err(|source| RenderError::Read { path: dir.to_path_buf(), source })?;
        for path in files {
            let real =
                std::fs::canonicalize(&path).map_err(|source| RenderError::Read { path: path.clone(), source })?;
            if !real.starts_with(&real_dir) {
                return Err(RenderError::Outside { path, target: real });
            }
            let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else { continue };
            let text =
                std::fs::read_to_string(&path).map_err(|source| RenderError::Read { path: path.clone(), source })?;
            sources.insert(name, (text, Origin::User(path)));
        }
    }
    Ok(sources)
}

/// Writes the built-in templates to `dir` for editing. Refuses to overwrite a
/// file unless `force`; returns the files written.
pub fn eject(dir: &Path, force: bool) -> Result<Vec<PathBuf>, RenderError> {
    if !force {
        for (name, _) in BUILTIN {
            let p = dir.join(name);
            if p.exists() {
                return Err(RenderError::Exists(p));
            }
        }
    }
    std::fs::create_dir_all(dir).map_err(|source| RenderError::Write { path: dir.to_path_buf(), source })?;
    let mut written = Vec::new();
    for (name, text) in BUILTIN {
        let p = dir.join(name);
        crate::fsutil::write_atomic(&p, text.as_bytes())
            .map_err(|source| RenderError::Write { path: p.clone(), source })?;
        written.push(p);
    }
    Ok(written)
}
