//! One method per kind of section: what each puts into the draft record.

use super::Draft;
use super::document::*;
use super::draft::{self, Said, group, push};
use super::timeline::*;
use crate::model::{ActionKind, ActionStatus, CauseRole, EntryKind, Horizon, MomentKind, SectionAnchor};
use regex::Regex;
use std::sync::LazyLock;

/// The provenance of a part of the record (`From "## Timeline"`), with the
/// section's intro lines that no table takes (e.g. "2015-10-21 (all times UTC)").
fn from(sec: &Section) -> Vec<String> {
    let mut lines = vec![format!("From \"{} {}\"", "#".repeat(sec.level), sec.title)];
    // (An indented line continues a list item: the item has it.)
    for l in sec.body.lines().filter(|l| !l.starts_with([' ', '\t'])).map(str::trim).filter(|l| {
        !l.is_empty()
            && !l.starts_with(['-', '*', '|', '#'])
            && !l.chars().next().is_some_and(|c| c.is_ascii_digit() && l.contains(". "))
            && FIELD.captures(l).is_none()
    }) {
        // (A timeline's line that opens with a time is an entry: the entry has it.)
        let entry = classify(&sec.title) == Kind::Timeline && opening_time(l).is_some();
        if !entry && matches!(classify(&sec.title), Kind::Timeline | Kind::Actions | Kind::Cost | Kind::Changes) {
            lines.push(l.to_string());
        }
    }
    lines
}

/// An inline link: `[text](address)`.
static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r#"\[([^\]\[]+)\]\(([^)\s]+)(?:\s+"[^"]*")?\)"#));

/// An action's title as plain text (links shown by their text), and the links
/// it holds as details: each but the ticket's. The ticket's link that ends the
/// title (`... pods. [Issue](https://...)`) is left out of it, the ticket (with
/// the link's text) saying it, unless it is all the title.
fn plain_title(written: &str, ticket: Option<&Said<String>>) -> (String, Vec<String>) {
    let mut title = written.to_string();
    let mut details = Vec::new();
    for c in MD_LINK.captures_iter(written) {
        if ticket.is_none_or(|t| t.value != c[2]) {
            details.push(c[0].to_string());
        } else if title.trim_end().ends_with(&c[0]) && title.trim_end().len() > c[0].len() {
            title = title.trim_end().trim_end_matches(&c[0]).trim_end().to_string();
        }
    }
    (plain_text(&unbold(&title)), details)
}

/// The issue an action item links to, as its ticket: a link named like a
/// tracker's (`[Issue](...)`, `[#123](...)`, `[PR](...)`) or to an issue or pull
/// request's address, or the item being only such an address. The item's text
/// keeps the link; the ticket is its address, said as the link's text.
fn tracker_link(item: &str) -> Option<Said<String>> {
    static NAMED: LazyLock<Regex> =
        LazyLock::new(|| crate::pattern::compile(r"\[([^\]]{1,40})\]\((https?://[^)\s]+)\)"));
    static TRACKER: LazyLock<Regex> =
        LazyLock::new(|| crate::pattern::compile(r"(?i)/(?:issues|pull|merge_requests|browse|tickets?)(?:/|\?)"));
    // Only a link that ends the item (a tracker's link said in passing is text).
    let end = item.trim_end().trim_end_matches(['.', ')', ']']).trim_end().len();
    let named = NAMED.captures_iter(item).filter(|c| c.get(0).is_some_and(|m| m.end() >= end)).find(|c| {
        let name = norm(&c[1]);
        name.starts_with("issue")
            || name == "pr"
            || name == "ticket"
            || c[1].starts_with('#')
            || TRACKER.is_match(&c[2])
    });
    if let Some(c) = named {
        return Some(Said::from(c[2].to_string(), format!("[{}]", &c[1])));
    }
    let bare = item.trim();
    (bare.starts_with("http") && !bare.contains(char::is_whitespace) && TRACKER.is_match(bare))
        .then(|| Said::plain(bare.to_string()))
}

/// Whether a cell's words deny its marker ("NOT DONE", "not yet DONE").
fn document_denies(cell: &str) -> bool {
    let at = cell.trim_end().rfind(char::is_whitespace).map_or(0, |i| i + 1);
    said_not(cell, at)
}

