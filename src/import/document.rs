//! Reading a markdown postmortem: its sections (a tree under the headings), what
//! kind of section each is, and the fields, lists, tables, times and durations in them.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use regex::Regex;
use std::fmt::Write;
use std::sync::LazyLock;

/// A heading and the markdown under it (up to the next heading of the same or a higher level).
#[derive(Debug, Clone)]
pub(super) struct Section {
    pub(super) level: usize,
    pub(super) title: String,
    pub(super) body: String,
    pub(super) children: Vec<Section>,
}

pub(super) fn level(l: HeadingLevel) -> usize {
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
pub(super) fn sections(text: &str) -> (String, Option<String>, Vec<Section>) {
    // (level, title, start of heading, end of heading line)
    let mut heads: Vec<(usize, String, usize, usize)> = Vec::new();
    let mut current: Option<(usize, String, usize, usize)> = None;
    for (e, r) in Parser::new_ext(text, reading_options()).into_offset_iter() {
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
    // The first `#` is the title, unless the document uses `#` for its sections
    // (`# Summary`, `# Timeline`): then every `#` is a section, one level down
    // like everything under it.
    let h1s = heads.iter().filter(|h| h.0 == 1).count();
    let first_h1 = heads.iter().position(|h| h.0 == 1);
    let title_at = first_h1.filter(|&i| h1s < 2 || classify(&heads[i].1) == Kind::Other);
    let shift = usize::from(h1s >= 2);
    let title = title_at.map(|i| heads[i].1.trim().to_string());
    let sections: Vec<usize> = (0..heads.len()).filter(|&i| Some(i) != title_at && heads[i].0 + shift >= 2).collect();
    let first = sections.first().map_or(text.len(), |&i| heads[i].2);
    // Everything before the first section: what comes before the title too (front
    // matter, a banner), and after it.
    let preamble = match title_at.filter(|&i| heads[i].2 < first) {
        Some(i) => format!("{}{}", &text[..heads[i].2], &text[heads[i].3.min(first)..first]),
        None => text[..first].to_string(),
    };
    let flat: Vec<(usize, String, String)> = sections
        .iter()
        .map(|&i| {
            let h = &heads[i];
            let end = heads.iter().skip(i + 1).map(|n| n.2).next().unwrap_or(text.len());
            (h.0 + shift, h.1.trim().to_string(), without_trailing_rules(&text[h.3.min(end)..end]))
        })
        .collect();
    // Every heading is kept: a run of deeper headings before a shallower one is a
    // group of its own.
    let mut tree = Vec::new();
    let mut i = 0;
    while i < flat.len() {
        let (mut part, next) = nest(&flat, i);
        tree.append(&mut part);
        i = next.max(i + 1);
    }
    (preamble, title, tree)
}

/// A section body without the `---` separators that end it.
pub(super) fn without_trailing_rules(body: &str) -> String {
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

pub(super) fn nest(flat: &[(usize, String, String)], mut i: usize) -> (Vec<Section>, usize) {
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
    pub(super) fn full_text(&self) -> String {
        let mut s = self.body.clone();
        for c in &self.children {
            let _ = write!(s, "{} {}\n{}", "#".repeat(c.level), c.title, c.full_text());
        }
        s
    }
}

/// How the importer reads markdown: every extension but smart punctuation,
/// which would change the document's quotes and dashes in titles.
pub(super) fn reading_options() -> Options {
    // (A front matter left unconverted is text, as casebook's loader reads it.)
    Options::all()
        - Options::ENABLE_SMART_PUNCTUATION
        - Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        - Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// A heading reduced to its words: "### Phase 2: Enhanced Error Logging (21:10 UTC)" → "phase 2 enhanced error logging 21 10 utc".
pub(super) fn norm(s: &str) -> String {
    s.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
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

pub(super) fn classify(title: &str) -> Kind {
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
        || has("looking forward")
        || has("future work")
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

pub(super) static TIME: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"\b([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?\b"));
pub(super) static DATE: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"));
static SHA: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"`([0-9a-f]{7,40})`"));

/// The commit ids a text cites in backticks (`` `a1b2c3d` ``), as (the whole
/// match, the id). An id of digits alone (`` `1234567` ``, an exit status or a
/// ticket number) is not taken for one.
pub(super) fn shas(text: &str) -> Vec<(String, String)> {
    SHA.captures_iter(text)
        .filter(|c| c[1].bytes().any(|b| b.is_ascii_alphabetic()))
        .map(|c| (c[0].to_string(), c[1].to_string()))
        .collect()
}
pub(super) static FIELD: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"^\s*(?:[-*]\s+)?\*\*([^*]+?)\*\*\s*:?\s*(?:\*\*)?:?\s*(.*)$"));
pub(super) static PRIMARY: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"\s*\((?i:primary)[^)]*\)"));
pub(super) static NUMBERED: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"^\d+\.\s*"));
pub(super) static PHASE: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"(?i)^\s*(phase\s+\d+\s*:\s*)?"));
pub(super) static TIME_SUFFIX: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"\s*\([^)]*\d{1,2}:\d{2}[^)]*\)\s*$"));
pub(super) static CHECK: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"^\s*[-*]\s+\[([ xX])\]\s+(.*)$"));
pub(super) static LINK: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)|(https?://[^\s)>]+)"));

/// `- Date: 2025-DEC-5` bullets: the keys a postmortem's header uses, without bold.
static PLAIN_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?i)^\s*(?:[-*]\s+)?(date|incident date|status|severity|sev|priority|title|authors?|owners?|created by|root causes?|duration|impact)\s*:\s*(.+)$",
    )
});

