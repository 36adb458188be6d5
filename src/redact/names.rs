//! Names that become file names, URLs and anchors: a record's slug (its file name)
//! and the ids records give incidents, causes, actions, links and runbooks. They are
//! restricted to characters that are safe in all of those places, so that escaping is
//! a second line of defence rather than the only one.

/// Why `slug` (a record's file name without `.toml`) cannot name a page, if it cannot.
pub fn slug_problem(slug: &str) -> Option<String> {
    if slug.is_empty() {
        return Some("the file name is empty before `.toml`".to_string());
    }
    if slug.starts_with(['.', '-']) {
        return Some(format!("\"{}\" starts with `{}`", shown(slug), &slug[..1]));
    }
    if slug.chars().count() > 120 {
        return Some("the file name is longer than 120 characters".to_string());
    }
    bad_char(slug, |c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .map(|c| format!("\"{}\" contains {}", shown(slug), describe(c)))
}

/// Why `id` cannot be used as an identifier, if it cannot.
pub fn id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("the id is empty".to_string());
    }
    if id.chars().count() > 100 {
        return Some("the id is longer than 100 characters".to_string());
    }
    bad_char(id, |c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '+'))
        .map(|c| format!("\"{}\" contains {}", shown(id), describe(c)))
}

fn bad_char(s: &str, ok: impl Fn(char) -> bool) -> Option<char> {
    s.chars().find(|c| !ok(*c))
}

/// A name as it can be shown in a message: control characters made visible.
pub fn shown(s: &str) -> String {
    s.chars().flat_map(|c| if c.is_control() { c.escape_default().collect::<Vec<_>>() } else { vec![c] }).collect()
}

fn describe(c: char) -> String {
    match c {
        '\n' => "a line break".to_string(),
        '\t' => "a tab".to_string(),
        ' ' => "a space".to_string(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        c if c.is_whitespace() => format!("a space character (U+{:04X})", c as u32),
        c => format!("`{c}`"),
    }
}

/// A slug made from free text: lower-case words joined by `-`.
pub fn slugify(text: &str) -> String {
    let words: Vec<String> =
        text.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(String::from).collect();
    words.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug_problem("2025-11-16-db-down"), None);
        assert_eq!(slug_problem("v1.2_störung"), None);
        assert!(slug_problem("a b").unwrap().contains("a space"));
        assert!(slug_problem("x) <img src=x onerror=alert(1)> (").unwrap().contains("`)`"));
        assert!(slug_problem("a\nREADME").unwrap().contains("a line break"));
        assert!(slug_problem(".hidden").unwrap().contains("starts with"));
        assert!(slug_problem("a\"b").unwrap().contains("`\"`"));
    }

    #[test]
    fn ids() {
        for ok in ["INC-2025-011", "2025/10", "A1", "db-schema-out-of-sync", "ops:42", "Störung-1"] {
            assert_eq!(id_problem(ok), None, "{ok}");
        }
        for bad in ["r<img src=x onerror=alert(1)>", "a b", "x\u{7}", "a'b", "", "a>b", "a`b", "{{#include x}}"] {
            assert!(id_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(shown("a\nb"), "a\\nb");
    }
}
