//! casebook: incident records in, postmortems and a runbook site out.
//!
//! Layers, each depending only on those below it:
//! `commands` → `book` → `render` → `view` → (`model`, `figures`, `check`, `git`),
//! with `load` turning files into the `model` and `diag` describing problems.

pub mod book;
pub mod check;
pub mod commands;
pub mod config;
pub mod diag;
pub mod figures;
pub mod fsutil;
pub mod git;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod redact;
pub mod render;
pub mod view;
pub mod workflow;

pub use load::{Casebook, Record};

/// Failures that stop a command (as opposed to diagnostics about records).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io { path: std::path::PathBuf, source: std::io::Error },
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Failed(String),
}

impl Error {
    pub fn io(path: impl Into<std::path::PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
