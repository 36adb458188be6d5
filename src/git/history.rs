//! Scanning history for commits that name an incident.

use super::Mention;
use super::repo::{Repo, info, link};
use git2::{Oid, Repository as GitRepo};
use std::collections::HashSet;

/// Walks history from every branch and tag, once, looking for incident ids.
pub(super) fn scan(git: &GitRepo, repo: &Repo, ids: &[&str], out: &mut Vec<Mention>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_come_from_the_last_paragraph() {
        let t = trailers("Fix pool\n\nBody text: not a trailer here\n\nIncident: INC-1\nCloses-Action: INC-1#A2\n");
        assert_eq!(t, vec![("Incident".into(), "INC-1".into()), ("Closes-Action".into(), "INC-1#A2".into())]);
    }
}