/// Whether `late` must come after `early`, by the rules `casebook check` holds
/// the key moments to.
fn must_follow(early: MomentKind, late: MomentKind) -> bool {
    use MomentKind::*;
    early != late
        && (early == Introduced
            || late == Resolved
            || (early, late) == (Detected, Acknowledged)
            || (early, late) == (Started, Mitigated))
}

/// Whether the time `a` is before `b`, each as the timeline sorts them: a day
/// alone (`2024-01-02`) is compared by its day.
fn before(a: &str, b: &str) -> bool {
    if a.len() == 10 || b.len() == 10 { a.get(..10) < b.get(..10) } else { a < b }
}

/// The status a table cell states, when it is only a status marker.
fn action_status(cell: &str) -> Option<ActionStatus> {
    match norm(cell).as_str() {
        "done" | "complete" | "completed" | "fixed" | "closed" | "resolved" | "merged" | "yes" => {
            Some(ActionStatus::Done)
        }
        "todo" | "to do" | "open" | "not started" | "not done" | "planned" | "no" => Some(ActionStatus::Open),
        "in progress" | "ongoing" | "wip" | "started" | "doing" => Some(ActionStatus::InProgress),
        "won t do" | "wont do" | "dropped" | "cancelled" | "canceled" => Some(ActionStatus::Dropped),
        _ if cell.trim() == "✅" || cell.trim() == "✔" || cell.trim() == "✔️" => Some(ActionStatus::Done),
        _ => None,
    }
}

impl Draft {
    /// `## Timeline`: an entry per phase, table row or list item with a time.
    pub(super) fn timeline_section(&mut self, s: &Section, date: Option<chrono::NaiveDate>) {
        let full = s.full_text();
        let mut lines = from(s);
        if let Some(header) = s.body.lines().find(|l| l.trim_start().starts_with('|')) {
            lines.push(format!("columns: {header}"));
        }
        group(&mut self.rec.timeline, lines);
        let (mut entries, mut untimed) = timeline_entries(s, date);
        // With no date, times after midnight (23:50, then 00:10) cannot be placed:
        // from the first, the rows are kept as rows without a time.
        if date.is_none() {
            let seconds = |t: &str| chrono::NaiveTime::parse_from_str(t, "%H:%M:%S").ok();
            let crossing = entries.windows(2).position(|w| {
                seconds(&w[0].at).zip(seconds(&w[1].at)).is_some_and(|(a, b)| a - b > chrono::TimeDelta::hours(6))
            });
            if let Some(i) = crossing {
                let after: Vec<_> = entries.split_off(i + 1);
                self.report.unsure.push(format!(
                    "\"{}\": {} row(s) after midnight kept without a time: the document gives no date to place them on",
                    s.title,
                    after.len()
                ));
                for e in after {
                    let time = e.said.clone().unwrap_or_else(|| e.at.get(..5).unwrap_or(&e.at).to_string());
                    untimed.push(format!("- {time} {}", e.body));
                }
            }
        }
        if !untimed.is_empty() {
            self.keep(&format!("{}: rows without a time", s.title), &untimed.join("\n"), Some(SectionAnchor::Timeline));
        }
        let moved = place_days(&mut entries, date, &mut self.timeline_day);
        self.report.unsure.extend(moved);
        // A record's timeline runs forward: rows the document lists out of order
        // are put in order of time (when every row has its day), and the report says so.
        let key = |at: &str| match date {
            Some(day) if at.len() == 8 => format!("{day}T{at}"),
            _ => at.to_string(),
        };
        if entries.windows(2).any(|w| key(&w[1].at) < key(&w[0].at)) {
            entries.sort_by_key(|e| key(&e.at));
            self.report
                .unsure
                .push(format!("\"{}\": rows put in order of time; the document lists some out of order", s.title));
        }
        if entries.is_empty() {
            self.keep(&s.title, &full, Some(SectionAnchor::Timeline));
            self.kept(s, "[[sections]] (no times found)");
            return;
        }
        for e in entries {
            // The importer writes `at` and `until` as TOML times; a row whose
            // time does not read as one is kept as a section, not dropped.
            let (Ok(at), Ok(until)) =
                (e.at.parse::<toml_edit::Datetime>(), e.until.as_deref().map(str::parse).transpose())
            else {
                self.keep(&format!("{}: {}", s.title, e.at), &e.body, Some(SectionAnchor::Timeline));
                continue;
            };
            // A mark only where the entry's words say it, each moment once.
            let words = format!("{} {}", e.title.as_deref().unwrap_or(""), e.body.lines().next().unwrap_or(""));
            let when = key(&e.at);
            let mut marks = Vec::new();
            for m in moment_marks(&words) {
                if self.marked.contains_key(&m) {
                    continue;
                }
                // The words say it, but an earlier entry is marked with a moment
                // that must come after this one (resolved before detected): the
                // timeline contradicts itself, so neither is moved and this one
                // is not marked.
                let clash = self.marked.iter().find(|(k, at)| must_follow(m, **k) && before(at, &when));
                if let Some((k, at)) = clash {
                    self.report
                        .unsure
                        .push(format!("\"{m}\" not marked at {when}: \"{k}\" is marked earlier, at {at}"));
                    continue;
                }
                self.marked.insert(m, when.clone());
                marks.push(m);
            }
            let kind = if marks.contains(&MomentKind::Resolved) {
                EntryKind::Resolution
            } else if marks.contains(&MomentKind::Mitigated) {
                EntryKind::Mitigation
            } else if marks.contains(&MomentKind::Detected) || marks.contains(&MomentKind::Acknowledged) {
                EntryKind::Detection
            } else if marks.contains(&MomentKind::Identified) {
                EntryKind::Investigation
            } else {
                EntryKind::Other
            };
            for line in e.body.lines() {
                if let Some((whole, sha)) = shas(line).into_iter().next() {
                    let note = line
                        .split_once(&whole)
                        .map(|(_, r)| r.trim().trim_start_matches(['-', '—', '–', ':']).trim().to_string())
                        .unwrap_or_default();
                    if !note.is_empty() && !self.rec.commits.iter().any(|n| n.sha == sha) {
                        self.rec.commits.push(draft::CommitNote { sha, note });
                    }
                }
            }
            let mut commits: Vec<String> = shas(&e.body).into_iter().map(|(_, sha)| sha).collect();
            commits.dedup();
            let approximate = e.said.as_deref().is_some_and(|s| APPROX.is_match(s));
            let said = e.said;
            let entry = draft::Entry {
                approximate,
                from: e.from,
                at: match said {
                    Some(said) => Said::from(at, said),
                    None => Said::plain(at),
                },
                until,
                todo: e.todo.then(|| "the time below has no date in the document; check the day".to_string()),
                title: e.title,
                kind,
                marks,
                commits,
                body: Some(e.body.trim().to_string()).filter(|b| !b.is_empty()),
            };
            push(&mut self.rec.timeline, entry);
        }
        self.kept(s, "[[timeline]]");
    }

