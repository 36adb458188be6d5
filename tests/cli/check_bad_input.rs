//! Every class of bad input gets its own message, location and hint.

use crate::project::*;

#[test]
fn not_toml() {
    let p = Project::new();
    p.write("x.toml", "title = \"x\"\nstatus = resolved\n");
    assert_check_fails(
        &p,
        &["error[E0001]", "incidents/x.toml:2:10", "string values must be quoted", "put the value in double quotes"],
    );
}

#[test]
fn invalid_utf8() {
    let p = Project::new();
    let mut bytes = b"title = \"caf".to_vec();
    bytes.extend([0xE9, b'"', b'\n']);
    p.write("x.toml", bytes);
    assert_check_fails(&p, &["error[E0002]", "byte 0xE9 is not valid UTF-8", "incidents/x.toml:1:13", "iconv"]);
}

#[test]
fn byte_order_mark() {
    let p = Project::new();
    p.write("x.toml", [b"\xEF\xBB\xBF".as_slice(), MINIMAL.as_bytes()].concat());
    assert_check_fails(&p, &["error[E0003]", "byte-order mark", "incidents/x.toml:1:1", "without BOM"]);
}

#[test]
fn empty_file() {
    let p = Project::new();
    p.write("x.toml", "\n  \n");
    assert_check_fails(&p, &["error[E0004]", "the record is empty", "incidents/x.toml", "casebook new"]);
}

#[test]
fn wrong_types_for_each_kind_of_key() {
    let cases = [
        (
            "title = 3\nstatus = \"resolved\"\nsummary = \"s\"\ndate = 2025-01-01\n",
            "found integer `3`, expected a string",
            "x.toml:1:9",
        ),
        (&record("services = \"api\"\n"), "expected a list", "x.toml:5:12"),
        (&record("[[timeline]]\nat = \"21:00\"\n"), "expected a date or time", "x.toml:6:6"),
        (&record("[[timeline]]\nat = 21:00:00\nprivate = \"yes\"\n"), "expected true or false", "x.toml:7:11"),
        (&record("[impact]\nusers_affected = \"many\"\n"), "expected a whole number", "x.toml:6:18"),
        (&record("impact = \"bad\"\n"), "expected a table", "x.toml:5:10"),
        (&record("[[actions]]\ntitle = \"a\"\ndue = 5\n"), "`due` takes a date, a month or a quarter", "x.toml:7:7"),
    ];
    for (text, message, place) in cases {
        let p = Project::new();
        p.write("x.toml", text);
        assert_check_fails(&p, &[message, place]);
    }
}

#[test]
fn unknown_keys_at_top_level_and_in_every_table() {
    let cases = [
        ("sevrity = \"SEV1\"\n", "unknown key \"sevrity\"; did you mean \"severity\"?", "x.toml:5:1"),
        ("[impact]\nsumary = \"x\"\n", "did you mean \"summary\"?", "x.toml:6:1"),
        ("[[impact.metrics]]\nname = \"n\"\nvalue = 1\nunits = \"%\"\n", "did you mean \"unit\"?", "x.toml:8:1"),
        (
            "[[impact.windows]]\nscope = \"api\"\nfrom = 2025-11-16T10:00:00Z\nlevl = \"down\"\n",
            "did you mean \"level\"?",
            "x.toml:8:1",
        ),
        ("[[timeline]]\nat = 21:00:00\ntitel = \"x\"\n", "did you mean \"title\"?", "x.toml:7:1"),
        ("[[causes]]\ntitle = \"c\"\nrole_ = \"root\"\n", "did you mean \"role\"?", "x.toml:7:1"),
        ("[[commits]]\nsha = \"abcdef1\"\nnotes = \"x\"\n", "did you mean \"note\"?", "x.toml:7:1"),
        ("[[changes]]\npath = \"a\"\nsumary = \"x\"\n", "did you mean \"summary\"?", "x.toml:7:1"),
        ("[[lessons]]\ntitle = \"l\"\ntakeaway = [\"x\"]\n", "did you mean \"takeaways\"?", "x.toml:7:1"),
        ("[[actions]]\ntitle = \"a\"\nowners = \"x\"\n", "did you mean \"owner\"?", "x.toml:7:1"),
        ("[[verification]]\nitem = \"i\"\ndon = true\n", "did you mean \"done\"?", "x.toml:7:1"),
        ("[[effort]]\nactivity = \"a\"\nduraton = \"1h\"\n", "did you mean \"duration\"?", "x.toml:7:1"),
        ("[[runbook]]\nid = \"r\"\ntitle = \"t\"\nsymptom = [\"x\"]\n", "did you mean \"symptoms\"?", "x.toml:8:1"),
        (
            "[[runbook]]\nid = \"r\"\ntitle = \"t\"\n[[runbook.steps]]\ncommand = \"ls\"\ncomand = \"x\"\n",
            "did you mean \"command\"?",
            "x.toml:10:1",
        ),
        ("[[links]]\nurl = \"https://x\"\nkinds = \"pr\"\n", "did you mean \"kind\"?", "x.toml:7:1"),
        ("[[sections]]\ntitle = \"t\"\nafer = \"summary\"\n", "did you mean \"after\"?", "x.toml:7:1"),
    ];
    for (extra, message, place) in cases {
        let p = Project::new();
        p.write("x.toml", record(extra));
        assert_check_fails(&p, &["error[E0006]", message, place]);
    }
}

