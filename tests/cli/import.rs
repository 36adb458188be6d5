//! `casebook import`: markdown postmortems to records that check and render.

use crate::project::*;
use std::collections::BTreeSet;

const SEED: &str = include_str!("../fixtures/import/seed.md");

fn import(p: &Project, file: &str) -> Run {
    p.run(&["import", file])
}

fn words(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 1).map(|w| w.to_lowercase()).collect()
}

fn assert_nothing_lost(input: &str, record: &str) {
    let (repaired, _) = casebook::import::repair_encoding(input);
    // `&amp;` is written out as `&`: the word is the entity's, not the document's.
    let repaired = casebook::import::decode_entities(&repaired);
    let have = words(record);
    let lost: Vec<String> = words(&repaired).into_iter().filter(|w| !have.contains(w)).collect();
    assert!(lost.is_empty(), "words lost in import: {lost:?}");
}

#[test]
fn the_seed_imports_with_its_facts() {
    let p = Project::new();
    let src = p.write("docs/seed.md", SEED);
    let (code, toml, err) = import(&p, src.to_str().unwrap());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("repaired") && err.contains("Mac Roman"), "{err}");
    let doc: toml::Table = toml::from_str(&toml).unwrap_or_else(|e| panic!("{e}\n{toml}"));
    let timeline = doc["timeline"].as_array().unwrap();
    assert!(timeline.len() >= 5, "{toml}");
    assert_eq!(timeline[0]["at"].to_string(), "21:00:00");
    assert_eq!(timeline[4]["at"].to_string(), "22:00:00");
    let causes = doc["causes"].as_array().unwrap();
    assert_eq!(causes.len(), 2);
    assert!(causes.iter().any(|c| c.get("primary").is_some() && c["role"].as_str() == Some("root")));
    assert!(causes.iter().any(|c| c["role"].as_str() == Some("contributing") && c["commits"].as_array().is_some()));
    assert_eq!(doc["lessons"].as_array().unwrap().len(), 4);
    let actions = doc["actions"].as_array().unwrap();
    for h in ["immediate", "short", "long"] {
        assert!(actions.iter().any(|a| a["horizon"].as_str() == Some(h)), "{h}");
    }
    let verification = doc["verification"].as_array().unwrap();
    assert_eq!(verification.iter().filter(|v| v["done"].as_bool() == Some(true)).count(), 3);
    assert_eq!(verification.iter().filter(|v| v["done"].as_bool() == Some(false)).count(), 4);
    assert_eq!(doc["effort"].as_array().unwrap().len(), 5);
    assert_eq!(doc["impact"]["users_affected"].as_integer(), Some(1));
    assert_eq!(doc["impact"]["downtime"].as_str(), Some("2h"));
    assert!(toml.contains("✅") && !toml.contains("‚úÖ"), "the check marks are repaired");
    assert_nothing_lost(SEED, &toml);

    // The record checks and renders the same facts back, effort total computed.
    p.write("seed.toml", &toml);
    let (code, err) = p.check();
    assert_eq!(code, 0, "{err}");
    let out = p.cmd(&["render", "seed"]).output().unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    for fact in [
        "| **Total** (computed) | **3h 42m** |",
        "Error Code: P2021",
        "npx prisma db push --accept-data-loss",
        "### Immediate (next week)",
        "- [x] Command executed successfully",
    ] {
        assert!(md.contains(fact), "missing {fact:?}\n{md}");
    }
}

