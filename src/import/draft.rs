//! The record an import makes, as typed values ([`Record`]) that the importer
//! fills, and [`Record::to_toml`], which writes it with `toml_edit`: every string,
//! date and list is encoded by the TOML library (never assembled by hand), and the
//! comments that say where a value came from, or the document's own words for a
//! converted value, are written beside it. Keys use the model's keyword enums, so a
//! status or a role the loader does not know cannot be written.

use crate::model::{ActionKind, ActionStatus, CauseRole, EntryKind, Horizon, MomentKind, SectionAnchor, Status};
use toml_edit::{Array, ArrayOfTables, Datetime, DocumentMut, Item, Table, Value};

/// A value, and the document's words for it where the value is a conversion
/// (`5:00 PM` for `17:00:00`, `Complete` for `resolved`): written as a comment
/// beside the value.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Said<T> {
    pub value: T,
    pub words: Option<String>,
}

impl<T> Said<T> {
    /// A value the document states as it is.
    pub fn plain(value: T) -> Self {
        Said { value, words: None }
    }

    /// A value converted from the document's `words`.
    pub fn from(value: T, words: impl Into<String>) -> Self {
        Said { value, words: Some(words.into()) }
    }
}

/// Items of one kind from one part of the document, and the comment lines that
/// say which part (`From "## Timeline"`, the part's own lines no item took).
#[derive(Debug)]
pub(super) struct Group<T> {
    pub from: Vec<String>,
    pub items: Vec<T>,
}

/// Starts a group of items from a part of the document.
pub(super) fn group<T>(groups: &mut Vec<Group<T>>, from: Vec<String>) {
    groups.push(Group { from, items: Vec::new() });
}

/// Adds an item to the last group (a group of its own when there is none).
pub(super) fn push<T>(groups: &mut Vec<Group<T>>, item: T) {
    match groups.last_mut() {
        Some(g) => g.items.push(item),
        None => groups.push(Group { from: Vec::new(), items: vec![item] }),
    }
}

/// The whole record.
#[derive(Debug, Default)]
pub(super) struct Record {
    /// The document's HTML comments: notes it hides from readers, written as
    /// the record's comments.
    pub notes: Vec<String>,
    /// None: the document has no title (a `# TODO`).
    pub title: Option<String>,
    pub date: Option<Said<chrono::NaiveDate>>,
    /// The document's words for a date that is no day, for the TODO.
    pub date_said: Option<String>,
    /// The zone the document states; None: it states none (a `# TODO`, UTC assumed).
    pub timezone: Option<Said<String>>,
    pub severity: Option<Said<String>>,
    /// A severity the document gives in words the project's levels do not
    /// have, and those levels: for the TODO.
    pub severity_said: Option<(String, Vec<String>)>,
    pub status: Option<Said<Status>>,
    /// The document's words for a status casebook has no name for (the TODO keeps them).
    pub status_said: Option<String>,
    pub authors: Option<Said<Vec<String>>>,
    pub tags: Option<Said<Vec<String>>>,
    /// The summary; its words are the heading it came from.
    pub summary: Option<Said<String>>,
    /// The total effort as a duration; its words are the document's total.
    pub effort_total: Option<Said<String>>,
    pub created: Option<Datetime>,
    pub updated: Option<Datetime>,
    pub conclusion: Option<String>,
    pub impact: Option<Impact>,
    pub timeline: Vec<Group<Entry>>,
    pub causes: Vec<Group<Cause>>,
    pub commits: Vec<CommitNote>,
    pub changes: Vec<Group<Change>>,
    pub lessons: Vec<Group<Lesson>>,
    pub actions: Vec<Group<Action>>,
    pub verification: Vec<Group<Check>>,
    pub effort: Vec<Group<Effort>>,
    pub links: Vec<Link>,
    pub sections: Vec<Section>,
    /// Headings of the document's parts that hold no text (`From "## Impact"`).
    pub empty: Vec<String>,
}

