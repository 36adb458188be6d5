//! Diagnostics: what `check` reports, with stable codes, spans and hints; where
//! they are shown (`emit`: rustc-style or JSON lines), the texts they point into
//! (`sources`), and how TOML errors become diagnostics (`toml`).

pub mod emit;
pub mod sources;
pub mod toml;

pub use emit::{JsonDiagnostic, emit, terminal_safe, to_json};
pub use sources::{Source, Sources, line_col};

use crate::model::Span;
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $level:ident, $title:literal, $explain:literal;)+) => {
        /// Every diagnostic code. Codes are stable: never renumber, only add.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant),+ }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $(Code::$variant => $code),+ } }
            pub fn level(self) -> Level { match self { $(Code::$variant => Level::$level),+ } }
            pub fn title(self) -> &'static str { match self { $(Code::$variant => $title),+ } }
            pub fn explanation(self) -> &'static str { match self { $(Code::$variant => $explain),+ } }
            pub fn parse(text: &str) -> Option<Code> {
                let t = text.trim().to_ascii_uppercase();
                Code::ALL.iter().copied().find(|c| c.as_str() == t)
            }
        }
    };
}

codes! {
    NotToml = "E0001", Error, "the file is not valid TOML",
        "The record could not be parsed as TOML. The caret points at the first place the parser\ngave up. Common causes: a missing closing quote, a bare word where a string belongs\n(`status = resolved` instead of `status = \"resolved\"`), or a table header repeated\n(`[impact]` twice). Multi-line text goes in triple quotes: summary = \"\"\"...\"\"\".";
    InvalidUtf8 = "E0002", Error, "the file is not UTF-8",
        "Records must be UTF-8 text. The location points at the first byte that is not valid\nUTF-8. Re-save the file as UTF-8 in your editor, or convert it:\n    iconv -f WINDOWS-1252 -t UTF-8 old.toml > new.toml";
    ByteOrderMark = "E0003", Error, "the file starts with a byte-order mark",
        "The file begins with a UTF-8 byte-order mark (EF BB BF). TOML forbids it and other tools\nreading the record would choke on it. Save the file as \"UTF-8\" rather than \"UTF-8 with BOM\",\nor strip it:  sed -i '1s/^\\xEF\\xBB\\xBF//' FILE";
    EmptyFile = "E0004", Error, "the file is empty",
        "A record needs at least `title`, `status`, `summary` and a `date`. Start from\n`casebook new \"Title\"`, which writes a skeleton, or delete the empty file.";
    WrongType = "E0005", Error, "a value has the wrong type",
        "Every key of the format has one type (FORMAT.md): strings in quotes, lists in [ ],\ndates bare (2025-11-16), datetimes bare (2025-11-16T21:00:00Z), durations as strings\n(\"1h30m\"). The message names the type found and the type expected.";
    UnknownKey = "E0006", Error, "unknown key",
        "The key is not part of the record format (or of casebook.toml). Keys are checked in\nevery table so that a typo (`sevrity`) never silently drops information. The hint names\nthe closest known key; `casebook schema` prints every key.";
    MissingKey = "E0007", Error, "a required key is missing",
        "Records require `title`, `status`, `summary`, and `date` unless `started` or a timeline\nentry carries a full datetime. Tables require their own keys: a timeline entry `at`, a\ncause `title`, a runbook `id` and `title`, a link `url`, a metric `name` and `value`.";
    InvalidValue = "E0008", Error, "a value is not one of the allowed words",
        "Keys such as `status`, `kind`, `role`, `horizon`, `level` and `marks` take one word from\na fixed list (FORMAT.md). The hint names the closest allowed word.";
    BadDuration = "E0009", Error, "a duration cannot be read",
        "Durations are strings of parts, each a whole number followed by a unit w, d, h, m or s,\nlargest unit first, each unit at most once: \"2h\", \"30m\", \"1h30m\", \"3d 4h\", \"90s\", \"2w\".\nFractions (\"1.5h\") and words (\"2 hours\") are not accepted: write \"1h30m\", \"2h\".";
    BadTime = "E0010", Error, "a date or time cannot be used",
        "A date or time is impossible (February 30th), missing what it needs (a local time such as\n21:10:00 needs the record's `date`), or of a form the key does not take (`date` must be a\ndate). Local times that fall into a daylight-saving gap do not exist: give an offset.";
    UnknownTimezone = "E0011", Error, "unknown timezone",
        "`timezone` takes an IANA name (\"Europe/Berlin\", \"America/New_York\", \"UTC\") or a fixed\noffset (\"+02:00\", \"-05:30\"). Abbreviations such as \"CEST\" or \"PST\" are ambiguous and\nnot accepted.";
    TimelineOrder = "E0012", Error, "the timeline goes backwards",
        "Timeline entries must be in non-decreasing time order. A date-only entry may stand\nanywhere among the entries of its day. Local times (21:10:00) are all read on the\nrecord's `date`: to cross midnight, give full datetimes (2025-11-17T00:20:00Z).";
    MomentTwice = "E0013", Error, "a key moment is given twice",
        "Each key moment (introduced, started, detected, acknowledged, identified, mitigated,\nresolved) is stated once: either as a top-level key or as a `marks` entry on one\ntimeline entry. Remove one of the two.";
    MomentOrder = "E0014", Error, "key moments are out of order",
        "Real incidents do not always follow the textbook order, so only these are errors:\na moment before `introduced`; `acknowledged` before `detected`; `mitigated` before\n`started`; any moment after `resolved`. Check the times and their timezone.";
    TwoPrimaryCauses = "E0015", Error, "more than one primary cause",
        "At most one cause has `primary = true`. Give the others a role (`contributing`,\n`trigger`) instead.";
    DuplicateId = "E0016", Error, "an id is used twice",
        "Action ids, cause ids, link ids and runbook ids must be unique within a record. Actions\nwithout an id are numbered A1, A2... by position, so an explicit `id = \"A2\"` on another\naction collides with the second action's default.";
    UnknownReference = "E0017", Error, "a reference points at nothing",
        "`related` names other incidents (slug or id), `runbooks` names runbook ids, `because_of`\nnames cause ids, and `source` names link ids. The referenced thing must exist.";
    DuplicateSlug = "E0019", Error, "two records share a slug",
        "The slug is the file name without `.toml`, and it is the page name in the book, so it is\nunique across all sub-folders of incidents/. Rename one of the files.";
    UnknownSeverity = "E0020", Error, "severity is not a configured level",
        "`severity` takes one of the levels in casebook.toml `[severity] levels` (default SEV1..SEV5,\nSEV1 worst). Add the level to the config or use an existing one.";
    Secret = "E0021", Error, "a secret is in the record",
        "Records are reviewed in pull requests and published; a password in a URL or connection\nstring, a private key, or an API token must never be in one, private or not. Replace it\nwith a placeholder (`postgres://app:REDACTED@db/app`) and rotate the secret: it is\nalready in your git history.";
    UnsupportedFormat = "E0022", Error, "unknown format version",
        "`format` is the record format version. This casebook reads version 1. A newer version\nwas written by a newer casebook: upgrade casebook.";
    Unreadable = "E0023", Error, "a record cannot be read",
        "The path could not be read as a record: it is a directory named *.toml, a broken or\nlooping symlink, or a file without read permission.";
    CauseCycle = "E0024", Error, "causes form a cycle",
        "`because_of` builds a causal chain; a chain that leads back to itself explains nothing.\nBreak the cycle.";
    BadChange = "E0025", Error, "a change names both or neither of path and setting",
        "Each [[changes]] entry names a `path` (a file) or a `setting` (a configuration value),\nnot both. `from` and `to` belong to settings.";
    BrokenMarkdown = "E0027", Error, "a markdown field would break the page",
        "A markdown field opens a code fence that it never closes, so everything after it on\nthe rendered page would turn into code. Close the fence (```) inside the same field.";
    UnknownRepository = "E0028", Error, "unknown repository",
        "A `repo@sha` commit or a commit's `repository` names a repository that casebook.toml\ndoes not configure under [[repositories]].";
    BadSha = "E0029", Error, "a commit id cannot be read",
        "A commit id is 4 to 40 hexadecimal characters, optionally prefixed by a configured\nrepository name: \"aa01f4d\", \"boulder@aa01f4d\".";
    BadConfig = "E0030", Error, "casebook.toml has an invalid value",
        "A value in casebook.toml cannot be used; the message says which and why.";
    CommitMissing = "E0031", Error, "a commit is not in the repository",
        "The commit id does not name any commit of the repository. Check for a typo, or for a\ncommit that was never pushed. In a shallow clone this is a warning (W0110) instead.";
    CommitAmbiguous = "E0032", Error, "an abbreviated commit id is ambiguous",
        "Several commits start with this prefix: in the repository, or among the commits the\nrecord itself cites (a sha and its abbreviation are one commit, so an abbreviation two\ncited commits share could be either). Use more characters; the note lists the candidates.";
    UnsafeLink = "E0033", Error, "a link target could run code",
        "A markdown link or image, or a [[links]] `url`, uses a scheme that can run code or\nsmuggle a document into the page: `javascript:`, `vbscript:` or `data:`. Published pages\nkeep only http(s), mailto and relative links. Remove the link, or link to an https page.";
    UnsafeName = "E0034", Error, "a name cannot be used in file names and links",
        "A record's file name becomes its page name and URL, and ids (the incident's `id`, and\nthe ids of causes, actions, links and runbooks) appear in links, anchors and commit\ntrailers. They may hold letters, digits and `-` `_` `.` (ids also `/` `:` `+`); no spaces,\nquotes, `<`, `>`, line breaks or control characters. Rename the file or change the id.";
    PeriodOrder = "E0035", Error, "a period ends before it starts",
        "A timeline entry's `until` is before its `at`, or an impact window's `to` is before its\n`from`. Check both times and their timezone; a window still open has no `to`.";
    OutOfRange = "E0036", Error, "a number is out of range",
        "A count cannot be negative (`users_affected`, `customers_affected`), and a duration is at\nmost 100 years. Check the value.";
    EffortMismatch = "W0101", Warning, "the stated effort total differs from the computed one",
        "`effort_total` is a hand-typed cross-check; the tool computes the total from [[effort]].\nThey differ. Hand-typed sums are often wrong: remove `effort_total` or fix the items.";
    ImpactMismatch = "W0102", Warning, "stated downtime differs from the timeline",
        "The impact duration is computed from `started` (else `detected`) to `mitigated` (else\n`resolved`). `downtime` plus `degraded` differs from it by more than 10% of the stated\nfigure. One of them is wrong, or a key moment is missing.";
    OverdueAction = "W0103", Warning, "an action item is overdue",
        "An action that is `open` or `in-progress` has a `due` date in the past (a month or\nquarter is due at its end). Update its status, or move the due date on purpose.\n`--today DATE` fixes \"today\" for reproducible checks.";
    StaleRunbook = "W0104", Warning, "a runbook is past its review age",
        "The runbook's `reviewed` date is older than `[runbooks] review_days` (default 180).\nSomeone should run through it and update `reviewed`.";
    PersonalData = "W0105", Warning, "personal data in the record",
        "An e-mail address or phone number is in the record. Postmortems are blameless and often\npublished: name roles or teams instead, or mark the entry `private = true` and add a\n[redact] pattern.";
    ClosedWithOpenWork = "W0106", Warning, "status is closed but work is open",
        "`closed` means resolved, verified, and every action item done, deferred or dropped. An\naction is still open or a verification item is not done: finish it, or keep the status\nat `resolved`.";
    ActionClosedByCommit = "W0107", Warning, "a commit closed an action the record calls open",
        "A commit carries a `Closes-Action: ID#A2` trailer for this action, yet the record still\nsays it is open. Set `status = \"done\"`.";
    RepositoryUnavailable = "W0108", Warning, "commits cannot be verified",
        "No git repository was found for these commits (or the configured path is missing), so\ntheir ids are shown unverified. Run casebook inside the repository, or configure\n[[repositories]] in casebook.toml.";
    ShallowClone = "W0110", Warning, "a commit is missing from a shallow clone",
        "The repository is a shallow clone (as CI checkouts often are), so the commit may exist\nbeyond its history. Fetch full history:  git fetch --unshallow  (or, on GitHub Actions,\nactions/checkout with fetch-depth: 0).";
    UnpublishedLink = "W0111", Warning, "a link will be shown as text",
        "Published pages keep only http(s), mailto and relative links. This link's scheme\n(`ftp:`, `ssh:`, `slack:`...) is shown as text, not as a link. Link to an https page\ninstead if readers should follow it.";
    UnknownClosedAction = "W0112", Warning, "a commit closes an action the record does not have",
        "A commit's `Closes-Action: INC-ID#A3` trailer names an action id the record has no\naction for. Pushed history cannot change, so the record resolves it: give the action it\nmeant that id (`id = \"A3\"` in its [[actions]] table), or add the action, marked done.";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a record or the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    pub code: Code,
    pub message: String,
    /// The file, when the problem is in one.
    pub path: Option<PathBuf>,
    pub span: Option<Span>,
    /// Text under the caret.
    pub label: Option<String>,
    pub hint: Option<String>,
    /// Other places involved (e.g. the first of two duplicates).
    pub related: Vec<(PathBuf, Span, String)>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            level: code.level(),
            code,
            message: message.into(),
            path: None,
            span: None,
            label: None,
            hint: None,
            related: Vec::new(),
        }
    }

    pub fn at(mut self, path: &Path, span: Span) -> Self {
        self.path = Some(path.to_path_buf());
        self.span = Some(span);
        self
    }

    pub fn in_file(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn also(mut self, path: &Path, span: Span, label: impl Into<String>) -> Self {
        self.related.push((path.to_path_buf(), span, label.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

/// The closest of `candidates` to `word`, when close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// "did you mean \"x\"?" when `word` is a likely typo of a candidate, else `otherwise`.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, otherwise: impl Into<String>) -> String {
    match did_you_mean(word, candidates) {
        Some(s) => format!("did you mean \"{s}\"?"),
        None => otherwise.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_explained() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate {c}");
            assert!(!c.explanation().is_empty());
            assert_eq!(Code::parse(c.as_str()), Some(*c));
            let expect = if c.as_str().starts_with('E') { Level::Error } else { Level::Warning };
            assert_eq!(c.level(), expect, "{c}");
        }
        assert_eq!(Code::parse("e0006"), Some(Code::UnknownKey));
    }

    #[test]
    fn suggestions_find_typos_only() {
        assert_eq!(did_you_mean("sevrity", ["severity", "status"]), Some("severity"));
        assert_eq!(did_you_mean("zzz", ["severity", "status"]), None);
    }
}
