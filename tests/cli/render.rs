//! `casebook render`: the default postmortem, overrides, safety of the output, public mode.

use crate::project::*;

#[test]
fn bundled_postmortem_snapshot() {
    let (code, md, err) = Project::this_repository().render(&["2025-11-16-project-creation-500"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("bundled_postmortem", md);
}

#[test]
fn bundled_postmortem_holds_the_seed_facts() {
    let (_, md, _) = Project::this_repository().render(&["INC-2025-001"]);
    for fact in [
        "Developers cannot create projects in production",
        "- **Time to resolve** 1h <small>(from detected)</small>",
        "21:00 | **Initial report**",
        "21:10 | **Enhanced error logging**",
        "21:40 | **First issue discovered**",
        "21:50 | **Second issue discovered**",
        "22:00 | **Resolution: schema synced**",
        "Error Code: P2021",
        "npx prisma db push --accept-data-loss",
        "#### Missing database tables (primary)",
        "#### Schema field mismatch",
        "| **Total** (computed) | **3h 42m** |",
        "The record states a total of 3h30m; the items add up to 3h 42m.",
        "| Users affected | 1 |",
        "| Downtime (stated) | 2h |",
        "### Immediate (next week)",
        "### Short term (next month)",
        "### Long term (next quarter)",
        "- [x] Command executed successfully",
        "- [ ] **user to verify:** Can create developer projects",
        "`project_cash_flow_snapshots`",
        "`docs/DATABASE_RESTORE_RECOVERY.md` *(not committed)*",
        "### 4. Migration history is important",
        "Future fix: create a baseline migration for documentation.",
        "psql \"$DATABASE_URL\" -c \"\\dt developer_projects\"",
        "## Prevention measures implemented",
        "## Value delivered",
        "## Conclusion",
    ] {
        assert!(md.contains(fact), "missing {fact:?}");
    }
}

#[test]
fn public_rendering_leaves_out_private_parts_and_redacts() {
    let (code, md, err) = Project::this_repository().render(&["INC-2025-001", "--public"]);
    assert_eq!(code, 0, "{err}");
    for private in [
        "developer@example.com",
        "00000000-0000-4000-8000-000000000001",
        "db-prod.example.internal",
        "## Affected user",
        "## Production database",
    ] {
        assert!(!md.contains(private), "{private} leaked into public output");
    }
    assert!(md.contains("## Summary"));

    let p = Project::new();
    p.write("./casebook.toml", "[redact]\npatterns = [\"ACME-\\\\d+\"]\n");
    p.write(
        "x.toml",
        record("authors = [\"ops@acme.io\"]\nconclusion = \"Ticket ACME-1234 tracks it.\"\n[[timeline]]\nat = 21:00:00\nprivate = true\ntitle = \"Secret step\"\n[[actions]]\ntitle = \"Hidden action\"\nprivate = true\n[[causes]]\ntitle = \"Private cause\"\nprivate = true\n[[sections]]\ntitle = \"Internal\"\nprivate = true\n[[changes]]\npath = \"private.txt\"\nprivate = true\n"),
    );
    let (code, md, err) = p.render(&["x", "--public"]);
    assert_eq!(code, 0, "{err}");
    for hidden in
        ["ops@acme.io", "ACME-1234", "Secret step", "Hidden action", "Private cause", "Internal", "private.txt"]
    {
        assert!(!md.contains(hidden), "{hidden} leaked:\n{md}");
    }
    assert!(md.contains("Ticket [redacted] tracks it."), "{md}");
    let (_, internal, _) = p.render(&["x"]);
    for shown in
        ["ops@acme.io", "ACME-1234", "Secret step", "Hidden action", "Private cause", "Internal", "private.txt"]
    {
        assert!(internal.contains(shown), "{shown} missing from internal output");
    }
}

#[test]
fn maximal_record_exercises_every_section() {
    let p = Project::maximal();
    let (code, md, err) = p.render(&["maximal"]);
    assert_eq!(code, 0, "{err}");
    for want in [
        "**Impact started** 2025-03-29 23:40 UTC+01:00",
        "- **Time to detect** 7m",
        "**Time to acknowledge** 15m (from started)",
        "- **Time to resolve** 1h 50m <small>(from started)</small>",
        "Times are Europe/Berlin (UTC+01:00).",
        "2025-03-28 | **Failover drill scheduled**",
        "~2025-03-29 23:40 | **Error rate climbs**",
        "2025-03-29 23:47 – 23:52 | **Pager fires**",
        "source: [Payments dashboard](https://grafana.example.com/d/payments)",
        "| payments-api | down | 2025-03-29 23:40 | 2025-03-30 00:25 | 45m | all EU requests |",
        "| edge-proxy | degraded | ~2025-03-30 00:25 | ~2025-03-30 01:30 | ~1h 5m |",
        "| checkout-web | intermittent | 2025-03-29 23:45 | still open | open |",
        "| failed requests | ~41.5% |",
        "| orders delayed | ≥ 1800 orders |",
        "| Impact duration (computed) | 45m (started → mitigated) |",
        "| Customers affected | 340 |",
        "### Root causes",
        "### Contributing factors",
        "### Triggers",
        "- **Because of:** Failover drill in peak hours",
        "- **Time to fix (stated):** 20m",
        "`postgresql max_wal_senders`: `5` → `10`",
        "pool-alert | Alert on connection queue depth",
        "A2 | Size pools from primary limits",
        "| 2025-05 | deferred |",
        "- [x] **on-call to verify:** Error rate back under 0.1%",
        "| **Total** (computed) | **5h** |",
        "kubectl -n payments set env deploy/api POOL_SIZE=80",
        "## Customer communication",
        "## Appendix",
        "- Related: minimal",
        "(pr)",
        "[`abcdef12`](https://git.example.com/infra/commit/abcdef12)",
    ] {
        assert!(md.contains(want), "missing {want:?} in:\n{md}");
    }
    // Sections follow their anchors.
    let pos = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(
        pos("## Timeline") < pos("## Customer communication") && pos("## Customer communication") < pos("## Causes")
    );
    assert!(pos("## Appendix") < pos("## Conclusion"));
}

#[test]
fn a_quoted_line_stays_a_blockquote() {
    let p = Project::new();
    p.write(
        "q.toml",
        "title = \"Quoted\"\nstatus = \"resolved\"\ndate = 2025-11-16\nsummary = \"\"\"\nA customer wrote:\n\n> checkout says <b>error 502</b>\n\"\"\"\n",
    );
    let (code, md, err) = p.render(&["q"]);
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("> checkout says &lt;b>error 502&lt;/b>"), "{md}");
    use pulldown_cmark::{Event, Parser, Tag};
    let events: Vec<Event> = Parser::new(&md).collect();
    assert!(events.iter().any(|e| matches!(e, Event::Start(Tag::BlockQuote(_)))), "{md}");
    for e in &events {
        if let Event::Html(h) | Event::InlineHtml(h) = e {
            assert!(casebooks_own_html(h), "{h:?} in:\n{md}");
        }
    }
}

#[test]
fn hostile_record_renders_safely() {
    let p = Project::new();
    p.write(
        "x.toml",
        "title = \"<script>alert(1)</script> # not a heading\"\nstatus = \"resolved\"\ndate = 2025-11-16\nsummary = \"<img src=x onerror=alert(1)> and `<b>code</b>` \\u0007bell\"\nservices = [\"a|b\", \"- list\"]\n\
         [[timeline]]\nat = 21:00:00\ntitle = \"# fake heading\"\nbody = \"| pipe | table |\\n<iframe src=evil>\"\n\
         [[effort]]\nactivity = \"a | b\\nc\"\nduration = \"1h\"\n\
         [[runbook]]\nid = \"r\"\ntitle = \"t\"\n[[runbook.steps]]\ntitle = \"s\"\ncommand = \"echo ```\\nrm -rf /\"\n\
         [[links]]\ntitle = \"x](javascript:alert(1)) [y\"\nurl = \"https://e.com/a b)(\"\n",
    );
    let (code, md, err) = p.render(&["x"]);
    assert_eq!(code, 0, "{err}");
    assert!(!md.contains("<script>"), "{md}");
    assert!(!md.contains("<img"), "{md}");
    assert!(!md.contains("<iframe"), "{md}");
    assert!(md.contains("&lt;script&gt;"), "{md}");
    assert!(md.contains("`<b>code</b>`"), "code spans keep their text:\n{md}");
    assert!(!md.contains('\u{7}'), "control characters are dropped");
    assert!(md.contains("# &lt;script&gt;alert(1)&lt;/script&gt; # not a heading"), "{md}");
    // The entry's title sits in its timeline row, where `#` starts no heading.
    assert!(md.contains("21:00 | **# fake heading**"), "{md}");
    assert!(!md.lines().any(|l| l.starts_with('#') && l.contains("fake heading")), "{md}");
    assert!(md.contains("- **Services** a\\|b, \\- list<span"), "{md}");
    assert!(md.contains("| a \\| b c | 1h |"), "{md}");
    assert!(md.contains("````sh\n   echo ```\n   rm -rf /\n   ````"), "a longer fence holds the command:\n{md}");
    assert!(md.contains("(https://e.com/a%20b\\)\\()"), "{md}");
    // What a markdown renderer sees: no raw HTML, no script links.
    use pulldown_cmark::{Event, Options, Parser, Tag};
    for event in Parser::new_ext(&md, Options::all()) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => assert!(casebooks_own_html(&h), "raw HTML in output: {h}"),
            Event::Start(Tag::Link { dest_url, .. }) => {
                assert!(!dest_url.starts_with("javascript:"), "script link: {dest_url}")
            }
            _ => {}
        }
    }
}

