//! Which link targets a published page may hold: http(s), mailto and relative
//! links. Others are shown as text; those that can run code are errors in `check`.

/// What becomes of a link target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// http, https, mailto, or no scheme at all (a relative link or an anchor).
    Allowed,
    /// A scheme a browser would hand to another program (`ftp:`, `ssh:`, `slack:`):
    /// shown as text, not as a link.
    Unpublished(String),
    /// A scheme that can run code or smuggle a document in (`javascript:`,
    /// `vbscript:`, `data:`): never a link, and an error in a record.
    Dangerous(String),
}

/// Classifies a link target as a browser reads it: leading and trailing control
/// characters and spaces stripped, tabs and line breaks removed anywhere, the scheme
/// case-insensitive.
pub fn classify(url: &str) -> LinkTarget {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    let cleaned: String = trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let Some((scheme, _)) = cleaned.split_once(':') else {
        return LinkTarget::Allowed;
    };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // A colon after a slash, `?` or `#` is part of a relative path, query or fragment.
    if !is_scheme {
        return LinkTarget::Allowed;
    }
    let scheme = scheme.to_ascii_lowercase();
    match scheme.as_str() {
        "http" | "https" | "mailto" => LinkTarget::Allowed,
        "javascript" | "vbscript" | "data" | "livescript" => LinkTarget::Dangerous(scheme),
        _ => LinkTarget::Unpublished(scheme),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        for ok in ["https://x.io", "HTTP://x", "mailto:a@b.c", "../runbooks/x.md", "#top", "x.md#a:b", "/a:b", "?q=a:b"]
        {
            assert_eq!(classify(ok), LinkTarget::Allowed, "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " \u{1}javascript:x",
            "java\tscript:x",
            "jav\nascript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(matches!(classify(bad), LinkTarget::Dangerous(_)), "{bad:?}");
        }
        assert_eq!(classify("ftp://x"), LinkTarget::Unpublished("ftp".into()));
    }
}
