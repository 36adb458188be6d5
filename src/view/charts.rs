//! Charts as plain SVG, drawn from computed figures. Text and axes use
//! `currentColor`, so inline charts follow mdBook's light and dark themes;
//! series colours are mid-tones that read on both.

use std::fmt::Write;

const PALETTE: [&str; 8] = ["#d62728", "#ff7f0e", "#d4a200", "#2f7fc1", "#8c8c8c", "#9467bd", "#2ca02c", "#17becf"];

fn esc(s: &str) -> String {
    // `{` too: the SVG is inlined in markdown, and mdBook reads `{{#...}}` anywhere.
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('{', "&#123;")
}

/// The colour of the n-th series.
pub fn color(n: usize) -> &'static str {
    PALETTE[n % PALETTE.len()]
}

fn open(w: u32, h: u32, label: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" style=\"max-width:{w}px\" role=\"img\" aria-label=\"{l}\" font-family=\"sans-serif\" font-size=\"11\"><title>{l}</title>",
        l = esc(label)
    )
}

/// Incidents per month, stacked by severity. `months` are `YYYY-MM` labels in
/// order; `series` are (severity, counts per month).
pub fn monthly_stacked(months: &[String], series: &[(String, Vec<usize>)]) -> String {
    let (w, h, left, bottom, top) = (720u32, 260u32, 36.0f64, 40.0f64, 24.0f64);
    let plot_w = w as f64 - left - 10.0;
    let plot_h = h as f64 - bottom - top;
    let totals: Vec<usize> = (0..months.len()).map(|m| series.iter().map(|(_, c)| c[m]).sum()).collect();
    let max = (*totals.iter().max().unwrap_or(&0)).max(1);
    let mut s = open(w, h, "Incidents per month, by severity");
    let slot = plot_w / months.len().max(1) as f64;
    let bar = slot.min(48.0);
    let offset = (plot_w - bar * months.len() as f64) / 2.0;
    // Axis and gridlines.
    let ticks = if max <= 5 { max } else { 4 };
    for t in 0..=ticks {
        let v = max * t / ticks.max(1);
        let y = top + plot_h - plot_h * v as f64 / max as f64;
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"currentColor\" stroke-opacity=\"0.15\"/>",
            w as f64 - 10.0
        );
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"currentColor\">{v}</text>",
            left - 4.0,
            y + 4.0
        );
    }
    for (m, month) in months.iter().enumerate() {
        let x = left + offset + bar * m as f64;
        let mut y = top + plot_h;
        for (n, (name, counts)) in series.iter().enumerate() {
            let c = counts[m];
            if c == 0 {
                continue;
            }
            let bh = plot_h * c as f64 / max as f64;
            y -= bh;
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"{}\"><title>{}: {c} {}</title></rect>",
                x + bar * 0.1,
                bar * 0.8,
                color(n),
                esc(month),
                esc(name)
            );
        }
        let every = (months.len() / 12).max(1);
        if m % every == 0 {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
                x + bar / 2.0,
                h as f64 - bottom + 14.0,
                esc(month)
            );
        }
    }
    // Legend.
    let mut lx = left;
    for (n, (name, _)) in series.iter().enumerate() {
        let _ = write!(
            s,
            "<rect x=\"{lx:.1}\" y=\"4\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.1}\" y=\"13\" fill=\"currentColor\">{}</text>",
            color(n),
            lx + 14.0,
            esc(name)
        );
        lx += 24.0 + 7.0 * name.chars().count() as f64;
    }
    s.push_str("</svg>");
    s
}

