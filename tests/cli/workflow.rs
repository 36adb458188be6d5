//! init, new, actions, stats, schema, completions, man, and the global options.

use crate::project::*;

#[test]
fn init_creates_and_never_touches_what_exists() {
    let p = Project::new();
    std::fs::remove_dir(p.path().join("incidents")).unwrap();
    let (code, _, err) = p.run(&["init"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("created        casebook.toml") && err.contains("created        incidents"), "{err}");
    let example: Vec<_> = std::fs::read_dir(p.path().join("incidents")).unwrap().flatten().collect();
    assert_eq!(example.len(), 1);
    p.cmd(&["check"]).assert().success();
    p.cmd(&["render", "INC-2026-001"]).assert().success();
    // Edited files survive a second init.
    std::fs::write(p.path().join("casebook.toml"), "[book]\ntitle = \"Ours\"\n").unwrap();
    let (code, _, err) = p.run(&["init"]);
    assert_eq!(code, 0);
    assert!(err.contains("kept existing  casebook.toml") && err.contains("0 created"), "{err}");
    assert_eq!(std::fs::read_to_string(p.path().join("casebook.toml")).unwrap(), "[book]\ntitle = \"Ours\"\n");
}

#[test]
fn new_allocates_ids_builds_slugs_and_checks() {
    let p = Project::new();
    p.write("./casebook.toml", "[project]\nid_format = \"OPS-{year}-{seq:02}\"\n");
    p.write("old.toml", record("id = \"OPS-2026-07\"\n"));
    let (code, out, err) = p.run(&[
        "new",
        "Checkout returned 500!",
        "--severity",
        "SEV2",
        "--service",
        "checkout",
        "--service",
        "payments",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "incidents/2026-01-01-checkout-returned-500.toml");
    assert!(err.contains("created OPS-2026-08"), "{err}");
    let text = std::fs::read_to_string(p.path().join(out.trim())).unwrap();
    assert!(
        text.contains("id = \"OPS-2026-08\"")
            && text.contains("services = [\"checkout\", \"payments\"]")
            && text.contains("severity = \"SEV2\"")
    );
    assert!(text.contains("# [[actions]]"), "optional sections are there, commented");
    p.cmd(&["check"]).assert().success();
    // The same title again would overwrite: refused.
    let (code, _, err) = p.run(&["new", "Checkout returned 500!"]);
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    let (code, _, err) = p.run(&["new", "x", "--severity", "P0"]);
    assert_eq!(code, 2);
    assert!(err.contains("severity \"P0\" is not a configured level"), "{err}");
}

#[test]
fn new_with_edit_opens_the_editor_then_checks() {
    let p = Project::new();
    let editor = p.write("editor.sh", "#!/bin/sh\nsed -i 's/^status = .*/status = \"resolvd\"/' \"$1\"\n");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = p.cmd(&["new", "Edited", "--edit"]).env("VISUAL", &editor).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("did you mean \"resolved\"?") && err.contains("1 error in incidents/2026-01-01-edited.toml"),
        "{err}"
    );
    assert!(p.path().join("incidents/2026-01-01-edited.toml").is_file(), "the file is kept for fixing");
}

fn actions_project() -> Project {
    let p = Project::new();
    p.write(
        "a.toml",
        record("id = \"INC-1\"\n[[actions]]\ntitle = \"Late, one\"\nowner = \"ops\"\ndue = 2025-12-01\n[[actions]]\ntitle = \"Later\"\nowner = \"dev\"\ndue = \"2026-Q2\"\n[[actions]]\ntitle = \"Done, \\\"quoted\\\"\"\nstatus = \"done\"\n"),
    );
    p
}

#[test]
fn actions_lists_overdue_first_in_every_format() {
    let p = actions_project();
    let (code, out, _) = p.run(&["actions"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("INCIDENT  ACTION"), "{out}");
    assert!(lines[1].contains("Late, one") && lines[1].contains("open (overdue)"), "overdue first:\n{out}");
    let (_, json, _) = p.run(&["actions", "--format", "json", "--overdue"]);
    let rows: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], "A1");
    assert_eq!(rows[0]["overdue"], true);
    let (_, csv, _) = p.run(&["actions", "--format", "csv", "--status", "done"]);
    assert_eq!(
        csv,
        "incident,slug,action,title,owner,due,status,overdue,ticket\nINC-1,a,A3,\"Done, \"\"quoted\"\"\",unowned,,done,false,\n"
    );
    let (_, md, _) = p.run(&["actions", "--format", "markdown", "--owner", "DEV"]);
    assert!(md.contains("| INC-1 | A2 | Later | dev | 2026-Q2 | open |"), "{md}");
    p.cmd(&["actions", "--fail-on-overdue"]).assert().code(1);
    p.cmd(&["actions", "--fail-on-overdue", "--today", "2025-11-20"]).assert().code(0);
    p.cmd(&["actions", "--status", "later"]).assert().code(2);
}

