//! Cross-record figures on a fixture of twelve incidents (tests/fixtures/figures/),
//! every expected value worked out by hand from the records, in the comments here,
//! never copied from the output. Today is 2026-01-01 (the harness's `--today`).
//!
//! The records, as the figures see them (times UTC; "det" = started → detected,
//! "mit"/"res" = started, else detected, → mitigated/resolved):
//!
//! | id | date       | sev   | status        | services | cause kinds        | det   | mit  | res    |
//! |----|------------|-------|---------------|----------|--------------------|-------|------|--------|
//! | 01 | 2024-01-01 | SEV1  | closed        | api, db  | config             | 5m    | 45m  | 2h     |
//! | 02 | 2024-07-02 | SEV2  | resolved      | api      | code bug           | 20m   | 1h   | 3h     |
//! | 03 | 2024-07-20 | SEV1  | resolved      | db       | capacity           | -10m  | 30m  | 2h     |
//! | 04 | 2024-11-05 | SEV3  | closed        | web      | dependency         | 30m   | 1h   | 1h 30m |
//! | 05 | 2025-01-10 | SEV2  | monitoring    | api      | config             | 15m   | 1h   | –      |
//! | 06 | 2025-01-01 | SEV1  | resolved      | api, web | config, code bug   | ~10m  | ~1h  | ~3h    |
//! | 07 | 2025-05-20 | SEV3  | investigating | db       | –                  | -30m  | –    | –      |
//! | 08 | 2025-05-28 | SEV2  | resolved      | web      | dependency         | 5m    | 35m  | 2h     |
//! | 09 | 2025-08-01 | SEV4  | closed        | docs     | process            | –     | 20m* | 1h*    |
//! | 10 | 2025-10-12†| SEV1  | resolved      | db, api  | capacity           | 2m    | 1h   | 4h     |
//! | 11 | 2025-12-24 | unset | resolved      | web      | code bug           | 40m   | 1h   | 2h     |
//! | 12 | 2025-12-29 | SEV2  | identified    | api      | config             | 10m   | 50m  | –      |
//!
//! `~` approximate (06's start is an estimate); `*` measured from detection (09 has
//! no `started`); † no `date`: the day of `started`, not of its first timeline
//! entry (a commit a year earlier).

use crate::project::{Git, Project};
use std::collections::BTreeMap;

/// The fixture in a project whose git history holds the six commits it cites, c1
/// (oldest) to c6 (newest); returns the project and the commits' full ids.
fn fixture() -> (Project, Vec<String>) {
    let p = Project::new();
    let git: Git = p.git();
    let shas: Vec<String> =
        (1..=6).map(|n| git.commit(n, &format!("c{n}: fix number {n}"), &[(&format!("src/f{n}.rs"), "x")])).collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/figures");
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for path in names {
        let mut text = std::fs::read_to_string(&path).unwrap();
        text = text.replace("{c2short}", &shas[1][..7]);
        for (n, sha) in shas.iter().enumerate() {
            text = text.replace(&format!("{{c{}}}", n + 1), sha);
        }
        p.write(path.file_name().unwrap().to_str().unwrap(), text);
    }
    (p, shas)
}

fn count_pairs(v: &serde_json::Value) -> Vec<(String, u64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| (c["key"].as_str().unwrap().to_string(), c["count"].as_u64().unwrap()))
        .collect()
}

fn pairs(v: &[(&str, u64)]) -> Vec<(String, u64)> {
    v.iter().map(|(k, n)| (k.to_string(), *n)).collect()
}