#[test]
fn unknown_key_in_config() {
    let p = Project::new();
    p.write("x.toml", MINIMAL);
    p.write("./casebook.toml", "[severity]\nlevel = [\"P1\"]\n");
    assert_check_fails(&p, &["error[E0006]", "did you mean \"levels\"?", "casebook.toml:2:1"]);
}

#[test]
fn bad_durations() {
    let cases = [
        ("effort_total = \"1.5h\"\n", "unknown unit `.`", "x.toml:5:18"),
        ("effort_total = \"2 hours\"\n", "`2` has no unit right after it", "x.toml:5:18"),
        ("effort_total = \"30m2h\"\n", "comes after `m`", "x.toml:5:21"),
        ("[[effort]]\nactivity = \"a\"\nduration = \"\"\n", "empty duration", "x.toml:7:"),
        ("[impact]\ndowntime = \"45\"\n", "has no unit", "x.toml:6:"),
    ];
    for (extra, message, place) in cases {
        let p = Project::new();
        p.write("x.toml", record(extra));
        assert_check_fails(&p, &["error[E0009]", message, place, "1h30m"]);
    }
}

#[test]
fn impossible_dates() {
    let p = Project::new();
    p.write("x.toml", "title = \"x\"\nstatus = \"resolved\"\nsummary = \"s\"\ndate = 2025-02-30\n");
    assert_check_fails(&p, &["error[E0010]", "impossible date or time", "x.toml:4:8"]);
    let p = Project::new();
    p.write("x.toml", record("[[timeline]]\nat = 25:10:00\n"));
    assert_check_fails(&p, &["error[E0010]", "x.toml:6:6"]);
}

#[test]
fn date_must_be_a_plain_date() {
    let p = Project::new();
    p.write("x.toml", "title = \"x\"\nstatus = \"resolved\"\nsummary = \"s\"\ndate = 2025-02-03T10:00:00Z\n");
    assert_check_fails(&p, &["error[E0010]", "`date` takes a date alone", "x.toml:4:8"]);
}

#[test]
fn local_time_without_a_date() {
    let p = Project::new();
    p.write("x.toml", "title = \"x\"\nstatus = \"resolved\"\nsummary = \"s\"\n[[timeline]]\nat = 21:10:00\n");
    assert_check_fails(
        &p,
        &["error[E0010]", "a time of day, but the record has no `date`", "x.toml:5:6", "add `date = YYYY-MM-DD`"],
    );
}

#[test]
fn daylight_saving_gap() {
    let p = Project::new();
    p.write(
        "x.toml",
        "title = \"x\"\nstatus = \"resolved\"\nsummary = \"s\"\ndate = 2025-03-30\ntimezone = \"Europe/Berlin\"\n[[timeline]]\nat = 02:30:00\n",
    );
    assert_check_fails(&p, &["error[E0010]", "does not exist in Europe/Berlin", "x.toml:7:6"]);
}

#[test]
fn times_going_backwards() {
    let p = Project::new();
    p.write("x.toml", record("[[timeline]]\nat = 23:50:00\n[[timeline]]\nat = 00:10:00\n"));
    assert_check_fails(
        &p,
        &["error[E0012]", "timeline goes backwards", "x.toml:8:6", "to cross midnight", "previous entry"],
    );
}

#[test]
fn date_only_entries_may_stand_anywhere_in_their_day() {
    let p = Project::new();
    p.write("x.toml", record("[[timeline]]\nat = 21:00:00\n[[timeline]]\nat = 2025-11-16\n[[timeline]]\nat = 22:00:00\n[[timeline]]\nat = 2025-11-17\n"));
    assert_check_passes(&p, &["0 errors"]);
    let p = Project::new();
    p.write("x.toml", record("[[timeline]]\nat = 2025-11-17\n[[timeline]]\nat = 22:00:00\n"));
    assert_check_fails(&p, &["error[E0012]", "x.toml:8:6"]);
}

#[test]
fn unknown_timezone() {
    let p = Project::new();
    p.write("x.toml", record("timezone = \"Europe/Berln\"\n"));
    assert_check_fails(
        &p,
        &["error[E0011]", "unknown timezone \"Europe/Berln\"", "x.toml:5:12", "did you mean \"Europe/Berlin\"?"],
    );
    let p = Project::new();
    p.write("x.toml", record("timezone = \"CEST\"\n"));
    assert_check_fails(&p, &["error[E0011]", "x.toml:5:12", "IANA name"]);
}

