//! Markdown helpers: finding fields that would break out of their block, and
//! making plain text safe to place in markdown.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;

/// The opening fence (e.g. "```") of a fenced code block that is never closed.
pub fn unclosed_fence(text: &str) -> Option<String> {
    if !text.contains("```") && !text.contains("~~~") {
        return None;
    }
    let mut open: Option<(usize, String)> = None;
    for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => {
                let line = text[range.start..].lines().next().unwrap_or("").trim_start();
                let ch = line.chars().next().unwrap_or('`');
                let fence: String = line.chars().take_while(|c| *c == ch).collect();
                open = Some((range.start, fence));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((start, fence)) = open.take() {
                    let block = &text[start..range.end];
                    // (In a quote the closing line is `> ` and the fence: the markers are not part of it.)
                    let last = block
                        .trim_end_matches(['\n', '\r'])
                        .lines()
                        .last()
                        .unwrap_or("")
                        .trim_start_matches(|c: char| c == '>' || c.is_whitespace())
                        .trim();
                    let closed = block.lines().count() > 1
                        && last.starts_with(fence.as_str())
                        && last.chars().all(|c| c == fence.chars().next().unwrap_or('`'));
                    if !closed {
                        return Some(fence);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// Escapes raw HTML so a record cannot inject tags or attributes into the site.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '{' => out.push_str("&#123;"),
            _ => out.push(c),
        }
    }
    out
}

/// Control characters other than newline and tab are dropped.
fn strip_controls(text: &str) -> Cow<'_, str> {
    // A byte scan first: C0 controls and DEL are single bytes, C1 controls
    // (U+0080..U+009F) are 0xC2 followed by 0x80..0x9F.
    let b = text.as_bytes();
    let any = b.iter().enumerate().any(|(i, &c)| {
        (c < 0x20 && c != b'\n' && c != b'\t') || c == 0x7f || (c == 0xC2 && b.get(i + 1).is_some_and(|n| *n < 0xA0))
    });
    if !any {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect())
}

/// The markdown options mdBook 0.5 parses chapters with, so that what casebook sees
/// as code, links and headings is what mdBook will see.
fn mdbook_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM
}

/// Where mdBook would run one of its `{{#include}}`-style directives: `{{`, optional
/// white space, `#`. Returns the positions of the first `{` of each.
fn directive_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = memchr_pair(b, i) {
        let rest = &text[p + 2..];
        if rest.trim_start().starts_with('#') {
            out.push(p);
        }
        i = p + 1;
    }
    out
}

/// The next `{{` at or after `from`.
fn memchr_pair(b: &[u8], from: usize) -> Option<usize> {
    (from..b.len().saturating_sub(1)).find(|&i| b[i] == b'{' && b[i + 1] == b'{')
}