#[test]
fn stats_json_counts_and_response_times() {
    let (p, _) = fixture();
    let (code, out, err) = p.run(&["stats", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["incidents"], 12);
    // Severity in the configured order, unset last: SEV1 01 03 06 10; SEV2 02 05 08 12;
    // SEV3 04 07; SEV4 09; unset 11.
    assert_eq!(
        count_pairs(&s["by_severity"]),
        pairs(&[("SEV1", 4), ("SEV2", 4), ("SEV3", 2), ("SEV4", 1), ("unset", 1)])
    );
    // Status in lifecycle order: investigating 07; identified 12; monitoring 05;
    // resolved 02 03 06 08 10 11; closed 01 04 09.
    assert_eq!(
        count_pairs(&s["by_status"]),
        pairs(&[("investigating", 1), ("identified", 1), ("monitoring", 1), ("resolved", 6), ("closed", 3)])
    );
    // api 01 02 05 06 10 12; db 01 03 07 10; docs 09; web 04 06 08 11.
    assert_eq!(count_pairs(&s["by_service"]), pairs(&[("api", 6), ("db", 4), ("docs", 1), ("web", 4)]));
    // Each kind once per incident: capacity 03 10; code bug 02 06 11; config 01 05 06 12;
    // dependency 04 08; process 09 (07 has no causes).
    assert_eq!(
        count_pairs(&s["by_cause_kind"]),
        pairs(&[("capacity", 2), ("code bug", 3), ("config", 4), ("dependency", 2), ("process", 1)])
    );
    // 10 counts in 2025-10 (its started), not 2024-10 (its first timeline entry).
    assert_eq!(
        count_pairs(&s["by_month"]),
        pairs(&[
            ("2024-01", 1),
            ("2024-07", 2),
            ("2024-11", 1),
            ("2025-01", 2),
            ("2025-05", 2),
            ("2025-08", 1),
            ("2025-10", 1),
            ("2025-12", 2),
        ])
    );
    // Nearest rank: the value at position ceil(p·n) of the sorted values.
    let response: BTreeMap<String, &serde_json::Value> =
        s["response"].as_array().unwrap().iter().map(|r| (r["severity"].as_str().unwrap().to_string(), r)).collect();
    let spread = |sev: &str, what: &str| -> Option<(i64, i64, bool, bool)> {
        let v = &response[sev][what];
        (!v.is_null()).then(|| {
            (
                v["median"].as_i64().unwrap(),
                v["p90"].as_i64().unwrap(),
                v["median_approximate"].as_bool().unwrap(),
                v["p90_approximate"].as_bool().unwrap(),
            )
        })
    };
    // SEV1 detect: 03 -600, 10 120, 01 300, 06 ~600 → median 2nd of 4 = 120, p90 4th = ~600.
    assert_eq!(spread("SEV1", "detect"), Some((120, 600, false, true)));
    // SEV1 mitigate: 03 1800, 01 2700, 10 3600, 06 ~3600 (exact sorts first) → 2700, ~3600.
    assert_eq!(spread("SEV1", "mitigate"), Some((2700, 3600, false, true)));
    // SEV1 resolve: 01 7200, 03 7200, 06 ~10800, 10 14400 → 7200, 14400.
    assert_eq!(spread("SEV1", "resolve"), Some((7200, 14400, false, false)));
    // SEV2 detect: 08 300, 12 600, 05 900, 02 1200 → 600, 1200.
    assert_eq!(spread("SEV2", "detect"), Some((600, 1200, false, false)));
    // SEV2 mitigate: 08 2100, 12 3000, 02 3600, 05 3600 → 3000, 3600.
    assert_eq!(spread("SEV2", "mitigate"), Some((3000, 3600, false, false)));
    // SEV2 resolve: 08 7200, 02 10800 → 1st of 2 = 7200, 2nd = 10800.
    assert_eq!(spread("SEV2", "resolve"), Some((7200, 10800, false, false)));
    // SEV3 detect: 07 -1800, 04 1800 → median 1st of 2 = -1800 (negative), p90 1800.
    assert_eq!(spread("SEV3", "detect"), Some((-1800, 1800, false, false)));
    assert_eq!(spread("SEV3", "mitigate"), Some((3600, 3600, false, false)));
    assert_eq!(spread("SEV3", "resolve"), Some((5400, 5400, false, false)));
    // SEV4 (09): no `started`, so no time to detect; the others from detection.
    assert_eq!(spread("SEV4", "detect"), None);
    assert_eq!(spread("SEV4", "mitigate"), Some((1200, 1200, false, false)));
    assert_eq!(spread("SEV4", "resolve"), Some((3600, 3600, false, false)));
    assert_eq!(spread("unset", "detect"), Some((2400, 2400, false, false)));
    // Effort: 01 90m + 1h, 03 3h = 5h 30m.
    assert_eq!(s["effort_total_secs"], 19_800);
    // Actions: 01 done, dropped; 02 open, in-progress; 05 in-progress (due 2025-02-01:
    // overdue), open; 08 open (due 2026-Q1), done; 10 in-progress (due 2025-12-31:
    // overdue), deferred; 12 open (due today: not overdue), in-progress. 02's open
    // action was due 2024-08-01 but its statuses are as of 2024-07-30: not overdue.
    let a = &s["actions"];
    let counts: Vec<u64> = ["total", "open", "in_progress", "done", "deferred", "dropped", "overdue"]
        .iter()
        .map(|k| a[*k].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [12, 8, 4, 2, 1, 1, 2]);
    // (service, cause kind) more than once, incidents oldest first.
    let rec: Vec<(String, String, Vec<String>)> = s["recurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["service"].as_str().unwrap().to_string(),
                r["cause_kind"].as_str().unwrap().to_string(),
                r["incidents"].as_array().unwrap().iter().map(|i| i.as_str().unwrap().to_string()).collect(),
            )
        })
        .collect();
    let want =
        |s: &str, k: &str, ids: &[&str]| (s.to_string(), k.to_string(), ids.iter().map(|i| i.to_string()).collect());
    assert_eq!(
        rec,
        vec![
            want("api", "code bug", &["INC-02", "INC-06"]),
            want("api", "config", &["INC-01", "INC-06", "INC-05", "INC-12"]),
            want("db", "capacity", &["INC-03", "INC-10"]),
            want("web", "code bug", &["INC-06", "INC-11"]),
            want("web", "dependency", &["INC-04", "INC-08"]),
        ]
    );
    // Today is 2026-01-01: 01 (2024-01-01) and 06 (2025-01-01).
    assert_eq!(s["on_this_day"], serde_json::json!(["INC-01", "INC-06"]));
}

