//! The git layer against real repositories built in temp dirs, with fixed
//! signatures and times so commit ids are stable.

use crate::project::*;

fn render(p: &Project, slug: &str) -> String {
    let (code, out, err) = p.render(&[slug]);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn abbreviated_shas_render_with_full_ids_summaries_and_links() {
    let p = Project::new();
    let repo = p.git();
    let first = repo.commit(1, "Add pool config\n\nLonger body.", &[("config/pool.yaml", "size: 10\n")]);
    let fix = repo.commit(
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
        md.contains("<br>verified | Size the pool from max\\_connections | Ada Lovelace | 2023-11-14 | `config/pool.yaml`<br>`src/pool.rs` |"),
        "{md}"
    );
    assert!(md.contains("| Add pool config<br>*setup* | Ada Lovelace |"), "{md}");
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
    let repo = p.git();
    repo.commit(1, "init", &[("a", "a")]);
    p.write("x.toml", record("[[commits]]\nsha = \"deadbeef\"\n"));
    assert_check_fails(&p, &["error[E0031]", "commit deadbeef is not in the repository", "x.toml:6:7"]);
}

#[test]
fn ambiguous_prefix_lists_candidates() {
    let p = Project::new();
    let repo = p.git();
    let mut seen = std::collections::HashMap::new();
    let mut pair = None;
    for n in 0..5000 {
        let id = repo.commit(n, &format!("commit {n}"), &[("f", &n.to_string())]);
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
    let repo = src.git();
    let old = repo.commit(1, "old", &[("a", "1")]);
    repo.commit(2, "new", &[("a", "2")]);
    let clone = src.shallow_clone();
    clone.write("x.toml", record(&format!("[[commits]]\nsha = \"{}\"\n", &old[..7])));
    let (code, err) = clone.check();
    assert_eq!(code, 0, "{err}");
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
    assert!(md.contains("| `abcdef1`<br>unverified |"), "{md}");
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
    assert!(md.contains("[`abcdef1`](https://git.example.com/infra/commit/abcdef1)<br>infra<br>"), "{md}");
}

#[test]
fn several_configured_repositories() {
    let p = Project::new();
    let app_dir = p.path().join("app");
    let infra_dir = p.path().join("infra");
    let app = Git::init(&app_dir);
    let infra = Git::init(&infra_dir);
    app.repo.remote("origin", "https://gitlab.com/acme/group/app.git").unwrap();
    let a = app.commit(1, "app fix", &[("a", "1")]);
    let i = infra.commit(2, "infra fix", &[("b", "1")]);
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
    assert!(md.contains(&format!("(https://infra.example.com/c/{i})<br>infra<br>verified | infra fix")), "{md}");
}

#[test]
fn detached_head_and_several_remotes() {
    let p = Project::new();
    let repo = Git::init(p.path());
    repo.repo.remote("backup", "https://bitbucket.org/acme/app.git").unwrap();
    repo.repo.remote("upstream", "https://codeberg.org/acme/app.git").unwrap();
    let first = repo.commit(1, "first", &[("a", "1")]);
    repo.commit(2, "second", &[("a", "2")]);
    repo.repo.set_head_detached(git2::Oid::from_str(&first).unwrap()).unwrap();
    p.write("x.toml", record(&format!("[[commits]]\nsha = \"{}\"\n", &first[..7])));
    let md = render(&p, "x");
    // No origin: the first remote gives the links.
    assert!(md.contains(&format!("(https://bitbucket.org/acme/app/commits/{first})")), "{md}");
    repo.repo.remote("origin", "https://github.com/acme/app").unwrap();
    let md = render(&p, "x");
    assert!(md.contains(&format!("(https://github.com/acme/app/commit/{first})")), "{md}");
}

#[test]
fn commits_that_name_incidents_link_back_and_close_actions() {
    let p = Project::new();
    let repo = p.git();
    repo.commit(1, "Unrelated INC-2025-0111 work", &[("a", "1")]);
    let mention = repo.commit(2, "Alert on queue depth (INC-2025-011)", &[("a", "2")]);
    let closer =
        repo.commit(3, "Resize pools\n\nIncident: INC-2025-011\nCloses-Action: INC-2025-011#A2\n", &[("a", "3")]);
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
