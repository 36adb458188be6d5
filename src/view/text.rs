//! Record text made into output text, escaped for the place it lands, and the
//! formatting of times, moments and numbers that every page shares.

use crate::markdown::{inline_text, safe_markdown, table_cell};
use crate::model::*;
use chrono::{DateTime, FixedOffset};

/// Turns record text into output text: escaped for the place it lands. The view is
/// made from records that the public filter already went over when the output is
/// public (see [`crate::redact::public`]), so nothing here decides visibility.
pub struct Text;

impl Text {
    /// Markdown field.
    pub fn md(&self, s: &str) -> String {
        safe_markdown(s).trim().to_string()
    }

    pub fn md_opt(&self, s: &Option<String>) -> Option<String> {
        s.as_deref().map(|s| self.md(s)).filter(|s| !s.is_empty())
    }

    /// One-line plain text.
    pub fn line(&self, s: &str) -> String {
        inline_text(s)
    }

    pub fn line_opt(&self, s: &Option<String>) -> Option<String> {
        s.as_deref().map(|s| self.line(s))
    }

    /// One line that may be a web address (a ticket): a link when it is one a
    /// page may link to, else plain text.
    pub fn line_or_link(&self, s: &str) -> String {
        let web = ["http://", "https://"].iter().any(|p| s.to_ascii_lowercase().starts_with(p));
        match crate::markdown::link_destination(s)
            .filter(|_| web && !s.contains(char::is_whitespace) && !s.contains('|'))
        {
            Some(dest) => format!("[{}]({dest})", inline_text(s)),
            None => inline_text(s),
        }
    }

    pub fn lines(&self, v: &[String]) -> Vec<String> {
        v.iter().map(|s| self.line(s)).collect()
    }

    /// Table cell.
    pub fn cell(&self, s: &str) -> String {
        table_cell(s)
    }
}

pub fn time_of(w: &When, zone: &Zone, with_date: bool, with_offset: bool) -> String {
    if w.precision == Precision::Day {
        return w.day(zone).to_string();
    }
    // Written out by hand: chrono's strftime parses its pattern on every call, and a
    // build formats several times per timeline entry.
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    let local = zone.show(w.at);
    let mut s = String::with_capacity(32);
    if with_date {
        let _ = write!(s, "{:04}-{:02}-{:02} ", local.year(), local.month(), local.day());
    }
    let _ = write!(s, "{:02}:{:02}", local.hour(), local.minute());
    if local.second() != 0 {
        let _ = write!(s, ":{:02}", local.second());
    }
    if with_offset {
        s.push(' ');
        s.push_str(&zone.offset_label(w.at));
    }
    if w.precision == Precision::Approximate {
        s.insert(0, '~');
    }
    s
}

pub fn moment_label(k: MomentKind) -> &'static str {
    match k {
        MomentKind::Introduced => "Introduced",
        MomentKind::Started => "Impact started",
        MomentKind::Detected => "Detected",
        MomentKind::Acknowledged => "Acknowledged",
        MomentKind::Identified => "Cause identified",
        MomentKind::Mitigated => "Mitigated",
        MomentKind::Resolved => "Resolved",
    }
}

pub fn fmt_date(d: &DateTime<FixedOffset>) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The id mdBook gives a heading.
pub fn anchor(heading: &str) -> String {
    let mut out = String::new();
    for c in heading.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_is_a_link_only_to_a_web_address_a_page_may_link_to() {
        let t = Text;
        assert_eq!(t.line_or_link("https://x.test/issues/1"), "[https://x.test/issues/1](https://x.test/issues/1)");
        assert_eq!(t.line_or_link("OPS-12"), "OPS-12");
        assert!(!t.line_or_link("javascript:alert(1)").contains("]("));
        assert!(!t.line_or_link("https://x.test/a|b").contains("]("), "a pipe would split its table cell");
        assert!(!t.line_or_link("https://x.test/{{#include /etc/passwd}}").contains("{{"));
    }
}
