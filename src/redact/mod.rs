//! What may be published. The detectors for secrets and personal data (used by
//! `check` to report them and by public output to hide them), which link targets a
//! page may hold, which names are safe as file names and URLs, and the public
//! filter that every public page, figure and output is made from.

pub mod detect;
pub mod links;
pub mod names;
pub mod public;

pub use detect::{Finding, Kind, Scope};
pub use links::LinkTarget;
pub use public::Redactor;
