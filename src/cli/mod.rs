//! The command line: clap's definitions, one file per subcommand holding the
//! options it takes (declared once, as the struct the command receives) and what
//! it does with them through the library, reported to the terminal.
//!
//! Exit codes: 0 success, 1 problems found (errors in records, a stale book with
//! `--check`, warnings with `--deny-warnings`) or a failure, 2 usage errors.

mod actions;
mod build;
mod check;
mod commits;
mod explain;
mod import;
mod init;
mod mdbook;
mod new;
mod output;
mod render;
mod schema;
mod serve;
mod stats;
mod templates;

pub use output::Global;

use crate::error::Result;
use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::ColorChoice;
use std::path::PathBuf;

/// Incident records in, postmortems and a runbook site out.
#[derive(Parser, Debug)]
#[command(name = "casebook", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Run as if started in DIR
    #[arg(short = 'C', global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// When to use colors
    #[arg(long, global = true, value_enum, default_value = "auto", value_name = "WHEN")]
    pub color: ColorWhen,
    /// Print only errors
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print more about what is done (e.g. the phases of `build` and their times)
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Judge overdue actions and review ages as of this day (YYYY-MM-DD) instead of today
    #[arg(long, global = true, value_name = "DATE", env = "CASEBOOK_TODAY")]
    pub today: Option<chrono::NaiveDate>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Validate records and casebook.toml; report problems like a compiler
    Check(check::CheckArgs),
    /// Explain a diagnostic code (e.g. E0006); without a code, list them all
    Explain(explain::ExplainArgs),
    /// Render one postmortem (markdown) from a record
    Render(render::RenderArgs),
    /// Work with the templates
    #[command(subcommand)]
    Templates(templates::TemplatesCommand),
    /// Write the mdBook source tree (the runbook site) into book/
    Build(build::BuildArgs),
    /// Build the book and serve it with mdBook, reloading on change
    Serve(serve::ServeArgs),
    /// Write casebook.toml, incidents/ and an example record; never touches existing files
    Init,
    /// Start a new record: the next id, a slug from today's date and the title, a skeleton
    New(new::NewArgs),
    /// Every action item across records, overdue first
    Actions(actions::ActionsArgs),
    /// Counts and response times by severity, service, cause kind and month
    Stats(stats::StatsArgs),
    /// Print the JSON Schema of the record format (or of casebook.toml)
    Schema(schema::SchemaArgs),
    /// Turn markdown postmortems into records (a file, a folder of them, or stdin)
    Import(import::ImportArgs),
    /// Print shell completions
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff)
    Man,
    /// List every link between incidents and commits, in both directions
    Commits(commits::CommitsArgs),
}

/// How a command that ran to its end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Success,
    /// Problems found: errors in records, a stale book, overdue actions asked to fail on.
    Problems,
}

impl Status {
    pub fn failed_if(problems: bool) -> Status {
        if problems { Status::Problems } else { Status::Success }
    }
}

/// Output formats of `check` and `commits`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

impl Cli {
    /// The options every command shares.
    pub fn global(&self) -> Global {
        let color = match self.color {
            ColorWhen::Always => ColorChoice::Always,
            ColorWhen::Never => ColorChoice::Never,
            ColorWhen::Auto => {
                if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
                    || !std::io::IsTerminal::is_terminal(&std::io::stderr())
                {
                    ColorChoice::Never
                } else {
                    ColorChoice::Auto
                }
            }
        };
        let root = match &self.dir {
            Some(d) => d.clone(),
            None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        };
        Global {
            root: std::fs::canonicalize(&root).unwrap_or(root),
            color,
            quiet: self.quiet,
            verbose: self.verbose,
            today: self.today.unwrap_or_else(|| chrono::Local::now().date_naive()),
        }
    }
}

/// Runs the command; returns the process's exit code (errors are reported here).
pub fn run(cli: Cli) -> u8 {
    let g = cli.global();
    let result = dispatch(&g, cli.command);
    match result {
        Ok(Status::Success) => 0,
        Ok(Status::Problems) => 1,
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            output::report_error(g.color, &e);
            e.exit_code()
        }
    }
}

fn dispatch(g: &Global, command: Command) -> Result<Status> {
    match command {
        Command::Check(args) => check::run(g, &args),
        Command::Explain(args) => explain::run(g, &args),
        Command::Render(args) => render::run(g, &args),
        Command::Templates(cmd) => templates::run(g, &cmd),
        Command::Build(args) => build::run(g, &args),
        Command::Serve(args) => serve::run(g, &args),
        Command::Init => init::run(g),
        Command::New(args) => new::run(g, &args),
        Command::Actions(args) => actions::run(g, &args),
        Command::Stats(args) => stats::run(g, &args),
        Command::Schema(args) => schema::run(&args),
        Command::Import(args) => import::run(g, &args),
        Command::Completions { shell } => schema::completions(shell),
        Command::Man => schema::man(),
        Command::Commits(args) => commits::run(g, &args),
    }
}

/// The clap command, for completions, the man page and the test of its definition.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_definition_is_consistent() {
        super::command().debug_assert();
    }
}
