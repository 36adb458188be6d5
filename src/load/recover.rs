//! Every type and key problem of a record in one run, not only the first one serde
//! meets: after each, the key-value pair it is about is blanked (its bytes become
//! spaces, newlines kept, so every span and line stays that of the file) and the
//! record is read again. A TOML syntax error ends it: past one, nothing can be read
//! reliably.

use crate::diag::Diagnostic;
use crate::diag::toml::{find_key_span, toml_error};
use crate::load::raw::RawIncident;
use std::ops::Range;
use std::path::Path;
use toml::de::{DeTable, DeValue};

/// More problems than this in one record: the rest waits for the next run.
const MAX_PROBLEMS: usize = 50;

/// The problems of a record that did not deserialize: every one found, and the record
/// without the keys they were about, when what is left reads (its own problems, such
/// as a bad duration, can then be reported in the same run).
pub(super) struct Problems {
    pub diags: Vec<Diagnostic>,
    pub rest: Option<Box<RawIncident>>,
}

/// The record, or every problem found in it (at least one).
pub(super) fn deserialize(path: &Path, text: &str, known: &[&'static str]) -> Result<RawIncident, Problems> {
    let mut err = match toml::from_str::<RawIncident>(text) {
        Ok(raw) => return Ok(raw),
        Err(e) => e,
    };
    let mut diags = vec![toml_error(path, text, &err, known)];
    if DeTable::parse(text).is_err() {
        return Err(Problems { diags, rest: None });
    }
    let mut rest = None;
    let mut work = text.to_string();
    // Keys taken out, with the span of what they were in: a table missing one of them
    // is our doing, not the author's.
    let mut taken: Vec<(usize, String)> = Vec::new();
    while diags.len() < MAX_PROBLEMS {
        let Some(region) = region_of(&work, &err) else { break };
        if let Some(key) = region.key {
            taken.push((region.range.start, key));
        }
        blank(&mut work, region.range);
        err = match toml::from_str::<RawIncident>(&work) {
            Ok(raw) => {
                rest = Some(Box::new(raw));
                break;
            }
            Err(e) => e,
        };
        if DeTable::parse(&work).is_err() {
            break;
        }
        if !caused_by_blanking(&work, &err, &taken) {
            let d = toml_error(path, &work, &err, known);
            let seen = diags.iter().any(|x| x.code == d.code && x.span == d.span && x.message == d.message);
            if !seen {
                diags.push(d);
            }
        }
    }
    Err(Problems { diags, rest })
}

/// What to take out for an error: a key-value pair (and its key), or a whole table.
struct Region {
    range: Range<usize>,
    key: Option<String>,
}

/// `key = value` pairs of the document: (key span, value span, key), at every depth.
fn pairs(text: &str) -> Vec<(Range<usize>, Range<usize>, String)> {
    fn table(t: &DeTable<'_>, out: &mut Vec<(Range<usize>, Range<usize>, String)>) {
        for (k, v) in t {
            // A header table's key may be written after its value's start; only a
            // written `key = value` has the key first.
            if k.span().end <= v.span().start {
                out.push((k.span(), v.span(), k.get_ref().to_string()));
            }
            value(v, out);
        }
    }
    fn value(v: &toml::Spanned<DeValue<'_>>, out: &mut Vec<(Range<usize>, Range<usize>, String)>) {
        match v.get_ref() {
            DeValue::Table(t) => table(t, out),
            DeValue::Array(items) => items.iter().for_each(|i| value(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(doc) = DeTable::parse(text) {
        table(doc.get_ref(), &mut out);
    }
    out
}

fn region_of(text: &str, err: &toml::de::Error) -> Option<Region> {
    let span = err.span()?;
    let msg = err.message();
    let quoted = |prefix: &str| msg.strip_prefix(prefix).and_then(|r| r.split('`').next()).map(str::to_string);
    let pairs = pairs(text);
    let pair_region = |(k, v, key): &(Range<usize>, Range<usize>, String)| Region {
        range: k.start..line_end(text, v.end),
        key: Some(key.clone()),
    };
    if let Some(key) = quoted("unknown field `") {
        let at = find_key_span(text, span.clone().into(), &key).start;
        return pairs.iter().find(|(k, _, _)| k.start == at).map(pair_region);
    }
    if msg.starts_with("missing field `") {
        // An inline table inside a pair: the pair goes. A table of its own (under a
        // `[header]` or `[[header]]`): the header and the table go.
        if let Some(p) = innermost(&pairs, &span) {
            return Some(pair_region(p));
        }
        return table_at(text, span.start).map(|range| Region { range, key: None });
    }
    innermost(&pairs, &span).map(pair_region)
}

/// The innermost pair whose value holds `span`.
fn innermost<'p>(
    pairs: &'p [(Range<usize>, Range<usize>, String)],
    span: &Range<usize>,
) -> Option<&'p (Range<usize>, Range<usize>, String)> {
    pairs.iter().filter(|(_, v, _)| v.start <= span.start && span.end <= v.end).min_by_key(|(_, v, _)| v.end - v.start)
}

/// The end of the line `at` is on (a comment after a value goes with it).
fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text[at..].find('\n').map_or(text.len(), |i| at + i)
}

/// The `[header]` table `at` is in, header line included, to the next header.
fn table_at(text: &str, at: usize) -> Option<Range<usize>> {
    let start = header_before(text, at)?;
    let body = line_end(text, start);
    let mut end = text.len();
    let mut offset = body;
    for line in text[body..].split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            end = offset;
            break;
        }
        offset += line.len();
    }
    Some(start..end)
}

