//! Secrets and personal data in a record's text, as written and as TOML decodes it.

use crate::diag::{Code, Diagnostic};
use crate::model::Span;
use std::path::Path;

/// The diagnostic for one detector finding at `span`.
fn finding_diagnostic(path: &Path, f: &crate::redact::Finding, span: Span, decoded: bool) -> Diagnostic {
    let after = if decoded { " (once its TOML escapes are read)" } else { "" };
    match f.kind {
        crate::redact::Kind::Secret => Diagnostic::new(Code::Secret, format!("{} is in the record{after}", f.what))
            .at(path, span)
            .label("secret")
            .hint("replace it with a placeholder such as REDACTED and rotate it: it is already in your history"),
        crate::redact::Kind::Personal => {
            Diagnostic::new(Code::PersonalData, format!("{} is in the record{after}", f.what))
                .at(path, span)
                .label("personal data")
                .hint("name a role or team instead, use an example.com placeholder, or mark the entry private; public output redacts it")
        }
    }
}

/// Scans a record's text for secrets (errors) and personal data (warnings): the
/// text as written, comments included, and every string value as TOML decodes it,
/// so that an escape (`\u0041KIA...`, `\u0040`) or a line continuation cannot hide one.
pub fn scan_text(path: &Path, text: &str) -> Vec<Diagnostic> {
    scan(path, text, crate::redact::Scope::All)
}

/// [`scan_text`] for secrets only: what stops a build.
pub fn scan_secrets(path: &Path, text: &str) -> Vec<Diagnostic> {
    scan(path, text, crate::redact::Scope::Secrets)
}

fn scan(path: &Path, text: &str, scope: crate::redact::Scope) -> Vec<Diagnostic> {
    let found = crate::redact::detect::find(text, scope);
    let mut out: Vec<Diagnostic> =
        found.iter().map(|f| finding_diagnostic(path, f, f.range.clone().into(), false)).collect();
    // Only a string with an escape decodes to something other than its source text.
    if !text.contains('\\') {
        return out;
    }
    for (span, value) in decoded_strings(text) {
        let raw = &text[span.start.min(text.len())..span.end.min(text.len())];
        if raw.contains(value.as_str()) {
            continue;
        }
        for f in crate::redact::detect::find(&value, scope) {
            let seen = found.iter().any(|g| g.what == f.what && g.range.start >= span.start && g.range.end <= span.end);
            if !seen {
                out.push(finding_diagnostic(path, &f, span, true));
            }
        }
    }
    out
}

/// Every string value (and key) in a TOML text with its span, decoded.
fn decoded_strings(text: &str) -> Vec<(Span, String)> {
    use toml::de::{DeTable, DeValue};
    fn walk(v: &toml::Spanned<DeValue<'_>>, out: &mut Vec<(Span, String)>) {
        match v.get_ref() {
            DeValue::String(s) => out.push((v.span().into(), s.to_string())),
            DeValue::Array(items) => items.iter().for_each(|i| walk(i, out)),
            DeValue::Table(t) => table(t, out),
            _ => {}
        }
    }
    fn table(t: &DeTable<'_>, out: &mut Vec<(Span, String)>) {
        for (k, v) in t.iter() {
            out.push((k.span().into(), k.get_ref().to_string()));
            walk(v, out);
        }
    }
    let (doc, _) = DeTable::parse_recoverable(text);
    let mut out = Vec::new();
    table(doc.get_ref(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(t: &str) -> Vec<(Code, String)> {
        scan_text(Path::new("x.toml"), t)
            .into_iter()
            .map(|d| (d.code, t[d.span.unwrap().start..d.span.unwrap().end].to_string()))
            .collect()
    }

    #[test]
    fn secrets_are_found_exactly() {
        assert_eq!(scan("url = \"postgres://app:hunter22@db:5432/app\""), vec![(Code::Secret, "hunter22".into())]);
        assert_eq!(scan("c = \"Server=db;Password=s3cr3tpw;\""), vec![(Code::Secret, "s3cr3tpw".into())]);
        assert_eq!(scan("k = \"AKIAABCDEFGHIJKLMNOP\"")[0].0, Code::Secret);
        assert_eq!(scan("# a comment: ghp_abcdefghijklmnopqrstuvwxyz0123456789")[0].0, Code::Secret);
        assert_eq!(scan("-----BEGIN RSA PRIVATE KEY-----")[0].0, Code::Secret);
    }

    #[test]
    fn escapes_do_not_hide_secrets() {
        // The whole string value is pointed at.
        assert_eq!(
            scan(r#"k = "\u0041KIAABCDEFGHIJKLMNOP""#),
            vec![(Code::Secret, r#""\u0041KIAABCDEFGHIJKLMNOP""#.into())]
        );
        let continued = "k = \"\"\"AKIAABCD\\\n      EFGHIJKLMNOP\"\"\"";
        assert_eq!(scan(continued)[0].0, Code::Secret);
        assert_eq!(scan(r#"u = "postgres://app:hunter22\u0040db/app""#)[0].0, Code::Secret);
        assert_eq!(scan(r#"who = "jane\u0040acme.io""#)[0].0, Code::PersonalData);
        // Reported once when the escape does not touch the secret.
        assert_eq!(scan(r#"k = "\tAKIAABCDEFGHIJKLMNOP""#).len(), 1);
    }

    #[test]
    fn personal_data_is_a_warning() {
        assert_eq!(scan("who = \"jane.doe@acme.io\""), vec![(Code::PersonalData, "jane.doe@acme.io".into())]);
        assert_eq!(scan("from = \"81.2.69.160\"")[0].0, Code::PersonalData);
        assert!(scan("who = \"developer@example.com\"").is_empty());
        assert_eq!(scan("call = \"+44 20 7946 0958\"")[0].0, Code::PersonalData);
        assert!(scan("at = 2025-11-16T21:00:00Z\nid = \"508626c0-6e22-4dcd-93da-0eea6a63437e\"").is_empty());
    }
}