#[test]
fn stats_table_says_negative_medians_and_approximate_figures() {
    let (p, _) = fixture();
    let (code, out, err) = p.run(&["stats"]);
    assert_eq!(code, 0, "{err}");
    let line = |section: &str, key: &str| {
        out.lines()
            .find(|l| l.starts_with(section) && l[section.len()..].trim_start().starts_with(key))
            .unwrap_or_else(|| panic!("no {section} / {key} row in:\n{out}"))
            .to_string()
    };
    assert!(line("time to detect", "SEV3").contains("median 30m before impact started, p90 30m (n=2)"), "{out}");
    assert!(line("time to detect", "SEV1").contains("median 2m, p90 ~10m (n=4)"), "{out}");
    assert!(line("time to mitigate", "SEV1").contains("median 45m, p90 ~1h (n=4)"), "{out}");
    assert!(line("actions", "in progress").ends_with('4'), "{out}");
}

/// The book's pages, built once per test.
fn book() -> (Project, BTreeMap<String, String>) {
    let (p, _) = fixture();
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    let src = p.path().join("book/src");
    let mut pages = BTreeMap::new();
    for name in [
        "index.md",
        "by-service.md",
        "by-severity.md",
        "by-cause.md",
        "by-tag.md",
        "by-month.md",
        "commits.md",
        "actions.md",
        "runbooks/db-failover.md",
    ] {
        pages.insert(name.to_string(), std::fs::read_to_string(src.join(name)).unwrap());
    }
    (p, pages)
}

/// An index page as (group heading, incident ids in row order).
fn groups(page: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in page.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            out.push((h.to_string(), vec![]));
        } else if line.starts_with("| 20")
            && let Some(g) = out.last_mut()
        {
            g.1.push(incident_id(line));
        }
    }
    out
}

/// The first `INC-nn` in a line.
fn incident_id(line: &str) -> String {
    let at = line.find("INC-").unwrap_or_else(|| panic!("no incident in {line}"));
    line[at..at + 6].to_string()
}

fn want(groups: &[(&str, &[u8])]) -> Vec<(String, Vec<String>)> {
    groups.iter().map(|(k, ids)| (k.to_string(), ids.iter().map(|n| format!("INC-{n:02}")).collect())).collect()
}