#[test]
fn stats_equal_the_book_overview() {
    let p = Project::new();
    p.write("maximal.toml", MAXIMAL);
    p.write("minimal.toml", MINIMAL);
    p.write("./casebook.toml", "[[repositories]]\nname = \"infra\"\n");
    let (code, json, err) = p.run(&["stats", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(s["incidents"], 2);
    assert_eq!(s["response"][0]["severity"], "SEV2");
    assert_eq!(s["response"][0]["resolve"]["median"], 6600);
    assert_eq!(s["effort_total_secs"], 18000);
    p.cmd(&["build"]).assert().success();
    let overview = std::fs::read_to_string(p.path().join("book/src/index.md")).unwrap();
    assert!(overview.contains("| SEV2 | 7m | 7m | 45m | 45m | 1h 50m | 1h 50m |"), "the same figures:\n{overview}");
    let (_, table, _) = p.run(&["stats", "--since", "2025-06-01"]);
    let total = table.lines().find(|l| l.starts_with("incidents")).unwrap();
    assert!(total.split_whitespace().collect::<Vec<_>>() == ["incidents", "total", "1"], "{table}");
    let (_, csv, _) = p.run(&["stats", "--format", "csv", "--until", "2025-06-01"]);
    assert!(csv.starts_with("section,key,value\nincidents,total,1\n"), "{csv}");
    assert!(csv.contains("time to resolve,SEV2,\"median 1h 50m, p90 1h 50m (n=1)\""), "{csv}");
}

#[test]
fn schema_is_in_sync_with_the_loader_and_the_committed_file() {
    let p = Project::new();
    let (code, schema, _) = p.run(&["schema"]);
    assert_eq!(code, 0);
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/casebook.schema.json")).unwrap();
    assert_eq!(schema, committed, "run `cargo run -- schema > casebook.schema.json`");
    let v: serde_json::Value = serde_json::from_str(&schema).unwrap();
    // Every key the maximal record uses is described by the schema.
    let doc: toml::Table = toml::from_str(MAXIMAL).unwrap();
    let props = v["properties"].as_object().unwrap();
    for key in doc.keys() {
        assert!(props.contains_key(key), "{key} missing from the schema");
    }
    assert!(schema.contains("\"takeaways\"") && schema.contains("\"symptoms\"") && schema.contains("\"because_of\""));
    let (_, config, _) = p.run(&["schema", "--config"]);
    assert!(config.contains("\"review_days\"") && config.contains("\"id_format\""));
}

#[test]
fn completions_and_man_page() {
    let p = Project::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, out, _) = p.run(&["completions", shell]);
        assert_eq!(code, 0);
        assert!(out.contains("casebook"), "{shell}");
    }
    let (_, man, _) = p.run(&["man"]);
    assert!(man.contains(".TH casebook 1") && man.contains("build"));
}