#[derive(Debug, Default)]
pub(super) struct Impact {
    /// The sections it came from.
    pub from: Vec<String>,
    pub downtime: Option<String>,
    pub users_affected: Option<i64>,
    pub data_loss: Option<String>,
    pub revenue: Option<String>,
    pub notes: Vec<String>,
}

#[derive(Debug)]
pub(super) struct Entry {
    /// The heading above the entry (a day heading), when it is not the section's.
    pub from: Option<String>,
    pub at: Said<Datetime>,
    pub until: Option<Datetime>,
    /// The document says the time is an estimate.
    pub approximate: bool,
    /// Set when the time has no day in the document: what to check.
    pub todo: Option<String>,
    pub title: Option<String>,
    pub kind: EntryKind,
    pub marks: Vec<MomentKind>,
    pub commits: Vec<String>,
    pub body: Option<String>,
}

#[derive(Debug)]
pub(super) struct Cause {
    pub title: String,
    pub role: CauseRole,
    pub primary: bool,
    pub kind: Option<Said<String>>,
    pub description: Option<String>,
    pub impact: Option<String>,
    pub fix: Option<String>,
    pub fix_time: Option<String>,
    /// The commits, and the label the document gave them.
    pub commits: Option<Said<Vec<String>>>,
}

#[derive(Debug)]
pub(super) struct CommitNote {
    pub sha: String,
    pub note: String,
}

#[derive(Debug)]
pub(super) struct Change {
    pub path: String,
    pub committed: bool,
    pub summary: Option<String>,
    pub commits: Vec<String>,
}

#[derive(Debug)]
pub(super) struct Lesson {
    pub title: String,
    pub problem: Option<String>,
    pub takeaways: Vec<String>,
}

#[derive(Debug, Default)]
pub(super) struct Action {
    pub title: String,
    pub owner: Option<Said<String>>,
    pub kind: Option<ActionKind>,
    pub ticket: Option<Said<String>>,
    pub status: Option<Said<ActionStatus>>,
    pub details: Vec<String>,
    pub horizon: Option<Horizon>,
}

#[derive(Debug)]
pub(super) struct Check {
    pub item: String,
    pub done: bool,
    pub by: Option<String>,
}

#[derive(Debug)]
pub(super) struct Effort {
    pub activity: String,
    pub duration: Said<String>,
}

#[derive(Debug)]
pub(super) struct Link {
    pub title: Option<String>,
    pub url: String,
}

/// A part of the document kept verbatim in `[[sections]]`.
#[derive(Debug)]
pub(super) struct Section {
    pub title: String,
    pub body: String,
    pub after: Option<SectionAnchor>,
}

/// The first line of an import, and the line a required key the document does
/// not give is written as (for the person importing to fill in). `filled` (in mod.rs)
/// reads these to judge the record with the TODOs filled, so they are written
/// as they are here (one space between words, as [`comment`] leaves them).
pub(super) const HEADER: &str = "Imported by casebook import. Review it, fill the TODOs, then run casebook check.";
pub(super) const TODO_TITLE: &str = "TODO: title = \"What users saw\"";
pub(super) const TODO_DATE: &str = "TODO: date = YYYY-MM-DD (the document gives none)";
pub(super) const TODO_TIMEZONE: &str =
    "TODO: timezone = \"UTC\" # the document does not say; times below are read in UTC";
pub(super) const TODO_STATUS: &str =
    "TODO: status = \"resolved\" # investigating, identified, monitoring, resolved, closed";
/// The line above the comment lines of parts that gave nothing.
pub(super) const UNPLACED: &str = "Parts of the document that gave no entries:";
pub(super) const TODO_SUMMARY: &str = "TODO: summary = \"\"\"What happened, in a paragraph.\"\"\"";

/// Document text as one comment line: whitespace runs become a space, control
/// characters (which a TOML comment may not hold) are left out.
pub(super) fn comment(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .replace(|c: char| c.is_control(), "")
}

