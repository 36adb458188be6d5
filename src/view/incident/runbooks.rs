//! The runbooks a record defines, as shown on its page.

use super::Scope;
use crate::markdown::{code_block, code_span};
use crate::model::*;
use serde::Serialize;

#[derive(Debug, Serialize, Clone)]
pub struct RunbookView {
    pub id: String,
    pub title: String,
    pub symptoms: Vec<String>,
    pub services: Vec<String>,
    pub steps: Vec<StepView>,
    pub verify: Vec<String>,
    pub owner: Option<String>,
    pub reviewed: Option<String>,
    /// Link to the runbook's page in the book.
    pub href: Option<String>,
}

#[derive(Debug, Serialize, Clone)]
pub struct StepView {
    pub number: usize,
    /// How far the step's body and command are indented under its number
    /// (`1. ` is 3 wide, `10. ` is 4), so that they stay inside the list item.
    pub indent: usize,
    pub title: Option<String>,
    pub body: Option<String>,
    /// The command as a fenced code block, ready to print.
    pub command: Option<String>,
}

pub(super) fn runbook_view(rb: &Runbook, s: &Scope<'_>) -> RunbookView {
    let (t, o) = (&s.t, s.o);
    RunbookView {
        id: t.line(&rb.id),
        title: t.line(&rb.title),
        symptoms: rb.symptoms.iter().map(|s| code_span(s)).collect(),
        services: t.lines(&rb.services),
        steps: rb
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepView {
                number: i + 1,
                indent: (i + 1).to_string().len() + 2,
                title: t.line_opt(&s.title),
                body: t.md_opt(&s.body),
                command: s.command.as_deref().map(|c| code_block(c, "sh")),
            })
            .collect(),
        verify: rb.verify.iter().map(|v| crate::markdown::list_item(t.md(v))).collect(),
        owner: t.line_opt(&rb.owner),
        reviewed: rb.reviewed.map(|d| d.to_string()),
        href: o.book_links.and_then(|b| b.runbook(&rb.id)),
    }
}
