//! Import: a markdown postmortem in, a record out. Sections are mapped by their
//! headings' names (the layout casebook grew from, and the section names of the
//! Google SRE, PagerDuty and Atlassian templates); whatever is not mapped is kept
//! verbatim in `[[sections]]`. Facts the document lacks become `# TODO` comments,
//! never invented values.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::fmt::Write;
use std::sync::LazyLock;

/// What an import did, for the summary and stderr.
#[derive(Debug, Default, Clone)]
pub struct ImportReport {
    /// Characters repaired from mis-decoded UTF-8.
    pub repaired: usize,
    /// (heading, where it went).
    pub mapped: Vec<(String, String)>,
    /// Facts the document lacks: each also a `# TODO` in the record.
    pub todos: Vec<String>,
}

/// Repairs UTF-8 that was read as Mac Roman or Windows-1252 and saved again
/// (`‚úÖ` → `✅`): each run of non-ASCII characters is encoded back with the
/// wrong encoding and kept when the bytes are valid UTF-8. Returns the text and
/// how many characters changed.
pub fn repair_encoding(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut repaired = 0;
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String, repaired: &mut usize| {
        if run.is_empty() {
            return;
        }
        let mut fixed = None;
        for enc in [encoding_rs::MACINTOSH, encoding_rs::WINDOWS_1252] {
            let (bytes, _, errors) = enc.encode(run);
            if errors {
                continue;
            }
            if let Ok(s) = std::str::from_utf8(&bytes)
                && s != run.as_str()
                && s.chars().count() < run.chars().count()
            {
                fixed = Some(s.to_string());
                break;
            }
        }
        match fixed {
            Some(f) => {
                *repaired += run.chars().count();
                out.push_str(&f);
            }
            None => out.push_str(run),
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii() {
            flush(&mut run, &mut out, &mut repaired);
            out.push(c);
        } else {
            run.push(c);
        }
    }
    flush(&mut run, &mut out, &mut repaired);
    (out, repaired)
}

/// A heading and the markdown under it (up to the next heading of the same or a higher level).
#[derive(Debug, Clone)]
struct Section {
    level: usize,
    title: String,
    body: String,
    children: Vec<Section>,
}

fn level(l: HeadingLevel) -> usize {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Splits a document into its preamble and a tree of sections.
fn sections(text: &str) -> (String, Option<String>, Vec<Section>) {
    // (level, title, start of heading, end of heading line)
    let mut heads: Vec<(usize, String, usize, usize)> = Vec::new();
    let mut current: Option<(usize, String, usize, usize)> = None;
    for (e, r) in Parser::new_ext(text, Options::all()).into_offset_iter() {
        match e {
            Event::Start(Tag::Heading { level: l, .. }) => current = Some((level(l), String::new(), r.start, r.end)),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = current.as_mut() {
                    c.1.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(c) = current.take() {
                    heads.push(c);
                }
            }
            _ => {}
        }
    }
    let mut title = None;
    if let Some(pos) = heads.iter().position(|h| h.0 == 1) {
        title = Some(heads[pos].1.trim().to_string());
    }
    let first = heads.iter().find(|h| h.0 >= 2).map_or(text.len(), |h| h.2);
    let h1_end = heads.iter().find(|h| h.0 == 1 && h.2 < first).map_or(0, |h| h.3);
    let preamble = text[h1_end.min(first)..first].to_string();
    let flat: Vec<(usize, String, String)> = heads
        .iter()
        .enumerate()
        .filter(|(_, h)| h.0 >= 2)
        .map(|(i, h)| {
            let end = heads.iter().skip(i + 1).map(|n| n.2).next().unwrap_or(text.len());
            (h.0, h.1.trim().to_string(), without_trailing_rules(&text[h.3.min(end)..end]))
        })
        .collect();
    (preamble, title, nest(&flat, 0).0)
}

/// A section body without the `---` separators that end it.
fn without_trailing_rules(body: &str) -> String {
    let mut lines: Vec<&str> = body.lines().collect();
    while lines.last().is_some_and(|l| {
        let t = l.trim();
        t.is_empty()
            || (t.len() >= 3
                && (t.chars().all(|c| c == '-') || t.chars().all(|c| c == '*') || t.chars().all(|c| c == '_')))
    }) {
        lines.pop();
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

fn nest(flat: &[(usize, String, String)], mut i: usize) -> (Vec<Section>, usize) {
    let mut out = Vec::new();
    let base = flat.get(i).map_or(2, |f| f.0);
    while i < flat.len() && flat[i].0 >= base {
        let (lvl, title, body) = flat[i].clone();
        i += 1;
        let (children, next) = if i < flat.len() && flat[i].0 > lvl { nest(flat, i) } else { (vec![], i) };
        i = next;
        out.push(Section { level: lvl, title, body, children });
        if i < flat.len() && flat[i].0 < base {
            break;
        }
    }
    (out, i)
}

impl Section {
    /// The section's whole text: its body and its subsections, headings included.
    fn full_text(&self) -> String {
        let mut s = self.body.clone();
        for c in &self.children {
            let _ = write!(s, "{} {}\n{}", "#".repeat(c.level), c.title, c.full_text());
        }
        s
    }
}

/// A heading reduced to its words: "### Phase 2: Enhanced Error Logging (21:10 UTC)" → "phase 2 enhanced error logging 21 10 utc".
fn norm(s: &str) -> String {
    s.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Summary,
    Impact,
    Timeline,
    Causes,
    Lessons,
    Actions,
    Verification,
    Cost,
    Changes,
    Conclusion,
    Links,
    Other,
}

fn classify(title: &str) -> Kind {
    let t = norm(title);
    let has = |w: &str| t.contains(w);
    if t == "summary"
        || has("issue summary")
        || has("incident summary")
        || has("executive summary")
        || t == "overview"
        || t == "description"
    {
        Kind::Summary
    } else if has("timeline") {
        Kind::Timeline
    } else if has("root cause") || t == "causes" || has("contributing factor") || t == "trigger" || t == "five whys" {
        Kind::Causes
    } else if has("lessons")
        || has("what went well")
        || has("what went wrong")
        || has("didn t go")
        || has("where we got lucky")
    {
        Kind::Lessons
    } else if has("action item")
        || has("recommendation")
        || has("follow up")
        || has("corrective action")
        || has("next steps")
    {
        Kind::Actions
    } else if has("verification") {
        Kind::Verification
    } else if has("cost") || t == "effort" || has("time investment") {
        Kind::Cost
    } else if has("files modified") || has("files changed") || t == "changes" {
        Kind::Changes
    } else if t == "conclusion" || has("conclusion") {
        Kind::Conclusion
    } else if t == "links" || t == "references" || has("supporting information") || has("related records") {
        Kind::Links
    } else if t == "impact" || has("customer impact") || has("user impact") {
        Kind::Impact
    } else {
        Kind::Other
    }
}

static TIME: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"\b([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?\b"));
static DATE: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"));
static SHA: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"`([0-9a-f]{7,40})`"));
static FIELD: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"^\s*(?:[-*]\s+)?\*\*([^*]+?)\*\*\s*:?\s*(?:\*\*)?:?\s*(.*)$"));
static PRIMARY: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"\s*\((?i:primary)[^)]*\)"));
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"^\d+\.\s*"));
static PHASE: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"(?i)^\s*(phase\s+\d+\s*:\s*)?"));
static TIME_SUFFIX: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"\s*\([^)]*\d{1,2}:\d{2}[^)]*\)\s*$"));
static CHECK: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"^\s*[-*]\s+\[([ xX])\]\s+(.*)$"));
static LINK: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)|(https?://[^\s)>]+)"));

/// `**Key**: value` lines of a block.
fn fields(body: &str) -> Vec<(String, String)> {
    body.lines()
        .filter_map(|l| FIELD.captures(l))
        .map(|c| (c[1].trim().trim_end_matches(':').to_string(), c[2].trim().to_string()))
        .collect()
}

fn field<'a>(f: &'a [(String, String)], names: &[&str]) -> Option<&'a str> {
    f.iter().find(|(k, _)| names.iter().any(|n| norm(k) == *n)).map(|(_, v)| v.as_str())
}

