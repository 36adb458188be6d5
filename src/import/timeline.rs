//! Reading a timeline: its rows (phase headings, tables, lists, day headings,
//! prose), the time of each as a person reads it (12-hour clocks, ranges,
//! estimates, days, midnight), and the key moments its words mark.

use super::document::*;
use regex::Regex;
use std::sync::LazyLock;

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