/// Time to resolve per incident over time: one dot per incident (hours, log scale).
/// `points` are (x label `YYYY-MM-DD`, day number, seconds, series index, tooltip).
pub fn resolve_over_time(points: &[(String, i64, i64, usize, String)], series: &[String]) -> String {
    let (w, h, left, bottom, top) = (720u32, 240u32, 44.0f64, 30.0f64, 24.0f64);
    let plot_w = w as f64 - left - 10.0;
    let plot_h = h as f64 - bottom - top;
    let mut s = open(w, h, "Time to resolve over time");
    if points.is_empty() {
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\">no incident has both a start and a resolution</text></svg>",
            w / 2,
            h / 2
        );
        return s;
    }
    let min_day = points.iter().map(|p| p.1).min().unwrap_or(0);
    let max_day = points.iter().map(|p| p.1).max().unwrap_or(1).max(min_day + 1);
    let hours = |secs: i64| (secs.max(60) as f64 / 3600.0).log10();
    let (lo, hi) = (hours(60), hours(points.iter().map(|p| p.2).max().unwrap_or(3600)).max(hours(3600)) + 0.1);
    for (label, secs) in [("1m", 60), ("10m", 600), ("1h", 3600), ("6h", 21_600), ("1d", 86_400), ("1w", 604_800)] {
        let v = hours(secs);
        if v > hi {
            break;
        }
        let y = top + plot_h - plot_h * (v - lo) / (hi - lo);
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"currentColor\" stroke-opacity=\"0.15\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"currentColor\">{label}</text>",
            w as f64 - 10.0,
            left - 4.0,
            y + 4.0
        );
    }
    for (label, day, secs, n, tip) in points {
        let x = left + plot_w * (day - min_day) as f64 / (max_day - min_day) as f64;
        let y = top + plot_h - plot_h * (hours(*secs) - lo) / (hi - lo);
        let _ = write!(
            s,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4\" fill=\"{}\" fill-opacity=\"0.85\"><title>{} {}</title></circle>",
            color(*n),
            esc(label),
            esc(tip)
        );
    }
    let (Some(first), Some(last)) = (points.iter().min_by_key(|p| p.1), points.iter().max_by_key(|p| p.1)) else {
        return s;
    };
    let (first, last) = (&first.0, &last.0);
    let _ = write!(
        s,
        "<text x=\"{left}\" y=\"{}\" fill=\"currentColor\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"currentColor\">{}</text>",
        h - 8,
        esc(first),
        w - 10,
        h - 8,
        esc(last)
    );
    let mut lx = left;
    for (n, name) in series.iter().enumerate() {
        let _ = write!(
            s,
            "<circle cx=\"{:.1}\" cy=\"9\" r=\"4\" fill=\"{}\"/><text x=\"{:.1}\" y=\"13\" fill=\"currentColor\">{}</text>",
            lx + 5.0,
            color(n),
            lx + 12.0,
            esc(name)
        );
        lx += 22.0 + 7.0 * name.chars().count() as f64;
    }
    s.push_str("</svg>");
    s
}

/// An incident's key moments on one line: (label, seconds from the first, approximate).
pub fn timeline_strip(moments: &[(String, i64, bool, String)]) -> String {
    let (w, h, pad) = (720u32, 70u32, 30.0f64);
    let mut s = open(w, h, "Key moments of the incident");
    let span = moments.iter().map(|m| m.1).max().unwrap_or(0).max(1) as f64;
    let y = 30.0;
    let _ = write!(
        s,
        "<line x1=\"{pad}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"currentColor\" stroke-width=\"2\" stroke-opacity=\"0.5\"/>",
        w as f64 - pad
    );
    let mut last_x = f64::MIN;
    let mut row = 0;
    for (n, (label, at, approx, when)) in moments.iter().enumerate() {
        let x = pad + (w as f64 - 2.0 * pad) * (*at as f64) / span;
        row = if x - last_x < 70.0 { (row + 1) % 2 } else { 0 };
        last_x = x;
        let dash = if *approx { " stroke-dasharray=\"2 2\"" } else { "" };
        let _ = write!(
            s,
            "<circle cx=\"{x:.1}\" cy=\"{y}\" r=\"6\" fill=\"{}\" stroke=\"currentColor\"{dash}><title>{}: {}</title></circle>",
            color(n),
            esc(label),
            esc(when)
        );
        let ty = if row == 0 { y - 12.0 } else { y + 24.0 };
        let anchor = if n == 0 {
            "start"
        } else if n + 1 == moments.len() {
            "end"
        } else {
            "middle"
        };
        let tx = if n == 0 {
            x - 6.0
        } else if n + 1 == moments.len() {
            x + 6.0
        } else {
            x
        };
        let _ = write!(
            s,
            "<text x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"{anchor}\" fill=\"currentColor\">{}{}</text>",
            if *approx { "~" } else { "" },
            esc(label)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_well_formed_and_escaped() {
        let svg = monthly_stacked(
            &["2025-01".into(), "2025-02".into()],
            &[("SEV<1>".into(), vec![1, 0]), ("SEV2".into(), vec![2, 3])],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("SEV&lt;1&gt;") && !svg.contains("SEV<1>"));
        assert!(!svg.contains("\n\n"), "no blank lines: markdown would end the HTML block");
        let strip = timeline_strip(&[
            ("Detected".into(), 0, false, "21:00".into()),
            ("Resolved".into(), 3600, true, "22:00".into()),
        ]);
        assert!(strip.contains("stroke-dasharray"));
        let dots = resolve_over_time(&[], &[]);
        assert!(dots.contains("no incident"));
    }
}
