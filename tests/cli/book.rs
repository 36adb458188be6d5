//! `casebook build`: the book on disk, its links, and what it must never do.

use crate::project::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[test]
fn writes_the_expected_tree() {
    let p = Project::maximal();
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("built book/: 2 records"), "{err}");
    let files: Vec<String> = tree(&p.path().join("book")).keys().map(|k| k.display().to_string()).collect();
    for want in [
        ".casebook-manifest",
        "book.toml",
        "src/SUMMARY.md",
        "src/index.md",
        "src/by-month.md",
        "src/by-service.md",
        "src/by-severity.md",
        "src/by-cause.md",
        "src/by-tag.md",
        "src/actions.md",
        "src/commits.md",
        "src/symptoms.md",
        "src/runbooks/index.md",
        "src/runbooks/db-failover-pool.md",
        "src/incidents/maximal.md",
        "src/incidents/minimal.md",
    ] {
        assert!(files.contains(&want.to_string()), "{want} missing from {files:?}");
    }
    let book = p.path().join("book/src");
    let overview = std::fs::read_to_string(book.join("index.md")).unwrap();
    assert!(overview.contains("2 incidents from 2025-03-29 to 2025-11-16"), "{overview}");
    assert!(overview.contains("<svg"), "overview has charts");
    assert!(overview.contains("| SEV2 | 7m | 7m | 45m | 45m | 1h 50m | 1h 50m |"), "{overview}");
    let runbook = std::fs::read_to_string(book.join("runbooks/db-failover-pool.md")).unwrap();
    assert!(runbook.contains("## Seen in") && runbook.contains("(../incidents/maximal.md)"), "{runbook}");
    assert!(runbook.contains("next review due 2026-05-30"), "{runbook}");
    let symptoms = std::fs::read_to_string(book.join("symptoms.md")).unwrap();
    assert!(symptoms.contains("| `remaining connection slots are reserved` | [Connection pool exhausted after failover](runbooks/db-failover-pool.md) |"), "{symptoms}");
    let page = std::fs::read_to_string(book.join("incidents/maximal.md")).unwrap();
    assert!(page.contains("<figure class=\"casebook-figure\"><svg"), "incident pages carry the moment strip");
    assert!(page.contains("Full runbook: [db-failover-pool](../runbooks/db-failover-pool.md)"), "{page}");
    assert!(page.contains("- Related: [Checkout down](../incidents/minimal.md)"), "{page}");
}

#[test]
fn same_records_same_bytes_and_nothing_rewritten() {
    let p = Project::maximal();
    p.build(&[]);
    let first = tree(&p.path().join("book"));
    let index = p.path().join("book/src/index.md");
    let mtime = std::fs::metadata(&index).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0);
    assert!(err.contains("book/ is up to date (no input changed)"), "{err}");
    assert_same_tree(&first, &tree(&p.path().join("book")), "");
    assert_eq!(mtime, std::fs::metadata(&index).unwrap().modified().unwrap(), "unchanged files are not rewritten");
    // Another folder, same records: same bytes.
    let q = Project::maximal();
    q.build(&[]);
    assert_same_tree(&first, &tree(&q.path().join("book")), "");
}

