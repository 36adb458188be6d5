//! Runbooks merged across the incidents that contributed to them: a page each,
//! the list, and the symptom index.

use super::{Site, link_to};
use crate::markdown::{code_block, code_span, inline_text, list_item, safe_markdown};
use crate::model::{Incident, Runbook};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One runbook merged across the incidents that contributed to it.
pub struct MergedRunbook<'a> {
    /// Contributions, newest review (then newest incident) first.
    pub parts: Vec<(&'a Incident, &'a Runbook)>,
}

impl<'a> MergedRunbook<'a> {
    /// The contribution the page follows: the most recently reviewed.
    pub fn main(&self) -> &'a Runbook {
        self.parts[0].1
    }
}

/// Every runbook id with its contributions.
pub fn merge_runbooks<'a>(incidents: &[&'a Incident]) -> BTreeMap<String, MergedRunbook<'a>> {
    let mut m: BTreeMap<String, MergedRunbook<'a>> = BTreeMap::new();
    for i in incidents {
        for rb in &i.runbooks {
            m.entry(rb.id.clone()).or_insert_with(|| MergedRunbook { parts: Vec::new() }).parts.push((i, rb));
        }
    }
    for rb in m.values_mut() {
        rb.parts.sort_by(|a, b| {
            b.1.reviewed.cmp(&a.1.reviewed).then(b.0.date.cmp(&a.0.date)).then(a.0.slug.cmp(&b.0.slug))
        });
    }
    m
}

#[derive(Debug, Serialize)]
pub struct RunbookPageView {
    pub title: String,
    /// "Runbook `id` · owner x · reviewed ..., next review due ...".
    pub meta: String,
    pub symptoms: Vec<String>,
    /// Every contribution's services, joined.
    pub services: Option<String>,
    pub steps: Vec<BookStepView>,
    pub verify: Vec<String>,
    /// Other contributions whose steps differ.
    pub variants: Vec<VariantView>,
    pub seen_in: Vec<SeenView>,
}

#[derive(Debug, Serialize)]
pub struct BookStepView {
    pub number: usize,
    /// How far the body and command sit under the number (`1. ` is 3 wide).
    pub indent: usize,
    pub title: String,
    pub body: Option<String>,
    pub command: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct VariantView {
    pub incident: String,
    pub steps: Vec<BookStepView>,
}

#[derive(Debug, Serialize)]
pub struct SeenView {
    pub date: String,
    pub link: String,
}

fn steps(r: &Runbook) -> Vec<BookStepView> {
    r.steps
        .iter()
        .enumerate()
        .map(|(n, step)| BookStepView {
            number: n + 1,
            indent: (n + 1).to_string().len() + 2,
            title: step.title.as_deref().map_or(format!("Step {}", n + 1), inline_text),
            body: step.body.as_deref().map(|b| safe_markdown(b).trim().to_string()),
            command: step.command.as_deref().map(|c| code_block(c, "sh")),
        })
        .collect()
}

/// A runbook's page; `all` are every incident, for those that only refer to it.
pub fn runbook_page(rb: &MergedRunbook<'_>, all: &[&Incident], site: &dyn Site, review_days: i64) -> RunbookPageView {
    let main = rb.main();
    let mut meta = vec![format!("Runbook {}", code_span(&main.id))];
    if let Some(owner) = &main.owner {
        meta.push(format!("owner {}", inline_text(owner)));
    }
    match main.reviewed {
        Some(r) => {
            let due = r.checked_add_days(chrono::Days::new(review_days.unsigned_abs())).unwrap_or(r);
            meta.push(format!("reviewed {r}, next review due {due}"));
        }
        None => meta.push("never reviewed".to_string()),
    }
    let symptoms: BTreeSet<&String> = rb.parts.iter().flat_map(|(_, r)| &r.symptoms).collect();
    let services: BTreeSet<&String> = rb.parts.iter().flat_map(|(_, r)| &r.services).collect();
    // Checks keep their order: the followed contribution's first, then others' new ones.
    let mut verify: Vec<&String> = Vec::new();
    for v in rb.parts.iter().flat_map(|(_, r)| &r.verify) {
        if !verify.contains(&v) {
            verify.push(v);
        }
    }
    let mut seen: Vec<&Incident> = rb.parts.iter().map(|(i, _)| *i).collect();
    for i in all {
        if i.runbook_refs.iter().any(|r| r.value == main.id) && !seen.iter().any(|x| x.slug == i.slug) {
            seen.push(i);
        }
    }
    seen.sort_by(|a, b| b.date.cmp(&a.date).then(a.slug.cmp(&b.slug)));
    RunbookPageView {
        title: inline_text(&main.title),
        meta: meta.join(" · "),
        symptoms: symptoms.into_iter().map(|s| code_span(s)).collect(),
        services: (!services.is_empty())
            .then(|| services.iter().map(|x| inline_text(x)).collect::<Vec<_>>().join(", ")),
        steps: steps(main),
        verify: verify.into_iter().map(|v| list_item(safe_markdown(v).trim().to_string())).collect(),
        variants: rb
            .parts
            .iter()
            .skip(1)
            .filter(|(_, other)| other.steps != main.steps && !other.steps.is_empty())
            .map(|(inc, other)| VariantView { incident: inline_text(&inc.id), steps: steps(other) })
            .collect(),
        seen_in: seen
            .into_iter()
            .map(|i| SeenView { date: i.date.to_string(), link: link_to(i, &format!("../{}", site.incident_page(i))) })
            .collect(),
    }
}

#[derive(Debug, Serialize)]
pub struct RunbookListView {
    pub runbooks: Vec<RunbookListRow>,
}

#[derive(Debug, Serialize)]
pub struct RunbookListRow {
    pub title: String,
    pub file: String,
    /// The owner, or `–`.
    pub owner: String,
    /// The review day, or `never`.
    pub reviewed: String,
    /// How many incidents contributed.
    pub seen: usize,
}

pub fn runbook_list(runbooks: &BTreeMap<String, MergedRunbook<'_>>, site: &dyn Site) -> RunbookListView {
    RunbookListView {
        runbooks: runbooks
            .iter()
            .map(|(id, rb)| {
                let main = rb.main();
                RunbookListRow {
                    title: inline_text(&main.title),
                    file: site.runbook_file(id),
                    owner: main.owner.as_deref().map_or("–".to_string(), inline_text),
                    reviewed: main.reviewed.map_or("never".to_string(), |d| d.to_string()),
                    seen: rb.parts.len(),
                }
            })
            .collect(),
    }
}

#[derive(Debug, Serialize)]
pub struct SymptomsView {
    pub symptoms: Vec<SymptomRow>,
}

#[derive(Debug, Serialize)]
pub struct SymptomRow {
    /// The symptom as code, pipes escaped for the table.
    pub symptom: String,
    /// Link to the runbook that handles it.
    pub runbook: String,
}

/// Every symptom of every runbook, alphabetically, with its runbook.
pub fn symptoms(runbooks: &BTreeMap<String, MergedRunbook<'_>>, site: &dyn Site) -> SymptomsView {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for (id, rb) in runbooks {
        let symptoms: BTreeSet<&String> = rb.parts.iter().flat_map(|(_, r)| &r.symptoms).collect();
        for sym in symptoms {
            rows.push((
                sym.to_lowercase(),
                code_span(sym).replace('|', "\\|"),
                format!("[{}](runbooks/{})", inline_text(&rb.main().title), site.runbook_file(id)),
            ));
        }
    }
    rows.sort();
    SymptomsView { symptoms: rows.into_iter().map(|(_, symptom, runbook)| SymptomRow { symptom, runbook }).collect() }
}
