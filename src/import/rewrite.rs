//! Rewrites of a whole document before it is read into sections: HTML
//! entities written out, HTML comments taken out (they become the record's
//! comments), reference links made inline, links that could run code and images
//! the record cannot bring said as text, front matter made into header fields.
//! Each keeps every word of the document.

use super::document::reading_options;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use regex::Regex;
use std::sync::LazyLock;

/// Common HTML entities written out (`S&amp;O` is `S&O`): markdown exported from
/// wikis and issue trackers carries them. `&lt;`, `&gt;` and `&amp;lt;` stay, so
/// that text never turns into markup on the way.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::compile(r"&(amp|quot|apos|nbsp|ndash|mdash|hellip|rsquo|lsquo|rdquo|ldquo|#39|#x27|#34);")
    });
    ENTITY
        .replace_all(text, |c: &regex::Captures<'_>| {
            match &c[1] {
                "amp" => "&",
                "quot" | "#34" | "rdquo" | "ldquo" => "\"",
                "apos" | "#39" | "#x27" | "rsquo" | "lsquo" => "'",
                "nbsp" => " ",
                "ndash" => "–",
                "mdash" => "—",
                _ => "…",
            }
            .to_string()
        })
        .into_owned()
}

/// The HTML comments of a document (`<!-- ... -->`, outside code), taken out of
/// its text: notes the document hides from its readers, for the record's
/// comments rather than its shown text. Returns the text without them and each
/// comment's words.
pub fn html_comments(text: &str) -> (String, Vec<String>) {
    let mut cut: Vec<std::ops::Range<usize>> = Vec::new();
    // One comment, whole: `<!-- a --> shown words <!-- b -->` is not one.
    let is_comment =
        |t: &str| t.trim().starts_with("<!--") && t.trim().ends_with("-->") && t.matches("-->").count() == 1;
    for (e, r) in Parser::new_ext(text, reading_options()).into_offset_iter() {
        match e {
            Event::Start(Tag::HtmlBlock) if is_comment(&text[r.clone()]) => cut.push(r),
            Event::InlineHtml(t) if is_comment(&t) => cut.push(r),
            _ => {}
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut notes = Vec::new();
    let mut at = 0;
    for r in cut {
        if r.start < at {
            continue;
        }
        out.push_str(&text[at..r.start]);
        let inner = text[r.clone()].trim().trim_start_matches("<!--").trim_end_matches("-->");
        let words = inner.split_whitespace().collect::<Vec<_>>().join(" ");
        if !words.is_empty() {
            notes.push(words);
        }
        at = r.end;
    }
    out.push_str(&text[at..]);
    (out, notes)
}

/// A link or image of the document, as [`rewrite_links`] shows it to a rewrite.
struct Linked<'a> {
    image: bool,
    link_type: pulldown_cmark::LinkType,
    url: &'a str,
    title: &'a str,
    /// Its text as written (markdown), empty when it has none.
    inner: &'a str,
    /// Its text as plain words (an image's alt text).
    plain: &'a str,
}

/// `text` with each link or image that `rewrite` gives words for replaced by
/// them (links inside one that is replaced go with it), and how many were.
fn rewrite_links(text: &str, mut rewrite: impl FnMut(&Linked) -> Option<String>) -> (String, usize) {
    use pulldown_cmark::CowStr;
    // An open link: whether an image, its range, type, target and title, the first
    // and last offsets inside it, and its plain words.
    type Open<'t> =
        (bool, std::ops::Range<usize>, pulldown_cmark::LinkType, CowStr<'t>, CowStr<'t>, Option<usize>, usize, String);
    let mut open: Vec<Open<'_>> = Vec::new();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (e, r) in Parser::new_ext(text, reading_options()).into_offset_iter() {
        // Every event inside a link is part of its text, but the link's own end.
        if !matches!(e, Event::End(TagEnd::Link | TagEnd::Image)) {
            for o in open.iter_mut() {
                o.5 = Some(o.5.map_or(r.start, |f| f.min(r.start)));
                o.6 = o.6.max(r.end);
            }
        }
        match e {
            Event::Start(Tag::Link { link_type, dest_url, title, .. }) => {
                open.push((false, r, link_type, dest_url, title, None, 0, String::new()));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, .. }) => {
                open.push((true, r, link_type, dest_url, title, None, 0, String::new()));
            }
            Event::Text(t) | Event::Code(t) => {
                for o in open.iter_mut() {
                    o.7.push_str(&t);
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let Some((image, whole, link_type, url, title, first, last, plain)) = open.pop() else { continue };
                let inner = first.map_or("", |f| &text[f..last]);
                let linked = Linked { image, link_type, url: &url, title: &title, inner, plain: &plain };
                if let Some(with) = rewrite(&linked) {
                    edits.retain(|(e, _)| !(whole.start <= e.start && e.end <= whole.end));
                    edits.push((whole, with));
                }
            }
            _ => {}
        }
    }
    let count = edits.len();
    let mut out = text.to_string();
    for (r, with) in edits.into_iter().rev() {
        out.replace_range(r, &with);
    }
    (out, count)
}

