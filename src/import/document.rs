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
pub(super) fn day_of_year(title: &str, date: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
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
