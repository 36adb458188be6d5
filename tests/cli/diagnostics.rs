//! The human output of every diagnostic code, on a minimal project that triggers it,
//! as snapshots: a change in wording is reviewed (`cargo insta review`), not missed.

use crate::project::*;

/// What triggers a code: record files (`incidents/<name>`, or `./path`) and config.
struct Case {
    code: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
}

fn case(code: &'static str, files: &[(&'static str, &str)]) -> Case {
    Case { code, files: files.iter().map(|(n, t)| (*n, t.as_bytes().to_vec())).collect() }
}

fn one(code: &'static str, extra: &str) -> Case {
    Case { code, files: vec![("x.toml", record(extra).into_bytes())] }
}

/// `check`'s output, with the temp dir's path made stable.
fn check_output(p: &Project) -> String {
    let (_, err) = p.check();
    err.replace(&p.path().display().to_string(), "[project]")
}

fn cases() -> Vec<Case> {
    vec![
        case("E0001", &[("x.toml", "title = \"x\"\nstatus = resolved\n")]),
        Case { code: "E0002", files: vec![("x.toml", b"title = \"caf\xE9\"\n".to_vec())] },
        case("E0003", &[("x.toml", "\u{feff}title = \"x\"\n")]),
        case("E0004", &[("x.toml", "\n")]),
        one("E0005", "services = \"api\"\n"),
        one("E0006", "sevrity = \"SEV2\"\n"),
        case("E0007", &[("x.toml", "title = \"x\"\ndate = 2025-11-16\nsummary = \"s\"\n")]),
        one("E0008", "[[timeline]]\nat = 21:00:00\nkind = \"detecton\"\n"),
        one("E0009", "effort_total = \"2 hours\"\n"),
        one("E0010", "[[timeline]]\nat = 2025-02-30T10:00:00Z\n"),
        one("E0011", "timezone = \"Europe/Berln\"\n"),
        one("E0012", "[[timeline]]\nat = 21:00:00\n[[timeline]]\nat = 20:00:00\n"),
        one("E0013", "started = 2025-11-16T20:00:00Z\n[[timeline]]\nat = 20:00:00\nmarks = [\"started\"]\n"),
        one("E0014", "started = 2025-11-16T20:00:00Z\nmitigated = 2025-11-16T19:00:00Z\n"),
        one("E0015", "[[causes]]\ntitle = \"a\"\nprimary = true\n[[causes]]\ntitle = \"b\"\nprimary = true\n"),
        one("E0016", "[[actions]]\nid = \"a1\"\ntitle = \"x\"\n[[actions]]\nid = \"a1\"\ntitle = \"y\"\n"),
        one("E0017", "related = [\"nowhere\"]\n"),
        case("E0019", &[("incidents/a/x.toml", MINIMAL), ("incidents/b/x.toml", MINIMAL)]),
        one("E0020", "severity = \"SEV9\"\n"),
        one("E0021", "conclusion = \"postgres://app:hunter22@db/app\"\n"),
        one("E0022", "format = 2\n"),
        case("E0023", &[("incidents/y.toml/keep", "")]),
        one(
            "E0024",
            "[[causes]]\nid = \"a\"\ntitle = \"a\"\nbecause_of = [\"b\"]\n[[causes]]\nid = \"b\"\ntitle = \"b\"\nbecause_of = [\"a\"]\n",
        ),
        one("E0025", "[[changes]]\npath = \"a\"\nsetting = \"b\"\n"),
        one("E0027", "conclusion = \"\"\"\n```\nopen\n\"\"\"\n"),
        one("E0028", "[[commits]]\nsha = \"infra@abcdef1\"\n"),
        one("E0029", "[[commits]]\nsha = \"xyz\"\n"),
        case("E0030", &[("x.toml", MINIMAL), ("./casebook.toml", "[runbooks]\nreview_days = 0\n")]),
        one("E0033", "[[links]]\ntitle = \"x\"\nurl = \"javascript:alert(1)\"\n"),
        one("E0034", "[[runbook]]\nid = \"a b\"\ntitle = \"t\"\n"),
        one("E0035", "[[timeline]]\nat = 21:00:00\nuntil = 20:00:00\n"),
        one("E0036", "[impact]\nusers_affected = -5\n"),
        one("W0101", "effort_total = \"2h\"\n[[effort]]\nactivity = \"a\"\nduration = \"1h\"\n"),
        one("W0102", "started = 2025-11-16T20:00:00Z\nmitigated = 2025-11-16T21:00:00Z\n[impact]\ndowntime = \"5h\"\n"),
        one("W0103", "[[actions]]\ntitle = \"x\"\ndue = 2025-12-01\n"),
        one("W0104", "[[runbook]]\nid = \"r\"\ntitle = \"t\"\nreviewed = 2024-01-01\n"),
        one("W0105", "conclusion = \"mail jane@acme.io\"\n"),
        case("W0106", &[("x.toml", &format!("{}[[actions]]\ntitle = \"x\"\n", MINIMAL.replace("resolved", "closed")))]),
        one("W0108", "[[commits]]\nsha = \"abcdef1\"\n"),
        one("W0111", "[[links]]\ntitle = \"x\"\nurl = \"ftp://files.acme.io/x\"\n"),
    ]
}