/// "~2 hours" → "2h", "30 minutes" → "30m", "1.5 hours" → "1h30m".
pub fn human_duration(text: &str) -> Option<String> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::compile(
            r"(?i)(\d+(?:\.\d+)?)\s*(weeks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b",
        )
    });
    let mut secs = 0f64;
    let mut any = false;
    for c in RE.captures_iter(text) {
        let n: f64 = c[1].parse().ok()?;
        let unit = c[2].to_lowercase();
        let mult = match unit.chars().next()? {
            'w' => 604_800.0,
            'd' => 86_400.0,
            'h' => 3_600.0,
            'm' => 60.0,
            _ => 1.0,
        };
        secs += n * mult;
        any = true;
    }
    if !any {
        return None;
    }
    let d = crate::model::Duration::from_secs(secs.round() as i64);
    Some(d.to_string().replace(' ', ""))
}

/// A TOML string: a basic string, or a multi-line one for long or multi-line text.
fn tstr(s: &str) -> String {
    let s = s.trim_matches('\n');
    if s.contains('\n') || s.len() > 90 {
        let escaped = s.replace('\\', "\\\\").replace("\"\"\"", "\\\"\\\"\\\"");
        format!("\"\"\"\n{escaped}\n\"\"\"")
    } else {
        toml::Value::String(s.to_string()).to_string()
    }
}