#[test]
fn index_pages_group_and_order_incidents() {
    let (_p, pages) = book();
    // Groups in key order, incidents newest first within each.
    assert_eq!(
        groups(&pages["by-service.md"]),
        want(&[("api", &[12, 10, 5, 6, 2, 1]), ("db", &[10, 7, 3, 1]), ("docs", &[9]), ("web", &[11, 8, 6, 4])])
    );
    // Severity in the configured order, unset last.
    assert_eq!(
        groups(&pages["by-severity.md"]),
        want(&[
            ("SEV1", &[10, 6, 3, 1]),
            ("SEV2", &[12, 8, 5, 2]),
            ("SEV3", &[7, 4]),
            ("SEV4", &[9]),
            ("unset", &[11])
        ])
    );
    assert_eq!(
        groups(&pages["by-cause.md"]),
        want(&[
            ("capacity", &[10, 3]),
            ("code bug", &[11, 6, 2]),
            ("config", &[12, 5, 6, 1]),
            ("dependency", &[8, 4]),
            ("process", &[9]),
        ])
    );
    assert_eq!(
        groups(&pages["by-tag.md"]),
        want(&[("config-drift", &[12, 6]), ("database", &[10, 3, 1]), ("failover", &[10, 3])])
    );
    // Months newest first; 10 in 2025-10.
    assert_eq!(
        groups(&pages["by-month.md"]),
        want(&[
            ("2025-12", &[12, 11]),
            ("2025-10", &[10]),
            ("2025-08", &[9]),
            ("2025-05", &[8, 7]),
            ("2025-01", &[5, 6]),
            ("2024-11", &[4]),
            ("2024-07", &[3, 2]),
            ("2024-01", &[1]),
        ])
    );
}

#[test]
fn overview_shows_the_figures() {
    let (_p, pages) = book();
    let index = &pages["index.md"];
    for needle in [
        "12 incidents from 2024-01-01 to 2025-12-29; 12 actions: 8 open (4 in progress), 2 done, 1 deferred, 1 dropped, 2 overdue",
        "| SEV1 | 4 |\n| SEV2 | 4 |\n| SEV3 | 2 |\n| SEV4 | 1 |\n| unset | 1 |",
        "| investigating | 1 |\n| identified | 1 |\n| monitoring | 1 |\n| resolved | 6 |\n| closed | 3 |",
        // Most incidents first, then by name.
        "| [api](by-service.md#api) | 6 |\n| [db](by-service.md#db) | 4 |\n| [web](by-service.md#web) | 4 |\n| [docs](by-service.md#docs) | 1 |",
        // Detect median, p90; mitigate median, p90; resolve median, p90.
        "| SEV1 | 2m | ~10m | 45m | ~1h | 2h | 4h |",
        "| SEV2 | 10m | 20m | 50m | 1h | 2h | 3h |",
        "| SEV3 | 30m before impact started | 30m | 1h | 1h | 1h 30m | 1h 30m |",
        "| SEV4 | – | – | 20m | 20m | 1h | 1h |",
        "| unset | 40m | 40m | 1h | 1h | 2h | 2h |",
    ] {
        assert!(index.contains(needle), "missing {needle:?} in:\n{index}");
    }
    // Recurring pairs, oldest incident first.
    let recurring = &index[index.find("## Recurring").expect("a Recurring section")..];
    let rows: Vec<&str> = recurring.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| Service")).collect();
    assert_eq!(
        rows,
        [
            "| api | code bug | INC-02, INC-06 |",
            "| api | config | INC-01, INC-06, INC-05, INC-12 |",
            "| db | capacity | INC-03, INC-10 |",
            "| web | code bug | INC-06, INC-11 |",
            "| web | dependency | INC-04, INC-08 |",
        ]
    );
}

