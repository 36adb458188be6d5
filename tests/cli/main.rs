//! casebook's integration tests: one binary, one module per area, every test on a
//! real project in a temp dir with the real `casebook` binary (and, for the site, the
//! real mdBook and Chromium: those are `#[ignore]`d and run by `.ci/run`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod project;

mod book;
mod check_bad_input;
mod check_rules;
mod diagnostics;
mod docs;
mod examples;
mod figures;
mod format_spec;
mod git;
mod import;
mod loader_props;
mod render;
mod revision2;
mod safety;
mod site;
mod workflow;
