//! One method per kind of section: what each puts into the draft record.

use super::Draft;
use super::document::*;
use regex::Regex;
use std::fmt::Write;
use std::sync::LazyLock;

/// A provenance comment (`# From "## Timeline"`) in `buf`, with the section's intro
/// lines that no table takes (e.g. "2015-10-21 (all times UTC)").
fn from(buf: &mut String, sec: &Section) {
    let _ = write!(buf, "\n# From \"{} {}\"", "#".repeat(sec.level), comment(&sec.title));
    for l in sec.body.lines().map(str::trim).filter(|l| {
        !l.is_empty()
            && !l.starts_with(['-', '*', '|', '#'])
            && !l.chars().next().is_some_and(|c| c.is_ascii_digit() && l.contains(". "))
            && FIELD.captures(l).is_none()
    }) {
        if matches!(classify(&sec.title), Kind::Timeline | Kind::Actions | Kind::Cost | Kind::Changes) {
            let _ = write!(buf, "\n# {}", comment(l));
        }
    }
    buf.push('\n');
}

/// The status a table cell states, when it is only a status marker.
fn action_status(cell: &str) -> Option<&'static str> {
    match norm(cell).as_str() {
        "done" | "complete" | "completed" | "fixed" | "closed" | "resolved" | "merged" | "yes" => Some("done"),
        "todo" | "to do" | "open" | "not started" | "planned" | "no" => Some("open"),
        "in progress" | "ongoing" | "wip" | "started" | "doing" => Some("in-progress"),
        "won t do" | "wont do" | "dropped" | "cancelled" | "canceled" => Some("dropped"),
        _ if cell.trim() == "✅" || cell.trim() == "✔" || cell.trim() == "✔️" => Some("done"),
        _ => None,
    }
}

impl Draft {
    /// `## Timeline`: an entry per phase, table row or list item with a time.
    pub(super) fn timeline_section(&mut self, s: &Section, date: Option<chrono::NaiveDate>) {
        let full = s.full_text();
        from(&mut self.timeline, s);
        if let Some(header) = s.body.lines().find(|l| l.trim_start().starts_with('|')) {
            let _ = writeln!(self.timeline, "# columns: {}", comment(header));
        }
        let (mut entries, untimed) = timeline_entries(s, date);
        if !untimed.is_empty() {
            self.extra_sections.push((
                format!("{}: rows without a time", s.title),
                untimed.join("\n"),
                Some("timeline"),
            ));
        }
        let moved = place_days(&mut entries, date);
        self.report.unsure.extend(moved);
        // A record's timeline runs forward: rows the document lists out of order
        // are put in order of time (when every row has its day), and the report says so.
        if let Some(day) = date {
            let key = |at: &str| if at.len() == 8 { format!("{day}T{at}") } else { at.to_string() };
            if entries.windows(2).any(|w| key(&w[1].at) < key(&w[0].at)) {
                entries.sort_by_key(|e| key(&e.at));
                self.report
                    .unsure
                    .push(format!("\"{}\": rows put in order of time; the document lists some out of order", s.title));
            }
        }
        if entries.is_empty() {
            self.extra_sections.push((s.title.clone(), full.trim().to_string(), Some("timeline")));
            self.kept(s, "[[sections]] (no times found)");
            return;
        }
        for (n, e) in entries.iter().enumerate() {
            let _ = writeln!(self.timeline);
            if let Some(f) = &e.from {
                let _ = writeln!(self.timeline, "# From \"{}\"", comment(f));
            }
            let _ = writeln!(self.timeline, "[[timeline]]");
            match &e.said {
                Some(said) => {
                    let _ = writeln!(self.timeline, "at = {}  # the document: {}", e.at, comment(said));
                }
                None => {
                    let _ = writeln!(self.timeline, "at = {}", e.at);
                }
            }
            if let Some(u) = &e.until {
                let _ = writeln!(self.timeline, "until = {u}");
            }
            if let Some(t) = &e.title {
                let _ = writeln!(self.timeline, "title = {}", tstr(t));
            }
            // A mark only where the entry's words say it, each moment once.
            let words = format!("{} {}", e.title.as_deref().unwrap_or(""), e.body.lines().next().unwrap_or(""));
            let marks: Vec<&str> =
                moment_marks(&words).into_iter().filter(|m| self.marked.insert((*m).to_string())).collect();
            let _ = n;
            let kind = if marks.contains(&"resolved") {
                "resolution"
            } else if marks.contains(&"mitigated") {
                "mitigation"
            } else if marks.contains(&"detected") || marks.contains(&"acknowledged") {
                "detection"
            } else if marks.contains(&"identified") {
                "investigation"
            } else {
                "other"
            };
            let _ = writeln!(self.timeline, "kind = \"{kind}\"");
            if !marks.is_empty() {
                let _ = writeln!(
                    self.timeline,
                    "marks = [{}]",
                    marks.iter().map(|m| format!("\"{m}\"")).collect::<Vec<_>>().join(", ")
                );
            }
            let shas: Vec<String> = SHA.captures_iter(&e.body).map(|c| c[1].to_string()).collect();
            for line in e.body.lines() {
                if let Some(c) = SHA.captures(line) {
                    let note = line
                        .split_once(&c[0])
                        .map(|(_, r)| r.trim().trim_start_matches(['-', '—', '–', ':']).trim().to_string())
                        .unwrap_or_default();
                    if !note.is_empty() && !self.commits.iter().any(|(s, _)| s == &c[1]) {
                        self.commits.push((c[1].to_string(), note));
                    }
                }
            }
            if !shas.is_empty() {
                let mut uniq = shas.clone();
                uniq.dedup();
                let _ = writeln!(self.timeline, "commits = {}", tlist(&uniq));
            }
            if !e.body.trim().is_empty() {
                let _ = writeln!(self.timeline, "body = {}", tstr(e.body.trim()));
            }
            if e.todo {
                let _ = writeln!(self.timeline, "# TODO: the time above has no date in the document; check the day");
            }
        }
        self.kept(s, "[[timeline]]");
    }