#[test]
fn commit_index_lists_each_commit_once_newest_first() {
    let (p, pages) = book();
    let commits = &pages["commits.md"];
    let rows: Vec<&str> = commits.lines().filter(|l| l.starts_with("| [")).collect();
    // c6 (newest) cited by 12 ... c1 by 01; c2 is cited twice by 03 (abbreviated in
    // the timeline, in full in a cause): one row.
    let summaries: Vec<String> = rows.iter().map(|r| r.split(" | ").nth(2).unwrap().trim().to_string()).collect();
    assert_eq!(
        summaries,
        [
            "c6: fix number 6",
            "c5: fix number 5",
            "c4: fix number 4",
            "c3: fix number 3",
            "c2: fix number 2",
            "c1: fix number 1"
        ]
    );
    let cited_by: Vec<String> = rows.iter().map(|r| incident_id(r.split(" | ").nth(3).unwrap())).collect();
    assert_eq!(cited_by, ["INC-12", "INC-10", "INC-08", "INC-06", "INC-03", "INC-01"]);
    // INC-03's own page: one row for c2, under its full form.
    let page = std::fs::read_to_string(p.path().join("book/src/incidents/a03.md")).unwrap();
    let commit_rows = page.lines().filter(|l| l.starts_with("| [") && l.contains("c2: fix number 2")).count();
    assert_eq!(commit_rows, 1, "{page}");
}

/// An action as the tracker lists it: incident, action id, overdue.
type Tracked = (String, String, bool);

#[test]
fn action_tracker_puts_overdue_first_by_owner() {
    let (_p, pages) = book();
    let tracker = &pages["actions.md"];
    assert!(tracker.contains("8 open actions (4 in progress), 2 overdue"), "{tracker}");
    // Owners with overdue work first (alice: 05 A1, carol: 10 A1), then by name; within
    // an owner overdue first, then by due day (none last).
    let mut owners: Vec<(String, Vec<Tracked>)> = Vec::new();
    for line in tracker.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            owners.push((h.to_string(), vec![]));
        } else if line.starts_with("| [A")
            && line.as_bytes()[4].is_ascii_digit()
            && let Some(o) = owners.last_mut()
        {
            let action = line[3..].split(']').next().unwrap().to_string();
            o.1.push((incident_id(line), action, line.contains("(overdue)")));
        }
    }
    let row = |i: &str, a: &str, overdue: bool| (i.to_string(), a.to_string(), overdue);
    assert_eq!(
        owners,
        vec![
            (
                "alice".to_string(),
                vec![row("INC-05", "A1", true), row("INC-12", "A2", false), row("INC-02", "A2", false)]
            ),
            ("carol".to_string(), vec![row("INC-10", "A1", true)]),
            ("bob".to_string(), vec![row("INC-08", "A1", false), row("INC-05", "A2", false)]),
            // Due 2024-08-01, but the record's statuses are as of 2024-07-30.
            ("dave".to_string(), vec![row("INC-02", "A1", false)]),
            // Due today: not overdue yet.
            ("unowned".to_string(), vec![row("INC-12", "A1", false)]),
        ]
    );
}

#[test]
fn runbook_merges_three_incidents() {
    let (_p, pages) = book();
    let rb = &pages["runbooks/db-failover.md"];
    for needle in [
        "# Fail over the primary database",
        // 10's contribution was reviewed last: the page follows it. 2025-10-20 + 180 days.
        "Runbook `db-failover` · owner dba · reviewed 2025-10-20, next review due 2026-04-18",
        // Every contribution's symptoms and services.
        "- `P2021`\n- `connection refused`\n- `replica lag`",
        "**Services:** api, db",
        "1. **Promote the replica**",
        "2. **Point the app at it**",
        // The followed contribution's checks first, then the others'.
        "- `SELECT 1` succeeds on the new primary\n- Replication lag under 1s",
        // 03's steps differ (07 has none).
        "## Steps as recorded in INC-03",
    ] {
        assert!(rb.contains(needle), "missing {needle:?} in:\n{rb}");
    }
    assert!(!rb.contains("as recorded in INC-07"), "{rb}");
    let seen = &rb[rb.find("## Seen in").unwrap()..];
    let ids: Vec<String> = seen.lines().filter(|l| l.starts_with("- ")).map(incident_id).collect();
    assert_eq!(ids, ["INC-10", "INC-07", "INC-03"]);
    assert!(seen.contains("- 2025-10-12 "), "{seen}");
}
