//! The view: what templates receive. Built from the record model plus what the git
//! layer found; every figure is computed (in `figures`) and every string is
//! escaped for markdown here, so templates only print. `incident` is the
//! postmortem's view; `pages` the views of the book's other pages; `charts` draws
//! the SVG figures both use.

pub mod charts;
pub mod incident;
pub mod pages;
pub mod text;

pub use incident::*;
pub use text::{moment_label, time_of};

use crate::config::Config;
use crate::git::GitFacts;
use chrono::NaiveDate;
use serde::Serialize;

/// How a view is built.
pub struct ViewOptions<'a> {
    pub config: &'a Config,
    pub git: &'a GitFacts,
    pub today: NaiveDate,
    /// Leave out private parts and apply redaction.
    pub public: bool,
    /// Link targets inside the book (`None` for a standalone postmortem).
    pub book_links: Option<&'a dyn BookLinks>,
}

/// Where the book puts pages, relative to an incident page.
pub trait BookLinks {
    fn runbook(&self, id: &str) -> Option<String>;
    fn incident(&self, key: &str) -> Option<(String, String)>;
}

#[derive(Debug, Serialize)]
pub struct Context {
    pub incident: IncidentView,
    pub public: bool,
    pub generator: &'static str,
}

/// Builds the template context for one incident.
pub fn build(inc: &crate::model::Incident, o: &ViewOptions<'_>) -> Context {
    Context { incident: incident(inc, o), public: o.public, generator: concat!("casebook ", env!("CARGO_PKG_VERSION")) }
}