/// Markdown text as a record's string: leading and trailing blank lines dropped,
/// and a code block the document never closed closed where the text ends (else it
/// would swallow the rest of the page), at the indentation of the list item or
/// quote it opened in. A fence that a quote or a list ended before it closed
/// cannot be closed at the end: its backticks are then written as text.
pub(super) fn markdown_text(s: &str) -> String {
    let s = s.trim_matches('\n');
    match crate::markdown::unclosed_fence(s) {
        None => s.to_string(),
        Some(fence) => ["", "  ", "   ", "    ", "> ", "  > "]
            .iter()
            .map(|indent| format!("{s}\n{indent}{fence}"))
            .find(|t| crate::markdown::unclosed_fence(t).is_none())
            .unwrap_or_else(|| s.replace("```", "\\`\\`\\`").replace("~~~", "\\~\\~\\~")),
    }
}

/// The table being written and the comment lines waiting for its next key or
/// header (a comment in `toml_edit` is the decor in front of what follows it).
struct Writer {
    doc: DocumentMut,
    pending: String,
    position: isize,
    /// Comment lines of parts that gave nothing, for the end of the record.
    unplaced: Vec<String>,
}

impl Writer {
    fn note(&mut self, line: &str) {
        self.pending.push_str("# ");
        self.pending.push_str(&comment(line));
        self.pending.push('\n');
    }

    fn notes(&mut self, lines: &[String]) {
        for l in lines {
            self.note(l);
        }
    }

    /// A new table (a `[[name]]` element or `[name]`), placed after those before
    /// it, with the waiting comments above its header.
    fn table(&mut self) -> Table {
        let mut t = Table::new();
        self.position += 1;
        t.set_position(Some(self.position));
        t.decor_mut().set_prefix(format!("\n{}", std::mem::take(&mut self.pending)));
        t
    }

    /// `key = value` in `t`, the waiting comments above it and `words` beside it.
    fn put(&mut self, t: &mut Table, key: &str, value: Value, words: Option<&str>) {
        put_in(&mut self.pending, t, key, value, words);
    }

    /// `key = "text"` when there is text.
    fn put_text(&mut self, t: &mut Table, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.put(t, key, text(v), None);
        }
    }

    /// `key = [...]` when the list has items.
    fn put_list(&mut self, t: &mut Table, key: &str, items: &[String]) {
        if !items.is_empty() {
            self.put(t, key, list(items), None);
        }
    }

    fn root_put(&mut self, key: &str, value: Value, words: Option<&str>) {
        put_in(&mut self.pending, self.doc.as_table_mut(), key, value, words);
    }

    /// `[[name]]` elements, the groups' comment lines above each group's first.
    fn array<T>(&mut self, name: &str, groups: &[Group<T>], mut fill: impl FnMut(&mut Self, &mut Table, &T)) {
        let mut array = ArrayOfTables::new();
        for g in groups {
            // A part that gave no items: its lines go to the end of the record,
            // not above the next table, whose part they are not.
            if g.items.is_empty() {
                self.unplaced.extend(g.from.iter().cloned());
                continue;
            }
            self.notes(&g.from);
            for item in &g.items {
                let mut t = self.table();
                fill(self, &mut t, item);
                array.push(t);
            }
        }
        if !array.is_empty() {
            self.doc.as_table_mut().insert(name, Item::ArrayOfTables(array));
        }
    }
}

fn put_in(pending: &mut String, t: &mut Table, key: &str, mut value: Value, words: Option<&str>) {
    // (Words that are the value itself, `resolved` for "resolved", say nothing more.)
    if let Some(w) = words.filter(|w| !value.as_str().is_some_and(|v| v.eq_ignore_ascii_case(w.trim()))) {
        value.decor_mut().set_suffix(format!("  # {}", comment(w)));
    }
    t.insert(key, Item::Value(value));
    if !pending.is_empty()
        && let Some(mut k) = t.key_mut(key)
    {
        k.leaf_decor_mut().set_prefix(std::mem::take(pending));
    }
}

fn text(s: &str) -> Value {
    Value::from(markdown_text(s))
}