/// Reference links (`[PR 2207][fix]`, `[name][]`, `[name]`) written as inline
/// links to the address the document defines for them: each part of a record is
/// shown on its own, away from the definitions. The definitions stay as written.
pub fn inline_references(text: &str) -> String {
    use pulldown_cmark::LinkType;
    rewrite_links(text, |l| {
        let reference = matches!(l.link_type, LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut);
        if !reference
            || l.inner.is_empty()
            || l.url.contains(char::is_whitespace)
            || l.url.contains(['(', ')', '<', '>'])
        {
            return None;
        }
        let title = if l.title.is_empty() { String::new() } else { format!(" \"{}\"", l.title.replace('"', "'")) };
        Some(format!("[{}]({}{title})", l.inner, l.url))
    })
    .0
}

/// Links whose target could run code (`[click](javascript:...)`, `<data:...>`):
/// never links in a record (casebook rejects them), so each is written as its
/// text with the target beside it in code, where it is only words. Returns the
/// text and how many were written so.
pub fn dangerous_links(text: &str) -> (String, usize) {
    use crate::redact::LinkTarget;
    rewrite_links(text, |l| {
        if !matches!(crate::redact::links::classify(l.url), LinkTarget::Dangerous(_)) {
            return None;
        }
        let target = l.url.replace('`', "'");
        Some(if l.inner.is_empty() || l.inner == l.url {
            format!("`{target}`")
        } else {
            format!("{} (`{target}`)", l.inner)
        })
    })
}

/// Images at a path relative to the document (`![graph](./images/iops.png)`):
/// the record cannot bring the file, so each is said in words where it was
/// (`*(image not imported: graph, ./images/iops.png)*`) rather than left to show
/// as a broken image. Images at a web address stay.
pub fn relative_images(text: &str) -> String {
    rewrite_links(text, |l| {
        let remote = ["http://", "https://"].iter().any(|p| l.url.to_ascii_lowercase().starts_with(p));
        if !l.image || remote {
            return None;
        }
        let alt = l.plain.trim();
        let said = if alt.is_empty() { l.url.to_string() } else { format!("{alt}, {}", l.url) };
        Some(format!("*(image not imported: {})*", said.replace(['*', '(', ')'], " ")))
    })
    .0
}

/// YAML front matter (`---` lines around `key: value` pairs) made into the
/// `**key**: value` lines the header reads; every word stays.
pub fn front_matter_as_fields(text: &str) -> String {
    // Front matter comes first, after at most a comment line (a source note).
    let (lead, body) = match text.split_once('\n') {
        Some((first, rest)) if first.trim_start().starts_with("<!--") && first.trim_end().ends_with("-->") => {
            (&text[..first.len() + 1], rest)
        }
        _ => ("", text),
    };
    if !lead.is_empty() {
        let converted = front_matter_as_fields(body);
        return if converted == body { text.to_string() } else { format!("{lead}{converted}") };
    }
    // YAML (`---`, `key: value`) or TOML (`+++`, `key = "value"`).
    let Some((rest, fence, sep)) = [("---", ':'), ("+++", '=')].into_iter().find_map(|(fence, sep)| {
        let rest = text.strip_prefix(fence)?;
        let rest = rest.strip_prefix('\n').or_else(|| rest.strip_prefix("\r\n"))?;
        Some((rest, fence, sep))
    }) else {
        return text.to_string();
    };
    let Some(end) = rest.find(&format!("\n{fence}")).filter(|e| rest[e + 4..].starts_with(['\n', '\r'])) else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len() + 64);
    let lines: Vec<&str> = rest[..end].lines().collect();
    let mut n = 0;
    while n < lines.len() {
        let line = lines[n];
        n += 1;
        // `key:` then `  - item` lines: a YAML list, as one field.
        if sep == ':' && line.trim_end().ends_with(':') && !line.starts_with([' ', '-']) {
            let items: Vec<&str> =
                lines[n..].iter().map_while(|l| l.trim_start().strip_prefix("- ").map(str::trim)).collect();
            if !items.is_empty() {
                n += items.len();
                out.push_str(&format!("**{}**: {}\n\n", line.trim_end().trim_end_matches(':'), items.join(", ")));
                continue;
            }
        }
        match line.split_once(sep) {
            Some((k, v)) if !k.is_empty() && !k.starts_with([' ', '-', '#']) => {
                // A YAML value folded onto indented lines is one value.
                let mut v = v.trim().to_string();
                while sep == ':'
                    && let Some(more) =
                        lines.get(n).filter(|l| l.starts_with([' ', '\t']) && !l.trim_start().starts_with("- "))
                {
                    v.push(' ');
                    v.push_str(more.trim());
                    n += 1;
                }
                let v = v.trim_start_matches(['>', '|']).trim().trim_matches(['"', '\'']);
                out.push_str(&format!("**{}**: {v}\n\n", k.trim()));
            }
            // A YAML comment (`# ...`) is text, never the document's title.
            _ if line.trim_start().starts_with('#') => {
                out.push('\\');
                out.push_str(line.trim_start());
                out.push_str("\n\n");
            }
            _ => {
                out.push_str(line);
                out.push_str("\n\n");
            }
        }
    }
    out.push_str(rest[end + 4..].trim_start_matches(['\r', '\n']));
    out
}