    /// Causes: one `[[causes]]` per sub-section (or the section itself), with role and fields.
    pub(super) fn causes_section(&mut self, s: &Section) {
        group(&mut self.rec.causes, from(s));
        // A sub-section that says how it was fixed or found is not a cause: it is
        // kept as a section beside the causes, so nothing is invented.
        let not_a_cause = |c: &&Section| {
            let t = norm(&c.title);
            [
                "resolution",
                "fix",
                "remediation",
                "mitigation",
                "solution",
                "detection",
                "impact",
                "how we",
                "what we did",
                "recovery",
            ]
            .iter()
            .any(|w| t.starts_with(w))
        };
        for c in s.children.iter().filter(not_a_cause) {
            self.keep(&c.title, &c.full_text(), Some(SectionAnchor::Causes));
        }
        let causes: Vec<&Section> = s.children.iter().filter(|c| !not_a_cause(c)).collect();
        // Text above the sub-sections is the section's own: kept beside the causes.
        if !causes.is_empty() && !s.body.trim().is_empty() {
            self.keep(&s.title, &s.body, Some(SectionAnchor::Causes));
        }
        let parts: Vec<&Section> = if causes.is_empty() { vec![s] } else { causes };
        let any_primary = parts.iter().any(|p| p.title.to_lowercase().contains("primary"));
        for p in parts {
            let f = fields(&p.body);
            let mut t = p.title.clone();
            if let Some((_, rest)) = t.split_once(':')
                && (norm(&t).starts_with("issue") || norm(&t).starts_with("cause"))
            {
                t = rest.trim().to_string();
            }
            let primary = t.to_lowercase().contains("primary");
            let role = if norm(&s.title).contains("contributing") {
                CauseRole::Contributing
            } else if norm(&s.title) == "trigger" {
                CauseRole::Trigger
            } else if primary || !any_primary {
                CauseRole::Root
            } else {
                CauseRole::Contributing
            };
            // A list under a plural heading ("Contributing Factors", "Causes") is
            // one cause per item.
            let items = list_items(&p.body);
            let only_a_list = p.body.lines().all(|l| {
                let t = l.trim_start();
                t.is_empty() || l.len() > t.len() || t.starts_with(['-', '*']) || NUMBERED.is_match(t)
            });
            let plural = ["factors", "causes"].iter().any(|w| norm(&p.title).ends_with(w));
            if plural && f.is_empty() && only_a_list && !items.is_empty() {
                for (item, sub) in items {
                    // A title is plain text: an item with links keeps them in its description.
                    let title = plain_text(&unbold(&item));
                    let mut description: Vec<String> = Vec::new();
                    if title != unbold(&item) {
                        description.push(item.clone());
                    }
                    description.extend(sub);
                    let cause = draft::Cause {
                        title,
                        role,
                        primary: false,
                        kind: None,
                        description: (!description.is_empty()).then(|| description.join("\n")),
                        impact: None,
                        fix: None,
                        fix_time: None,
                        commits: None,
                    };
                    push(&mut self.rec.causes, cause);
                }
                continue;
            }
            // The description: a labelled one, else the prose; the prose beside a
            // label, and fields no key takes, are kept in it too.
            let known = [
                "cause",
                "description",
                "what happened",
                "impact",
                "fix",
                "resolution",
                "solution",
                "resolution time",
                "time to fix",
                "fix time",
                "type",
                "kind",
                "category",
                "commit",
                "commits",
            ];
            let prose: Vec<&str> = p.body.lines().filter(|l| fields(l).is_empty()).collect();
            let prose = prose.join("\n").trim().to_string();
            let mut desc =
                field(&f, &["cause", "description", "what happened"]).map(str::to_string).unwrap_or_default();
            if !prose.is_empty() {
                desc = if desc.is_empty() { prose } else { format!("{desc}\n\n{prose}") };
            }
            for (k, v) in f.iter().filter(|(k, v)| !v.is_empty() && !known.contains(&norm(k).as_str())) {
                desc.push_str(&format!("\n\n**{k}:** {v}"));
            }
            let desc = Some(desc);
            let cited: Vec<String> = shas(&p.body).into_iter().map(|(_, sha)| sha).collect();
            let desc = desc.filter(|d| !d.is_empty());
            // (A heading that only names the section, "Root Cause", stays the
            // title: a sentence of the text would often be its context, not the cause.)
            let title = PRIMARY.replace(&t, "").trim().to_string();
            if desc.is_none() && f.is_empty() && p.children.is_empty() && p.body.trim().is_empty() {
                // An empty section states no cause.
                continue;
            }
            let cause = draft::Cause {
                title,
                role,
                primary,
                kind: f
                    .iter()
                    .find(|(k, _)| ["type", "kind", "category"].contains(&norm(k).as_str()))
                    .map(|(label, k)| Said::from(k.to_lowercase(), format!("{label}: {k}"))),
                description: desc,
                impact: field(&f, &["impact"]).map(str::to_string),
                fix: field(&f, &["fix", "resolution", "solution"]).map(str::to_string),
                fix_time: field(&f, &["resolution time", "time to fix", "fix time"]).and_then(human_duration),
                commits: (!cited.is_empty()).then(|| match f.iter().find(|(_, v)| !shas(v).is_empty()) {
                    Some((label, _)) => Said::from(cited, label.as_str()),
                    None => Said::plain(cited),
                }),
            };
            // "..., triggered by an unexpected response": the trigger is a cause too.
            // (Its sentence is in the root's description: said once.)
            let triggers: Vec<draft::Cause> = stated_causes(cause.description.as_deref().unwrap_or(""))
                .into_iter()
                .filter(|c| c.role == CauseRole::Trigger && role != CauseRole::Trigger)
                .map(|c| draft::Cause { description: None, ..c })
                .collect();
            push(&mut self.rec.causes, cause);
            for t in triggers {
                push(&mut self.rec.causes, t);
            }
        }
        self.kept(s, "[[causes]]");
    }

