//! `casebook init`: a new project, never touching what exists.

use super::Status;
use super::output::Global;
use crate::error::{Error, Result};
use crate::project::{self, InitStep};
use std::io::Write;

pub fn run(g: &Global) -> Result<Status> {
    let steps = project::init(&g.root, g.today).map_err(|e| Error::io(&g.root, e))?;
    let mut err = g.stderr();
    let mut created = 0;
    for s in &steps {
        let (verb, p) = match s {
            InitStep::Created(p) => {
                created += 1;
                ("created", p)
            }
            InitStep::Kept(p) => ("kept existing", p),
        };
        if !g.quiet {
            let _ = writeln!(err, "  {verb:<14} {}", g.shown(p));
        }
    }
    g.done(&format!(
        "initialised {}: {created} created, {} kept; next: casebook new \"Title\"",
        g.root.display(),
        steps.len() - created
    ));
    Ok(Status::Success)
}
