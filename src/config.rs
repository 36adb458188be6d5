//! `casebook.toml`: optional project configuration; every key has a default.

use crate::diag::{Code, Diagnostic};
use crate::load::{Sp, toml_error};
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
    pub incidents: Option<String>,
    pub templates: Option<String>,
    pub book: Option<String>,
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
    pub id_format: String,
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
    /// Where the config was read from, if anywhere.
    pub file: Option<PathBuf>,
}

impl Config {
    pub fn defaults(root: &Path) -> Config {
        Config {
            root: root.to_path_buf(),
            project_name: None,
            id_format: "INC-{year}-{seq:03}".to_string(),
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
        let root = self.root.clone();
        self.project_name = raw.project.name;
        if let Some(f) = raw.project.id_format {
            if !f.value.contains("{seq") {
                diags.push(
                    Diagnostic::new(Code::BadConfig, "`id_format` has no `{seq}` placeholder")
                        .at(path, f.span.clone().into())
                        .hint("ids must differ: use e.g. \"INC-{year}-{seq:03}\""),
                );
            }
            self.id_format = f.value;
        }
        if let Some(p) = raw.paths.incidents {
            self.incidents_dir = root.join(p);
        }
        if let Some(p) = raw.paths.templates {
            self.templates_dir = root.join(p);
        }
        if let Some(p) = raw.paths.book {
            self.book_dir = root.join(p);
        }
        if let Some(levels) = raw.severity.levels {
            if levels.value.is_empty() {
                diags.push(
                    Diagnostic::new(Code::BadConfig, "`[severity] levels` is empty")
                        .at(path, levels.span.into())
                        .hint("list the levels worst first, e.g. [\"SEV1\", \"SEV2\", \"SEV3\"]"),
                );
            } else {
                self.severity_levels = levels.value;
            }
        }
        let mut names = std::collections::HashSet::new();
        for r in raw.repositories {
            if !names.insert(r.name.value.clone()) {
                diags.push(
                    Diagnostic::new(Code::BadConfig, format!("repository `{}` is configured twice", r.name.value))
                        .at(path, r.name.span.into()),
                );
            }
            if let Some(url) = &r.url
                && !url.value.contains("{sha}")
            {
                diags.push(
                    Diagnostic::new(Code::BadConfig, "repository `url` has no `{sha}` placeholder")
                        .at(path, url.span.clone().into())
                        .hint("e.g. \"https://github.com/acme/app/commit/{sha}\""),
                );
            }
            self.repositories.push(Repository {
                name: r.name.value,
                path: r.path.map(|p| root.join(p)),
                url: r.url.map(|u| u.value),
            });
        }
        if let Some(days) = raw.runbooks.review_days {
            if days.value <= 0 {
                diags.push(
                    Diagnostic::new(Code::BadConfig, "`review_days` must be a positive number of days")
                        .at(path, days.span.into()),
                );
            } else {
                self.review_days = days.value;
            }
        }
        for p in raw.redact.patterns {
            match regex::Regex::new(&p.value) {
                Ok(re) => self.redact.push(re),
                Err(e) => diags.push(
                    Diagnostic::new(Code::BadConfig, "invalid regular expression in `[redact] patterns`")
                        .at(path, p.span.into())
                        .hint(e.to_string().lines().last().unwrap_or("").trim().to_string()),
                ),
            }
        }
        if let Some(t) = raw.book.title {
            self.book_title = t;
        }
        self.book_authors = raw.book.authors;
        if let Some(n) = raw.book.incident_pages {
            self.book_incident_pages = n;
        }
    }

    pub fn repository(&self, name: &str) -> Option<&Repository> {
        self.repositories.iter().find(|r| r.name == name)
    }
}

fn config_keys() -> Vec<&'static str> {
    vec![
        "project",
        "paths",
        "severity",
        "repositories",
        "runbooks",
        "redact",
        "book",
        "name",
        "id_format",
        "incidents",
        "templates",
        "levels",
        "path",
        "url",
        "review_days",
        "patterns",
        "title",
        "authors",
    ]
}