#[test]
fn every_code_has_its_snapshot() {
    let covered: Vec<&str> =
        cases().iter().map(|c| c.code).chain(["E0031", "E0032", "W0107", "W0110", "W0112"]).collect();
    for code in casebook::diag::Code::ALL {
        assert!(covered.contains(&code.as_str()), "{code} has no snapshot case");
    }
}

#[test]
fn diagnostics_read_as_reviewed() {
    for c in cases() {
        let p = Project::new();
        for (name, text) in &c.files {
            p.write(name, text);
        }
        let out = check_output(&p);
        assert!(out.contains(&format!("[{}]", c.code)), "{} not triggered:\n{out}", c.code);
        insta::assert_snapshot!(c.code, out);
    }
}

#[test]
fn git_diagnostics_read_as_reviewed() {
    // E0031: a commit the repository does not have.
    let p = Project::new();
    p.git().commit(1, "first", &[]);
    p.write("x.toml", record("[[commits]]\nsha = \"abcdef1\"\n"));
    insta::assert_snapshot!("E0031", check_output(&p));
    // E0032: a prefix two commits share.
    let p = Project::new();
    let repo = p.git();
    let mut seen = std::collections::HashMap::new();
    let mut shared = None;
    for n in 0..5000 {
        let id = repo.commit(n, &format!("commit {n}"), &[("f", &n.to_string())]);
        if seen.insert(id[..4].to_string(), id.clone()).is_some() {
            shared = Some(id[..4].to_string());
            break;
        }
    }
    let prefix = shared.expect("two commits sharing a 4-character prefix");
    p.write("x.toml", record(&format!("[[commits]]\nsha = \"{prefix}\"\n")));
    insta::assert_snapshot!("E0032", check_output(&p));
    // W0107: a commit closed an action the record calls open.
    let p = Project::new();
    p.git().commit(1, "Add the check\n\nCloses-Action: INC-1#A1", &[]);
    p.write("x.toml", format!("id = \"INC-1\"\n{}", record("[[actions]]\ntitle = \"x\"\n")));
    insta::assert_snapshot!("W0107", check_output(&p));
    // W0112: a commit closes an action the record does not have.
    let p = Project::new();
    p.git().commit(1, "Add the alert\n\nCloses-Action: INC-1#A7", &[]);
    p.write("x.toml", format!("id = \"INC-1\"\n{}", record("[[actions]]\ntitle = \"x\"\n")));
    insta::assert_snapshot!("W0112", check_output(&p));
    // W0110: a commit beyond a shallow clone's history.
    let src = Project::new();
    let repo = src.git();
    let old = repo.commit(1, "old", &[("a", "1")]);
    repo.commit(2, "new", &[("a", "2")]);
    let clone = src.shallow_clone();
    clone.write("x.toml", record(&format!("[[commits]]\nsha = \"{}\"\n", &old[..7])));
    insta::assert_snapshot!("W0110", check_output(&clone));
}
