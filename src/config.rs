//! `casebook.toml`: optional project configuration; every key has a default.

use crate::diag::toml::{Sp, toml_error};
use crate::diag::{Code, Diagnostic};
use crate::model::Span;
use schemars::JsonSchema;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "casebook.toml";

#[derive(Debug, Clone, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    #[serde(default)]
    pub project: RawProject,
    #[serde(default)]
    pub paths: RawPaths,
    #[serde(default)]
    pub severity: RawSeverity,
    #[serde(default)]
    pub repositories: Vec<RawRepository>,
    #[serde(default)]
    pub runbooks: RawRunbooks,
    #[serde(default)]
    pub redact: RawRedact,
    #[serde(default)]
    pub book: RawBook,
}

#[derive(Debug, Clone, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RawProject {
    pub name: Option<String>,
    /// Pattern for new ids, e.g. "INC-{year}-{seq:03}"; `seq` counts within the year.
    pub id_format: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPaths {
    pub incidents: Option<Sp<String>>,
    pub templates: Option<Sp<String>>,
    pub book: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSeverity {
    /// Ordered, worst first.
    pub levels: Option<Sp<Vec<String>>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRepository {
    pub name: Sp<String>,
    pub path: Option<String>,
    /// Web URL pattern for commits, with {sha}.
    pub url: Option<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RawRunbooks {
    pub review_days: Option<Sp<i64>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RawRedact {
    /// Regular expressions; each match becomes [redacted] in public output.
    #[serde(default)]
    pub patterns: Vec<Sp<String>>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RawBook {
    pub title: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    /// How many incidents (the most recent) get a page of their own; older ones are
    /// grouped into one archive page per month, which keeps mdBook fast on large
    /// archives. Default: no limit, a page for every incident.
    pub incident_pages: Option<usize>,
    /// The book this repository publishes: `true` makes `build` (and `serve`) leave out
    /// private parts and apply redaction, as `--public` does. Default: the internal book.
    pub public: Option<bool>,
}

/// `[project] id_format`: literal text around `{year}` and one `{seq}` (or `{seq:0N}`,
/// zero-padded to N digits), parsed once so that a bad pattern is a config error
/// rather than a crash in `new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdFormat {
    parts: Vec<IdPart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum IdPart {
    Text(String),
    Year,
    Seq { width: usize },
}

impl IdFormat {
    /// Parses a pattern; the error says what is wrong with it.
    pub fn parse(pattern: &str) -> Result<IdFormat, String> {
        let mut parts = Vec::new();
        let mut rest = pattern;
        let mut seqs = 0;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(IdPart::Text(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                return Err(format!("`{}` is not closed with `}}`", &rest[open..]));
            };
            let token = &rest[open + 1..open + close];
            match token {
                "year" => parts.push(IdPart::Year),
                "seq" => {
                    seqs += 1;
                    parts.push(IdPart::Seq { width: 0 });
                }
                t if t.starts_with("seq:") => {
                    let spec = &t[4..];
                    let width = spec
                        .strip_prefix('0')
                        .filter(|w| !w.is_empty() && w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()))
                        .and_then(|w| w.parse::<usize>().ok())
                        .filter(|w| (1..=12).contains(w))
                        .ok_or_else(|| format!("`{{{t}}}`: the width is written `{{seq:0N}}` with N from 1 to 12"))?;
                    seqs += 1;
                    parts.push(IdPart::Seq { width });
                }
                t => return Err(format!("unknown placeholder `{{{t}}}`; use {{year}} and {{seq}} or {{seq:03}}")),
            }
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(IdPart::Text(rest.to_string()));
        }
        if seqs != 1 {
            return Err(if seqs == 0 {
                "it has no `{seq}` placeholder, so every new id would be the same".to_string()
            } else {
                "it has more than one `{seq}` placeholder".to_string()
            });
        }
        let sample = IdFormat { parts };
        let example = sample.format(2025, 1);
        if let Some(problem) = crate::redact::names::id_problem(&example) {
            return Err(format!("the ids it makes cannot be used: {problem}"));
        }
        Ok(sample)
    }

    fn format(&self, year: i32, seq: u64) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                IdPart::Text(t) => t.clone(),
                IdPart::Year => year.to_string(),
                IdPart::Seq { width } => format!("{seq:0width$}"),
            })
            .collect()
    }

    /// The next id in `year`: one past the highest sequence number among `existing`.
    pub fn next(&self, existing: &[&str], year: i32) -> String {
        let highest = existing.iter().filter_map(|id| self.sequence(id, year)).max().unwrap_or(0);
        self.format(year, highest.saturating_add(1))
    }

    /// The sequence number of `id`, when it has this format in `year`.
    fn sequence(&self, id: &str, year: i32) -> Option<u64> {
        let mut rest = id;
        let mut seq = None;
        for part in &self.parts {
            match part {
                IdPart::Text(t) => rest = rest.strip_prefix(t.as_str())?,
                IdPart::Year => rest = rest.strip_prefix(year.to_string().as_str())?,
                IdPart::Seq { .. } => {
                    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                    seq = Some(rest[..digits].parse::<u64>().ok()?);
                    rest = &rest[digits..];
                }
            }
        }
        rest.is_empty().then_some(seq).flatten()
    }
}

impl Default for IdFormat {
    fn default() -> Self {
        IdFormat {
            parts: vec![IdPart::Text("INC-".into()), IdPart::Year, IdPart::Text("-".into()), IdPart::Seq { width: 3 }],
        }
    }
}

/// A repository that commits may live in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    pub name: String,
    /// On-disk location, relative paths resolved against the project root.
    pub path: Option<PathBuf>,
    /// Web URL pattern with `{sha}`.
    pub url: Option<String>,
}

