//! Failures that stop a command, as opposed to diagnostics about records (those
//! are shown as diagnostics, and the command then fails with [`Error::Invalid`]).
//! Every kind has one exit code: 2 when the command line asks for something that
//! does not exist, 1 for everything else.

use crate::book::BookError;
use crate::render::RenderError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line names something that does not exist or cannot be done.
    #[error("{0}")]
    Usage(String),
    #[error("{}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Records or casebook.toml have errors, already shown as diagnostics.
    #[error("{count} error{} in {what}; {then}", if *.count == 1 { "" } else { "s" })]
    Invalid { count: usize, what: String, then: String },
    #[error(transparent)]
    Template(#[from] RenderError),
    #[error("the build stopped, and the book is left as it was")]
    Book(#[source] BookError),
    #[error("cannot run {}", .bin.display())]
    MdbookMissing {
        bin: PathBuf,
        version: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("mdbook {action} reported {count} problem(s)")]
    MdbookProblems { action: &'static str, count: usize },
    #[error("cannot start the editor `{editor}`")]
    Editor {
        editor: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the editor exited with {status}; {path} is kept as it is")]
    EditorFailed { status: std::process::ExitStatus, path: String },
    /// casebook never overwrites a file it did not write.
    #[error("{} already exists; {advice}", .path.display())]
    Exists { path: PathBuf, advice: &'static str },
    #[error("{} is not a regular file of at most 64 MiB; {what}", .path.display())]
    NotAFile { path: PathBuf, what: &'static str },
    /// The record an import made does not load: a bug in the importer, never a file.
    #[error("importing {name} made a record that casebook rejects, so nothing was written:\n  {}", .problems.join("\n  "))]
    ImportRejected { name: String, problems: Vec<String> },
    /// The record an import made loads, but `casebook check` finds an error in
    /// what the document says (a secret): the document is for its author to fix.
    #[error("{name} holds what casebook check refuses in a record, so nothing was written:\n  {}", .problems.join("\n  "))]
    ImportRefused { name: String, problems: Vec<String> },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// The process's exit code for this kind of failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }

    /// What to do about it, when that is not in the message already.
    pub fn help(&self) -> Option<String> {
        match self {
            Error::MdbookMissing { version, .. } => Some(format!(
                "install mdBook {version}: cargo install mdbook --version {version} --locked (or set CASEBOOK_MDBOOK)"
            )),
            Error::Editor { .. } => Some("set $VISUAL or $EDITOR to your editor's command".to_string()),
            Error::ImportRefused { .. } => Some(
                "the lines above are in the record the import made, from the document's own words: fix the markdown (a secret: remove it, and rotate it), then import again".to_string(),
            ),
            Error::ImportRejected { .. } => Some(
                "this is a bug in casebook import: please report it with the document (the lines above are in the record it made)".to_string(),
            ),
            _ => None,
        }
    }

    /// A closed pipe (`casebook man | head`): not worth reporting.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl From<BookError> for Error {
    fn from(e: BookError) -> Self {
        Error::Book(e)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