/// `**Key**: value` lines of a block, and `- Key: value` bullets of the keys a
/// header uses.
pub(super) fn fields(body: &str) -> Vec<(String, String)> {
    body.lines()
        .filter_map(|l| FIELD.captures(l).or_else(|| PLAIN_FIELD.captures(l)))
        .map(|c| (c[1].trim().trim_end_matches(':').to_string(), c[2].trim().to_string()))
        .collect()
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// The first day a text gives, as a person writes it: `2025-11-16`, `2025-DEC-5`,
/// `May 30th, 2019`, `August 12 2025`, `12 August 2025`. Returns the day and the
/// words that gave it. A date that is no day of the calendar is not one.
pub fn date_in(text: &str) -> Option<(chrono::NaiveDate, String)> {
    static WORDS: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::compile(
            r"(?i)\b(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})-(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?-(\d{1,2})|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})|(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(\d{4}))\b",
        )
    });
    let month_of = |m: &str| MONTHS.iter().position(|x| m.to_lowercase().starts_with(x)).map(|i| i as u32 + 1);
    // `28/11/2024` or `11/28/2024`: only when the order is plain (a part over 12).
    static NUMERIC: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"));
    let numeric = NUMERIC.captures_iter(text).find_map(|c| {
        let (a, b, y): (u32, u32, i32) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        let (d, m) = match (a > 12, b > 12) {
            (true, false) => (a, b),
            (false, true) => (b, a),
            _ => return None,
        };
        Some((c.get(0)?.start(), chrono::NaiveDate::from_ymd_opt(y, m, d)?, c[0].to_string()))
    });
    let words = WORDS.captures_iter(text).find_map(|c| {
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let (y, m, d) = if c.get(1).is_some() {
            (num(1)?, num(2)?, num(3)?)
        } else if c.get(4).is_some() {
            (num(4)?, month_of(c.get(5)?.as_str())?, num(6)?)
        } else if c.get(7).is_some() {
            (num(9)?, month_of(c.get(7)?.as_str())?, num(8)?)
        } else {
            (num(12)?, month_of(c.get(11)?.as_str())?, num(10)?)
        };
        let day = chrono::NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
        Some((c.get(0)?.start(), day, c.get(0)?.as_str().to_string()))
    });
    // Whichever comes first in the text.
    match (words, numeric) {
        (Some(w), Some(n)) => Some(if w.0 <= n.0 { (w.1, w.2) } else { (n.1, n.2) }),
        (w, n) => w.or(n).map(|(_, d, s)| (d, s)),
    }
}

/// A day heading without a year (`Nov 26`, `26th November`), in the year of the
/// document's `date`.
fn day_of_year(title: &str, date: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
    use chrono::Datelike;
    static DAY: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::compile(
            r"(?i)^\W*(?:(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?)\W*$",
        )
    });
    let c = DAY.captures(title.trim())?;
    let (m, d) = match (c.get(1), c.get(3)) {
        (Some(m), _) => (m.as_str(), c.get(2)?.as_str()),
        (None, Some(d)) => (c.get(4)?.as_str(), d.as_str()),
        _ => return None,
    };
    let month = MONTHS.iter().position(|x| m.to_lowercase().starts_with(x))? as u32 + 1;
    let day = chrono::NaiveDate::from_ymd_opt(date.year(), month, d.parse().ok()?)?;
    // "Jan 1" under an incident of 31 December is the next year's (a day more
    // than half a year before the incident is taken to be after it).
    if (date - day).num_days() > 183 {
        return chrono::NaiveDate::from_ymd_opt(date.year() + 1, month, day.day());
    }
    Some(day)
}

pub(super) fn field<'a>(f: &'a [(String, String)], names: &[&str]) -> Option<&'a str> {
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

/// Inline links reduced to their text (`[#12](url)` is `#12`): for a title,
/// which is plain text.
pub(super) fn plain_text(s: &str) -> String {
    static LINKS: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"\[([^\]\[]+)\]\([^)]*\)"));
    // (A reference with no definition, `[foo][ref]`, stays as written: its words too.)
    LINKS.replace_all(s, "$1").to_string()
}

/// The sentences of a paragraph (split after `.`, `!` or `?` and a space).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?') && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()) {
            out.push(text[start..=i].trim());
            start = i + 1;
        }
    }
    if !text[start..].trim().is_empty() {
        out.push(text[start..].trim());
    }
    out
}