/// The project configuration with every default applied.
#[derive(Debug, Clone)]
pub struct Config {
    /// The folder holding casebook.toml (or the working directory).
    pub root: PathBuf,
    pub project_name: Option<String>,
    pub id_format: IdFormat,
    pub incidents_dir: PathBuf,
    pub templates_dir: PathBuf,
    pub book_dir: PathBuf,
    pub severity_levels: Vec<String>,
    pub repositories: Vec<Repository>,
    pub review_days: i64,
    pub redact: Vec<regex::Regex>,
    pub book_title: String,
    pub book_authors: Vec<String>,
    /// The most recent incidents that get a page of their own; the rest are in
    /// month archive pages.
    pub book_incident_pages: usize,
    /// `[book] public`: the book is the published one.
    pub book_public: bool,
    /// Where the config was read from, if anywhere.
    pub file: Option<PathBuf>,
}

impl Config {
    pub fn defaults(root: &Path) -> Config {
        Config {
            root: root.to_path_buf(),
            project_name: None,
            id_format: IdFormat::default(),
            incidents_dir: root.join("incidents"),
            templates_dir: root.join("templates"),
            book_dir: root.join("book"),
            severity_levels: (1..=5).map(|n| format!("SEV{n}")).collect(),
            repositories: Vec::new(),
            review_days: 180,
            redact: Vec::new(),
            book_title: "Incidents and runbooks".to_string(),
            book_authors: Vec::new(),
            book_incident_pages: usize::MAX,
            book_public: false,
            file: None,
        }
    }

    /// Reads `root/casebook.toml` when present. Problems are returned as diagnostics;
    /// the config returned then holds the defaults for whatever could not be read.
    pub fn load(root: &Path) -> (Config, Option<String>, Vec<Diagnostic>) {
        let path = root.join(CONFIG_FILE);
        let mut config = Config::defaults(root);
        let Ok(text) = std::fs::read_to_string(&path) else {
            return (config, None, Vec::new());
        };
        config.file = Some(path.clone());
        let mut diags = Vec::new();
        let raw: RawConfig = match toml::from_str(&text) {
            Ok(raw) => raw,
            Err(e) => {
                diags.push(toml_error(&path, &text, &e, &config_keys()));
                return (config, Some(text), diags);
            }
        };
        config.apply(raw, &path, &mut diags);
        (config, Some(text), diags)
    }

