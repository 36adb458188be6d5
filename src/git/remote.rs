//! Web links to commits from a repository's remote URL.

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
}