/// Makes mdBook's directives (`{{#include FILE}}`, `{{#rustdoc_include}}`,
/// `{{#playground}}`, `{{#title}}`) inert wherever they appear, code included: mdBook
/// expands them on a chapter's raw text before reading it as markdown.
///
/// `{{#name ...}}` with its `}}` on the same line gets mdBook's own escape (a
/// backslash, which mdBook removes), so it still reads exactly as written; any other
/// form (white space after `{{`, no `}}` on the line) gets a zero-width space
/// between the braces.
pub fn neutralize_directives(text: &str) -> Cow<'_, str> {
    if !text.contains("{{") {
        return Cow::Borrowed(text);
    }
    let starts = directive_starts(text);
    if starts.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 4 * starts.len());
    let mut copied = 0;
    for p in starts {
        out.push_str(&text[copied..p]);
        let line_rest = text[p + 2..].split('\n').next().unwrap_or("");
        if line_rest.starts_with('#') && line_rest.contains("}}") {
            out.push('\\');
            copied = p;
        } else {
            out.push('{');
            out.push('\u{200B}');
            copied = p + 1;
        }
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Markdown from a record, made safe to publish:
///
/// - raw HTML is inert: outside code, `<` becomes `&lt;` and a bare `&` becomes
///   `&amp;` (entities the author wrote stay); `>` stays, for blockquotes;
/// - outside code, `{` becomes `&#123;`: no mdBook directive and no heading
///   attribute (`# x {onclick=...}`) can form, and the page reads the same;
/// - inside code, mdBook's directives are neutralized (see [`neutralize_directives`]);
/// - a link or image whose target is not http(s), mailto or relative keeps its text
///   and loses its target.
///
/// Escaping can change how the rest is parsed (a backtick inside a raw HTML tag
/// starts a code span once the tag is text), so the passes repeat until the text
/// no longer changes.
pub fn safe_markdown(text: &str) -> String {
    let text = strip_controls(text);
    let needs_work = text.bytes().any(|b| matches!(b, b'<' | b'&' | b'{' | b']')) || text.contains("  \n");
    if !needs_work {
        return text.into_owned();
    }
    let mut current = text.into_owned();
    for _ in 0..32 {
        match markdown_pass(&current) {
            Some(next) => current = next,
            None => return neutralize_directives(&current).into_owned(),
        }
    }
    // Not settled (never seen): publish it as plain text instead.
    current.lines().map(inline_text).collect::<Vec<_>>().join("\n\n")
}

/// What a pass sees: which bytes are code, and how links change (byte ranges and what
/// replaces them): see [`markdown_pass`].
fn link_edits(text: &str) -> (Vec<bool>, Vec<(std::ops::Range<usize>, String)>) {
    use pulldown_cmark::LinkType;
    let mut code = vec![false; text.len() + 1];
    // Replacements of byte ranges (disjoint), in any order.
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    // Open links and images: (whole range, what to do, first and last child offsets).
    enum Plan {
        Keep,
        Drop,
        Inline(String),
    }
    let mut open: Vec<(std::ops::Range<usize>, Plan, Option<usize>, usize)> = Vec::new();
    let parser = Parser::new_ext(text, mdbook_options());
    for (_, def) in parser.reference_definitions().iter() {
        edits.push((def.span.clone(), String::new()));
    }
    for (event, range) in parser.into_offset_iter() {
        // Every event inside a link is part of its text (a nested image whole), except
        // the link's own end.
        if let Some(top) = open.last_mut()
            && !matches!(event, Event::End(TagEnd::Link | TagEnd::Image))
        {
            top.2 = Some(top.2.map_or(range.start, |s: usize| s.min(range.start)));
            top.3 = top.3.max(range.end);
        }
        match event {
            Event::Code(_) => code[range].iter_mut().for_each(|c| *c = true),
            // A line break made by two trailing spaces is written as `\`: pages are
            // tidied of trailing spaces, which would join the lines.
            Event::HardBreak if text[range.clone()].starts_with(' ') => {
                let newline = text[range.clone()].find('\n').map_or(range.end, |n| range.start + n);
                edits.push((range.start..newline, "\\".to_string()));
            }
            Event::Start(Tag::CodeBlock(_)) => code[range].iter_mut().for_each(|c| *c = true),
            // `<https://...>`, `<ops@example.com>`: written as a plain inline link
            // (the escaping below would otherwise show the brackets as text), or
            // as text alone when the target is not one a page may link to.
            Event::Start(Tag::Link {
                link_type: link_type @ (LinkType::Autolink | LinkType::Email), dest_url, ..
            }) => {
                let target = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                let label = inline_text(&dest_url);
                let with = match link_destination(&target) {
                    Some(dest) => format!("[{label}]({dest})"),
                    None => label,
                };
                edits.push((range.clone(), with));
                open.push((range, Plan::Keep, None, 0));
            }
            Event::Start(
                Tag::Link { link_type, dest_url, title, .. } | Tag::Image { link_type, dest_url, title, .. },
            ) => {
                let plan = if crate::redact::links::classify(&dest_url) != crate::redact::LinkTarget::Allowed {
                    Plan::Drop
                } else if matches!(
                    link_type,
                    LinkType::Reference
                        | LinkType::ReferenceUnknown
                        | LinkType::Collapsed
                        | LinkType::CollapsedUnknown
                        | LinkType::Shortcut
                        | LinkType::ShortcutUnknown
                ) {
                    let dest = link_destination(&dest_url).unwrap_or_default();
                    let title = if title.is_empty() {
                        String::new()
                    } else {
                        format!(" \"{}\"", title.replace('\\', "\\\\").replace('"', "\\\""))
                    };
                    Plan::Inline(format!("]({dest}{title})"))
                } else {
                    Plan::Keep
                };
                open.push((range, plan, None, 0));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                let Some((whole, plan, first, last)) = open.pop() else { continue };
                let inner = first.filter(|f| *f >= whole.start && last <= whole.end && *f <= last);
                match (plan, inner) {
                    (Plan::Keep, _) => {}
                    (Plan::Drop, Some(first)) => {
                        edits.push((whole.start..first, String::new()));
                        edits.push((last..whole.end, String::new()));
                    }
                    (Plan::Drop, None) => edits.push((whole, String::new())),
                    (Plan::Inline(tail), Some(_)) => edits.push((last..whole.end, tail)),
                    // `[][r]`: nothing to show.
                    (Plan::Inline(_), None) => edits.push((whole, String::new())),
                }
            }
            _ => {}
        }
    }
    (code, edits)
}

/// One pass of [`safe_markdown`]: `None` when the text is already safe.
///
/// Besides escaping, a pass rewrites links: a link whose target would not be kept
/// loses its brackets and target, keeping its text; a reference link (`[x][r]`,
/// `[x][]`, `[x]`) becomes an inline link, and every reference definition goes.
/// Definitions are page-wide in markdown: left in place, one field's `[r]: target`
/// would turn another field's plain `[r]` into a link.
fn markdown_pass(text: &str) -> Option<String> {
    let (code, mut edits) = link_edits(text);
    edits.retain(|(r, _)| r.start <= r.end && r.end <= text.len());
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut changed = !edits.is_empty();
    let mut next_edit = 0;
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some((r, replacement)) = edits.get(next_edit)
            && r.start == i
        {
            out.push_str(&text[copied..i]);
            out.push_str(replacement);
            i = r.end.max(i);
            copied = i;
            next_edit += 1;
            // Edits that began inside this one are covered by it.
            while edits.get(next_edit).is_some_and(|(n, _)| n.start < i) {
                next_edit += 1;
            }
            if r.end == r.start {
                // An empty range inserts; the byte here is still to be looked at.
            } else {
                continue;
            }
        }
        let c = b[i];
        if !matches!(c, b'<' | b'&' | b'{' | b'\\') || code[i] {
            i += 1;
            continue;
        }
        out.push_str(&text[copied..i]);
        match c {
            b'<' => {
                out.push_str("&lt;");
                changed = true;
            }
            b'{' => {
                out.push_str("&#123;");
                changed = true;
            }
            b'&' => {
                // Keep entities the author wrote (&amp; &mdash; &#123;).
                let rest = &text[i + 1..];
                let entity = rest.bytes().take(10).position(|c| c == b';').is_some_and(|end| {
                    end > 0 && rest.as_bytes()[..end].iter().all(|c| c.is_ascii_alphanumeric() || *c == b'#')
                });
                if entity {
                    out.push('&');
                } else {
                    out.push_str("&amp;");
                    changed = true;
                }
            }
            _ => {
                // A backslash escaping `<`, `{` or `&`: the entity alone shows the character.
                match b.get(i + 1) {
                    Some(b'<') if !code[i + 1] => {
                        out.push_str("&lt;");
                        changed = true;
                        i += 1;
                    }
                    Some(b'{') if !code[i + 1] => {
                        out.push_str("&#123;");
                        changed = true;
                        i += 1;
                    }
                    Some(b'\\') => {
                        out.push_str("\\\\");
                        i += 1;
                    }
                    _ => out.push('\\'),
                }
            }
        }
        i += 1;
        copied = i;
    }
    out.push_str(&text[copied..]);
    changed.then_some(out)
}