    fn apply(&mut self, raw: RawConfig, path: &Path, diags: &mut Vec<Diagnostic>) {
        let mut d = |diag: Diagnostic| diags.push(diag);
        self.project_name = raw.project.name;
        if let Some(f) = raw.project.id_format {
            match IdFormat::parse(&f.value) {
                Ok(format) => self.id_format = format,
                Err(why) => d(Diagnostic::new(Code::BadConfig, format!("`id_format` cannot be used: {why}"))
                    .at(path, f.span.clone().into())
                    .hint("use e.g. \"INC-{year}-{seq:03}\": {year}, and one {seq} or {seq:0N}")),
            }
        }
        self.paths(&raw.paths, path, &mut d);
        if let Some(levels) = raw.severity.levels {
            if levels.value.is_empty() {
                d(Diagnostic::new(Code::BadConfig, "`[severity] levels` is empty")
                    .at(path, levels.span.into())
                    .hint("list the levels worst first, e.g. [\"SEV1\", \"SEV2\", \"SEV3\"]"));
            } else {
                self.severity_levels = levels.value;
            }
        }
        self.repositories(raw.repositories, path, &mut d);
        if let Some(days) = raw.runbooks.review_days {
            if !(1..=36_500).contains(&days.value) {
                d(Diagnostic::new(Code::BadConfig, "`review_days` must be a number of days from 1 to 36500")
                    .at(path, days.span.into())
                    .hint("e.g. review_days = 180 (half a year)"));
            } else {
                self.review_days = days.value;
            }
        }
        for p in raw.redact.patterns {
            match regex::Regex::new(&p.value) {
                Ok(re) => self.redact.push(re),
                Err(e) => d(Diagnostic::new(Code::BadConfig, "invalid regular expression in `[redact] patterns`")
                    .at(path, p.span.into())
                    .hint(e.to_string().lines().last().unwrap_or("").trim().to_string())),
            }
        }
        if let Some(t) = raw.book.title {
            self.book_title = t;
        }
        self.book_authors = raw.book.authors;
        if let Some(n) = raw.book.incident_pages {
            self.book_incident_pages = n;
        }
        self.book_public = raw.book.public.unwrap_or(false);
    }

    /// `[paths]`: folders inside the project, the book apart from the records and templates.
    fn paths(&mut self, paths: &RawPaths, path: &Path, d: &mut dyn FnMut(Diagnostic)) {
        let root = self.root.clone();
        for (key, value, slot) in [
            ("incidents", &paths.incidents, &mut self.incidents_dir),
            ("templates", &paths.templates, &mut self.templates_dir),
            ("book", &paths.book, &mut self.book_dir),
        ] {
            let Some(p) = value else { continue };
            match project_path(&root, &p.value) {
                Ok(dir) => *slot = dir,
                Err(why) => d(Diagnostic::new(Code::BadConfig, format!("`[paths] {key}` {why}"))
                    .at(path, p.span.clone().into())
                    .hint("give a folder inside the project, relative to casebook.toml, e.g. \"book\"")),
            }
        }
        // The book is written and its old pages removed: it must not hold, or sit in,
        // the records or the templates.
        for (key, other) in [("incidents", &self.incidents_dir), ("templates", &self.templates_dir)] {
            let book = &self.book_dir;
            if book == other || other.starts_with(book) || book.starts_with(other) {
                let span = paths.book.as_ref().map_or(Span::default(), |b| b.span.clone().into());
                d(Diagnostic::new(
                    Code::BadConfig,
                    format!("`[paths] book` overlaps `[paths] {key}`: the book would be written among them"),
                )
                .at(path, span)
                .hint("give the book a folder of its own, e.g. book = \"book\""));
                self.book_dir = root.join("book");
            }
        }
    }

