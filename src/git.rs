//! The git layer: resolves every commit a record cites (full id, summary, author,
//! date, files touched, web link), and scans history for commits that point back
//! at incidents (`INC-2025-011` in a message, `Incident:` and `Closes-Action:` trailers).
//!
//! Each repository is opened once per run; no process is spawned per commit.

use crate::config::{Config, Repository};
use crate::load::Record;
use chrono::{DateTime, FixedOffset, TimeZone};
use git2::{ErrorCode, Oid, Repository as GitRepo};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What git says about a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: String,
    pub summary: String,
    pub author: String,
    pub time: DateTime<FixedOffset>,
    pub files: Vec<String>,
}

/// The outcome of resolving one cited commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Found(CommitInfo),
    /// Not in the repository; `shallow` when the clone's history is cut short.
    Missing {
        shallow: bool,
    },
    /// The prefix matches several commits.
    Ambiguous(Vec<String>),
    /// No repository on disk to check against (the reason says why).
    Unverified(String),
}

/// A resolved citation: the resolution plus the web link, when one can be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub repository: Option<String>,
    pub resolution: Resolution,
    pub url: Option<String>,
}

/// A commit whose message points at an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub incident_id: String,
    pub commit: CommitInfo,
    pub repository: Option<String>,
    pub url: Option<String>,
    /// `Some("A2")` for a `Closes-Action: ID#A2` trailer.
    pub closes_action: Option<String>,
    /// How it was found: "message", "Incident trailer", "Closes-Action trailer".
    pub via: &'static str,
}

/// Everything the git layer found, for checks and views.
#[derive(Debug, Default, Clone)]
pub struct GitFacts {
    /// Keyed by `CommitRef::key()` (`sha` or `repo@sha` as written, lower-cased).
    pub commits: HashMap<String, Resolved>,
    pub mentions: Vec<Mention>,
    /// Positions in `mentions` by incident id: every page asks for its own.
    mentions_by_id: HashMap<String, Vec<usize>>,
    /// Repositories that could not be used, with the reason.
    pub unavailable: BTreeMap<String, String>,
}

impl GitFacts {
    /// Facts from resolved citations and mentions (in history order), indexed for lookups.
    pub fn new(
        commits: HashMap<String, Resolved>,
        mentions: Vec<Mention>,
        unavailable: BTreeMap<String, String>,
    ) -> GitFacts {
        let mut mentions_by_id: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, m) in mentions.iter().enumerate() {
            mentions_by_id.entry(m.incident_id.clone()).or_default().push(i);
        }
        GitFacts { commits, mentions, mentions_by_id, unavailable }
    }

    pub fn resolved(&self, key: &str) -> Option<&Resolved> {
        self.commits.get(key)
    }

    /// Mentions of an incident id, in history order.
    pub fn mentions_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Mention> + 'a {
        self.mentions_by_id.get(id).into_iter().flatten().map(|&i| &self.mentions[i])
    }
}

/// One repository as the run sees it.
struct Repo {
    name: Option<String>,
    git: Option<GitRepo>,
    url_pattern: Option<String>,
    why_not: Option<String>,
}

impl Repo {
    fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| "the records' repository".to_string())
    }
}

/// Opens each configured repository once; with none configured, the repository that
/// holds the records (discovered from `root`).
fn open_all(config: &Config) -> Vec<Repo> {
    if config.repositories.is_empty() {
        return vec![match GitRepo::discover(&config.root) {
            Ok(git) => {
                let url_pattern = remote_pattern(&git);
                Repo { name: None, git: Some(git), url_pattern, why_not: None }
            }
            Err(_) => Repo {
                name: None,
                git: None,
                url_pattern: None,
                why_not: Some(format!("no git repository holds {}", config.root.display())),
            },
        }];
    }
    config.repositories.iter().map(open_configured).collect()
}

fn open_configured(r: &Repository) -> Repo {
    let name = Some(r.name.clone());
    let Some(path) = &r.path else {
        return Repo {
            name,
            git: None,
            url_pattern: r.url.clone(),
            why_not: Some(format!("repository `{}` has no `path` in casebook.toml", r.name)),
        };
    };
    match GitRepo::open(path) {
        Ok(git) => {
            let url_pattern = r.url.clone().or_else(|| remote_pattern(&git));
            Repo { name, git: Some(git), url_pattern, why_not: None }
        }
        Err(e) => Repo {
            name,
            git: None,
            url_pattern: r.url.clone(),
            why_not: Some(format!("cannot open repository `{}` at {}: {}", r.name, path.display(), e.message())),
        },
    }
}