fn tlist(items: &[String]) -> String {
    if items.iter().map(|i| i.len() + 4).sum::<usize>() < 80 && items.iter().all(|i| !i.contains('\n')) {
        format!("[{}]", items.iter().map(|i| tstr(i)).collect::<Vec<_>>().join(", "))
    } else {
        format!("[\n{}\n]", items.iter().map(|i| format!("  {},", tstr(i))).collect::<Vec<_>>().join("\n"))
    }
}

/// A list item's text with its nested lines, markers removed.
fn list_items(body: &str) -> Vec<(String, Vec<String>)> {
    let mut items: Vec<(String, Vec<String>)> = Vec::new();
    for line in body.lines() {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim();
        let marker = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")).or_else(|| {
            let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
            (digits > 0).then(|| t[digits..].strip_prefix(". ")).flatten()
        });
        match marker {
            Some(m) if indent < 2 => items.push((m.trim().to_string(), vec![])),
            Some(m) => {
                if let Some(last) = items.last_mut() {
                    last.1.push(m.trim().to_string());
                }
            }
            None if !t.is_empty() => {
                if let Some(last) = items.last_mut() {
                    last.1.push(t.to_string());
                }
            }
            None => {}
        }
    }
    items
}

fn unbold(s: &str) -> String {
    s.replace("**", "").trim().trim_end_matches(':').trim().to_string()
}

