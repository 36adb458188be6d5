//! The `casebook` command line: parses arguments and calls the library.

use casebook::commands::{self, Format, Global};
use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::ColorChoice;
use std::path::PathBuf;
use std::process::ExitCode;

// A build makes millions of small strings on every core; mimalloc's per-thread heaps
// take about a fifth off a cold build of 10,000 records against glibc's malloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` option (`mi_option_purge_delay` in mimalloc.h; the
/// sys crate names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory for reuse instead of handing it back to the OS a second
/// later. A command runs for seconds and exits; memory handed back and faulted in
/// again costs the kernel a page clear each time, which measured a tenth of a cold
/// build of 10,000 records (bench/run.sh). `serve` stays up, so it keeps purging.
fn keep_freed_memory() {
    // SAFETY: mi_option_set only stores an option value; any value is valid for it.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

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
    /// Write casebook.toml, incidents/ and an example record; never touches existing files
    Init,
    /// Start a new record: the next id, a slug from today's date and the title, a skeleton
    New {
        /// What users saw, in one line
        title: String,
        #[arg(long)]
        severity: Option<String>,
        /// A service affected (repeat for several)
        #[arg(long = "service", value_name = "SERVICE")]
        services: Vec<String>,
        /// Open $VISUAL or $EDITOR on the new record, then check it
        #[arg(long)]
        edit: bool,
    },
    /// Every action item across records, overdue first
    Actions {
        /// Only overdue actions
        #[arg(long)]
        overdue: bool,
        #[arg(long)]
        owner: Option<String>,
        /// open, in-progress, done, deferred or dropped
        #[arg(long)]
        status: Option<String>,
        #[arg(long, value_enum, default_value = "table")]
        format: TableFormatArg,
        /// Exit 1 when any action is overdue
        #[arg(long)]
        fail_on_overdue: bool,
    },
    /// Counts and response times by severity, service, cause kind and month
    Stats {
        /// Incidents on or after this day
        #[arg(long, value_name = "DATE")]
        since: Option<chrono::NaiveDate>,
        /// Incidents on or before this day
        #[arg(long, value_name = "DATE")]
        until: Option<chrono::NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: StatsFormatArg,
    },
    /// Print the JSON Schema of the record format (or of casebook.toml)
    Schema {
        #[arg(long)]
        config: bool,
    },
    /// Turn markdown postmortems into records (a file, a folder of them, or stdin)
    Import {
        /// A markdown file, or a folder of them (batch mode)
        input: Option<PathBuf>,
        /// Read the markdown from standard input
        #[arg(long, conflicts_with = "input")]
        stdin: bool,
        /// Where to write: a file (default: standard output), or a folder in batch mode (default: incidents/)
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Print shell completions
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff)
    Man,
    /// List every link between incidents and commits, in both directions
    Commits {
        /// Only this record (slug or id)
        record: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: OutputFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum TableFormatArg {
    Table,
    Json,
    Csv,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum StatsFormatArg {
    Table,
    Json,
    Csv,
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
    if !matches!(cli.command, Command::Serve) {
        keep_freed_memory();
    }
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
        Command::Init => commands::init(&g),
        Command::New { title, severity, services, edit } => commands::new(
            &g,
            &commands::NewArgs {
                title: title.clone(),
                severity: severity.clone(),
                services: services.clone(),
                edit: *edit,
            },
        ),
        Command::Actions { overdue, owner, status, format, fail_on_overdue } => commands::actions(
            &g,
            &commands::ActionsArgs {
                overdue: *overdue,
                owner: owner.clone(),
                status: status.clone(),
                format: match format {
                    TableFormatArg::Table => commands::TableFormat::Table,
                    TableFormatArg::Json => commands::TableFormat::Json,
                    TableFormatArg::Csv => commands::TableFormat::Csv,
                    TableFormatArg::Markdown => commands::TableFormat::Markdown,
                },
                fail_on_overdue: *fail_on_overdue,
            },
        ),
        Command::Stats { since, until, format } => commands::stats(
            &g,
            *since,
            *until,
            match format {
                StatsFormatArg::Table => commands::TableFormat::Table,
                StatsFormatArg::Json => commands::TableFormat::Json,
                StatsFormatArg::Csv => commands::TableFormat::Csv,
            },
        ),
        Command::Schema { config } => commands::schema(*config),
        Command::Import { input, stdin, output } => {
            commands::import(&g, &commands::ImportArgs { input: input.clone(), stdin: *stdin, output: output.clone() })
        }
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut <Cli as clap::CommandFactory>::command(), "casebook", &mut buf);
            std::io::Write::write_all(&mut std::io::stdout(), &buf)
                .map(|()| 0)
                .map_err(|e| casebook::Error::io("stdout", e))
        }
        Command::Man => {
            let man = clap_mangen::Man::new(<Cli as clap::CommandFactory>::command());
            match man.render(&mut std::io::stdout()) {
                Ok(()) => Ok(0),
                Err(e) => Err(casebook::Error::io("stdout", e)),
            }
        }
        Command::Commits { record, format } => commands::commits(&g, record.as_deref(), (*format).into()),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        // A closed pipe (`casebook man | head`) is not an error.
        Err(casebook::Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            commands::report_error(color, &e);
            ExitCode::from(if matches!(e, casebook::Error::Usage(_)) { 2 } else { 1 })
        }
    }
}

#[cfg(test)]
mod tests {
    /// Index 15 must be the purge delay: its default is 1000 ms in mimalloc 3, the
    /// only option with that default.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads an option value.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) }, 1000);
    }
}
