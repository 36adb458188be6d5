//! The index pages (incidents by month, service, severity, cause kind and tag) and
//! the commit index.

use super::{IncidentRow, Listing, anchor};
use crate::git::{GitFacts, Resolution};
use crate::markdown::{commit_link, inline_text};
use crate::model::Incident;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Serialize)]
pub struct IndexView<'a> {
    pub title: String,
    pub groups: Vec<IndexGroup<'a>>,
}

#[derive(Debug, Serialize)]
pub struct IndexGroup<'a> {
    pub key: String,
    /// The heading's anchor, for the links at the top.
    pub anchor: String,
    pub count: usize,
    pub rows: Vec<&'a IncidentRow>,
}

/// Incidents grouped by the keys `keys` gives each (a month, services, tags...),
/// groups in key order (`order` sorts them further; newest first reverses them).
pub fn by_key<'a>(
    title: &str,
    incidents: &[&Incident],
    keys: impl Fn(&Incident) -> Vec<String>,
    order: Option<&dyn Fn(&str) -> usize>,
    newest_first: bool,
    listing: &'a Listing,
) -> IndexView<'a> {
    let mut m: BTreeMap<String, Vec<&Incident>> = BTreeMap::new();
    for i in incidents {
        for k in keys(i) {
            m.entry(k).or_default().push(i);
        }
    }
    let mut groups: Vec<(String, Vec<&Incident>)> = m.into_iter().collect();
    if let Some(order) = order {
        groups.sort_by_key(|(k, _)| (order(k), k.clone()));
    }
    if newest_first {
        groups.reverse();
    }
    IndexView {
        title: title.to_string(),
        groups: groups
            .into_iter()
            .map(|(k, v)| IndexGroup {
                key: inline_text(&k),
                anchor: anchor(&k),
                count: v.len(),
                rows: listing.rows(&v),
            })
            .collect(),
    }
}

#[derive(Debug, Serialize)]
pub struct CommitIndexView {
    pub commits: Vec<IndexedCommitView>,
}

/// A commit in the index: its link, summary, and the incidents it belongs to.
#[derive(Debug, Serialize)]
pub struct IndexedCommitView {
    pub link: String,
    pub summary: String,
    /// The commit's day, or empty when git could not read it.
    pub date: String,
    /// Links to the incidents, joined with `<br>`.
    pub incidents: String,
}

/// Every commit a record cites or that names an incident, once each (by full id, or
/// as cited when git does not know it): newest commit first, then those git could not
/// read, newest citing incident first.
pub fn commit_index(incidents: &[&Incident], git: &GitFacts, listing: &Listing) -> CommitIndexView {
    struct Entry {
        /// Seconds since the epoch of a commit git read.
        time: Option<i64>,
        /// The newest incident that cites it.
        cited: chrono::NaiveDate,
        link: String,
        summary: String,
        incidents: BTreeSet<(String, String)>,
    }
    let mut m: BTreeMap<String, Entry> = BTreeMap::new();
    for i in incidents {
        let link_to_incident = || (i.slug.clone(), listing.row(i).link.clone());
        for c in i.all_commit_refs() {
            let res = git.resolved(&c.key());
            let (key, summary, time) = match res.map(|r| &r.resolution) {
                Some(Resolution::Found(info)) => {
                    (info.id.clone(), inline_text(&info.summary), Some(info.time.timestamp()))
                }
                _ => (c.key().to_string(), String::new(), None),
            };
            let short: String = key.rsplit('@').next().unwrap_or(&key).chars().take(12).collect();
            let link = commit_link(&short, res.and_then(|r| r.url.as_deref()));
            let e = m.entry(key).or_insert_with(|| Entry {
                time,
                cited: i.date,
                link,
                summary,
                incidents: BTreeSet::new(),
            });
            e.cited = e.cited.max(i.date);
            e.incidents.insert(link_to_incident());
        }
        for mention in git.mentions_of(&i.id) {
            let short: String = mention.commit.id.chars().take(12).collect();
            let e = m.entry(mention.commit.id.clone()).or_insert_with(|| Entry {
                time: Some(mention.commit.time.timestamp()),
                cited: i.date,
                link: commit_link(&short, mention.url.as_deref()),
                summary: inline_text(&mention.commit.summary),
                incidents: BTreeSet::new(),
            });
            e.incidents.insert(link_to_incident());
        }
    }
    let mut entries: Vec<(String, Entry)> = m.into_iter().collect();
    entries.sort_by(|(ka, a), (kb, b)| match (a.time, b.time) {
        (Some(x), Some(y)) => y.cmp(&x).then_with(|| ka.cmp(kb)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => b.cited.cmp(&a.cited).then_with(|| ka.cmp(kb)),
    });
    CommitIndexView {
        commits: entries
            .into_iter()
            .map(|(_, e)| IndexedCommitView {
                link: e.link,
                summary: e.summary,
                date: e
                    .time
                    .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                    .map(|d| d.date_naive().to_string())
                    .unwrap_or_default(),
                incidents: e.incidents.into_iter().map(|(_, l)| l).collect::<Vec<_>>().join("<br>"),
            })
            .collect(),
    }
}
