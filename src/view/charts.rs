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

/// Severity colours, fixed by level: the n-th configured level always has the
/// n-th colour (the same as `--cb-sev-n` in casebook.css). Each level also has a
/// pattern (bars) and a shape (dots), so the charts read without colour.
pub const SEVERITY: [&str; 6] = ["#c62828", "#e65100", "#b38600", "#1565c0", "#6d6d6d", "#7b1fa2"];

/// The colour of severity level `level` (0 = the first configured level); `None`
/// for records without a severity.
pub fn severity_colour(level: Option<usize>) -> &'static str {
    level.map_or("#9e9e9e", |l| SEVERITY[l % SEVERITY.len()])
}

/// One series of a chart: a severity level (`None`: severity not set).
pub struct Series {
    pub name: String,
    pub level: Option<usize>,
}

/// The pattern drawn over a level's bars, as an SVG `<pattern>` body on a 6×6 tile
/// (`None` for the first level: solid).
fn pattern(level: Option<usize>) -> Option<&'static str> {
    const PATTERNS: [&str; 6] = [
        "",
        "<path d=\"M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
        "<circle cx=\"3\" cy=\"3\" r=\"1.3\" fill=\"#fff\"/>",
        "<path d=\"M0,3 h6\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
        "<path d=\"M0,0 l6,6 M6,0 l-6,6\" stroke=\"#fff\" stroke-width=\"1\"/>",
        "<path d=\"M3,0 v6\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
    ];
    let body = match level {
        Some(l) => PATTERNS[l % PATTERNS.len()],
        None => PATTERNS[4],
    };
    (!body.is_empty()).then_some(body)
}

/// A dot of a level's shape centred on (x, y).
fn shape(level: Option<usize>, x: f64, y: f64, fill: &str, tip: &str) -> String {
    let r = 4.5;
    let body = match level.map(|l| l % 6) {
        Some(0) => format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r}\""),
        Some(1) => {
            format!("<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"", x - r, y - r, 2.0 * r, 2.0 * r)
        }
        Some(2) => format!(
            "<polygon points=\"{x:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\"",
            y - r - 1.0,
            x + r + 1.0,
            y + r,
            x - r - 1.0,
            y + r
        ),
        Some(3) => format!(
            "<polygon points=\"{x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}\"",
            y - r - 1.0,
            x + r + 1.0,
            y + r + 1.0,
            x - r - 1.0
        ),
        Some(4) => format!(
            "<polygon points=\"{x:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\"",
            y + r + 1.0,
            x + r + 1.0,
            y - r,
            x - r - 1.0,
            y - r
        ),
        _ => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" transform=\"rotate(45 {x:.1} {y:.1})\"",
            x - r + 1.0,
            y - r + 1.0,
            2.0 * r - 2.0,
            2.0 * r - 2.0
        ),
    };
    format!(
        "{body} fill=\"{fill}\" stroke=\"currentColor\" stroke-width=\"0.8\"><title>{}</title></{}>",
        esc(tip),
        body[1..].split(' ').next().unwrap_or("circle")
    )
}

/// The patterns of `series` as `<defs>`, ids prefixed by `id`.
fn pattern_defs(id: &str, series: &[Series]) -> String {
    let mut s = String::from("<defs>");
    for (n, se) in series.iter().enumerate() {
        if let Some(body) = pattern(se.level) {
            let _ = write!(
                s,
                "<pattern id=\"{id}-p{n}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">{body}</pattern>"
            );
        }
    }
    s.push_str("</defs>");
    s
}

/// A box of a series' colour with its pattern over it.
/// A rectangle: left, top, width, height.
#[derive(Clone, Copy)]
struct Rect(f64, f64, f64, f64);

fn patterned_rect(id: &str, n: usize, se: &Series, Rect(x, y, w, h): Rect, tip: &str) -> String {
    let mut s = format!(
        "<g><title>{}</title><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"{}\"/>",
        esc(tip),
        severity_colour(se.level)
    );
    if pattern(se.level).is_some() {
        let _ = write!(
            s,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"url(#{id}-p{n})\" fill-opacity=\"0.6\"/>"
        );
    }
    s.push_str("</g>");
    s
}

/// The chart's title (top left) and its axis labels.
/// A chart's size and the margins around its plot.
struct Frame {
    w: f64,
    h: f64,
    top: f64,
    bottom: f64,
}

