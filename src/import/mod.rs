//! Import: a markdown postmortem in, a record out. Sections are mapped by their
//! headings' names (the layout casebook grew from, and the section names of the
//! Google SRE, PagerDuty and Atlassian templates); whatever is not mapped is kept
//! verbatim in `[[sections]]`. Facts the document lacks become `# TODO` comments,
//! never invented values.
//!
//! [`document`] reads the markdown, [`tables`] maps each kind of section, and this
//! file writes the record's top-level keys and puts the parts together.

mod document;
mod draft;
mod encoding;
mod rewrite;
mod tables;
mod timeline;

pub use document::human_duration;
pub use encoding::repair_encoding;
pub use rewrite::decode_entities;

use crate::config::Config;
use crate::model::{MomentKind, SectionAnchor, Status};
use document::*;
use draft::Said;
use regex::Regex;
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
    /// What the importer read but could not be sure of (a zone it assumed, a day
    /// it moved a time to): each worth a look.
    pub unsure: Vec<String>,
    /// What casebook's own loader rejects in the record made (`line:column:
    /// message`); an import with any is not written.
    pub rejected: Vec<String>,
    /// The errors `casebook check` finds in the record made, from what the
    /// document says (a secret); an import with any is not written.
    pub refused: Vec<String>,
}

/// The importer's state: the record being filled, what it reports, and the
/// impact text gathered from every part that speaks of impact.
#[derive(Default)]
struct Draft {
    report: ImportReport,
    rec: draft::Record,
    /// The impact sections' text, read into `[impact]` once all are seen.
    impact: String,
    /// The impact sections' headings.
    impact_from: Vec<String>,
    /// The day and last time the timeline sections so far reached.
    timeline_day: Option<(chrono::NaiveDate, Option<String>)>,
    /// The moments already marked on an entry (each is marked once), with the
    /// entry's time as its timeline sorts it.
    marked: std::collections::BTreeMap<MomentKind, String>,
}

/// A numeric date that is no day (`31/02/2024`, `2024-13-45`): it is said, not dropped.
static NOT_A_DAY: LazyLock<Regex> =
    LazyLock::new(|| crate::pattern::compile(r"\b(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})\b"));

/// Imports one markdown postmortem into a record for the project `config`
/// describes (its severity levels; its checks judge the record made).
pub fn import(markdown: &str, config: &Config) -> (String, ImportReport) {
    // Old Mac line ends (CR alone) and Unicode line separators end lines as LF does.
    let markdown = markdown.replace("\r\n", "\n").replace(['\r', '\u{2028}', '\u{2029}'], "\n");
    let (text, repaired) = repair_encoding(&markdown);
    let (text, notes) = rewrite::html_comments(&rewrite::decode_entities(&text));
    let text = rewrite::relative_images(&rewrite::inline_references(&rewrite::front_matter_as_fields(&text)));
    let (text, dangerous) = rewrite::dangerous_links(&text);
    let (preamble, title, secs) = sections(&text);
    let mut draft = Draft { report: ImportReport { repaired, ..Default::default() }, ..Default::default() };
    draft.rec.notes = notes;
    if dangerous > 0 {
        draft.report.unsure.push(format!(
            "{dangerous} link(s) to a target that could run code (javascript:, data:) written as text, not links"
        ));
    }
    let date = draft.header(&text, &preamble, &title, &secs, &config.severity_levels);
    for s in &secs {
        draft.section(s, date);
    }
    let (mut rec, mut report) = draft.finish(&text);
    let mut toml = rec.to_toml();
    if let Some(too_large) = too_large(&toml) {
        report.refused.push(too_large);
        return (toml, report);
    }
    let mut loaded = load(&toml);
    if let Some(incident) = loaded.incident.as_ref().filter(|_| loaded.rejected.is_empty()) {
        // An id the project's repository does not have (or has several of) is
        // no commit of it: kept in the text, not cited, and the report says so.
        let unknown = unknown_commits(incident, config);
        if !unknown.is_empty() {
            for sha in &unknown {
                report.unsure.push(format!("`{sha}` is not a commit of the repository: kept in the text, not cited"));
            }
            rec.drop_commits(&unknown);
            toml = rec.to_toml();
            loaded = load(&toml);
        }
    }
    report.rejected = std::mem::take(&mut loaded.rejected);
    if report.rejected.is_empty() {
        report.refused = checked(&toml, loaded, config);
    }
    (toml, report)
}

/// A record's text as casebook's loader reads it, its TODOs filled (see
/// [`filled`]): the filled text, the incident when it loads, and the loader's
/// errors as `line:column: message [code]`. The record is parsed once for all
/// that judges it.
struct Loaded {
    filled: String,
    incident: Option<crate::model::Incident>,
    rejected: Vec<String>,
}

fn load(toml: &str) -> Loaded {
    let path = std::path::Path::new("imported.toml");
    let filled = filled(toml);
    let (incident, diags) = match crate::load::parse_record("imported", filled.clone().into_bytes(), path, None) {
        Ok((_, incident, diags)) => (incident, diags),
        Err((_, diags)) => (None, diags),
    };
    Loaded { filled, incident, rejected: lines_of(toml, &diags) }
}

