//! `casebook serve`: the book, served by mdBook, rebuilt whenever a record, a
//! template or the config changes (mdBook's live reload then shows it).

use super::Status;
use super::build::{self, BuildArgs};
use super::mdbook;
use super::output::Global;
use crate::error::{Error, Result};
use notify_debouncer_mini::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The port to serve on
    #[arg(short, long, default_value_t = 3000)]
    pub port: u16,
    /// The address to listen on
    #[arg(short = 'n', long, default_value = "localhost")]
    pub hostname: String,
    /// Open the book in the default web browser
    #[arg(long)]
    pub open: bool,
}

/// How long the watcher waits for a burst of saves to end before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Builds the book, serves it with `mdbook serve`, and rebuilds its source on every
/// change to the records, the templates or `casebook.toml`, until a signal (or
/// mdBook) ends it; mdBook is ended with it.
pub fn run(g: &Global, args: &ServeArgs) -> Result<Status> {
    let config = g.config()?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    // SIGINT, SIGTERM and SIGHUP: end mdBook too, then exit.
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .map_err(|e| Error::io("signal handler", std::io::Error::other(e)))?;
    let built = rebuild(g);
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, tx).map_err(|e| Error::io("file watcher", std::io::Error::other(e)))?;
    let watched = watched_paths(&config.root, &config.incidents_dir, &config.templates_dir);
    for (path, mode) in &watched {
        if path.exists() {
            debouncer.watcher().watch(path, *mode).map_err(|e| Error::io(path, std::io::Error::other(e)))?;
        }
    }
    let relevant = |p: &Path| {
        !p.starts_with(&config.book_dir)
            && (p.starts_with(&config.incidents_dir)
                || p.starts_with(&config.templates_dir)
                || p.file_name().is_some_and(|n| n == crate::config::CONFIG_FILE))
    };
    let mut child: Option<Child> = None;
    if built {
        child = Some(spawn_mdbook(g, &config.book_dir, args)?);
    }
    let status = loop {
        if stop.load(Ordering::SeqCst) {
            break Status::Success;
        }
        if let Some(c) = child.as_mut()
            && let Ok(Some(exit)) = c.try_wait()
        {
            child = None;
            let mut err = g.stderr();
            let _ = writeln!(err, "mdBook stopped ({exit}); casebook serve ends too");
            break Status::failed_if(!exit.success());
        }
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(events)) if events.iter().any(|e| relevant(&e.path)) => {
                if rebuild(g) && child.is_none() {
                    child = Some(spawn_mdbook(g, &config.book_dir, args)?);
                }
            }
            Ok(_) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break Status::Problems,
        }
    };
    if let Some(mut c) = child {
        let _ = c.kill();
        let _ = c.wait();
    }
    Ok(status)
}

/// What to watch: the records (recursively), the templates, and the project's root
/// (not recursively) for `casebook.toml`.
fn watched_paths(root: &Path, incidents: &Path, templates: &Path) -> Vec<(PathBuf, RecursiveMode)> {
    vec![
        (incidents.to_path_buf(), RecursiveMode::Recursive),
        (templates.to_path_buf(), RecursiveMode::Recursive),
        (root.to_path_buf(), RecursiveMode::NonRecursive),
    ]
}

/// Builds the book's source; problems are shown and the last good book stays served.
fn rebuild(g: &Global) -> bool {
    match build::run(g, &BuildArgs::default()) {
        Ok(Status::Success) => true,
        Ok(_) => false,
        Err(e) => {
            super::output::report_error(g.color, &e);
            let mut err = g.stderr();
            let _ = writeln!(err, "waiting for the next change (the page shows the last good build)");
            false
        }
    }
}

fn spawn_mdbook(g: &Global, book: &Path, args: &ServeArgs) -> Result<Child> {
    let bin = mdbook::binary();
    let mut cmd = Command::new(&bin);
    cmd.arg("serve").arg(book).arg("--port").arg(args.port.to_string()).arg("--hostname").arg(&args.hostname);
    if args.open {
        cmd.arg("--open");
    }
    let child = cmd.spawn().map_err(|e| mdbook::missing(&bin, e))?;
    g.done(&format!(
        "serving {} at http://{}:{}/, rebuilt on every change to the records, templates and casebook.toml; Ctrl-C ends it",
        g.shown(book),
        args.hostname,
        args.port
    ));
    Ok(child)
}