fn titles(s: &mut String, Frame { w, h, top, bottom }: Frame, title: &str, x_label: &str, y_label: &str) {
    let _ = write!(
        s,
        "<text class=\"cb-title\" x=\"0\" y=\"14\" font-size=\"13\" font-weight=\"bold\" fill=\"currentColor\">{}</text><text class=\"cb-axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"currentColor\">{}</text><text class=\"cb-axis\" transform=\"translate(11 {:.1}) rotate(-90)\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
        esc(title),
        w / 2.0,
        h - 4.0,
        esc(x_label),
        top + (h - bottom - top) / 2.0,
        esc(y_label)
    );
}

/// The legend, one entry per series, right-aligned on the title's line; each
/// entry's swatch shows the series' pattern (`dots`: its shape).
fn legend(s: &mut String, id: &str, w: f64, series: &[Series], dots: bool) {
    let widths: Vec<f64> = series.iter().map(|se| 22.0 + 6.6 * se.name.chars().count() as f64).collect();
    let mut x = w - widths.iter().sum::<f64>();
    for (n, se) in series.iter().enumerate() {
        if dots {
            s.push_str(&shape(se.level, x + 6.0, 10.0, severity_colour(se.level), &se.name));
        } else {
            s.push_str(&patterned_rect(id, n, se, Rect(x, 4.0, 12.0, 12.0), &se.name));
        }
        let _ = write!(
            s,
            "<text class=\"cb-legend\" x=\"{:.1}\" y=\"14\" fill=\"currentColor\">{}</text>",
            x + 16.0,
            esc(&se.name)
        );
        x += widths[n];
    }
}