    /// Causes: one `[[causes]]` per sub-section (or the section itself), with role and fields.
    pub(super) fn causes_section(&mut self, s: &Section) {
        from(&mut self.causes, s);
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
            self.extra_sections.push((c.title.clone(), c.full_text().trim().to_string(), Some("causes")));
        }
        let causes: Vec<&Section> = s.children.iter().filter(|c| !not_a_cause(c)).collect();
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
            let clean = PRIMARY.replace(&t, "").trim().to_string();
            let _ = writeln!(self.causes, "\n[[causes]]\ntitle = {}", tstr(&clean));
            let role = if norm(&s.title).contains("contributing") {
                "contributing"
            } else if norm(&s.title) == "trigger" {
                "trigger"
            } else if primary || !any_primary {
                "root"
            } else {
                "contributing"
            };
            let _ = writeln!(self.causes, "role = \"{role}\"");
            if primary {
                let _ = writeln!(self.causes, "primary = true");
            }
            if let Some((label, k)) = f.iter().find(|(k, _)| ["type", "kind", "category"].contains(&norm(k).as_str())) {
                let _ = writeln!(
                    self.causes,
                    "kind = {}  # {}",
                    tstr(&k.to_lowercase()),
                    comment(&format!("{label}: {k}"))
                );
            }
            let desc = field(&f, &["cause", "description", "what happened"])
                .map(str::to_string)
                .or_else(|| (f.is_empty()).then(|| p.body.trim().to_string()));
            if let Some(d) = desc.filter(|d| !d.is_empty()) {
                let _ = writeln!(self.causes, "description = {}", tstr(&d));
            }
            if let Some(i) = field(&f, &["impact"]) {
                let _ = writeln!(self.causes, "impact = {}", tstr(i));
            }
            if let Some(x) = field(&f, &["fix", "resolution", "solution"]) {
                let _ = writeln!(self.causes, "fix = {}", tstr(x));
            }
            if let Some(d) = field(&f, &["resolution time", "time to fix", "fix time"]).and_then(human_duration) {
                let _ = writeln!(self.causes, "fix_time = \"{d}\"");
            }
            let shas: Vec<String> = SHA.captures_iter(&p.body).map(|c| c[1].to_string()).collect();
            if !shas.is_empty() {
                let label = f.iter().find(|(_, v)| SHA.is_match(v)).map_or("Commits", |(k, _)| k.as_str());
                let _ = writeln!(self.causes, "commits = {}  # {}", tlist(&shas), comment(label));
            }
        }
        self.kept(s, "[[causes]]");
    }

    /// Lessons: one `[[lessons]]` per sub-section, problem and takeaways.
    pub(super) fn lessons_section(&mut self, s: &Section) {
        from(&mut self.lessons, s);
        let parts: Vec<&Section> = if s.children.is_empty() { vec![s] } else { s.children.iter().collect() };
        for p in parts {
            let title = NUMBERED.replace(&p.title, "").to_string();
            let f = fields(&p.body);
            let _ = writeln!(self.lessons, "\n[[lessons]]\ntitle = {}", tstr(&title));
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
                .map(|(t, sub)| if sub.is_empty() { t } else { format!("{t} {}", sub.join(" ")) })
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
            if !problem.trim().is_empty() {
                let _ = writeln!(self.lessons, "problem = {}", tstr(problem.trim()));
            }
            if !takeaways.is_empty() {
                let _ = writeln!(self.lessons, "takeaways = {}", tlist(&takeaways));
            }
        }
        self.kept(s, "[[lessons]]");
    }

    /// Action items: table rows and list items, the horizon from sub-section headings.
    pub(super) fn actions_section(&mut self, s: &Section) {
        let groups: Vec<(&Section, Option<&str>)> = if s.children.is_empty() {
            vec![(s, None)]
        } else {
            s.children
                .iter()
                .map(|c| {
                    let t = norm(&c.title);
                    let h = if t.contains("immediate") || t.contains("next week") {
                        Some("immediate")
                    } else if t.contains("short") || t.contains("next month") {
                        Some("short")
                    } else if t.contains("long") || t.contains("quarter") {
                        Some("long")
                    } else {
                        None
                    };
                    (c, h)
                })
                .collect()
        };
        from(&mut self.actions, s);
        for (g, horizon) in groups {
            if g.level > s.level {
                from(&mut self.actions, g);
            }
            let header = g.body.lines().find(|l| l.trim_start().starts_with('|'));
            if let Some(header) = header {
                let _ = writeln!(self.actions, "# columns: {}", comment(header));
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
                let title = cell(Some(title_col)).unwrap_or_default();
                let _ = writeln!(self.actions, "\n[[actions]]\ntitle = {}", tstr(&title));
                if let Some(owner) = cell(owner_col) {
                    let _ = writeln!(self.actions, "owner = {}", tstr(&owner));
                }
                if let Some(k) =
                    cell(kind_col).map(|k| k.to_lowercase()).filter(|k| crate::model::ActionKind::parse(k).is_some())
                {
                    let _ = writeln!(self.actions, "kind = \"{k}\"");
                }
                if let Some(ticket) = cell(ticket_col) {
                    let _ = writeln!(self.actions, "ticket = {}", tstr(&ticket));
                }
                // A status marker in any column: DONE, TODO, In progress...
                // (A whole cell, or a capitalised marker ending one: "Bug 123 TODO".)
                let marker = |c: &String| {
                    let c = unbold(c);
                    action_status(&c).or_else(|| {
                        let last = c.split_whitespace().last().filter(|w| ["DONE", "TODO", "WIP"].contains(w))?;
                        action_status(last)
                    })
                };
                if let Some((status, said)) = line.iter().find_map(|c| marker(c).map(|s| (s, c))) {
                    let _ = writeln!(self.actions, "status = \"{status}\"  # {}", comment(said));
                }
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
                let (done, item) = match CHECK.captures(&format!("- {item}")) {
                    Some(c) => (c[1].eq_ignore_ascii_case("x"), c[2].to_string()),
                    None => (false, item),
                };
                // A status marker (`**DONE**`, `TODO:`) and an owner in brackets
                // (`[Infra]`; `[#123]` is a ticket) before the text.
                static MARKER: LazyLock<Regex> = LazyLock::new(|| {
                    crate::pattern::compile(r"(?i)^\s*(?:\*\*)?(done|todo|in progress|wip)(?:\*\*)?\s*[:\-–—]?\s+")
                });
                static BRACKET: LazyLock<Regex> =
                    LazyLock::new(|| crate::pattern::compile(r"^\s*\[([^\]\[]{1,40})\]\s*:?\s+"));
                let mut item = item;
                let mut marker = None;
                if let Some(c) = MARKER.captures(&item) {
                    marker = action_status(&c[1]).map(|s| (s, c[0].trim().to_string()));
                    item = item[c[0].len()..].to_string();
                }
                let mut owner = None;
                let mut ticket = None;
                if let Some(c) = BRACKET.captures(&item).filter(|c| !c[1].contains("](")) {
                    let inside = c[1].trim().to_string();
                    if inside.starts_with('#') || inside.chars().any(|ch| ch.is_ascii_digit()) {
                        ticket = Some(inside);
                    } else {
                        owner = Some(inside);
                    }
                    item = item[c[0].len()..].to_string();
                }
                let _ = writeln!(self.actions, "\n[[actions]]\ntitle = {}", tstr(&unbold(&item)));
                if let Some(o) = &owner {
                    let _ = writeln!(self.actions, "owner = {}  # [{}]", tstr(o), comment(o));
                }
                if let Some(t) = &ticket {
                    let _ = writeln!(self.actions, "ticket = {}  # [{}]", tstr(t), comment(t));
                }
                if let Some((status, said)) = &marker {
                    let _ = writeln!(self.actions, "status = \"{status}\"  # {}", comment(said));
                }
                if !sub.is_empty() {
                    let _ = writeln!(self.actions, "details = {}", tlist(&sub));
                }
                if let Some(h) = horizon {
                    let _ = writeln!(self.actions, "horizon = \"{h}\"");
                }
                if done && marker.is_none() {
                    let _ = writeln!(self.actions, "status = \"done\"");
                }
            }
        }
        self.kept(s, "[[actions]]");
    }

    /// A checklist: `[[verification]]` items; other text is kept as a section.
    pub(super) fn verification_section(&mut self, s: &Section) {
        let full = s.full_text();
        from(&mut self.verification, s);
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
                let _ = writeln!(self.verification, "\n[[verification]]\nitem = {}\ndone = {done}", tstr(&item));
                if let Some(b) = by {
                    let _ = writeln!(self.verification, "by = {}", tstr(&b));
                }
            }
        }
        let rest: String =
            full.lines().filter(|l| !CHECK.is_match(l) && !l.trim().is_empty()).collect::<Vec<_>>().join("\n");
        if !rest.is_empty() {
            self.extra_sections.push((s.title.clone(), rest, Some("verification")));
        }
        self.kept(s, "[[verification]]");
    }

    /// Cost: effort items and their stated total; impact sub-sections go to `[impact]`.
    pub(super) fn cost_section(&mut self, s: &Section) {
        let full = s.full_text();
        from(&mut self.effort, s);
        for c in &s.children {
            let t = norm(&c.title);
            if t.contains("time") || t.contains("effort") {
                from(&mut self.effort, c);
                for (k, v) in fields(&c.body) {
                    match human_duration(&v) {
                        Some(d) if norm(&k) == "total" => self.effort_total = Some((d, v.clone())),
                        Some(d) => {
                            let _ = writeln!(
                                self.effort,
                                "\n[[effort]]\nactivity = {}\nduration = \"{d}\"  # {}",
                                tstr(&k),
                                comment(&v)
                            );
                        }
                        None => {}
                    }
                }
            } else if t.contains("impact") {
                self.impact.push_str(&format!("# From \"{} {}\"\n", "#".repeat(c.level), comment(&c.title)));
                self.impact.push_str(&c.body);
                self.impact.push('\n');
            } else {
                self.extra_sections.push((c.title.clone(), c.full_text().trim().to_string(), Some("effort")));
            }
        }
        if s.children.is_empty() {
            self.extra_sections.push((s.title.clone(), full.trim().to_string(), Some("effort")));
        }
        self.kept(s, "[[effort]] and [impact]");
    }

    /// Files changed: `[[changes]]`, committed or not by their heading.
    pub(super) fn changes_section(&mut self, s: &Section) {
        from(&mut self.changes, s);
        let committed_default = true;
        let groups: Vec<&Section> = if s.children.is_empty() { vec![s] } else { s.children.iter().collect() };
        for g in groups {
            if g.level > s.level {
                from(&mut self.changes, g);
            }
            let committed = !norm(&g.title).contains("not committed") && committed_default;
            for (item, sub) in list_items(&g.body) {
                let path = unbold(&item);
                let shas: Vec<String> = sub
                    .iter()
                    .flat_map(|l| SHA.captures_iter(l).map(|c| c[1].to_string()).collect::<Vec<_>>())
                    .collect();
                let summary: Vec<String> = sub.iter().filter(|l| !SHA.is_match(l)).map(|l| format!("- {l}")).collect();
                let _ = writeln!(self.changes, "\n[[changes]]\npath = {}", tstr(path.trim_matches('`')));
                if !committed {
                    let _ = writeln!(self.changes, "committed = false");
                }
                if !summary.is_empty() {
                    let _ = writeln!(self.changes, "summary = {}", tstr(&summary.join("\n")));
                }
                if !shas.is_empty() {
                    let _ = writeln!(self.changes, "commits = {}", tlist(&shas));
                }
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
            let _ = writeln!(self.links, "\n[[links]]");
            if let Some(t) = title {
                let _ = writeln!(self.links, "title = {}", tstr(t));
            }
            let _ = writeln!(self.links, "url = {}", tstr(url));
        }
        self.extra_sections.push((s.title.clone(), full.trim().to_string(), None));
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
                Some("timeline")
            }
            t if t.contains("leadup") || t.contains("fault") || t.contains("what happened") => Some("summary"),
            t if t.contains("prevention") => Some("lessons"),
            t if t.contains("technical") => Some("causes"),
            _ => None,
        };
        self.extra_sections.push((s.title.clone(), full.trim().to_string(), after));
        self.kept(s, &format!("[[sections]]{}", after.map(|a| format!(" after {a}")).unwrap_or_default()));
    }
}