/// Causes a text states in words: "The root cause for this incident is X",
/// "This was caused by X" (root), "..., triggered by X" (trigger). Each is a
/// cause titled X (its first letter raised), described by its sentence.
pub(super) fn stated_causes(text: &str) -> Vec<super::draft::Cause> {
    use crate::model::CauseRole;
    static SAYS: LazyLock<[(CauseRole, Regex); 4]> = LazyLock::new(|| {
        let re = crate::pattern::compile;
        [
            (
                CauseRole::Root,
                re(r"(?i)\broot cause (?:for|of) (?:this|the) (?:incident|outage|issue|problem) (?:is|was) (.+)"),
            ),
            (
                CauseRole::Root,
                re(r"(?i)\b(?:this|it|the (?:incident|outage|issue|problem|failure)) was caused by (.+)"),
            ),
            (
                CauseRole::Trigger,
                re(
                    r"(?i)\b(?:outage|incident|failure|issue|problem|bug|crash|errors?|it|this)\b[^.]*?\btriggered by (.+)",
                ),
            ),
            (
                CauseRole::Contributing,
                re(
                    r"(?i)^due to ([^,]+),[^.]*\b(?:fail\w*|errors?|outage|crash\w*|down|full|orphan\w*|broke\w*|stuck|time[sd]? ?out|unavailable)\b",
                ),
            ),
        ]
    });
    let mut out = Vec::new();
    for paragraph in text.split("\n\n") {
        let paragraph = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
        for sentence in sentences(&paragraph) {
            let mut root_found = false;
            for (role, re) in SAYS.iter() {
                if root_found && *role == CauseRole::Root {
                    continue;
                }
                let Some(c) = re.captures(sentence) else { continue };
                // Denied or only asked ("is not yet known", "whether it was caused by"): no cause.
                let clause = c.get(1).map_or(0..0, |m| m.range());
                if said_not(sentence, clause.start) || taken_back(sentence, clause.start) {
                    continue;
                }
                root_found |= *role == CauseRole::Root;
                // "caused by that bug, triggered by X": the trigger is a cause of its own.
                let said = match c[1].find("triggered by") {
                    Some(at) if *role != CauseRole::Trigger => &c[1][..at],
                    _ => &c[1],
                };
                let clause = plain_text(said.trim_end_matches(['.', '!', '?', ',', ' ']).trim());
                let mut chars = clause.chars();
                let Some(first) = chars.next() else { continue };
                out.push(super::draft::Cause {
                    title: first.to_uppercase().chain(chars).collect(),
                    role: *role,
                    primary: false,
                    kind: None,
                    description: Some(plain_text(sentence)),
                    impact: None,
                    fix: None,
                    fix_time: None,
                    commits: None,
                });
            }
        }
    }
    out
}

/// A list item's text with its nested lines, markers removed.
static LINK_DEFINITION: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"^\[[^\]]+\]:\s*\S+"));

pub(super) fn list_items(body: &str) -> Vec<(String, Vec<String>)> {
    let mut items: Vec<(String, Vec<String>)> = Vec::new();
    let mut blank_before = false;
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
            // A link's definition (`[#2226]: https://...`) is no item's text.
            None if indent == 0 && LINK_DEFINITION.is_match(t) => {}
            None if !t.is_empty() => {
                if let Some(last) = items.last_mut() {
                    // A line right after the item's (or its last sub-item's) text
                    // continues that paragraph, as markdown reads it; after a
                    // blank line it is a paragraph of its own.
                    match last.1.last_mut() {
                        _ if blank_before => last.1.push(t.to_string()),
                        Some(sub) => {
                            sub.push(' ');
                            sub.push_str(t);
                        }
                        None => {
                            last.0.push(' ');
                            last.0.push_str(t);
                        }
                    }
                }
            }
            None => {}
        }
        blank_before = t.is_empty();
    }
    items
}

pub(super) fn unbold(s: &str) -> String {
    s.replace("**", "").trim().trim_end_matches(':').trim().to_string()
}

/// Rows of a markdown table in `body`, cells trimmed, header and rule skipped.
pub(super) fn table_rows(body: &str) -> Vec<Vec<String>> {
    let rows: Vec<Vec<String>> = body
        .lines()
        .filter(|l| l.trim_start().starts_with('|'))
        // (`\|` is a pipe inside a cell, not between cells.)
        .map(|l| {
            l.replace("\\|", "\u{1}")
                .trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().replace('\u{1}', "|"))
                .collect()
        })
        .collect();
    rows.into_iter().skip(1).filter(|r| !r.iter().all(|c| c.chars().all(|x| x == '-' || x == ':'))).collect()
}

pub(super) struct Entry {
    /// The heading the entry came from, for a provenance comment.
    pub(super) from: Option<String>,
    pub(super) at: String,
    /// The time as the document wrote it, when `at` is not just that text (a
    /// 12-hour clock, a date added): kept beside the value.
    pub(super) said: Option<String>,
    pub(super) title: Option<String>,
    pub(super) body: String,
    pub(super) todo: bool,
    /// The end of a time range (`10:00 - 10:05`), on the same day.
    pub(super) until: Option<String>,
}

impl Entry {
    /// A row that gives only its day.
    fn on_day(day: chrono::NaiveDate, body: String) -> Entry {
        Entry { from: None, at: day.to_string(), said: None, title: None, body, todo: false, until: None }
    }
}

/// Words that make a time an estimate: `~14:02`, `about 14:02`, `14:02 (approx.)`, `12:00+`.
pub(super) static APPROX: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?i)(?:~|\b(?:approx(?:imately|\.)?|about|around|roughly|circa|ca\.)\s*$|\d\+|\(approx|\bapprox(?:imately|\.)?\b)",
    )
});

/// A 12-hour time: `5:00 PM`, `11:05 a.m.`, `12:30pm`.
static TIME12: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"(?i)\b(1[0-2]|0?[1-9]):([0-5]\d)(?::([0-5]\d))?\s*([ap])\.?\s?m\b\.?"));

