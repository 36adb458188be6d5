//! The rules of FORMAT.md, each with its own code, message and place.

use crate::project::*;

fn fails(extra: &str, needles: &[&str]) {
    let p = Project::new();
    p.write("x.toml", record(extra));
    assert_check_fails(&p, needles);
}

fn warns(extra: &str, needles: &[&str]) {
    let p = Project::new();
    p.write("x.toml", record(extra));
    assert_check_passes(&p, needles);
}

#[test]
fn moment_given_at_top_level_and_as_a_mark() {
    fails(
        "detected = 2025-11-16T21:00:00Z\n[[timeline]]\nat = 21:00:00\nmarks = [\"detected\"]\n",
        &["error[E0013]", "`detected` is given twice: here and as a top-level key", "x.toml:8:10", "first given here"],
    );
}

#[test]
fn moment_marked_on_two_entries() {
    fails(
        "[[timeline]]\nat = 21:00:00\nmarks = [\"detected\"]\n[[timeline]]\nat = 21:05:00\nmarks = [\"detected\"]\n",
        &["error[E0013]", "on another timeline entry", "x.toml:10:10"],
    );
}

#[test]
fn moments_out_of_order() {
    fails(
        "started = 2025-11-16T21:00:00Z\nmitigated = 2025-11-16T20:00:00Z\n",
        &["error[E0014]", "`mitigated`", "is before `started`", "x.toml:6:13"],
    );
    fails(
        "detected = 2025-11-16T21:00:00Z\nacknowledged = 2025-11-16T20:59:00Z\n",
        &["error[E0014]", "`acknowledged`", "x.toml:6:16"],
    );
    fails(
        "introduced = 2025-11-16T21:00:00Z\nstarted = 2025-11-16T20:00:00Z\n",
        &["error[E0014]", "before `introduced`", "x.toml:6:11"],
    );
    fails(
        "resolved = 2025-11-16T21:00:00Z\nidentified = 2025-11-16T22:00:00Z\n",
        &["error[E0014]", "`resolved`", "is before `identified`"],
    );
}

#[test]
fn detection_before_impact_is_allowed() {
    warns("started = 2025-11-16T21:10:00Z\ndetected = 2025-11-16T21:00:00Z\n", &["0 errors"]);
}

#[test]
fn at_most_one_primary_cause() {
    fails(
        "[[causes]]\ntitle = \"a\"\nprimary = true\n[[causes]]\ntitle = \"b\"\nprimary = true\n",
        &["error[E0015]", "2 causes are marked primary", "x.toml:8:1", "first primary cause"],
    );
}

#[test]
fn action_ids_are_unique() {
    fails(
        "[[actions]]\ntitle = \"a\"\n[[actions]]\nid = \"A1\"\ntitle = \"b\"\n",
        &["error[E0016]", "action id \"A1\" equals the default id of the action at position 1", "x.toml:8:6"],
    );
    fails(
        "[[actions]]\nid = \"x\"\ntitle = \"a\"\n[[actions]]\nid = \"x\"\ntitle = \"b\"\n",
        &["error[E0016]", "action id \"x\" is used twice"],
    );
}

#[test]
fn related_and_runbook_references_must_exist() {
    let p = Project::new();
    p.write("a.toml", record("id = \"INC-1\"\n"));
    p.write("b.toml", record("related = [\"a\", \"INC-1\", \"INC-2\"]\nrunbooks = [\"db-restor\"]\n[[runbook]]\nid = \"db-restore\"\ntitle = \"t\"\n"));
    assert_check_fails(
        &p,
        &[
            "error[E0017]",
            "no incident has slug or id \"INC-2\"",
            "b.toml:5:26",
            "no runbook has id \"db-restor\"",
            "did you mean \"db-restore\"?",
        ],
    );
}

#[test]
fn a_record_that_fails_to_load_is_not_reported_again_by_id_or_slug() {
    let p = Project::new();
    // Broken: a key of the wrong type (the TOML parses) and a TOML syntax error.
    p.write("broken.toml", "id = \"INC-2026-001\"\ntitle = 1\n");
    p.write("garbled.toml", "id = \"INC-2026-003\"\ntitle = \"x\n");
    p.write("ok.toml", record("id = \"INC-2026-002\"\nrelated = [\"INC-2026-001\", \"broken\", \"INC-2026-003\"]\n"));
    let (code, err) = p.check();
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("E0017"), "a cascade from the broken records:\n{err}");
    assert!(err.contains("broken.toml") && err.contains("garbled.toml"), "{err}");
}

