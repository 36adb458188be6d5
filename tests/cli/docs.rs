//! The project's own documents: the format reference in step with the loader, and
//! every relative link in the README and docs/ leading to a file of this repository.

use crate::project::Project;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// (table, key) for every key the schema has; the table is "" at the top level,
/// else its dotted path ("impact.metrics").
fn schema_keys() -> BTreeSet<(String, String)> {
    let (code, out, err) = Project::this_repository().run(&["schema"]);
    assert_eq!(code, 0, "{err}");
    let schema: serde_json::Value = serde_json::from_str(&out).unwrap();
    let defs = &schema["$defs"];
    fn reference(v: &serde_json::Value) -> Option<String> {
        if let Some(r) = v["$ref"].as_str() {
            return r.rsplit('/').next().map(str::to_string);
        }
        for k in ["anyOf", "oneOf"] {
            if let Some(r) = v[k].as_array().and_then(|a| a.iter().find_map(reference)) {
                return Some(r);
            }
        }
        v.get("items").and_then(reference)
    }
    fn walk(props: &serde_json::Value, table: &str, defs: &serde_json::Value, out: &mut BTreeSet<(String, String)>) {
        for (key, v) in props.as_object().unwrap() {
            out.insert((table.to_string(), key.clone()));
            if let Some(r) = reference(v)
                && let Some(inner) = defs[&r].get("properties")
            {
                let path = if table.is_empty() { key.clone() } else { format!("{table}.{key}") };
                walk(inner, &path, defs, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&schema["properties"], "", defs, &mut out);
    out
}

/// (table, key) for every row of a key table in docs/format.md: a heading names the
/// table (`## Top level`, ``## `[impact]` ``, ``### `[[runbook.steps]]` ``), and each row
/// starting with a key in backticks documents that key.
fn documented_keys(text: &str) -> BTreeSet<(String, String)> {
    let mut table: Option<String> = None;
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.starts_with('#') {
            let heading = line.trim_start_matches('#').trim();
            table = if heading == "Top level" {
                Some(String::new())
            } else {
                heading
                    .strip_prefix('`')
                    .and_then(|h| h.strip_suffix('`'))
                    .map(|h| h.trim_matches(['[', ']']).to_string())
            };
        } else if let (Some(t), Some(rest)) = (&table, line.strip_prefix("| `")) {
            let key = rest.split('`').next().unwrap();
            out.insert((t.clone(), key.to_string()));
        }
    }
    out
}

#[test]
fn the_format_reference_documents_exactly_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = std::fs::read_to_string(root.join("docs/format.md")).unwrap();
    let documented = documented_keys(&docs);
    let schema = schema_keys();
    let missing: Vec<_> = schema.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&schema).collect();
    assert!(missing.is_empty(), "keys casebook reads but docs/format.md does not document: {missing:?}");
    assert!(extra.is_empty(), "keys docs/format.md documents but casebook does not read: {extra:?}");
    // The parser above finds something: a heading or row format change would empty it.
    assert!(documented.len() > 100, "{documented:?}");
}

#[test]
fn relative_links_in_the_readme_and_docs_resolve_inside_the_repository() {
    let root = std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).unwrap();
    let mut files: Vec<PathBuf> = vec![root.join("README.md")];
    files.extend(std::fs::read_dir(root.join("docs")).unwrap().map(|e| e.unwrap().path()));
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").unwrap();
    let mut checked = 0;
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "md")) {
        let text = std::fs::read_to_string(file).unwrap();
        for c in link.captures_iter(&text) {
            let target = &c[1];
            if target.starts_with('#') || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let path = target.split('#').next().unwrap();
            let resolved = file.parent().unwrap().join(path);
            let real = std::fs::canonicalize(&resolved)
                .unwrap_or_else(|_| panic!("{}: link to {target} leads nowhere", file.display()));
            assert!(real.starts_with(&root), "{}: link to {target} leaves the repository", file.display());
            checked += 1;
        }
    }
    assert!(checked >= 5, "only {checked} relative links found");
}
