//! Links and runbooks within a record: unique ids, and `source` keys that name a link.

use crate::diag::{Code, Diagnostic, suggest};
use crate::model::*;
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub(super) fn links(inc: &Incident, path: &Path, d: &mut Vec<Diagnostic>) {
    let ids: Vec<&str> = inc.links.iter().filter_map(|l| l.id.as_deref()).collect();
    let mut seen = HashSet::new();
    for id in &ids {
        if !seen.insert(*id) {
            d.push(
                Diagnostic::new(Code::DuplicateId, format!("link id \"{id}\" is used twice"))
                    .in_file(path)
                    .hint("give each link its own id"),
            );
        }
    }
    let sources = inc
        .timeline
        .iter()
        .filter_map(|e| e.source.as_ref())
        .chain(inc.impact.iter().flat_map(|i| i.metrics.iter().filter_map(|m| m.source.as_ref())));
    for s in sources {
        if !ids.contains(&s.value.as_str()) {
            let hint = suggest(
                &s.value,
                ids.iter().copied(),
                "`source` names the `id` of a [[links]] entry in this record".to_string(),
            );
            d.push(
                Diagnostic::new(Code::UnknownReference, format!("no link has id \"{}\"", s.value))
                    .at(path, s.span)
                    .hint(hint),
            );
        }
    }
    let mut rb_ids: HashMap<&str, Span> = HashMap::new();
    for rb in &inc.runbooks {
        if let Some(first) = rb_ids.insert(&rb.id, rb.span) {
            d.push(
                Diagnostic::new(Code::DuplicateId, format!("runbook \"{}\" is defined twice in this record", rb.id))
                    .at(path, rb.span)
                    .also(path, first, "first defined here")
                    .hint("merge the two [[runbook]] entries"),
            );
        }
    }
}