    /// Lessons: one `[[lessons]]` per sub-section, problem and takeaways.
    pub(super) fn lessons_section(&mut self, s: &Section) {
        group(&mut self.rec.lessons, from(s));
        if !s.children.is_empty() && !s.body.trim().is_empty() {
            self.keep(&s.title, &s.body, Some(SectionAnchor::Lessons));
        }
        let parts: Vec<&Section> = if s.children.is_empty() { vec![s] } else { s.children.iter().collect() };
        for p in parts {
            let title = NUMBERED.replace(&p.title, "").to_string();
            // What went well is no problem: its points are the takeaways.
            let good = ["what went well", "went right", "where we got lucky", "what worked"]
                .iter()
                .any(|w| norm(&title).starts_with(w));
            if good {
                let takeaways = notes(&p.body);
                if !takeaways.is_empty() {
                    push(&mut self.rec.lessons, draft::Lesson { title, problem: None, takeaways });
                }
                continue;
            }
            let f = fields(&p.body);
            let mut problem =
                field(&f, &["problem", "what went wrong", "issue"]).map(str::to_string).unwrap_or_default();
            for (k, v) in &f {
                let n = norm(k);
                if !["problem", "what went wrong", "issue", "prevention", "solution", "takeaways"].contains(&n.as_str())
                    && !v.is_empty()
                {
                    problem.push_str(&format!("\n\n**{k}:** {v}"));
                }
            }
            let items: Vec<String> = list_items(&p.body)
                .into_iter()
                .filter(|(t, _)| !t.starts_with("**"))
                .map(|(t, sub)| {
                    // Sub-items stay a nested list under their item.
                    let nested: Vec<String> = sub.iter().map(|s| format!("\n  - {s}")).collect();
                    format!("{t}{}", nested.concat())
                })
                .collect();
            let labelled: Vec<String> = f
                .iter()
                .filter(|(k, v)| ["solution", "future fix"].contains(&norm(k).as_str()) && !v.is_empty())
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            let mut takeaways = items;
            takeaways.extend(labelled);
            if problem.trim().is_empty() && f.is_empty() && takeaways.is_empty() {
                problem = p.body.trim().to_string();
            }
            let problem = Some(problem.trim().to_string()).filter(|p| !p.is_empty());
            if problem.is_some() || !takeaways.is_empty() {
                push(&mut self.rec.lessons, draft::Lesson { title, problem, takeaways });
            }
        }
        self.kept(s, "[[lessons]]");
    }