#[test]
fn quiet_color_and_directory_options() {
    let p = Project::new();
    p.write("x.toml", record("[[actions]]\ntitle = \"a\"\ndue = 2025-01-01\n"));
    let (_, _, err) = p.run(&["-q", "check"]);
    assert!(err.is_empty(), "-q prints only errors: {err}");
    let out = p.cmd(&["check"]).args(["--color", "always"]).env_remove("NO_COLOR").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("\u{1b}["), "--color always colours");
    let out = p.cmd(&["check"]).args(["--color", "auto"]).env("NO_COLOR", "1").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("\u{1b}["), "NO_COLOR is honoured");
    // -v: build says how long each phase took.
    let (_, _, err) = p.run(&["-v", "build"]);
    assert!(err.contains("load records:") && err.contains("render, compare and write pages:"), "{err}");
    // -C: run from elsewhere.
    let out = assert_cmd::Command::cargo_bin("casebook")
        .unwrap()
        .current_dir("/")
        .args(["-C", p.path().to_str().unwrap(), "--today", "2026-01-01", "check"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 record checked"));
}

#[test]
fn the_pre_commit_hook_example_blocks_bad_commits() {
    let p = Project::new();
    let run = |args: &[&str]| std::process::Command::new("git").args(args).current_dir(p.path()).output().unwrap();
    run(&["init", "-q"]);
    run(&["config", "user.email", "a@example.com"]);
    run(&["config", "user.name", "A"]);
    let hook = p.path().join(".git/hooks/pre-commit");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/pre-commit"), &hook).unwrap();
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    // The hook finds casebook on the PATH: put the binary under test first.
    let bin = assert_cmd::cargo::cargo_bin("casebook");
    let path = format!("{}:{}", bin.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let commit = |msg: &str| {
        std::process::Command::new("git").args(["add", "-A"]).current_dir(p.path()).output().unwrap();
        std::process::Command::new("git")
            .args(["commit", "-q", "-m", msg])
            .env("PATH", &path)
            .env("CASEBOOK_TODAY", "2026-01-01")
            .current_dir(p.path())
            .output()
            .unwrap()
    };
    p.write("x.toml", record("sevrity = 1\n"));
    let out = commit("bad record");
    assert!(!out.status.success(), "a record with errors is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("E0006"));
    p.write("x.toml", MINIMAL);
    let out = commit("stale book");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("the book is stale"));
    p.cmd(&["build"]).assert().success();
    let out = commit("good");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn init_example_names_a_command_that_works_and_ignores_the_html() {
    let p = Project::new();
    std::fs::remove_dir(p.path().join("incidents")).unwrap();
    p.cmd(&["init"]).assert().success();
    let example = std::fs::read_dir(p.path().join("incidents")).unwrap().flatten().next().unwrap().path();
    let text = std::fs::read_to_string(&example).unwrap();
    // The comment says `casebook render SLUG`: that command must work.
    let command = text.lines().find_map(|l| l.split('`').nth(1).filter(|c| c.starts_with("casebook render"))).unwrap();
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    let (code, md, err) = p.run(&args);
    assert_eq!(code, 0, "`{command}` failed: {err}");
    assert!(md.contains("# Example: what users saw"), "{md}");
    let ignore = std::fs::read_to_string(p.path().join(".gitignore")).unwrap();
    for line in ["/book/book/", "/book/.casebook-tmp/", "/book/.casebook-journal"] {
        assert!(ignore.lines().any(|l| l == line), "{line} missing from:\n{ignore}");
    }
    // A .gitignore of the user's own is kept.
    std::fs::write(p.path().join(".gitignore"), "target/\n").unwrap();
    p.cmd(&["init"]).assert().success();
    assert_eq!(std::fs::read_to_string(p.path().join(".gitignore")).unwrap(), "target/\n");
}

#[test]
fn new_backfills_an_earlier_incident() {
    let p = Project::new();
    let (code, out, err) = p.run(&["new", "Queue stalled", "--date", "2025-12-24", "--at", "21:10"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "incidents/2025-12-24-queue-stalled.toml");
    let text = std::fs::read_to_string(p.path().join(out.trim())).unwrap();
    assert!(text.contains("id = \"INC-2025-001\""), "the id counts in the incident's year:\n{text}");
    assert!(text.contains("date = 2025-12-24"), "{text}");
    assert!(text.contains("at = 21:10:00"), "{text}");
    let (code, _, err) = p.run(&["new", "Other", "--at", "25:00"]);
    assert_eq!(code, 2);
    assert!(err.contains("`25:00` is not a time of day; write HH:MM, e.g. 21:10"), "{err}");
}

#[test]
fn actions_as_markdown_is_a_table() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let p = Project::new();
    p.write("x.toml", record("[[actions]]\ntitle = \"Add | pipe\"\nowner = \"sre\"\n[[actions]]\ntitle = \"Two\"\n"));
    let (code, out, err) = p.run(&["actions", "--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    let mut tables = 0;
    let (mut in_head, mut head_cells, mut rows, mut cells_in_row, mut row_widths) = (false, 0, 0, 0, vec![]);
    for e in Parser::new_ext(&out, Options::ENABLE_TABLES) {
        match e {
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableCell) if in_head => head_cells += 1,
            Event::Start(Tag::TableRow) => cells_in_row = 0,
            Event::Start(Tag::TableCell) => cells_in_row += 1,
            Event::End(TagEnd::TableRow) => {
                rows += 1;
                row_widths.push(cells_in_row);
            }
            _ => {}
        }
    }
    assert_eq!(tables, 1, "no table in:\n{out}");
    assert_eq!(head_cells, 6, "{out}");
    assert_eq!(rows, 2, "{out}");
    assert!(row_widths.iter().all(|w| *w == 6), "{row_widths:?}\n{out}");
}