/// Incidents per month, stacked by severity. `months` are `YYYY-MM` labels in
/// order, every month included (a month without incidents is an empty slot);
/// `counts[s][m]` is series `s` in month `m`.
pub fn monthly_stacked(months: &[String], series: &[Series], counts: &[Vec<usize>]) -> String {
    let (w, h, left, bottom, top) = (720.0f64, 290.0f64, 44.0f64, 46.0f64, 34.0f64);
    let id = "cbm";
    let plot_w = w - left - 10.0;
    let plot_h = h - bottom - top;
    let total = |m: usize| counts.iter().map(|c| c.get(m).copied().unwrap_or(0)).sum::<usize>();
    let max = (0..months.len()).map(total).max().unwrap_or(0).max(1);
    let mut s = open(w as u32, h as u32, "Incidents per month, by severity");
    s.push_str(&pattern_defs(id, series));
    titles(&mut s, Frame { w, h, top, bottom }, "Incidents per month, by severity", "Month", "Incidents");
    legend(&mut s, id, w, series, false);
    let slot = plot_w / months.len().max(1) as f64;
    let bar = slot.min(48.0);
    let offset = (plot_w - bar * months.len() as f64) / 2.0;
    let ticks = if max <= 5 { max } else { 4 };
    for t in 0..=ticks {
        let v = max * t / ticks.max(1);
        let y = top + plot_h - plot_h * v as f64 / max as f64;
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"currentColor\" stroke-opacity=\"0.15\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"currentColor\">{v}</text>",
            w - 10.0,
            left - 4.0,
            y + 4.0
        );
    }
    // Month labels: as many as fit without touching (a label is about 45 px wide).
    let every = ((46.0 / bar).ceil() as usize).max(1);
    for (m, month) in months.iter().enumerate() {
        let x = left + offset + bar * m as f64;
        let mut y = top + plot_h;
        for (n, se) in series.iter().enumerate() {
            let c = counts.get(n).and_then(|c| c.get(m)).copied().unwrap_or(0);
            if c == 0 {
                continue;
            }
            let bh = plot_h * c as f64 / max as f64;
            y -= bh;
            let tip = format!("{month}: {c} {}", se.name);
            s.push_str(&patterned_rect(id, n, se, Rect(x + bar * 0.1, y, bar * 0.8, bh), &tip));
        }
        if m % every == 0 {
            let _ = write!(
                s,
                "<text class=\"cb-tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
                x + bar / 2.0,
                h - bottom + 16.0,
                esc(month)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// One incident on the time-to-resolve chart.
pub struct ResolvePoint {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Days since any fixed day (for the x position).
    pub day: i64,
    pub secs: i64,
    /// Index into the chart's series.
    pub series: usize,
    pub tip: String,
}

/// Time to resolve per incident over time: one mark per incident, its severity's
/// shape and colour, hours on a log scale.
pub fn resolve_over_time(points: &[ResolvePoint], series: &[Series]) -> String {
    let (w, h, left, bottom, top) = (720.0f64, 270.0f64, 52.0f64, 46.0f64, 34.0f64);
    let plot_w = w - left - 16.0;
    let plot_h = h - bottom - top;
    let mut s = open(w as u32, h as u32, "Time to resolve, per incident");
    titles(&mut s, Frame { w, h, top, bottom }, "Time to resolve, per incident", "Incident date", "Time to resolve");
    if points.is_empty() {
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\">no incident has both a start and a resolution</text></svg>",
            w / 2.0,
            h / 2.0
        );
        return s;
    }
    legend(&mut s, "cbr", w, series, true);
    let min_day = points.iter().map(|p| p.day).min().unwrap_or(0);
    let max_day = points.iter().map(|p| p.day).max().unwrap_or(1).max(min_day + 1);
    let hours = |secs: i64| (secs.max(60) as f64 / 3600.0).log10();
    let (lo, hi) = (hours(60), hours(points.iter().map(|p| p.secs).max().unwrap_or(3600)).max(hours(3600)) + 0.1);
    for (label, secs) in [("1m", 60), ("10m", 600), ("1h", 3600), ("6h", 21_600), ("1d", 86_400), ("1w", 604_800)] {
        let v = hours(secs);
        if v > hi {
            break;
        }
        let y = top + plot_h - plot_h * (v - lo) / (hi - lo);
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"currentColor\" stroke-opacity=\"0.15\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"currentColor\">{label}</text>",
            w - 10.0,
            left - 4.0,
            y + 4.0
        );
    }
    let x_of = |day: i64| left + 6.0 + (plot_w - 12.0) * (day - min_day) as f64 / (max_day - min_day) as f64;
    for p in points {
        let y = top + plot_h - plot_h * (hours(p.secs) - lo) / (hi - lo);
        let se = series.get(p.series);
        let level = se.and_then(|se| se.level);
        s.push_str(&shape(level, x_of(p.day), y, severity_colour(level), &format!("{} {}", p.date, p.tip)));
    }
    // Date ticks: the first and last incident days, and up to four between.
    let (first, last) = (points.iter().min_by_key(|p| p.day), points.iter().max_by_key(|p| p.day));
    if let (Some(first), Some(last)) = (first, last) {
        let _ = write!(
            s,
            "<text class=\"cb-tick\" x=\"{:.1}\" y=\"{}\" fill=\"currentColor\">{}</text><text class=\"cb-tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"end\" fill=\"currentColor\">{}</text>",
            left,
            h - bottom + 16.0,
            esc(&first.date),
            w - 10.0,
            h - bottom + 16.0,
            esc(&last.date)
        );
    }
    s.push_str("</svg>");
    s
}

/// One key moment on the strip.
pub struct StripMoment {
    pub label: String,
    /// Seconds from the first moment.
    pub at: i64,
    pub approximate: bool,
    /// The time as the page shows it ("21:00", "~2025-11-16 21:00 UTC").
    pub time: String,
}

/// Estimated width in pixels of `text` at the strip's 11 px: generous, so that
/// labels placed apart by it are apart in any browser's font.
fn text_width(text: &str) -> f64 {
    6.6 * text.chars().count() as f64 + 6.0
}

/// Lanes for labels centred at `xs` with widths `ws` inside `0..width`: each label
/// goes to the lowest lane where it clears the one before it by `gap`, so no two
/// labels overlap however close their moments are. Returns (left edge, lane) per
/// label and the number of lanes.
fn place_labels(xs: &[f64], ws: &[f64], width: f64, gap: f64) -> (Vec<(f64, usize)>, usize) {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|a, b| xs[*a].total_cmp(&xs[*b]).then(a.cmp(b)));
    let mut lane_ends: Vec<f64> = Vec::new();
    let mut placed = vec![(0.0, 0); xs.len()];
    for i in order {
        let left = (xs[i] - ws[i] / 2.0).clamp(0.0, (width - ws[i]).max(0.0));
        let lane = lane_ends.iter().position(|end| left >= end + gap).unwrap_or(lane_ends.len());
        if lane == lane_ends.len() {
            lane_ends.push(f64::MIN);
        }
        lane_ends[lane] = left + ws[i];
        placed[i] = (left, lane);
    }
    (placed, lane_ends.len())
}