/// A list of strings: on one line when short, else one item per line.
fn list(items: &[String]) -> Value {
    let mut array: Array = items.iter().map(|i| markdown_text(i)).collect();
    if items.iter().map(|i| i.len() + 4).sum::<usize>() >= 80 || items.iter().any(|i| i.contains('\n')) {
        for v in array.iter_mut() {
            v.decor_mut().set_prefix("\n  ");
        }
        array.set_trailing_comma(true);
        array.set_trailing("\n");
    }
    Value::Array(array)
}

/// `line` after the text there is, `sep` between.
fn appended(text: Option<String>, sep: &str, line: String) -> Option<String> {
    Some(match text {
        Some(t) => format!("{t}{sep}{line}"),
        None => line,
    })
}

fn word(s: impl std::fmt::Display) -> Value {
    Value::from(s.to_string())
}

fn day(d: chrono::NaiveDate) -> Value {
    use chrono::Datelike;
    Value::from(Datetime {
        date: Some(toml_edit::Date { year: d.year() as u16, month: d.month() as u8, day: d.day() as u8 }),
        time: None,
        offset: None,
    })
}

impl Record {
    /// Cites none of `shas` (they stay in the text that names them).
    pub fn drop_commits(&mut self, unknown: &std::collections::BTreeSet<String>) {
        // An id that is a prefix of an unknown one (or the other way round) is the
        // same citation to the loader: dropped with it.
        let shas: std::collections::BTreeSet<String> = self
            .cited()
            .into_iter()
            .filter(|s| unknown.iter().any(|u| u.starts_with(s.as_str()) || s.starts_with(u.as_str())))
            .collect();
        let shas = &shas;
        let keep = |list: &mut Vec<String>| list.retain(|s| !shas.contains(s));
        for e in self.timeline.iter_mut().flat_map(|g| g.items.iter_mut()) {
            keep(&mut e.commits);
        }
        // Where the id was only in the citation, it goes back into the text.
        let said = |label: &str, sha: &str| format!("**{label}:** `{sha}`");
        for c in self.causes.iter_mut().flat_map(|g| g.items.iter_mut()) {
            let Some(cited) = c.commits.as_mut() else { continue };
            let label = cited.words.clone().unwrap_or_else(|| "Commit".into());
            let dropped: Vec<String> = cited.value.iter().filter(|s| shas.contains(*s)).cloned().collect();
            keep(&mut cited.value);
            if cited.value.is_empty() {
                c.commits = None;
            }
            for sha in dropped {
                c.description = appended(c.description.take(), "\n\n", said(&label, &sha));
            }
        }
        for ch in self.changes.iter_mut().flat_map(|g| g.items.iter_mut()) {
            let dropped: Vec<String> = ch.commits.iter().filter(|s| shas.contains(*s)).cloned().collect();
            keep(&mut ch.commits);
            for sha in dropped {
                ch.summary = appended(ch.summary.take(), "\n", format!("- `{sha}`"));
            }
        }
        self.commits.retain(|n| !shas.contains(&n.sha));
    }

    /// Every commit id the record cites.
    fn cited(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        out.extend(self.timeline.iter().flat_map(|g| &g.items).flat_map(|e| e.commits.iter().cloned()));
        out.extend(
            self.causes
                .iter()
                .flat_map(|g| &g.items)
                .flat_map(|c| c.commits.iter().flat_map(|s| s.value.iter().cloned())),
        );
        out.extend(self.changes.iter().flat_map(|g| &g.items).flat_map(|c| c.commits.iter().cloned()));
        out.extend(self.commits.iter().map(|n| n.sha.clone()));
        out
    }

