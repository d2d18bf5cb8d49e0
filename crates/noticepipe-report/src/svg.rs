//! The charts, as plain SVG written here (see the crate docs for why not plotters): a
//! column chart of counts and a line chart of amounts by year. Labels that need room
//! (legends, captions) are HTML around the SVG, where Chinese text flows as the browser
//! lays it out.

use std::fmt::Write;

use crate::html::escape;

/// Series colours (Okabe–Ito, told apart by colour-blind readers), in order.
pub const COLOURS: [&str; 6] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
];

/// A number as a Chinese reader writes it short: 190000 → 19万, 3.5 → 3.5, 120000000 → 1.2亿.
pub fn compact(v: f64) -> String {
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    let a = v.abs();
    if a >= 1e8 {
        format!("{}亿", trim(format!("{:.2}", v / 1e8)))
    } else if a >= 1e4 {
        format!("{}万", trim(format!("{:.2}", v / 1e4)))
    } else {
        trim(format!("{v:.2}"))
    }
}

/// Value-axis ticks for values up to `max`: a step of 1, 2, 2.5 or 5 times a power of ten,
/// and how many steps (at most 4) reach `max`.
pub fn nice_ticks(max: f64) -> (f64, u32) {
    if max.is_nan() || max <= 0.0 {
        return (1.0, 1);
    }
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    (step, ((max / step).ceil() as u32).max(1))
}

/// Columns, one per `(label, count)`, the count above each; `label`s are short (years).
pub fn columns(bars: &[(String, usize)], caption: &str) -> String {
    let (bar, gap, height, top, bottom) = (34.0, 10.0, 120.0, 16.0, 18.0);
    let width = (bars.len() as f64 * (bar + gap) + gap).max(120.0);
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" width="{width}" height="{}" viewBox="0 0 {width} {}"><title>{}</title>"#,
        top + height + bottom,
        top + height + bottom,
        escape(caption)
    );
    let _ = write!(
        svg,
        r##"<line x1="0" y1="{y}" x2="{width}" y2="{y}" stroke="#999"/>"##,
        y = top + height
    );
    for (k, (label, count)) in bars.iter().enumerate() {
        let x = gap + k as f64 * (bar + gap);
        let h = (*count as f64 / max * height).max(1.0);
        let y = top + height - h;
        let _ = write!(
            svg,
            r##"<rect x="{x}" y="{y:.1}" width="{bar}" height="{h:.1}" fill="{}"><title>{}：{count}</title></rect><text x="{cx}" y="{ty:.1}" text-anchor="middle" font-size="11">{count}</text><text x="{cx}" y="{ly}" text-anchor="middle" font-size="11">{}</text>"##,
            COLOURS[0],
            escape(label),
            escape(label),
            cx = x + bar / 2.0,
            ty = y - 3.0,
            ly = top + height + 13.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One line of a [`lines`] chart.
pub struct Series<'a> {
    /// Its colour.
    pub colour: &'a str,
    /// `(year, value, tooltip)`, by year.
    pub points: Vec<(u32, f64, String)>,
}

/// Amounts over the years (inline SVG in HTML needs no `xmlns`: the parser gives it its
/// namespace): one polyline per series, a dot per point with its tooltip,
/// years on the x axis from the first to the last, the value axis from 0.
pub fn lines(series: &[Series], caption: &str) -> String {
    let (width, height, left, right, top, bottom) = (340.0, 150.0, 44.0, 12.0, 10.0, 20.0);
    let years = series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let (first, last) = years.fold((u32::MAX, 0), |(a, b), y| (a.min(y), b.max(y)));
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(0.0f64, f64::max);
    let (step, ticks) = nice_ticks(max);
    let max = step * ticks as f64;
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let x_of = |year: u32| {
        if last == first {
            left + plot_w / 2.0
        } else {
            left + (year - first) as f64 / (last - first) as f64 * plot_w
        }
    };
    let y_of = |v: f64| top + plot_h - v / max * plot_h;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{}</title>"#,
        escape(caption)
    );
    for k in 0..=ticks {
        let v = step * k as f64;
        let y = y_of(v);
        let _ = write!(
            svg,
            r##"<line x1="{left}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end" font-size="10">{}</text>"##,
            width - right,
            left - 4.0,
            y + 3.5,
            compact(v)
        );
    }
    if first <= last {
        let step = ((last - first) / 6).max(1);
        let mut year = first;
        while year <= last {
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{}" text-anchor="middle" font-size="10">{year}</text>"#,
                x_of(year),
                height - 6.0
            );
            year += step;
        }
    }
    for s in series {
        let path: Vec<String> = s
            .points
            .iter()
            .map(|p| format!("{:.1},{:.1}", x_of(p.0), y_of(p.1)))
            .collect();
        if path.len() > 1 {
            let _ = write!(
                svg,
                r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>"#,
                path.join(" "),
                s.colour
            );
        }
        for (year, value, tip) in &s.points {
            let _ = write!(
                svg,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{}"><title>{}</title></circle>"#,
                x_of(*year),
                y_of(*value),
                s.colour,
                escape(tip)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(nice_ticks(190000.0), (50000.0, 4));
        assert_eq!(nice_ticks(100.0), (25.0, 4));
        assert_eq!(nice_ticks(7.0), (2.0, 4));
        assert_eq!(nice_ticks(0.0), (1.0, 1));
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(compact(190000.0), "19万");
        assert_eq!(compact(19000.0), "1.9万");
        assert_eq!(compact(8000.0), "8000");
        assert_eq!(compact(2.5), "2.5");
        assert_eq!(compact(120_000_000.0), "1.2亿");
    }

    #[test]
    fn a_line_chart_has_a_dot_per_point_and_a_line_per_series() {
        let svg = lines(
            &[Series {
                colour: COLOURS[0],
                points: vec![
                    (2023, 190000.0, "2023: 19万人".into()),
                    (2025, 8000.0, "<b>".into()),
                ],
            }],
            "两癌",
        );
        assert_eq!(svg.matches("<circle").count(), 2);
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert!(svg.contains("&lt;b&gt;") && !svg.contains("<b>"));
    }
}
