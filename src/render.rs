//! Rendering: Tera 2 templates (built-ins embedded in the binary, overridable one
//! file at a time from the user's templates folder) applied to the prepared view.

use crate::view::Context;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;

/// The built-in templates, embedded from `templates/` in this repository.
pub const BUILTIN: &[(&str, &str)] = &[
    ("postmortem.md", include_str!("../templates/postmortem.md")),
    ("header.md", include_str!("../templates/header.md")),
    ("summary.md", include_str!("../templates/summary.md")),
    ("sections.md", include_str!("../templates/sections.md")),
    ("impact.md", include_str!("../templates/impact.md")),
    ("timeline.md", include_str!("../templates/timeline.md")),
    ("causes.md", include_str!("../templates/causes.md")),
    ("cause.md", include_str!("../templates/cause.md")),
    ("commits.md", include_str!("../templates/commits.md")),
    ("changes.md", include_str!("../templates/changes.md")),
    ("lessons.md", include_str!("../templates/lessons.md")),
    ("actions.md", include_str!("../templates/actions.md")),
    ("verification.md", include_str!("../templates/verification.md")),
    ("effort.md", include_str!("../templates/effort.md")),
    ("runbook.md", include_str!("../templates/runbook.md")),
    ("links.md", include_str!("../templates/links.md")),
    ("conclusion.md", include_str!("../templates/conclusion.md")),
];

/// The template a postmortem starts from.
pub const ENTRY: &str = "postmortem.md";

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("{file}:{line}:{column}: {message}\n  help: {hint}")]
    Template { file: String, line: usize, column: usize, message: String, hint: String },
    #[error("template {file}: {message}")]
    Other { file: String, message: String },
    #[error("cannot read template {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{0} already exists; pass --force to overwrite the built-in copies")]
    Exists(PathBuf),
    #[error("template {path} is a link to {target}, outside the templates folder; copy the file in instead")]
    Outside { path: PathBuf, target: PathBuf },
}

/// Where a template came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    User(PathBuf),
}

pub struct Renderer {
    tera: Tera,
    origins: BTreeMap<String, Origin>,
    /// Every template's name and text, for cache keys.
    fingerprint: String,
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
            let name = path.file_name().expect("file").to_string_lossy().into_owned();
            let text =
                std::fs::read_to_string(&path).map_err(|source| RenderError::Read { path: path.clone(), source })?;
            sources.insert(name, (text, Origin::User(path)));
        }
    }
    Ok(sources)
}

/// Flattens a value for a markdown table cell: folded onto one line and made safe
/// again as a line (folding can turn a code block into text), pipes escaped.
fn cell_filter(v: &str, _: tera::Kwargs, _: &tera::State) -> String {
    crate::markdown::cell_markdown(v)
}

impl Renderer {
    /// Built-in templates, each replaced by `dir/<name>` when that file exists;
    /// extra `.md` files in `dir` are loaded too, for includes of the user's own.
    pub fn new(dir: Option<&Path>) -> Result<Renderer, RenderError> {
        let mut tera = Tera::new();
        // Tera 2 resolves filters when templates are added: register them first.
        tera.register_filter("cell", cell_filter);
        tera.autoescape_on(Vec::<&str>::new());
        let sources = template_sources(dir)?;
        let mut origins = BTreeMap::new();
        let mut all = Vec::new();
        let mut fingerprint = String::new();
        for (name, (text, origin)) in sources {
            fingerprint.push_str(&name);
            fingerprint.push('\0');
            fingerprint.push_str(&text);
            fingerprint.push('\0');
            origins.insert(name.clone(), origin);
            all.push((name, text));
        }
        let renderer_origins = origins.clone();
        tera.add_raw_templates(all.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&e, &renderer_origins))?;
        Ok(Renderer { tera, origins, fingerprint })
    }

    /// The names and texts of every template in use.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    pub fn origin(&self, name: &str) -> Option<&Origin> {
        self.origins.get(name)
    }

    /// Renders the postmortem for one incident.
    pub fn postmortem(&self, ctx: &Context) -> Result<String, RenderError> {
        self.render(ENTRY, ctx)
    }

    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, RenderError> {
        let context = tera::Context::from_serialize(ctx)
            .map_err(|e| RenderError::Other { file: name.into(), message: e.to_string() })?;
        let out = self.tera.render(name, &context).map_err(|e| template_error(&e, &self.origins))?;
        Ok(tidy(&out))
    }
}

