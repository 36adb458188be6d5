//! `examples/github-actions.yml`, run as written. GitHub's runner is not here, so
//! this test is one for the parts the example uses: it reads the workflow with a
//! YAML parser, does what `actions/checkout` does (a clone with the asked-for
//! depth) and what `dtolnay/rust-toolchain` leaves behind (cargo on the PATH),
//! and runs every `run:` step with GitHub's `bash -eo pipefail`, with the
//! workflow's environment, in order, stopping at the first failure. The install
//! step really builds casebook with `cargo install --git`, from this checkout.
//!
//! Ignored by default (the install compiles casebook in release mode, minutes);
//! `.ci/run` runs it: `cargo test --locked --test examples -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

const WORKFLOW: &str = include_str!("../../examples/github-actions.yml");

fn workflow() -> Yaml {
    YamlLoader::load_from_str(WORKFLOW).expect("the example is YAML").remove(0)
}

fn env_of(y: &Yaml) -> Vec<(String, String)> {
    match y["env"].as_hash() {
        Some(h) => h
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Yaml::String(s) => s.clone(),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Boolean(b) => b.to_string(),
                    other => panic!("env value {other:?} is not a scalar"),
                };
                (k.as_str().expect("env names are strings").to_string(), v)
            })
            .collect(),
        None => Vec::new(),
    }
}

/// How a job ended: the names of the steps that ran, and the output of the one that failed.
struct JobRun {
    steps: Vec<String>,
    failed: Option<(String, String)>,
}

/// A runner for the parts of GitHub Actions the example uses.
struct Runner {
    scratch: tempfile::TempDir,
    /// Replacements for the workflow's `env`, as a user sets them.
    settings: Vec<(String, String)>,
}

impl Runner {
    fn install_root(&self) -> PathBuf {
        self.scratch.path().join("cargo-install")
    }

    fn run_job(&self, name: &str, repo: &Path) -> JobRun {
        let wf = workflow();
        let job = &wf["jobs"][name];
        assert_eq!(job["runs-on"].as_str(), Some("ubuntu-latest"));
        let workspace = self.scratch.path().join(format!("workspace-{}", next_run()));
        let mut env: Vec<(String, String)> = env_of(&wf);
        env.extend(env_of(job));
        for (k, v) in &self.settings {
            env.retain(|(n, _)| n != k);
            env.push((k.clone(), v.clone()));
        }
        // The runner's own variables. The install lands in a folder of the test's
        // (first on the PATH), never in the user's ~/.cargo/bin; the build reuses
        // one target folder so that a second run does not compile again.
        let path = format!("{}:{}", self.install_root().join("bin").display(), std::env::var("PATH").unwrap());
        env.extend([
            ("CI".to_string(), "true".to_string()),
            ("GITHUB_ACTIONS".to_string(), "true".to_string()),
            ("GITHUB_WORKSPACE".to_string(), workspace.display().to_string()),
            ("CARGO_INSTALL_ROOT".to_string(), self.install_root().display().to_string()),
            (
                "CARGO_TARGET_DIR".to_string(),
                concat!(env!("CARGO_MANIFEST_DIR"), "/target/example-install").to_string(),
            ),
            ("PATH".to_string(), path),
        ]);
        let mut run = JobRun { steps: Vec::new(), failed: None };
        for (i, step) in job["steps"].as_vec().expect("steps").iter().enumerate() {
            let label =
                step["name"].as_str().or(step["uses"].as_str()).or(step["run"].as_str()).unwrap_or("step").to_string();
            run.steps.push(label.clone());
            if let Some(action) = step["uses"].as_str() {
                let (action, _version) = action.split_once('@').expect("actions are pinned with @");
                match action {
                    "actions/checkout" => {
                        // checkout's default depth is 1; 0 means the whole history.
                        let depth = step["with"]["fetch-depth"].as_i64().unwrap_or(1);
                        let mut clone = Command::new("git");
                        clone.args(["clone", "--quiet", "--no-local"]);
                        if depth > 0 {
                            clone.arg(format!("--depth={depth}"));
                        }
                        let url = format!("file://{}", repo.display());
                        let out = clone.arg(&url).arg(&workspace).output().unwrap();
                        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                    }
                    "dtolnay/rust-toolchain" => {
                        let ok = Command::new("cargo").arg("--version").output().is_ok_and(|o| o.status.success());
                        assert!(ok, "the toolchain step leaves cargo on the PATH");
                    }
                    other => panic!("step {i}: this runner does not know the action {other}; teach it first"),
                }
                continue;
            }
            let script = step["run"].as_str().unwrap_or_else(|| panic!("step {i} has neither uses nor run"));
            let mut step_env = env.clone();
            step_env.extend(env_of(step));
            let out = Command::new("bash")
                .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
                .current_dir(&workspace)
                .env_clear()
                .envs(std::env::vars().filter(|(k, _)| k == "HOME" || k == "CARGO_HOME" || k == "RUSTUP_HOME"))
                .envs(step_env)
                .output()
                .unwrap();
            if !out.status.success() {
                let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
                run.failed = Some((label, text));
                break;
            }
        }
        run
    }
}