/// Imports one markdown postmortem. `name` is used in messages.
pub fn import(markdown: &str) -> (String, ImportReport) {
    let (text, repaired) = repair_encoding(markdown);
    let mut report = ImportReport { repaired, ..Default::default() };
    let (preamble, title, secs) = sections(&text);
    let pre = fields(&preamble);
    let mut out = String::new();
    let mut extra_sections: Vec<(String, String, Option<&'static str>)> = Vec::new();

    let _ = writeln!(out, "# Imported by casebook import. Review it, fill the TODOs, then run casebook check.");
    let _ = writeln!(out, "format = 1");
    let title_text = title.clone().or_else(|| field(&pre, &["issue", "title"]).map(str::to_string));
    match &title_text {
        Some(t) => {
            let _ = writeln!(out, "title = {}", tstr(&unbold(t)));
        }
        None => {
            report.todos.push("title: the document has no title".into());
            let _ = writeln!(out, "# TODO: title = \"What users saw\"");
        }
    }
    if let (Some(issue), Some(_)) = (field(&pre, &["issue"]), &title) {
        extra_sections.push(("Issue".into(), issue.to_string(), Some("summary")));
    }
    // The date: a Date field, else the first date in the timeline, else in the summary.
    let date = field(&pre, &["date", "incident date"])
        .and_then(|d| DATE.captures(d))
        .map(|c| c[0].to_string())
        .or_else(|| {
            secs.iter()
                .filter(|s| matches!(classify(&s.title), Kind::Timeline | Kind::Summary))
                .find_map(|s| DATE.captures(&s.full_text()).map(|c| c[0].to_string()))
        });
    match &date {
        Some(d) => {
            let _ = writeln!(out, "date = {d}");
        }
        None => {
            report.todos.push("date: no date found; times of day cannot be placed".into());
            let _ = writeln!(out, "# TODO: date = YYYY-MM-DD (the document gives none)");
        }
    }
    if preamble.contains("UTC") || text.contains(" UTC") {
        let _ = writeln!(out, "timezone = \"UTC\"");
    }
    if let Some(sev) = field(&pre, &["severity", "sev", "priority"]) {
        // "SEV-2", "Sev 2", "sev2" are the default levels' SEV2.
        static SEV: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"(?i)^\s*sev(?:erity)?[\s_-]*(\d)\b"));
        let original = unbold(sev);
        match SEV.captures(&original) {
            Some(c) if format!("SEV{}", &c[1]) != original => {
                let _ = writeln!(out, "severity = \"SEV{}\"  # {original}", &c[1]);
            }
            _ => {
                let _ = writeln!(out, "severity = {}", tstr(&original));
            }
        }
    }
    let status_text = field(&pre, &["status"]).map(|s| s.to_lowercase());
    let status = status_text.as_deref().and_then(|s| {
        ["closed", "resolved", "monitoring", "identified", "investigating"]
            .into_iter()
            .find(|k| s.contains(k))
            .or_else(|| (s.contains("complete") || s.contains("done") || s.contains("fixed")).then_some("resolved"))
    });
    match status {
        Some(s) => {
            let original = field(&pre, &["status"]).unwrap_or_default().replace('\n', " ");
            let _ = writeln!(out, "status = \"{s}\"  # {original}");
        }
        None => {
            report.todos.push("status: not stated".into());
            let _ = writeln!(
                out,
                "# TODO: status = \"resolved\"   # investigating, identified, monitoring, resolved, closed"
            );
        }
    }
    // Preamble fields not mapped above are kept.
    let other_pre: Vec<String> = pre
        .iter()
        .filter(|(k, _)| {
            !["date", "incident date", "status", "severity", "sev", "priority", "issue", "title"]
                .contains(&norm(k).as_str())
        })
        .map(|(k, v)| format!("- **{k}**: {v}"))
        .collect();
    if !other_pre.is_empty() {
        extra_sections.push(("Details".into(), other_pre.join("\n"), Some("summary")));
    }
    // Created / updated lines anywhere in the document.
    let all_fields = fields(&text);
    let stamp = |names: &[&str]| -> Option<String> {
        let v = field(&all_fields, names)?;
        let d = DATE.captures(v)?;
        let t = TIME.captures(v);
        Some(match t {
            Some(t) => format!("{}T{:0>2}:{}:00Z", &d[0], &t[1], &t[2]),
            None => d[0].to_string(),
        })
    };

    let mut summary = None;
    let mut summary_from: Option<String> = None;
    let mut conclusion = None;
    let mut impact = String::new();
    let mut timeline = String::new();
    let mut causes = String::new();
    let mut commits: Vec<(String, String)> = Vec::new();
    let mut changes = String::new();
    let mut lessons = String::new();
    let mut actions = String::new();
    let mut verification = String::new();
    let mut effort = String::new();
    let mut effort_total = None;
    let mut links = String::new();
    let mut marked_detected = false;

    for s in &secs {
        let kind = classify(&s.title);
        let full = s.full_text();
        let mut kept = |why: &str| report.mapped.push((s.title.clone(), why.to_string()));
        let from = |buf: &mut String, sec: &Section| {
            let _ = write!(buf, "\n# From \"{} {}\"", "#".repeat(sec.level), sec.title.replace('\n', " "));
            // Intro lines that no table takes (e.g. "2015-10-21 (all times UTC)").
            for l in sec.body.lines().map(str::trim).filter(|l| {
                !l.is_empty()
                    && !l.starts_with(['-', '*', '|', '#'])
                    && !l.chars().next().is_some_and(|c| c.is_ascii_digit() && l.contains(". "))
                    && FIELD.captures(l).is_none()
            }) {
                if matches!(classify(&sec.title), Kind::Timeline | Kind::Actions | Kind::Cost | Kind::Changes) {
                    let _ = write!(buf, "\n# {l}");
                }
            }
            buf.push('\n');
        };
        match kind {
            Kind::Summary => {
                summary_from = Some(format!("{} {}", "#".repeat(s.level), s.title));
                summary = Some(full.trim().to_string());
                kept("summary");
            }
            Kind::Conclusion => {
                conclusion = Some(full.trim().to_string());
                kept("conclusion");
            }
            Kind::Timeline => {
                from(&mut timeline, s);
                if let Some(header) = s.body.lines().find(|l| l.trim_start().starts_with('|')) {
                    let _ = writeln!(timeline, "# columns: {}", header.trim());
                }
                let entries = timeline_entries(s, date.is_some());
                if entries.is_empty() {
                    extra_sections.push((s.title.clone(), full.trim().to_string(), Some("timeline")));
                    kept("[[sections]] (no times found)");
                    continue;
                }
                for (n, e) in entries.iter().enumerate() {
                    let _ = writeln!(timeline);
                    if let Some(f) = &e.from {
                        let _ = writeln!(timeline, "# From \"{f}\"");
                    }
                    let _ = writeln!(timeline, "[[timeline]]");
                    let _ = writeln!(timeline, "at = {}", e.at);
                    if let Some(t) = &e.title {
                        let _ = writeln!(timeline, "title = {}", tstr(t));
                    }
                    let lower = e.title.as_deref().unwrap_or("").to_lowercase();
                    let mut marks = Vec::new();
                    if n == 0 && !marked_detected {
                        marks.push("detected");
                        marked_detected = true;
                    }
                    if lower.contains("resolution") || lower.contains("resolved") || lower.contains("fixed") {
                        marks.extend(["mitigated", "resolved"]);
                    }
                    if lower.contains("root cause") || e.body.to_lowercase().contains("root cause identified") {
                        marks.push("identified");
                    }
                    let kind = if marks.contains(&"resolved") {
                        "resolution"
                    } else if n == 0 {
                        "detection"
                    } else {
                        "investigation"
                    };
                    let _ = writeln!(timeline, "kind = \"{kind}\"");
                    if !marks.is_empty() {
                        let _ = writeln!(
                            timeline,
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
                            if !note.is_empty() && !commits.iter().any(|(s, _)| s == &c[1]) {
                                commits.push((c[1].to_string(), note));
                            }
                        }
                    }
                    if !shas.is_empty() {
                        let mut uniq = shas.clone();
                        uniq.dedup();
                        let _ = writeln!(timeline, "commits = {}", tlist(&uniq));
                    }
                    if !e.body.trim().is_empty() {
                        let _ = writeln!(timeline, "body = {}", tstr(e.body.trim()));
                    }
                    if e.todo {
                        let _ = writeln!(timeline, "# TODO: the time above has no date in the document; check the day");
                    }
                }
                kept("[[timeline]]");
            }
            Kind::Causes => {
                from(&mut causes, s);
                let parts: Vec<&Section> = if s.children.is_empty() { vec![s] } else { s.children.iter().collect() };
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
                    let _ = writeln!(causes, "\n[[causes]]\ntitle = {}", tstr(&clean));
                    let role = if norm(&s.title).contains("contributing") {
                        "contributing"
                    } else if norm(&s.title) == "trigger" {
                        "trigger"
                    } else if primary || !any_primary {
                        "root"
                    } else {
                        "contributing"
                    };
                    let _ = writeln!(causes, "role = \"{role}\"");
                    if primary {
                        let _ = writeln!(causes, "primary = true");
                    }
                    if let Some((label, k)) =
                        f.iter().find(|(k, _)| ["type", "kind", "category"].contains(&norm(k).as_str()))
                    {
                        let _ = writeln!(causes, "kind = {}  # {label}: {k}", tstr(&k.to_lowercase()));
                    }
                    let desc = field(&f, &["cause", "description", "what happened"])
                        .map(str::to_string)
                        .or_else(|| (f.is_empty()).then(|| p.body.trim().to_string()));
                    if let Some(d) = desc.filter(|d| !d.is_empty()) {
                        let _ = writeln!(causes, "description = {}", tstr(&d));
                    }
                    if let Some(i) = field(&f, &["impact"]) {
                        let _ = writeln!(causes, "impact = {}", tstr(i));
                    }
                    if let Some(x) = field(&f, &["fix", "resolution", "solution"]) {
                        let _ = writeln!(causes, "fix = {}", tstr(x));
                    }
                    if let Some(d) = field(&f, &["resolution time", "time to fix", "fix time"]).and_then(human_duration)
                    {
                        let _ = writeln!(causes, "fix_time = \"{d}\"");
                    }
                    let shas: Vec<String> = SHA.captures_iter(&p.body).map(|c| c[1].to_string()).collect();
                    if !shas.is_empty() {
                        let label = f.iter().find(|(_, v)| SHA.is_match(v)).map_or("Commits", |(k, _)| k.as_str());
                        let _ = writeln!(causes, "commits = {}  # {label}", tlist(&shas));
                    }
                }
                kept("[[causes]]");
            }
            Kind::Lessons => {
                from(&mut lessons, s);
                let parts: Vec<&Section> = if s.children.is_empty() { vec![s] } else { s.children.iter().collect() };
                for p in parts {
                    let title = NUMBERED.replace(&p.title, "").to_string();
                    let f = fields(&p.body);
                    let _ = writeln!(lessons, "\n[[lessons]]\ntitle = {}", tstr(&title));
                    let mut problem =
                        field(&f, &["problem", "what went wrong", "issue"]).map(str::to_string).unwrap_or_default();
                    for (k, v) in &f {
                        let n = norm(k);
                        if !["problem", "what went wrong", "issue", "prevention", "solution", "takeaways"]
                            .contains(&n.as_str())
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
                        let _ = writeln!(lessons, "problem = {}", tstr(problem.trim()));
                    }
                    if !takeaways.is_empty() {
                        let _ = writeln!(lessons, "takeaways = {}", tlist(&takeaways));
                    }
                }
                kept("[[lessons]]");
            }
            Kind::Actions => {
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
                from(&mut actions, s);
                for (g, horizon) in groups {
                    if g.level > s.level {
                        from(&mut actions, g);
                    }
                    if let Some(header) = g.body.lines().find(|l| l.trim_start().starts_with('|')) {
                        let _ = writeln!(actions, "# columns: {}", header.trim());
                    }
                    for line in table_rows(&g.body) {
                        let _ = writeln!(actions, "\n[[actions]]\ntitle = {}", tstr(&line[0]));
                        if let Some(owner) = line.get(2).filter(|o| !o.is_empty()) {
                            let _ = writeln!(actions, "owner = {}", tstr(owner));
                        }
                        if let Some(k) = line
                            .get(1)
                            .map(|k| k.to_lowercase())
                            .filter(|k| crate::model::ActionKind::parse(k).is_some())
                        {
                            let _ = writeln!(actions, "kind = \"{k}\"");
                        }
                        if let Some(ticket) = line.get(3).filter(|o| !o.is_empty()) {
                            let _ = writeln!(actions, "ticket = {}", tstr(ticket));
                        }
                    }
                    for (item, sub) in list_items(&g.body) {
                        let (done, item) = match CHECK.captures(&format!("- {item}")) {
                            Some(c) => (c[1].eq_ignore_ascii_case("x"), c[2].to_string()),
                            None => (false, item),
                        };
                        let _ = writeln!(actions, "\n[[actions]]\ntitle = {}", tstr(&unbold(&item)));
                        if !sub.is_empty() {
                            let _ = writeln!(actions, "details = {}", tlist(&sub));
                        }
                        if let Some(h) = horizon {
                            let _ = writeln!(actions, "horizon = \"{h}\"");
                        }
                        if done {
                            let _ = writeln!(actions, "status = \"done\"");
                        }
                    }
                }
                kept("[[actions]]");
            }
            Kind::Verification => {
                from(&mut verification, s);
                for line in full.lines() {
                    if let Some(c) = CHECK.captures(line) {
                        let done = c[1].eq_ignore_ascii_case("x");
                        let text = c[2].to_string();
                        let (by, item) = match FIELD.captures(&format!("- {text}")) {
                            Some(f) if norm(&f[1]).ends_with("to verify") => (
                                Some(f[1].trim().trim_end_matches("to verify").trim().to_string()),
                                f[2].trim().to_string(),
                            ),
                            _ => (None, unbold(&text)),
                        };
                        let _ = writeln!(verification, "\n[[verification]]\nitem = {}\ndone = {done}", tstr(&item));
                        if let Some(b) = by {
                            let _ = writeln!(verification, "by = {}", tstr(&b));
                        }
                    }
                }
                let rest: String =
                    full.lines().filter(|l| !CHECK.is_match(l) && !l.trim().is_empty()).collect::<Vec<_>>().join("\n");
                if !rest.is_empty() {
                    extra_sections.push((s.title.clone(), rest, Some("verification")));
                }
                kept("[[verification]]");
            }
            Kind::Cost => {
                from(&mut effort, s);
                for c in &s.children {
                    let t = norm(&c.title);
                    if t.contains("time") || t.contains("effort") {
                        from(&mut effort, c);
                        for (k, v) in fields(&c.body) {
                            match human_duration(&v) {
                                Some(d) if norm(&k) == "total" => effort_total = Some((d, v.clone())),
                                Some(d) => {
                                    let _ = writeln!(
                                        effort,
                                        "\n[[effort]]\nactivity = {}\nduration = \"{d}\"  # {}",
                                        tstr(&k),
                                        v.replace('\n', " ")
                                    );
                                }
                                None => {}
                            }
                        }
                    } else if t.contains("impact") {
                        impact.push_str(&format!("# From \"{} {}\"\n", "#".repeat(c.level), c.title));
                        impact.push_str(&c.body);
                        impact.push('\n');
                    } else {
                        extra_sections.push((c.title.clone(), c.full_text().trim().to_string(), Some("effort")));
                    }
                }
                if s.children.is_empty() {
                    extra_sections.push((s.title.clone(), full.trim().to_string(), Some("effort")));
                }
                kept("[[effort]] and [impact]");
            }
            Kind::Impact => {
                impact.push_str(&format!("# From \"{} {}\"\n", "#".repeat(s.level), s.title));
                impact.push_str(&full);
                impact.push('\n');
                kept("[impact]");
            }
            Kind::Changes => {
                from(&mut changes, s);
                let committed_default = true;
                let groups: Vec<&Section> = if s.children.is_empty() { vec![s] } else { s.children.iter().collect() };
                for g in groups {
                    if g.level > s.level {
                        from(&mut changes, g);
                    }
                    let committed = !norm(&g.title).contains("not committed") && committed_default;
                    for (item, sub) in list_items(&g.body) {
                        let path = unbold(&item);
                        let shas: Vec<String> = sub
                            .iter()
                            .flat_map(|l| SHA.captures_iter(l).map(|c| c[1].to_string()).collect::<Vec<_>>())
                            .collect();
                        let summary: Vec<String> =
                            sub.iter().filter(|l| !SHA.is_match(l)).map(|l| format!("- {l}")).collect();
                        let _ = writeln!(changes, "\n[[changes]]\npath = {}", tstr(path.trim_matches('`')));
                        if !committed {
                            let _ = writeln!(changes, "committed = false");
                        }
                        if !summary.is_empty() {
                            let _ = writeln!(changes, "summary = {}", tstr(&summary.join("\n")));
                        }
                        if !shas.is_empty() {
                            let _ = writeln!(changes, "commits = {}", tlist(&shas));
                        }
                    }
                }
                kept("[[changes]]");
            }
            Kind::Links => {
                for c in LINK.captures_iter(&full) {
                    let (title, url) = match (c.get(1), c.get(2), c.get(3)) {
                        (Some(t), Some(u), _) => (Some(t.as_str()), u.as_str()),
                        (_, _, Some(u)) => (None, u.as_str()),
                        _ => continue,
                    };
                    let _ = writeln!(links, "\n[[links]]");
                    if let Some(t) = title {
                        let _ = writeln!(links, "title = {}", tstr(t));
                    }
                    let _ = writeln!(links, "url = {}", tstr(url));
                }
                extra_sections.push((s.title.clone(), full.trim().to_string(), None));
                kept("[[links]] and [[sections]]");
            }
            Kind::Other => {
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
                extra_sections.push((s.title.clone(), full.trim().to_string(), after));
                kept(&format!("[[sections]]{}", after.map(|a| format!(" after {a}")).unwrap_or_default()));
            }
        }
    }

    match &summary {
        Some(s) => {
            if let Some(h) = &summary_from {
                let _ = writeln!(out, "# From \"{h}\"");
            }
            let _ = writeln!(out, "summary = {}", tstr(s));
        }
        None => {
            report.todos.push("summary: no summary section".into());
            let _ = writeln!(out, "# TODO: summary = \"\"\"What happened, in a paragraph.\"\"\"");
        }
    }
    if let Some((d, stated)) = &effort_total {
        let _ = writeln!(
            out,
            "# The document states the total as \"{}\"; casebook computes it from [[effort]].",
            stated.replace('"', "'")
        );
        let _ = writeln!(out, "effort_total = \"{d}\"");
    }
    if let Some(c) = stamp(&["document created", "created"]) {
        let _ = writeln!(out, "created = {c}");
    }
    if let Some(u) = stamp(&["last updated", "updated"]) {
        let _ = writeln!(out, "updated = {u}");
    }
    if let Some(c) = &conclusion {
        let _ = writeln!(out, "conclusion = {}", tstr(c));
    }

    if !impact.trim().is_empty() {
        let f = fields(&impact);
        let _ = writeln!(out, "\n[impact]");
        if let Some(d) = field(&f, &["downtime"])
            && let Some(h) = human_duration(d)
        {
            let _ = writeln!(out, "downtime = \"{h}\"");
        }
        if let Some(u) = field(&f, &["users affected", "affected users"])
            .and_then(|v| v.split(|c: char| !c.is_ascii_digit()).find(|x| !x.is_empty()).map(str::to_string))
        {
            let _ = writeln!(out, "users_affected = {u}");
        }
        if let Some(d) = field(&f, &["data loss"]) {
            let _ = writeln!(out, "data_loss = {}", tstr(d));
        }
        if let Some(r) = field(&f, &["revenue impact", "revenue"]) {
            let _ = writeln!(out, "revenue = {}", tstr(r));
        }
        for l in impact.lines().filter(|l| l.starts_with("# From")) {
            let _ = writeln!(out, "{l}");
        }
        let notes: Vec<String> = impact
            .lines()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty() && !l.starts_with("# From"))
            .map(|l| l.trim_start_matches("- ").to_string())
            .collect();
        if !notes.is_empty() {
            let _ = writeln!(out, "notes = {}", tlist(&notes));
        }
    }
    out.push_str(&timeline);
    out.push_str(&causes);
    for (sha, note) in &commits {
        let _ = writeln!(out, "\n[[commits]]\nsha = \"{sha}\"\nnote = {}", tstr(note));
    }
    out.push_str(&changes);
    out.push_str(&lessons);
    out.push_str(&actions);
    out.push_str(&verification);
    out.push_str(&effort);
    out.push_str(&links);
    for (title, body, after) in extra_sections {
        let _ = writeln!(out, "\n[[sections]]\ntitle = {}", tstr(&unbold(&title)));
        if let Some(a) = after {
            let _ = writeln!(out, "after = \"{a}\"");
        }
        if !body.trim().is_empty() {
            let _ = writeln!(out, "body = {}", tstr(body.trim()));
        }
    }
    (out, report)
}