/// The commit URL pattern derived from the `origin` remote (else the first remote).
fn remote_pattern(git: &GitRepo) -> Option<String> {
    let remote = git.find_remote("origin").ok().or_else(|| {
        let names = git.remotes().ok()?;
        let first = names.get(0).ok()??.to_string();
        git.find_remote(&first).ok()
    })?;
    commit_url_pattern(remote.url().ok()?)
}

/// Turns a remote URL into a commit-page pattern with `{sha}`, for the forges people use.
pub fn commit_url_pattern(remote: &str) -> Option<String> {
    let remote = remote.trim();
    // Normalise to host + path.
    let (host, path) = if let Some(rest) = remote.split_once("://").map(|(_, r)| r) {
        let rest = rest.rsplit_once('@').filter(|(userinfo, _)| !userinfo.contains('/')).map_or(rest, |(_, r)| r);
        let (host, path) = rest.split_once('/')?;
        let host = host.split(':').next()?; // drop a port
        (host.to_string(), path.to_string())
    } else if let Some((userhost, path)) = remote.split_once(':') {
        // scp-like: git@github.com:acme/app.git
        if userhost.contains('/') {
            return None;
        }
        let host = userhost.rsplit('@').next()?;
        (host.to_string(), path.to_string())
    } else {
        return None;
    };
    let host = host.to_ascii_lowercase();
    let path = path.trim_matches('/').trim_end_matches(".git").trim_matches('/').to_string();
    if path.is_empty() {
        return None;
    }
    // Azure DevOps: ssh.dev.azure.com:v3/org/project/repo and dev.azure.com/org/project/_git/repo
    if host == "ssh.dev.azure.com" || host == "vs-ssh.visualstudio.com" {
        let parts: Vec<&str> = path.trim_start_matches("v3/").split('/').collect();
        if parts.len() == 3 {
            return Some(format!("https://dev.azure.com/{}/{}/_git/{}/commit/{{sha}}", parts[0], parts[1], parts[2]));
        }
        return None;
    }
    if host == "dev.azure.com" || host.ends_with(".visualstudio.com") {
        return Some(format!("https://{host}/{path}/commit/{{sha}}"));
    }
    if host == "bitbucket.org" || host.contains("bitbucket") {
        return Some(format!("https://{host}/{path}/commits/{{sha}}"));
    }
    if host == "gitlab.com" || host.contains("gitlab") {
        return Some(format!("https://{host}/{path}/-/commit/{{sha}}"));
    }
    if host == "git.sr.ht" || host.ends_with(".sr.ht") {
        return Some(format!("https://{host}/{path}/commit/{{sha}}"));
    }
    let known = ["github", "codeberg", "gitea", "forgejo", "gogs"];
    if known.iter().any(|k| host.contains(k)) {
        return Some(format!("https://{host}/{path}/commit/{{sha}}"));
    }
    None
}

fn link(pattern: &Option<String>, sha: &str) -> Option<String> {
    pattern.as_ref().map(|p| p.replace("{sha}", sha))
}

fn signature_time(t: git2::Time) -> DateTime<FixedOffset> {
    let off = FixedOffset::east_opt(t.offset_minutes() * 60).unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero"));
    off.timestamp_opt(t.seconds(), 0).single().unwrap_or_else(|| off.timestamp_opt(0, 0).single().expect("epoch"))
}

fn info(git: &GitRepo, commit: &git2::Commit<'_>, with_files: bool) -> CommitInfo {
    let files = if with_files { files_touched(git, commit) } else { Vec::new() };
    CommitInfo {
        id: commit.id().to_string(),
        summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default()).into_owned(),
        author: String::from_utf8_lossy(commit.author().name_bytes()).into_owned(),
        time: signature_time(commit.time()),
        files,
    }
}

fn files_touched(git: &GitRepo, commit: &git2::Commit<'_>) -> Vec<String> {
    let Ok(tree) = commit.tree() else {
        return Vec::new();
    };
    let parent = commit.parent(0).ok().and_then(|p| p.tree().ok());
    // Paths only: skipping the binary check keeps libgit2 from reading every blob.
    let mut opts = git2::DiffOptions::new();
    opts.skip_binary_check(true).ignore_submodules(true);
    let Ok(diff) = git.diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut opts)) else {
        return Vec::new();
    };
    let mut files: Vec<String> = diff
        .deltas()
        .filter_map(|d| d.new_file().path().or(d.old_file().path()).map(|p| p.to_string_lossy().into_owned()))
        .collect();
    files.sort();
    files.dedup();
    files
}

