//! TOML as diagnostics see it: values that keep the span they were written at
//! (`Sp`), and TOML and serde errors turned into diagnostics with a code, the span
//! of the key or value, and a hint. Shared by records and `casebook.toml`.

use super::{Code, Diagnostic, did_you_mean};
use crate::model::Span;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use std::path::Path;

/// A value and its byte span in the file.
#[derive(Debug, Clone)]
pub struct Sp<T> {
    pub value: T,
    pub span: std::ops::Range<usize>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = ::toml::Spanned::<T>::deserialize(d)?;
        let span = s.span();
        Ok(Sp { value: s.into_inner(), span })
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// Every key named in a JSON Schema (the `properties` of every object), for
/// suggestions.
pub fn schema_keys(schema: &serde_json::Value) -> Vec<&'static str> {
    let mut keys = Vec::new();
    collect_keys(schema, &mut keys);
    keys.sort();
    keys.dedup();
    keys
}

fn collect_keys(v: &serde_json::Value, out: &mut Vec<&'static str>) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, val) in map {
                if k == "properties"
                    && let serde_json::Value::Object(props) = val
                {
                    for name in props.keys() {
                        out.push(Box::leak(name.clone().into_boxed_str()));
                    }
                }
                collect_keys(val, out);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_keys(i, out)),
        _ => {}
    }
}

/// Turns a TOML or serde error into a diagnostic with a code, span and hint.
pub fn toml_error(path: &Path, text: &str, e: &::toml::de::Error, known: &[&'static str]) -> Diagnostic {
    let msg = e.message().trim();
    let span: Span = e.span().unwrap_or(0..0).into();
    let quoted: Vec<&str> = msg.split('`').skip(1).step_by(2).collect();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = quoted.iter().skip(1).copied().collect();
        let candidates: Vec<&str> = if expected.is_empty() { known.to_vec() } else { expected.clone() };
        let suggestion = did_you_mean(key, candidates.iter().copied());
        let (message, hint) = match suggestion {
            Some(s) => (format!("unknown key \"{key}\"; did you mean \"{s}\"?"), format!("rename it to \"{s}\"")),
            None if !expected.is_empty() => {
                (format!("unknown key \"{key}\""), format!("known keys here: {}", expected.join(", ")))
            }
            None => (format!("unknown key \"{key}\""), "this table takes no keys".to_string()),
        };
        let key_span = find_key_span(text, span, key);
        return Diagnostic::new(Code::UnknownKey, message).at(path, key_span).label("unknown key").hint(hint);
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or("");
        return Diagnostic::new(Code::MissingKey, format!("missing required key \"{key}\""))
            .at(path, span)
            .label(format!("this table needs `{key}`"))
            .hint(format!("add `{key} = ...` to this table"));
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "another type"));
        let expected = friendly_type(expected);
        let hint = match expected.as_str() {
            "a string" => "put the value in double quotes".to_string(),
            "a list" => "write a list in brackets: [\"a\", \"b\"]".to_string(),
            "a date or time" => time_hint(found),
            "true or false" => "write true or false, without quotes".to_string(),
            _ => format!("write {expected}"),
        };
        return Diagnostic::new(Code::WrongType, format!("wrong type: found {found}, expected {expected}"))
            .at(path, span)
            .label(format!("expected {expected}"))
            .hint(hint);
    }
    let hint = syntax_hint(msg, text, span);
    let first_line = msg.lines().next().unwrap_or(msg).to_string();
    let lower = first_line.to_ascii_lowercase();
    if lower.starts_with("invalid date") || lower.starts_with("invalid time") || lower.contains("invalid offset") {
        return Diagnostic::new(
            Code::BadTime,
            format!("impossible date or time: {}", first_line.trim_start_matches("invalid ")),
        )
        .at(path, span)
        .label(first_line)
        .hint(hint);
    }
    Diagnostic::new(Code::NotToml, format!("invalid TOML: {first_line}")).at(path, span).label(first_line).hint(hint)
}

