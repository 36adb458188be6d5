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

/// `casebook serve` on a free port in a project of one minimal record.
fn serve_minimal() -> (Project, u16, std::process::Child) {
    let p = Project::new();
    p.write("x.toml", MINIMAL);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let serve = Command::new(assert_cmd::cargo::cargo_bin("casebook"))
        .arg("-C")
        .arg(p.path())
        .args(["--color", "never", "serve", "--port", &port.to_string(), "--hostname", "127.0.0.1"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    (p, port, serve)
}

#[test]
#[ignore = "needs mdBook; .ci/run runs it"]
fn serve_rebuilds_on_change_and_leaves_no_process_behind() {
    let (p, port, mut serve) = serve_minimal();
    let page = || http_get(port, "/incidents/x.html");
    assert!(eventually(60, || page().contains("Checkout down")), "the page is served:\n{}", page());
    // An edited record shows without running anything by hand.
    p.write("x.toml", MINIMAL.replace("Checkout down", "Checkout restored"));
    assert!(eventually(60, || page().contains("Checkout restored")), "the page is rebuilt:\n{}", page());
    // Each save is previewed at once: the page's new text in its HTML page, and the
    // stamp that makes open pages reload (casebook.js polls it; see the test below).
    p.write("x.toml", MINIMAL.replace("Checkout down", "Checkout previewed"));
    assert!(eventually(60, || page().contains("Checkout previewed")), "the page is rebuilt:\n{}", page());
    assert!(
        eventually(30, || http_get(port, "/casebook-preview.txt").starts_with("HTTP/1.1 200")),
        "no preview stamp is served"
    );
    // SIGTERM ends casebook, and mdBook with it.
    Command::new("kill").args(["-TERM", &serve.id().to_string()]).status().unwrap();
    assert!(eventually(20, || serve.try_wait().unwrap().is_some()), "casebook serve did not end on SIGTERM");
    let book = p.path().join("book").display().to_string();
    assert!(eventually(10, || processes_naming(&book).is_empty()), "left running: {:?}", processes_naming(&book));
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err(), "the port still answers");
    assert!(!p.path().join("book/book/casebook-preview.txt").exists(), "serve leaves no stamp behind");
}

/// casebook.js on a page served from this machine reloads the page when serve's
/// preview stamp appears or changes, and not before: a server here answers the
/// stamp with 404 three times, then with a value; the page's second load says so.
#[test]
#[ignore = "needs Chromium; .ci/run runs it"]
fn a_served_page_reloads_when_serve_writes_a_preview() {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let script = include_str!("../../templates/casebook.js");
    std::thread::spawn(move || {
        let (mut stamps, mut pages) = (0, 0);
        for stream in listener.incoming().flatten() {
            let mut line = String::new();
            let mut reader = BufReader::new(&stream);
            let _ = reader.read_line(&mut line);
            // The rest of the request's head.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = line.split(' ').nth(1).unwrap_or("/").to_string();
            let (status, body) = if path.ends_with("/casebook-preview.txt") {
                stamps += 1;
                if stamps < 4 { ("404 Not Found", String::new()) } else { ("200 OK", "1\n".to_string()) }
            } else if path.ends_with("/casebook.js") {
                ("200 OK", script.to_string())
            } else if !path.ends_with(".html") {
                ("404 Not Found", String::new())
            } else {
                pages += 1;
                let word = if pages == 1 { "FIRST-LOAD" } else { "RELOADED" };
                let html = format!(
                    "<html><body><main>{word}</main><script>const path_to_root = \"\";</script><script src=\"casebook.js\"></script></body></html>"
                );
                ("200 OK", html)
            };
            let mut s = &stream;
            let _ = write!(s, "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        }
    });
    let page = dom(&format!("http://127.0.0.1:{port}/incidents/x.html"));
    assert!(page.contains("RELOADED"), "the page did not reload when the stamp appeared:\n{page}");
}

/// A script that measures what a reader sees and writes it into the page as JSON
/// (`<pre id="cb-layout">`), for `--dump-dom` to carry out: horizontal page
/// scroll, tables that scroll inside their box, text in a figure that overlaps
/// other text, the severity colours of legends and badges, and the contrast of
/// chart text against the page. `?theme=navy` switches mdBook's theme first.
const MEASURE_JS: &str = r#"
(function () {
  var theme = new URLSearchParams(location.search).get("theme");
  if (theme) {
    var html = document.documentElement;
    ["light", "rust", "coal", "navy", "ayu"].forEach(function (t) { html.classList.remove(t); });
    html.classList.add(theme);
  }
  function lum(rgb) {
    var c = rgb.match(/[\d.]+/g).slice(0, 3).map(function (v) {
      v = v / 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(a, b) {
    var x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  function measure() {
    var out = { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
                scrollingTables: [], overlaps: [], legend: {}, badges: {}, minContrast: 99, figures: 0 };
    document.querySelectorAll(".table-wrapper").forEach(function (w) {
      if (w.scrollWidth > w.clientWidth + 1) out.scrollingTables.push(w.innerText.slice(0, 60));
    });
    // The colour behind the content: the first element up from <main> with one.
    var bg = "rgb(255, 255, 255)";
    for (var e = document.querySelector("main"); e; e = e.parentElement) {
      var c = getComputedStyle(e).backgroundColor;
      if (c && c !== "transparent" && !/rgba\(.*, 0\)$/.test(c)) { bg = c; break; }
    }
    document.querySelectorAll("main svg").forEach(function (svg) {
      out.figures += 1;
      var boxes = [];
      svg.querySelectorAll("text").forEach(function (t) {
        var r = t.getBoundingClientRect();
        if (r.width > 0) boxes.push({ t: t.textContent, r: r });
        out.minContrast = Math.min(out.minContrast, contrast(getComputedStyle(t).fill, bg));
      });
      for (var i = 0; i < boxes.length; i++) for (var j = 0; j < i; j++) {
        var a = boxes[i].r, b = boxes[j].r;
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
          out.overlaps.push(boxes[i].t + " / " + boxes[j].t);
      }
      svg.querySelectorAll("text.cb-legend").forEach(function (t) {
        var swatch = t.previousElementSibling;
        var shape = swatch && (swatch.tagName === "g" ? swatch.querySelector("rect") : swatch);
        if (shape) out.legend[t.textContent] = shape.getAttribute("fill");
      });
    });
    // Dates in table cells stay on one line.
    out.wrappedDates = [];
    document.querySelectorAll("main td").forEach(function (td) {
      var walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
      for (var n = walker.nextNode(); n; n = walker.nextNode()) {
        var re = /\d{4}-\d{2}-\d{2}/g, m;
        while ((m = re.exec(n.textContent))) {
          var r = document.createRange();
          r.setStart(n, m.index);
          r.setEnd(n, m.index + m[0].length);
          var tops = {};
          Array.prototype.forEach.call(r.getClientRects(), function (b) { tops[Math.round(b.top)] = 1; });
          if (Object.keys(tops).length > 1) out.wrappedDates.push(m[0]);
        }
      }
    });
    document.querySelectorAll(".cb-sev").forEach(function (b) {
      out.badges[b.textContent] = getComputedStyle(b).backgroundColor;
    });
    var pre = document.createElement("pre");
    pre.id = "cb-layout";
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  }
  if (document.readyState === "complete") measure(); else window.addEventListener("load", measure);
})();
"#;

/// What [`MEASURE_JS`] found on a page.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Layout {
    scroll_width: u32,
    inner_width: u32,
    scrolling_tables: Vec<String>,
    overlaps: Vec<String>,
    legend: std::collections::BTreeMap<String, String>,
    badges: std::collections::BTreeMap<String, String>,
    min_contrast: f64,
    figures: usize,
    wrapped_dates: Vec<String>,
}

/// Builds `p`'s book to HTML with the measuring script added.
fn measured_book(p: &Project) -> PathBuf {
    build_html_in(p);
    let book = p.path().join("book");
    std::fs::write(book.join("measure.js"), MEASURE_JS).unwrap();
    let toml = std::fs::read_to_string(book.join("book.toml")).unwrap();
    assert!(toml.contains("additional-js = [\"casebook.js\"]"), "a new book.toml loads casebook.js:\n{toml}");
    assert!(toml.contains("additional-css = [\"casebook.css\"]"), "a new book.toml loads casebook.css:\n{toml}");
    let toml = toml.replace("additional-js = [\"casebook.js\"]", "additional-js = [\"casebook.js\", \"measure.js\"]");
    std::fs::write(book.join("book.toml"), toml).unwrap();
    let mdbook = std::env::var("CASEBOOK_MDBOOK").unwrap_or_else(|_| "mdbook".into());
    let out = Command::new(mdbook).arg("build").arg(&book).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    book.join("book")
}

/// `page` (relative to the HTML folder) in headless Chromium at `width` px.
fn layout(html: &Path, page: &str, width: u32, theme: &str) -> Layout {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(std::env::var("CASEBOOK_CHROMIUM").unwrap_or_else(|_| "chromium".into()))
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg(format!("--window-size={width},1000"))
        .args(["--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}/{page}?theme={theme}", html.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let json = dom
        .split("<pre id=\"cb-layout\">")
        .nth(1)
        .and_then(|r| r.split("</pre>").next())
        .unwrap_or_else(|| panic!("{page}: the measuring script did not run"));
    let json = json.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{page}: {e}: {json}"))
}

/// The bundled showcase as a reader sees it: at 1400 px and at a phone's 390 px,
/// in the light and the navy theme, no page scrolls sideways, no table needs to
/// scroll at 1400 px, no two texts of a figure (strip labels, chart labels,
/// legends) overlap, and chart text keeps its contrast in both themes.
#[test]
#[ignore = "needs mdBook and Chromium; .ci/run runs it"]
fn pages_fit_at_1400_and_390_pixels_in_light_and_dark_themes_and_figures_never_overlap() {
    let tmp = tempfile::tempdir().unwrap();
    let p = Project::new();
    // The bundled records and configuration, in a project of their own.
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(here.join("casebook.toml"), p.path().join("casebook.toml")).unwrap();
    for e in std::fs::read_dir(here.join("incidents")).unwrap().flatten() {
        std::fs::copy(e.path(), p.path().join("incidents").join(e.file_name())).unwrap();
    }
    drop(tmp);
    let html = measured_book(&p);
    let mut pages: Vec<String> =
        ["index.html", "actions.html", "commits.html", "by-month.html", "by-service.html", "symptoms.html"]
            .map(String::from)
            .to_vec();
    let mut incidents: Vec<String> = std::fs::read_dir(html.join("incidents"))
        .unwrap()
        .flatten()
        .map(|e| format!("incidents/{}", e.file_name().to_string_lossy()))
        .collect();
    incidents.sort();
    assert!(incidents.len() >= 10, "the showcase has a dozen incidents: {incidents:?}");
    pages.extend(incidents);
    let mut problems = Vec::new();
    for page in &pages {
        for (width, theme) in [(1400, "light"), (390, "light"), (1400, "navy"), (390, "navy")] {
            // Every page in the light theme; the dark theme on the overview and two incidents.
            if theme == "navy" && !(page == "index.html" || page.ends_with("500.html") || page == &pages[7]) {
                continue;
            }
            let l = layout(&html, page, width, theme);
            let at = format!("{page} at {width}px, {theme}");
            if l.scroll_width > l.inner_width {
                problems.push(format!("{at}: the page scrolls sideways ({} > {})", l.scroll_width, l.inner_width));
            }
            if width == 1400 && !l.scrolling_tables.is_empty() {
                problems.push(format!("{at}: tables scroll: {:?}", l.scrolling_tables));
            }
            if !l.overlaps.is_empty() {
                problems.push(format!("{at}: overlapping text in a figure: {:?}", l.overlaps));
            }
            if !l.wrapped_dates.is_empty() {
                problems.push(format!("{at}: dates wrap: {:?}", l.wrapped_dates));
            }
            if l.figures > 0 && l.min_contrast < 4.5 {
                problems.push(format!("{at}: chart text contrast {:.2} < 4.5", l.min_contrast));
            }
            if page.starts_with("incidents/") && l.figures == 0 && page.ends_with("500.html") {
                problems.push(format!("{at}: no key-moment strip"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A severity's colour is fixed by its level in `[severity] levels`, not by rank
/// among the levels present: SEV3 looks the same in a book with only SEV3 as in
/// one with SEV1 and SEV3, in the chart legend and in the page's badge.
#[test]
#[ignore = "needs mdBook and Chromium; .ci/run runs it"]
fn severity_colours_are_the_same_in_books_with_different_levels_present() {
    let book = |sevs: &[&str]| {
        let p = Project::with_records(sevs.iter().enumerate().map(|(n, sev)| {
            (
                format!("i{n}"),
                format!(
                    "title = \"Incident {n}\"\nstatus = \"resolved\"\nseverity = \"{sev}\"\nsummary = \"S.\"\ndate = 2026-0{}-10\n\
                     detected = 2026-0{}-10T10:00:00Z\nresolved = 2026-0{}-10T11:00:00Z\n",
                    n + 1,
                    n + 1,
                    n + 1
                ),
            )
        }));
        p.config("[severity]\nlevels = [\"SEV1\", \"SEV2\", \"SEV3\", \"SEV4\"]\n");
        let html = measured_book(&p);
        (p, layout(&html, "index.html", 1400, "light"), layout(&html, "incidents/i0.html", 1400, "light"))
    };
    let (_a, only3, page3) = book(&["SEV3"]);
    let (_b, one_and_3, _) = book(&["SEV3", "SEV1"]);
    assert_eq!(only3.legend.get("SEV3"), one_and_3.legend.get("SEV3"), "{only3:?}\n{one_and_3:?}");
    assert!(only3.legend.contains_key("SEV3"), "{only3:?}");
    assert_ne!(one_and_3.legend.get("SEV1"), one_and_3.legend.get("SEV3"), "{one_and_3:?}");
    // The page's badge has the same colour as the chart's SEV3.
    let hex = only3.legend["SEV3"].trim_start_matches('#');
    let rgb: Vec<u8> = (0..3).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect();
    assert_eq!(page3.badges.get("SEV3"), Some(&format!("rgb({}, {}, {})", rgb[0], rgb[1], rgb[2])), "{page3:?}");
}

/// SIGKILL, which casebook cannot catch, still ends mdBook: the kernel sends it
/// SIGTERM when casebook dies (Linux).
#[test]
#[ignore = "needs mdBook; .ci/run runs it"]
#[cfg(target_os = "linux")]
fn serve_killed_with_sigkill_leaves_no_mdbook_behind() {
    let (p, port, mut serve) = serve_minimal();
    assert!(eventually(60, || http_get(port, "/incidents/x.html").contains("Checkout down")), "never served");
    let book = p.path().join("book").display().to_string();
    assert!(!processes_naming(&book).is_empty(), "mdBook runs");
    serve.kill().unwrap();
    serve.wait().unwrap();
    assert!(eventually(10, || processes_naming(&book).is_empty()), "left running: {:?}", processes_naming(&book));
    assert!(eventually(5, || std::net::TcpStream::connect(("127.0.0.1", port)).is_err()), "the port still answers");
}
