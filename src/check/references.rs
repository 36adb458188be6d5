//! Across records: unique slugs, and `related` and `runbooks` that name something.

use crate::diag::{Code, Diagnostic, suggest};
use crate::load::{Casebook, Record};
use std::collections::{HashMap, HashSet};

pub(super) fn cross_record_checks(book: &Casebook) -> Vec<Diagnostic> {
    let mut d = Vec::new();
    let mut slugs: HashMap<&str, &Record> = HashMap::new();
    let mut ids: HashSet<&str> = HashSet::new();
    let mut runbook_ids: HashSet<&str> = HashSet::new();
    for r in &book.records {
        if let Some(first) = slugs.insert(&r.incident.slug, r) {
            d.push(
                Diagnostic::new(Code::DuplicateSlug, format!("slug \"{}\" is used by two records", r.incident.slug))
                    .in_file(&r.path)
                    .hint(format!(
                        "the other is {}; rename one file (the slug is the page name in the book)",
                        first.path.strip_prefix(&book.config.root).unwrap_or(&first.path).display()
                    )),
            );
        }
        ids.insert(&r.incident.id);
        runbook_ids.extend(r.incident.runbooks.iter().map(|rb| rb.id.as_str()));
    }
    // Records that failed to load have their own errors; do not cascade into references
    // to them, by slug or by the id their text gives.
    let mut failed: HashSet<String> = book.failed.iter().map(|p| crate::load::slug_of(p)).collect();
    failed.extend(book.failed.iter().filter_map(|p| stated_id(&book.sources.get(p)?)));
    for r in &book.records {
        for rel in &r.incident.related {
            let v = rel.value.as_str();
            if !slugs.contains_key(v) && !ids.contains(v) && !failed.contains(v) {
                let candidates = slugs.keys().copied().chain(ids.iter().copied());
                let hint =
                    suggest(v, candidates, "`related` names another record by slug (file name) or id".to_string());
                d.push(
                    Diagnostic::new(Code::UnknownReference, format!("no incident has slug or id \"{v}\""))
                        .at(&r.path, rel.span)
                        .hint(hint),
                );
            }
        }
        for rb in &r.incident.runbook_refs {
            if !runbook_ids.contains(rb.value.as_str()) {
                let hint = suggest(
                    &rb.value,
                    runbook_ids.iter().copied(),
                    "define it in a [[runbook]] table of some record (id = \"...\")",
                );
                d.push(
                    Diagnostic::new(Code::UnknownReference, format!("no runbook has id \"{}\"", rb.value))
                        .at(&r.path, rb.span)
                        .hint(hint),
                );
            }
        }
    }
    d
}

/// The top-level `id` a record's text states, read as loosely as a broken record
/// allows: the document as TOML when it parses, else the first `id = "..."` line
/// before any table header.
fn stated_id(text: &str) -> Option<String> {
    if let Ok(table) = text.parse::<toml::Table>() {
        return table.get("id").and_then(|v| v.as_str()).map(str::to_string);
    }
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            break;
        }
        if let Some(rest) = line.strip_prefix("id")
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            let value = value.trim();
            let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            return value[1..].split(quote).next().map(str::to_string);
        }
    }
    None
}