#[test]
fn check_catches_a_stale_book() {
    let p = Project::maximal();
    p.build(&[]);
    let (code, _, err) = p.build(&["--check"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("book/ is up to date"), "{err}");
    p.write("minimal.toml", MINIMAL.replace("Checkout down", "Checkout was down"));
    let before = tree(&p.path().join("book"));
    let (code, diff, err) = p.build(&["--check"]);
    assert_eq!(code, 1);
    assert!(err.contains("book/ is stale: 0 to create,") && err.contains("run `casebook build`"), "{err}");
    assert!(
        diff.contains("--- a/src/incidents/minimal.md")
            && diff.contains("+# Checkout was down")
            && diff.contains("-# Checkout down"),
        "{diff}"
    );
    assert_same_tree(&before, &tree(&p.path().join("book")), "");
}

#[test]
fn removed_records_lose_their_pages_but_user_files_survive() {
    let p = Project::maximal();
    p.build(&[]);
    let mine = p.write("book/src/notes/handover.md", "# My notes\n");
    let mine_top = p.write("book/src/extra.md", "mine");
    std::fs::write(p.path().join("book/book.toml"), "[book]\ntitle = \"Ours\"\n").unwrap();
    std::fs::remove_file(p.path().join("incidents/maximal.toml")).unwrap();
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("removed"), "{err}");
    assert!(!p.path().join("book/src/incidents/maximal.md").exists());
    assert!(!p.path().join("book/src/runbooks/db-failover-pool.md").exists());
    assert!(p.path().join("book/src/runbooks/index.md").exists());
    assert_eq!(std::fs::read_to_string(mine).unwrap(), "# My notes\n");
    assert_eq!(std::fs::read_to_string(mine_top).unwrap(), "mine");
    assert_eq!(
        std::fs::read_to_string(p.path().join("book/book.toml")).unwrap(),
        "[book]\ntitle = \"Ours\"\n",
        "book.toml is never overwritten"
    );
}

#[test]
fn a_user_file_in_the_way_is_never_overwritten() {
    let p = Project::maximal();
    let mine = p.write("book/src/actions.md", "# My own action list\n");
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 1);
    assert!(err.contains("book/src/actions.md exists and was not written by casebook"), "{err}");
    assert_eq!(std::fs::read_to_string(mine).unwrap(), "# My own action list\n");
    // Pages are written as they are rendered; the conflict undoes them all.
    let left: Vec<PathBuf> = tree(&p.path().join("book")).into_keys().collect();
    assert_eq!(left, [PathBuf::from("src/actions.md")], "only the user's file is left");
}

/// Thirty records, one of which (the oldest, rendered last) a template cannot render.
fn project_with_a_page_that_fails() -> Project {
    let p = Project::new();
    for i in 0..30 {
        p.write(&format!("r{i:02}.toml"), MINIMAL.replace("2025-11-16", &format!("2025-10-{:02}", i + 2)));
    }
    p
}

#[test]
fn a_build_that_fails_half_way_leaves_the_book_as_it_was() {
    let p = project_with_a_page_that_fails();
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    let before = tree(&p.path().join("book"));
    // Every page changes (a new header), and one of them cannot be rendered.
    p.write("r00.toml", MINIMAL.replace("2025-11-16", "2025-10-01").replace("Checkout down", "Boom"));
    let header = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/header.md")).unwrap();
    p.write(
        "templates/header.md",
        format!("{{% if incident.title == \"Boom\" %}}{{{{ no_such_thing.at_all }}}}{{% endif %}}\n{header}"),
    );
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no_such_thing") && err.contains("the book is left as it was"), "{err}");
    assert_same_tree(&before, &tree(&p.path().join("book")), "");
    // A first build that fails leaves no book folder at all.
    std::fs::remove_dir_all(p.path().join("book")).unwrap();
    let (code, _, _) = p.build(&[]);
    assert_eq!(code, 1);
    assert!(!p.path().join("book").exists(), "no half-written book");
}

