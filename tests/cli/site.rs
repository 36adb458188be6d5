//! The built site, with the real mdBook and a real browser (headless Chromium).
//! These need `mdbook` (or $CASEBOOK_MDBOOK) and `chromium` installed; `.ci/run`
//! installs both and runs them with `cargo test --test cli -- --ignored`.

use crate::project::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds the bundled incidents to HTML in a temp dir; returns (tempdir, html dir).
fn build_html() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    let (code, _, err) = Project::this_repository().build(&["--html", "-o", book.to_str().unwrap()]);
    assert_eq!(code, 0, "build --html failed (mdBook warnings fail it):\n{err}");
    // The one mdBook warning build --html lets through as a note fails CI here too.
    assert!(!err.contains("note: mdBook"), "{err}");
    (tmp, book.join("book"))
}

/// `casebook build --html` in a project; asserts it succeeds and returns what it printed on stderr.
fn build_html_in(p: &Project) -> String {
    let (code, _, err) = p.build(&["--html"]);
    assert_eq!(code, 0, "{err}");
    err
}

/// The page's DOM after its scripts ran, as headless Chromium sees it.
fn dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(std::env::var("CASEBOOK_CHROMIUM").unwrap_or_else(|_| "chromium".into()))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
#[ignore = "needs mdBook and Chromium; .ci/run runs it"]
fn sidebar_lists_the_incidents_and_every_page_exists() {
    let (_tmp, html) = build_html();
    let page = dom(&format!("file://{}/index.html", html.display()));
    assert!(
        page.contains("<a href=\"incidents/2025-11-16-project-creation-500.html\" tabindex=\"-1\">2025-11-16 Developers cannot create projects in production"),
        "the incident is not in the sidebar"
    );
    for p in [
        "index",
        "by-month",
        "by-service",
        "by-severity",
        "by-cause",
        "by-tag",
        "actions",
        "commits",
        "symptoms",
        "runbooks/index",
        "runbooks/db-schema-out-of-sync",
        "incidents/2025-11-16-project-creation-500",
    ] {
        assert!(html.join(format!("{p}.html")).is_file(), "{p}.html missing");
    }
    let incident = dom(&format!("file://{}/incidents/2025-11-16-project-creation-500.html", html.display()));
    assert!(incident.contains("<svg"), "the moment strip renders inline");
    assert!(incident.contains("3h 42m"));
}

#[test]
#[ignore = "needs mdBook and Chromium; .ci/run runs it"]
fn search_finds_the_runbook_by_symptom() {
    let (_tmp, html) = build_html();
    let page = dom(&format!("file://{}/index.html?search=P2021", html.display()));
    let results = page.split("<ul id=\"mdbook-searchresults\">").nth(1).expect("search results are shown");
    let results = results.split("</ul>").next().unwrap();
    assert!(
        results.contains("href=\"runbooks/db-schema-out-of-sync.html?highlight=P2021"),
        "runbook not found by symptom:\n{results}"
    );
    assert!(results.contains("href=\"symptoms.html?highlight=P2021"), "symptom index not found:\n{results}");
}

/// A large archive: mdBook's search index over every incident page grows past what a
/// browser should download. `build --html` still succeeds, says how to leave incident
/// pages out of search, and with that done, search still finds runbooks by symptom.
#[test]
#[ignore = "needs mdBook and Chromium; .ci/run runs it"]
fn a_large_archive_is_told_how_to_keep_search_small_and_search_still_finds_runbooks() {
    let tmp = Project::with_records((0..150).map(|i| {
        // Long, varied text: what makes a search index big.
        let words: Vec<String> = (0..4000).map(|j| format!("w{i}x{j}")).collect();
        let record = format!(
            "title = \"Incident {i}\"\nstatus = \"resolved\"\ndate = 2025-{:02}-{:02}\nsummary = \"\"\"\n{}\n\"\"\"\nrunbooks = [\"queue-{i}\"]\n\n[[runbook]]\nid = \"queue-{i}\"\ntitle = \"Queue {i} backs up\"\nsymptoms = [\"QERR{i:04}\"]\n\n[[runbook.steps]]\ntitle = \"Drain it\"\n",
            i % 6 + 1,
            i % 28 + 1,
            words.join(" ")
        );
        (format!("i{i:03}"), record)
    }));
    // Past 100 incidents, older months share archive pages.
    tmp.config("[book]\nincident_pages = 100\n");
    let err = build_html_in(&tmp);
    assert!(err.contains("note: mdBook: search index is very large"), "{err}");
    assert!(err.contains("\"incidents\" = { enable = false }"), "{err}");
    let index_size = |dir: &Path| -> u64 {
        std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("searchindex"))
            .map(|e| e.metadata().unwrap().len())
            .sum()
    };
    let html = tmp.path().join("book/book");
    let before = index_size(&html);
    // What the note says to add.
    let toml = tmp.path().join("book/book.toml");
    let mut text = std::fs::read_to_string(&toml).unwrap();
    text.push_str(
        "\n[output.html.search.chapter]\n\"incidents\" = { enable = false }\n\"archive\" = { enable = false }\n",
    );
    std::fs::write(&toml, text).unwrap();
    let err = build_html_in(&tmp);
    assert!(!err.contains("very large"), "{err}");
    let after = index_size(&html);
    assert!(after * 4 < before, "the index shrinks: {before} -> {after} bytes");
    let page = dom(&format!("file://{}/index.html?search=QERR0042", html.display()));
    let results = page.split("<ul id=\"mdbook-searchresults\">").nth(1).expect("search results are shown");
    assert!(results.contains("href=\"runbooks/queue-42.html?highlight=QERR0042"), "{results}");
    // Archived incidents: the month index links to the anchor in the month's page,
    // which mdBook renders with the anchor in place.
    let by_month = std::fs::read_to_string(html.join("by-month.html")).unwrap();
    let link = by_month.split("href=\"archive/").nth(1).expect("a link into the archive");
    let (page, anchor) = link.split('"').next().unwrap().split_once('#').expect("an anchor");
    let archived = std::fs::read_to_string(html.join("archive").join(page)).unwrap();
    assert!(archived.contains(&format!("id=\"{anchor}\"")), "#{anchor} in archive/{page}");
    let sidebar = dom(&format!("file://{}/index.html", html.display()));
    assert!(sidebar.contains("href=\"archive/"), "the archive months are in the sidebar");
}