    /// The record's text: top-level keys, `[impact]`, then every table in the
    /// format's order, with the TODOs and provenance comments.
    pub fn to_toml(&self) -> String {
        let mut w = Writer { doc: DocumentMut::new(), pending: String::new(), position: 0, unplaced: Vec::new() };
        w.note(HEADER);
        for n in &self.notes {
            w.note(&format!("A comment in the document: {n}"));
        }
        w.root_put("format", Value::from(1), None);
        match &self.title {
            Some(t) => w.root_put("title", text(t), None),
            None => w.note(TODO_TITLE),
        }
        match &self.date {
            Some(d) => {
                w.root_put("date", day(d.value), d.words.as_deref().map(|s| format!("the document: {s}")).as_deref())
            }
            None => match &self.date_said {
                Some(said) => w.note(&format!("TODO: date = YYYY-MM-DD (the document says {said})")),
                None => w.note(TODO_DATE),
            },
        }
        match &self.timezone {
            Some(z) => {
                let words = z.words.as_deref().map(|s| format!("the document: \"{}\"", s.replace('"', " ")));
                w.root_put("timezone", word(&z.value), words.as_deref())
            }
            None => w.note(TODO_TIMEZONE),
        }
        if let Some(s) = &self.severity {
            w.root_put("severity", text(&s.value), s.words.as_deref());
        }
        if let Some((said, levels)) = &self.severity_said {
            let first = levels.first().map_or("SEV1", String::as_str);
            w.note(&format!("TODO: severity = \"{first}\" # the document: {said}; levels: {}", levels.join(", ")));
        }
        match &self.status {
            Some(s) => w.root_put("status", word(s.value), s.words.as_deref()),
            None => match &self.status_said {
                Some(said) => w.note(&format!("{TODO_STATUS}; the document: {said}")),
                None => w.note(TODO_STATUS),
            },
        }
        if let Some(a) = &self.authors {
            w.root_put("authors", list(&a.value), a.words.as_deref());
        }
        if let Some(t) = &self.tags {
            w.root_put("tags", list(&t.value), t.words.as_deref());
        }
        match &self.summary {
            Some(s) => {
                if let Some(h) = &s.words {
                    w.note(&format!("From \"{h}\""));
                }
                w.root_put("summary", text(&s.value), None);
            }
            None => w.note(TODO_SUMMARY),
        }
        if let Some(e) = &self.effort_total {
            if let Some(said) = &e.words {
                w.note(&format!(
                    "The document states the total as \"{}\"; casebook computes it from [[effort]].",
                    said.replace('"', "'")
                ));
            }
            w.root_put("effort_total", word(&e.value), None);
        }
        if let Some(c) = self.created {
            w.root_put("created", Value::from(c), None);
        }
        if let Some(u) = self.updated {
            w.root_put("updated", Value::from(u), None);
        }
        if let Some(c) = &self.conclusion {
            w.root_put("conclusion", text(c), None);
        }
        if let Some(i) = &self.impact {
            w.notes(&i.from);
            let mut t = w.table();
            if let Some(d) = &i.downtime {
                w.put(&mut t, "downtime", word(d), None);
            }
            if let Some(u) = i.users_affected {
                w.put(&mut t, "users_affected", Value::from(u), None);
            }
            w.put_text(&mut t, "data_loss", i.data_loss.as_deref());
            w.put_text(&mut t, "revenue", i.revenue.as_deref());
            w.put_list(&mut t, "notes", &i.notes);
            w.doc.as_table_mut().insert("impact", Item::Table(t));
        }
        w.array("timeline", &self.timeline, |w, t, e| {
            if let Some(f) = &e.from {
                // Above this entry's header, after the group's lines already there.
                let above = t.decor().prefix().and_then(|p| p.as_str()).unwrap_or("\n").to_string();
                t.decor_mut().set_prefix(format!("{above}# From \"{}\"\n", comment(f)));
            }
            if let Some(todo) = &e.todo {
                w.note(&format!("TODO: {todo}"));
            }
            w.put(
                t,
                "at",
                Value::from(e.at.value),
                e.at.words.as_deref().map(|s| format!("the document: {s}")).as_deref(),
            );
            if let Some(u) = e.until {
                w.put(t, "until", Value::from(u), None);
            }
            if e.approximate {
                w.put(t, "approximate", Value::from(true), None);
            }
            w.put_text(t, "title", e.title.as_deref());
            w.put(t, "kind", word(e.kind), None);
            if !e.marks.is_empty() {
                let marks: Vec<String> = e.marks.iter().map(|m| m.to_string()).collect();
                w.put(t, "marks", list(&marks), None);
            }
            w.put_list(t, "commits", &e.commits);
            w.put_text(t, "body", e.body.as_deref());
        });
        w.array("causes", &self.causes, |w, t, c| {
            w.put(t, "title", text(&c.title), None);
            w.put(t, "role", word(c.role), None);
            if c.primary {
                w.put(t, "primary", Value::from(true), None);
            }
            if let Some(k) = &c.kind {
                w.put(t, "kind", text(&k.value), k.words.as_deref());
            }
            w.put_text(t, "description", c.description.as_deref());
            w.put_text(t, "impact", c.impact.as_deref());
            w.put_text(t, "fix", c.fix.as_deref());
            if let Some(f) = &c.fix_time {
                w.put(t, "fix_time", word(f), None);
            }
            if let Some(s) = &c.commits {
                w.put(t, "commits", list(&s.value), s.words.as_deref());
            }
        });
        let commits = [Group { from: Vec::new(), items: self.commits.iter().collect::<Vec<_>>() }];
        w.array("commits", &commits, |w, t, c| {
            w.put(t, "sha", word(&c.sha), None);
            w.put(t, "note", text(&c.note), None);
        });
        w.array("changes", &self.changes, |w, t, c| {
            w.put(t, "path", text(&c.path), None);
            if !c.committed {
                w.put(t, "committed", Value::from(false), None);
            }
            w.put_text(t, "summary", c.summary.as_deref());
            w.put_list(t, "commits", &c.commits);
        });
        w.array("lessons", &self.lessons, |w, t, l| {
            w.put(t, "title", text(&l.title), None);
            w.put_text(t, "problem", l.problem.as_deref());
            w.put_list(t, "takeaways", &l.takeaways);
        });
        w.array("actions", &self.actions, |w, t, a| {
            w.put(t, "title", text(&a.title), None);
            if let Some(o) = &a.owner {
                w.put(t, "owner", text(&o.value), o.words.as_deref());
            }
            if let Some(k) = a.kind {
                w.put(t, "kind", word(k), None);
            }
            if let Some(x) = &a.ticket {
                w.put(t, "ticket", text(&x.value), x.words.as_deref());
            }
            if let Some(s) = &a.status {
                w.put(t, "status", word(s.value), s.words.as_deref());
            }
            w.put_list(t, "details", &a.details);
            if let Some(h) = a.horizon {
                w.put(t, "horizon", word(h), None);
            }
        });
        w.array("verification", &self.verification, |w, t, c| {
            w.put(t, "item", text(&c.item), None);
            w.put(t, "done", Value::from(c.done), None);
            w.put_text(t, "by", c.by.as_deref());
        });
        w.array("effort", &self.effort, |w, t, e| {
            w.put(t, "activity", text(&e.activity), None);
            w.put(t, "duration", word(&e.duration.value), e.duration.words.as_deref());
        });
        let links = [Group { from: Vec::new(), items: self.links.iter().collect::<Vec<_>>() }];
        w.array("links", &links, |w, t, l| {
            w.put_text(t, "title", l.title.as_deref());
            w.put(t, "url", text(&l.url), None);
        });
        let sections = [Group { from: Vec::new(), items: self.sections.iter().collect::<Vec<_>>() }];
        w.array("sections", &sections, |w, t, s| {
            w.put(t, "title", text(&s.title), None);
            if let Some(a) = s.after {
                w.put(t, "after", word(a), None);
            }
            if !s.body.trim().is_empty() {
                w.put(t, "body", text(s.body.trim()), None);
            }
        });
        for e in &self.empty {
            w.note(&format!("{e} has no text"));
        }
        if !w.unplaced.is_empty() {
            w.pending.push('\n');
            w.note(UNPLACED);
            let lines = std::mem::take(&mut w.unplaced);
            w.notes(&lines);
        }
        let pending = std::mem::take(&mut w.pending);
        w.doc.set_trailing(pending);
        w.doc.to_string()
    }
}