#[test]
fn a_quoted_time_gets_a_hint_in_its_own_form() {
    for (value, hint) in [
        ("\"15:09\"", "write a time of day bare, with seconds: 15:09:00"),
        ("\"2025-11-16 21:10\"", "write the datetime bare, without quotes: 2025-11-16T21:10:00"),
        ("\"2025-11-16T21:10Z\"", "write the datetime bare, without quotes: 2025-11-16T21:10:00Z"),
        ("\"2025-11-16\"", "write the date bare, without quotes: 2025-11-16"),
    ] {
        fails(&format!("[[timeline]]\nat = {value}\ntitle = \"x\"\n"), &["error[E0005]", hint]);
    }
}

#[test]
fn because_of_references_and_cycles() {
    fails(
        "[[causes]]\nid = \"a\"\ntitle = \"a\"\nbecause_of = [\"zz\"]\n",
        &["error[E0017]", "no cause has id \"zz\"", "x.toml:8:15"],
    );
    fails(
        "[[causes]]\nid = \"a\"\ntitle = \"a\"\nbecause_of = [\"b\"]\n[[causes]]\nid = \"b\"\ntitle = \"b\"\nbecause_of = [\"a\"]\n",
        &["error[E0024]", "causes form a cycle: a → b → a"],
    );
}

#[test]
fn link_sources_must_exist() {
    fails(
        "[[timeline]]\nat = 21:00:00\nsource = \"chat\"\n",
        &["error[E0017]", "no link has id \"chat\"", "x.toml:7:10"],
    );
}

#[test]
fn severity_among_configured_levels() {
    fails("severity = \"SEV7\"\n", &["error[E0020]", "severity \"SEV7\" is not a configured level", "x.toml:5:12"]);
    let p = Project::new();
    p.write("./casebook.toml", "[severity]\nlevels = [\"P1\", \"P2\"]\n");
    p.write("x.toml", record("severity = \"P2\"\n"));
    assert_check_passes(&p, &["0 errors"]);
}

#[test]
fn stated_effort_total_is_cross_checked() {
    warns(
        "effort_total = \"3h30m\"\n[[effort]]\nactivity = \"a\"\nduration = \"3h\"\n[[effort]]\nactivity = \"b\"\nduration = \"42m\"\n",
        &["warning[W0101]", "effort_total says 3h30m but the [[effort]] items add up to 3h 42m", "x.toml:5:16"],
    );
}

#[test]
fn stated_downtime_is_cross_checked() {
    warns(
        "started = 2025-11-16T21:00:00Z\nmitigated = 2025-11-16T22:00:00Z\n[impact]\ndowntime = \"2h\"\n",
        &["warning[W0102]", "downtime is 2h, but the impact lasted 1h (started → mitigated)", "x.toml:8:12"],
    );
    // Within 10%: no warning.
    let p = Project::new();
    p.write(
        "x.toml",
        record("started = 2025-11-16T21:00:00Z\nmitigated = 2025-11-16T22:00:00Z\n[impact]\ndowntime = \"55m\"\n"),
    );
    let (code, err) = p.check();
    assert_eq!(code, 0);
    assert!(!err.contains("W0102"), "{err}");
}

#[test]
fn overdue_actions_as_of_today() {
    warns(
        "[[actions]]\ntitle = \"Fix it\"\ndue = 2025-12-01\n",
        &["warning[W0103]", "action A1 \"Fix it\" was due 2025-12-01 and is still open", "x.toml:5:1"],
    );
    warns(
        "[[actions]]\ntitle = \"Fix it\"\ndue = \"2025-Q4\"\nstatus = \"in-progress\"\n",
        &["warning[W0103]", "was due 2025-Q4"],
    );
    // A quarter is due at its end: 2026-Q1 is not overdue on 2026-01-01.
    let p = Project::new();
    p.write("x.toml", record("[[actions]]\ntitle = \"a\"\ndue = \"2026-Q1\"\n[[actions]]\ntitle = \"b\"\ndue = 2025-01-01\nstatus = \"done\"\n"));
    let (code, err) = p.check();
    assert_eq!(code, 0);
    assert!(!err.contains("W0103"), "{err}");
}

#[test]
fn runbooks_past_review_age() {
    warns(
        "[[runbook]]\nid = \"r\"\ntitle = \"t\"\nreviewed = 2025-01-01\n",
        &["warning[W0104]", "runbook `r` was last reviewed 365 days ago", "x.toml:6:6"],
    );
}