#[test]
fn pages_written_by_an_interrupted_build_are_known_to_the_next() {
    // Each page is journaled with its content hash before it is written, so the
    // build after a kill knows which files are casebook's and finishes the job.
    let p = Project::new();
    for i in 0..400 {
        p.write(&format!("r{i:03}.toml"), MINIMAL.replace("Checkout down", &format!("Incident {i}")));
    }
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("casebook"))
        .args(["--today", "2026-01-01", "-q", "-C"])
        .arg(p.path())
        .arg("build")
        .spawn()
        .unwrap();
    let pages = p.path().join("book/src/incidents");
    let started = std::time::Instant::now();
    while std::fs::read_dir(&pages).map_or(true, |d| d.count() == 0) {
        assert!(started.elapsed().as_secs() < 60, "no page was written");
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let written = std::fs::read_dir(&pages).unwrap().count();
    assert!(written < 400, "the build was stopped before its end ({written} pages)");
    assert!(p.path().join("book/.casebook-journal").is_file(), "the killed build's journal stays");
    assert!(!p.path().join("book/.casebook-manifest").exists(), "no manifest vouches for an unfinished build");
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_dir(&pages).unwrap().count(), 400);
    assert!(!p.path().join("book/.casebook-journal").exists());
    assert!(!p.path().join("book/.casebook-tmp").exists());
    let manifest = std::fs::read_to_string(p.path().join("book/.casebook-manifest")).unwrap();
    let with_input = manifest.lines().filter(|l| l.split('\t').count() == 3).count();
    assert_eq!(with_input, 400, "a finished build records every page's input hash");
    // A page deleted by hand comes back; the manifest ends as it was.
    std::fs::remove_file(pages.join("r007.md")).unwrap();
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(pages.join("r007.md").is_file());
    assert_eq!(std::fs::read_to_string(p.path().join("book/.casebook-manifest")).unwrap(), manifest);
}

#[test]
fn records_with_errors_write_nothing() {
    let p = Project::maximal();
    p.write("broken.toml", record("sevrity = 1\n"));
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 1);
    assert!(err.contains("error[E0006]") && err.contains("nothing was written"), "{err}");
    assert!(!p.path().join("book").exists());
}

/// A build lets go of each record's text once it is scanned; an error found later
/// still shows its source line, read again from the file.
#[test]
fn a_secret_stops_the_build_and_is_shown_in_its_line() {
    let p = Project::maximal();
    p.write("leak.toml", record("conclusion = \"token ghp_abcdefghijklmnopqrstuvwxyz0123456789AB leaked\"\n"));
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 1, "{err}");
    for part in ["error[E0021]", "a GitHub token", "leak.toml:5:21", "conclusion = \"token ghp_", "nothing was written"]
    {
        assert!(err.contains(part), "missing {part:?} in:\n{err}");
    }
    assert!(!p.path().join("book").exists());
    // Warnings do not stop a build, and a build does not print them.
    p.write("leak.toml", record("authors = [\"jane.doe@acme.io\"]\n"));
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("W0105"), "{err}");
    assert!(p.path().join("book/src/incidents/leak.md").is_file());
}

/// An error found after loading (here: a reference to no record, a check across
/// records) shows its line, though the build let go of the texts.
#[test]
fn an_error_across_records_is_shown_in_its_line() {
    let p = Project::maximal();
    p.write("dangling.toml", record("related = [\"no-such-incident\"]\n"));
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 1, "{err}");
    for part in
        ["no incident has slug or id \"no-such-incident\"", "dangling.toml:5:", "related = [\"no-such-incident\"]"]
    {
        assert!(err.contains(part), "missing {part:?} in:\n{err}");
    }
}

#[test]
fn a_tampered_manifest_cannot_delete_outside_the_book() {
    let p = Project::maximal();
    p.build(&[]);
    let outside = p.write("keep.txt", "precious");
    let manifest = p.path().join("book/.casebook-manifest");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str("../keep.txt\n/etc/hostname\n");
    std::fs::write(&manifest, text).unwrap();
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(outside).unwrap(), "precious");
}