/// The refusal of a record larger than casebook reads.
fn too_large(toml: &str) -> Option<String> {
    (toml.len() as u64 > crate::load::MAX_RECORD_BYTES).then(|| {
        format!(
            "1:1: the record would be larger than {} MiB, which casebook does not read [E0023]",
            crate::load::MAX_RECORD_BYTES / 1024 / 1024
        )
    })
}

/// The commit ids an incident cites that the project's repository does not
/// have, or has several commits for. Empty when it has no repository to ask.
fn unknown_commits(incident: &crate::model::Incident, config: &Config) -> std::collections::BTreeSet<String> {
    use crate::git::Resolution;
    let cited = incident.all_commit_refs();
    if cited.is_empty() {
        return Default::default();
    }
    let facts = crate::git::resolve(config, &[incident], crate::git::Depth { history: false, files: false });
    cited
        .into_iter()
        .filter(|c| {
            facts.resolved(&c.key()).is_some_and(|r| {
                matches!(r.resolution, Resolution::Missing { shallow: false } | Resolution::Ambiguous(_))
            })
        })
        .map(|c| c.sha.clone())
        .collect()
}

/// A record's text with its TODOs for required keys filled by stand-in values
/// of the same length, so lines and columns stay those of the record.
fn filled(toml: &str) -> String {
    // Only the top-level keys' TODOs: a document's own line that reads like one
    // is in a table's comments, after the first table.
    let unplaced = format!("# {}", draft::UNPLACED);
    // (`# TODO: title = ...` and so on, with the stand-in for each.)
    let stand_ins: Vec<(String, &str)> = [
        (draft::TODO_TITLE, "title = \"T\""),
        (draft::TODO_DATE, "date = 2000-01-01"),
        (draft::TODO_STATUS, "status = \"resolved\""),
        (draft::TODO_SUMMARY, "summary = \"S\""),
    ]
    .into_iter()
    .map(|(todo, value)| (format!("# {} = ", todo.split(" = ").next().unwrap_or(todo)), value))
    .collect();
    let mut in_tables = false;
    toml.split_inclusive('\n')
        .map(|line| {
            in_tables |= line.starts_with('[') || line.starts_with(&unplaced);
            if in_tables {
                return line.to_string();
            }
            match stand_ins.iter().find(|(todo, _)| line.starts_with(todo.as_str())) {
                Some((_, value)) => {
                    format!("{value}{}\n", " ".repeat(line.trim_end().len().saturating_sub(value.len())))
                }
                None => line.to_string(),
            }
        })
        .collect()
}

/// Diagnostics as `line:column: message [code]` in `toml`.
fn lines_of(toml: &str, diags: &[crate::diag::Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let (line, col) = d.span.map_or((1, 1), |s| crate::diag::line_col(toml, s.start));
            format!("{line}:{col}: {} [{}]", d.message, d.code.as_str())
        })
        .collect()
}

/// The errors `casebook check` finds in a record that loads, judged on its own
/// (with the project's configuration, without git): the secrets scan and the
/// checks of one record. Empty when it checks.
pub fn refused(toml: &str, config: &Config) -> Vec<String> {
    match too_large(toml) {
        Some(refusal) => vec![refusal],
        None => checked(toml, load(toml), config),
    }
}

/// [`refused`] of a record already loaded.
fn checked(toml: &str, loaded: Loaded, config: &Config) -> Vec<String> {
    let Some(incident) = loaded.incident else { return Vec::new() };
    let path = std::path::Path::new("imported.toml");
    let record = crate::load::Record { path: path.to_path_buf(), incident };
    let opts = crate::check::CheckOptions { today: chrono::Utc::now().date_naive(), warnings: false };
    let mut diags = crate::check::record_checks(&record, config, &opts);
    diags.extend(crate::check::scan_secrets(path, &loaded.filled));
    lines_of(toml, &diags)
}

/// What casebook's own loader says of a record's text once its TODOs are filled:
/// each error as `line:column: message [code]`. Empty when the record loads. A
/// required key left as a `# TODO` (the document does not give it) is for the
/// person importing to fill in, so it is judged filled with a stand-in value (of
/// the same length, so lines and columns stay those of the record).
pub fn rejected(toml: &str) -> Vec<String> {
    load(toml).rejected
}

impl Draft {
    fn kept(&mut self, s: &Section, why: &str) {
        self.report.mapped.push((s.title.clone(), why.to_string()));
    }

    /// A part of the document kept verbatim in `[[sections]]`, after the standard
    /// section it is closest to.
    fn keep(&mut self, title: &str, body: &str, after: Option<SectionAnchor>) {
        if body.trim().is_empty() {
            // An empty part shows as a bare heading: said in a comment instead.
            self.rec.empty.push(format!("\"{}\"", unbold(title)));
            return;
        }
        self.rec.sections.push(draft::Section { title: unbold(title), body: body.trim().to_string(), after });
    }