    /// Action items: table rows and list items, the horizon from sub-section headings.
    pub(super) fn actions_section(&mut self, s: &Section) {
        let groups: Vec<(&Section, Option<Horizon>)> = if s.children.is_empty() {
            vec![(s, None)]
        } else {
            s.children
                .iter()
                .map(|c| {
                    let t = norm(&c.title);
                    let h = if t.contains("immediate") || t.contains("next week") {
                        Some(Horizon::Immediate)
                    } else if t.contains("short") || t.contains("next month") {
                        Some(Horizon::Short)
                    } else if t.contains("long") || t.contains("quarter") {
                        Some(Horizon::Long)
                    } else {
                        None
                    };
                    (c, h)
                })
                .collect()
        };
        group(&mut self.rec.actions, from(s));
        for (g, horizon) in groups {
            let header = g.body.lines().find(|l| l.trim_start().starts_with('|'));
            let mut lines = if g.level > s.level { from(g) } else { Vec::new() };
            if let Some(header) = header {
                lines.push(format!("columns: {header}"));
            }
            if !lines.is_empty() {
                group(&mut self.rec.actions, lines);
            }
            // Columns by their names, else in the order title, kind, owner, ticket.
            let names: Vec<String> =
                header.map(|h| h.trim().trim_matches('|').split('|').map(norm).collect()).unwrap_or_default();
            let column = |words: &[&str], default: usize| {
                names.iter().position(|n| words.iter().any(|w| n.contains(w))).or((names.is_empty()).then_some(default))
            };
            let (title_col, kind_col, owner_col, ticket_col) = (
                column(&["action", "item", "task", "title", "description", "what"], 0).unwrap_or(0),
                column(&["kind", "type", "category"], 1),
                column(&["owner", "assignee", "who", "team", "responsible"], 2),
                column(&["ticket", "issue", "link", "tracking", "bug", "jira"], 3),
            );
            for line in table_rows(&g.body) {
                let cell = |c: Option<usize>| c.and_then(|c| line.get(c)).map(|v| unbold(v)).filter(|v| !v.is_empty());
                // The title is plain text, as for list items: a tracker link ending
                // it is the ticket (when no column gives one), other links are details.
                let written = cell(Some(title_col)).unwrap_or_default();
                let ticket = cell(ticket_col).map(Said::plain).or_else(|| tracker_link(&written));
                let (title, details) = plain_title(&written, ticket.as_ref());
                let mut action = draft::Action {
                    title,
                    owner: cell(owner_col).map(Said::plain),
                    kind: cell(kind_col).and_then(|k| ActionKind::parse(&k.to_lowercase())),
                    ticket,
                    details,
                    horizon,
                    ..Default::default()
                };
                // A status marker in any column: DONE, TODO, In progress...
                // (A whole cell, or a capitalised marker ending one: "Bug 123 TODO".)
                let marker = |i: usize, c: &String| {
                    let c = unbold(c);
                    // A question ("Done?") states no status; "yes" and "no" do only
                    // in a column about status ("Customer facing: Yes" does not).
                    if c.trim_end().ends_with('?') {
                        return None;
                    }
                    let about_status = names.get(i).is_none_or(|n| {
                        ["status", "done", "complete", "state", "progress"].iter().any(|w| n.contains(w))
                    });
                    if matches!(norm(&c).as_str(), "yes" | "no") && !about_status {
                        return None;
                    }
                    action_status(&c).or_else(|| {
                        let words: Vec<&str> = c.split_whitespace().collect();
                        let last = words.last().filter(|w| ["DONE", "TODO", "WIP"].contains(w))?;
                        // "NOT DONE", "not yet DONE" are not done.
                        if document_denies(&c) {
                            return (*last == "DONE").then_some(ActionStatus::Open);
                        }
                        action_status(last)
                    })
                };
                let status =
                    line.iter().enumerate().find_map(|(i, c)| marker(i, c).map(|s| (i, Said::from(s, c.as_str()))));
                // Cells no key takes (a due date, notes, a status with more words
                // than a marker) are details, with their column's name.
                let headers: Vec<&str> =
                    header.map(|h| h.trim().trim_matches('|').split('|').map(str::trim).collect()).unwrap_or_default();
                let used = [Some(title_col), kind_col.filter(|_| action.kind.is_some()), owner_col, ticket_col];
                for (i, c) in line.iter().enumerate() {
                    let whole_marker =
                        status.as_ref().is_some_and(|(at, s)| *at == i && action_status(&unbold(c)) == Some(s.value));
                    if c.trim().is_empty() || used.contains(&Some(i)) || whole_marker {
                        continue;
                    }
                    match headers.get(i).filter(|h| !h.is_empty()) {
                        Some(h) => action.details.push(format!("{h}: {}", c.trim())),
                        None => action.details.push(c.trim().to_string()),
                    }
                }
                action.status = status.map(|(_, s)| s);
                if action.title.is_empty() && action.details.is_empty() && action.owner.is_none() {
                    continue;
                }
                push(&mut self.rec.actions, action);
            }
            // `Action point: ...` paragraphs are items too.
            let points: Vec<(String, Vec<String>)> = g
                .body
                .lines()
                .filter_map(|l| {
                    let t = l.trim();
                    let rest = t.strip_prefix("Action point:").or_else(|| t.strip_prefix("**Action point:**"))?;
                    Some((rest.trim().to_string(), Vec::new()))
                })
                .collect();
            for (item, sub) in list_items(&g.body).into_iter().chain(points) {
                // A checkbox states the status: `[x]` done, `[ ]` open.
                let (checked, item) = match CHECK.captures(&format!("- {item}")) {
                    Some(c) => (Some(c[1].eq_ignore_ascii_case("x")), c[2].to_string()),
                    None => (None, item),
                };
                // A status marker (`**DONE**`, `TODO:`) and an owner in brackets
                // (`[Infra]`; `[#123]` is a ticket) before the text.
                static MARKER: LazyLock<Regex> = LazyLock::new(|| {
                    // `**Done**`, `DONE`, `Done:`, `todo -`: a marker is bold, in capitals or
                    // followed by a colon or dash ("Todo list app ..." is a title).
                    crate::pattern::compile(
                        r"^\s*(?:\*\*(?i:done|todo|in progress|wip)\*\*\s*[:\-–—]?|(?:DONE|TODO|IN PROGRESS|WIP)\s*[:\-–—]?|(?i:done|todo|in progress|wip)\s*[:\-–—])\s+",
                    )
                });
                static BRACKET: LazyLock<Regex> =
                    LazyLock::new(|| crate::pattern::compile(r"^\s*\[([^\]\[]{1,40})\](?:\(([^)\s]+)\))?\s*:?\s+"));
                let mut item = item;
                let mut marker = None;
                if let Some(c) = MARKER.captures(&item) {
                    let word = c[0].trim().trim_end_matches([':', '-', '–', '—']).trim().trim_matches('*');
                    marker = action_status(word).map(|s| (s, c[0].trim().to_string()));
                    item = item[c[0].len()..].to_string();
                }
                let mut owner = None;
                let mut ticket = None;
                // (`[#2226](https://...)`: the document's `[#2226]` with its definition.)
                if let Some(c) = BRACKET.captures(&item).filter(|c| !c[1].contains("](")) {
                    let inside = c[1].trim().to_string();
                    // `[#123]`, `[123]`, `[OPS-42]` are tickets; a name without digits is
                    // an owner; anything else (`[v2]`, `[2FA]`, `[Q3 2024]`) stays text.
                    static TICKET: LazyLock<Regex> =
                        LazyLock::new(|| crate::pattern::compile(r"^(?:#\d+|\d+|[A-Z][A-Z0-9]+-\d+)$"));
                    if TICKET.is_match(&inside) {
                        ticket = Some((c.get(2).map(|u| u.as_str().to_string()), inside));
                    } else if c.get(2).is_none() && !inside.chars().any(|ch| ch.is_ascii_digit()) {
                        owner = Some(inside);
                    }
                    if ticket.is_some() || owner.is_some() {
                        item = item[c[0].len()..].to_string();
                    }
                }
                let status = match marker {
                    Some((status, said)) => Some(Said::from(status, said)),
                    None => checked.map(|done| match done {
                        true => Said::from(ActionStatus::Done, "[x]"),
                        false => Said::from(ActionStatus::Open, "[ ]"),
                    }),
                };
                // `[#2226]` with a definition `[#2226]: https://...` in the
                // section is that address.
                let defined = |t: &str| {
                    g.body.lines().find_map(|l| {
                        let url = l.trim().strip_prefix(&format!("[{t}]:"))?.trim();
                        url.starts_with("http").then(|| url.to_string())
                    })
                };
                let ticket = ticket
                    .map(|(url, t)| {
                        Said::from(url.or_else(|| defined(&t)).unwrap_or_else(|| t.clone()), format!("[{t}]"))
                    })
                    .or_else(|| tracker_link(&item))
                    .or_else(|| sub.iter().find_map(|l| tracker_link(l)));
                let (title, links) = plain_title(&item, ticket.as_ref());
                let mut details = sub;
                details.extend(links);
                let action = draft::Action {
                    title,
                    owner: owner.map(|o| Said::from(o.clone(), format!("[{o}]"))),
                    ticket,
                    status,
                    details,
                    horizon,
                    ..Default::default()
                };
                push(&mut self.rec.actions, action);
            }
        }
        self.kept(s, "[[actions]]");
    }