/// The paragraphs a block of markdown starts with (their source ranges), and
/// whether that is all of it: `false` when a list, a code block, a quote or any
/// other block follows them.
fn leading_paragraphs(md: &str) -> (Vec<std::ops::Range<usize>>, bool) {
    let mut depth = 0;
    let mut paragraphs = Vec::new();
    for (event, range) in Parser::new_ext(md, mdbook_options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    if !matches!(tag, Tag::Paragraph) {
                        return (paragraphs, false);
                    }
                    paragraphs.push(range);
                }
                depth += 1;
            }
            Event::End(_) => depth -= 1,
            _ if depth == 0 => return (paragraphs, false),
            _ => {}
        }
    }
    (paragraphs, true)
}

/// True when safe markdown is one paragraph: it may follow a label on the same line
/// (`**Fix:** ...`) or a list marker and keep its meaning.
fn is_one_paragraph(md: &str) -> bool {
    let (paragraphs, whole) = leading_paragraphs(md);
    whole && paragraphs.len() <= 1
}

/// Safe markdown to follow a label on the same line (`**Fix:** {{ x }}`): a single
/// paragraph as it is, anything else as blocks of its own after a blank line (an
/// indented code block or a fence would not survive being glued to the label).
pub fn after_label(md: String) -> String {
    if is_one_paragraph(&md) { md } else { format!("\n\n{md}") }
}