/// The time of day in `t` as `HH:MM:SS`, reading a 12-hour clock as a person does
/// (`5:00 PM` is 17:00, `12:10 AM` is 00:10), and the text it was read from.
pub(super) fn time_in(t: &str) -> Option<(String, std::ops::Range<usize>)> {
    // The first time the text gives: a 12-hour one later in the row ("10:00
    // Alice said the deploy at 5:00 PM broke it") is not the row's.
    let first24 = TIME.find(t).map(|m| m.start());
    if let Some(c) = TIME12.captures(t).filter(|c| first24.is_none_or(|f| c.get(0).is_some_and(|m| m.start() <= f))) {
        let h: u32 = c[1].parse().ok()?;
        let pm = c[4].eq_ignore_ascii_case("p");
        let h24 = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
        let hms = format!("{h24:02}:{}:{}", &c[2], c.get(3).map_or("00", |m| m.as_str()));
        return Some((hms, c.get(0)?.range()));
    }
    let c = TIME.captures(t)?;
    let hms = format!("{:0>2}:{}:{}", &c[1], &c[2], c.get(3).map_or("00", |m| m.as_str()));
    Some((hms, c.get(0)?.range()))
}

/// The times of a timeline in order, each placed on its day: a time earlier than
/// the one before it is on the next day (a timeline that crosses midnight). A
/// time whose row gives its date keeps that date. `date` is the document's day;
/// without it, times of day stay times of day (and a TODO says so).
/// Returns what it moved, for the report.
pub(super) fn place_days(
    entries: &mut [Entry],
    date: Option<chrono::NaiveDate>,
    carry: &mut Option<(chrono::NaiveDate, Option<String>)>,
) -> Vec<String> {
    let mut moved = Vec::new();
    let Some(date) = date else { return moved };
    // Where the timeline sections before this one left off ("Evening", then
    // "Next morning"): the day and the last time.
    let (mut day, mut last) = carry.take().unwrap_or((date, None));
    let date = Some(date);
    for e in entries.iter_mut() {
        if let Some(d) = e.at.split_once('T').and_then(|(d, _)| d.parse::<chrono::NaiveDate>().ok()) {
            // A row dated later moves the timeline on; one dated earlier is an
            // exception ("unless otherwise noted, all on 2019-10-21").
            if d >= day {
                day = d;
                last = e.at.split_once('T').map(|(_, t)| t.trim_end_matches('Z').to_string());
            }
            continue;
        }
        if e.at.len() != 8 {
            continue;
        }
        // Back by more than six hours (23:55 then 07:00) is the next day; back by
        // less (10:00 then 09:00) is a row listed out of order, put in order later.
        let seconds = |t: &str| chrono::NaiveTime::parse_from_str(t, "%H:%M:%S").ok();
        let back = last.as_deref().and_then(seconds).zip(seconds(&e.at)).map(|(l, t)| l - t);
        if back.is_some_and(|b| b > chrono::TimeDelta::hours(6)) {
            day = day.succ_opt().unwrap_or(day);
            moved.push(format!(
                "{} placed on {day}: it comes after {} in the timeline, so past midnight",
                &e.at[..5],
                last.as_deref().map_or("", |l| &l[..5])
            ));
        }
        if back.is_none_or(|b| b > chrono::TimeDelta::hours(6) || b <= chrono::TimeDelta::zero()) {
            last = Some(e.at.clone());
        }
        if Some(day) != date {
            e.said.get_or_insert_with(|| e.at[..5].to_string());
            e.at = format!("{day}T{}", e.at);
            if let Some(u) = e.until.as_mut().filter(|u| u.len() == 8) {
                *u = format!("{day}T{u}");
            }
        }
        e.todo = false;
    }
    *carry = Some((day, last));
    moved
}

/// Zones a document may state its times in, with their offsets. `IST` and other
/// names that mean several zones are left out: a guess would be silently wrong.
const ZONES: [(&str, &str); 24] = [
    ("UTC", "UTC"),
    ("GMT", "UTC"),
    ("Z", "UTC"),
    ("PST", "-08:00"),
    ("PDT", "-07:00"),
    ("MST", "-07:00"),
    ("MDT", "-06:00"),
    ("CST", "-06:00"),
    ("CDT", "-05:00"),
    ("EST", "-05:00"),
    ("EDT", "-04:00"),
    ("BST", "+01:00"),
    ("CET", "+01:00"),
    ("CEST", "+02:00"),
    ("JST", "+09:00"),
    ("AEST", "+10:00"),
    ("AEDT", "+11:00"),
    ("SAST", "+02:00"),
    ("EET", "+02:00"),
    ("EEST", "+03:00"),
    ("WET", "+00:00"),
    ("WEST", "+01:00"),
    ("HKT", "+08:00"),
    ("KST", "+09:00"),
];

static STATED_ZONE: LazyLock<Regex> = LazyLock::new(|| {
    crate::pattern::compile(
        r"(?i)(?:\b(?:all\s+)?times?\b(?:\s+(?:are|is|shown|given|listed))*(?:\s+(?:in|as))?\s*\(?\s*|\btime\s*\(\s*)([A-Z]{1,4})\b",
    )
});

