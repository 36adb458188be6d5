//! Showing diagnostics: the way rustc does (codespan-reporting), or as one JSON
//! object per line for CI and editors.

use super::{Diagnostic, Level, Sources, line_col};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One diagnostic as a JSON object (`--format json`).
#[derive(Serialize)]
pub struct JsonDiagnostic<'a> {
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub level: Level,
    pub code: &'static str,
    pub message: &'a str,
    pub hint: Option<&'a str>,
}

pub fn to_json<'a>(d: &'a Diagnostic, sources: &Sources) -> JsonDiagnostic<'a> {
    let (line, column) = match (&d.path, d.span) {
        (Some(p), Some(span)) => match sources.get(p) {
            Some(text) => {
                let (l, c) = line_col(&text, span.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        },
        _ => (None, None),
    };
    JsonDiagnostic {
        file: d.path.as_ref().map(|p| p.display().to_string()),
        line,
        column,
        level: d.level,
        code: d.code.as_str(),
        message: &d.message,
        hint: d.hint.as_deref(),
    }
}

/// Text from a record as a terminal may show it: control characters (which could
/// move the cursor, recolour or retitle a terminal, or hide text in a CI log) and
/// bidirectional overrides replaced by `?` of the same byte length, so that spans
/// into the text stay valid.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| if bad(c) { "?".repeat(c.len_utf8()) } else { c.to_string() }).collect())
}

/// Writes diagnostics the way rustc does: `error[E0006]: ...`, `--> path:line:col`,
/// the source line with a caret, and `= help: ...`.
pub fn emit(out: &mut dyn WriteColor, diagnostics: &[Diagnostic], sources: &Sources) -> std::io::Result<()> {
    let mut files = SimpleFiles::new();
    let mut ids: HashMap<PathBuf, usize> = HashMap::new();
    let mut file_id = |path: &Path| -> Option<usize> {
        if let Some(id) = ids.get(path) {
            return Some(*id);
        }
        let text = sources.get(path)?;
        let id = files.add(terminal_safe(&path.display().to_string()).into_owned(), terminal_safe(&text).into_owned());
        ids.insert(path.to_path_buf(), id);
        Some(id)
    };
    let mut prepared = Vec::new();
    for d in diagnostics {
        let severity = match d.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
        };
        let mut cs = CsDiagnostic::new(severity).with_code(d.code.as_str()).with_message(terminal_safe(&d.message));
        let mut notes = Vec::new();
        match (&d.path, d.span) {
            (Some(path), Some(span)) => match file_id(path) {
                Some(id) => {
                    let mut label = Label::primary(id, span.start..span.end.max(span.start));
                    if let Some(l) = &d.label {
                        label = label.with_message(terminal_safe(l));
                    }
                    cs = cs.with_labels(vec![label]);
                }
                None => notes.push(format!("in {}", terminal_safe(&path.display().to_string()))),
            },
            (Some(path), None) => notes.push(format!("in {}", terminal_safe(&path.display().to_string()))),
            _ => {}
        }
        for (path, span, label) in &d.related {
            if let Some(id) = file_id(path) {
                let mut labels = cs.labels.clone();
                labels.push(Label::secondary(id, span.start..span.end).with_message(terminal_safe(label)));
                cs = cs.with_labels(labels);
            }
        }
        if let Some(h) = &d.hint {
            notes.push(format!("help: {}", terminal_safe(h)));
        }
        prepared.push(cs.with_notes(notes));
    }
    let config = term::Config::default();
    for cs in &prepared {
        term::emit_to_write_style(out, &config, &files, cs).map_err(std::io::Error::other)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_are_made_visible_at_the_same_length() {
        let t = "a\u{1b}[31mred\u{202e}x\u{85}";
        let safe = terminal_safe(t);
        assert_eq!(safe, "a?[31mred???x??");
        assert_eq!(safe.len(), t.len());
        assert_eq!(terminal_safe("plain\n\ttext"), "plain\n\ttext");
    }
}