/// Safe markdown to follow a list marker (`- {{ x | indent(width=2) }}`): a single
/// paragraph as it is, anything else starting on the next line, so that every line of
/// it is indented under the marker and its blocks stay what they were.
pub fn list_item(md: String) -> String {
    if is_one_paragraph(&md) { md } else { format!("\n{md}") }
}

/// Markdown for a table cell: folded onto one line first, then made safe (so that
/// what is code is judged on the line the cell holds, not on the block it came
/// from), then its pipes escaped, code spans included (GFM splits cells before it
/// reads code).
pub fn cell_markdown(text: &str) -> String {
    let folded: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    escape_pipes(&safe_markdown(&folded))
}

/// Safe markdown made into one table cell when it is nothing but paragraphs: each
/// folded onto one line, pipes escaped, paragraphs joined by a line break. `Err`
/// when it holds a list, a code block, a quote or anything else a cell cannot hold,
/// with the paragraphs before that block as a cell (empty when there are none).
pub fn paragraphs_cell(md: &str) -> Result<String, String> {
    let (paragraphs, whole) = leading_paragraphs(md);
    let cells = paragraphs.into_iter().map(|r| cell_markdown(&md[r])).collect::<Vec<_>>().join("<br>");
    if whole { Ok(cells) } else { Err(cells) }
}

/// `|` escaped as `\|` unless a backslash already escapes it.
fn escape_pipes(text: &str) -> String {
    if !text.contains('|') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut backslashes = 0;
    for c in text.chars() {
        if c == '|' && backslashes % 2 == 0 {
            out.push('\\');
        }
        backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        out.push(c);
    }
    out
}

/// Every link or image target in a markdown field that a published page would not
/// keep, with the scheme: for `check`.
pub fn unsafe_links(text: &str) -> Vec<(String, crate::redact::LinkTarget)> {
    if !text.contains(']') && !text.contains('<') {
        return Vec::new();
    }
    let mut out = Vec::new();
    for event in Parser::new_ext(text, mdbook_options()) {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            let class = crate::redact::links::classify(&dest_url);
            if class != crate::redact::LinkTarget::Allowed {
                out.push((dest_url.to_string(), class));
            }
        }
    }
    out
}