#[test]
fn duplicate_slugs_across_sub_folders() {
    let p = Project::new();
    p.write("incidents/2024/x.toml", MINIMAL);
    p.write("incidents/2025/x.toml", MINIMAL);
    assert_check_fails(
        &p,
        &["error[E0019]", "slug \"x\" is used by two records", "incidents/2024/x.toml", "incidents/2025/x.toml"],
    );
}

#[test]
fn directory_named_toml() {
    let p = Project::new();
    std::fs::create_dir_all(p.path().join("incidents/old.toml")).unwrap();
    assert_check_fails(&p, &["error[E0023]", "old.toml is a directory, not a record", "rename the directory"]);
}

#[test]
fn broken_symlink_is_unreadable() {
    let p = Project::new();
    std::os::unix::fs::symlink(p.path().join("nowhere.toml"), p.path().join("incidents/x.toml")).unwrap();
    assert_check_fails(&p, &["error[E0023]", "cannot read", "x.toml", "broken symlink"]);
}

#[test]
fn unreadable_file() {
    use std::os::unix::fs::PermissionsExt;
    let p = Project::new();
    let f = p.write("x.toml", MINIMAL);
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&f).is_ok() {
        // Running as root: permissions do not stop reads, so make the path unreadable another way.
        std::fs::remove_file(&f).unwrap();
        std::os::unix::fs::symlink("/proc/self/mem-no-such", &f).unwrap();
    }
    assert_check_fails(&p, &["error[E0023]", "cannot read", "x.toml"]);
}

#[test]
fn symlink_loop() {
    let p = Project::new();
    std::fs::create_dir(p.path().join("incidents/sub")).unwrap();
    std::os::unix::fs::symlink(p.path().join("incidents"), p.path().join("incidents/sub/back")).unwrap();
    p.write("x.toml", MINIMAL);
    assert_check_fails(&p, &["error[E0023]", "symlink loop", "sub/back"]);
}

#[test]
fn ten_megabyte_string_loads() {
    let p = Project::new();
    let big = "lorem ipsum ".repeat(10 * 1024 * 1024 / 12);
    p.write(
        "x.toml",
        format!("title = \"x\"\nstatus = \"resolved\"\ndate = 2025-11-16\nsummary = \"\"\"{big}\"\"\"\nsevrity = 1\n"),
    );
    assert_check_fails(&p, &["error[E0006]", "did you mean \"severity\"?", "x.toml:5:1"]);
}

#[test]
fn missing_required_keys() {
    let p = Project::new();
    p.write("x.toml", "tags = [\"a\"]\n");
    assert_check_fails(
        &p,
        &[
            "missing required key \"title\"",
            "missing required key \"status\"",
            "missing required key \"summary\"",
            "missing required key \"date\"",
        ],
    );
}

#[test]
fn invalid_keywords_suggest_the_closest() {
    let p = Project::new();
    p.write("x.toml", "title = \"x\"\nstatus = \"resolvd\"\nsummary = \"s\"\ndate = 2025-11-16\n");
    assert_check_fails(
        &p,
        &["error[E0008]", "`status` cannot be \"resolvd\"; did you mean \"resolved\"?", "x.toml:2:10"],
    );
    let p = Project::new();
    p.write("x.toml", record("[[timeline]]\nat = 21:00:00\nmarks = [\"detectd\"]\n"));
    assert_check_fails(&p, &["error[E0008]", "did you mean \"detected\"?", "x.toml:7:10"]);
}

#[test]
fn unsupported_format_version() {
    let p = Project::new();
    p.write("x.toml", format!("format = 2\n{MINIMAL}"));
    assert_check_fails(&p, &["error[E0022]", "format version 2 is not supported", "x.toml:1:10"]);
}

#[test]
fn every_problem_of_every_file_in_one_run() {
    let p = Project::new();
    // Three typical mistakes and a typo, each in its own place, in one record...
    p.write(
        "a.toml",
        "title = \"Checkout down\"\nstatus = \"resolved\"\nsummary = \"S.\"\ndate = 2025-11-16\n\
         severity = 2\nsevrity = \"SEV2\"\n[impact]\ndowntime = \"2 hours\"\n\
         [[timeline]]\nat = \"15:09\"\ntitle = \"Alert\"\n",
    );
    // ...and another file's problem.
    p.write("b.toml", record("status = \"done\"\n").replace("status = \"resolved\"\n", ""));
    let (code, err) = p.check();
    assert_eq!(code, 1, "{err}");
    for want in [
        "error[E0005]: wrong type: found integer `2`, expected a string",
        "a.toml:5:12",
        "error[E0006]: unknown key \"sevrity\"; did you mean \"severity\"?",
        "a.toml:6:1",
        "error[E0009]: cannot read duration \"2 hours\"",
        "error[E0005]: wrong type: found string \"15:09\", expected a date or time",
        "write a time of day bare, with seconds: 15:09:00",
        "b.toml",
        "`status` cannot be \"done\"",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    assert!(!err.contains("missing required key \"severity\""), "{err}");
}
