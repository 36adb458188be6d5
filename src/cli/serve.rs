//! `casebook serve`: the book, served by mdBook with live reload.

use super::Status;
use super::build::{self, BuildArgs};
use super::mdbook;
use super::output::Global;
use crate::error::Result;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {}

/// Builds the book, then serves it with mdBook.
pub fn run(g: &Global, _: &ServeArgs) -> Result<Status> {
    if build::run(g, &BuildArgs::default())? != Status::Success {
        return Ok(Status::Problems);
    }
    let config = g.config()?;
    let bin = mdbook::binary();
    let status = std::process::Command::new(&bin)
        .arg("serve")
        .arg(&config.book_dir)
        .status()
        .map_err(|e| mdbook::missing(&bin, e))?;
    Ok(Status::failed_if(!status.success()))
}
