//! `casebook serve`: the book, served by mdBook, rebuilt whenever a record, a
//! template or the config changes (mdBook's live reload then shows it).

use super::Status;
use super::build::{self, BuildArgs};
use super::mdbook;
use super::output::Global;
use crate::book;
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
    let built = rebuild(g, &mut Vec::new());
    // (After the first build, which writes book.toml when there is none.)
    let mut previews = Previews::new(book::preview::Folders::of(&config.book_dir));
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
        previews.keep(g);
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(events)) if events.iter().any(|e| relevant(&e.path)) => {
                let mut written = Vec::new();
                if rebuild(g, &mut written) {
                    if child.is_none() {
                        child = Some(spawn_mdbook(g, &config.book_dir, args)?);
                    } else {
                        previews.show(g, &written);
                    }
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
    previews.folders.unstamp();
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

/// At most this many changed incident pages are previewed at once: a change to a
/// template or the config changes every page, and mdBook's rebuild shows them all.
const MAX_PREVIEWS: usize = 8;

/// The previews shown since mdBook last started a build.
struct Previews {
    folders: book::preview::Folders,
    /// How many times pages were told to reload (the stamp's content).
    count: u64,
    /// Each previewed page (markdown, relative to the book) and when its HTML was written.
    pending: Vec<(PathBuf, PathBuf, std::time::SystemTime)>,
    /// The last HTML page seen in each folder of the book, to preview a page while
    /// mdBook has emptied its output for a build.
    shells: std::collections::HashMap<PathBuf, String>,
}

impl Previews {
    fn new(folders: book::preview::Folders) -> Previews {
        Previews { folders, count: 0, pending: Vec::new(), shells: std::collections::HashMap::new() }
    }

    /// Shows the changed incident pages at once, before mdBook has rebuilt the
    /// book: each page's new markdown in its last HTML page, and the stamp that
    /// makes open pages reload.
    fn show(&mut self, g: &Global, written: &[PathBuf]) {
        // The incident pages: what someone writing a record looks at (the indexes it
        // also changes wait for mdBook).
        let pages: Vec<&PathBuf> = written
            .iter()
            .filter(|p| {
                (p.starts_with("src/incidents") || p.starts_with("src/archive"))
                    && p.extension().is_some_and(|e| e == "md")
            })
            .collect();
        if pages.is_empty() || pages.len() > MAX_PREVIEWS {
            return;
        }
        for page in pages {
            self.write(g, page);
        }
        self.stamp();
    }

    fn write(&mut self, g: &Global, page: &Path) {
        let Some(html) = self.folders.html_path(page) else { return };
        let folder = page.parent().map(Path::to_path_buf).unwrap_or_default();
        match self.folders.write(page, self.shells.get(&folder).map(String::as_str)) {
            Ok(Some(text)) => {
                let at = std::fs::metadata(&html).and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
                self.pending.retain(|(p, _, _)| p != page);
                self.pending.push((page.to_path_buf(), html, at));
                self.shells.insert(folder, text);
            }
            Ok(None) => {}
            Err(e) => {
                let mut err = g.stderr();
                let _ = writeln!(err, "warning: no preview of {}: {e}", page.display());
            }
        }
    }

    fn stamp(&mut self) {
        if !self.pending.is_empty() {
            self.count += 1;
            let _ = self.folders.stamp(self.count);
        }
    }

    /// mdBook empties its output folder when it starts a build, the stamp with
    /// it: that build holds the changes, but until it writes the pages they are
    /// missing, so the previews are written again into the empty folder (mdBook's
    /// pages replace them as it goes) and pages told once more to reload. Until
    /// then, a build mdBook started before the change may write an older page over
    /// a preview: the preview is written again.
    fn keep(&mut self, g: &Global) {
        if self.pending.is_empty() {
            return;
        }
        if !self.folders.stamped() {
            let pages: Vec<PathBuf> = self.pending.drain(..).map(|(page, _, _)| page).collect();
            for page in &pages {
                self.write(g, page);
            }
            self.stamp();
            self.pending.clear();
            return;
        }
        let overwritten: Vec<PathBuf> = self
            .pending
            .iter()
            .filter(|(_, html, at)| std::fs::metadata(html).and_then(|m| m.modified()).is_ok_and(|m| m > *at))
            .map(|(page, _, _)| page.clone())
            .collect();
        if overwritten.is_empty() {
            return;
        }
        for page in overwritten {
            self.write(g, &page);
        }
        self.stamp();
    }
}

/// Builds the book's source, noting the files it wrote; problems are shown and the
/// last good book stays served.
fn rebuild(g: &Global, written: &mut Vec<PathBuf>) -> bool {
    match build::run_noting(g, &BuildArgs::default(), written) {
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

/// On Linux the kernel ends mdBook when casebook dies, however it dies (SIGKILL
/// included, which no handler sees). Elsewhere casebook ends it on every signal it
/// can catch.
#[cfg(target_os = "linux")]
fn end_with_casebook(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: between fork and exec the closure only makes async-signal-safe system
    // calls and allocates nothing.
    let parent = std::process::id();
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            // casebook died before the call: the kernel would not tell mdBook.
            if libc::getppid() as u32 != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn end_with_casebook(_cmd: &mut Command) {}

fn spawn_mdbook(g: &Global, book: &Path, args: &ServeArgs) -> Result<Child> {
    let bin = mdbook::binary();
    let mut cmd = Command::new(&bin);
    cmd.arg("serve").arg(book).arg("--port").arg(args.port.to_string()).arg("--hostname").arg(&args.hostname);
    if args.open {
        cmd.arg("--open");
    }
    end_with_casebook(&mut cmd);
    let child = cmd.spawn().map_err(|e| mdbook::missing(&bin, e))?;
    g.done(&format!(
        "serving {} at http://{}:{}/, rebuilt on every change to the records, templates and casebook.toml; Ctrl-C ends it",
        g.shown(book),
        args.hostname,
        args.port
    ));
    Ok(child)
}
