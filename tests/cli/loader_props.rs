//! No input makes the loader or the checks panic. Cases: PROPTEST_CASES (default 256);
//! `PROPTEST_CASES=100000 cargo test --release --test loader_props` for a long run.

use proptest::prelude::*;
use std::path::Path;

const MAXIMAL: &str = include_str!("../fixtures/maximal.toml");

fn load(bytes: &[u8]) {
    let path = Path::new("fuzz.toml");
    if let Ok((text, Some(inc), _)) = casebook::load::parse_record("fuzz", bytes.to_vec(), path, None) {
        // Run the per-record checks and figures on whatever loaded.
        let _ = casebook::check::scan_text(path, &text);
        let _ = casebook::figures::response_times(&inc);
        let _ = casebook::figures::impact_duration(&inc);
        let _ = casebook::figures::effort_total(&inc);
        let book = casebook::Casebook {
            config: casebook::config::Config::defaults(Path::new(".")),
            records: vec![casebook::Record { path: path.to_path_buf(), incident: inc }],
            sources: Default::default(),
            diagnostics: vec![],
            failed: vec![],
            scanned: None,
        };
        let _ = casebook::check::run(
            &book,
            &casebook::check::CheckOptions {
                today: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                warnings: true,
            },
        );
    }
}

/// Lines of the maximal record, some replaced by fragments of others or by junk.
fn mutated_record() -> impl Strategy<Value = String> {
    let lines: Vec<&'static str> = MAXIMAL.lines().collect();
    let n = lines.len();
    let junk = prop_oneof![
        Just("at = 25:61:00".to_string()),
        Just("at = 1979-02-29".to_string()),
        Just("due = \"2025-Q0\"".to_string()),
        Just("duration = \"99999999999999999999w\"".to_string()),
        Just("timezone = \"+99:99\"".to_string()),
        Just("marks = [\"resolved\", \"resolved\"]".to_string()),
        Just("```".to_string()),
        Just("[[timeline]]".to_string()),
        Just("commits = [\"zz@\"]".to_string()),
        "[ -~]{0,40}",
        "\\PC{0,20}",
    ];
    proptest::collection::vec((0..n, proptest::option::of(junk), any::<bool>()), 0..12).prop_map(move |edits| {
        let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        for (i, junk, swap) in edits {
            let i = i % out.len().max(1);
            match junk {
                Some(j) => out[i] = j,
                None if swap => {
                    let j = (i * 7 + 3) % out.len();
                    out.swap(i, j);
                }
                None => {
                    out.remove(i);
                }
            }
            if out.is_empty() {
                break;
            }
        }
        out.join("\n")
    })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        load(&bytes);
    }

    #[test]
    fn mutated_records_never_panic(text in mutated_record()) {
        load(text.as_bytes());
    }

    #[test]
    fn arbitrary_durations_never_panic(s in "\\PC{0,24}") {
        let _ = casebook::model::Duration::parse(&s);
    }

    #[test]
    fn arbitrary_markdown_never_panics(s in "[`~ a-z<>&|#\\n-]{0,80}") {
        let _ = casebook::markdown::unclosed_fence(&s);
        let _ = casebook::markdown::safe_markdown(&s);
        let _ = casebook::markdown::inline_text(&s);
        let _ = casebook::markdown::code_span(&s);
    }
}

proptest! {
    /// One-line text is safe whatever it holds: no raw HTML, no line breaks, no
    /// block syntax at the start (the fast path and the escaping path agree on this).
    #[test]
    fn inline_text_is_always_one_safe_line(s in "[ -~\\t\\n<>é#0-9.)+=|-]{0,40}") {
        let out = casebook::markdown::inline_text(&s);
        prop_assert!(!out.contains('<') && !out.contains('>'), "{out:?}");
        prop_assert!(!out.contains('\n') && !out.contains('\t'), "{out:?}");
        prop_assert_eq!(out.trim(), out.as_str());
        let first = out.chars().next();
        prop_assert!(!matches!(first, Some('#' | '>' | '-' | '+' | '=' | '|')), "{out:?}");
        let digits = out.chars().take_while(|c| c.is_ascii_digit()).count();
        prop_assert!(!(digits > 0 && out[digits..].starts_with(['.', ')'])), "{out:?}");
        // Nothing but escaping and whitespace folding changes.
        let plain = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let unescaped = out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace('\\', "");
        prop_assert_eq!(plain(&unescaped), plain(&s.replace('\\', "")));
    }
}