#[test]
fn context_prints_every_variable() {
    let (code, json, err) = Project::this_repository().render(&["INC-2025-001", "--context"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let inc = &v["incident"];
    assert_eq!(inc["id"], "INC-2025-001");
    assert_eq!(inc["effort"]["total"], "3h 42m");
    assert_eq!(inc["response"][4]["value"], "1h");
    assert_eq!(inc["impact"]["duration"], "1h");
    assert_eq!(inc["actions"]["groups"][0]["horizon"], "immediate");
    assert_eq!(inc["commits"][0]["status"], "unverified");
    assert_eq!(v["public"], false);
}

#[test]
fn one_template_overrides_without_copying_the_rest() {
    let p = Project::new();
    p.write(
        "x.toml",
        record("[[timeline]]\nat = 21:00:00\ntitle = \"Paged\"\n[[effort]]\nactivity = \"a\"\nduration = \"1h\"\n"),
    );
    p.write(
        "templates/timeline.md",
        "## What happened when\n{% for e in incident.timeline.entries %}* {{ e.time }} {{ e.title }}\n{% endfor %}",
    );
    let (code, md, err) = p.render(&["x"]);
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("## What happened when\n* 21:00 Paged"), "{md}");
    assert!(!md.contains("## Timeline"), "{md}");
    assert!(md.contains("## Effort"), "built-in sections remain:\n{md}");
    let list = p.cmd(&["templates", "list"]).output().unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(list.contains("timeline.md        templates/timeline.md"), "{list}");
    assert!(list.contains("effort.md          built-in"), "{list}");
}

#[test]
fn template_errors_name_file_line_and_variable() {
    let p = Project::new();
    p.write("x.toml", MINIMAL);
    p.write("templates/summary.md", "## Summary\n\n{{ incident.sumary }}\n");
    let (code, _, err) = p.render(&["x"]);
    assert_eq!(code, 1);
    assert!(err.contains("templates/summary.md:3:"), "{err}");
    assert!(err.contains("sumary"), "{err}");
    assert!(err.contains("--context"), "{err}");

    p.write("templates/summary.md", "{% for x in %}\n");
    let (code, _, err) = p.render(&["x"]);
    assert_eq!(code, 1);
    assert!(err.contains("templates/summary.md:1:"), "{err}");
}

#[test]
fn eject_writes_templates_and_never_overwrites() {
    let p = Project::new();
    p.cmd(&["templates", "eject"]).assert().success();
    let timeline = p.path().join("templates/timeline.md");
    assert!(timeline.is_file());
    std::fs::write(&timeline, "mine").unwrap();
    p.cmd(&["templates", "eject"]).assert().code(1).stderr(predicates::str::contains("already exists; pass --force"));
    assert_eq!(std::fs::read_to_string(&timeline).unwrap(), "mine");
    p.cmd(&["templates", "eject", "--force"]).assert().success();
    assert_ne!(std::fs::read_to_string(&timeline).unwrap(), "mine");
}

#[test]
fn render_refuses_a_record_with_errors_and_unknown_names() {
    let p = Project::new();
    p.write("x.toml", record("sevrity = 1\n"));
    let (code, md, err) = p.render(&["x"]);
    assert_eq!(code, 1);
    assert!(md.is_empty());
    assert!(
        err.contains("error[E0006]") && err.contains("1 error in incidents/x.toml; fix them and render again"),
        "{err}"
    );
    let (code, _, err) = p.render(&["y"]);
    assert_eq!(code, 2);
    assert!(err.contains("no record with slug, id or path \"y\""), "{err}");
}

#[test]
fn render_to_a_file() {
    let p = Project::new();
    p.write("x.toml", MINIMAL);
    let (code, _, err) = p.render(&["incidents/x.toml", "-o", "out/x.md"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(p.path().join("out/x.md")).unwrap();
    assert!(text.starts_with("# Checkout down\n"));
    assert!(text.contains("Impact: **not recorded**."), "absence is a finding:\n{text}");
    assert!(text.contains("- **Time to detect** not recorded"), "{text}");
}

/// HTML that casebook's templates write themselves (layout classes, row anchors,
/// line breaks), and nothing with a value a record could choose: class names and
/// ids of lowercase letters, digits and dashes only.
fn casebooks_own_html(h: &str) -> bool {
    let h = h.trim();
    let plain = |v: &str| v.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == ' ');
    let attr =
        |prefix: &str, suffix: &str| h.strip_prefix(prefix).and_then(|r| r.strip_suffix(suffix)).is_some_and(&plain);
    matches!(h, "<br>" | "<small>" | "</small>" | "</span>" | "</a>" | "</div>")
        || attr("<div class=\"cb-", "\">")
        || attr("<span class=\"cb-", "\">")
        || attr("<span class=\"cb-", "\"></span>")
        || attr("<a id=\"", "\"></a>")
        || attr("<a id=\"", "\">")
}