/// Plain text for one line of markdown (a title, a heading, a list item, a table
/// cell, a link's text): HTML escaped, newlines folded, inline syntax and pipes
/// escaped, `{` escaped (no mdBook directive), and markdown block syntax at the
/// start neutralised.
pub fn inline_text(text: &str) -> String {
    // Most titles and names need nothing: one byte scan, one copy.
    let plain = text.bytes().enumerate().all(|(i, b)| match b {
        b'<' | b'>' | b'&' | b'\\' | b'*' | b'_' | b'[' | b']' | b'`' | b'|' | b'#' | b'+' | b'=' | b'{' | b'}'
        | b'~' | b'$' => false,
        b' ' => i > 0 && i + 1 < text.len() && text.as_bytes()[i + 1] != b' ',
        b'-' => i > 0,
        b'0'..=b'9' => i > 0,
        b if b < 0x20 || b == 0x7f => false,
        b if b >= 0x80 => false,
        _ => true,
    });
    if plain {
        return text.to_string();
    }
    let mut s = String::with_capacity(text.len() + 8);
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !s.is_empty();
            continue;
        }
        if c.is_control() {
            continue;
        }
        if pending_space {
            s.push(' ');
            pending_space = false;
        }
        match c {
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '&' => s.push_str("&amp;"),
            '\\' | '*' | '_' | '[' | ']' | '`' | '|' | '{' | '}' | '~' | '$' => {
                s.push('\\');
                s.push(c);
            }
            _ => s.push(c),
        }
    }
    let digits = s.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && s[digits..].starts_with(['.', ')']) {
        s.insert(digits, '\\');
    } else if s.starts_with(['#', '>', '-', '+', '=', ':']) {
        s.insert(0, '\\');
    }
    s
}

/// Text for a table cell (inline text already escapes pipes).
pub fn table_cell(text: &str) -> String {
    inline_text(text)
}

/// Inline code that cannot be broken out of: the fence is longer than any run of
/// backticks inside, and mdBook's directives are neutralized.
pub fn code_span(text: &str) -> String {
    let folded: String = strip_controls(text).split_whitespace().collect::<Vec<_>>().join(" ");
    let folded = neutralize_directives(&folded).into_owned();
    if !folded.contains('`') {
        return format!("`{folded}`");
    }
    let longest = folded.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if folded.starts_with('`') || folded.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{folded}{pad}{fence}")
}