/// Whether a text names a zone other than UTC ("PST", "Pacific Time"...).
pub(super) fn other_zone_named(text: &str) -> bool {
    // The names of ZONES but UTC's.
    static NAMES: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::compile(
            r"\b(?:PST|PDT|MST|MDT|CST|CDT|EST|EDT|BST|CET|CEST|JST|AEST|AEDT|SAST|EET|EEST|WET|WEST|HKT|KST)\b|(?i:\b(?:pacific|eastern|central|mountain)(?:\s+(?:standard|daylight))?\s+time\b)",
        )
    });
    NAMES.is_match(text)
}

/// The zone a document states its times in ("All times in PST", "All times PDT.",
/// "## Timeline (times in BST)", a "Time (UTC)" column): the record's `timezone`
/// value and the words that said it.
pub fn stated_zone(text: &str) -> Option<(String, String)> {
    static IANA: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::compile(
            r"(?i)\b(?:all\s+)?times?\b(?:\s+(?:are|is|in|as))*\s*\(?\s*([A-Za-z_]+/[A-Za-z_]+(?:/[A-Za-z_]+)?)",
        )
    });
    // "All times in UTC+5:30", "GMT+1": the offset is the zone.
    static OFFSET: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"^([+-−])(\d{1,2})(?::?(\d{2}))?\b"));
    let named = STATED_ZONE.captures_iter(text).find_map(|c| {
        let name = c.get(1)?.as_str();
        let (_, offset) = ZONES.iter().find(|(z, _)| *z == name)?;
        let whole = c.get(0)?;
        if matches!(name, "UTC" | "GMT")
            && let Some(o) = OFFSET.captures(&text[whole.end()..])
        {
            let (h, m): (u32, u32) = (o[2].parse().ok()?, o.get(3).map_or(Some(0), |m| m.as_str().parse().ok())?);
            let sign = if &o[1] == "+" { '+' } else { '-' };
            // An offset no place has (UTC+25) is no zone: left for the person importing.
            if h > 14 || !matches!(m, 0 | 30 | 45) || (h == 14 && m > 0) {
                return None;
            }
            let said = format!("{}{}", whole.as_str().trim(), o[0].trim_end());
            let zone = if h == 0 && m == 0 { "UTC".to_string() } else { format!("{sign}{h:02}:{m:02}") };
            return Some((whole.start(), (zone, said)));
        }
        Some((whole.start(), (offset.to_string(), whole.as_str().trim().to_string())))
    });
    // "All times US/Pacific": a zone of the tz database, daylight saving included.
    let iana = IANA.captures_iter(text).find_map(|c| {
        let name = c.get(1)?.as_str();
        name.parse::<chrono_tz::Tz>().ok()?;
        Some((c.get(0)?.start(), (name.to_string(), c.get(0)?.as_str().trim().to_string())))
    });
    match (named, iana) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|x| x.1),
    }
}

/// The key moments an entry's words name, in the format's order: a mark needs
/// words that say it, never a position in the timeline.
pub(super) fn moment_marks(text: &str) -> Vec<crate::model::MomentKind> {
    use crate::model::MomentKind::*;
    static WORDS: LazyLock<[(crate::model::MomentKind, Regex); 6]> = LazyLock::new(|| {
        let re = crate::pattern::compile;
        [
            (
                Started,
                re(
                    r"(?i)\b(?:(?:impact|outage|errors?|incident)\s+(?:started|starts|began|begins)|(?:started|starts|began|begins)\s+(?:failing|degrading|erroring|timing\s+out))\b",
                ),
            ),
            (
                Detected,
                re(
                    r"(?i)\b(?:detected|alert(?:ed|s)?\s+fired|alerted|paged|page\s+(?:went|sent)|pager\s+fired|first\s+reported|noticed|flagged|became\s+aware|(?:was|were)\s+notified|notified\s+\S+\s+of|reports?\s+(?:on|that)|reported\s+(?:it|that|the|an?)|(?:users?|customers?)\s+report(?:ed|s)?|report\s+received|incident\s+declared|declared\s+an\s+incident|uptime\s+check\s+\S+(?:\s+\S+){0,3}\s+fails)\b",
                ),
            ),
            (Acknowledged, re(r"(?i)\b(?:acknowledged|acked)\b")),
            (
                Identified,
                re(
                    r"(?i)\b(?:root\s+cause\s+(?:was\s+)?(?:identified|found)|cause\s+(?:was\s+)?identified|identified\s+the\s+(?:root\s+)?cause)\b",
                ),
            ),
            (
                Mitigated,
                re(
                    r"(?i)\b(?:mitigated|mitigation\s+(?:applied|in\s+place)|rolled\s+back|workaround\s+(?:applied|in\s+place)|back\s+online|service\s+restored|restored\s+(?:the\s+)?service)\b",
                ),
            ),
            (
                Resolved,
                re(
                    r"(?i)\b(?:resolved|fully\s+recovered|incident\s+closed|(?:hot\s?)?fix(?:es)?\s+(?:was\s+|were\s+)?deployed\s+(?:on|to|in)\s+prod(?:uction)?|(?:hot\s?)?fix\s+deployed\s+and\s+live|(?:verified|fully)\s+operational|operational\s+again)\b",
                ),
            ),
        ]
    });
    WORDS
        .iter()
        .filter(|(k, re)| {
            re.find_iter(text).any(|m| {
                // (DNS "resolved to" an address is no resolution.)
                let dns = *k == Resolved && text[m.end()..].trim_start().starts_with("to ");
                !said_not(text, m.start()) && !taken_back(text, m.end()) && !dns
            })
        })
        .map(|(m, _)| *m)
        .collect()
}