/// A Tera error as file:line:column, message and hint.
fn template_error(e: &tera::Error, origins: &BTreeMap<String, Origin>) -> RenderError {
    let shown = |name: &str| match origins.get(name) {
        Some(Origin::User(p)) => p.display().to_string(),
        Some(Origin::Builtin) => format!("{name} (built-in)"),
        None => name.to_string(),
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let message = r.message().to_string();
            let hint = if message.contains("not defined")
                || message.contains("not found")
                || message.to_lowercase().contains("undefined")
            {
                "`casebook render --context SLUG` prints every variable the templates receive".to_string()
            } else if message.contains("filter") || message.contains("Filter") {
                "built-in filters: tera's, plus `cell` (flatten for a table cell)".to_string()
            } else {
                "see the template guide in the README".to_string()
            };
            RenderError::Template {
                file: shown(r.filename()),
                line: r.span().start_line,
                column: r.span().start_col + 1,
                message,
                hint,
            }
        }
        _ => {
            let mut message = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                message.push_str(": ");
                message.push_str(&s.to_string());
                src = s.source();
            }
            RenderError::Other { file: "templates".into(), message }
        }
    }
}

/// Normalises template output: no trailing spaces, at most one blank line in a
/// row outside code blocks, one final newline.
///
/// Runs over every page, so it works on bytes and keeps the fence as a byte and a
/// length (the line-by-line version with `String`s was 4% of a build).
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    let mut blank_run = 0;
    // The open fence: its character and length.
    let mut fence: Option<(u8, usize)> = None;
    for line in text.lines() {
        let trimmed_end = trim_end_fast(line);
        let marker = trimmed_end.trim_start().as_bytes();
        if let Some((ch, len)) = fence {
            let closes = marker.len() >= len
                && marker[..len].iter().all(|&c| c == ch)
                && marker.iter().all(|&c| c == b'`' || c == b'~');
            out.push_str(if closes { trimmed_end } else { line });
            out.push('\n');
            if closes {
                fence = None;
            }
            continue;
        }
        if let [c @ (b'`' | b'~'), ..] = marker {
            let run = marker.iter().take_while(|&&b| b == *c).count();
            if run >= 3 {
                fence = Some((*c, run));
            }
        }
        if trimmed_end.is_empty() {
            blank_run += 1;
            if blank_run > 1 || out.is_empty() {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(trimmed_end);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// `str::trim_end`, without decoding when the line ends in a visible ASCII character.
fn trim_end_fast(line: &str) -> &str {
    match line.as_bytes().last() {
        Some(b) if b.is_ascii_graphic() => line,
        _ => line.trim_end(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The straightforward version `tidy` must agree with.
    fn tidy_reference(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut blank_run = 0;
        let mut fence: Option<String> = None;
        for line in text.lines() {
            let trimmed_end = line.trim_end();
            let marker = trimmed_end.trim_start();
            if let Some(f) = &fence {
                out.push_str(if marker.starts_with(f.as_str()) && marker.chars().all(|c| c == '`' || c == '~') {
                    trimmed_end
                } else {
                    line
                });
                out.push('\n');
                if marker.starts_with(f.as_str()) && marker.chars().all(|c| c == '`' || c == '~') {
                    fence = None;
                }
                continue;
            }
            if marker.starts_with("```") || marker.starts_with("~~~") {
                let ch = marker.chars().next().expect("non-empty");
                fence = Some(marker.chars().take_while(|c| *c == ch).collect());
            }
            if trimmed_end.is_empty() {
                blank_run += 1;
                if blank_run > 1 || out.is_empty() {
                    continue;
                }
            } else {
                blank_run = 0;
            }
            out.push_str(trimmed_end);
            out.push('\n');
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out
    }

    proptest::proptest! {
        /// Lines of spaces, tabs, fences, text and CRs in any order.
        #[test]
        fn tidy_agrees_with_the_reference(lines in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just(String::new()),
                "[ \t\u{a0}\u{3000}]{0,3}",
                "[ ]{0,4}(```|~~~|````|``|~~~~)[a-z]{0,3}[ \t]{0,2}",
                "[a-z `~\u{e9}]{0,8}[ \t\r]{0,2}",
            ],
            0..24,
        ), end in proptest::prop_oneof![proptest::strategy::Just(""), proptest::strategy::Just("\n"), proptest::strategy::Just("\r\n")]) {
            let text = lines.join("\n") + end;
            proptest::prop_assert_eq!(tidy(&text), tidy_reference(&text));
        }
    }

    #[test]
    fn tidy_collapses_blank_lines_outside_code() {
        assert_eq!(tidy("\n\na  \n\n\n\nb\n```\nx\n\n\ny\n```\n\n\n"), "a\n\nb\n```\nx\n\n\ny\n```\n");
    }

    #[test]
    fn builtins_parse() {
        Renderer::new(None).unwrap();
    }
}
