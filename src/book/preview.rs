//! A page's preview while `casebook serve` runs: the HTML page mdBook made last
//! time, its `<main>` replaced by the page's new markdown rendered here, so that the
//! page being written shows within a second while mdBook rebuilds the whole book.
//! mdBook then replaces the preview with the real page.
//!
//! The markdown is the book's own (record text already made safe by the view), and
//! it is rendered with pulldown-cmark, the parser mdBook uses, so the preview holds
//! nothing the real page would not.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};
use std::path::{Path, PathBuf};

/// The file `casebook.js` polls while `casebook serve` runs: it changes with each
/// preview, and the page reloads when it does.
pub const STAMP: &str = "casebook-preview.txt";

/// A book's folder and mdBook's output folder for it (`[build] build-dir` of
/// its book.toml, else `book`), read once.
pub struct Folders {
    pub book: PathBuf,
    pub html: PathBuf,
}

impl Folders {
    pub fn of(book: &Path) -> Folders {
        let configured = std::fs::read_to_string(book.join("book.toml"))
            .ok()
            .and_then(|t| t.parse::<toml::Table>().ok())
            .and_then(|t| t.get("build")?.get("build-dir")?.as_str().map(PathBuf::from));
        Folders { book: book.to_path_buf(), html: book.join(configured.unwrap_or_else(|| PathBuf::from("book"))) }
    }

    /// The HTML page of `page` (a markdown file of the book, relative to it, such
    /// as `src/incidents/x.md`), or `None` when it is not a chapter.
    pub fn html_path(&self, page: &Path) -> Option<PathBuf> {
        let rel = page.strip_prefix("src").ok()?;
        if page.extension().is_none_or(|e| e != "md") || rel == Path::new("SUMMARY.md") {
            return None;
        }
        Some(self.html.join(rel.with_extension("html")))
    }

    /// Writes the preview of `page` over its HTML page: the page mdBook made last,
    /// or while mdBook is between builds (it empties its folder first), `shell`, a
    /// page of the same folder kept from before. Returns the HTML written, or
    /// `None` when there is nothing to preview (not a chapter, or no page to start
    /// from).
    pub fn write(&self, page: &Path, shell: Option<&str>) -> std::io::Result<Option<String>> {
        let Some(html_path) = self.html_path(page) else { return Ok(None) };
        let Ok(markdown) = std::fs::read_to_string(self.book.join(page)) else { return Ok(None) };
        let last = std::fs::read_to_string(&html_path).ok();
        let Some(html) = last.as_deref().or(shell) else { return Ok(None) };
        let Some(spliced) = splice(html, &to_html(&markdown)) else { return Ok(None) };
        if let Some(parent) = html_path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = html_path.with_extension("html.casebook-preview");
        std::fs::write(&tmp, &spliced)?;
        std::fs::rename(&tmp, &html_path)?;
        Ok(Some(spliced))
    }

    /// Tells the pages that a preview was written (`casebook.js` reloads when the
    /// stamp changes); `n` counts the previews of this serve.
    pub fn stamp(&self, n: u64) -> std::io::Result<()> {
        std::fs::write(self.html.join(STAMP), format!("{n}\n"))
    }

    /// Whether the stamp is there: mdBook removes it when it empties its folder
    /// for a build.
    pub fn stamped(&self) -> bool {
        self.html.join(STAMP).exists()
    }

    /// Removes the stamp (when serve ends), so pages stop polling for it.
    pub fn unstamp(&self) {
        let _ = std::fs::remove_file(self.html.join(STAMP));
    }
}

/// Markdown to HTML as mdBook renders a chapter: its extensions, and links to
/// other chapters (`x.md`, `x.md#a`) pointing at their HTML pages.
fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let events = Parser::new_ext(markdown, options).map(|e| match e {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: chapter_link(dest_url), title, id })
        }
        e => e,
    });
    let mut out = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// `x.md` and `x.md#a` (relative) become `x.html` and `x.html#a`.
fn chapter_link(dest: CowStr<'_>) -> CowStr<'_> {
    if dest.contains("://") || dest.starts_with("mailto:") {
        return dest;
    }
    let (path, anchor) = dest.split_once('#').map_or((&*dest, None), |(p, a)| (p, Some(a)));
    match (path.strip_suffix(".md"), anchor) {
        (Some(stem), Some(a)) => format!("{stem}.html#{a}").into(),
        (Some(stem), None) => format!("{stem}.html").into(),
        (None, _) => dest,
    }
}

/// `html` with the inside of its `<main>` replaced by `body`.
fn splice(html: &str, body: &str) -> Option<String> {
    let open = html.find("<main>")? + "<main>".len();
    let close = html.rfind("</main>")?;
    (open <= close).then(|| format!("{}\n{body}\n{}", &html[..open], &html[close..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_of_the_last_page_gets_the_new_markdown() {
        let html = "<html><body><nav>x</nav><main>\n<h1>Old</h1>\n</main><script>y</script></body></html>";
        let page =
            splice(html, &to_html("# New\n\nSee [the runbook](../runbooks/a.md#steps) and [x](https://e.com/a.md)."))
                .unwrap_or_default();
        assert!(page.contains("<h1>New</h1>") && !page.contains("Old"), "{page}");
        assert!(page.contains("href=\"../runbooks/a.html#steps\""), "{page}");
        assert!(page.contains("href=\"https://e.com/a.md\""), "{page}");
        assert!(
            page.starts_with("<html><body><nav>x</nav><main>")
                && page.ends_with("</main><script>y</script></body></html>")
        );
        assert_eq!(splice("<html>no main</html>", "x"), None);
    }

    #[test]
    fn tables_render_as_mdbook_renders_them() {
        let html = to_html("| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<table>") && html.contains("<td>1</td>"), "{html}");
    }
}
