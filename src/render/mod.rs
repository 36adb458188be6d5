//! Rendering: Tera 2 templates (built-ins embedded in the binary, overridable one
//! file at a time from the user's templates folder) applied to a prepared view: the
//! postmortem's, or one of the book's other pages'.

mod templates;
mod tidy;

pub use templates::{BUILTIN, ENTRY, Origin, eject, template_sources};
pub use tidy::tidy;

use crate::view::Context;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::Tera;

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

pub struct Renderer {
    tera: Tera,
    origins: BTreeMap<String, Origin>,
    /// Where each template is, as errors show it: relative to the project root.
    shown: BTreeMap<String, String>,
    /// Every template's name and text, for cache keys.
    fingerprint: String,
    /// The same, of the postmortem's templates only (not the book's other pages').
    postmortem_fingerprint: String,
}

/// Flattens a value for a markdown table cell: folded onto one line and made safe
/// again as a line (folding can turn a code block into text), pipes escaped.
fn cell_filter(v: &str, _: tera::Kwargs, _: &tera::State) -> String {
    crate::markdown::cell_markdown(v)
}

impl Renderer {
    /// Built-in templates, each replaced by `dir/<name>` when that file exists;
    /// extra `.md` files in `dir` are loaded too, for includes of the user's own.
    /// Paths in errors are shown relative to `root`, the project root.
    pub fn new(dir: Option<&Path>, root: &Path) -> Result<Renderer, RenderError> {
        let mut tera = Tera::new();
        // Tera 2 resolves filters when templates are added: register them first.
        tera.register_filter("cell", cell_filter);
        tera.autoescape_on(Vec::<&str>::new());
        let sources = template_sources(dir)?;
        let mut origins = BTreeMap::new();
        let mut all = Vec::new();
        let mut fingerprint = String::new();
        let mut postmortem_fingerprint = String::new();
        for (name, (text, origin)) in sources {
            let entry = format!("{name}\0{text}\0");
            if !name.starts_with(BOOK_PAGE_PREFIX) {
                postmortem_fingerprint.push_str(&entry);
            }
            fingerprint.push_str(&entry);
            origins.insert(name.clone(), origin);
            all.push((name, text));
        }
        let shown: BTreeMap<String, String> = origins
            .iter()
            .map(|(name, origin)| {
                let where_ = match origin {
                    Origin::User(p) => p.strip_prefix(root).unwrap_or(p).display().to_string(),
                    Origin::Builtin => format!("{name} (built-in)"),
                };
                (name.clone(), where_)
            })
            .collect();
        tera.add_raw_templates(all.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_error(&e, &shown))?;
        Ok(Renderer { tera, origins, shown, fingerprint, postmortem_fingerprint })
    }

    /// The names and texts of every template in use.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The names and texts of the templates a postmortem is made with (those of the
    /// book's other pages left out: changing the overview does not change an
    /// incident page).
    pub fn postmortem_fingerprint(&self) -> &str {
        &self.postmortem_fingerprint
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
        let out = self.tera.render(name, &context).map_err(|e| template_error(&e, &self.shown))?;
        Ok(tidy(&out))
    }
}

/// The templates of the book's pages besides the postmortems are named `book-*.md`.
pub const BOOK_PAGE_PREFIX: &str = "book-";

/// What a book page's template receives: `page`, its view.
#[derive(Serialize)]
struct PageContext<'a, T: Serialize> {
    page: &'a T,
    public: bool,
    generator: &'static str,
}

impl Renderer {
    /// Renders one of the book's pages besides the postmortems, as the template
    /// writes it (no tidying: these templates place every blank line themselves).
    pub fn page<T: Serialize>(&self, name: &str, page: &T, public: bool) -> Result<String, RenderError> {
        let ctx = PageContext { page, public, generator: concat!("casebook ", env!("CARGO_PKG_VERSION")) };
        let context = tera::Context::from_serialize(&ctx)
            .map_err(|e| RenderError::Other { file: name.into(), message: e.to_string() })?;
        self.tera.render(name, &context).map_err(|e| template_error(&e, &self.shown))
    }
}

/// A Tera error as file:line:column, message and hint.
fn template_error(e: &tera::Error, where_: &BTreeMap<String, String>) -> RenderError {
    let shown = |name: &str| where_.get(name).cloned().unwrap_or_else(|| name.to_string());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse() {
        Renderer::new(None, Path::new("/")).unwrap();
    }
}