/// Every relative link in the generated markdown points at a generated page,
/// and every #anchor at a heading of that page.
fn assert_links_resolve(book_src: &Path) {
    use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
    let files: Vec<PathBuf> = tree(book_src).into_keys().map(|p| book_src.join(p)).collect();
    let mut headings: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let mut ids = Vec::new();
        let mut in_heading: Option<String> = None;
        for e in Parser::new_ext(&text, Options::all()) {
            match e {
                // casebook's own anchors (archive pages): <a id="slug"></a>
                Event::Html(h) | Event::InlineHtml(h) if h.starts_with("<a id=\"") => {
                    ids.push(h.trim_start_matches("<a id=\"").split('"').next().unwrap_or_default().to_string())
                }
                Event::Start(Tag::Heading { level, .. }) if level != HeadingLevel::H6 => {
                    in_heading = Some(String::new())
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(h) = in_heading.as_mut() {
                        h.push_str(&t);
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    ids.push(casebook::view::pages::anchor(&in_heading.take().unwrap_or_default()))
                }
                _ => {}
            }
        }
        headings.insert(f.clone(), ids);
    }
    let mut checked = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for e in Parser::new_ext(&text, Options::all()) {
            if let Event::Start(Tag::Link { dest_url, .. }) = e {
                let dest = dest_url.to_string();
                if dest.contains("://") || dest.starts_with("mailto:") {
                    continue;
                }
                let (file, anchor) = dest.split_once('#').map_or((dest.as_str(), None), |(a, b)| (a, Some(b)));
                let target = if file.is_empty() { f.clone() } else { f.parent().unwrap().join(file) };
                let target = PathBuf::from(target.to_string_lossy().replace("/./", "/"));
                let normalized: PathBuf = target.components().fold(PathBuf::new(), |mut acc, c| {
                    if c == std::path::Component::ParentDir {
                        acc.pop();
                    } else {
                        acc.push(c);
                    }
                    acc
                });
                assert!(normalized.is_file(), "{}: link {dest} points at nothing", f.display());
                if let Some(a) = anchor {
                    assert!(
                        headings[&normalized].iter().any(|h| h == a),
                        "{}: anchor #{a} not in {}",
                        f.display(),
                        normalized.display()
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} links checked");
}

#[test]
fn every_internal_link_resolves() {
    let p = Project::maximal();
    p.build(&[]);
    assert_links_resolve(&p.path().join("book/src"));
}

#[test]
fn the_committed_book_is_up_to_date_and_its_links_resolve() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = assert_cmd::Command::cargo_bin("casebook")
        .unwrap()
        .args(["-C", root.to_str().unwrap(), "--color", "never", "build", "--check"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "run `cargo run -- build`:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_links_resolve(&root.join("book/src"));
}

#[test]
fn public_book_leaves_out_private_parts() {
    let p = Project::maximal();
    let (code, _, err) = p.build(&["--public", "-o", "public-book"]);
    assert_eq!(code, 0, "{err}");
    let all: String =
        tree(&p.path().join("public-book")).values().map(|b| String::from_utf8_lossy(b).into_owned()).collect();
    for private in [
        "Pool exhaustion found",
        "Failover drill in peak hours",
        "Drill calendar",
        "Internal notes",
        "notes/failover.md",
    ] {
        assert!(!all.contains(private), "{private} leaked");
    }
}

#[test]
fn unchanged_pages_are_reused_and_changed_inputs_are_not() {
    let p = Project::maximal();
    p.write("x.toml", record("related = [\"minimal\"]\n"));
    p.build(&[]);
    let page = p.path().join("book/src/incidents/x.md");
    // A template change re-renders every page.
    p.write("templates/summary.md", "## What happened\n\n{{ incident.summary }}\n");
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&page).unwrap().contains("## What happened"));
    // A related record's new title reaches the page that links to it.
    p.write("minimal.toml", MINIMAL.replace("Checkout down", "Checkout unavailable"));
    p.build(&[]);
    assert!(
        std::fs::read_to_string(&page).unwrap().contains("- Related: [Checkout unavailable](../incidents/minimal.md)")
    );
    // A hand edit to a generated page is not seen by a cached build, but --check compares every byte.
    std::fs::write(&page, "edited by hand").unwrap();
    let (code, diff, _) = p.build(&["--check"]);
    assert_eq!(code, 1);
    assert!(diff.contains("-edited by hand"), "{diff}");
}

#[test]
fn a_rebuild_with_no_changed_input_does_nothing_and_any_change_is_seen() {
    // No casebook.toml: the repository holding the records is the default one.
    let p = Project::new();
    p.write("x.toml", record("id = \"INC-2025-011\"\n"));
    p.write("minimal.toml", MINIMAL);
    let repo = git2::Repository::init(p.path()).unwrap();
    p.build(&[]);
    let (_, _, err) = p.build(&[]);
    assert!(err.contains("book/ is up to date (no input changed)"), "{err}");
    // A record edit.
    p.write("minimal.toml", MINIMAL.replace("Checkout down", "Checkout broken"));
    let (_, _, err) = p.build(&[]);
    assert!(err.contains("built book/"), "{err}");
    assert!(
        std::fs::read_to_string(p.path().join("book/src/incidents/minimal.md"))
            .unwrap()
            .starts_with("# Checkout broken")
    );
    // A new commit (it could name an incident): the full build runs.
    let sig = git2::Signature::new("A", "a@example.com", &git2::Time::new(1_700_000_000, 0)).unwrap();
    let tree = repo.find_tree(repo.index().unwrap().write_tree().unwrap()).unwrap();
    repo.commit(Some("HEAD"), &sig, &sig, "Fix (INC-2025-011)", &tree, &[]).unwrap();
    let (_, _, err) = p.build(&[]);
    assert!(err.contains("built book/"), "{err}");
    assert!(std::fs::read_to_string(p.path().join("book/src/incidents/x.md")).unwrap().contains("Also referenced by"));
    // A generated file deleted by hand comes back.
    std::fs::remove_file(p.path().join("book/src/symptoms.md")).unwrap();
    let (_, _, err) = p.build(&[]);
    assert!(err.contains("built book/"), "{err}");
    assert!(p.path().join("book/src/symptoms.md").is_file());
}

#[test]
fn the_day_changes_nothing_unless_an_action_falls_due_or_the_quarter_turns() {
    let p = Project::maximal();
    // The overview counts this quarter's incidents: a day of the same quarter.
    let (code, _, err) = p.build(&["--today", "2031-04-02"]);
    assert_eq!(code, 0, "{err}");
    let out = p.cmd(&["build", "--check"]).args(["--today", "2031-06-01"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    // An open action with a due date does change when it falls due.
    p.write("due.toml", record("[[actions]]\ntitle = \"Fix\"\ndue = 2026-06-01\n"));
    p.build(&["--today", "2026-05-30"]);
    let out = p.cmd(&["build", "--check"]).args(["--today", "2026-06-02"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("+| [A1](incidents/due.md#action-a1) Fix"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn past_the_page_limit_older_months_go_to_archive_pages() {
    let p = Project::new();
    // Twelve incidents over three months: seven in March, three in February, two in January.
    for (i, day) in ["2025-01-10", "2025-01-20", "2025-02-03", "2025-02-14", "2025-02-25", "2025-03-01"]
        .iter()
        .chain(["2025-03-05", "2025-03-09", "2025-03-12", "2025-03-20", "2025-03-25", "2025-03-28"].iter())
        .enumerate()
    {
        p.write(
            &format!("r{i:02}.toml"),
            MINIMAL.replace("2025-11-16", day).replace("Checkout down", &format!("Incident {i}")),
        );
    }
    p.write("./casebook.toml", "[book]\nincident_pages = 8\n");
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    let src = p.path().join("book/src");
    // The ninth newest is in February: February and January are archived whole.
    let pages: Vec<String> = std::fs::read_dir(src.join("incidents"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(pages.len(), 7, "March has pages of its own: {pages:?}");
    let feb = std::fs::read_to_string(src.join("archive/2025-02.md")).unwrap();
    assert!(feb.starts_with("# Archive: 2025-02\n"), "{feb}");
    assert!(feb.contains("<a id=\"r04\"></a>") && feb.contains("# Incident 4"), "{feb}");
    assert_eq!(feb.matches("<a id=").count(), 3);
    assert!(src.join("archive/2025-01.md").is_file());
    let summary = std::fs::read_to_string(src.join("SUMMARY.md")).unwrap();
    assert!(summary.contains("# Archive\n\n- [2025-02 (3 incidents)](archive/2025-02.md)\n- [2025-01 (2 incidents)](archive/2025-01.md)\n"), "{summary}");
    let by_month = std::fs::read_to_string(src.join("by-month.md")).unwrap();
    assert!(by_month.contains("(archive/2025-02.md#r04)"), "{by_month}");
    assert_links_resolve(&src);
    // With room for all, the archive pages go and every incident has its page.
    p.write("./casebook.toml", "[book]\nincident_pages = 100\n");
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(!src.join("archive").exists(), "stale archive pages are removed");
    assert_eq!(std::fs::read_dir(src.join("incidents")).unwrap().count(), 12);
    assert_links_resolve(&src);
}

#[test]
fn the_config_says_which_book_is_published() {
    let p = Project::new();
    p.write(
        "x.toml",
        record("authors = [\"jane@acme.io\"]\n[[timeline]]\nat = 21:00:00\ntitle = \"Secret step\"\nprivate = true\n"),
    );
    p.write("y.toml", MINIMAL.replace("Checkout down", "Other"));
    p.write("z.toml", MINIMAL.replace("Checkout down", "Checkout down, reported by ops@acme.io"));
    let page = || std::fs::read_to_string(p.path().join("book/src/incidents/x.md")).unwrap();
    // The default book is the internal one, and says what it holds: x has a private
    // entry and an e-mail, z an e-mail only, y neither.
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("note: this is the internal book, with everything: 1 record with private parts, 2 records with personal data shown as written (`casebook check` lists it)"),
        "{err}"
    );
    assert!(page().contains("Secret step") && page().contains("jane@acme.io"));
    // `[book] public = true`: build publishes.
    p.config("[book]\npublic = true\n");
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("internal book"), "{err}");
    assert!(!page().contains("Secret step") && !page().contains("jane@acme.io"), "{}", page());
    // --internal overrides it.
    let (code, _, err) = p.build(&["--internal"]);
    assert_eq!(code, 0, "{err}");
    assert!(page().contains("Secret step"), "{}", page());
    assert!(err.contains("internal book"), "{err}");
}

/// A book.toml of the user's own that does not load casebook's stylesheet and
/// script: the build succeeds and says which lines to add; with them added, it
/// says nothing.
#[test]
fn build_says_which_lines_to_add_to_a_book_toml_without_the_stylesheet() {
    let p = Project::new();
    p.write("x.toml", MINIMAL);
    p.write("./book/book.toml", "[book]\ntitle = \"Ours\"\n\n[output.html]\nadditional-css = [\"ours.css\"]\n");
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: book/book.toml does not load casebook's stylesheet and script"), "{err}");
    assert!(err.contains("add \"casebook.css\" to the `additional-css` list"), "{err}");
    assert!(err.contains("additional-js = [\"casebook.js\"]"), "{err}");
    assert!(p.path().join("book/casebook.css").is_file() && p.path().join("book/casebook.js").is_file());
    assert_eq!(
        std::fs::read_to_string(p.path().join("book/book.toml")).unwrap(),
        "[book]\ntitle = \"Ours\"\n\n[output.html]\nadditional-css = [\"ours.css\"]\n",
        "the user's book.toml is left as it was"
    );
    p.write(
        "./book/book.toml",
        "[book]\ntitle = \"Ours\"\n\n[output.html]\nadditional-css = [\"ours.css\", \"casebook.css\"]\nadditional-js = [\"casebook.js\"]\n",
    );
    p.write("x.toml", MINIMAL.replace("Checkout down", "Checkout slow"));
    let (code, _, err) = p.build(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("stylesheet"), "{err}");
}
