//! A month's archive page: its incidents' postmortems, one after the other.

use crate::markdown::inline_text;
use crate::model::Incident;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ArchiveView {
    pub month: String,
    pub members: Vec<ArchiveMember>,
    pub postmortems: Vec<ArchivePostmortem>,
}

#[derive(Debug, Serialize)]
pub struct ArchiveMember {
    pub date: String,
    pub title: String,
    pub anchor: String,
}

#[derive(Debug, Serialize)]
pub struct ArchivePostmortem {
    pub anchor: String,
    /// The rendered postmortem.
    pub text: String,
}

/// The anchor of an archived postmortem: its slug, with anything but letters, digits,
/// `-`, `_` and `.` made `-` (a file name may hold quotes or spaces; an HTML id may not).
pub fn archive_anchor(slug: &str) -> String {
    slug.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' }).collect()
}

/// A month's page: its incidents (newest first) and each one's rendered postmortem.
pub fn archive(month: &str, members: &[&Incident], postmortems: Vec<String>) -> ArchiveView {
    ArchiveView {
        month: month.to_string(),
        members: members
            .iter()
            .map(|i| ArchiveMember {
                date: i.date.to_string(),
                title: inline_text(&i.title),
                anchor: archive_anchor(&i.slug),
            })
            .collect(),
        postmortems: members
            .iter()
            .zip(postmortems)
            .map(|(i, text)| ArchivePostmortem { anchor: archive_anchor(&i.slug), text })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_anchors_are_safe_html_ids() {
        assert_eq!(archive_anchor("2025-03-01-db-down"), "2025-03-01-db-down");
        assert_eq!(archive_anchor("a \"b\"<c>"), "a--b--c-");
        assert_eq!(archive_anchor("v1.2_x"), "v1.2_x");
    }
}
