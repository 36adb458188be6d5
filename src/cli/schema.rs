//! `casebook schema`, `completions` and `man`: what the tool says about itself.

use super::Status;
use super::output::print;
use crate::error::{Error, Result};

#[derive(clap::Args, Debug)]
pub struct SchemaArgs {
    /// The schema of casebook.toml instead of the record format's
    #[arg(long)]
    pub config: bool,
}

/// The JSON Schema of records (or of casebook.toml).
pub fn run(args: &SchemaArgs) -> Result<Status> {
    print(&if args.config { crate::project::config_schema() } else { crate::project::record_schema() })?;
    Ok(Status::Success)
}

/// Shell completions.
pub fn completions(shell: clap_complete::Shell) -> Result<Status> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut super::command(), "casebook", &mut buf);
    std::io::Write::write_all(&mut std::io::stdout(), &buf).map_err(|e| Error::io("stdout", e))?;
    Ok(Status::Success)
}

/// The man page (roff).
pub fn man() -> Result<Status> {
    clap_mangen::Man::new(super::command()).render(&mut std::io::stdout()).map_err(|e| Error::io("stdout", e))?;
    Ok(Status::Success)
}