/// Whether the words before `at` deny or question what follows ("did not fire",
/// "never detected", "asked whether it was resolved").
pub(super) fn said_not(text: &str, at: usize) -> bool {
    // Only the words just before (a bounded look: long lines stay linear).
    let mut from = at.saturating_sub(60);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let before: Vec<String> = text[from..at]
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    before.iter().rev().take(4).any(|w| {
        ["not", "no", "never", "whether", "if", "without", "nor", "nobody", "nothing", "none", "neither"]
            .contains(&w.as_str())
            || w.ends_with("n't")
            || w.ends_with("n’t")
    })
}

/// Whether the rest of the clause after a match takes it back ("a fix was
/// deployed but did not help", "working again in staging, prod still broken",
/// "is not yet known").
pub(super) fn taken_back(text: &str, end: usize) -> bool {
    let clause: String =
        text[end..].chars().take(80).take_while(|c| !matches!(c, '.' | ';' | '!' | '?' | '\n')).collect();
    let words: Vec<String> = clause
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(8)
        .collect();
    words.iter().any(|w| {
        ["not", "never", "still", "failed", "unknown", "unclear", "yet"].contains(&w.as_str())
            || w.ends_with("n't")
            || w.ends_with("n’t")
    })
}

/// Timeline entries from phases (`### Phase 2: ... (21:10 UTC)`), table rows
/// (`| 14:02 | ... |`) or list items (`- 21:40 UTC — ...`).
/// Also returns the rows that give neither a time nor a day (`[???] ...`), kept
/// as they are written: no time is invented for them.
pub(super) fn timeline_entries(s: &Section, date: Option<chrono::NaiveDate>) -> (Vec<Entry>, Vec<String>) {
    let have_date = date.is_some();
    let mut out = Vec::new();
    let mut untimed = Vec::new();
    for c in &s.children {
        if let Some((at, said)) = timed(&c.title, None) {
            let title = PHASE.replace(&c.title, "").to_string();
            let title = TIME_SUFFIX.replace(&title, "").trim().to_string();
            // A heading that is only its time (`### 5:00 PM`, `### July 11, 2025,
            // 12:42 PM`) gives the entry no title: the time is `at`, the text its body.
            let rest = match (time_in(&title), date_in(&title)) {
                (Some((_, r)), d) => {
                    let mut rest = format!("{} {}", &title[..r.start], &title[r.end..]);
                    if let Some((_, said)) = d {
                        rest = rest.replacen(&said, "", 1);
                    }
                    rest
                }
                (None, _) => title.clone(),
            };
            let worded = rest
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| !w.is_empty() && !["UTC", "GMT", "at", "on"].contains(&w));
            let title = Some(title).filter(|_| worded);
            out.push(Entry {
                until: None,
                from: Some(format!("{} {}", "#".repeat(c.level), c.title)),
                todo: !have_date && !at.contains('T'),
                at,
                said,
                title,
                body: c.full_text().trim().to_string(),
            });
        }
    }
    if !out.is_empty() {
        return (out, untimed);
    }
    // Day headings (`### 2020-02-20`, `## Nov 26 2024`) over tables or lists of
    // times; and bare day lines (`2019-03-22:`) over lists, in the body.
    let mut out = Vec::new();
    for (day, part) in day_lines(&s.body) {
        out.extend(rows(&part, day, have_date, &mut untimed));
    }
    for c in &s.children {
        let day = date_in(&c.title).map(|(d, _)| d).or_else(|| date.and_then(|d| day_of_year(&c.title, d)));
        if let Some(day) = day.filter(|_| time_in(&c.title).is_none()) {
            let text = c.full_text();
            let mut found = rows(&text, Some(day), have_date, &mut untimed);
            // The heading (and a table's header) the rows came from, said once.
            if let Some(e) = found.first_mut() {
                let header =
                    text.lines().find(|l| l.trim_start().starts_with('|')).map(|h| format!(", columns {}", h.trim()));
                e.from = Some(format!("{} {}{}", "#".repeat(c.level), c.title, header.unwrap_or_default()));
            }
            out.extend(found);
        }
    }
    if out.is_empty() {
        untimed.clear();
    }
    (out, untimed)
}

/// A block cut at lines that are only a day (`2019-03-22:`): each part with the
/// day above it (`None` before the first).
fn day_lines(body: &str) -> Vec<(Option<chrono::NaiveDate>, String)> {
    let mut parts = vec![(None, String::new())];
    for line in body.lines() {
        let t = line.trim().trim_end_matches(':').trim();
        let day = date_in(t).filter(|(_, said)| said.len() == t.len()).map(|(d, _)| d);
        match day {
            Some(d) => parts.push((Some(d), String::new())),
            None => {
                if let Some((_, text)) = parts.last_mut() {
                    text.push_str(line);
                    text.push('\n');
                }
            }
        }
    }
    parts.retain(|(d, text)| d.is_some() || !text.trim().is_empty());
    parts
}

