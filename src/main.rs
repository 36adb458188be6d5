//! The `casebook` command line: parses arguments and calls the library.

use casebook::commands::{self, Format, Global};
use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::ColorChoice;
use std::path::PathBuf;
use std::process::ExitCode;

/// Incident records in, postmortems and a runbook site out.
#[derive(Parser)]
#[command(name = "casebook", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Run as if started in DIR
    #[arg(short = 'C', global = true, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// When to use colors
    #[arg(long, global = true, value_enum, default_value = "auto", value_name = "WHEN")]
    color: ColorWhen,
    /// Print only errors
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Print more about what is done
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Judge overdue actions and review ages as of this day (YYYY-MM-DD) instead of today
    #[arg(long, global = true, value_name = "DATE", env = "CASEBOOK_TODAY")]
    today: Option<chrono::NaiveDate>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Validate records and casebook.toml; report problems like a compiler
    Check {
        /// Record files or folders (default: the incidents folder)
        paths: Vec<PathBuf>,
        /// Output format: human-readable, or one JSON object per diagnostic
        #[arg(long, value_enum, default_value = "human")]
        format: OutputFormat,
        /// Fail on warnings too
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Explain a diagnostic code (e.g. E0006); without a code, list them all
    Explain { code: Option<String> },
    /// Render one postmortem (markdown) from a record
    Render {
        /// The record's slug, id, or path
        record: String,
        /// Write to FILE instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Print the JSON context the templates receive, instead of rendering
        #[arg(long)]
        context: bool,
        /// Leave out private parts and apply redaction
        #[arg(long)]
        public: bool,
    },
    /// Work with the templates
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Write the mdBook source tree (the runbook site) into book/
    Build {
        /// Write nothing; print a diff of every file that would change and exit 1 if any would
        #[arg(long)]
        check: bool,
        /// Also render the HTML with mdBook
        #[arg(long, conflicts_with = "check")]
        html: bool,
        /// Leave out private parts and apply redaction
        #[arg(long)]
        public: bool,
        /// The book folder (default: [paths] book of casebook.toml, else book/)
        #[arg(short, long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Build the book and serve it with mdBook, reloading on change
    Serve,
    /// List every link between incidents and commits, in both directions
    Commits {
        /// Only this record (slug or id)
        record: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: OutputFormat,
    },
}

#[derive(Subcommand)]
enum TemplatesCommand {
    /// Write the built-in templates to the templates folder for editing
    Eject {
        /// Overwrite existing files
        #[arg(long)]
        force: bool,
    },
    /// List the templates and whether each is built-in or yours
    List,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Format {
        match f {
            OutputFormat::Human => Format::Human,
            OutputFormat::Json => Format::Json,
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let color = match cli.color {
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
    let root = match &cli.dir {
        Some(d) => d.clone(),
        None => std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
    };
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let g = Global {
        root,
        color,
        quiet: cli.quiet,
        verbose: cli.verbose,
        today: cli.today.unwrap_or_else(|| chrono::Local::now().date_naive()),
    };
    let result = match &cli.command {
        Command::Check { paths, format, deny_warnings } => {
            let format = match format {
                OutputFormat::Human => Format::Human,
                OutputFormat::Json => Format::Json,
            };
            commands::check(&g, paths, format, *deny_warnings)
        }
        Command::Explain { code } => commands::explain(&g, code.as_deref()),
        Command::Render { record, output, context, public } => commands::render(
            &g,
            &commands::RenderArgs {
                target: record.clone(),
                output: output.clone(),
                context: *context,
                public: *public,
            },
        ),
        Command::Templates(TemplatesCommand::Eject { force }) => commands::templates_eject(&g, *force),
        Command::Templates(TemplatesCommand::List) => commands::templates_list(&g),
        Command::Build { check, html, public, out } => {
            commands::build(&g, &commands::BuildArgs { check: *check, html: *html, public: *public, out: out.clone() })
        }
        Command::Serve => commands::serve(&g),
        Command::Commits { record, format } => commands::commits(&g, record.as_deref(), (*format).into()),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            commands::report_error(color, &e);
            ExitCode::from(if matches!(e, casebook::Error::Usage(_)) { 2 } else { 1 })
        }
    }
}
