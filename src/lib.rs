//! casebook: incident records in, postmortems and a runbook site out.
//!
//! The pipeline, each stage a module; dependencies point one way:
//! `cli` → `book` → `render` → `view` → `model`, with `load` (files to the model,
//! problems as `diag`nostics), `config`, `check`, `git`, `figures`, `redact` and
//! `import` beside. `docs/architecture.md` is the map.

pub mod book;
pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod error;
pub mod figures;
pub mod fsutil;
pub mod git;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod pattern;
pub mod project;
pub mod redact;
pub mod render;
pub mod view;

pub use error::{Error, Result};
pub use load::{Casebook, Record};
