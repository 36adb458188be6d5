//! Starting and extending a project: `init` (casebook.toml, the schema, incidents/
//! and an example), the skeleton of a new record, and the JSON Schemas.

mod schema;
mod skeleton;

pub use schema::{SCHEMA_FILE, config_schema, record_schema};
pub use skeleton::{next_id, skeleton, slug};

use crate::config::{CONFIG_FILE, Config};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// What `init` did with each path.
#[derive(Debug, PartialEq, Eq)]
pub enum InitStep {
    Created(PathBuf),
    Kept(PathBuf),
}

const CONFIG_TEMPLATE: &str = r#"# casebook configuration: every key is optional.

[project]
# Pattern for `casebook new`: {year}, {seq} (counts within the year; {seq:03} pads).
id_format = "INC-{year}-{seq:03}"

[severity]
levels = ["SEV1", "SEV2", "SEV3", "SEV4", "SEV5"]   # worst first

# [[repositories]]           # where cited commits live; default: this repository
# name = "app"
# path = "."
# url = "https://github.com/acme/app/commit/{sha}"

[runbooks]
review_days = 180

# [redact]
# patterns = ["CUSTOMER-\\d+"]   # replaced by [redacted] in public output

[book]
title = "Incidents and runbooks"
# incident_pages = 500        # for large archives: the newest get a page each, older months share one
"#;

/// Writes casebook.toml, incidents/ and an example record; never touches what exists.
pub fn init(root: &Path, today: NaiveDate) -> std::io::Result<Vec<InitStep>> {
    let mut steps = Vec::new();
    let config = root.join(CONFIG_FILE);
    if config.exists() {
        steps.push(InitStep::Kept(config));
    } else {
        crate::fsutil::write_atomic(&config, CONFIG_TEMPLATE.as_bytes())?;
        steps.push(InitStep::Created(config));
    }
    let schema = root.join(SCHEMA_FILE);
    if schema.exists() {
        steps.push(InitStep::Kept(schema));
    } else {
        crate::fsutil::write_atomic(&schema, record_schema().as_bytes())?;
        steps.push(InitStep::Created(schema));
    }
    let (cfg, _, _) = Config::load(root);
    let incidents = cfg.incidents_dir.clone();
    let has_records = incidents.is_dir() && !crate::load::discover(std::slice::from_ref(&incidents), root).0.is_empty();
    if incidents.is_dir() {
        steps.push(InitStep::Kept(incidents.clone()));
    } else {
        std::fs::create_dir_all(&incidents)?;
        steps.push(InitStep::Created(incidents.clone()));
    }
    if !has_records {
        let id = next_id(&cfg.id_format, &[], today);
        let title = "Example: what users saw";
        // Named by the slug the record's own comment tells `casebook render` to use.
        let example = incidents.join(format!("{}.toml", slug(today, title)));
        let text = skeleton(&id, title, today, None, &Some("SEV3".to_string()), &[], true);
        std::fs::write(&example, text)?;
        steps.push(InitStep::Created(example));
    }
    steps.push(gitignore(root, &cfg.book_dir)?);
    Ok(steps)
}

/// `.gitignore` for what a build leaves that is not source: mdBook's HTML and the
/// writer's transient files. An existing `.gitignore` is the user's: kept as it is.
fn gitignore(root: &Path, book_dir: &Path) -> std::io::Result<InitStep> {
    let path = root.join(".gitignore");
    if path.exists() {
        return Ok(InitStep::Kept(path));
    }
    let book = book_dir.strip_prefix(root).unwrap_or(book_dir).to_string_lossy().replace('\\', "/");
    let book = book.trim_end_matches('/');
    let text = format!(
        "# Written by `casebook init`.\n# mdBook's HTML output (`casebook build --html`, `casebook serve`):\n/{book}/book/\n\
         # What an interrupted `casebook build` leaves for the next one to finish:\n/{book}/.casebook-tmp/\n/{book}/.casebook-journal\n"
    );
    crate::fsutil::write_atomic(&path, text.as_bytes())?;
    Ok(InitStep::Created(path))
}
