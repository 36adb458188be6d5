//! The built site, with the real mdBook and a real browser (headless Chromium).
//! These need `mdbook` (or $CASEBOOK_MDBOOK) and `chromium` installed; `.ci/run`
//! installs both and runs them with `cargo test --test site -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the bundled incidents to HTML in a temp dir; returns (tempdir, html dir).
fn build_html() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let book = tmp.path().join("book");
    let out = assert_cmd::Command::cargo_bin("casebook")
        .unwrap()
        .args(["-C", root().to_str().unwrap(), "--color", "never", "build", "--html", "-o"])
        .arg(&book)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "build --html failed (mdBook warnings fail it):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (tmp, book.join("book"))
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
