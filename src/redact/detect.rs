//! Detectors for secrets and personal data in text: what `check` reports and what
//! public output replaces with `[redacted]`.

use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// What a detector looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Never in a record, private or not (an error).
    Secret,
    /// Names a person or a machine (a warning; redacted in public output).
    Personal,
}

/// One match of a detector: what it is and where the sensitive part lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    /// "a password in a URL", "an e-mail address"...
    pub what: &'static str,
    pub range: Range<usize>,
}

/// Which detectors to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Secrets only: what stops a build.
    Secrets,
    /// Secrets and personal data.
    All,
}

/// How a match is judged before it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    None,
    /// The captured value may be a placeholder (`REDACTED`, `${DB_PASSWORD}`).
    Placeholder,
    /// An e-mail address may be an example (`dev@example.com`, `git@github.com`).
    ExampleAddress,
    /// An IP address may be loopback, unspecified or a documentation range.
    PublicIp,
    /// A phone number must not be part of a longer run of digits and dots (a version, an id).
    Phone,
}

struct Detector {
    kind: Kind,
    what: &'static str,
    re: Regex,
    /// What every match contains, searched first: a pattern without a plain literal
    /// scans each text byte by byte, ten times slower than this.
    gate: Option<Regex>,
    filter: Filter,
}

impl Detector {
    fn new(kind: Kind, what: &'static str, re: &'static str, filter: Filter) -> Detector {
        Detector { kind, what, re: crate::pattern::compile(re), gate: None, filter }
    }

    fn gated(mut self, gate: &'static str) -> Detector {
        self.gate = Some(crate::pattern::compile(gate));
        self
    }
}

