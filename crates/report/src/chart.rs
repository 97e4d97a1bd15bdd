//! SVG charts of the dashboard, drawn with charts-rs: the one-stop on-time
//! rate by unit, the models by field, and the headline counts beside the
//! same period a year earlier.
//!
//! The library writes its own value labels with a decimal point ("98.1"),
//! so the Vietnamese figures ("98,1%", "1.022") go into the category names
//! we write, and the library's labels are left off. Text reaches the SVG
//! escaped by the library (a test parses the result).

use charts_rs::{HorizontalBarChart, Series, THEME_LIGHT};

use crate::dashboard::{FieldCount, Figure, Headline, UnitOnTime};

/// The font the SVG names: Times New Roman or its metric twin, as the
/// state format asks for documents.
pub const FONT: &str = "Liberation Serif, Times New Roman, serif";

/// What an empty chart says.
const EMPTY: &str = "Chưa có số liệu";

const WIDTH: f32 = 720.0;

/// Height of a horizontal bar chart with `rows` categories.
fn height(rows: usize, per_row: f32) -> f32 {
    (90.0 + per_row * rows as f32).max(180.0)
}

/// A chart with nothing to draw (or that failed to draw): its title and
/// "Chưa có số liệu", still a well-formed SVG.
fn empty(title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"80\" viewBox=\"0 0 {WIDTH} 80\">\
         <text x=\"{x}\" y=\"24\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\" font-family=\"{FONT}\" fill=\"#464646\">{}</text>\
         <text x=\"{x}\" y=\"60\" text-anchor=\"middle\" font-size=\"14\" font-family=\"{FONT}\" fill=\"#6E7079\">{EMPTY}</text></svg>",
        escape(title),
        x = WIDTH / 2.0
    )
}

fn or_empty(svg: Result<String, charts_rs::Error>, title: &str) -> String {
    svg.unwrap_or_else(|_| empty(title))
}

/// A horizontal bar chart with our size, font and title, the first
/// category on top (the library draws the first at the bottom).
fn horizontal(
    title: &str,
    mut series: Vec<Series>,
    mut names: Vec<String>,
    per_row: f32,
) -> HorizontalBarChart {
    names.reverse();
    for s in &mut series {
        s.data.reverse();
    }
    let rows = names.len();
    let mut c = HorizontalBarChart::new_with_theme(series, names, THEME_LIGHT);
    c.width = WIDTH;
    c.height = height(rows, per_row);
    c.font_family = FONT.to_string();
    c.title.text = title.to_string();
    c
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Tỷ lệ hồ sơ giải quyết đúng hạn by unit: one horizontal bar per unit,
/// per cent on a 0–100 axis, the rate written after the unit's name. A
/// unit with nothing resolved has no bar and "—".
pub fn on_time_by_unit_svg(rows: &[UnitOnTime]) -> String {
    let title = "Tỷ lệ hồ sơ giải quyết đúng hạn theo đơn vị";
    if rows.is_empty() {
        return empty(title);
    }
    let names: Vec<String> = rows
        .iter()
        .map(|r| format!("{} ({})", r.unit.name, r.rate_text))
        .collect();
    let data: Vec<Option<f32>> = rows.iter().map(|r| r.rate.map(|v| v as f32)).collect();
    let series = vec![Series::new_nullable("Tỷ lệ đúng hạn".to_string(), data)];
    let mut c = horizontal(title, series, names, 26.0);
    c.legend.show = Some(false);
    // 0, 20, … 100: whole numbers, so no decimal point to localise.
    if let Some(axis) = c.y_axis_configs.first_mut() {
        axis.min = Some(0.0);
        axis.max = Some(100.0);
        axis.split_number = 5;
        axis.formatter = Some("{c}%".to_string());
    }
    or_empty(c.svg(), title)
}

/// Mô hình "Dân vận khéo" by field: one bar per field, the count written
/// after the field's name (the value axis is hidden: it would group
/// thousands with a comma).
pub fn models_by_field_svg(rows: &[FieldCount]) -> String {
    let title = "Mô hình \"Dân vận khéo\" theo lĩnh vực";
    if rows.is_empty() {
        return empty(title);
    }
    let names: Vec<String> = rows
        .iter()
        .map(|r| format!("{} ({})", r.label, r.text))
        .collect();
    let data: Vec<f32> = rows.iter().map(|r| r.count as f32).collect();
    let series = vec![Series::new("Số mô hình".to_string(), data)];
    let mut c = horizontal(title, series, names, 34.0);
    c.legend.show = Some(false);
    c.x_axis.hidden = true;
    if let Some(axis) = c.y_axis_configs.first_mut() {
        axis.min = Some(0.0);
    }
    or_empty(c.svg(), title)
}

/// The headline counts now and in the same period a year earlier: two
/// bars per indicator, each pair scaled to its larger value (a count of
/// reception turns and one of models share no scale), the figures
/// written in the category name. Rates are left to the table.
pub fn headline_comparison_svg(headline: &[Headline], now: &str, before: &str) -> String {
    let title = "So sánh với cùng kỳ năm trước";
    let counts: Vec<(&Headline, i64, i64)> = headline
        .iter()
        .filter_map(|h| match (&h.current, &h.previous) {
            (Figure::Count { value: a, .. }, Figure::Count { value: b, .. }) => Some((h, *a, *b)),
            _ => None,
        })
        .collect();
    let names: Vec<String> = counts
        .iter()
        .map(|(h, _, _)| format!("{}: {} / {}", h.label, h.current.text(), h.previous.text()))
        .collect();
    let share = |v: i64, max: i64| {
        if max == 0 {
            0.0
        } else {
            (v as f64 * 100.0 / max as f64) as f32
        }
    };
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for (_, x, y) in &counts {
        let max = (*x).max(*y);
        a.push(share(*x, max));
        b.push(share(*y, max));
    }
    if counts.is_empty() {
        return empty(title);
    }
    let series = vec![
        Series::new(now.to_string(), a),
        Series::new(before.to_string(), b),
    ];
    let mut c = horizontal(title, series, names, 40.0);
    c.x_axis.hidden = true;
    if let Some(axis) = c.y_axis_configs.first_mut() {
        axis.min = Some(0.0);
        axis.max = Some(100.0);
    }
    or_empty(c.svg(), title)
}