/// Rows of a markdown table in `body`, cells trimmed, header and rule skipped.
fn table_rows(body: &str) -> Vec<Vec<String>> {
    let rows: Vec<Vec<String>> = body
        .lines()
        .filter(|l| l.trim_start().starts_with('|'))
        .map(|l| l.trim().trim_matches('|').split('|').map(|c| c.trim().to_string()).collect())
        .collect();
    rows.into_iter().skip(1).filter(|r| !r.iter().all(|c| c.chars().all(|x| x == '-' || x == ':'))).collect()
}

struct Entry {
    /// The heading the entry came from, for a provenance comment.
    from: Option<String>,
    at: String,
    title: Option<String>,
    body: String,
    todo: bool,
}

/// Timeline entries from phases (`### Phase 2: ... (21:10 UTC)`), table rows
/// (`| 14:02 | ... |`) or list items (`- 21:40 UTC — ...`).
fn timeline_entries(s: &Section, have_date: bool) -> Vec<Entry> {
    let mut out = Vec::new();
    let time_of = |t: &str| -> Option<String> {
        let c = TIME.captures(t)?;
        let hms = format!("{:0>2}:{}:{}", &c[1], &c[2], c.get(3).map_or("00", |m| m.as_str()));
        Some(match DATE.captures(t) {
            Some(d) => format!("{}T{hms}Z", &d[0]),
            None => hms,
        })
    };
    for c in &s.children {
        if let Some(at) = time_of(&c.title) {
            let title = PHASE.replace(&c.title, "").to_string();
            let title = TIME_SUFFIX.replace(&title, "").trim().to_string();
            out.push(Entry {
                from: Some(format!("{} {}", "#".repeat(c.level), c.title)),
                todo: !have_date && !at.contains('T'),
                at,
                title: Some(title),
                body: c.full_text().trim().to_string(),
            });
        }
    }
    if !out.is_empty() {
        return out;
    }
    for row in table_rows(&s.body) {
        if let Some(at) = row.first().and_then(|c| time_of(c)) {
            let body = row[1..].join(" — ");
            out.push(Entry { from: None, todo: !have_date && !at.contains('T'), at, title: None, body });
        }
    }
    if !out.is_empty() {
        return out;
    }
    for (item, sub) in list_items(&s.body) {
        if let Some(at) = time_of(&item) {
            let text = TIME.replace(&item, "").to_string();
            let text = text
                .trim_start_matches([' ', '-', '—', '–', ':'])
                .trim_start_matches("UTC")
                .trim_start_matches([' ', '-', '—', '–', ':'])
                .trim();
            let mut body = text.to_string();
            for l in sub {
                body.push('\n');
                body.push_str(&l);
            }
            out.push(Entry { from: None, todo: !have_date && !at.contains('T'), at, title: None, body });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_mac_roman_mojibake() {
        let (fixed, n) = repair_encoding("Status: ‚úÖ RESOLVED ‚Üí done \u{F8FF}üöÄ, caf√©");
        assert_eq!(fixed, "Status: ✅ RESOLVED → done 🚀, café");
        assert!(n > 0);
        let (same, n) = repair_encoding("naïve café — ok ✅");
        assert_eq!(same, "naïve café — ok ✅");
        assert_eq!(n, 0);
    }

    #[test]
    fn repairs_windows_1252_mojibake() {
        let (fixed, _) = repair_encoding("itâ€™s done");
        assert_eq!(fixed, "it’s done");
    }

    #[test]
    fn durations_from_prose() {
        assert_eq!(human_duration("~2 hours").as_deref(), Some("2h"));
        assert_eq!(human_duration("30 minutes").as_deref(), Some("30m"));
        assert_eq!(human_duration("1.5 hours").as_deref(), Some("1h30m"));
        assert_eq!(human_duration("2 minutes").as_deref(), Some("2m"));
        assert_eq!(human_duration("none"), None);
    }
}