static DETECTORS: LazyLock<Vec<Detector>> = LazyLock::new(|| {
    use Filter as F;
    use Kind::{Personal, Secret};
    let d = Detector::new;
    vec![
        d(Secret, "a password in a URL", r"[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@'\x22]+:([^\s@/'\x22]+)@[^\s'\x22]", F::Placeholder),
        d(
            Secret,
            "a password in a connection string",
            r"(?i)\b(?:password|pwd|passwd)\s*=\s*([^;\s'\x22&]{3,})",
            F::Placeholder,
        )
        .gated(r"(?i)pass|pwd"),
        d(
            Secret,
            "a secret in a URL's query",
            r"(?i)[?&;](?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|id[_-]?token|refresh[_-]?token|token|client[_-]?secret|secret|sig|signature|private[_-]?key)=([^&\s'\x22#<>]{6,})",
            F::Placeholder,
        )
        .gated(r"(?i)(?:key|token|secret|sig)[a-z]*="),
        d(Secret, "a Slack webhook URL", r"(?i)(hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{16,})", F::None),
        d(Secret, "a bearer token", r"(?i)\bbearer\s+([A-Za-z0-9._~+/-]{16,}=*)", F::Placeholder).gated(r"(?i)bearer"),
        d(Secret, "a private key", r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----", F::None),
        d(Secret, "an AWS access key", r"\b((?:AKIA|ASIA)[0-9A-Z]{16})\b", F::None),
        d(
            Secret,
            "an AWS secret access key",
            r"(?i)(?:aws)?_?secret_?(?:access)?_?key[\x22']?\s*[=:]\s*[\x22']?([A-Za-z0-9/+]{40})\b",
            F::Placeholder,
        )
        .gated(r"(?i)secret"),
        d(Secret, "a GitHub token", r"\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})\b", F::None),
        d(Secret, "a GitLab token", r"\b(glpat-[A-Za-z0-9_-]{20,})\b", F::None),
        d(Secret, "a Slack token", r"\b(xox[abposr]-[A-Za-z0-9-]{10,})\b", F::None),
        d(Secret, "a Stripe secret key", r"\b([sr]k_live_[A-Za-z0-9]{16,})\b", F::None),
        d(Secret, "a Google API key", r"\b(AIza[0-9A-Za-z_-]{35})\b", F::None),
        d(Secret, "an OpenAI-style API key", r"\b(sk-(?:proj-)?[A-Za-z0-9_-]{32,})\b", F::None),
        d(Secret, "a JSON web token", r"\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})\b", F::None),
        d(
            Personal,
            "an e-mail address",
            r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b",
            F::ExampleAddress,
        ),
        d(
            Personal,
            "a phone number",
            r"(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){2,4}\b|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}\b)",
            F::Phone,
        ),
        // The gates are what every address contains, with a plain literal to search
        // for: without them these two were four fifths of the time of a full scan.
        d(
            Personal,
            "an IP address",
            r"\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b",
            F::PublicIp,
        )
        .gated(r"\d\.\d{1,3}\.\d{1,3}\.\d"),
        // Every IPv6 address has `::` or, written in full, a group between two colons.
        d(Personal, "an IP address", r"(?i)[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%[a-z0-9]+)?", F::PublicIp)
            .gated("::|:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}:"),
    ]
});

/// Values that are plainly placeholders, not secrets.
fn is_placeholder(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    l.chars().all(|c| c == '*' || c == 'x' || c == '.')
        || l.starts_with('$')
        || l.starts_with('<')
        || l.starts_with('{')
        || l.starts_with('%')
        || ["redacted", "password", "secret", "changeme", "placeholder", "example", "token", "xxxx", "****"]
            .iter()
            .any(|p| l.contains(p))
}

fn is_example_address(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    let domain = l.rsplit('@').next().unwrap_or("");
    l.starts_with("git@")
        || ["example.com", "example.org", "example.net"]
            .iter()
            .any(|e| domain == *e || domain.ends_with(&format!(".{e}")))
        || [".example", ".test", ".invalid", ".localhost"].iter().any(|t| domain.ends_with(t))
}

/// An IP address worth reporting: not loopback, unspecified, broadcast or a
/// documentation range, and (for IPv4) not part of a longer dotted number such as a
/// version `1.2.3.4.5`.
fn is_reportable_ip(text: &str, range: &Range<usize>) -> bool {
    let s = &text[range.clone()];
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    if let Ok(v4) = s.parse::<std::net::Ipv4Addr>() {
        let dotted_run =
            |c: Option<char>, next: Option<char>| c == Some('.') && next.is_some_and(|n| n.is_ascii_digit());
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
            || dotted_run(after, text[range.end..].chars().nth(1))
        {
            return false;
        }
        let o = v4.octets();
        let documentation = matches!(o, [192, 0, 2, _] | [198, 51, 100, _] | [203, 0, 113, _]);
        return !(v4.is_loopback() || v4.is_unspecified() || v4.is_broadcast() || documentation);
    }
    let bare = s.split('%').next().unwrap_or(s);
    if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == ':' || c == '.')
        || after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
    {
        return false;
    }
    let Ok(v6) = bare.parse::<std::net::Ipv6Addr>() else {
        return false;
    };
    // Three groups at least: `a::b` in prose or code is more often a path than an address.
    let groups = bare.split(':').filter(|g| !g.is_empty()).count();
    let documentation = v6.segments()[0] == 0x2001 && v6.segments()[1] == 0x0db8;
    groups >= 3 && !(v6.is_loopback() || v6.is_unspecified() || documentation)
}

/// A phone number stands on its own: not inside a longer run of digits and dots.
fn is_phone(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    !before.is_some_and(|c| c.is_ascii_digit() || c == '.') && !after.is_some_and(|c| c.is_ascii_digit())
}

/// Every secret (and, with `Scope::All`, every piece of personal data) in `text`.
pub fn find(text: &str, scope: Scope) -> Vec<Finding> {
    let mut out = Vec::new();
    for det in DETECTORS.iter().filter(|d| scope == Scope::All || d.kind == Kind::Secret) {
        if det.gate.as_ref().is_some_and(|g| !g.is_match(text)) {
            continue;
        }
        for caps in det.re.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            let part = caps.get(1).unwrap_or(whole);
            if part.range().is_empty() {
                continue;
            }
            let keep = match det.filter {
                Filter::None => true,
                Filter::Placeholder => caps.get(1).is_none() || !is_placeholder(part.as_str()),
                Filter::ExampleAddress => !is_example_address(whole.as_str()),
                Filter::PublicIp => is_reportable_ip(text, &part.range()),
                Filter::Phone => is_phone(text, &part.range()),
            };
            if keep {
                out.push(Finding { kind: det.kind, what: det.what, range: part.range() });
            }
        }
    }
    out.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.end)));
    out
}

