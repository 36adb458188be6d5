//! The record's header: format version, timezone, stated date, required keys.

use super::{Lower, sp};
use crate::diag::{Code, did_you_mean};
use crate::load::raw::{RawTime, Sp};
use crate::model::{Span, Status, Zone};
use chrono::NaiveDate;

/// `format`, when this casebook reads it.
pub(super) fn format(l: &mut Lower<'_>, format: Option<Sp<i64>>) -> Option<i64> {
    let Some(f) = format else { return Some(1) };
    if f.value == 1 {
        return Some(1);
    }
    l.error(
        Code::UnsupportedFormat,
        format!("format version {} is not supported; this casebook reads version 1", f.value),
        sp(&f.span),
    )
    .hint("upgrade casebook, or set `format = 1` if the record follows version 1");
    None
}

pub(super) fn timezone(l: &mut Lower<'_>, tz: Option<Sp<String>>) {
    let Some(tz) = tz else { return };
    match Zone::parse(&tz.value) {
        Some(z) => l.zone = z,
        None => {
            let hint = match did_you_mean(&tz.value, Zone::known_names()) {
                Some(s) => format!("did you mean \"{s}\"? Use an IANA name or an offset such as \"+02:00\""),
                None => "use an IANA name (\"Europe/Berlin\", \"UTC\") or an offset such as \"+02:00\"".to_string(),
            };
            l.error(Code::UnknownTimezone, format!("unknown timezone \"{}\"", tz.value), sp(&tz.span))
                .label("not a timezone")
                .hint(hint);
        }
    }
}

/// `date`, when stated: a date alone.
pub(super) fn stated_date(l: &mut Lower<'_>, date: Option<Sp<RawTime>>) {
    if let Some(d) = date {
        l.date = plain_date(l, &d, "date", "put the time in `started` or the timeline");
    }
}

/// A key that takes a date alone (`date`, `actions_as_of`).
pub(super) fn plain_date(l: &mut Lower<'_>, d: &Sp<RawTime>, key: &str, advice: &str) -> Option<NaiveDate> {
    let t = &d.value.0;
    match (t.date, t.time) {
        (Some(date), None) => {
            let day = NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32);
            if day.is_none() {
                l.error(Code::BadTime, format!("`{key}` is not a real date"), sp(&d.span))
                    .hint("use a date that exists on the calendar");
            }
            day
        }
        _ => {
            l.error(Code::BadTime, format!("`{key}` takes a date alone, such as 2025-11-16"), sp(&d.span))
                .label("not a plain date")
                .hint(format!("write the day as YYYY-MM-DD; {advice}"));
            None
        }
    }
}

/// The keys every record has.
pub(super) struct Required {
    pub title: String,
    pub summary: String,
    pub status: Status,
}

/// `title`, `summary` and `status`, each reported when missing.
pub(super) fn required(
    l: &mut Lower<'_>,
    title: Option<Sp<String>>,
    summary: Option<Sp<String>>,
    status: Option<Sp<String>>,
) -> Required {
    let mut missing = Vec::new();
    if title.is_none() {
        missing.push("title");
    }
    if summary.is_none() {
        missing.push("summary");
    }
    let status = match &status {
        Some(s) => l.keyword(s, Status::parse, Status::names(), "status"),
        None => {
            missing.push("status");
            None
        }
    };
    for key in &missing {
        let hint = match *key {
            "title" => "add `title = \"What users saw\"`",
            "summary" => "add `summary = \"\"\"What happened, in a paragraph.\"\"\"`",
            _ => "add `status = \"investigating\"` (or identified, monitoring, resolved, closed)",
        };
        l.error(Code::MissingKey, format!("missing required key \"{key}\""), Span::default()).hint(hint);
    }
    Required {
        title: title.map(|t| t.value).unwrap_or_default(),
        summary: l.markdown(summary, "summary").unwrap_or_default(),
        status: status.unwrap_or_default(),
    }
}