/// A link target for `[text](target)`: only http(s), mailto and relative targets
/// are links (`None` otherwise); what would end the target, start an entity or
/// escape, or form an mdBook directive is escaped.
pub fn link_destination(url: &str) -> Option<String> {
    if crate::redact::links::classify(url) != crate::redact::LinkTarget::Allowed {
        return None;
    }
    let mut out = String::with_capacity(url.len() + 8);
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' | '&' | '(' | ')' | '<' | '>' | '[' | ']' | '`' | '*' | '_' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || c.is_whitespace() => {
                let mut buf = [0u8; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// `[text](target)` when the target may be a link, else the text alone.
pub fn link(text: &str, url: &str) -> String {
    match link_destination(url) {
        Some(dest) => format!("[{text}]({dest})"),
        None => text.to_string(),
    }
}

/// A commit's short id as code, linked to its web page when there is one.
pub fn commit_link(short: &str, url: Option<&str>) -> String {
    let code = code_span(short);
    match url {
        Some(u) => link(&code, u),
        None => code,
    }
}

/// A fenced code block whose fence is longer than any backtick run inside, with
/// mdBook's directives neutralized.
pub fn code_block(text: &str, lang: &str) -> String {
    let text = strip_controls(text);
    let text = neutralize_directives(&text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let lang: String = lang.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    format!("{fence}{lang}\n{}\n{fence}", text.trim_end_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_unclosed_fences() {
        assert_eq!(unclosed_fence("text\n```bash\nls\n"), Some("```".into()));
        assert_eq!(unclosed_fence("```\nls\n```\n"), None);
        assert_eq!(unclosed_fence("````\n```\n"), Some("````".into()));
        assert_eq!(unclosed_fence("~~~\nx\n~~~"), None);
        assert_eq!(unclosed_fence("no fences"), None);
        assert_eq!(unclosed_fence("> chat:\n>```\n>$ kg nodes\n>```\n> after\n"), None, "closed in its quote");
        assert_eq!(unclosed_fence("> chat:\n>```\n>$ kg nodes\n"), Some("```".into()));
    }

    #[test]
    fn html_is_escaped_outside_code() {
        assert_eq!(safe_markdown("<script>alert(1)</script>"), "&lt;script>alert(1)&lt;/script>");
        assert_eq!(safe_markdown("`<b>` stays"), "`<b>` stays");
        assert_eq!(safe_markdown("a &amp; b & c"), "a &amp; b &amp; c");
        assert_eq!(safe_markdown("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)>");
        // A blockquote stays one; what it quotes is escaped like any text.
        assert_eq!(
            safe_markdown("> the site is down <b>again</b>\n> -- a customer"),
            "> the site is down &lt;b>again&lt;/b>\n> -- a customer"
        );
        assert_eq!(safe_markdown("a\u{7}b\u{85}c\td\r\n<é>"), "abc\td\n&lt;é>");
        assert_eq!(safe_markdown("&mdash; &#123; &toolongentity; & b;"), "&mdash; &#123; &amp;toolongentity; &amp; b;");
    }

    #[test]
    fn hard_breaks_survive_tidying() {
        assert_eq!(safe_markdown("Thanks  \nback soon\n`code  `\n"), "Thanks\\\nback soon\n`code  `\n");
        assert_eq!(safe_markdown("> a  \n> b"), "> a\\\n> b");
    }

    #[test]
    fn autolinks_are_links_and_only_safe_ones() {
        assert_eq!(
            safe_markdown("see <https://a.test/x_y> now"),
            "see [https://a.test/x\\_y](https://a.test/x\\_y) now"
        );
        assert_eq!(safe_markdown("mail <ops@a.test>."), "mail [ops@a.test](mailto:ops@a.test).");
        let evil = safe_markdown("<javascript:alert(1)> and <script>x</script>");
        assert!(!evil.contains("](javascript") && evil.contains("&lt;script>"), "{evil}");
        assert!(unsafe_links(&evil).is_empty(), "{evil}");
        // Stable: made safe twice, the same.
        let once = safe_markdown("<https://a.test/p?q=1&r=2>");
        assert_eq!(safe_markdown(&once), once);
    }

    #[test]
    fn inline_text_cannot_start_blocks() {
        assert_eq!(inline_text("# heading"), "\\# heading");
        assert_eq!(inline_text("- item"), "\\- item");
        assert_eq!(inline_text("1. item"), "1\\. item");
        assert_eq!(inline_text("a\nb"), "a b");
        assert_eq!(table_cell("a | b"), "a \\| b");
    }

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_block("```\nx", ""), "````\n```\nx\n````");
    }

    /// mdBook's own pattern for its directives (mdbook-driver 0.5.4, links.rs): a
    /// page must never contain a match that is not the escaped form.
    fn live_directives(page: &str) -> Vec<String> {
        let re = regex::Regex::new(r"(?x)\\\{\{\#.*\}\}|\{\{\s*\#([a-zA-Z0-9_]+)\s+([^}]+)\}\}").unwrap();
        re.find_iter(page).map(|m| m.as_str().to_string()).filter(|m| !m.starts_with('\\')).collect()
    }

    #[test]
    fn mdbook_directives_never_survive() {
        let attacks = [
            "See {{#include /etc/passwd}}",
            "`{{#include /etc/passwd}}`",
            "```\n{{#include ../../secret.key}}\n```",
            "{{ #include /etc/passwd}}",
            "{{\n#include /etc/passwd\n}}",
            "{{#include /etc/passwd",
            "{{{#rustdoc_include x.rs}}}",
            "\\{{#include /etc/passwd}}",
            "\\\\{{#include /etc/passwd}}",
            "{{#title pwned}} {{#playground x.rs}}",
            "    {{#include /etc/passwd}}",
            "<span title=\"`\">`{{ #include /etc/passwd}}`",
        ];
        for a in attacks {
            for out in [safe_markdown(a), inline_text(a), code_span(a), code_block(a, "sh")] {
                // Followed by anything a template might add after it.
                let page = format!("{out}}}\n{out} }}");
                assert_eq!(live_directives(&page), Vec::<String>::new(), "{a:?} gave {out:?}");
            }
        }
        // Adjacent values cannot form one either.
        let page = format!("{}{}", inline_text("a{"), inline_text("{#include /etc/passwd}}"));
        assert!(live_directives(&page).is_empty(), "{page}");
        // The escaped form still reads as written in code.
        assert_eq!(code_span("{{#each items}}"), "`\\{{#each items}}`");
        assert_eq!(code_block("helm {{#if x}}", "sh"), "```sh\nhelm \\{{#if x}}\n```");
        assert_eq!(safe_markdown("a {b}"), "a &#123;b}");
    }

    #[test]
    fn heading_attributes_cannot_add_handlers() {
        let out = safe_markdown("# Title {onclick=alert(1) #id .cls}");
        assert!(!out.contains('{'), "{out}");
    }

    #[test]
    fn dangerous_links_keep_only_their_text() {
        for (input, want) in [
            ("[click](javascript:alert(1))", "click"),
            ("[click](JavaScript:alert(1))", "click"),
            ("[click](&#106;avascript:alert(1))", "click"),
            ("[x](<javascript:alert(1)>)", "x"),
            ("[click][r]\n\n[r]: javascript:alert(1)", "click\n\n"),
            ("![img](data:image/svg+xml;base64,PHN2Zz4=)", "img"),
            ("[**bold**](vbscript:msgbox)", "**bold**"),
            ("[](javascript:alert(1))", ""),
            ("[ok](https://example.com) and [no](ftp://x)", "[ok](https://example.com) and no"),
        ] {
            assert_eq!(safe_markdown(input), want, "{input}");
        }
        // A link that only forms once an inner one is gone is gone too.
        let out = safe_markdown("[[x](javascript:a)](javascript:b)");
        assert!(unsafe_links(&out).is_empty(), "{out}");
        // A link hidden inside a raw HTML attribute before escaping.
        let out = safe_markdown("[x<span title=\"](javascript:alert(1))\">");
        assert!(unsafe_links(&out).is_empty(), "{out}");
    }

    #[test]
    fn cells_hold_markdown_safely() {
        let block = "a\n\n```\n</code></pre><script>x</script>\n```\n\n| b | c |";
        let cell = cell_markdown(block);
        assert!(!cell.contains('\n'), "{cell}");
        use pulldown_cmark::{Event, Parser};
        let table = format!("| h |\n|---|\n| {cell} |\n");
        for e in Parser::new_ext(&table, mdbook_options()) {
            assert!(!matches!(e, Event::Html(_) | Event::InlineHtml(_)), "{table}");
        }
        assert_eq!(escape_pipes("a | b \\| c \\\\| d"), "a \\| b \\| c \\\\\\| d");
    }

    #[test]
    fn reference_links_become_inline_and_definitions_go() {
        assert_eq!(
            safe_markdown("see [the board][b]\n\n[b]: https://x.io/a(1) \"T\""),
            "see [the board](https://x.io/a\\(1\\) \"T\")\n\n"
        );
        assert_eq!(safe_markdown("[x]\n\n[x]: https://x.io"), "[x](https://x.io)\n\n");
        // A definition alone (for another field's `[r]`) is gone.
        assert_eq!(safe_markdown("a\n\n[r]: javascript:alert(1)\n"), "a\n\n\n");
    }

    #[test]
    fn blocks_after_labels_and_markers() {
        assert_eq!(after_label("one *paragraph*\nstill".into()), "one *paragraph*\nstill");
        assert_eq!(after_label("    code <b>".into()), "\n\n    code <b>");
        assert_eq!(list_item("---\n\nx".into()), "\n---\n\nx");
        assert_eq!(list_item("plain".into()), "plain");
    }

    #[test]
    fn link_targets() {
        assert_eq!(link("t", "https://a.io/x?a=1&b=(2)"), "[t](https://a.io/x?a=1\\&b=\\(2\\))");
        assert_eq!(link("t", "javascript:alert(1)"), "t");
        assert_eq!(link("t", "&#106;avascript:alert(1)"), "[t](\\&#106;avascript:alert\\(1\\))");
        assert_eq!(link_destination("a b{{#x}}"), Some("a%20b%7B%7B#x%7D%7D".into()));
    }
}