/// Replaces every range (which may overlap) with `[redacted]`.
pub fn replace_ranges(text: &str, mut ranges: Vec<Range<usize>>) -> String {
    if ranges.is_empty() {
        return text.to_string();
    }
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in ranges {
        if r.end <= at {
            continue;
        }
        let start = r.start.max(at);
        out.push_str(&text[at..start]);
        if start == r.start {
            out.push_str("[redacted]");
        }
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(t: &str) -> Vec<(Kind, String)> {
        find(t, Scope::All).into_iter().map(|f| (f.kind, t[f.range].to_string())).collect()
    }

    #[test]
    fn every_detector_compiles() {
        assert!(DETECTORS.len() > 10);
    }

    #[test]
    fn secrets_are_found_exactly() {
        use Kind::Secret;
        assert_eq!(found("postgres://app:hunter22@db:5432/app"), vec![(Secret, "hunter22".into())]);
        assert_eq!(found("Server=db;Password=s3cr3tpw;"), vec![(Secret, "s3cr3tpw".into())]);
        assert_eq!(found("AKIAABCDEFGHIJKLMNOP"), vec![(Secret, "AKIAABCDEFGHIJKLMNOP".into())]);
        assert_eq!(found("ghp_abcdefghijklmnopqrstuvwxyz0123456789")[0].0, Secret);
        assert_eq!(found("-----BEGIN RSA PRIVATE KEY-----")[0].0, Secret);
        assert_eq!(found("GET /v1/x?api_key=9f8e7d6c5b4a3210")[0].1, "9f8e7d6c5b4a3210");
        assert_eq!(found("https://api.acme.io/feed?user=1&token=q1w2e3r4t5y6")[0].1, "q1w2e3r4t5y6");
        assert_eq!(found("hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnopqrstuvwx").len(), 1);
        assert_eq!(found("Authorization: Bearer abcDEF123456ghiJKL789")[0].1, "abcDEF123456ghiJKL789");
        assert_eq!(
            found("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzDQ12abcd")[0].1,
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzDQ12abcd"
        );
        assert_eq!(found("PWD=hunter22")[0].1, "hunter22");
    }

    #[test]
    fn placeholders_and_examples_are_not_reported() {
        for t in [
            "postgres://app:REDACTED@db/app",
            "postgres://app:${DB_PASSWORD}@db/app",
            "https://github.com/acme/app",
            "git@github.com:acme/app.git",
            "Authorization: Bearer <token>",
            "?api_key=YOUR_API_KEY_PLACEHOLDER",
            "developer@example.com",
            "listening on 127.0.0.1:8080 and ::1",
            "upgraded from 1.2.3.4.5 to 1.2.3.4.6",
            "documentation address 192.0.2.10",
            "at = 2025-11-16T21:00:00Z\nid = \"508626c0-6e22-4dcd-93da-0eea6a63437e\"",
            "use std::fs::read; a::b",
            "21:10:00",
        ] {
            assert_eq!(found(t), vec![], "{t}");
        }
    }

    #[test]
    fn personal_data() {
        use Kind::Personal;
        assert_eq!(found("jane.doe@acme.io"), vec![(Personal, "jane.doe@acme.io".into())]);
        assert_eq!(found("call +44 20 7946 0958")[0].0, Personal);
        assert_eq!(found("client 81.2.69.160 retried"), vec![(Personal, "81.2.69.160".into())]);
        assert_eq!(found("from 10.0.3.17"), vec![(Personal, "10.0.3.17".into())]);
        assert_eq!(found("peer 2a00:1450:4001:81b::200e closed"), vec![(Personal, "2a00:1450:4001:81b::200e".into())]);
    }

    #[test]
    fn ranges_are_replaced_once_even_when_they_overlap() {
        assert_eq!(replace_ranges("abcdef", vec![1..3, 2..4]), "a[redacted]ef");
        assert_eq!(replace_ranges("abcdef", vec![0..6, 1..2]), "[redacted]");
        assert_eq!(replace_ranges("abcdef", vec![]), "abcdef");
    }
}