/// The start of the last `[header]` line at or before `at`.
fn header_before(text: &str, at: usize) -> Option<usize> {
    let mut start = 0;
    let mut found = None;
    for line in text[..at.min(text.len())].split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            found = Some(start + (line.len() - line.trim_start().len()));
        }
        start += line.len();
    }
    // The header line itself may hold `at`.
    if let Some(rest) = text.get(start..)
        && rest.trim_start().starts_with('[')
        && at >= start
    {
        found = Some(start + (rest.len() - rest.trim_start().len()));
    }
    found
}

/// A missing field that a pair we took out had given: the key was taken out of the
/// table the error is about.
fn caused_by_blanking(text: &str, err: &toml::de::Error, taken: &[(usize, String)]) -> bool {
    let Some(key) = err.message().strip_prefix("missing field `").and_then(|r| r.split('`').next()) else {
        return false;
    };
    let Some(span) = err.span() else { return false };
    let table = match innermost(&pairs(text), &span) {
        Some((_, v, _)) => v.clone(),
        None => table_at(text, span.start).unwrap_or(span),
    };
    taken.iter().any(|(at, k)| k == key && table.start <= *at && *at <= table.end)
}

/// Spaces over `range`, newlines kept where they are: the text keeps its byte
/// length, its lines and every offset.
fn blank(text: &mut String, range: Range<usize>) {
    let blanked: String = text[range.clone()]
        .chars()
        .map(|c| if c == '\n' { "\n".to_string() } else { " ".repeat(c.len_utf8()) })
        .collect();
    text.replace_range(range, &blanked);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let known = crate::load::record_keys();
        match deserialize(Path::new("x.toml"), text, &known) {
            Ok(_) => vec![],
            Err(p) => p.diags.iter().map(|d| format!("{} {}", d.code.as_str(), d.message)).collect(),
        }
    }

    #[test]
    fn every_problem_of_a_record_in_one_run() {
        let text = "title = 1\nstatus = \"resolved\"\nsummary = \"S\"\ndate = 2025-11-16\nsevrity = \"SEV1\"\n\
                    [impact]\ndowntime = 5\n[[timeline]]\nat = \"15:09\"\ntitle = \"x\"\nbogus = 1\n\
                    [[causes]]\nrole = \"root\"\n";
        let found = problems(text);
        for want in [
            "E0005 wrong type: found integer `1`, expected a string",
            "E0006 unknown key \"sevrity\"; did you mean \"severity\"?",
            "E0005 wrong type: found integer `5`, expected a string",
            "E0005 wrong type: found string \"15:09\", expected a date or time",
            "E0006 unknown key \"bogus\"",
            "E0007 missing required key \"title\"",
        ] {
            assert!(found.iter().any(|f| f.starts_with(want)), "missing {want:?} in {found:#?}");
        }
        // Taking `at` out does not make the entry "missing `at`".
        assert!(!found.iter().any(|f| f.contains("missing required key \"at\"")), "{found:#?}");
    }

    #[test]
    fn a_syntax_error_stops_there() {
        assert_eq!(problems("title = \"x\nsevrity = 1\n").len(), 1);
    }

    #[test]
    fn blanking_keeps_lengths_and_lines() {
        let mut t = "a = \"é\"\nb = 1\n".to_string();
        blank(&mut t, 0..8);
        assert_eq!(t.len(), "a = \"é\"\nb = 1\n".len());
        assert!(t.ends_with("\nb = 1\n"));
    }
}