    /// A checklist: `[[verification]]` items; other text is kept as a section.
    pub(super) fn verification_section(&mut self, s: &Section) {
        let full = s.full_text();
        group(&mut self.rec.verification, from(s));
        for line in full.lines() {
            if let Some(c) = CHECK.captures(line) {
                let done = c[1].eq_ignore_ascii_case("x");
                let text = c[2].to_string();
                let (by, item) = match FIELD.captures(&format!("- {text}")) {
                    Some(f) if norm(&f[1]).ends_with("to verify") => {
                        (Some(f[1].trim().trim_end_matches("to verify").trim().to_string()), f[2].trim().to_string())
                    }
                    _ => (None, unbold(&text)),
                };
                push(&mut self.rec.verification, draft::Check { item, done, by });
            }
        }
        let rest: String =
            full.lines().filter(|l| !CHECK.is_match(l) && !l.trim().is_empty()).collect::<Vec<_>>().join("\n");
        if !rest.is_empty() {
            self.keep(&s.title, &rest, Some(SectionAnchor::Verification));
        }
        self.kept(s, "[[verification]]");
    }

    /// Cost: effort items and their stated total; impact sub-sections go to `[impact]`.
    pub(super) fn cost_section(&mut self, s: &Section) {
        let full = s.full_text();
        group(&mut self.rec.effort, from(s));
        for c in &s.children {
            let t = norm(&c.title);
            if t.contains("time") || t.contains("effort") {
                group(&mut self.rec.effort, from(c));
                for (k, v) in fields(&c.body) {
                    match human_duration(&v) {
                        Some(d) if norm(&k) == "total" => self.rec.effort_total = Some(Said::from(d, v)),
                        Some(d) => {
                            let item = draft::Effort { activity: k, duration: Said::from(d, v) };
                            push(&mut self.rec.effort, item);
                        }
                        None => {}
                    }
                }
            } else if t.contains("impact") {
                self.impact_part(c, &c.body);
            } else {
                self.keep(&c.title, &c.full_text(), Some(SectionAnchor::Effort));
            }
        }
        if s.children.is_empty() {
            self.keep(&s.title, &full, Some(SectionAnchor::Effort));
        }
        self.kept(s, "[[effort]] and [impact]");
    }