#[test]
fn personal_data_warns_and_secrets_fail() {
    warns(
        "authors = [\"jane.doe@acme.io\"]\n",
        &["warning[W0105]", "an e-mail address is in the record", "x.toml:5:13"],
    );
    fails(
        "[[timeline]]\nat = 21:00:00\nprivate = true\nbody = \"DATABASE_URL=postgres://app:hunter22@db.internal:5432/app\"\n",
        &["error[E0021]", "a password in a URL is in the record", "x.toml:8:37"],
    );
    fails(
        "conclusion = \"token ghp_abcdefghijklmnopqrstuvwxyz0123456789AB leaked\"\n",
        &["error[E0021]", "a GitHub token", "x.toml:5:21"],
    );
    // Found in any case (the scan looks for `pass` or `pwd` first, ignoring case).
    fails(
        "conclusion = \"Server=db;User Id=app;PassWord = hunter22;\"\n",
        &["error[E0021]", "a password in a connection string", "x.toml:5:48"],
    );
    fails("conclusion = \"set PWD=s3cr3t-value in the job\"\n", &["error[E0021]", "x.toml:5:23"]);
}

#[test]
fn closed_means_all_work_done() {
    let p = Project::new();
    p.write("x.toml", "title = \"x\"\nstatus = \"closed\"\nsummary = \"s\"\ndate = 2025-11-16\n[[actions]]\ntitle = \"a\"\n[[verification]]\nitem = \"v\"\n");
    assert_check_passes(&p, &["warning[W0106]", "open actions A1 and 1 verification item(s) not done"]);
}

#[test]
fn changes_name_a_path_or_a_setting() {
    fails("[[changes]]\npath = \"a\"\nsetting = \"b\"\n", &["error[E0025]", "both `path` and `setting`"]);
    fails("[[changes]]\nsummary = \"x\"\n", &["error[E0025]", "neither `path` nor `setting`"]);
}

#[test]
fn unclosed_code_fence_in_markdown() {
    fails(
        "conclusion = \"\"\"\n```bash\nls\n\"\"\"\n",
        &["error[E0027]", "`conclusion` opens a code fence (```) that it never closes", "x.toml:5:14"],
    );
}

#[test]
fn bad_commit_ids_and_unknown_repositories() {
    fails("[[commits]]\nsha = \"xyz123\"\n", &["error[E0029]", "`x` is not a hex digit", "x.toml:6:7"]);
    fails("[[commits]]\nsha = \"abc\"\n", &["error[E0029]", "4 to 40 hex characters"]);
    fails(
        "[[commits]]\nsha = \"boulder@abcdef1\"\n",
        &["error[E0028]", "repository \"boulder\" is not configured", "x.toml:6:7"],
    );
}

#[test]
fn json_output_has_one_object_per_diagnostic() {
    let p = Project::new();
    p.write("x.toml", record("sevrity = \"x\"\n"));
    let out = p.cmd(&["check", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1);
    let d = &lines[0];
    assert!(d["file"].as_str().unwrap().ends_with("incidents/x.toml"));
    assert_eq!(d["line"], 5);
    assert_eq!(d["column"], 1);
    assert_eq!(d["level"], "error");
    assert_eq!(d["code"], "E0006");
    assert_eq!(d["message"], "unknown key \"sevrity\"; did you mean \"severity\"?");
    assert_eq!(d["hint"], "rename it to \"severity\"");
}

#[test]
fn deny_warnings_turns_warnings_into_failure() {
    let p = Project::new();
    p.write("x.toml", record("[[actions]]\ntitle = \"a\"\ndue = 2025-01-01\n"));
    p.cmd(&["check"]).assert().code(0);
    p.cmd(&["check", "--deny-warnings"]).assert().code(1);
}

#[test]
fn check_given_paths_reports_only_those() {
    let p = Project::new();
    p.write("good.toml", record("related = [\"bad\"]\n"));
    p.write("bad.toml", record("sevrity = 1\n"));
    let out = p.cmd(&["check", "incidents/good.toml"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("1 record checked"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let p = Project::new();
    p.cmd(&["check", "--format", "yaml"]).assert().code(2);
    p.cmd(&["explain", "E9999"]).assert().code(2).stderr(predicates::str::contains("no diagnostic code \"E9999\""));
}

#[test]
fn explain_prints_every_code() {
    let p = Project::new();
    let out = p.cmd(&["explain"]).output().unwrap();
    let list = String::from_utf8(out.stdout).unwrap();
    for code in ["E0001", "E0006", "E0021", "W0101", "W0110"] {
        assert!(list.contains(code), "{code} missing from\n{list}");
        let one = p.cmd(&["explain", code]).output().unwrap();
        assert!(one.status.success());
        assert!(String::from_utf8(one.stdout).unwrap().contains(&format!("[{code}]")));
    }
}

#[test]
fn the_bundled_incidents_pass() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = assert_cmd::Command::cargo_bin("casebook")
        .unwrap()
        .args(["-C", root.to_str().unwrap(), "--color", "never", "--today", "2025-12-01", "check"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("0 errors"), "{err}");
}