/// Past a thousand incident pages, `build --html` says how to bound mdBook's time;
/// with `[book] incident_pages` set, older months become archive pages and mdBook
/// renders them.
#[test]
#[ignore = "needs mdBook; .ci/run runs it"]
fn a_book_of_over_a_thousand_pages_is_pointed_at_incident_pages() {
    let tmp = Project::with_records((0..1001).map(|i| {
        let record = format!(
            "title = \"Incident {i}\"\nstatus = \"resolved\"\nsummary = \"S.\"\ndate = 2025-{:02}-{:02}\n",
            i % 12 + 1,
            i % 28 + 1
        );
        (format!("i{i:04}"), record)
    }));
    let err = build_html_in(&tmp);
    assert!(err.contains("note: the book has 1001 incident pages"), "{err}");
    assert!(err.contains("`[book] incident_pages = 500`"), "{err}");
    tmp.config("[book]\nincident_pages = 500\n");
    let err = build_html_in(&tmp);
    assert!(!err.contains("note:"), "{err}");
    let html = tmp.path().join("book/book");
    let own = std::fs::read_dir(html.join("incidents")).unwrap().count();
    assert!(own <= 500 && own > 400, "the newest whole months keep their pages: {own}");
    let months = std::fs::read_dir(html.join("archive")).unwrap().count();
    assert!(months >= 1, "older months are archive pages");
}

/// `GET path` from a server on this machine; the body, or "" when nothing answers.
fn http_get(port: u16, path: &str) -> String {
    use std::io::{Read, Write};
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return String::new() };
    let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(5)));
    let _ = write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

/// Waits up to `secs` for `ok`.
fn eventually(secs: u64, mut ok: impl FnMut() -> bool) -> bool {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < end {
        if ok() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

/// Processes whose command line names `needle`.
fn processes_naming(needle: &str) -> Vec<String> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
        .filter(|c| c.contains(needle))
        .collect()
}

#[test]
#[ignore = "needs mdBook; .ci/run runs it"]
fn serve_rebuilds_on_change_and_leaves_no_process_behind() {
    let p = Project::new();
    p.write("x.toml", MINIMAL);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut serve = Command::new(assert_cmd::cargo::cargo_bin("casebook"))
        .arg("-C")
        .arg(p.path())
        .args(["--color", "never", "serve", "--port", &port.to_string(), "--hostname", "127.0.0.1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let page = || http_get(port, "/incidents/x.html");
    assert!(eventually(60, || page().contains("Checkout down")), "the page is served:\n{}", page());
    // An edited record shows without running anything by hand.
    p.write("x.toml", MINIMAL.replace("Checkout down", "Checkout restored"));
    assert!(eventually(60, || page().contains("Checkout restored")), "the page is rebuilt:\n{}", page());
    // SIGTERM ends casebook, and mdBook with it.
    Command::new("kill").args(["-TERM", &serve.id().to_string()]).status().unwrap();
    assert!(eventually(20, || serve.try_wait().unwrap().is_some()), "casebook serve did not end on SIGTERM");
    let book = p.path().join("book").display().to_string();
    assert!(eventually(10, || processes_naming(&book).is_empty()), "left running: {:?}", processes_naming(&book));
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err(), "the port still answers");
}