/// How to write a quoted date or time bare, in the form the quoted text had: a time
/// of day gets its seconds (`15:09` → `15:09:00`), a datetime its `T` and seconds.
fn time_hint(found: &str) -> String {
    let general = "write it bare, without quotes: 2025-11-16, 21:10:00 or 2025-11-16T21:00:00Z";
    let Some(text) = found.strip_prefix("string \"").and_then(|f| f.strip_suffix('"')) else {
        return general.to_string();
    };
    let t = text.trim();
    let is_clock = |c: &str| {
        let parts: Vec<&str> = c.split(':').collect();
        (2..=3).contains(&parts.len()) && parts.iter().all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    let with_seconds = |c: &str| if c.matches(':').count() == 1 { format!("{c}:00") } else { c.to_string() };
    let is_day = |d: &str| d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-';
    if is_clock(t) {
        return format!(
            "write a time of day bare, with seconds: {} (a local time on the record's `date`)",
            with_seconds(t)
        );
    }
    if is_day(t) {
        return format!("write the date bare, without quotes: {t}");
    }
    if let Some((d, rest)) = t.split_once([' ', 'T'])
        && is_day(d)
    {
        let (clock, zone) = match rest.find(['Z', 'z', '+', '-']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        if is_clock(clock) {
            return format!("write the datetime bare, without quotes: {d}T{}{zone}", with_seconds(clock));
        }
    }
    general.to_string()
}

fn friendly_type(expected: &str) -> String {
    let e = expected.trim();
    if e.contains("string") {
        "a string".into()
    } else if e.contains("sequence") || e.contains("Vec") || e.contains("array") {
        "a list".into()
    } else if e.contains("i64") || e.contains("integer") {
        "a whole number".into()
    } else if e.contains("f64") || e.contains("float") {
        "a number".into()
    } else if e.contains("bool") {
        "true or false".into()
    } else if e.contains("datetime") || e.contains("Datetime") || e.contains("TOML datetime") {
        "a date or time".into()
    } else if e.contains("struct") || e.contains("map") || e.contains("table") {
        "a table".into()
    } else {
        e.to_string()
    }
}

fn syntax_hint(msg: &str, text: &str, span: Span) -> String {
    let m = msg.to_ascii_lowercase();
    if m.contains("date") || m.contains("time") || m.contains("day") || m.contains("month") {
        return "use a real calendar date and time: YYYY-MM-DD, HH:MM:SS, with Z or an offset for a full datetime"
            .into();
    }
    if m.contains("must be quoted") {
        return "put the value in double quotes: key = \"value\"".into();
    }
    if m.contains("duplicate key") {
        return "each key appears once per table; use [[...]] for repeated tables".into();
    }
    if m.contains("string") || m.contains("quote") {
        return "close the string with the same quote it opened with; use \"\"\" for multi-line text".into();
    }
    let line = text[span.start.min(text.len())..].lines().next().unwrap_or("");
    if line.contains('=') || m.contains("invalid") || m.contains("expected") {
        return "strings need double quotes: key = \"value\"; multi-line text uses \"\"\"".into();
    }
    "see https://toml.io for the syntax".into()
}

/// The span of `key` in a table whose span is `table`, so the caret sits on the key.
pub(crate) fn find_key_span(text: &str, table: Span, key: &str) -> Span {
    let start = table.start.min(text.len());
    let end = table.end.clamp(start, text.len());
    let region = &text[start..end];
    let mut offset = 0;
    for line in region.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let bare = trimmed.strip_prefix('"').unwrap_or(trimmed);
        if let Some(rest) = bare.strip_prefix(key) {
            let rest = rest.trim_start_matches('"').trim_start();
            if rest.starts_with('=') || rest.starts_with('.') {
                let s = start + offset + indent;
                return Span { start: s, end: s + key.len() + (trimmed.len() - bare.len()) };
            }
        }
        offset += line.len();
    }
    table
}
