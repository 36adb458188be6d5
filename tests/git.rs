//! The git layer against real repositories built in temp dirs, with fixed
//! signatures and times so commit ids are stable.

mod common;
use common::*;
use git2::{Repository, Signature, Time};
use std::path::Path;

/// Commits `files` with a fixed author and time; returns the full id.
fn commit(repo: &Repository, n: i64, message: &str, files: &[(&str, &str)]) -> String {
    let workdir = repo.workdir().unwrap().to_path_buf();
    let mut index = repo.index().unwrap();
    for (path, text) in files {
        let full = workdir.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(&full, text).unwrap();
        index.add_path(Path::new(path)).unwrap();
    }
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = Signature::new("Ada Lovelace", "ada@example.com", &Time::new(1_700_000_000 + n * 60, 0)).unwrap();
    let parents: Vec<git2::Commit> = repo.head().ok().and_then(|h| h.peel_to_commit().ok()).into_iter().collect();
    let parent_refs: Vec<&git2::Commit> = parents.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parent_refs).unwrap().to_string()
}

fn repo_in(p: &Project) -> Repository {
    let repo = Repository::init(p.path()).unwrap();
    repo.remote("origin", "git@github.com:acme/app.git").unwrap();
    repo
}

fn render(p: &Project, slug: &str) -> String {
    let out = p.cmd(&["render", slug]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn abbreviated_shas_render_with_full_ids_summaries_and_links() {
    let p = Project::new();
    let repo = repo_in(&p);
    let first = commit(&repo, 1, "Add pool config\n\nLonger body.", &[("config/pool.yaml", "size: 10\n")]);
    let fix = commit(
        &repo,
        2,
        "Size the pool from max_connections",
        &[("config/pool.yaml", "size: auto\n"), ("src/pool.rs", "fn main() {}\n")],
    );
    p.write(
        "x.toml",
        record(&format!(
            "[[causes]]\ntitle = \"Pool too small\"\ncommits = [\"{}\"]\n[[commits]]\nsha = \"{}\"\nnote = \"setup\"\n",
            &fix[..7],
            &first[..8]
        )),
    );
    let (code, err) = p.check();
    assert_eq!(code, 0, "{err}");
    let md = render(&p, "x");
    let url = format!("https://github.com/acme/app/commit/{fix}");
    assert!(md.contains(&format!("[`{}`]({url})", &fix[..7])), "{md}");
    assert!(
        md.contains("| Size the pool from max\\_connections | Ada Lovelace | 2023-11-14 | `config/pool.yaml`<br>`src/pool.rs` | verified |"),
        "{md}"
    );
    assert!(md.contains("| Add pool config | Ada Lovelace |"), "{md}");
    let ctx = p.cmd(&["render", "x", "--context"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&ctx.stdout).unwrap();
    let c = &v["incident"]["commits"][0];
    assert_eq!(c["sha"], fix.as_str());
    assert_eq!(c["files"], serde_json::json!(["`config/pool.yaml`", "`src/pool.rs`"]));
    assert_eq!(c["url"], url.as_str());
}

#[test]
fn missing_commit_is_an_error() {
    let p = Project::new();
    let repo = repo_in(&p);
    commit(&repo, 1, "init", &[("a", "a")]);
    p.write("x.toml", record("[[commits]]\nsha = \"deadbeef\"\n"));
    assert_check_fails(&p, &["error[E0031]", "commit deadbeef is not in the repository", "x.toml:6:7"]);
}

#[test]
fn ambiguous_prefix_lists_candidates() {
    let p = Project::new();
    let repo = repo_in(&p);
    let mut seen = std::collections::HashMap::new();
    let mut pair = None;
    for n in 0..5000 {
        let id = commit(&repo, n, &format!("commit {n}"), &[("f", &n.to_string())]);
        if let Some(prev) = seen.insert(id[..4].to_string(), id.clone()) {
            pair = Some((prev, id));
            break;
        }
    }
    let (a, b) = pair.expect("two commits sharing a 4-character prefix");
    p.write("x.toml", record(&format!("[[commits]]\nsha = \"{}\"\n", &a[..4])));
    assert_check_fails(
        &p,
        &["error[E0032]", &format!("commit id {} is ambiguous", &a[..4]), &a[..12], &b[..12], "use more characters"],
    );
}

#[test]
fn shallow_clone_downgrades_missing_to_a_warning_with_the_fetch_hint() {
    let src = Project::new();
    let repo = repo_in(&src);
    let old = commit(&repo, 1, "old", &[("a", "1")]);
    commit(&repo, 2, "new", &[("a", "2")]);
    let dst = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("git")
        .args(["clone", "--quiet", "--depth", "1"])
        .arg(format!("file://{}", src.path().display()))
        .arg(dst.path().join("clone"))
        .status()
        .unwrap();
    assert!(status.success());
    let clone = Project { dir: dst };
    let root = clone.path().join("clone");
    std::fs::create_dir_all(root.join("incidents")).unwrap();
    std::fs::write(root.join("incidents/x.toml"), record(&format!("[[commits]]\nsha = \"{}\"\n", &old[..7]))).unwrap();
    let out = assert_cmd::Command::cargo_bin("casebook")
        .unwrap()
        .args(["-C", root.to_str().unwrap(), "--color", "never", "--today", "2026-01-01", "check"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning[W0110]") && err.contains("shallow clone") && err.contains("git fetch --unshallow"),
        "{err}"
    );
}

#[test]
fn no_repository_at_all_shows_commits_unverified() {
    let p = Project::new();
    p.write("x.toml", record("[[commits]]\nsha = \"abcdef1\"\n"));
    assert_check_passes(&p, &["warning[W0108]", "commits cannot be verified: no git repository holds"]);
    let md = render(&p, "x");
    assert!(md.contains("| `abcdef1` |"), "{md}");
    assert!(md.contains("| unverified |"), "{md}");
}

#[test]
fn repository_not_on_disk_is_linked_from_its_url_pattern() {
    let p = Project::new();
    p.write(
        "./casebook.toml",
        "[[repositories]]\nname = \"infra\"\nurl = \"https://git.example.com/infra/commit/{sha}\"\n",
    );
    p.write("x.toml", record("[[commits]]\nsha = \"infra@abcdef1\"\n"));
    assert_check_passes(&p, &["warning[W0108]", "repository `infra` has no `path`"]);
    let md = render(&p, "x");
    assert!(md.contains("[`abcdef1`](https://git.example.com/infra/commit/abcdef1) (infra)"), "{md}");
}

#[test]
fn several_configured_repositories() {
    let p = Project::new();
    let app_dir = p.path().join("app");
    let infra_dir = p.path().join("infra");
    let app = Repository::init(&app_dir).unwrap();
    let infra = Repository::init(&infra_dir).unwrap();
    app.remote("origin", "https://gitlab.com/acme/group/app.git").unwrap();
    let a = commit(&app, 1, "app fix", &[("a", "1")]);
    let i = commit(&infra, 2, "infra fix", &[("b", "1")]);
    p.write(
        "./casebook.toml",
        "[[repositories]]\nname = \"app\"\npath = \"app\"\n[[repositories]]\nname = \"infra\"\npath = \"infra\"\nurl = \"https://infra.example.com/c/{sha}\"\n",
    );
    p.write(
        "x.toml",
        record(&format!("[[commits]]\nsha = \"{}\"\n[[commits]]\nsha = \"infra@{}\"\n", &a[..7], &i[..7])),
    );
    let (code, err) = p.check();
    assert_eq!(code, 0, "{err}");
    let md = render(&p, "x");
    assert!(md.contains(&format!("(https://gitlab.com/acme/group/app/-/commit/{a})")), "{md}");
    assert!(md.contains(&format!("(https://infra.example.com/c/{i}) (infra) | infra fix")), "{md}");
}

#[test]
fn detached_head_and_several_remotes() {
    let p = Project::new();
    let repo = Repository::init(p.path()).unwrap();
    repo.remote("backup", "https://bitbucket.org/acme/app.git").unwrap();
    repo.remote("upstream", "https://codeberg.org/acme/app.git").unwrap();
    let first = commit(&repo, 1, "first", &[("a", "1")]);
    commit(&repo, 2, "second", &[("a", "2")]);
    repo.set_head_detached(git2::Oid::from_str(&first).unwrap()).unwrap();
    p.write("x.toml", record(&format!("[[commits]]\nsha = \"{}\"\n", &first[..7])));
    let md = render(&p, "x");
    // No origin: the first remote gives the links.
    assert!(md.contains(&format!("(https://bitbucket.org/acme/app/commits/{first})")), "{md}");
    repo.remote("origin", "https://github.com/acme/app").unwrap();
    let md = render(&p, "x");
    assert!(md.contains(&format!("(https://github.com/acme/app/commit/{first})")), "{md}");
}

#[test]
fn commits_that_name_incidents_link_back_and_close_actions() {
    let p = Project::new();
    let repo = repo_in(&p);
    commit(&repo, 1, "Unrelated INC-2025-0111 work", &[("a", "1")]);
    let mention = commit(&repo, 2, "Alert on queue depth (INC-2025-011)", &[("a", "2")]);
    let closer =
        commit(&repo, 3, "Resize pools\n\nIncident: INC-2025-011\nCloses-Action: INC-2025-011#A2\n", &[("a", "3")]);
    p.write(
        "x.toml",
        record("id = \"INC-2025-011\"\n[[actions]]\ntitle = \"Alert\"\nstatus = \"done\"\n[[actions]]\ntitle = \"Resize pools\"\n"),
    );
    assert_check_passes(&p, &["warning[W0107]", "action A2 is `open`, but commit", "set `status = \"done\"`"]);
    let md = render(&p, "x");
    assert!(md.contains("Also referenced by:"), "{md}");
    assert!(md.contains(&format!("`{}`", &mention[..7])), "{md}");
    assert!(md.contains(&format!("Closed by [`{}`]", &closer[..7])), "{md}");
    assert!(!md.contains("Unrelated"), "an id that merely starts the same is not a mention:\n{md}");

    let out = p.cmd(&["commits", "--format", "json"]).output().unwrap();
    let rows: Vec<serde_json::Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(
        rows.iter().any(|r| r["direction"] == "references" && r["commit"] == mention.as_str() && r["via"] == "message")
    );
    assert!(
        rows.iter().any(|r| r["direction"] == "references"
            && r["commit"] == closer.as_str()
            && r["via"] == "Closes-Action A2")
    );
}