/// Every commit id in the repository that starts with `prefix` (for ambiguity reports).
fn candidates(git: &GitRepo, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(odb) = git.odb() {
        let _ = odb.foreach(|oid| {
            let s = oid.to_string();
            if s.starts_with(prefix) && git.find_commit(*oid).is_ok() {
                out.push(s);
            }
            true
        });
    }
    out.sort();
    out.dedup();
    out
}

fn resolve_one(repo: &Repo, sha: &str, cache: &mut HashMap<String, CommitInfo>, with_files: bool) -> Resolution {
    let Some(git) = &repo.git else {
        return Resolution::Unverified(repo.why_not.clone().unwrap_or_default());
    };
    let found = if sha.len() == 40 {
        Oid::from_str(sha).and_then(|oid| git.find_commit(oid))
    } else {
        git.find_commit_by_prefix(sha)
    };
    match found {
        Ok(commit) => {
            let id = commit.id().to_string();
            let info = cache.entry(id).or_insert_with(|| info(git, &commit, with_files)).clone();
            Resolution::Found(info)
        }
        Err(e) if e.code() == ErrorCode::Ambiguous => Resolution::Ambiguous(candidates(git, sha)),
        Err(_) => Resolution::Missing { shallow: git.is_shallow() },
    }
}

/// What to find out besides the cited commits themselves.
#[derive(Debug, Clone, Copy)]
pub struct Depth {
    /// Scan history for commits whose messages name an incident.
    pub history: bool,
    /// List the files each cited commit touched (a tree diff per commit: pages
    /// show them, checks do not need them).
    pub files: bool,
}

/// Resolves every cited commit and, as `depth` asks, lists their files and finds
/// the commits whose messages name an incident id.
pub fn resolve(config: &Config, records: &[Record], depth: Depth) -> GitFacts {
    // casebook only reads: re-hashing every object it reads (SHA-1 with collision
    // detection) buys nothing here and costs a tenth of a history scan.
    git2::opts::strict_hash_verification(false);
    // Each commit is read once: caching objects only costs.
    git2::opts::enable_caching(false);
    let repos = open_all(config);
    let default = 0usize;
    let index: HashMap<&str, usize> =
        repos.iter().enumerate().filter_map(|(i, r)| Some((r.name.as_deref()?, i))).collect();
    let mut facts = GitFacts::default();
    for r in &repos {
        if let Some(why) = &r.why_not {
            facts.unavailable.insert(r.label(), why.clone());
        }
    }
    let mut cache: HashMap<String, CommitInfo> = HashMap::new();
    // Each record's cited commits, gathered on every core (50,000 on a large casebook);
    // the repository is then read from one thread.
    let cited: Vec<Vec<(String, &crate::model::CommitRef)>> = records
        .par_iter()
        .map(|rec| rec.incident.all_commit_refs().into_iter().map(|c| (c.key(), c)).collect())
        .collect();
    for (key, c) in cited.into_iter().flatten() {
        if facts.commits.contains_key(&key) {
            continue;
        }
        let repo_index = match &c.repository {
            Some(name) => match index.get(name.as_str()) {
                Some(i) => *i,
                None => continue, // reported by checks as an unknown repository
            },
            None => default,
        };
        let repo = &repos[repo_index];
        let resolution = resolve_one(repo, &c.sha, &mut cache, depth.files);
        let url = match &resolution {
            Resolution::Found(info) => link(&repo.url_pattern, &info.id),
            Resolution::Unverified(_) => link(&repo.url_pattern, &c.sha),
            _ => None,
        };
        facts.commits.insert(key, Resolved { repository: repo.name.clone(), resolution, url });
    }
    if depth.history {
        let ids: Vec<&str> = records.iter().map(|r| r.incident.id.as_str()).collect();
        for repo in &repos {
            if let Some(git) = &repo.git {
                scan(git, repo, &ids, &mut facts.mentions);
            }
        }
    }
    GitFacts::new(facts.commits, facts.mentions, facts.unavailable)
}