#[test]
fn published_templates_import_with_every_section_mapped_or_kept() {
    for (file, expect) in [
        (
            "google-sre.md",
            &[
                "[[timeline]]",
                "[[causes]]",
                "[[actions]]",
                "[[lessons]]",
                "title = \"Detection\"",
                "title = \"Resolution\"",
            ][..],
        ),
        (
            "pagerduty.md",
            &[
                "[[timeline]]",
                "role = \"contributing\"",
                "users_affected = 3200",
                "status = \"done\"",
                "title = \"Messaging\"",
            ][..],
        ),
        (
            "atlassian.md",
            &[
                "# TODO: status",
                "date = 2023-06-12",
                "[[timeline]]",
                "title = \"Leadup\"",
                "title = \"Fault\"",
                "title = \"Recovery\"",
                "[[actions]]",
                "[[lessons]]",
            ][..],
        ),
    ] {
        let p = Project::new();
        let text =
            std::fs::read_to_string(format!("{}/tests/fixtures/import/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let src = p.write(&format!("docs/{file}"), &text);
        let (code, toml, err) = import(&p, src.to_str().unwrap());
        assert_eq!(code, 0, "{file}: {err}");
        for e in expect {
            assert!(toml.contains(e), "{file}: missing {e}\n{toml}");
        }
        assert_nothing_lost(&text, &toml);
        // Once its TODOs are filled (here: a status the document does not state), it checks.
        let filled = toml.replace("# TODO: status = ", "status = ");
        p.write("x.toml", &filled);
        let (code, err) = p.check();
        assert_eq!(code, 0, "{file}:\n{err}\n{toml}");
    }
}

#[test]
fn missing_facts_become_todos_not_inventions() {
    let p = Project::new();
    let src = p.write("docs/x.md", "## Timeline\n\n- 14:02 alert\n");
    let (code, toml, err) = import(&p, src.to_str().unwrap());
    assert_eq!(code, 0);
    assert!(
        toml.contains("# TODO: title") && toml.contains("# TODO: date") && toml.contains("# TODO: status"),
        "{toml}"
    );
    assert!(err.contains("TODO date"), "{err}");
    assert!(toml.contains("the time below has no date"), "{toml}");
}

#[test]
fn batch_and_stdin_and_no_overwrite() {
    let p = Project::new();
    p.write("docs/a.md", "# A\n\n**Date**: 2024-01-01\n\n**Status**: resolved\n\n## Summary\n\nS.\n");
    p.write("docs/b.md", "# B\n\n**Date**: 2024-01-02\n\n**Status**: resolved\n\n## Summary\n\nS.\n");
    let out = p.cmd(&["import", "docs"]).output().unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(table.contains("a.md") && table.contains("Summary → summary"), "{table}");
    assert!(p.path().join("incidents/a.toml").is_file() && p.path().join("incidents/b.toml").is_file());
    p.cmd(&["check"]).assert().success();
    // A second run never overwrites.
    let out = p.cmd(&["import", "docs"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stdout).unwrap().contains("exists, skipped"));
    let out = p.cmd(&["import", "--stdin"]).write_stdin("# C\n\n## Summary\n\nS.\n").output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("title = \"C\""));
    p.cmd(&["import", "docs/a.md", "-o", "incidents/a.toml"]).assert().code(1);
}

/// Imports the corpus document `name` in `p`; returns its text, the record's
/// text, and the record parsed.
fn import_corpus(p: &Project, name: &str) -> (String, String, toml::Table) {
    let text =
        std::fs::read_to_string(format!("{}/tests/fixtures/import/corpus/{name}.md", env!("CARGO_MANIFEST_DIR")))
            .unwrap();
    let src = p.write(&format!("docs/{name}.md"), &text);
    let (code, toml, err) = import(p, src.to_str().unwrap());
    assert_eq!(code, 0, "{name}: {err}");
    let doc: toml::Table = toml::from_str(&toml).unwrap_or_else(|e| panic!("{name}: {e}\n{toml}"));
    (text, toml, doc)
}

/// Imports `markdown` as `doc.md`; returns the record's text, parsed.
fn imported(markdown: &str) -> (String, toml::Table) {
    let p = Project::new();
    let src = p.write("docs/doc.md", markdown);
    let (code, toml, err) = import(&p, src.to_str().unwrap());
    assert_eq!(code, 0, "{err}");
    assert_nothing_lost(markdown, &toml);
    // The record passes casebook's own check.
    p.write("doc.toml", &toml);
    let (code, err) = p.check();
    assert_eq!(code, 0, "{err}\n{toml}");
    let doc: toml::Table = toml::from_str(&toml).unwrap_or_else(|e| panic!("{e}\n{toml}"));
    (toml, doc)
}

fn times(doc: &toml::Table) -> Vec<String> {
    doc["timeline"].as_array().unwrap().iter().map(|e| e["at"].to_string()).collect()
}

/// A 12-hour clock keeps its PM; the zone the document states becomes the record's
/// `timezone`; a timeline that crosses midnight moves to the next day; and the
/// words as written stay beside each converted value.
#[test]
fn times_are_read_as_a_person_reads_them() {
    let (toml, doc) = imported(
        "# Queue stall\n\n**Date**: 2024-03-09\n\n**Status**: resolved\n\nAll times in PST.\n\n## Summary\n\nThe queue stalled.\n\n## Timeline\n\n\
         - 11:50 PM - Queue depth alarm fired, on-call paged\n- 11:55 PM - Rolled back the deploy\n\
         - 12:10 AM - Queue drained, incident resolved\n",
    );
    assert_eq!(doc["timezone"].as_str(), Some("-08:00"), "{toml}");
    assert!(toml.contains("timezone = \"-08:00\"  # the document: \"All times in PST\""), "{toml}");
    assert_eq!(times(&doc), ["23:50:00", "23:55:00", "2024-03-10T00:10:00"], "{toml}");
    assert!(toml.contains("at = 23:50:00  # the document: 11:50 PM"), "{toml}");
    assert!(toml.contains("at = 2024-03-10T00:10:00  # the document: 12:10 AM"), "{toml}");
    // 24-hour times after 23:55 cross midnight too.
    let (toml, doc) = imported(
        "# Night\n\n**Date**: 2024-05-01\n\n**Status**: resolved\n\n## Summary\n\nErrors overnight.\n\n## Timeline (times in BST)\n\n| Time | Event |\n|---|---|\n\
         | 23:55 | Deploy started |\n| 07:00 | Customers reported errors |\n",
    );
    assert_eq!(doc["timezone"].as_str(), Some("+01:00"), "{toml}");
    assert_eq!(times(&doc), ["23:55:00", "2024-05-02T07:00:00"], "{toml}");
    let (_, doc) = imported(
        "# X\n\n**Date**: 2024-05-01\n\n**Status**: resolved\n\n## Summary\n\nS.\n\n## Timeline\n\n| Time (UTC) | Event |\n|---|---|\n| 10:00 | A |\n",
    );
    assert_eq!(doc["timezone"].as_str(), Some("UTC"));
    // A heading that is only its time gives the entry its time, not a title;
    // one with words keeps them.
    let (toml, doc) = imported(
        "# X\n\n**Date**: 2024-05-01\n\n**Status**: resolved\n\n## Summary\n\nS.\n\n## Timeline (times in UTC)\n\n\
         ### 5:00 PM\n\nIncident declared\n\n### Rollback (5:20 PM UTC)\n\nRolled back.\n",
    );
    let timeline = doc["timeline"].as_array().unwrap();
    assert!(timeline[0].get("title").is_none(), "{toml}");
    assert_eq!(timeline[0]["body"].as_str(), Some("Incident declared"));
    assert_eq!(timeline[1]["title"].as_str(), Some("Rollback"), "{toml}");
}

/// A moment is marked only where the words say it: the first row is not
/// "detected" for being first, and a "Resolution" heading says nothing of detection.
#[test]
fn marks_come_from_words_never_from_positions() {
    let (toml, doc) = imported(
        "# Disk full\n\n**Date**: 2024-02-01\n\n**Status**: resolved\n\n## Summary\n\nThe disk filled up.\n\n## Timeline\n\n- 10:00 UTC - Nightly batch job started writing logs\n\
         - 10:40 UTC - Alert fired for disk usage on db-1\n- 10:52 UTC - Root cause identified: log rotation disabled\n\
         - 11:05 UTC - Mitigated by deleting old logs\n- 11:30 UTC - Resolved after rotation was re-enabled\n",
    );
    let marks: Vec<Vec<String>> = doc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e.get("marks")
                .and_then(|m| m.as_array())
                .map(|m| m.iter().map(|v| v.as_str().unwrap().to_string()).collect())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        marks,
        [
            vec![],
            vec!["detected".to_string()],
            vec!["identified".into()],
            vec!["mitigated".into()],
            vec!["resolved".into()]
        ],
        "{toml}"
    );
    let kinds: Vec<&str> = doc["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["other", "detection", "investigation", "mitigation", "resolution"], "{toml}");
}

/// Front matter, text before the title, `- Key: value` bullets, dates in words
/// and HTML entities: each fact comes through, and every word stays.
#[test]
fn front_matter_bullets_dates_in_words_and_entities() {
    let (toml, doc) = imported(
        "---\ntitle: Search outage\nauthor: S&amp;O team\n---\nPublished by the S&amp;O team.\n\n# Search outage\n\n\
         - Date: 2025-DEC-5\n- Status: resolved\n\n## Summary\n\nSearch returned errors on December 5th, 2025.\n",
    );
    assert_eq!(doc["date"].to_string(), "2025-12-05", "{toml}");
    assert!(toml.contains("date = 2025-12-05  # the document: 2025-DEC-5"), "{toml}");
    assert_eq!(doc["status"].as_str(), Some("resolved"), "{toml}");
    assert!(toml.contains("S&O team") && !toml.contains("&amp;"), "{toml}");
    assert!(toml.contains("Published by the S&O team."), "text before the title is kept:\n{toml}");
    let (toml, doc) = imported("# Outage of May 30th, 2019\n\n**Status**: resolved\n\n## Summary\n\nS.\n");
    assert_eq!(doc["date"].to_string(), "2019-05-30", "{toml}");
}

/// The report says what became what, what stayed TODO and what was guessed;
/// `--strict` fails on a TODO or a guess and still writes the record.
#[test]
fn the_report_says_what_was_guessed_and_strict_fails_on_it() {
    let p = Project::new();
    let guessed = p.write(
        "docs/guessed.md",
        "# Night\n\n**Date**: 2024-05-01\n\n**Status**: resolved\n\n## Summary\n\nS.\n\n## Timeline\n\n- 23:55 deploy\n- 00:10 errors\n",
    );
    let (code, toml, err) = p.run(&["import", guessed.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("guessed.md: Timeline → [[timeline]]"), "{err}");
    assert!(err.contains("guessed.md: unsure: every time is read as UTC: the document does not say its zone"), "{err}");
    assert!(
        err.contains(
            "guessed.md: unsure: 00:10 placed on 2024-05-02: it comes after 23:55 in the timeline, so past midnight"
        ),
        "{err}"
    );
    assert!(err.contains("guessed.md: 2 section(s) mapped, 1 TODO, 2 unsure"), "{err}");
    assert!(toml.contains("at = 2024-05-02T00:10:00"), "{toml}");
    let out = p.path().join("guessed.toml");
    let (code, _, err) = p.run(&["import", "--strict", guessed.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 1, "--strict fails on a guess:\n{err}");
    assert!(out.is_file(), "and still writes the record");
    let sure = p.write(
        "docs/sure.md",
        "# Day\n\n**Date**: 2024-05-01\n\n**Status**: resolved\n\nAll times in UTC.\n\n## Summary\n\nS.\n\n## Timeline\n\n- 10:00 deploy\n",
    );
    let (code, _, err) = p.run(&["import", "--strict", sure.to_str().unwrap()]);
    assert_eq!(code, 0, "nothing to do, nothing guessed:\n{err}");
}

/// Real postmortems from public repositories whose licenses allow copying them
/// here (each file's first line names its source and license; nine organisations),
/// with the facts read from each by hand: the day, the zone, and times of its
/// timeline as the document states them. Every one keeps every word and passes
/// `casebook check` but for what the document really lacks (status, in most).
#[test]
fn real_postmortems_import_with_their_stated_facts() {
    // (file, date, timezone, [(row, at)]) — rows counted from 0.
    type Facts = (&'static str, &'static str, &'static str, &'static [(usize, &'static str)]);
    let corpus: [Facts; 12] = [
        ("2i2c-leap-outage-2025-08-12", "2025-08-12", "+01:00", &[(0, "17:00:00"), (1, "17:02:00")]),
        (
            "2i2c-cloudbank-healthcheck-2025-07-11",
            "2025-07-11",
            "+01:00",
            &[(0, "2025-07-11T12:42:00"), (1, "12:49:00")],
        ),
        (
            "kubernetes-prow-flakiness-2019-05-30",
            "2019-05-30",
            "-07:00",
            &[(0, "13:26:00"), (8, "23:55:00"), (9, "2019-05-31T07:00:00")],
        ),
        ("mybinder-cluster-full-2017-10-17", "2017-10-17", "-08:00", &[(0, "2017-10-17T07:42:00"), (1, "08:47:00")]),
        (
            "dfds-log4shell-2021",
            "2021-12-10",
            "UTC",
            &[(0, "2021-12-10"), (1, "2021-12-10T15:40:00"), (2, "2021-12-10T16:10:00")],
        ),
        (
            "dfds-ip-starvation-2019-11",
            "2019-11-29",
            "+01:00",
            &[(0, "2019-11-29T12:00:00"), (1, "2019-11-30T08:24:00")],
        ),
        (
            "envoy-cve-2019-9900",
            "2019-02-18",
            "US/Pacific",
            &[(0, "2019-02-18"), (1, "2019-02-19"), (11, "2019-03-22T11:20:00"), (23, "2019-04-05T10:57:00")],
        ),
        (
            "rust-lang-crates-io-incident-2020-02-20",
            "2020-02-20",
            "UTC",
            &[(0, "2020-02-20T21:17:00"), (1, "2020-02-20T21:28:00")],
        ),
        ("rust-lang-docsrs-outage-2019-10-21", "2019-10-21", "UTC", &[(0, "2019-10-20T00:55:00"), (1, "01:38:00")]),
        (
            "conda-forge-token-exposure-2025-04-01",
            "2025-04-01",
            "UTC",
            &[(0, "2025-04-01T13:35:00"), (1, "2025-04-01T14:00:00")],
        ),
        ("gattaca-com-helix-missed-blocks-2024-11-28", "2024-11-28", "UTC", &[(0, "05:52:00"), (1, "06:39:00")]),
        (
            "pypi-org-team-privileges-2025-04-14",
            "2025-04-14",
            "UTC",
            &[(0, "2025-04-14T16:37:00"), (1, "2025-04-14T17:02:00")],
        ),
    ];
    let p = Project::new();
    for (name, date, zone, rows) in corpus {
        let (text, toml, doc) = import_corpus(&p, name);
        assert_nothing_lost(&text, &toml);
        assert_eq!(doc.get("date").map(|d| d.to_string()).as_deref(), Some(date), "{name}:\n{toml}");
        assert_eq!(doc.get("timezone").and_then(|z| z.as_str()), Some(zone), "{name}:\n{toml}");
        let at: Vec<String> = doc
            .get("timeline")
            .and_then(|t| t.as_array())
            .map(|t| t.iter().map(|e| e["at"].to_string()).collect())
            .unwrap_or_default();
        for (n, want) in rows {
            assert_eq!(at.get(*n).map(String::as_str), Some(*want), "{name}: row {n}\n{toml}");
        }
        // Loads and checks, with the status the document does not state filled in.
        let filled = if toml.contains("# TODO: status") {
            toml.replacen("# TODO: status", "status = \"resolved\" #", 1)
        } else {
            toml.clone()
        };
        p.write(&format!("{name}.toml"), &filled);
    }
    // Authors and status, where the documents state them.
    let record = |name: &str| -> toml::Table {
        toml::from_str(&std::fs::read_to_string(p.path().join(format!("incidents/{name}.toml"))).unwrap()).unwrap()
    };
    let authors = |name: &str| record(name).get("authors").map(|a| a.to_string()).unwrap_or_default();
    assert_eq!(authors("kubernetes-prow-flakiness-2019-05-30"), r#"["Katharine Berry"]"#, "\"Created by: ...\"");
    assert_eq!(authors("envoy-cve-2019-9900"), r#"["htuch"]"#, "## Authors");
    assert_eq!(authors("rust-lang-crates-io-incident-2020-02-20"), r#"["Pietro Albini"]"#, "front matter's author:");
    assert_eq!(authors("pypi-org-team-privileges-2025-04-14"), r#"["ewdurbin"]"#, "front matter's authors: list");
    assert_eq!(authors("conda-forge-token-exposure-2025-04-01"), r#"["core"]"#, "front matter's authors: list");
    assert_eq!(record("envoy-cve-2019-9900")["status"].as_str(), Some("resolved"), "## Status: Final");
    // No errors: warnings (the e-mail addresses these documents hold) are the records' to act on.
    let (_, err) = p.check();
    assert!(!err.contains("error["), "{err}");
    assert!(err.contains("0 errors"), "{err}");
}

/// A "Resolution" under a root cause is not a cause, and a bold pseudo-heading's
/// paragraphs stay (in the summary, when it is the text before any section).
#[test]
fn only_causes_become_causes_and_pseudo_headings_keep_their_text() {
    let (toml, doc) = imported(
        "# Cache stampede\n\n**Date**: 2024-04-02\n\n**Status**: resolved\n\n**What Happened**\n\n\
         Every cache key expired at once and the database took the load.\n\n\
         ## Root cause\n\nAll keys had the same TTL.\n\n### Resolution: jittered TTLs\n\nWe added jitter to every TTL.\n",
    );
    let causes = doc["causes"].as_array().unwrap();
    assert_eq!(causes.len(), 1, "{toml}");
    assert_eq!(causes[0]["description"].as_str(), Some("All keys had the same TTL."), "{toml}");
    let sections: Vec<&str> =
        doc["sections"].as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap()).collect();
    assert!(sections.contains(&"Resolution: jittered TTLs"), "kept beside the causes:\n{toml}");
    assert!(toml.contains("We added jitter to every TTL."), "{toml}");
    assert!(doc["summary"].as_str().unwrap().contains("Every cache key expired at once"), "{toml}");
}

/// Action items as teams write them: a table with named columns and a state
/// column, status markers before the text, `[Team]` owners, `[#123]` tickets, and
/// `Action point:` paragraphs.
#[test]
fn action_items_keep_owner_status_and_ticket_however_written() {
    let (toml, doc) = imported(
        "# Keys leaked\n\n**Date**: 2024-06-01\n\n**Status**: Complete, action items in progress\n\n## Summary\n\nS.\n\n\
         ## Action items\n\n| Action | Owner | State |\n|---|---|---|\n| Rotate every key | Security | COMPLETE |\n\
         | Add a secret scanner to CI | Platform | IN PROGRESS |\n\n\
         - [Infra] Alert on key use from new IPs\n- **DONE** Revoke the leaked token\n- [#2226]: Log every publish\n\n\
         Action point: Write the key rotation runbook\n",
    );
    let actions = doc["actions"].as_array().unwrap();
    let get = |n: usize, k: &str| actions[n].get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    assert_eq!(actions.len(), 6, "{toml}");
    assert_eq!(
        (get(0, "title"), get(0, "owner"), get(0, "status")),
        ("Rotate every key".into(), "Security".into(), "done".into())
    );
    assert_eq!((get(1, "owner"), get(1, "status")), ("Platform".into(), "in-progress".into()), "{toml}");
    assert_eq!((get(2, "title"), get(2, "owner")), ("Alert on key use from new IPs".into(), "Infra".into()), "{toml}");
    assert_eq!((get(3, "title"), get(3, "status")), ("Revoke the leaked token".into(), "done".into()), "{toml}");
    assert_eq!(
        (get(4, "title"), get(4, "ticket"), get(4, "owner")),
        ("Log every publish".into(), "#2226".into(), String::new()),
        "{toml}"
    );
    assert_eq!(get(5, "title"), "Write the key rotation runbook", "{toml}");
    assert_eq!(doc["status"].as_str(), Some("resolved"), "{toml}");
}

/// A document that uses `#` for its sections: each is mapped like a `##` one.
#[test]
fn h1_sections_are_sections() {
    let (toml, doc) = imported(
        "---\ntitle: Cache failure\nstatus: resolved\n---\n# Summary\n\nOn 2024-01-03 the cache failed.\n\n\
         # Timeline\n\n- 10:00 UTC - Alert fired for cache misses\n- 10:30 UTC - Resolved by a restart\n\n# Action items\n\n- Add a cache warmup\n",
    );
    assert_eq!(doc["title"].as_str(), Some("Cache failure"), "{toml}");
    assert_eq!(doc["summary"].as_str(), Some("On 2024-01-03 the cache failed."), "{toml}");
    assert_eq!(doc["timeline"].as_array().map(Vec::len), Some(2), "{toml}");
    assert_eq!(doc["actions"].as_array().map(Vec::len), Some(1), "{toml}");
}

/// Timeline tables under day headings without a year take the document's year.
#[test]
fn day_headings_above_tables_date_their_rows() {
    let (toml, doc) = imported(
        "# Ingest lag\n\n**Date**: 2024-11-26\n\n**Status**: resolved\n\nAll times in UTC.\n\n## Summary\n\nS.\n\n## Timeline\n\n\
         ### Nov 26\n\n| Time | Event |\n|---|---|\n| 22:10 | Lag alert fired |\n\n### Nov 27\n\n| Time | Event |\n|---|---|\n| 01:05 | Lag resolved |\n",
    );
    assert_eq!(times(&doc), ["2024-11-26T22:10:00", "2024-11-27T01:05:00"], "{toml}");
}

/// A time range keeps its end as `until`.
#[test]
fn time_ranges_keep_their_end() {
    let (toml, doc) = imported(
        "# Release\n\n**Date**: 2019-04-05\n\n**Status**: resolved\n\nAll times in UTC.\n\n## Summary\n\nS.\n\n## Timeline\n\n\
         - 10:00 - 10:05 The release was tagged\n- 10:57 Images were published\n",
    );
    let first = &doc["timeline"].as_array().unwrap()[0];
    assert_eq!((first["at"].to_string(), first["until"].to_string()), ("10:00:00".into(), "10:05:00".into()), "{toml}");
    assert!(doc["timeline"].as_array().unwrap()[1].get("until").is_none(), "{toml}");
}

/// The statuses, causes and action items of the corpus, as a person reading each
/// document states them (read by hand, not from the importer's output). Each
/// stated cause is in a cause of its role and no cause is invented; every action
/// item comes through in order, with the owner and status the document gives.
#[test]
fn real_postmortems_keep_their_causes_actions_and_status() {
    // (role, words of the cause), (words of the item, owner, status).
    type Causes = &'static [(&'static str, &'static str)];
    type Actions = &'static [(&'static str, Option<&'static str>, Option<&'static str>)];
    const OPEN: Option<&str> = Some("open");
    const DONE: Option<&str> = Some("done");
    let corpus: [(&str, Option<&str>, Causes, Actions); 12] = [
        // A timeline row that says "Incident resolved" states the status too.
        ("2i2c-cloudbank-healthcheck-2025-07-11", Some("resolved"), &[], &[("Write an incident report", None, OPEN)]),
        (
            "2i2c-leap-outage-2025-08-12",
            Some("resolved"),
            &[("root", "is a bug in our NFS deployment process")],
            &[
                ("Write an incident report", None, OPEN),
                ("Write a small document for incident response", None, OPEN),
                ("Upgrade jupyterhub-home-nfs, and remove nfs-share-creator job", None, OPEN),
                ("Update `deployer` system to add opt-in hardening", None, DONE),
                ("Update primary engineer's shell configuration to better identify", None, DONE),
            ],
        ),
        ("conda-forge-token-exposure-2025-04-01", Some("resolved"), &[], &[]),
        (
            // "All systems verified operational": the timeline says it was resolved.
            "dfds-ip-starvation-2019-11",
            Some("resolved"),
            &[
                ("contributing", "No monitoring of network subnet capacity"),
                ("contributing", "Lack of revision of deployed infrastructure"),
                ("contributing", "Not possible to add availability zones to existing"),
                ("contributing", "Not possible to update load balancer configuration"),
                ("contributing", "One single Kubernetes node autoscaling group across AWS"),
                ("contributing", "We have announced sunset dates for other Kubernetes clusters"),
                ("contributing", "Teams have recently been encouraged teams to migrate to Hellman"),
            ],
            &[
                ("For every resource deployed, consider the capacity", None, None),
                ("Separate Kubernetes node autoscaling groups per AWS", None, None),
                ("Implement priority-classes for critical workloads", None, None),
                ("Consider separate prioritisation of SRE tasks", None, None),
            ],
        ),
        (
            "dfds-log4shell-2021",
            None,
            &[],
            &[
                ("Teach the teams how to scan and secure", None, None),
                ("Teach the Product Owners about how to", None, None),
                ("Figure out how to monitor the critical CVEs", None, None),
                ("Automatic process to detect CVE in products", None, None),
                ("Setup an automated inventory system for AWS resources", None, None),
                ("Create a process for identifying the missing", None, None),
            ],
        ),
        (
            "envoy-cve-2019-9900",
            Some("resolved"),
            &[
                ("root", "CVE-2019-9900 resulted from Envoy assuming that its codec"),
                ("root", "CVE-2019-9901 resulted from two distinct views of the role"),
            ],
            &[("Action+item+for+CVE-2019-9900", None, None), ("Action+item+for+CVE-2019-9901", None, None)],
        ),
        (
            "gattaca-com-helix-missed-blocks-2024-11-28",
            Some("resolved"),
            &[
                ("root", "A builder sent invalid blocks to our relay."),
                ("root", "the relay demotion mechanism failed to trigger a demotion"),
            ],
            &[
                ("Conducting stress tests and optimizations to ensure", None, None),
                ("Refining incident response processes to improve communication", None, None),
                ("looking into even more robust builder demotion", None, None),
                ("We will establish a bug bounty program", None, None),
            ],
        ),
        (
            "kubernetes-prow-flakiness-2019-05-30",
            None,
            &[("root", "On GCP, IOPS are limited proportionally to disk size.")],
            &[
                ("Create and/or fix monitoring so that when", None, None),
                ("Establish a process and guidelines for adding", None, None),
            ],
        ),
        (
            "mybinder-cluster-full-2017-10-17",
            None,
            &[
                ("root", "This was caused by the cluster being full"),
                ("contributing", "Due to the launch timeout being too small"),
                ("contributing", "a bug in KubeSpawner, pods kept getting started"),
            ],
            &[
                ("If a pod doesn't start in time", None, None),
                ("Make the launch timeout more configurable", None, None),
                ("If launch fails, then BinderHub should actually", None, None),
                ("We need better alerting for when cluster", None, None),
            ],
        ),
        ("pypi-org-team-privileges-2025-04-14", Some("resolved"), &[], &[]),
        (
            // "Fix deployed on production": the timeline says it was resolved.
            "rust-lang-crates-io-incident-2020-02-20",
            Some("resolved"),
            &[
                ("root", "was returning a successful status even though the push"),
                ("trigger", "n unexpected response during"),
            ],
            &[
                ("Add simple logging when we start the", None, None),
                ("Add a periodic job that checks the index", None, None),
                ("Include the crate name in the HTTP", None, None),
                ("Add in-depth logging for swirl background jobs", None, None),
                ("Investigate whether we want to implement a self-healing", None, None),
            ],
        ),
        (
            "rust-lang-docsrs-outage-2019-10-21",
            None,
            &[("root", "it was never configured to purge the one")],
            &[
                ("Update the docs.rs source code to cleanup", None, None),
                ("Add alerts when the available disk space", None, None),
                ("Add alerts when most of the builds", None, None),
                ("Revisit the on-call rotation to make sure", None, None),
            ],
        ),
    ];
    let p = Project::new();
    for (name, status, causes, actions) in corpus {
        let (_, toml, doc) = import_corpus(&p, name);
        assert_eq!(doc.get("status").and_then(|s| s.as_str()), status, "{name}: status\n{toml}");
        let s = |t: &toml::Value, k: &str| t.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let tables = |k: &str| doc.get(k).and_then(|v| v.as_array()).cloned().unwrap_or_default();
        let cause_text = |c: &toml::Value| format!("{}\n{}", s(c, "title"), s(c, "description"));
        let made = tables("causes");
        for (role, words) in causes {
            assert!(
                made.iter().any(|c| s(c, "role") == *role && cause_text(c).contains(words)),
                "{name}: no {role} cause says {words:?}\n{toml}"
            );
        }
        for c in &made {
            assert!(
                causes.iter().any(|(_, words)| cause_text(c).contains(words)),
                "{name}: a cause the document does not state: {c}"
            );
        }
        let items = tables("actions");
        assert_eq!(items.len(), actions.len(), "{name}: action items\n{toml}");
        for (item, (words, owner, status)) in items.iter().zip(actions) {
            let details: Vec<&str> = item
                .get("details")
                .and_then(|d| d.as_array())
                .map_or(vec![], |d| d.iter().filter_map(|x| x.as_str()).collect());
            let said = format!("{}\n{}", s(item, "title"), details.join("\n"));
            assert!(said.contains(words), "{name}: {words:?} not in {said:?}");
            assert_eq!(item.get("owner").and_then(|o| o.as_str()), *owner, "{name}: owner of {words:?}");
            assert_eq!(item.get("status").and_then(|o| o.as_str()), *status, "{name}: status of {words:?}");
        }
    }
}

/// A date range gives the record its first day, with the range beside it.
#[test]
fn a_date_range_gives_its_first_day_and_keeps_the_range() {
    let (toml, doc) = imported(
        "# Two CVEs\n\n## Incident date(s)\n\n2019-02-18 - 2019-04-05\n\n## Status\n\nFinal\n\n## Summary\n\nS.\n",
    );
    assert_eq!(doc["date"].to_string(), "2019-02-18");
    assert!(
        toml.contains(
            "date = 2019-02-18  # the document: 2019-02-18 - 2019-04-05 (the record's date is its first day)"
        ),
        "{toml}"
    );
    let (toml, _) = imported("# Outage\n\n**Date**: May 3rd, 2021 to May 5th, 2021\n\n**Status**: resolved\n\nText.\n");
    assert!(toml.contains("date = 2021-05-03  # the document: May 3rd, 2021 to May 5th, 2021"), "{toml}");
}

/// A timeline written as prose: each line that opens with a time is an entry,
/// the lines after it its text; the marks still come from the words.
#[test]
fn a_timeline_in_prose_has_an_entry_per_timed_line() {
    let (toml, doc) = imported(
        "# Checkout outage\n\n**Date**: 2024-05-02\n\n**Status**: resolved\n\nAll times UTC.\n\n## Summary\n\nCheckout failed.\n\n\
         ## Timeline\n\nThe deploy went out in the afternoon.\n\nAt 2:05 PM, the alert fired for checkout errors.\n\
         We looked at the dashboards.\n\n14:20 We rolled back the deploy.\n\n**14:45** Error rate back to normal.\n",
    );
    assert_eq!(times(&doc), ["14:05:00", "14:20:00", "14:45:00"], "{toml}");
    let timeline = doc["timeline"].as_array().unwrap();
    assert_eq!(
        timeline[0]["body"].as_str(),
        Some("the alert fired for checkout errors.\nWe looked at the dashboards.")
    );
    assert_eq!(timeline[0]["marks"].to_string(), r#"["detected"]"#);
    assert_eq!(timeline[2]["body"].as_str(), Some("Error rate back to normal."));
    assert!(timeline[2].get("marks").is_none(), "nothing says it was resolved: {toml}");
    assert!(toml.contains("at = 14:05:00  # the document: At 2:05 PM"), "{toml}");
    assert!(toml.contains("# The deploy went out in the afternoon."), "{toml}");
}

/// Under a day heading, a row whose time is not a time ("unknown", "morning")
/// is an entry on that day with its time cell in its text: no time is invented.
#[test]
fn rows_with_unknown_times_under_a_day_heading_are_entries_on_that_day() {
    let (toml, doc) = imported(
        "# Sequencing backlog\n\n**Date**: 2021-03-04\n\n**Status**: resolved\n\nAll times GMT.\n\n## Summary\n\nSamples piled up.\n\n\
         ## Timeline\n\n### 4 March 2021\n\n| Time | Event |\n|------|-------|\n| unknown | Sample queue began growing |\n\
         | 14:10 | Alert fired for queue depth |\n\n### 5 March 2021\n\n| Time | Event |\n|------|-------|\n| morning | Backlog cleared |\n",
    );
    assert_eq!(times(&doc), ["2021-03-04", "2021-03-04T14:10:00", "2021-03-05"], "{toml}");
    let timeline = doc["timeline"].as_array().unwrap();
    assert_eq!(timeline[0]["body"].as_str(), Some("unknown — Sample queue began growing"));
    assert_eq!(timeline[2]["body"].as_str(), Some("morning — Backlog cleared"));
}

/// What `casebook check` would refuse is not written: a severity the project
/// does not configure is a TODO with the document's words; words that mark
/// moments out of their order mark only the first; a secret stops the import.
#[test]
fn imports_never_write_what_check_refuses() {
    let (toml, doc) = imported(
        "# Outage\n\n**Date**: 2024-01-02\n\n**Severity**: P1\n\n**Status**: resolved\n\nAll times UTC.\n\n## Summary\n\nS.\n\n\
         ## Timeline\n\n- 09:00 UTC incident resolved by the vendor\n- 10:00 UTC alert fired for errors\n",
    );
    assert!(doc.get("severity").is_none(), "{toml}");
    assert!(
        toml.contains("# TODO: severity = \"SEV1\" # the document: P1; levels: SEV1, SEV2, SEV3, SEV4, SEV5\n"),
        "{toml}"
    );
    let timeline = doc["timeline"].as_array().unwrap();
    assert_eq!(timeline[0]["marks"].to_string(), r#"["resolved"]"#);
    assert!(timeline[1].get("marks").is_none(), "detected after resolved is not marked: {toml}");

    // The report names the clash.
    let p = Project::new();
    let src = p.write(
        "docs/clash.md",
        "# Outage\n\n**Date**: 2024-01-02\n\n**Status**: resolved\n\nAll times UTC.\n\n## Summary\n\nS.\n\n\
         ## Timeline\n\n- 09:00 UTC incident resolved\n- 10:00 UTC alert fired\n",
    );
    let (code, _, err) = p.run(&["import", src.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "clash.md: unsure: \"detected\" not marked at 2024-01-02T10:00:00: \"resolved\" is marked earlier, at 2024-01-02T09:00:00"
        ),
        "{err}"
    );
    // A secret in the document: nothing is written, and the error says what to do.
    let src = p.write(
        "docs/leak.md",
        "# Leak\n\n**Date**: 2024-01-02\n\n**Status**: resolved\n\n## Summary\n\nThe token ghp_abcdefghijklmnopqrstuvwxyz0123456789AB leaked.\n",
    );
    let target = p.path().join("incidents/leak.toml");
    let (code, _, err) = p.run(&["import", src.to_str().unwrap(), "-o", target.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(!target.exists(), "nothing is written");
    for part in ["leak.md holds what casebook check refuses", "a GitHub token", "[E0021]", "remove it, and rotate it"] {
        assert!(err.contains(part), "missing {part:?}:\n{err}");
    }
}

/// Every timeline row of the corpus, as a person reading each document places
/// it (read by hand, not from the importer's output): the local date-time in the
/// document's stated zone (the other corpus test holds each zone), or the day
/// alone when the row gives only a day; and the rows that give neither, kept
/// beside the timeline. Compared in time order (the importer puts rows the
/// document lists out of order in order).
#[test]
fn real_postmortems_keep_every_timeline_row() {
    // (file, rows with neither time nor day, every other row's local time).
    let corpus: [(&str, usize, &[&str]); 12] = [
        (
            "2i2c-cloudbank-healthcheck-2025-07-11",
            0,
            &[
                "2025-07-11T12:42:00",
                "2025-07-11T12:49:00",
                "2025-07-11T13:06:00",
                "2025-07-11T13:27:00",
                "2025-07-11T13:29:00",
                "2025-07-11T13:35:00",
                "2025-07-11T13:36:00",
                "2025-07-11T13:38:00",
                "2025-07-11T13:38:00",
                "2025-07-11T13:42:00",
                "2025-07-11T14:35:00",
                "2025-07-11T15:34:00",
                "2025-07-11T16:06:00",
                "2025-07-11T16:22:00",
                "2025-07-14T11:20:00",
            ],
        ),
        (
            "2i2c-leap-outage-2025-08-12",
            0,
            &[
                "2025-08-12T17:00:00",
                "2025-08-12T17:02:00",
                "2025-08-12T17:15:00",
                "2025-08-12T17:32:00",
                "2025-08-12T17:33:00",
                "2025-08-12T17:37:00",
                "2025-08-12T17:43:00",
                "2025-08-12T17:48:00",
                "2025-08-12T17:51:00",
                "2025-08-12T17:55:00",
                "2025-08-12T18:08:00",
                "2025-08-12T18:11:00",
                "2025-08-12T20:16:00",
                "2025-08-12T20:20:00",
                "2025-08-12T20:37:00",
                "2025-08-12T21:03:00",
                "2025-08-12T21:16:00",
            ],
        ),
        (
            "conda-forge-token-exposure-2025-04-01",
            0,
            &[
                "2025-04-01T13:35:00",
                "2025-04-01T14:00:00",
                "2025-04-01T14:15:00",
                "2025-04-01T14:20:00",
                "2025-04-01T15:19:00",
                "2025-04-01T15:53:00",
                "2025-04-01T21:39:00",
                "2025-04-01T22:20:00",
                "2025-04-01T23:02:00",
                "2025-04-02",
            ],
        ),
        (
            "dfds-ip-starvation-2019-11",
            1,
            &[
                "2019-11-29T12:00:00",
                "2019-11-30T08:24:00",
                "2019-11-30T09:00:00",
                "2019-11-30T10:30:00",
                "2019-12-02T04:30:00",
                "2019-12-03",
                "2019-12-04T03:00:00",
                "2019-12-04T09:30:00",
                "2019-12-05T03:30:00",
                "2019-12-05T05:30:00",
                "2019-12-05T06:00:00",
                "2019-12-05T07:00:00",
                "2019-12-05T12:00:00",
            ],
        ),
        (
            "dfds-log4shell-2021",
            0,
            &[
                "2021-12-10",
                "2021-12-10T15:40:00",
                "2021-12-10T16:10:00",
                "2021-12-10T16:10:00",
                "2021-12-10T19:00:00",
                "2021-12-13T09:15:00",
                "2021-12-13T11:45:00",
                "2021-12-13T15:50:00",
                "2021-12-13T14:30:00",
                "2021-12-13T16:29:00",
                "2021-12-14T09:15:00",
                "2021-12-14T10:50:00",
                "2021-12-14T11:11:00",
                "2021-12-14T11:30:00",
                "2021-12-16T14:00:00",
                "2021-12-16T16:14:00",
                "2021-12-16T17:18:00",
                "2021-12-17T12:00:00",
                "2021-12-17T12:45:00",
                "2021-12-17T13:00:00",
                "2021-12-17T14:00:00",
                "2021-12-17T14:40:00",
                "2021-12-17",
                "2021-12-18",
                "2021-12-20T09:15:00",
                "2022-01-04T11:03:00",
            ],
        ),
        (
            "envoy-cve-2019-9900",
            0,
            &[
                "2019-02-18",
                "2019-02-19",
                "2019-03-08",
                "2019-03-10",
                "2019-03-11",
                "2019-03-13",
                "2019-03-14",
                "2019-03-14",
                "2019-03-14",
                "2019-03-20",
                "2019-03-20",
                "2019-03-22T11:20:00",
                "2019-03-22T11:24:00",
                "2019-03-28",
                "2019-03-28T13:53:00",
                "2019-03-28T20:07:00",
                "2019-03-29",
                "2019-04-02T08:15:00",
                "2019-04-04T15:41:00",
                "2019-04-04T18:33:00",
                "2019-04-04T19:18:00",
                "2019-04-05T10:00:00",
                "2019-04-05T10:05:00",
                "2019-04-05T10:57:00",
            ],
        ),
        (
            "gattaca-com-helix-missed-blocks-2024-11-28",
            0,
            &[
                "2024-11-28T05:52:00",
                "2024-11-28T06:39:00",
                "2024-11-28T07:01:00",
                "2024-11-28T07:39:00",
                "2024-11-28T07:54:00",
                "2024-11-28T11:58:00",
                "2024-11-28T15:56:00",
                "2024-11-28T16:09:00",
            ],
        ),
        (
            "kubernetes-prow-flakiness-2019-05-30",
            1,
            &[
                "2019-05-30T13:26:00",
                "2019-05-30T14:11:00",
                "2019-05-30T14:17:00",
                "2019-05-30T14:43:00",
                "2019-05-30T15:02:00",
                "2019-05-30T15:14:00",
                "2019-05-30T17:10:00",
                "2019-05-30T17:41:00",
                "2019-05-30T23:55:00",
                "2019-05-31T07:00:00",
            ],
        ),
        (
            "mybinder-cluster-full-2017-10-17",
            0,
            &[
                "2017-10-17T07:42:00",
                "2017-10-17T08:47:00",
                "2017-10-17T09:14:00",
                "2017-10-17T09:19:00",
                "2017-10-17T09:49:00",
                "2017-10-17T10:18:00",
                "2017-10-17T11:02:00",
                "2017-10-17T11:14:00",
                "2017-10-17T11:29:00",
            ],
        ),
        (
            "pypi-org-team-privileges-2025-04-14",
            0,
            &[
                "2025-04-14T16:37:00",
                "2025-04-14T17:02:00",
                "2025-04-14T17:22:00",
                "2025-04-14T17:58:00",
                "2025-04-14T18:30:00",
                "2025-04-14T18:33:00",
                "2025-04-14T18:39:00",
                "2025-04-14T19:06:00",
            ],
        ),
        (
            "rust-lang-crates-io-incident-2020-02-20",
            0,
            &[
                "2020-02-20T21:17:00",
                "2020-02-20T21:28:00",
                "2020-02-20T21:31:00",
                "2020-02-20T21:33:00",
                "2020-02-20T21:35:00",
                "2020-02-20T21:37:00",
                "2020-02-20T21:50:00",
                "2020-02-20T22:01:00",
                "2020-02-20T22:09:00",
                "2020-02-20T22:16:00",
                "2020-02-20T22:17:00",
                "2020-02-20T22:20:00",
                "2020-02-20T22:23:00",
                "2020-02-20T22:48:00",
                "2020-02-21T09:27:00",
                "2020-02-21T12:55:00",
                "2020-02-21T14:10:00",
            ],
        ),
        (
            "rust-lang-docsrs-outage-2019-10-21",
            0,
            &[
                "2019-10-20T00:55:00",
                "2019-10-21T01:38:00",
                "2019-10-21T01:39:00",
                "2019-10-21T01:39:00",
                "2019-10-21T01:52:00",
                "2019-10-21T01:56:00",
                "2019-10-21T01:57:00",
                "2019-10-21T02:00:00",
                "2019-10-21T02:03:00",
                "2019-10-21T02:06:00",
                "2019-10-21T02:06:00",
                "2019-10-21T08:19:00",
                "2019-10-21T19:27:00",
            ],
        ),
    ];
    let p = Project::new();
    for (name, untimed, rows) in corpus {
        let (_, toml, doc) = import_corpus(&p, name);
        let date = doc["date"].to_string();
        // A time alone is on the record's date.
        let mut made: Vec<String> =
            times(&doc).into_iter().map(|at| if at.len() == 8 { format!("{date}T{at}") } else { at }).collect();
        made.sort();
        let mut want: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
        want.sort();
        assert_eq!(made, want, "{name}: timeline rows\n{toml}");
        let kept = doc
            .get("sections")
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
            .filter(|s| s["title"].as_str().is_some_and(|t| t.ends_with(": rows without a time")))
            .map(|s| s["body"].as_str().unwrap_or_default().lines().filter(|l| l.starts_with(['-', '|'])).count())
            .sum::<usize>();
        assert_eq!(kept, untimed, "{name}: rows with neither time nor day\n{toml}");
    }
}

/// Times in UTC: a row of each zone the corpus states, converted by hand (BST
/// +01:00, PDT -07:00, PST -08:00 as the document says it, CET +01:00, and
/// US/Pacific on daylight time after 2019-03-10), against the record's local
/// time read in the record's `timezone` by casebook's own zone rules.
#[test]
fn real_postmortems_times_in_utc() {
    use casebook::model::Zone;
    let corpus = [
        ("2i2c-cloudbank-healthcheck-2025-07-11", "2025-07-11T12:42:00", "2025-07-11T11:42:00Z"),
        ("2i2c-leap-outage-2025-08-12", "2025-08-12T17:00:00", "2025-08-12T16:00:00Z"),
        ("kubernetes-prow-flakiness-2019-05-30", "2019-05-31T07:00:00", "2019-05-31T14:00:00Z"),
        ("mybinder-cluster-full-2017-10-17", "2017-10-17T07:42:00", "2017-10-17T15:42:00Z"),
        ("dfds-ip-starvation-2019-11", "2019-11-30T08:24:00", "2019-11-30T07:24:00Z"),
        ("envoy-cve-2019-9900", "2019-03-22T11:20:00", "2019-03-22T18:20:00Z"),
        ("rust-lang-docsrs-outage-2019-10-21", "2019-10-20T00:55:00", "2019-10-20T00:55:00Z"),
        ("gattaca-com-helix-missed-blocks-2024-11-28", "2024-11-28T05:52:00", "2024-11-28T05:52:00Z"),
    ];
    let p = Project::new();
    for (name, local, utc) in corpus {
        let (_, toml, doc) = import_corpus(&p, name);
        let date = doc["date"].to_string();
        let row = times(&doc)
            .into_iter()
            .map(|at| if at.len() == 8 { format!("{date}T{at}") } else { at })
            .find(|at| at == local)
            .unwrap_or_else(|| panic!("{name}: no row at {local}\n{toml}"));
        let zone = Zone::parse(doc["timezone"].as_str().unwrap()).unwrap();
        let naive = chrono::NaiveDateTime::parse_from_str(&row, "%Y-%m-%dT%H:%M:%S").unwrap();
        let instant = zone.localize(naive).unwrap().naive_utc();
        assert_eq!(format!("{}Z", instant.format("%Y-%m-%dT%H:%M:%S")), utc, "{name}");
    }
}

/// An action item's ticket from how the document links it: a link named like a
/// tracker's (`[Issue](...)`, `[#12829](...)`), a `[#2226]` prefix with its
/// definition in the section, or an item that is only an issue address; and an
/// item's wrapped lines are its one paragraph, not details.
#[test]
fn action_items_take_their_tickets_from_links() {
    let p = Project::new();
    let tickets = |name: &str| -> Vec<(String, String)> {
        let (_, _, doc) = import_corpus(&p, name);
        doc["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                let s = |k: &str| a.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
                (s("title"), s("ticket"))
            })
            .collect()
    };
    let mybinder = tickets("mybinder-cluster-full-2017-10-17");
    assert_eq!(mybinder[1].1, "https://github.com/jupyterhub/binderhub/issues/244");
    let crates = tickets("rust-lang-crates-io-incident-2020-02-20");
    assert_eq!(crates[0].1, "https://github.com/rust-lang/crates.io/issues/2226");
    assert!(crates[1].0.ends_with("for consistency, paging the on-call person if there are any mismatches. The job will need to account for the crates not yet published on the index but in the queue."), "{:?}", crates[1]);
    let kubernetes = tickets("kubernetes-prow-flakiness-2019-05-30");
    assert_eq!(kubernetes[0].1, "https://github.com/kubernetes/test-infra/issues/12829");
    assert_eq!(kubernetes[1].1, "", "no link, no ticket");
    let envoy = tickets("envoy-cve-2019-9900");
    assert!(envoy[0].1.starts_with("https://github.com/envoyproxy/envoy/issues?"), "{envoy:?}");
    // Titles are plain text: the ticket's link that ends an item is the ticket,
    // a `[#2226]` prefix is too, and any other link's address is a detail.
    assert!(mybinder[0].0.ends_with("it should never 'orphan' pods."), "{:?}", mybinder[0]);
    assert_eq!(crates[0].0, "Add simple logging when we start the index publishing process.");
    let (toml, doc) = imported(
        "# T\n\n**Date**: 2024-01-02\n\n**Status**: resolved\n\n## Summary\n\nS.\n\n## Action items\n\n\
         - Update [the runbook](https://wiki.test/rb) for restores\n",
    );
    let action = &doc["actions"].as_array().unwrap()[0];
    assert_eq!(action["title"].as_str(), Some("Update the runbook for restores"), "{toml}");
    assert_eq!(action["details"].to_string(), r#"["[the runbook](https://wiki.test/rb)"]"#, "{toml}");
}

/// A row's time in brackets leaves no empty brackets behind, and impact notes
/// are the document's paragraphs and items, not its wrapped lines.
#[test]
fn row_text_and_impact_notes_read_as_markdown_reads_them() {
    let (toml, doc) = imported(
        "# T\n\n**Date**: 2024-01-02\n\n**Status**: resolved\n\nAll times UTC.\n\n## Summary\n\nS.\n\n\
         ## Impact\n\nMany tests failed for no clear\nreason. It lasted hours.\n\nAt peak, 60 PRs were stuck.\n\n\
         ## Timeline\n\n* [13:26] @cblecker reports on Slack\n* (14:11) nodes are wrong\n",
    );
    let timeline = doc["timeline"].as_array().unwrap();
    assert_eq!(timeline[0]["body"].as_str(), Some("@cblecker reports on Slack"), "{toml}");
    assert_eq!(timeline[1]["body"].as_str(), Some("nodes are wrong"), "{toml}");
    assert_eq!(
        doc["impact"]["notes"].to_string(),
        r#"["Many tests failed for no clear reason. It lasted hours.", "At peak, 60 PRs were stuck."]"#,
        "{toml}"
    );
    // A row's day and time are its `at`; its text is on the lines below.
    let (toml, doc) = imported(
        "# T\n\n**Date**: 2025-04-14\n\n**Status**: resolved\n\n## Summary\n\nS.\n\n\
         ## Timeline of events\n\n- 2025-04-14 16:37 UTC\n    A user reported it.\n- 2025-04-14 17:02 UTC: Acknowledged receipt.\n",
    );
    assert_eq!(times(&doc), ["2025-04-14T16:37:00", "2025-04-14T17:02:00"], "{toml}");
    let timeline = doc["timeline"].as_array().unwrap();
    assert_eq!(timeline[0]["body"].as_str(), Some("A user reported it."), "{toml}");
    assert_eq!(timeline[1]["body"].as_str(), Some("Acknowledged receipt."), "{toml}");
    // A time cell's other words are said beside the value, and an estimate is approximate.
    let (toml, doc) = imported(
        "# T\n\n**Date**: 2024-01-02\n\n**Status**: resolved\n\nAll times UTC.\n\n## Summary\n\nS.\n\n\
         ## Timeline\n\n| Time | Event |\n|---|---|\n| ~14:02 (approx, per Slack) | alert |\n| 14:30 | rollback |\n",
    );
    assert!(toml.contains("at = 14:02:00  # the document: ~14:02 (approx, per Slack)\napproximate = true\n"), "{toml}");
    assert!(doc["timeline"][1].get("approximate").is_none(), "{toml}");
}

/// The report on stderr shows a heading's control characters as `?`: an escape
/// sequence in a document cannot clear or retitle the terminal of whoever imports it.
#[test]
fn the_report_never_writes_a_documents_escape_sequences() {
    let p = Project::new();
    let src = p.write(
        "docs/esc.md",
        "# T\n\n**Date**: 2024-01-02\n\n**Status**: resolved\n\n## Summary\n\nS.\n\n## Notes \u{1b}]0;pwned\u{7}\u{1b}[2J\n\nText.\n",
    );
    let (code, _, err) = p.run(&["import", src.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("esc.md: Notes ?]0;pwned??[2J → [[sections]]"), "{err}");
}

/// What an adversarial read found: denied words say nothing, an exit status is
/// no commit, a `javascript:` address is no link, old line ends are line ends,
/// titles keep their quotes, and empty parts make nothing but a comment.
#[test]
fn odd_documents_state_only_what_they_say() {
    let head = "**Date**: 2024-03-05\n\nAll times in UTC.\n\n## Summary\n\nS.\n\n";
    let p = Project::new();
    for said in ["Unresolved", "Not resolved yet; still investigating", "Incomplete", "Ongoing - not fixed"] {
        let md = format!("# T\n\n**Status**: {said}\n\n{head}");
        let src = p.write("docs/status.md", &md);
        let (code, toml, err) = import(&p, src.to_str().unwrap());
        assert_eq!(code, 0, "{err}");
        assert_nothing_lost(&md, &toml);
        // No status is made up: a TODO keeps the document's words.
        assert!(!toml.contains("\nstatus ="), "{said}:\n{toml}");
        assert!(toml.contains(&format!("; the document: {said}\n")), "{said}:\n{toml}");
        assert!(err.contains(&format!("TODO status: the document says \"{said}\"")), "{err}");
    }
    let (toml, doc) = imported(&format!(
        "# T\n\n**Status**: resolved\n\n{head}## Timeline\n\n- 14:02 The alert did not fire, nobody noticed\n\
         - 14:30 Customer asked whether it was resolved\n- 14:40 Exited with status `1234567`\n\n\
         ## Action items\n\n| Action | Owner | Status |\n|---|---|---|\n| Add alert | Bob | NOT DONE |\n\n\
         ## Links\n\n- [click](javascript:alert(1))\n"
    ));
    let timeline = doc["timeline"].as_array().unwrap();
    assert!(timeline.iter().all(|e| e.get("marks").is_none()), "{toml}");
    assert!(!toml.contains("commits ="), "{toml}");
    assert_eq!(doc["actions"][0]["status"].as_str(), Some("open"), "{toml}");
    assert!(doc.get("links").is_none(), "{toml}");
    assert!(toml.contains("click (`javascript:alert(1)`)"), "kept as words, not a link:\n{toml}");
    // Old Mac line ends; quotes as written; an empty section is a comment.
    let (toml, doc) = imported(
        "# \"Quoted\" title...\r\r**Date**: 2024-03-05\r\r**Status**: resolved\r\r## Summary\r\rS.\r\r## Supporting information\r",
    );
    assert_eq!(doc["title"].as_str(), Some("\"Quoted\" title..."), "{toml}");
    assert_eq!(doc["status"].as_str(), Some("resolved"), "{toml}");
    assert!(doc.get("sections").is_none() && toml.contains("# \"Supporting information\" has no text"), "{toml}");
    // Zones with offsets; a date's other words; a date that is no day keeps its words.
    let (toml, doc) = imported(
        "# T\n\n**Date**: 2024-03-05 (approximately, after the freeze)\n\n**Status**: resolved\n\nAll times in UTC+5:30.\n\n## Summary\n\nS.\n",
    );
    assert_eq!(doc["timezone"].as_str(), Some("+05:30"), "{toml}");
    assert!(
        toml.contains("date = 2024-03-05  # the document: 2024-03-05 (approximately, after the freeze)\n"),
        "{toml}"
    );
    let (_, doc) =
        imported("# T\n\n**Date**: 2024-03-05\n\n**Status**: resolved\n\nAll times GMT+1\n\n## Summary\n\nS.\n");
    assert_eq!(doc["timezone"].as_str(), Some("+01:00"));
    let md = "# T\n\n**Date**: 2024-02-30\n\n**Status**: resolved\n\nAll times in UTC.\n\n## Summary\n\nS.\n";
    let src = p.write("docs/day.md", md);
    let (code, toml, err) = import(&p, src.to_str().unwrap());
    assert_eq!(code, 0, "{err}");
    assert_nothing_lost(md, &toml);
    assert!(toml.contains("# TODO: date = YYYY-MM-DD (the document says 2024-02-30)\n"), "{toml}");
    // "UTC" beside some times while another zone is named: read as UTC, and said unsure.
    let md = "# T\n\n**Date**: 2024-03-05\n\n**Status**: resolved\n\nAll times are Pacific Time.\n\n## Summary\n\nThe job ran at midnight UTC.\n";
    let src = p.write("docs/zone.md", md);
    let (code, _, err) = import(&p, src.to_str().unwrap());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("zone.md: unsure: the zone is read as UTC"), "{err}");
    // A date taken from the summary's text is a guess the report says.
    let md = "# T\n\n**Status**: resolved\n\n## Summary\n\nThe bug shipped in the 2019-01-01 release.\n";
    let src = p.write("docs/guess.md", md);
    let (code, _, err) = import(&p, src.to_str().unwrap());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("guess.md: unsure: the date 2019-01-01 is the first in \"Summary\""), "{err}");
    // With no date, rows after midnight cannot be placed: kept without a time.
    let md = "# Night\n\n**Status**: resolved\n\n## Summary\n\nS.\n\n## Timeline\n\n- 23:50 UTC alert fired\n- 00:10 UTC rolled back\n";
    let src = p.write("docs/night.md", md);
    let (code, toml, err) = import(&p, src.to_str().unwrap());
    assert_eq!(code, 0, "{err}");
    assert_nothing_lost(md, &toml);
    assert!(err.contains("1 row(s) after midnight kept without a time"), "{err}");
    assert!(toml.contains("body = \"- 00:10 rolled back\""), "{toml}");
    // Second review: the document's own status words win over a timeline's; a
    // later 12-hour time in a row is not its time; "UTC - 10:00" is no offset;
    // denied causes are none; questions and passing links state nothing.
    let md = "# T\n\n**Date**: 2024-03-05\n\n**Status**: Unresolved\n\nAll times UTC - 10:00 is when it began.\n\n\
              ## Summary\n\nThe root cause of this incident is not yet known.\n\n## Timeline\n\n\
              - 10:00 Alice said the deploy at 5:00 PM yesterday broke it\n- 11:00 Fix deployed on production, incident resolved\n\n\
              ## Action items\n\n| Action | Customer facing | Status |\n|---|---|---|\n| Add alert | Yes | Done? |\n\
              | Add runbook | No | not yet DONE |\n\n- [v2] Rewrite the importer (see [issue](https://x.test/issues/1) for ideas)\n";
    let src = p.write("docs/second.md", md);
    let (code, toml, err) = import(&p, src.to_str().unwrap());
    assert_eq!(code, 0, "{err}");
    assert_nothing_lost(md, &toml);
    let doc: toml::Table = toml::from_str(&toml).unwrap();
    assert!(doc.get("status").is_none() && toml.contains("; the document: Unresolved\n"), "{toml}");
    assert_eq!(doc["timezone"].as_str(), Some("UTC"), "{toml}");
    assert!(doc.get("causes").is_none(), "{toml}");
    assert_eq!(times(&doc), ["10:00:00", "11:00:00"], "{toml}");
    let actions = doc["actions"].as_array().unwrap();
    assert!(actions[0].get("status").is_none(), "a question states no status: {toml}");
    assert_eq!(actions[1]["status"].as_str(), Some("open"), "{toml}");
    assert!(actions[2].get("ticket").is_none() && actions[2].get("owner").is_none(), "{toml}");
    // A timeline that gave no entries: its heading is not said above the causes.
    let (toml, _) = imported(&format!(
        "# T\n\n**Status**: resolved\n\n{head}## Timeline\n\nNothing was timed.\n\n## Root cause\n\nA bad deploy.\n"
    ));
    let causes = toml.find("[[causes]]").unwrap();
    assert!(!toml[..causes].ends_with("# From \"## Timeline\"\n[[causes]]"), "{toml}");
}

/// In a project whose repository is real, an id the repository does not have is
/// not cited (casebook check would refuse it): it stays in the text, and the
/// report says so; a commit the repository has is cited.
#[test]
fn commits_the_repository_does_not_have_are_not_cited() {
    let p = Project::new();
    let sha = p.git().commit(1, "fix: add the missing index", &[("db.sql", "create index")]);
    let short = &sha[..7];
    let md = format!(
        "# T\n\n**Date**: 2024-03-05\n\n**Status**: resolved\n\nAll times in UTC.\n\n## Summary\n\nS.\n\n## Timeline\n\n\
         - 14:02 alert fired (`abcdef1`)\n- 14:30 deployed `{short}` - the fix\n\n## Root cause\n\nA bad index.\n\n**Commit**: `beefcafe`\n"
    );
    let src = p.write("docs/git.md", &md);
    let target = p.path().join("incidents/git.toml");
    let (code, _, err) = p.run(&["import", src.to_str().unwrap(), "-o", target.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let toml = std::fs::read_to_string(&target).unwrap();
    assert_nothing_lost(&md, &toml);
    assert!(err.contains("git.md: unsure: `abcdef1` is not a commit of the repository"), "{err}");
    assert!(err.contains("`beefcafe` is not a commit"), "{err}");
    let doc: toml::Table = toml::from_str(&toml).unwrap();
    assert!(doc["timeline"][0].get("commits").is_none(), "{toml}");
    assert_eq!(doc["timeline"][1]["commits"].to_string(), format!("[\"{short}\"]"), "{toml}");
    let (code, err) = p.check();
    assert!(!err.contains("error["), "{err}");
    assert_eq!(code, 0, "{err}");
}

/// Second review, continued: a timeline in two sections that crosses midnight
/// is placed across both; "Jan 1" under an incident of 31 December is the next
/// year's; front matter's title beside an H1, a second Date line and a YAML
/// comment keep their words; a contributing factor's link stays in its text.
#[test]
fn timelines_across_sections_and_header_words_are_kept() {
    let (toml, doc) = imported(
        "# Night\n\n**Date**: 2024-12-31\n\n**Date**: around New Year\n\n**Status**: resolved\n\nAll times in UTC.\n\n\
         ## Summary\n\nS.\n\n## Timeline (evening)\n\n- 23:50 alert fired\n\n## Timeline (next morning)\n\n- 07:00 rolled back\n\n\
         ## Contributing factors\n\n- A [flaky probe](https://x.test/probe) kept restarting pods\n",
    );
    assert_eq!(times(&doc), ["23:50:00", "2025-01-01T07:00:00"], "{toml}");
    assert!(toml.contains("**Date**: around New Year"), "{toml}");
    assert!(doc["causes"][0]["description"].as_str().unwrap().contains("https://x.test/probe"), "{toml}");
    let (toml, doc) = imported(
        "# Night\n\n**Date**: 2024-12-31\n\n**Status**: resolved\n\nAll times in UTC.\n\n## Summary\n\nS.\n\n## Timeline\n\n### Jan 1\n\n- 00:20 resolved\n",
    );
    assert_eq!(times(&doc), ["2025-01-01T00:20:00"], "{toml}");
    let (toml, doc) = imported(
        "---\n# generated by the blog\ntitle: Front title\n---\n# The H1 title\n\n**Date**: 2024-03-05\n\n**Status**: resolved\n\n## Summary\n\nS.\n",
    );
    assert_eq!(doc["title"].as_str(), Some("The H1 title"), "{toml}");
    assert!(toml.contains("**title**: Front title"), "{toml}");
}

/// Lesser findings of the second review: "Todo list app" is a title, not a
/// marker; `\|` is a pipe in its cell; an estimate after the time is one; a
/// paragraph with comments around shown words keeps them shown.
#[test]
fn markers_pipes_estimates_and_comments_as_written() {
    let (toml, doc) = imported(
        "# T\n\n**Date**: 2024-03-05\n\n**Status**: resolved\n\nAll times in UTC.\n\n## Summary\n\n<!-- a --> shown words <!-- b -->\n\n\
         ## Timeline\n\n| Time | Event |\n|---|---|\n| 00:10 | paged \\| Bob |\n\n## Action items\n\n- Todo list app should be migrated\n- TODO: add an alert\n",
    );
    let actions = doc["actions"].as_array().unwrap();
    assert_eq!(actions[0]["title"].as_str(), Some("Todo list app should be migrated"), "{toml}");
    assert!(actions[0].get("status").is_none(), "{toml}");
    assert_eq!(actions[1]["status"].as_str(), Some("open"), "{toml}");
    assert_eq!(doc["timeline"][0]["body"].as_str(), Some("paged | Bob"), "{toml}");
    assert!(doc["summary"].as_str().unwrap().contains("shown words"), "{toml}");
    let (toml, doc) = imported(
        "# T\n\n**Date**: 2024-03-05\n\n**Status**: resolved\n\nAll times in UTC.\n\n## Summary\n\nS.\n\n\
         ## Timeline\n\n- 10:15 (approx) alert fired\n- 12:00+ scaling up\n- 12:30 done\n",
    );
    let timeline = doc["timeline"].as_array().unwrap();
    assert_eq!(timeline[0]["approximate"].as_bool(), Some(true), "{toml}");
    assert_eq!(timeline[1]["approximate"].as_bool(), Some(true), "{toml}");
    assert!(timeline[2].get("approximate").is_none(), "{toml}");
}

/// An action table's title cell is plain text like a list item's: a tracker
/// link ending it is the ticket, another link a detail.
#[test]
fn action_table_titles_are_plain_text() {
    let (toml, doc) = imported(
        "# T\n\n**Date**: 2024-03-05\n\n**Status**: resolved\n\n## Summary\n\nS.\n\n## Action items\n\n\
         | Action | Owner | Status |\n|---|---|---|\n| Review the [runbook](https://wiki.test/rb) [PR](https://github.com/o/r/pull/3) | Eve | open |\n",
    );
    let action = &doc["actions"][0];
    assert_eq!(action["title"].as_str(), Some("Review the runbook"), "{toml}");
    assert_eq!(action["ticket"].as_str(), Some("https://github.com/o/r/pull/3"), "{toml}");
    assert_eq!(action["details"].to_string(), r#"["[runbook](https://wiki.test/rb)"]"#, "{toml}");
    assert_eq!(action["owner"].as_str(), Some("Eve"), "{toml}");
}