    /// Files changed: `[[changes]]`, committed or not by their heading.
    pub(super) fn changes_section(&mut self, s: &Section) {
        group(&mut self.rec.changes, from(s));
        let committed_default = true;
        let groups: Vec<&Section> = if s.children.is_empty() { vec![s] } else { s.children.iter().collect() };
        for g in groups {
            if g.level > s.level {
                group(&mut self.rec.changes, from(g));
            }
            let committed = !norm(&g.title).contains("not committed") && committed_default;
            for (item, sub) in list_items(&g.body) {
                let path = unbold(&item);
                let cited: Vec<String> = sub.iter().flat_map(|l| shas(l).into_iter().map(|(_, sha)| sha)).collect();
                let summary: Vec<String> =
                    sub.iter().filter(|l| shas(l).is_empty()).map(|l| format!("- {l}")).collect();
                let change = draft::Change {
                    path: path.trim_matches('`').to_string(),
                    committed,
                    summary: (!summary.is_empty()).then(|| summary.join("\n")),
                    commits: cited,
                };
                push(&mut self.rec.changes, change);
            }
        }
        self.kept(s, "[[changes]]");
    }

    /// Links: `[[links]]`, and the section kept as it was.
    pub(super) fn links_section(&mut self, s: &Section) {
        let full = s.full_text();
        for c in LINK.captures_iter(&full) {
            let (title, url) = match (c.get(1), c.get(2), c.get(3)) {
                (Some(t), Some(u), _) => (Some(t.as_str()), u.as_str()),
                (_, _, Some(u)) => (None, u.as_str()),
                _ => continue,
            };
            // Only a web or mail address is a link; any other (`javascript:`) stays
            // text in the section below.
            let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
            if !matches!(scheme.as_deref(), Some("http" | "https" | "mailto")) {
                continue;
            }
            self.rec.links.push(draft::Link { title: title.map(str::to_string), url: url.to_string() });
        }
        self.keep(&s.title, &full, None);
        self.kept(s, "[[links]] and [[sections]]");
    }

    /// Anything else: kept verbatim in `[[sections]]`, placed after the standard section it is closest to.
    pub(super) fn other_section(&mut self, s: &Section) {
        let full = s.full_text();
        let after = match norm(&s.title).as_str() {
            t if t.contains("detection")
                || t.contains("response")
                || t.contains("recovery")
                || t.contains("resolution") =>
            {
                Some(SectionAnchor::Timeline)
            }
            t if t.contains("leadup") || t.contains("fault") || t.contains("what happened") => {
                Some(SectionAnchor::Summary)
            }
            t if t.contains("prevention") => Some(SectionAnchor::Lessons),
            t if t.contains("technical") => Some(SectionAnchor::Causes),
            _ => None,
        };
        self.keep(&s.title, &full, after);
        self.kept(s, &format!("[[sections]]{}", after.map(|a| format!(" after {a}")).unwrap_or_default()));
    }
}