/// The time in `t` (`HH:MM:SS`), on its day when `t` or `day` gives one, and the
/// words as written when they differ from the value.
fn timed(t: &str, day: Option<chrono::NaiveDate>) -> Option<(String, Option<String>)> {
    let (hms, range) = time_in(t)?;
    // The row's day is one written before its time ("2019-10-20 00:55: ..."): a
    // date in the text after it is what the row speaks of ("13:53 A delay of
    // the release until 2019-04-05 was announced"), not when it happened.
    let dated = date_in(&t[..range.start]);
    let written = t[range].trim().to_string();
    let said = (!hms.starts_with(&written) || written.len() < 5).then(|| written.clone());
    Some(match (dated, day) {
        (Some((d, day_said)), _) => (format!("{d}T{hms}"), Some(format!("{day_said} {written}"))),
        (None, Some(day)) => (format!("{day}T{hms}"), Some(written)),
        (None, None) => (hms, said),
    })
}

/// Timeline entries from a block's table rows (`| 14:02 | ... |`), else its list
/// items (`- 21:40 UTC — ...`), on `day` when a heading above gave one.
/// A row that gives a day but no time (`| 2021-12-10 | published |`,
/// `- 2021-08-17: report submitted`) is an entry on that day.
fn rows(body: &str, day: Option<chrono::NaiveDate>, have_date: bool, untimed: &mut Vec<String>) -> Vec<Entry> {
    let mut out = Vec::new();
    let undated = |at: &str| !have_date && !at.contains('T') && at.len() == 8;
    let day_only = |t: &str| date_in(t).filter(|(_, said)| t.trim_start().starts_with(said.as_str())).map(|(d, _)| d);
    let table = table_rows(body);
    for row in &table {
        let first = row.first().map(String::as_str).unwrap_or("");
        if let Some((at, said)) = timed(first, day) {
            let body = row[1..].join(" — ");
            // A time cell with more than the time (`~14:02 (approx, per Slack)`,
            // `12:00+`) is said whole beside the value.
            let cell = first.trim().trim_matches('*').trim();
            let plain = cell.split_whitespace().collect::<Vec<_>>().join(" ");
            let rest =
                time_in(cell).map(|(_, r)| format!("{}{}", &cell[..r.start], &cell[r.end..])).unwrap_or_default();
            let rest = match date_in(&rest) {
                Some((_, d)) => rest.replacen(&d, "", 1),
                None => rest,
            };
            let extra = rest.replace("UTC", "").chars().any(|c| c.is_alphanumeric() || c == '~' || c == '+');
            let said = if extra { Some(plain) } else { said };
            out.push(Entry { until: None, from: None, todo: undated(&at), at, said, title: None, body });
        } else if let Some(d) = day_only(first) {
            out.push(Entry::on_day(d, row[1..].join(" — ")));
        } else if let Some(d) = day.filter(|_| !first.trim().is_empty() && time_in(first).is_none()) {
            // Under a day heading, a row whose time is "unknown" or "morning" is
            // an entry on that day, its time cell kept in its text.
            out.push(Entry::on_day(d, row.join(" — ")));
        } else if !row.iter().all(|c| c.trim().is_empty() || c.trim().chars().all(|ch| ch == '-' || ch == ':')) {
            untimed.push(format!(
                "- {}",
                row.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect::<Vec<_>>().join(" — ")
            ));
        }
    }
    if !out.is_empty() {
        return out;
    }
    untimed.clear();
    for (item, sub) in list_items(body) {
        // A row bold as a whole (`- **21:17 UTC: the authors published**`): its
        // time and day are read inside, and its text stays bold.
        let whole_bold =
            item.len() > 4 && item.starts_with("**") && item.ends_with("**") && !item[2..item.len() - 2].contains("**");
        let (item, bold) = if whole_bold { (item[2..item.len() - 2].to_string(), true) } else { (item, false) };
        let embolden = |text: String| if bold && !text.is_empty() { format!("**{text}**") } else { text };
        // A row with a day but no time, or a row under a day line: an entry on that day.
        let dated = day_only(&item).or(day).filter(|_| time_in(&item).is_none());
        if let Some(d) = dated {
            let text = match day_only(&item).and(date_in(&item)) {
                Some((_, said)) => item.replacen(&said, "", 1),
                None => item.clone(),
            };
            let mut body = embolden(text.trim_start_matches([' ', ':', '-', '—', '–']).trim().to_string());
            for l in sub {
                body.push('\n');
                body.push_str(&l);
            }
            out.push(Entry::on_day(d, body));
            continue;
        }
        if time_in(&item).is_none() {
            let mut text = format!("- {}", embolden(item.clone()));
            for l in &sub {
                text.push('\n');
                text.push_str(l);
            }
            untimed.push(text);
            continue;
        }
        if let Some((at, said)) = timed(&item, day) {
            // "~14:02", "around 14:02": the estimate is said beside the value.
            // "10:15 (approx)", "12:00+": after the time.
            static APPROX_AFTER: LazyLock<Regex> = LazyLock::new(|| {
                crate::pattern::compile(r"(?i)^(?:\+|\s*\(\s*(?:approx\w*\.?|about|roughly|est\.?)\s*\))")
            });
            let said = match time_in(&item) {
                Some((_, r)) if APPROX.is_match(&item[..r.start]) => Some(format!(
                    "{} {}",
                    APPROX.find(&item[..r.start]).map_or("", |m| m.as_str()).trim(),
                    item[r].trim()
                )),
                Some((_, r)) => match APPROX_AFTER.find(&item[r.end..]) {
                    Some(m) => Some(format!("{}{}", item[r.clone()].trim(), m.as_str())),
                    None => said,
                },
                _ => said,
            };
            // The time, and the day written before it, are `at`: the text is the rest.
            let text = time_in(&item).map_or_else(
                || item.clone(),
                |(_, r)| {
                    let text = without_time(&item, r.clone());
                    match date_in(&item[..r.start]) {
                        Some((_, said)) if item[..r.start].trim_start().starts_with(&said) => {
                            text.replacen(&said, "", 1)
                        }
                        _ => text,
                    }
                },
            );
            let text = text
                .trim_start_matches([' ', '-', '—', '–', ':'])
                .trim_start_matches("UTC")
                .trim_start_matches([' ', '-', '—', '–', ':'])
                .trim();
            let until = until_of(&item, &at);
            // `10:00 - 10:05 The branch was pushed`: the range's end is `until`.
            let text = match time_in(text) {
                Some((_, r)) if until.is_some() && r.start == 0 => {
                    text[r.end..].trim_start_matches([' ', ':', '-', '—', '–']).trim_start_matches("UTC").trim()
                }
                _ => text,
            };
            let mut body = embolden(text.to_string());
            for l in sub {
                body.push('\n');
                body.push_str(&l);
            }
            out.push(Entry { until, from: None, todo: undated(&at), at, said, title: None, body });
        }
    }
    if out.is_empty() {
        out = paragraph_rows(body, day, have_date);
    }
    out
}