/// A number per job run, for a fresh workspace folder each time.
fn next_run() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed).to_string()
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn casebook(dir: &Path, args: &[&str]) {
    let out = assert_cmd::Command::cargo_bin("casebook").unwrap().current_dir(dir).args(args).output().unwrap();
    assert!(out.status.success(), "casebook {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn the_workflow_uses_only_what_the_test_runner_knows() {
    let wf = workflow();
    assert!(!WORKFLOW.contains("${{"), "expressions would need GitHub's evaluator; the runner here has none");
    let on: Vec<&str> = wf["on"].as_vec().expect("on: [events]").iter().filter_map(Yaml::as_str).collect();
    assert_eq!(on, ["push", "pull_request"]);
    let steps = wf["jobs"]["check"]["steps"].as_vec().unwrap();
    assert_eq!(steps[0]["uses"].as_str(), Some("actions/checkout@v4"));
    assert_eq!(steps[0]["with"]["fetch-depth"].as_i64(), Some(0), "full history, for commit checks");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.iter().any(|r| r.starts_with("casebook check")));
    assert!(runs.iter().any(|r| r.starts_with("casebook build --check")));
    assert!(env_of(&wf).iter().any(|(k, _)| k == "CASEBOOK_GIT"), "the one setting is named in env");
}

#[test]
#[ignore = "compiles casebook with cargo install (minutes); .ci/run runs it"]
fn the_github_actions_example_runs_as_written() {
    // A team's repository: casebook init, a built and committed book.
    let repo = tempfile::tempdir().unwrap();
    git(repo.path(), &["init", "--quiet", "--initial-branch=main"]);
    casebook(repo.path(), &["init"]);
    casebook(repo.path(), &["build"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "--quiet", "-m", "Incident records and their book"]);

    // The one setting, as a user sets it: where casebook is built from. Here, this
    // checkout (its committed HEAD).
    let runner = Runner {
        scratch: tempfile::tempdir().unwrap(),
        settings: vec![("CASEBOOK_GIT".into(), format!("file://{}", env!("CARGO_MANIFEST_DIR")))],
    };
    let run = runner.run_job("check", repo.path());
    if let Some((step, output)) = &run.failed {
        panic!("step {step:?} failed:\n{output}");
    }
    assert_eq!(run.steps.len(), 5, "{:?}", run.steps);
    assert!(runner.install_root().join("bin/casebook").is_file(), "the job used the casebook it installed");

    // A record added without rebuilding the book: the job fails at the book step,
    // with the diff in its output.
    casebook(repo.path(), &["new", "Search timed out", "--severity", "SEV3", "--service", "search"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "--quiet", "-m", "A new record, book not rebuilt"]);
    let run = runner.run_job("check", repo.path());
    let (step, output) = run.failed.expect("a stale book fails the job");
    assert_eq!(step, "The committed book is up to date");
    assert!(output.contains("is stale") && output.contains("+++ b/src/SUMMARY.md"), "{output}");
}
