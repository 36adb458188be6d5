//! `casebook templates`: the built-in templates, and which are the user's.

use super::Status;
use super::output::{Global, print};
use crate::error::Result;
use crate::render::{self, Origin, Renderer};

#[derive(clap::Subcommand, Debug)]
pub enum TemplatesCommand {
    /// Write the built-in templates to the templates folder for editing
    Eject {
        /// Overwrite existing files
        #[arg(long)]
        force: bool,
    },
    /// List the templates and whether each is built-in or yours
    List,
}

pub fn run(g: &Global, cmd: &TemplatesCommand) -> Result<Status> {
    let config = g.config()?;
    match cmd {
        TemplatesCommand::Eject { force } => {
            let written = render::eject(&config.templates_dir, *force)?;
            g.done(&format!("wrote {} templates to {}", written.len(), g.shown(&config.templates_dir)));
        }
        TemplatesCommand::List => {
            let renderer = Renderer::new(Some(&config.templates_dir), &g.root)?;
            let mut list = String::new();
            for (name, _) in render::BUILTIN {
                let origin = match renderer.origin(name) {
                    Some(Origin::User(p)) => g.shown(p),
                    _ => "built-in".to_string(),
                };
                list.push_str(&format!("{name:<18} {origin}\n"));
            }
            print(&list)?;
        }
    }
    Ok(Status::Success)
}