/// Walks history from every branch and tag, once, looking for incident ids.
fn scan(git: &GitRepo, repo: &Repo, ids: &[&str], out: &mut Vec<Mention>) {
    if ids.is_empty() {
        return;
    }
    let mut sorted: Vec<&str> = ids.to_vec();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let alternation = sorted.iter().map(|s| regex::escape(s)).collect::<Vec<_>>().join("|");
    let Ok(re) = regex::bytes::Regex::new(&format!(r"(?:^|[^\w-])({alternation})(?:#(\w[\w.-]*))?(?:$|[^\w-])")) else {
        return;
    };
    // Every commit reachable from HEAD, the branches and the tags, each read once:
    // parents come from the raw object's header, the message is searched as bytes,
    // and only matching commits are parsed. (libgit2's revwalk would decompress
    // every commit a second time.) Order does not matter: matches are sorted below.
    let Ok(odb) = git.odb() else { return };
    let mut stack: Vec<Oid> = Vec::new();
    if let Ok(refs) = git.references() {
        for r in refs.flatten() {
            let name = r.name().unwrap_or("");
            if (name.starts_with("refs/heads/") || name.starts_with("refs/tags/"))
                && let Ok(c) = r.peel_to_commit()
            {
                stack.push(c.id());
            }
        }
    }
    if let Ok(head) = git.head().and_then(|h| h.peel_to_commit()) {
        stack.push(head.id());
    }
    let mut visited: HashSet<Oid> = HashSet::new();
    let first = out.len();
    let mut seen_pairs = HashSet::new();
    while let Some(oid) = stack.pop() {
        if !visited.insert(oid) {
            continue;
        }
        // A parent missing from a shallow clone simply ends the walk there.
        let Ok(raw) = odb.read(oid) else { continue };
        if raw.kind() != git2::ObjectType::Commit {
            continue;
        }
        let data = raw.data();
        let split = blank_line(data);
        let (header, body) = match split {
            Some(i) => (&data[..i], &data[i + 2..]),
            None => (data, &data[data.len()..]),
        };
        for line in header.split(|b| *b == b'\n') {
            if let Some(hex) = line.strip_prefix(b"parent ")
                && let Ok(p) = std::str::from_utf8(hex).map_err(|_| ()).and_then(|h| Oid::from_str(h).map_err(|_| ()))
                && !visited.contains(&p)
            {
                stack.push(p);
            }
        }
        if !re.is_match(body) {
            continue;
        }
        let Ok(commit) = git.find_commit(oid) else {
            continue;
        };
        let message = commit.message_bytes();
        if !re.is_match(message) {
            continue;
        }
        let text = String::from_utf8_lossy(message);
        let trailers = trailers(&text);
        let info = info(git, &commit, false);
        let url = link(&repo.url_pattern, &info.id);
        // (incident id, closed action, how it was found)
        let mut hits: Vec<(String, Option<String>, &'static str)> = Vec::new();
        for (key, value) in &trailers {
            if let Some(caps) = re.captures(format!(" {value} ").as_bytes()) {
                let id = String::from_utf8_lossy(&caps[1]).into_owned();
                let action = caps.get(2).map(|a| String::from_utf8_lossy(a.as_bytes()).into_owned());
                if key.eq_ignore_ascii_case("closes-action") && action.is_some() {
                    hits.push((id, action, "Closes-Action trailer"));
                } else if key.eq_ignore_ascii_case("incident") {
                    hits.push((id, None, "Incident trailer"));
                }
            }
        }
        for caps in re.captures_iter(message) {
            let id = String::from_utf8_lossy(&caps[1]).into_owned();
            if !hits.iter().any(|(h, _, _)| *h == id) {
                hits.push((id, None, "message"));
            }
        }
        for (incident_id, closes_action, via) in hits {
            if seen_pairs.insert((info.id.clone(), incident_id.clone(), closes_action.clone())) {
                out.push(Mention {
                    incident_id,
                    commit: info.clone(),
                    repository: repo.name.clone(),
                    url: url.clone(),
                    closes_action,
                    via,
                });
            }
        }
    }
    out[first..].sort_by(|a, b| {
        (std::cmp::Reverse(a.commit.time), &a.commit.id, &a.incident_id).cmp(&(
            std::cmp::Reverse(b.commit.time),
            &b.commit.id,
            &b.incident_id,
        ))
    });
}

/// Where a commit object's header ends (the first empty line).
fn blank_line(data: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = data[from..].iter().position(|b| *b == b'\n') {
        let at = from + i;
        if data.get(at + 1) == Some(&b'\n') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// `Key: value` trailers of the last paragraph of a commit message.
fn trailers(message: &str) -> Vec<(String, String)> {
    let last = message.trim_end().rsplit("\n\n").next().unwrap_or("");
    last.lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            let k = k.trim();
            (!k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
                .then(|| (k.to_string(), v.trim().to_string()))
        })
        .collect()
}

/// A fingerprint of the repositories' state: HEAD and every branch and tag. When it
/// is unchanged, so is every commit the records cite and every commit that names an incident.
pub fn state_fingerprint(config: &Config) -> String {
    let mut out = String::new();
    for repo in open_all(config) {
        out.push_str(&repo.label());
        match &repo.git {
            None => out.push_str(":none"),
            Some(git) => {
                if let Ok(head) = git.head() {
                    out.push_str(&format!(":{:?}", head.target()));
                }
                out.push_str(if git.is_shallow() { ":shallow" } else { ":full" });
                if let Ok(refs) = git.references() {
                    let mut all: Vec<String> =
                        refs.flatten().map(|r| format!("{}={:?}", r.name().unwrap_or(""), r.target())).collect();
                    all.sort();
                    out.push_str(&all.join(","));
                }
            }
        }
        if let Some(p) = &repo.url_pattern {
            out.push_str(p);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_url_forms() {
        let cases = [
            ("https://github.com/acme/app.git", "https://github.com/acme/app/commit/{sha}"),
            ("https://github.com/acme/app", "https://github.com/acme/app/commit/{sha}"),
            ("git@github.com:acme/app.git", "https://github.com/acme/app/commit/{sha}"),
            ("ssh://git@github.com/acme/app.git", "https://github.com/acme/app/commit/{sha}"),
            ("https://user:token@github.com/acme/app.git", "https://github.com/acme/app/commit/{sha}"),
            ("https://gitlab.com/group/sub/app.git", "https://gitlab.com/group/sub/app/-/commit/{sha}"),
            ("git@gitlab.com:group/sub/deeper/app.git", "https://gitlab.com/group/sub/deeper/app/-/commit/{sha}"),
            ("ssh://git@gitlab.example.com:2222/group/app.git", "https://gitlab.example.com/group/app/-/commit/{sha}"),
            ("https://bitbucket.org/acme/app.git", "https://bitbucket.org/acme/app/commits/{sha}"),
            ("git@bitbucket.org:acme/app.git", "https://bitbucket.org/acme/app/commits/{sha}"),
            ("https://codeberg.org/acme/app.git", "https://codeberg.org/acme/app/commit/{sha}"),
            ("git@codeberg.org:acme/app.git", "https://codeberg.org/acme/app/commit/{sha}"),
            ("https://gitea.example.com/acme/app", "https://gitea.example.com/acme/app/commit/{sha}"),
            ("https://forgejo.example.org/acme/app.git", "https://forgejo.example.org/acme/app/commit/{sha}"),
            ("https://dev.azure.com/org/project/_git/app", "https://dev.azure.com/org/project/_git/app/commit/{sha}"),
            (
                "https://org@dev.azure.com/org/project/_git/app",
                "https://dev.azure.com/org/project/_git/app/commit/{sha}",
            ),
            ("git@ssh.dev.azure.com:v3/org/project/app", "https://dev.azure.com/org/project/_git/app/commit/{sha}"),
            (
                "https://org.visualstudio.com/project/_git/app",
                "https://org.visualstudio.com/project/_git/app/commit/{sha}",
            ),
            ("https://git.sr.ht/~user/app", "https://git.sr.ht/~user/app/commit/{sha}"),
            ("git@git.sr.ht:~user/app", "https://git.sr.ht/~user/app/commit/{sha}"),
            ("https://github.example.com/acme/app.git", "https://github.example.com/acme/app/commit/{sha}"),
        ];
        for (remote, want) in cases {
            assert_eq!(commit_url_pattern(remote).as_deref(), Some(want), "{remote}");
        }
        for unknown in ["/srv/git/app.git", "file:///srv/git/app.git", "https://git.internal/app.git", ""] {
            assert_eq!(commit_url_pattern(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn trailers_come_from_the_last_paragraph() {
        let t = trailers("Fix pool\n\nBody text: not a trailer here\n\nIncident: INC-1\nCloses-Action: INC-1#A2\n");
        assert_eq!(t, vec![("Incident".into(), "INC-1".into()), ("Closes-Action".into(), "INC-1#A2".into())]);
    }
}
