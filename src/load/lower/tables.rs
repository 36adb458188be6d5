//! The tables that stand on their own: lessons, verification, effort, runbooks,
//! links and custom sections.

use super::{Lower, sp};
use crate::load::raw::{RawEffort, RawLesson, RawLink, RawRunbook, RawSection, RawVerification, Sp};
use crate::model::*;

pub(super) fn lessons(l: &mut Lower<'_>, raw: Vec<RawLesson>) -> Vec<Lesson> {
    raw.into_iter()
        .map(|le| Lesson {
            title: le.title,
            problem: l.markdown(le.problem, "problem"),
            takeaways: l.markdowns(le.takeaways, "takeaways"),
        })
        .collect()
}

pub(super) fn verification(raw: Vec<RawVerification>) -> Vec<VerificationItem> {
    raw.into_iter().map(|v| VerificationItem { item: v.item, done: v.done, by: v.by }).collect()
}

pub(super) fn effort(l: &mut Lower<'_>, raw: Vec<RawEffort>) -> Vec<EffortItem> {
    raw.into_iter()
        .filter_map(|e| {
            let duration = l.duration(&e.duration)?;
            Some(EffortItem { activity: e.activity, duration })
        })
        .collect()
}

pub(super) fn runbooks(l: &mut Lower<'_>, raw: Vec<Sp<RawRunbook>>) -> Vec<Runbook> {
    raw.into_iter()
        .map(|rb| {
            let r = rb.value;
            l.name(&r.id, "id");
            let reviewed = r.reviewed.as_ref().and_then(|t| l.time(t, None, "reviewed")).map(|w| w.at.date_naive());
            let steps = r
                .steps
                .into_iter()
                .map(|s| RunbookStep { title: s.title, body: l.markdown(s.body, "body"), command: s.command })
                .collect();
            Runbook {
                span: sp(&r.id.span),
                id: r.id.value,
                title: r.title,
                symptoms: r.symptoms,
                services: r.services,
                steps,
                verify: l.markdowns(r.verify, "verify"),
                owner: r.owner,
                reviewed,
            }
        })
        .collect()
}

pub(super) fn links(l: &mut Lower<'_>, raw: Vec<RawLink>) -> Vec<Link> {
    raw.into_iter()
        .map(|k| {
            if let Some(id) = &k.id {
                l.name(id, "id");
            }
            l.link_target(&k.url.value, sp(&k.url.span), "url");
            Link {
                kind: k
                    .kind
                    .as_ref()
                    .and_then(|s| l.keyword(s, LinkKind::parse, LinkKind::names(), "kind"))
                    .unwrap_or_default(),
                id: k.id.map(|id| id.value),
                title: k.title,
                url: k.url.value,
            }
        })
        .collect()
}

pub(super) fn sections(l: &mut Lower<'_>, raw: Vec<RawSection>) -> Vec<Section> {
    raw.into_iter()
        .map(|s| Section {
            after: s
                .after
                .as_ref()
                .and_then(|a| l.keyword(a, SectionAnchor::parse, SectionAnchor::names(), "after"))
                .unwrap_or_default(),
            title: s.title,
            body: l.markdown(s.body, "body"),
            private: s.private,
        })
        .collect()
}
