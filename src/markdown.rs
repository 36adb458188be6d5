//! Markdown helpers: finding fields that would break out of their block, and
//! making plain text safe to place in markdown.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

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
                    let last = block.trim_end_matches(['\n', '\r']).lines().last().unwrap_or("").trim();
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
            _ => out.push(c),
        }
    }
    out
}

/// Control characters other than newline and tab are dropped.
fn strip_controls(text: &str) -> std::borrow::Cow<'_, str> {
    // A byte scan first: C0 controls and DEL are single bytes, C1 controls
    // (U+0080..U+009F) are 0xC2 followed by 0x80..0x9F.
    let b = text.as_bytes();
    let any = b.iter().enumerate().any(|(i, &c)| {
        (c < 0x20 && c != b'\n' && c != b'\t') || c == 0x7f || (c == 0xC2 && b.get(i + 1).is_some_and(|n| *n < 0xA0))
    });
    if !any {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect())
}

/// Markdown from a record, made safe to publish: raw HTML is escaped (inline
/// code and code blocks are left alone, as markdown already shows them literally).
/// `<` and `&` are escaped; `>` is not: no tag can open without `<`, and a `>` at
/// the start of a line is a blockquote, which a postmortem quoting a customer or
/// a log line means to write.
pub fn safe_markdown(text: &str) -> String {
    let text = strip_controls(text);
    if !text.bytes().any(|b| matches!(b, b'<' | b'&')) {
        return text.into_owned();
    }
    // Escape `<` and `&` outside code; code spans and blocks keep them.
    let mut code = vec![false; text.len() + 1];
    for (event, range) in Parser::new_ext(&text, Options::all()).into_offset_iter() {
        match event {
            Event::Code(_) => code[range].iter_mut().for_each(|c| *c = true),
            Event::Start(Tag::CodeBlock(_)) => code[range].iter_mut().for_each(|c| *c = true),
            _ => {}
        }
    }
    // Both are ASCII, so the text is copied in runs between them.
    let mut out = String::with_capacity(text.len() + 16);
    let mut copied = 0;
    for (i, b) in text.bytes().enumerate() {
        if code[i] || !matches!(b, b'<' | b'&') {
            continue;
        }
        out.push_str(&text[copied..i]);
        copied = i + 1;
        match b {
            b'<' => out.push_str("&lt;"),
            _ => {
                // Keep entities the author wrote (&amp; &mdash; &#123;).
                let rest = &text[i + 1..];
                let entity = rest.bytes().take(10).position(|c| c == b';').is_some_and(|end| {
                    end > 0 && rest.as_bytes()[..end].iter().all(|c| c.is_ascii_alphanumeric() || *c == b'#')
                });
                out.push_str(if entity { "&" } else { "&amp;" });
            }
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Plain text for one line of markdown (a title, a heading, a list item, a table
/// cell): HTML escaped, newlines folded, inline syntax and pipes escaped, and
/// markdown block syntax at the start neutralised.
pub fn inline_text(text: &str) -> String {
    // Most titles and names need nothing: one byte scan, one copy.
    let plain = text.bytes().enumerate().all(|(i, b)| match b {
        b'<' | b'>' | b'&' | b'\\' | b'*' | b'_' | b'[' | b']' | b'`' | b'|' | b'#' | b'+' | b'=' => false,
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
            '\\' | '*' | '_' | '[' | ']' | '`' | '|' => {
                s.push('\\');
                s.push(c);
            }
            _ => s.push(c),
        }
    }
    let digits = s.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && s[digits..].starts_with(['.', ')']) {
        s.insert(digits, '\\');
    } else if s.starts_with(['#', '>', '-', '+', '=']) {
        s.insert(0, '\\');
    }
    s
}

/// Text for a table cell (inline text already escapes pipes).
pub fn table_cell(text: &str) -> String {
    inline_text(text)
}

/// Inline code that cannot be broken out of: the fence is longer than any run of backticks inside.
pub fn code_span(text: &str) -> String {
    let folded: String = strip_controls(text).split_whitespace().collect::<Vec<_>>().join(" ");
    if !folded.contains('`') {
        return format!("`{folded}`");
    }
    let longest = folded.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if folded.starts_with('`') || folded.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{folded}{pad}{fence}")
}

/// A commit's short id as code, linked to its web page when there is one.
pub fn commit_link(short: &str, url: Option<&str>) -> String {
    let code = code_span(short);
    match url {
        Some(u) => format!("[{code}]({u})"),
        None => code,
    }
}

/// A fenced code block whose fence is longer than any backtick run inside.
pub fn code_block(text: &str, lang: &str) -> String {
    let text = strip_controls(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
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
}