    /// `[[repositories]]`: unique, safe names; http(s) commit URLs with `{sha}`.
    fn repositories(&mut self, raw: Vec<RawRepository>, path: &Path, d: &mut dyn FnMut(Diagnostic)) {
        let mut names = std::collections::HashSet::new();
        for r in raw {
            if !names.insert(r.name.value.clone()) {
                d(Diagnostic::new(Code::BadConfig, format!("repository `{}` is configured twice", r.name.value))
                    .at(path, r.name.span.clone().into()));
            }
            let mut url = r.url.map(|u| (u.value, u.span));
            if let Some((value, span)) = &url {
                let problem = if !value.contains("{sha}") {
                    Some("repository `url` has no `{sha}` placeholder")
                } else if !matches!(crate::redact::links::classify(value), crate::redact::LinkTarget::Allowed)
                    || !(value.starts_with("https://") || value.starts_with("http://"))
                {
                    Some("repository `url` must be an http(s) address")
                } else {
                    None
                };
                if let Some(message) = problem {
                    d(Diagnostic::new(Code::BadConfig, message)
                        .at(path, span.clone().into())
                        .hint("e.g. \"https://github.com/acme/app/commit/{sha}\""));
                    url = None;
                }
            }
            if let Some(problem) = crate::redact::names::id_problem(&r.name.value) {
                d(Diagnostic::new(Code::BadConfig, format!("repository `name` cannot be used: {problem}"))
                    .at(path, r.name.span.clone().into())
                    .hint("a short name such as \"app\" or \"infra\""));
            }
            self.repositories.push(Repository {
                name: r.name.value,
                path: r.path.map(|p| self.root.join(p)),
                url: url.map(|(u, _)| u),
            });
        }
    }

    pub fn repository(&self, name: &str) -> Option<&Repository> {
        self.repositories.iter().find(|r| r.name == name)
    }

    /// The name of the default repository (the first configured), if any.
    pub fn default_repository(&self) -> Option<&str> {
        self.repositories.first().map(|r| r.name.as_str())
    }
}

/// A folder named in `[paths]`: relative to the project root and inside it, so that
/// a configuration cannot point casebook at the build machine's files (`/`,
/// `../../home`) or make it write outside the project.
fn project_path(root: &Path, value: &str) -> Result<PathBuf, String> {
    let p = Path::new(value);
    if value.trim().is_empty() {
        return Err("is empty".to_string());
    }
    if p.is_absolute() || p.has_root() {
        return Err(format!("is an absolute path (\"{value}\")"));
    }
    let mut depth = 0i32;
    for c in p.components() {
        match c {
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return Err(format!("leads outside the project (\"{value}\")"));
                }
            }
            _ => return Err(format!("is not a plain relative path (\"{value}\")")),
        }
    }
    if depth == 0 {
        return Err(format!("is the project folder itself (\"{value}\")"));
    }
    let joined = root.join(p);
    // A link inside the project that leads out of it counts as outside.
    if let (Ok(real), Ok(real_root)) = (std::fs::canonicalize(&joined), std::fs::canonicalize(root))
        && !real.starts_with(&real_root)
    {
        return Err(format!("leads outside the project through a link (\"{value}\" is {})", real.display()));
    }
    Ok(joined)
}

/// Every key of casebook.toml, for suggestions.
fn config_keys() -> Vec<&'static str> {
    crate::diag::toml::schema_keys(schemars::schema_for!(RawConfig).as_value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_formats() {
        let f = |p: &str| IdFormat::parse(p);
        assert_eq!(
            f("INC-{year}-{seq:03}").unwrap().next(&["INC-2025-007", "INC-2024-099", "X"], 2025),
            "INC-2025-008"
        );
        assert_eq!(f("{year}/{seq}").unwrap().next(&["2025/9"], 2025), "2025/10");
        assert_eq!(f("OPS-{seq:04}").unwrap().next(&["OPS-0041"], 2025), "OPS-0042");
        assert_eq!(IdFormat::default(), f("INC-{year}-{seq:03}").unwrap());
        for (bad, why) in [
            ("INC-{seq:", "not closed"),
            ("INC-{seq:é3}", "width"),
            ("INC-{seq:99999999999999999999}", "width"),
            ("INC-{year}", "no `{seq}`"),
            ("{seq}-{seq}", "more than one"),
            ("INC {seq}", "cannot be used"),
            ("{day}-{seq}", "unknown placeholder"),
        ] {
            assert!(f(bad).unwrap_err().contains(why), "{bad}: {:?}", f(bad));
        }
    }

    #[test]
    fn paths_stay_inside_the_project() {
        let root = Path::new("/project");
        assert_eq!(project_path(root, "book").unwrap(), Path::new("/project/book"));
        assert_eq!(project_path(root, "docs/../site").unwrap(), Path::new("/project/docs/../site"));
        for (bad, why) in
            [("/", "absolute"), ("../x", "outside"), ("a/../..", "outside"), (".", "itself"), ("", "empty")]
        {
            assert!(project_path(root, bad).unwrap_err().contains(why), "{bad}");
        }
    }
}