    /// The top-level keys the preamble gives: title, date, timezone, severity,
    /// status; the rest of the preamble is kept as a section. Returns the date.
    fn header(
        &mut self,
        text: &str,
        preamble: &str,
        title: &Option<String>,
        secs: &[Section],
        levels: &[String],
    ) -> Option<chrono::NaiveDate> {
        let pre = fields(preamble);
        let title_text = title.clone().or_else(|| field(&pre, &["issue", "title"]).map(str::to_string));
        match &title_text {
            Some(t) => self.rec.title = Some(unbold(t)),
            None => self.report.todos.push("title: the document has no title".into()),
        }
        if let (Some(issue), Some(_)) = (field(&pre, &["issue"]), &title) {
            self.keep("Issue", issue, Some(SectionAnchor::Summary));
        }
        // The date: a Date field, else the title, else the first date in the
        // timeline or the summary; written as a person writes it or as ISO.
        // A `## Incident date(s)` section is the field written as a section.
        let date_section = secs
            .iter()
            .find(|s| {
                ["date", "dates", "incident date", "incident dates", "incident date s"]
                    .contains(&norm(&s.title).as_str())
            })
            .map(|s| s.body.as_str());
        let stated = field(&pre, &["date", "incident date"]).or(date_section);
        // A stated date that is no day of the calendar (2024-02-30): its words go
        // into the record's TODO or beside the date found elsewhere.
        let unread = stated.filter(|d| document::date_in(d).is_none() && NOT_A_DAY.is_match(d));
        // 03/05/2024 is a day either way round: ambiguous, not impossible.
        let ambiguous = unread.is_some_and(|d| {
            NOT_A_DAY.find(d).is_some_and(|m| {
                let parts: Vec<u32> = m.as_str().split('/').filter_map(|p| p.parse().ok()).collect();
                parts.len() == 3
                    && chrono::NaiveDate::from_ymd_opt(parts[2] as i32, parts[1], parts[0]).is_some()
                    && chrono::NaiveDate::from_ymd_opt(parts[2] as i32, parts[0], parts[1]).is_some()
            })
        });
        let impossible = unread;
        if let Some(d) = unread {
            self.report.todos.push(match ambiguous {
                true => format!("date: the document says {}, whose day and month could be either way round", d.trim()),
                false => format!("date: the document says {}, which is not a day of the calendar", d.trim()),
            });
            self.rec.date_said = Some(d.trim().to_string());
        }
        // The date: the field, else the title, else the timeline's or the
        // summary's first (a guess the report says).
        let from_field = stated.and_then(document::date_in);
        let from_title = || title.as_deref().and_then(document::date_in);
        let from_text = || {
            secs.iter()
                .filter(|s| matches!(classify(&s.title), Kind::Timeline | Kind::Summary))
                .find_map(|s| document::date_in(&s.full_text()).map(|d| (d, s.title.clone())))
        };
        let dated = from_field.clone().or_else(from_title).or_else(|| {
            let ((d, said), heading) = from_text()?;
            self.report.unsure.push(format!("the date {d} is the first in \"{heading}\": the document states none"));
            Some((d, said))
        });
        // A range ("2019-02-18 - 2019-04-05") gives its first day; the range is
        // said beside it, as the document writes it.
        static RANGE: LazyLock<Regex> =
            LazyLock::new(|| crate::pattern::compile(r"(?i)^\s*(\S.*?)\s+(?:-|–|—|to|until|through)\s+(\S.*?)\s*$"));
        let range = stated.map(str::trim).filter(|s| !s.contains('\n')).and_then(|s| {
            let c = RANGE.captures(s)?;
            let (from, to) = (document::date_in(&c[1])?, document::date_in(&c[2])?);
            (from.0 < to.0).then(|| (from.0, c[0].trim().to_string()))
        });
        // The field's other words ("2024-03-05 (approximately, the Tuesday
        // after the freeze)") are said beside the date.
        let field_words = stated.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
        self.rec.date = dated.as_ref().map(|(d, said)| match &range {
            Some((first, words)) if first == d => {
                Said::from(*d, format!("{words} (the record's date is its first day)"))
            }
            _ if from_field.as_ref().is_some_and(|(f, _)| f == d)
                && field_words.as_deref().is_some_and(|w| w != said && w.len() < 200) =>
            {
                Said::from(*d, field_words.clone().unwrap_or_default())
            }
            _ if d.to_string() == *said => match impossible {
                Some(i) => Said::from(*d, format!("{said}; the document's date, {}, is no day", i.trim())),
                None => Said::plain(*d),
            },
            _ => Said::from(*d, said.as_str()),
        });
        if dated.is_none() && unread.is_none() {
            self.report.todos.push("date: no date found; times of day cannot be placed".into());
        }
        self.rec.timezone = match document::stated_zone(text) {
            Some((zone, said)) => Some(Said::from(zone, said)),
            None if preamble.contains("UTC") || text.contains(" UTC") => {
                // Times written with "UTC" beside them, and no sentence for all:
                // UTC. When another zone is named too, that is a guess, and said.
                let in_timeline = secs
                    .iter()
                    .filter(|s| classify(&s.title) == Kind::Timeline)
                    .any(|s| s.title.contains("UTC") || s.full_text().contains("UTC"));
                if !in_timeline && !preamble.contains("UTC") {
                    self.report.unsure.push(
                        "the zone is read as UTC from a mention of UTC outside the timeline; the document states none"
                            .into(),
                    );
                } else if document::other_zone_named(text) {
                    self.report.unsure.push(
                        "the zone is read as UTC from times written with \"UTC\", but the document names another zone too".into(),
                    );
                }
                Some(Said::from("UTC".into(), "times written with UTC"))
            }
            None => {
                self.report
                    .todos
                    .push("timezone: the document does not say which zone its times are in (UTC assumed)".into());
                self.report.unsure.push("every time is read as UTC: the document does not say its zone".into());
                None
            }
        };
        if let Some(sev) = field(&pre, &["severity", "sev", "priority"]) {
            // "SEV-2", "Sev 2", "sev2" are the default levels' SEV2.
            static SEV: LazyLock<Regex> =
                LazyLock::new(|| crate::pattern::compile(r"(?i)^\s*sev(?:erity)?[\s_-]*(\d)\b"));
            let original = unbold(sev);
            let severity = match SEV.captures(&original) {
                Some(c) if format!("SEV{}", &c[1]) != original => {
                    Said::from(format!("SEV{}", &c[1]), original.as_str())
                }
                _ => Said::plain(original.clone()),
            };
            // A level the project does not configure ("P1") is for the person
            // importing to map: a TODO with the document's words, not a guess.
            if levels.contains(&severity.value) {
                self.rec.severity = Some(severity);
            } else {
                self.report.todos.push(format!(
                    "severity: the document says \"{original}\", which is not a configured level ({})",
                    levels.join(", ")
                ));
                self.rec.severity_said = Some((original, levels.to_vec()));
            }
        }
        // A field, or a section of its own (`## Status`, `## Authors`): its first line.
        let section_line = |names: &[&str]| {
            secs.iter()
                .find(|s| names.contains(&norm(&s.title).as_str()))
                .and_then(|s| s.body.lines().map(str::trim).find(|l| !l.is_empty()))
                .map(|l| l.trim_start_matches(['-', '*', ' ']).to_string())
        };
        let status_said = field(&pre, &["status"]).map(str::to_string).or_else(|| section_line(&["status"]));
        // A status word, whole ("Unresolved" and "Incomplete" are not resolved)
        // and not denied ("not fixed").
        let says = |s: &str, word: &str| {
            s.match_indices(word).any(|(at, _)| {
                let before = s[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
                let after = s[at + word.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
                before && after && !document::said_not(s, at)
            })
        };
        let status = status_said.as_deref().map(str::to_lowercase).and_then(|s| {
            [Status::Closed, Status::Resolved, Status::Monitoring, Status::Identified, Status::Investigating]
                .into_iter()
                .find(|k| says(&s, k.as_str()))
                .or_else(|| {
                    ["complete", "completed", "done", "fixed", "final"]
                        .iter()
                        .any(|w| says(&s, w))
                        .then_some(Status::Resolved)
                })
        });
        // Else a sentence that says it: "This incident has since been resolved".
        static SAID_RESOLVED: LazyLock<Regex> = LazyLock::new(|| {
            crate::pattern::compile(
                r"(?i)\b(?:this|the) (?:incident|issue|outage|problem) (?:has (?:since |now )?been|was|is now) (?:resolved|fixed)\b",
            )
        });
        match (status, status_said) {
            (Some(s), Some(said)) => self.rec.status = Some(Said::from(s, said)),
            // (Only when the document has no status words of its own.)
            (_, said) => match SAID_RESOLVED.find(text).filter(|m| {
                said.is_none() && !document::said_not(text, m.start()) && !document::taken_back(text, m.end())
            }) {
                Some(m) => self.rec.status = Some(Said::from(Status::Resolved, format!("\"{}\"", m.as_str()))),
                None => {
                    // Words that say no status casebook knows ("Unresolved") are
                    // kept in the TODO, for the person importing to map.
                    match &said {
                        Some(w) => self.report.todos.push(format!("status: the document says \"{w}\"")),
                        None => self.report.todos.push("status: not stated".into()),
                    }
                    self.rec.status_said = said;
                }
            },
        }
        // Authors: a field ("Created by: ...", front matter's `author:`) or an
        // `## Authors` section; names split at commas and "and", links dropped.
        let authors_said = field(&pre, &["authors", "author", "created by", "written by"])
            .map(str::to_string)
            .or_else(|| section_line(&["authors", "author"]));
        if let Some(said) = authors_said {
            static LINK_TEXT: LazyLock<Regex> = LazyLock::new(|| crate::pattern::compile(r"\[([^\]]+)\]\([^)]*\)"));
            let plain = LINK_TEXT.replace_all(&said, "$1").replace(['*', '_', '`'], "");
            let names: Vec<String> = plain
                .split([',', ';'])
                .flat_map(|p| p.split(" and "))
                .map(|n| n.trim().trim_start_matches('@').trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
            if !names.is_empty() {
                // The field's name too ("Created by: ..."): the record keeps every word.
                let key = pre
                    .iter()
                    .find(|(k, v)| {
                        ["authors", "author", "created by", "written by"].contains(&norm(k).as_str()) && *v == said
                    })
                    .map(|(k, _)| k.as_str());
                let words = match key {
                    Some(k) => format!("{k}: {said}"),
                    None => said,
                };
                self.rec.authors = Some(Said::from(names, words));
            }
        }
        // Tags (front matter's `tags: [a, b]` or `tags:` list): the record's tags.
        if let Some(said) = field(&pre, &["tags", "tag", "labels"]) {
            let tags: Vec<String> = said
                .trim_matches(['[', ']'])
                .split(',')
                .map(|t| t.trim().trim_matches(['"', '\'']).to_string())
                .filter(|t| !t.is_empty())
                .collect();
            if !tags.is_empty() {
                let key = pre.iter().find(|(_, v)| v == said).map_or("tags", |(k, _)| k.as_str());
                self.rec.tags = Some(Said::from(tags, format!("{key}: {said}")));
            }
        }
        // Preamble fields not mapped above are kept: a field is left out only
        // when its first occurrence gave a value (a title under an H1, a second
        // Date line, "Date: Q1 2024" stay).
        let title_from_field = title.is_none() && self.rec.title.is_some();
        let mut used: Vec<&str> = Vec::new();
        if title_from_field {
            used.extend(["issue", "title"]);
        }
        if title.is_some() {
            used.push("issue"); // kept as its own section above
        }
        if from_field.is_some() || unread.is_some() {
            used.extend(["date", "incident date"]);
        }
        if self.rec.status.is_some() || self.rec.status_said.is_some() {
            used.push("status");
        }
        if self.rec.severity.is_some() || self.rec.severity_said.is_some() {
            used.extend(["severity", "sev", "priority"]);
        }
        if self.rec.authors.is_some() {
            used.extend(["authors", "author", "created by", "written by"]);
        }
        if self.rec.tags.is_some() {
            used.extend(["tags", "tag", "labels"]);
        }
        let mut seen: Vec<String> = Vec::new();
        let other_pre: Vec<String> = pre
            .iter()
            .filter(|(k, v)| {
                let key = norm(k);
                let first = !seen.contains(&key);
                seen.push(key.clone());
                !(v.is_empty() || first && used.contains(&key.as_str()))
            })
            .map(|(k, v)| format!("- **{k}**: {v}"))
            .collect();
        if !other_pre.is_empty() {
            self.keep("About this document", &other_pre.join("\n"), Some(SectionAnchor::Summary));
        }
        // The preamble's prose (not its `Key: value` lines): the summary when the
        // document has no summary section, else a section of its own after it.
        // (A bold line alone, `**What Happened**`, is a pseudo-heading: prose.)
        let prose: Vec<&str> = preamble.lines().filter(|l| fields(l).iter().all(|(_, v)| v.is_empty())).collect();
        let prose = prose.join("\n").trim().to_string();
        // Prose that only states the zone ("All times PDT.") is the timezone's
        // comment, not a section of its own.
        let only_the_zone = document::stated_zone(&prose).is_some_and(|(_, said)| {
            !prose.replacen(&said, "", 1).chars().any(char::is_alphanumeric)
                && self.rec.timezone.as_ref().is_some_and(|z| z.words.as_deref() == Some(said.as_str()))
        });
        if !prose.is_empty() && !only_the_zone {
            if self.rec.summary.is_none() && !secs.iter().any(|s| classify(&s.title) == Kind::Summary) {
                self.rec.summary = Some(Said::from(prose, "the text before the first section"));
            } else {
                self.keep("Introduction", &prose, Some(SectionAnchor::Summary));
            }
        }
        dated.map(|(d, _)| d)
    }

    /// One section of the document, by its kind.
    fn section(&mut self, s: &Section, date: Option<chrono::NaiveDate>) {
        let full = s.full_text();
        match classify(&s.title) {
            Kind::Summary
                if self
                    .rec
                    .summary
                    .as_ref()
                    .is_some_and(|s| s.words.as_deref() != Some("the text before the first section")) =>
            {
                // A second summary is kept beside the first.
                self.keep(&s.title, &full, Some(SectionAnchor::Summary));
                self.kept(s, "[[sections]] after summary (a second summary)");
            }
            Kind::Summary => {
                let heading = format!("{} {}", "#".repeat(s.level), s.title);
                self.rec.summary = Some(Said::from(full.trim().to_string(), heading));
                self.kept(s, "summary");
            }
            Kind::Conclusion => {
                self.rec.conclusion = Some(full.trim().to_string());
                self.kept(s, "conclusion");
            }
            Kind::Impact => {
                self.impact_part(s, &full);
                self.kept(s, "[impact]");
            }
            Kind::Timeline => self.timeline_section(s, date),
            Kind::Causes => self.causes_section(s),
            Kind::Lessons => self.lessons_section(s),
            Kind::Actions => self.actions_section(s),
            Kind::Verification => self.verification_section(s),
            Kind::Cost => self.cost_section(s),
            Kind::Changes => self.changes_section(s),
            Kind::Links => self.links_section(s),
            Kind::Other => self.other_section(s),
        }
    }

    /// A part of the document about impact: its text, read into `[impact]` at the end.
    fn impact_part(&mut self, s: &Section, text: &str) {
        self.impact_from.push(format!("From \"{} {}\"", "#".repeat(s.level), s.title));
        self.impact.push_str(text);
        self.impact.push('\n');
    }

    /// The record, with what only the whole document gives: the created and
    /// updated stamps, and `[impact]` from every impact part.
    fn finish(self, text: &str) -> (draft::Record, ImportReport) {
        let Draft { mut report, mut rec, impact, impact_from, marked, timeline_day: _ } = self;
        // A timeline whose words mark the incident resolved states its status.
        // (Not when the document's own status words say otherwise: they stay a TODO.)
        if rec.status.is_none()
            && rec.status_said.is_none()
            && let Some(at) = marked.get(&MomentKind::Resolved)
        {
            rec.status = Some(Said::from(Status::Resolved, format!("the timeline marks it resolved at {at}")));
            report.todos.retain(|t| !t.starts_with("status:"));
            report.unsure.push(format!("status read as resolved from the timeline's words at {at}"));
        }
        // Created / updated lines anywhere in the document.
        let all_fields = fields(text);
        let stamp = |names: &[&str]| -> Option<toml_edit::Datetime> {
            let v = field(&all_fields, names)?;
            let d = DATE.captures(v)?;
            let t = TIME.captures(v);
            let text = match t {
                Some(t) => format!("{}T{:0>2}:{}:00Z", &d[0], &t[1], &t[2]),
                None => d[0].to_string(),
            };
            text.parse().ok()
        };
        match &rec.summary {
            None => report.todos.push("summary: no summary section".into()),
            // A document with no cause section may state its causes in its summary.
            Some(summary) if rec.causes.is_empty() => {
                let causes = document::stated_causes(&summary.value);
                if !causes.is_empty() {
                    let from = "From the summary, which states these causes in words".to_string();
                    draft::group(&mut rec.causes, vec![from]);
                    for c in causes {
                        draft::push(&mut rec.causes, c);
                    }
                    report.mapped.push(("(summary's sentences)".into(), "[[causes]]".into()));
                }
            }
            Some(_) => {}
        }
        rec.created = stamp(&["document created", "created"]);
        rec.updated = stamp(&["last updated", "updated"]);
        if !impact_from.is_empty() && impact.trim().is_empty() {
            // Empty impact sections state nothing: their headings are said in a comment.
            rec.empty.extend(impact_from.iter().cloned());
        } else if !impact_from.is_empty() {
            let f = fields(&impact);
            rec.impact = Some(draft::Impact {
                from: impact_from,
                downtime: field(&f, &["downtime"]).and_then(human_duration),
                users_affected: field(&f, &["users affected", "affected users"]).and_then(|v| {
                    v.split(|c: char| !c.is_ascii_digit()).find(|x| !x.is_empty()).and_then(|n| n.parse().ok())
                }),
                data_loss: field(&f, &["data loss"]).map(str::to_string),
                revenue: field(&f, &["revenue impact", "revenue"]).map(str::to_string),
                notes: document::notes(&impact),
            });
        }
        (rec, report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An import for a project with the default configuration.
    fn import(markdown: &str) -> (String, ImportReport) {
        super::import(markdown, &Config::defaults(std::path::Path::new(".")))
    }

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
    fn the_loader_judges_what_an_import_makes() {
        assert!(rejected("title = \"T\"\nstatus = \"resolved\"\ndate = 2024-02-01\nsummary = \"S.\"\n").is_empty());
        let bad = rejected("title = \"T\"\nstatus = \"resolved\"\ndate = 2024-02-30\n");
        assert!(bad.len() == 1 && bad[0].starts_with("3:8: "), "{bad:?}");
        // An impossible date in the document becomes a TODO, not a record that fails.
        let (toml, report) = import("# T\n\n**Date**: 2024-02-30\n\n**Status**: resolved\n\n## Summary\n\nS.\n");
        assert!(report.rejected.is_empty(), "{:?}\n{toml}", report.rejected);
        assert!(report.todos.iter().any(|t| t.contains("2024-02-30, which is not a day")), "{:?}", report.todos);
    }

    #[test]
    fn dates_as_people_write_them() {
        let day = |t: &str| document::date_in(t).map(|(d, said)| (d.to_string(), said));
        assert_eq!(day("on May 30th, 2019 at noon"), Some(("2019-05-30".into(), "May 30th, 2019".into())));
        assert_eq!(day("August 12 2025"), Some(("2025-08-12".into(), "August 12 2025".into())));
        assert_eq!(day("- Date: 2025-DEC-5"), Some(("2025-12-05".into(), "2025-DEC-5".into())));
        assert_eq!(day("12 August 2025"), Some(("2025-08-12".into(), "12 August 2025".into())));
        assert_eq!(day("2024-02-30, then 2024-03-01"), Some(("2024-03-01".into(), "2024-03-01".into())));
        assert_eq!(day("version 1.2.3"), None);
        assert_eq!(day("Incident on 28/11/2024"), Some(("2024-11-28".into(), "28/11/2024".into())));
        assert_eq!(day("on 11/28/2024"), Some(("2024-11-28".into(), "11/28/2024".into())));
        assert_eq!(day("on 03/04/2024"), None, "day and month could be either way round");
    }

    #[test]
    fn entities_and_front_matter() {
        assert_eq!(rewrite::decode_entities("S&amp;O said &quot;no&quot; &lt;b&gt;"), "S&O said \"no\" &lt;b&gt;");
        let text =
            rewrite::front_matter_as_fields("---\ntitle: \"Cache outage\"\ndate: 2021-07-02\n---\n# Cache outage\n");
        assert!(text.starts_with("**title**: Cache outage\n\n**date**: 2021-07-02\n\n# Cache outage"), "{text}");
        assert_eq!(rewrite::front_matter_as_fields("no front matter\n---\n"), "no front matter\n---\n");
        let yaml =
            rewrite::front_matter_as_fields("---\nauthors:\n  - ewdurbin\n  - di\ndate: 2025-04-14\n---\nText\n");
        assert!(yaml.starts_with("**authors**: ewdurbin, di\n\n**date**: 2025-04-14\n\nText"), "{yaml}");
        let folded = rewrite::front_matter_as_fields(
            "---\ndescription: We responded to an incident\n  via Organization Teams\ntags:\n  - security\n---\nText\n",
        );
        assert!(
            folded.starts_with(
                "**description**: We responded to an incident via Organization Teams\n\n**tags**: security"
            ),
            "{folded}"
        );
        let toml = rewrite::front_matter_as_fields("+++\ntitle = \"Docs.rs outage\"\n+++\nText\n");
        assert!(toml.starts_with("**title**: Docs.rs outage\n\nText"), "{toml}");
    }

    #[test]
    fn strings_are_written_so_that_they_load() {
        // Control characters, quotes, an unclosed fence and a comment's worth of
        // hostile words: the record the draft writes still loads, with each value whole.
        let hostile = "a\u{7}b \"\"\" c\n```\ncode that never ends";
        let rec = draft::Record {
            title: Some("T \"quoted\" \\ back".into()),
            date: Some(Said::from(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), "Jan 1\u{b}\n2024")),
            status: Some(Said::from(Status::Resolved, "done\nstatus = \"x\"")),
            summary: Some(Said::from(hostile.to_string(), "## Summary\u{7}")),
            ..Default::default()
        };
        let toml = rec.to_toml();
        assert!(rejected(&toml).is_empty(), "{:?}\n{toml}", rejected(&toml));
        let doc: toml::Table = toml::from_str(&toml).unwrap();
        assert_eq!(doc["title"].as_str(), Some("T \"quoted\" \\ back"));
        assert_eq!(doc["summary"].as_str(), Some("a\u{7}b \"\"\" c\n```\ncode that never ends\n```"));
        assert!(toml.contains("date = 2024-01-01  # the document: Jan 1 2024\n"), "{toml}");
        assert!(toml.contains("status = \"resolved\"  # done status = \"x\"\n"), "{toml}");
    }

    #[test]
    fn missing_facts_are_todo_lines_that_rejected_fills() {
        // The TODO lines are written as the constants say (filled() finds them by their key).
        for todo in [draft::TODO_TITLE, draft::TODO_DATE, draft::TODO_TIMEZONE, draft::TODO_STATUS, draft::TODO_SUMMARY]
        {
            assert_eq!(draft::comment(todo), todo);
        }
        let toml = draft::Record::default().to_toml();
        for todo in [draft::TODO_TITLE, draft::TODO_DATE, draft::TODO_TIMEZONE, draft::TODO_STATUS, draft::TODO_SUMMARY]
        {
            assert!(toml.contains(&format!("\n# {todo}\n")), "{todo}\n{toml}");
        }
        assert!(rejected(&toml).is_empty(), "{:?}\n{toml}", rejected(&toml));
    }

    #[test]
    fn document_text_in_comments_keeps_the_record_loadable() {
        // A control character in a status line and a heading: the record still loads.
        let (toml, report) =
            import("# T\n\n**Date**: 2024-01-01\n\n**Status**: Complete\u{7} done\n\n## Summary\u{b}\n\nS.\n");
        assert!(report.rejected.is_empty(), "{:?}\n{toml}", report.rejected);
        assert!(toml.contains("status = \"resolved\"  # Complete done"), "{toml}");
    }

    #[test]
    fn comments_references_and_bold_rows() {
        let (text, notes) = rewrite::html_comments(
            "<!-- Source: https://x.test/a.md -->\n# T\n\nSee `<!-- not a comment -->` here <!-- inline\nnote -->.\n\n```\n<!-- code -->\n```\n",
        );
        assert_eq!(notes, ["Source: https://x.test/a.md", "inline note"]);
        assert!(
            text.starts_with("# T\n")
                && text.contains("`<!-- not a comment -->` here .")
                && text.contains("<!-- code -->")
        );
        let linked = rewrite::inline_references(
            "Sean opens [PR 2207][fix], asks [QuietMisdreavus] and [nobody].\n\n`[fix]` stays.\n\n[fix]: https://x.test/pull/2207\n[QuietMisdreavus]: https://x.test/q \"Q\"\n",
        );
        assert!(linked.starts_with("Sean opens [PR 2207](https://x.test/pull/2207), asks [QuietMisdreavus](https://x.test/q \"Q\") and [nobody]."), "{linked}");
        assert!(linked.contains("`[fix]` stays.") && linked.contains("[fix]: https://x.test/pull/2207"), "{linked}");
        let (toml, _) = import(
            "# T\n\n**Date**: 2020-02-20\n\n**Status**: resolved\n\n## Summary\n\nS.\n\n## Timeline\n\n- **21:17 UTC: the authors\n  published them**\n- 21:28 UTC: a report\n",
        );
        assert!(toml.contains("body = \"**the authors published them**\""), "{toml}");
        assert_eq!(
            rewrite::relative_images("See ![IOPS graph](./img/iops.png) and ![](https://x.test/a.png).\n"),
            "See *(image not imported: IOPS graph, ./img/iops.png)* and ![](https://x.test/a.png).\n"
        );
    }

    #[test]
    fn marks_need_words_that_say_them() {
        use crate::model::MomentKind::*;
        let marks = timeline::moment_marks;
        assert_eq!(marks("@cblecker reports on Slack that something is wrong"), [Detected]);
        assert_eq!(marks("Users report all launches are failing"), [Detected]);
        assert_eq!(marks("OSTIF notified conda-forge of the leaked token"), [Detected]);
        assert_eq!(marks("Incident declared"), [Detected]);
        assert_eq!(marks("crate builds started failing due to the low disk space"), [Started]);
        assert_eq!(marks("CDN propagated the changes, docs.rs back online"), [Mitigated]);
        assert_eq!(marks("Fix deployed on production"), [Resolved]);
        assert_eq!(marks("Hot fix deployed and live on PyPI"), [Resolved]);
        // Words that deny, ask or take back say nothing; nor does a position.
        assert!(marks("The alert did not fire, nobody noticed").is_empty());
        assert!(marks("Customer asked whether it was resolved").is_empty());
        assert!(marks("Pietro analyzes the crates.io database").is_empty());
        assert!(marks("The fix was not deployed").is_empty());
        assert!(marks("Nobody became aware of it").is_empty());
        assert!(marks("Alice reports to Bob").is_empty());
        assert!(marks("A fix was deployed to production but did not help").is_empty());
        assert!(marks("Fix deployed to staging for testing").is_empty());
        assert!(marks("Builds working again in staging, prod still broken").is_empty());
        assert!(marks("DNS resolved to the wrong address").is_empty());
    }

    #[test]
    fn a_record_too_large_to_read_is_refused() {
        let config = Config::defaults(std::path::Path::new("."));
        let big = "x".repeat(crate::load::MAX_RECORD_BYTES as usize + 1);
        assert!(refused(&big, &config)[0].contains("larger than 64 MiB"));
    }

    #[test]
    fn causes_stated_in_words() {
        let causes = |t: &str| -> Vec<(CauseRole, String)> {
            document::stated_causes(t).into_iter().map(|c| (c.role, c.title)).collect()
        };
        use crate::model::CauseRole;
        assert_eq!(
            causes("Prose first. The root cause for this incident is a bug in our NFS\ndeployment process. More."),
            [(CauseRole::Root, "A bug in our NFS deployment process".to_string())]
        );
        assert_eq!(
            causes(
                "The outage was caused by that bug, triggered by a response during [the outage](https://x.test/o) upstream."
            ),
            [
                (CauseRole::Root, "That bug".to_string()),
                (CauseRole::Trigger, "A response during the outage upstream".to_string())
            ]
        );
        assert!(causes("Launches failed due to load. We caused no harm.").is_empty(), "only words that say it");
    }

    #[test]
    fn stated_zones() {
        let zone = |t: &str| document::stated_zone(t).map(|(z, _)| z);
        assert_eq!(zone("All times in SAST."), Some("+02:00".to_string()));
        assert_eq!(zone("All times US/Pacific"), Some("US/Pacific".to_string()));
        assert_eq!(zone("| Time (UTC) | Event |"), Some("UTC".to_string()));
        assert_eq!(zone("All times in IST."), None, "India, Ireland or Israel: not guessed");
        assert_eq!(zone("at the time the alert fired"), None);
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
