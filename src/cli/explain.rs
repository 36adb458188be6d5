//! `casebook explain [CODE]`: what a diagnostic code means.

use super::Status;
use super::output::{Global, print};
use crate::diag::{Code, Level};
use crate::error::{Error, Result};

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// A diagnostic code such as E0006; without one, the list of them all
    pub code: Option<String>,
}

fn level(c: Code) -> &'static str {
    if c.level() == Level::Error { "error" } else { "warning" }
}

pub fn run(_: &Global, args: &ExplainArgs) -> Result<Status> {
    match &args.code {
        None => {
            let list: String =
                Code::ALL.iter().map(|c| format!("{}  {:<7}  {}\n", c.as_str(), level(*c), c.title())).collect();
            print(&list)?;
        }
        Some(text) => {
            let c = Code::parse(text).ok_or_else(|| {
                Error::Usage(format!("no diagnostic code \"{text}\"; `casebook explain` lists them all"))
            })?;
            print(&format!("{}[{}]: {}\n\n{}\n", level(c), c.as_str(), c.title(), c.explanation()))?;
        }
    }
    Ok(Status::Success)
}