/// An incident's key moments on a time line: a dot per moment, its label and time
/// above it in as many lanes as needed to keep labels apart, and the impact
/// (`band`, seconds from the first moment: started → mitigated) as a shaded band.
pub fn timeline_strip(moments: &[StripMoment], band: Option<(i64, i64)>) -> String {
    let (w, pad, lane_h) = (720.0f64, 12.0f64, 34.0f64);
    let span = moments.iter().map(|m| m.at).max().unwrap_or(0).max(1) as f64;
    let x_of = |at: i64| pad + (w - 2.0 * pad) * (at as f64) / span;
    let xs: Vec<f64> = moments.iter().map(|m| x_of(m.at)).collect();
    let ws: Vec<f64> = moments.iter().map(|m| text_width(&m.label).max(text_width(&m.time))).collect();
    let (placed, lanes) = place_labels(&xs, &ws, w, 8.0);
    let axis = 8.0 + lanes as f64 * lane_h + 12.0;
    let h = axis + 22.0;
    let mut s = open(w as u32, h as u32, "Key moments of the incident");
    if let Some((from, to)) = band {
        let (x1, x2) = (x_of(from), x_of(to.max(from)));
        let _ = write!(
            s,
            "<rect class=\"cb-band\" x=\"{x1:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"14\" fill=\"{}\" fill-opacity=\"0.25\"><title>Impact</title></rect><text x=\"{:.1}\" y=\"{:.1}\" fill=\"currentColor\" font-size=\"10\" text-anchor=\"middle\">impact</text>",
            axis - 7.0,
            (x2 - x1).max(2.0),
            SEVERITY[0],
            (x1 + x2) / 2.0,
            axis + 19.0
        );
    }
    let _ = write!(
        s,
        "<line x1=\"{pad}\" x2=\"{}\" y1=\"{axis}\" y2=\"{axis}\" stroke=\"currentColor\" stroke-width=\"2\" stroke-opacity=\"0.5\"/>",
        w - pad
    );
    for (n, m) in moments.iter().enumerate() {
        let (x, (left, lane)) = (xs[n], placed[n]);
        let top = 8.0 + (lanes - 1 - lane) as f64 * lane_h;
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{axis}\" stroke=\"currentColor\" stroke-opacity=\"0.3\"/>",
            top + 27.0
        );
        let dash = if m.approximate { " stroke-dasharray=\"2 2\"" } else { "" };
        let _ = write!(
            s,
            "<circle cx=\"{x:.1}\" cy=\"{axis}\" r=\"5\" fill=\"{}\" stroke=\"currentColor\"{dash}><title>{}: {}</title></circle>",
            color(n),
            esc(&m.label),
            esc(&m.time)
        );
        let _ = write!(
            s,
            "<g class=\"cb-label\"><text x=\"{:.1}\" y=\"{:.1}\" fill=\"currentColor\" font-weight=\"bold\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" fill=\"currentColor\" fill-opacity=\"0.8\">{}</text></g>",
            left + 3.0,
            top + 10.0,
            esc(&m.label),
            left + 3.0,
            top + 25.0,
            esc(&m.time)
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_moments_at_the_same_instant_never_overlap() {
        let xs = [100.0, 100.0, 101.0, 400.0, 700.0];
        let ws = [80.0, 90.0, 60.0, 50.0, 100.0];
        let (placed, lanes) = place_labels(&xs, &ws, 720.0, 8.0);
        assert_eq!(lanes, 3);
        for i in 0..xs.len() {
            assert!(placed[i].0 >= 0.0 && placed[i].0 + ws[i] <= 720.0, "label {i} inside the strip");
            for j in 0..i {
                let apart = placed[i].0 >= placed[j].0 + ws[j] || placed[j].0 >= placed[i].0 + ws[i];
                assert!(placed[i].1 != placed[j].1 || apart, "labels {i} and {j} overlap");
            }
        }
    }

    #[test]
    fn charts_are_well_formed_and_escaped() {
        let svg = monthly_stacked(
            &["2025-01".into(), "2025-02".into()],
            &[Series { name: "SEV<1>".into(), level: Some(0) }, Series { name: "SEV2".into(), level: Some(1) }],
            &[vec![1, 0], vec![2, 3]],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("SEV&lt;1&gt;") && !svg.contains("SEV<1>"));
        assert!(!svg.contains("\n\n"), "no blank lines: markdown would end the HTML block");
        let moment = |label: &str, at, approximate, time: &str| StripMoment {
            label: label.into(),
            at,
            approximate,
            time: time.into(),
        };
        let strip =
            timeline_strip(&[moment("Detected", 0, false, "21:00"), moment("Resolved", 3600, true, "22:00")], None);
        assert!(strip.contains("stroke-dasharray"));
        let dots = resolve_over_time(&[], &[]);
        assert!(dots.contains("no incident"));
    }
}
