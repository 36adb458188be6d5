//! FORMAT.md revision 2, point by point: each test fails on casebook before it.
//! (The cross-record figures are in figures.rs.)

use crate::project::*;

/// A record without `date`: title, status, summary and `extra`.
fn undated(extra: &str) -> String {
    format!("title = \"T\"\nstatus = \"resolved\"\nsummary = \"S.\"\n{extra}")
}

fn rendered(p: &Project, slug: &str) -> String {
    let (code, md, err) = p.render(&[slug]);
    assert_eq!(code, 0, "{err}");
    md
}

fn context(p: &Project, slug: &str) -> serde_json::Value {
    let (code, out, err) = p.render(&[slug, "--context"]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn the_incident_day_is_that_of_started_then_detected_then_the_earliest_moment() {
    let p = Project::new();
    // 1. `started` marked on a timeline entry after a commit made a year earlier.
    p.write(
        "marked.toml",
        undated(
            "[[timeline]]\nat = 2024-05-01T09:00:00Z\ntitle = \"Commit that later broke\"\n\
             [[timeline]]\nat = 2025-05-01T10:00:00Z\ntitle = \"Errors\"\nmarks = [\"started\"]\n",
        ),
    );
    // 2. No `started`: `detected` wins over an earlier timeline entry.
    p.write(
        "detected.toml",
        undated(
            "detected = 2025-06-02T09:00:00Z\n[[timeline]]\nat = 2025-05-30T12:00:00Z\ntitle = \"Config edited\"\n",
        ),
    );
    // 3. Neither: the earliest full datetime, not `introduced` a year before.
    p.write(
        "earliest.toml",
        undated(
            "introduced = 2024-03-03T08:00:00Z\nresolved = 2025-03-04T10:00:00Z\n\
             [[timeline]]\nat = 2025-03-03T10:00:00Z\ntitle = \"First report\"\n",
        ),
    );
    // 4. Only `introduced`: then it dates the incident.
    p.write("introduced.toml", undated("introduced = 2023-07-07T08:00:00Z\n"));
    // 5. `started` in another zone: its day in the record's timezone.
    p.write("zoned.toml", undated("timezone = \"Asia/Tokyo\"\nstarted = 2025-08-31T20:00:00Z\n"));
    for (slug, day) in [
        ("marked", "2025-05-01"),
        ("detected", "2025-06-02"),
        ("earliest", "2025-03-03"),
        ("introduced", "2023-07-07"),
        ("zoned", "2025-09-01"),
    ] {
        let md = rendered(&p, slug);
        assert!(md.contains(&format!("**Date** {day}")), "{slug}: want {day}:\n{md}");
    }
    let (_, out, _) = p.run(&["stats", "--format", "json"]);
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    let months: Vec<&str> = s["by_month"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(months, ["2023-07", "2025-03", "2025-05", "2025-06", "2025-09"]);
}

#[test]
fn negative_durations_keep_their_sign() {
    let p = Project::new();
    p.write(
        "x.toml",
        record(
            "started = 2025-11-16T10:00:00Z\nidentified = 2025-11-16T09:58:00Z\ndetected = 2025-11-16T09:55:00Z\n\
             mitigated = 2025-11-16T10:30:00Z\n",
        ),
    );
    let md = rendered(&p, "x");
    assert!(md.contains("**Time to identify** 2m before impact started"), "{md}");
    assert!(md.contains("- **Time to detect** 5m before impact started"), "{md}");
    assert!(md.contains("- **Time to mitigate** 30m <small>(from started)</small>"), "{md}");
    let ctx = context(&p, "x");
    let identify = ctx["incident"]["response"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == "Time to identify")
        .unwrap()
        .clone();
    assert_eq!(identify["secs"], -120);
    assert_eq!(identify["negative"], true);
    // Without `started`, measured from detection.
    p.write(
        "y.toml",
        record("detected = 2025-11-16T10:00:00Z\nidentified = 2025-11-16T09:50:00Z\nresolved = 2025-11-16T11:00:00Z\n"),
    );
    assert!(rendered(&p, "y").contains("**Time to identify** 10m before detection"));
}

#[test]
fn several_because_of_are_branches() {
    let p = Project::new();
    p.write(
        "x.toml",
        record(
            "[[causes]]\nid = \"outage\"\ntitle = \"Checkout outage\"\nprimary = true\nbecause_of = [\"pool\", \"retry\", \"alert\"]\n\
             [[causes]]\nid = \"pool\"\ntitle = \"Pool too small\"\nrole = \"contributing\"\nbecause_of = [\"copy\"]\n\
             [[causes]]\nid = \"retry\"\ntitle = \"Retry storm\"\nrole = \"trigger\"\n\
             [[causes]]\nid = \"alert\"\ntitle = \"No queue alert\"\nrole = \"contributing\"\n\
             [[causes]]\nid = \"copy\"\ntitle = \"Limits copied from staging\"\nrole = \"contributing\"\n",
        ),
    );
    let md = rendered(&p, "x");
    assert!(!md.contains('←'), "siblings are not a chain:\n{md}");
    // Each cause lists its direct causes side by side.
    assert!(md.contains("- **Because of:**\n  - Pool too small\n  - Retry storm\n  - No queue alert\n"), "{md}");
    assert!(md.contains("- **Because of:** Limits copied from staging\n"), "{md}");
    assert!(md.contains("- **Led to:** Checkout outage\n"), "{md}");
    // The whole graph as a "why" tree from the primary cause down.
    let tree = "- **Checkout outage** (root, primary)\n  \
                - because of **Pool too small** (contributing)\n    \
                - because of **Limits copied from staging** (contributing)\n  \
                - because of **Retry storm** (trigger)\n  \
                - because of **No queue alert** (contributing)\n";
    assert!(md.contains(tree), "{md}");
}

#[test]
fn a_cause_reached_twice_is_shown_twice_and_expanded_once() {
    let p = Project::new();
    p.write(
        "x.toml",
        record(
            "[[causes]]\nid = \"a\"\ntitle = \"A\"\nprimary = true\nbecause_of = [\"b\", \"c\"]\n\
             [[causes]]\nid = \"b\"\ntitle = \"B\"\nbecause_of = [\"d\"]\n\
             [[causes]]\nid = \"c\"\ntitle = \"C\"\nbecause_of = [\"d\"]\n\
             [[causes]]\nid = \"d\"\ntitle = \"D\"\nbecause_of = [\"e\"]\n\
             [[causes]]\nid = \"e\"\ntitle = \"E\"\n",
        ),
    );
    let md = rendered(&p, "x");
    let tree = "- **A** (root, primary)\n  - because of **B** (root)\n    - because of **D** (root)\n      \
                - because of **E** (root)\n  - because of **C** (root)\n    \
                - because of **D** (root), whose causes are listed above\n";
    assert!(md.contains(tree), "{md}");
}

#[test]
fn a_sha_and_its_abbreviation_are_one_commit_without_a_repository() {
    let p = Project::new();
    let full = "0123456789abcdef0123456789abcdef01234567";
    p.write(
        "x.toml",
        record(&format!(
            "[[timeline]]\nat = 21:00:00\ntitle = \"Fix deployed\"\ncommits = [\"0123456\"]\n\
             [[causes]]\ntitle = \"Bug\"\ncommits = [\"{full}\"]\n\
             [[commits]]\nsha = \"01234567\"\nnote = \"The `fix`\"\n"
        )),
    );
    let md = rendered(&p, "x");
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| `0123")).collect();
    assert_eq!(rows.len(), 1, "one commit, one row:\n{md}");
    // The note, written on an abbreviation, is on the commit's row, as markdown.
    assert!(rows[0].contains("The `fix`"), "{md}");
    assert!(rows[0].starts_with("| `0123456789ab`"), "the longest form written:\n{md}");
}

#[test]
fn an_abbreviation_two_cited_commits_share_is_ambiguous() {
    let p = Project::new();
    p.write("x.toml", record("[[causes]]\ntitle = \"Bug\"\ncommits = [\"abcd1111\", \"abcd2222\", \"abcd\"]\n"));
    assert_check_fails(
        &p,
        &[
            "error[E0032]",
            "commit id \"abcd\" is ambiguous: this record cites 2 commits that start with it",
            "x.toml:7:",
            "write the commit in full, one of: abcd1111, abcd2222",
        ],
    );
}

#[test]
fn the_default_repository_named_or_not_is_one_commit() {
    let p = Project::new();
    p.config("[[repositories]]\nname = \"app\"\nurl = \"https://git.example.com/app/commit/{sha}\"\n");
    p.write("x.toml", record("[[causes]]\ntitle = \"Bug\"\ncommits = [\"app@abcdef12\", \"abcdef1234\"]\n"));
    let md = rendered(&p, "x");
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| [`abcdef")).collect();
    assert_eq!(rows.len(), 1, "{md}");
}

#[test]
fn stated_values_are_shown_as_written() {
    let p = Project::new();
    p.write(
        "x.toml",
        record(
            "started = 2025-11-16T00:00:00Z\nmitigated = 2025-11-19T01:00:00Z\neffort_total = \"90m\"\n\
             [impact]\ndowntime = \"73h\"\nusers_affected = 1_500\n\
             [[impact.metrics]]\nname = \"error rate\"\nvalue = 12.50\nunit = \"%\"\n\
             [[causes]]\ntitle = \"Bug\"\nfix_time = \"120m\"\n\
             [[effort]]\nactivity = \"Fix\"\nduration = \"90m\"\n",
        ),
    );
    let md = rendered(&p, "x");
    for want in [
        "| Impact duration (computed) | 3d 1h (started → mitigated) |",
        "| Downtime (stated) | 73h |",
        "| Users affected | 1,500 |",
        "| error rate | 12.50% |",
        "- **Time to fix (stated):** 120m",
        "| Fix | 90m |",
        "| **Total** (computed) | **1h 30m** |",
        "The record states a total of 90m, which the items confirm.",
    ] {
        assert!(md.contains(want), "missing {want:?} in:\n{md}");
    }
    // The warning quotes the figure as written.
    p.write(
        "y.toml",
        record("started = 2025-11-16T00:00:00Z\nmitigated = 2025-11-16T02:00:00Z\n[impact]\ndowntime = \"24h 11m\"\n"),
    );
    assert_check_passes(&p, &["warning[W0102]", "downtime is 24h 11m, but the impact lasted 2h"]);
}

#[test]
fn a_setting_without_from_is_unknown() {
    let p = Project::new();
    p.write("x.toml", record("[[changes]]\nsetting = \"feature new_checkout\"\nto = \"disabled\"\n"));
    let md = rendered(&p, "x");
    assert!(md.contains("`feature new_checkout`: unknown → `disabled`"), "{md}");
    assert!(!md.contains("unset"), "{md}");
}

#[test]
fn nothing_is_dropped() {
    let p = Project::new();
    p.write(
        "x.toml",
        record(
            "updated = 2025-12-01\n\
             [[runbook]]\nid = \"pool\"\ntitle = \"Pool exhausted\"\nservices = [\"payments-api\", \"pgbouncer\"]\n\
             verify = [\"`SHOW POOLS` shows no waiting clients\"]\n",
        ),
    );
    let md = rendered(&p, "x");
    assert!(md.contains("**Updated** 2025-12-01"), "{md}");
    assert!(md.contains("**Services:** payments-api, pgbouncer"), "{md}");
    assert!(md.contains("- `SHOW POOLS` shows no waiting clients"), "verify renders as markdown:\n{md}");
    assert!(!md.contains("\\`"), "{md}");
}

#[test]
fn action_counts_say_what_they_count() {
    let p = Project::new();
    let ip = "[[actions]]\ntitle = \"Work\"\nstatus = \"in-progress\"\n";
    p.write("all.toml", record(&ip.repeat(4)));
    assert!(rendered(&p, "all").contains("4 actions: 4 open, all in progress."));
    p.write(
        "some.toml",
        record(&format!(
            "{}{}[[actions]]\ntitle = \"Old\"\nstatus = \"done\"\n",
            ip.repeat(2),
            "[[actions]]\ntitle = \"New\"\n"
        )),
    );
    assert!(rendered(&p, "some").contains("4 actions: 3 open (2 in progress), 1 done."));
}

#[test]
fn key_moments_are_listed_in_time_order() {
    let p = Project::new();
    p.write(
        "x.toml",
        record("started = 2025-11-16T16:35:00Z\ndetected = 2025-11-16T13:37:00Z\nresolved = 2025-11-16T18:00:00Z\n"),
    );
    let md = rendered(&p, "x");
    let detected = md.find("**Detected** 2025-11-16 13:37").expect("detected");
    let started = md.find("**Impact started** 2025-11-16 16:35").expect("started");
    let resolved = md.find("**Resolved** 2025-11-16 18:00").expect("resolved");
    assert!(detected < started && started < resolved, "{md}");
}

#[test]
fn actions_as_of_judges_overdue_on_that_day() {
    let p = Project::new();
    let action = "[[actions]]\ntitle = \"Add the alert\"\ndue = 2025-12-01\n";
    p.write("now.toml", record(action));
    p.write("then.toml", record(&format!("actions_as_of = 2025-11-20\n{action}")));
    let (code, err) = p.check();
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.matches("warning[W0103]").count(), 1, "{err}");
    assert!(err.contains("now.toml"), "{err}");
    assert!(!err.contains("then.toml"), "{err}");
    assert!(!rendered(&p, "then").contains("overdue"));
    assert!(rendered(&p, "then").contains("Statuses as of 2025-11-20."));
    let (_, out, _) = p.run(&["actions", "--overdue", "--format", "json"]);
    let rows: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 1, "{out}");
    assert_eq!(rows[0]["slug"], "now");
    // A later day than the statuses' is a warning that says so.
    p.write("later.toml", record(&format!("actions_as_of = 2025-12-05\n{action}")));
    assert_check_passes(
        &p,
        &["action A1 \"Add the alert\" was due 2025-12-01 and is still open on 2025-12-05 (`actions_as_of`)"],
    );
}

#[test]
fn actions_as_of_takes_a_date_alone() {
    let p = Project::new();
    p.write("x.toml", record("actions_as_of = 2025-11-20T10:00:00Z\n"));
    assert_check_fails(&p, &["error[E0010]", "`actions_as_of` takes a date alone, such as 2025-11-16", "x.toml:5:"]);
}