/// `text` without the time at `r`, and without the brackets or parentheses
/// around it (`[13:26] @cblecker reports` → ` @cblecker reports`).
fn without_time(text: &str, r: std::ops::Range<usize>) -> String {
    let (mut start, mut end) = (r.start, r.end);
    let before = text[..start].trim_end();
    let after = text[end..].trim_start();
    for (open, close) in [('[', ']'), ('(', ')')] {
        if before.ends_with(open) && after.starts_with(close) {
            start = before.len() - 1;
            end = text.len() - after.len() + 1;
        }
    }
    format!("{}{}", &text[..start], &text[end..])
}

/// A text as notes: each list item (with its nested lines), else each
/// paragraph, its lines joined as markdown joins them.
pub(super) fn notes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, out: &mut Vec<String>| {
        if !paragraph.is_empty() {
            out.push(paragraph.join(" "));
            paragraph.clear();
        }
    };
    for line in text.lines() {
        let t = line.trim();
        let item = t.strip_prefix("- ").or_else(|| t.strip_prefix("* "));
        match item {
            Some(i) if line.len() - line.trim_start().len() < 2 => {
                flush(&mut paragraph, &mut out);
                paragraph.push(i);
            }
            _ if t.is_empty() => flush(&mut paragraph, &mut out),
            _ => paragraph.push(t),
        }
    }
    flush(&mut paragraph, &mut out);
    out
}

/// The time a line opens with (`14:05 ...`, `At 2:10 PM, ...`, `**09:30** ...`).
pub(super) fn opening_time(line: &str) -> Option<(String, std::ops::Range<usize>)> {
    static OPENS: LazyLock<Regex> =
        LazyLock::new(|| crate::pattern::compile(r"(?i)^\s*(?:at\s+|around\s+|~\s*|\*\*|\[|_)*\d{1,2}[:.h]\d{2}"));
    OPENS.find(line).and_then(|m| time_in(line).filter(|(_, r)| r.start < m.end()))
}

/// Timeline entries written as prose: a line that opens with a time (`14:05 We
/// rolled back`, `At 2:10 PM, the alert fired`, `**09:30** ...`) starts an entry,
/// and the lines after it, to the next such line, are its text. Lines before the
/// first are not entries (the section's provenance comment keeps them).
fn paragraph_rows(body: &str, day: Option<chrono::NaiveDate>, have_date: bool) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for line in body.lines() {
        let opens = opening_time(line);
        match opens {
            Some((_, r)) => {
                let Some((at, said)) = timed(&line[..r.end], day) else { continue };
                let text = line[r.end..]
                    .trim_start_matches(['*', ']', '_', ' ', ',', ':', '-', '—', '–'])
                    .trim_start_matches("UTC")
                    .trim_start_matches(['*', ']', '_', ' ', ',', ':', '-', '—', '–']);
                let before = line[..r.start].trim().trim_start_matches(['*', '[', '_', '~']).trim();
                let said = match said {
                    Some(s) if !before.is_empty() => Some(format!("{before} {s}")),
                    other => other,
                };
                let todo = !have_date && !at.contains('T') && at.len() == 8;
                out.push(Entry { until: None, from: None, todo, at, said, title: None, body: text.to_string() });
            }
            None => {
                if let Some(e) = out.last_mut() {
                    e.body.push('\n');
                    e.body.push_str(line);
                }
            }
        }
    }
    out
}

/// The end of a time range that starts a row (`10:00 - 10:05`, `10:00 to 10:05`),
/// in the form of `at` (on its day when `at` has one); `None` when there is no
/// range or it would end before it starts.
fn until_of(item: &str, at: &str) -> Option<String> {
    static RANGE: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::compile(r"^\s*(?:-|–|—|to)\s*(\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\b\.?)?)")
    });
    let (_, first) = time_in(item)?;
    let c = RANGE.captures(&item[first.end..])?;
    let (hms, _) = time_in(&c[1])?;
    let until = match at.split_once('T') {
        Some((day, _)) => format!("{day}T{hms}"),
        None => hms,
    };
    (until.len() == at.len() && until.as_str() > at).then_some(until)
}
