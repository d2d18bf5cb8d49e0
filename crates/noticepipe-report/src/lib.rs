//! One self-contained HTML page about an archive of noticepipe records, in Chinese: notices
//! per year and per issuer, items per category, units ranked by the projects they lead and
//! carry (by canonical name, with the names seen), projects that recur across years (item
//! titles matched, the match shown) with their amounts over the years as small charts, and
//! every warning of every record linked to its file.
//!
//! [`render`] does no IO and keeps no state: records in, the page out, for `noticepipe
//! report` and for the service alike. The page fetches nothing: CSS and SVG are inline and
//! there is no script.
//!
//! ```
//! let page = noticepipe_report::render(&[], &noticepipe_report::ReportOptions::default());
//! assert!(page.starts_with("<!DOCTYPE html>") && page.contains("0</b> 份通知"));
//! ```
//!
//! # Notices, not files
//!
//! Files with the same record `id` (the DOCX, PDF and TXT of one notice) are one notice:
//! counts, the unit ranking and the recurring projects use the first of them by path; the
//! notice list names every file, and the warnings are every file's.
//!
//! # Recurring projects
//!
//! Item titles are normalized ([`normalize_title`]: digits and 年/年度 after them, the
//! [`GENERIC_WORDS`] such as 实施 and 行动, and punctuation removed) and two titles match when
//! the Dice coefficient of their character-bigram sets reaches [`MATCH_THRESHOLD`] (0.6);
//! groups are closed under matching (if A matches B and B matches C, all three are one
//! project). A group is shown when its items come from notices of two or more years. Pairs
//! are not all compared: equal normalized titles are compared once, and candidates come
//! from prefix filtering on the rarest bigrams ([`group_titles`]), so the work grows with
//! the pairs of *distinct* titles that share a rare bigram — in the worst case (every title
//! different and sharing its rarest bigrams with all others) quadratic in the distinct
//! titles, in practice near-linear.
//!
//! Amounts are charted per unit as written, but 名 and 人 are one (head counts); ranges
//! (35—64岁) and ages (…岁) are not charted. One line per issuer, one point per issuer
//! and year: the first amount of that unit in the group's items of that notice.
//!
//! # Plain SVG, not plotters
//!
//! Both were tried for the line chart. plotters 0.3.7 with only its SVG backend and line
//! and point series takes four crates more (plotters, plotters-backend, plotters-svg,
//! num-traits) and ~20 lines a chart, but writes ~6.4 KB for a four-point chart (every
//! label a separately styled `<text>`), rescales font sizes by its own text metrics (14 px
//! asked, 11.29 px written), and cannot give a point a tooltip. The SVG written here
//! (`svg.rs`, ~150 lines for both chart kinds) is under 2 KB for the same chart, needs no
//! crate, and puts each amount as written in a `<title>` the browser shows on hover.
//! Chinese text renders the same either way (the browser's fonts draw `<text>`); legends
//! and captions are HTML, laid out by the browser.

mod html;
mod matching;
mod svg;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;
use std::sync::LazyLock;

use noticepipe_output::{Item, QuantityOp, Record, WarningCode};

pub use html::{escape, path_href, relative_href};
pub use matching::{
    GENERIC_WORDS, MATCH_THRESHOLD, group_titles, normalize_title, title_similarity,
};

/// Issuers listed (most notices first); the rest are counted in one line.
pub const MAX_ISSUERS: usize = 100;
/// Categories listed (most items first).
pub const MAX_CATEGORIES: usize = 100;
/// Units listed in the ranking.
pub const MAX_UNITS: usize = 200;
/// Recurring projects shown (most years first).
pub const MAX_GROUPS: usize = 200;
/// Titles as written listed for one recurring project.
pub const MAX_TITLES_PER_GROUP: usize = 20;
/// Charts for one recurring project (one per unit, the units found in most years first).
pub const MAX_CHARTS_PER_GROUP: usize = 3;
/// Lines in one chart (the issuers with most points first).
pub const MAX_SERIES: usize = svg::COLOURS.len();

/// What the caller chooses about the page.
pub struct ReportOptions<'a> {
    /// The page's title and heading.
    pub title: &'a str,
    /// How a record's `source.path` becomes the `href` of its links; `None`:
    /// [`path_href`] of the path as written.
    pub href: Option<&'a dyn Fn(&str) -> String>,
}

impl Default for ReportOptions<'_> {
    fn default() -> Self {
        ReportOptions {
            title: "为妇女儿童办实事通知汇总",
            href: None,
        }
    }
}

/// A notice: the records of one `id`, the first (by path) standing for it.
struct Notice<'a> {
    record: &'a Record,
    /// The paths of its files.
    files: Vec<&'a str>,
    year: Option<u32>,
}

fn year_of(record: &Record) -> Option<u32> {
    let n = &record.notice;
    n.doc_number.as_ref().map(|d| d.year).or_else(|| {
        n.date
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok())
    })
}

fn issuer_label(record: &Record) -> &str {
    record.notice.issuer.as_deref().unwrap_or("（未注明）")
}

/// The page about `records`. Deterministic: the same records in any order give the same
/// page.
pub fn render(records: &[Record], options: &ReportOptions) -> String {
    let mut sorted: Vec<&Record> = records.iter().collect();
    sorted.sort_by(|a, b| a.source.path.cmp(&b.source.path).then(a.id.cmp(&b.id)));
    let mut notices: Vec<Notice> = noticepipe_output::by_notice(sorted.iter().copied(), false)
        .into_iter()
        .map(|n| Notice {
            record: n.record,
            files: n.files,
            year: year_of(n.record),
        })
        .collect();
    notices.sort_by(|a, b| {
        (
            a.year.is_none(),
            a.year,
            issuer_label(a.record),
            &a.record.source.path,
        )
            .cmp(&(
                b.year.is_none(),
                b.year,
                issuer_label(b.record),
                &b.record.source.path,
            ))
    });
    let href = |path: &str| match options.href {
        Some(f) => f(path),
        None => path_href(path),
    };

    let items: usize = notices.iter().map(|n| n.record.notice.items.len()).sum();
    let warnings: usize = sorted.iter().map(|r| r.notice.warnings.len()).sum();
    let years: BTreeSet<u32> = notices.iter().filter_map(|n| n.year).collect();

    let mut page = String::with_capacity(64 * 1024 + records.len() * 600);
    let title = escape(options.title);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"noticepipe\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{title}</h1>\n"
    );
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b} 年"),
        (Some(a), _) => format!("{a} 年"),
        _ => "年份不明".to_string(),
    };
    let _ = writeln!(
        page,
        "<p class=\"summary\">共 <b id=\"notice-count\" data-notices=\"{}\">{}</b> 份通知（来自 <b data-files=\"{}\">{}</b> 个文件，\
         同一通知的不同文件按记录 id 只计一次），<b>{items}</b> 个项目，{span}，警告 <b>{warnings}</b> 条。</p>",
        notices.len(),
        notices.len(),
        sorted.len(),
        sorted.len()
    );
    page.push_str(
        "<nav><a href=\"#years\">年份</a> · <a href=\"#issuers\">发文机关</a> · <a href=\"#categories\">类别</a> · \
         <a href=\"#units\">单位排名</a> · <a href=\"#recurring\">跨年项目</a> · <a href=\"#notices\">通知一览</a> · \
         <a href=\"#warnings\">警告</a> · <a href=\"#method\">方法与限制</a></nav>\n</header>\n",
    );

    page.push_str("<div class=\"overview\">\n");
    years_section(&mut page, &notices);
    issuers_section(&mut page, &notices);
    categories_section(&mut page, &notices);
    page.push_str("</div>\n");
    units_section(&mut page, &notices);
    recurring_section(&mut page, &notices);
    notices_section(&mut page, &notices, &href);
    warnings_section(&mut page, &sorted, &href);
    method_section(&mut page);
    page.push_str("</body>\n</html>\n");
    page
}

fn years_section(page: &mut String, notices: &[Notice]) {
    let mut counts: BTreeMap<Option<u32>, usize> = BTreeMap::new();
    for n in notices {
        *counts.entry(n.year).or_default() += 1;
    }
    // Known years in order, then the notices without one.
    let mut bars: Vec<(String, usize)> = counts
        .iter()
        .filter_map(|(y, c)| y.map(|y| (y.to_string(), *c)))
        .collect();
    if let Some(c) = counts.get(&None) {
        bars.push(("不明".to_string(), *c));
    }
    page.push_str("<section id=\"years\">\n<h2>各年通知数</h2>\n");
    if bars.is_empty() {
        page.push_str("<p class=\"none\">没有通知。</p>\n");
    } else {
        page.push_str("<figure>");
        page.push_str(&svg::columns(&bars, "各年通知数"));
        page.push_str(
            "<figcaption>年份取发文字号的年份，没有发文字号时取成文日期的年份。</figcaption></figure>\n",
        );
    }
    page.push_str("</section>\n");
}

/// A table of `(name, count)` rows with a bar each, the first `max` of them, and a line
/// for the rest.
fn counted_table(page: &mut String, class: &str, head: &str, rows: &[(&str, usize)], max: usize) {
    let top = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let _ = writeln!(
        page,
        "<table class=\"{class}\"><thead><tr><th>{head}</th><th class=\"n\">数量</th><th class=\"bar\"></th></tr></thead><tbody>"
    );
    for (name, count) in rows.iter().take(max) {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"n\">{count}</td><td class=\"bar\"><span style=\"width:{:.1}%\"></span></td></tr>",
            escape(name),
            *count as f64 / top as f64 * 100.0
        );
    }
    if rows.len() > max {
        let rest: usize = rows[max..].iter().map(|r| r.1).sum();
        let _ = writeln!(
            page,
            "<tr class=\"rest\"><td>其余 {} 个</td><td class=\"n\">{rest}</td><td></td></tr>",
            rows.len() - max
        );
    }
    page.push_str("</tbody></table>\n");
}

fn by_count_then_name(counts: HashMap<&str, usize>) -> Vec<(&str, usize)> {
    let mut rows: Vec<(&str, usize)> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    rows
}

fn issuers_section(page: &mut String, notices: &[Notice]) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for n in notices {
        let issuers = &n.record.notice.issuers;
        if issuers.is_empty() {
            *counts.entry(issuer_label(n.record)).or_default() += 1;
        }
        for issuer in issuers {
            *counts.entry(issuer).or_default() += 1;
        }
    }
    page.push_str(
        "<section id=\"issuers\">\n<h2>各发文机关通知数</h2>\n<p class=\"note\">联合发文计入每个发文机关。</p>\n",
    );
    counted_table(
        page,
        "issuers",
        "发文机关",
        &by_count_then_name(counts),
        MAX_ISSUERS,
    );
    page.push_str("</section>\n");
}

fn categories_section(page: &mut String, notices: &[Notice]) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for n in notices {
        for item in &n.record.notice.items {
            *counts
                .entry(item.category.as_deref().unwrap_or("（未分类）"))
                .or_default() += 1;
        }
    }
    page.push_str(
        "<section id=\"categories\">\n<h2>各类别项目数</h2>\n<p class=\"note\">类别是通知里项目所在的分类标题（如“健康保障类”）；一级清单的项目没有类别。</p>\n",
    );
    counted_table(
        page,
        "categories",
        "类别",
        &by_count_then_name(counts),
        MAX_CATEGORIES,
    );
    page.push_str("</section>\n");
}

/// A unit's canonical name in `item`: its `canonical_units` entry, else the name as
/// written.
fn canonical<'a>(item: &'a Item, written: &'a str) -> &'a str {
    item.canonical_units
        .get(written)
        .map(String::as_str)
        .unwrap_or(written)
}

#[derive(Default)]
struct UnitCount<'a> {
    lead: usize,
    carry: usize,
    /// Names as written → projects.
    names: BTreeMap<&'a str, usize>,
}

fn units_section(page: &mut String, notices: &[Notice]) {
    let mut units: HashMap<&str, UnitCount> = HashMap::new();
    for n in notices {
        for item in &n.record.notice.items {
            // Each canonical unit counted once per item and role, whatever names it had.
            let mut counted: Vec<(&str, bool)> = Vec::new();
            let roles = item
                .lead_units
                .iter()
                .map(|u| (u, true))
                .chain(item.responsible_units.iter().map(|u| (u, false)));
            for (written, lead) in roles {
                let name = canonical(item, written);
                let unit = units.entry(name).or_default();
                *unit.names.entry(written).or_default() += 1;
                if !counted.contains(&(name, lead)) {
                    counted.push((name, lead));
                    if lead {
                        unit.lead += 1;
                    } else {
                        unit.carry += 1;
                    }
                }
            }
        }
    }
    let mut ranked: Vec<(&str, UnitCount)> = units.into_iter().collect();
    ranked.sort_by(|a, b| {
        (b.1.lead + b.1.carry, b.1.lead, a.0).cmp(&(a.1.lead + a.1.carry, a.1.lead, b.0))
    });
    let _ = write!(
        page,
        "<section id=\"units\">\n<h2>单位排名（按规范名称）</h2>\n<p class=\"note\">按牵头和参与（责任、配合）的项目数排名；同一单位的不同写法（如“区卫健局”“区卫生健康局”）按记录的 canonical_units 归为一个规范名称，“文中写法”列出每种写法及其项目数。共 {} 个单位。</p>\n\
         <table class=\"units\">{UNITS_HEAD}<tbody>\n",
        ranked.len()
    );
    for (k, (name, unit)) in ranked.iter().take(MAX_UNITS).enumerate() {
        if k == UNITS_OPEN {
            let _ = write!(
                page,
                "</tbody></table>\n<details><summary>其余 {} 个单位</summary>\n<table class=\"units\">{UNITS_HEAD}<tbody>\n",
                ranked.len() - UNITS_OPEN
            );
        }
        let names: Vec<String> = unit
            .names
            .iter()
            .map(|(n, c)| format!("{}（{c}）", escape(n)))
            .collect();
        let _ = writeln!(
            page,
            "<tr><td class=\"n\">{}</td><td class=\"unit\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"names\">{}</td></tr>",
            k + 1,
            escape(name),
            unit.lead,
            unit.carry,
            unit.lead + unit.carry,
            names.join("、")
        );
    }
    if ranked.len() > MAX_UNITS {
        let _ = writeln!(
            page,
            "<tr class=\"rest\"><td></td><td colspan=\"5\">其余 {} 个单位未列出</td></tr>",
            ranked.len() - MAX_UNITS
        );
    }
    page.push_str("</tbody></table>\n");
    if ranked.len() > UNITS_OPEN {
        page.push_str("</details>\n");
    }
    page.push_str("</section>\n");
}

/// The units shown before the rest of the ranking, which is folded.
const UNITS_OPEN: usize = 20;
const UNITS_HEAD: &str = "<thead><tr><th class=\"n\">名次</th><th>单位（规范名称）</th><th class=\"n\">牵头</th><th class=\"n\">参与</th><th class=\"n\">合计</th><th>文中写法</th></tr></thead>";

/// The unit an amount is charted under, or `None` for what is not charted.
fn chart_unit(unit: &str, op: QuantityOp) -> Option<&str> {
    if op == QuantityOp::Range || unit.ends_with('岁') || unit.is_empty() {
        return None;
    }
    Some(match unit {
        "名" | "人" => "人（名）",
        unit => unit,
    })
}

fn recurring_section(page: &mut String, notices: &[Notice]) {
    let mut refs: Vec<(usize, usize)> = Vec::new();
    let mut titles: Vec<&str> = Vec::new();
    for (k, n) in notices.iter().enumerate() {
        for (i, item) in n.record.notice.items.iter().enumerate() {
            refs.push((k, i));
            titles.push(&item.title);
        }
    }
    let group_of = group_titles(&titles, MATCH_THRESHOLD);
    let count = group_of.iter().max().map_or(0, |m| m + 1);
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (k, g) in group_of.iter().enumerate() {
        groups[*g].push(k);
    }
    let mut recurring: Vec<(BTreeSet<u32>, Vec<usize>)> = groups
        .into_iter()
        .map(|members| {
            let years = members
                .iter()
                .filter_map(|&m| notices[refs[m].0].year)
                .collect();
            (years, members)
        })
        .filter(|(years, _): &(BTreeSet<u32>, _)| years.len() >= 2)
        .collect();
    recurring.sort_by(|a, b| {
        (b.0.len(), b.1.len(), titles[a.1[0]]).cmp(&(a.0.len(), a.1.len(), titles[b.1[0]]))
    });
    let _ = write!(
        page,
        "<section id=\"recurring\">\n<h2>跨年重复的项目</h2>\n<p class=\"note\">不同年份通知里名称相近的项目归为一个项目：名称去掉数字、年份、标点和“{}”等通用词后，\
         按两字组（相邻两个字）的 Dice 系数 ≥ {MATCH_THRESHOLD} 判为相近，相近关系可传递。列出出现在两个及以上年份的项目（共 {} 个），以及每个项目归入的名称（写法、年份、次数），\
         和各年的数量（每个发文机关一条线，名和人合并计）。</p>\n",
        GENERIC_WORDS[..4].join("”“"),
        recurring.len()
    );
    if recurring.is_empty() {
        page.push_str("<p class=\"none\">没有在两个及以上年份出现的项目。</p>\n");
    }
    for (years, members) in recurring.iter().take(MAX_GROUPS) {
        group_article(page, notices, &refs, &titles, years, members);
    }
    if recurring.len() > MAX_GROUPS {
        let _ = writeln!(
            page,
            "<p class=\"rest\">其余 {} 个跨年项目未列出。</p>",
            recurring.len() - MAX_GROUPS
        );
    }
    page.push_str("</section>\n");
}

/// The amounts of one unit in a recurring project: (issuer, year) → (value, tooltip).
type Points<'a> = BTreeMap<(&'a str, u32), (f64, String)>;
/// A point of a chart line: year, value, tooltip.
type Point = (u32, f64, String);

/// One recurring project's `<article>`: its titles as written (count and years), then a
/// chart per unit of its amounts over the years. Long because it writes the article's HTML
/// in page order, the titles table and the charts sharing the group's members.
fn group_article(
    page: &mut String,
    notices: &[Notice],
    refs: &[(usize, usize)],
    titles: &[&str],
    years: &BTreeSet<u32>,
    members: &[usize],
) {
    // Titles as written: the years and count of each, the commonest first.
    let mut written: HashMap<&str, (usize, BTreeSet<u32>)> = HashMap::new();
    for &m in members {
        let entry = written.entry(titles[m]).or_default();
        entry.0 += 1;
        entry.1.extend(notices[refs[m].0].year);
    }
    let mut written: Vec<(&str, (usize, BTreeSet<u32>))> = written.into_iter().collect();
    written.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.1.1.cmp(&b.1.1)).then(a.0.cmp(b.0)));
    let years_text: Vec<String> = years.iter().map(u32::to_string).collect();
    let _ = write!(
        page,
        "<article class=\"group\">\n<h3>{}</h3>\n<p class=\"meta\">{} 个年份（{}），{} 个项目</p>\n\
         <table class=\"titles\"><thead><tr><th>归入的名称</th><th>年份</th><th class=\"n\">次数</th></tr></thead><tbody>\n",
        escape(written[0].0),
        years.len(),
        years_text.join("、"),
        members.len()
    );
    for (title, (count, years)) in written.iter().take(MAX_TITLES_PER_GROUP) {
        let years: Vec<String> = years.iter().map(u32::to_string).collect();
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{count}</td></tr>",
            escape(title),
            years.join("、")
        );
    }
    if written.len() > MAX_TITLES_PER_GROUP {
        let _ = writeln!(
            page,
            "<tr class=\"rest\"><td colspan=\"3\">其余 {} 种写法</td></tr>",
            written.len() - MAX_TITLES_PER_GROUP
        );
    }
    page.push_str("</tbody></table>\n");

    // Amounts: unit → (issuer, year) → the first amount of that unit.
    let mut amounts: BTreeMap<&str, Points> = BTreeMap::new();
    for &m in members {
        let (k, i) = refs[m];
        let Some(year) = notices[k].year else {
            continue;
        };
        let issuer = issuer_label(notices[k].record);
        let item = &notices[k].record.notice.items[i];
        for q in &item.quantities {
            if let Some(unit) = chart_unit(&q.unit, q.op) {
                amounts
                    .entry(unit)
                    .or_default()
                    .entry((issuer, year))
                    .or_insert_with(|| {
                        (
                            q.value,
                            format!("{year} {issuer}：{}（{}）", q.text, item.title),
                        )
                    });
            }
        }
    }
    let mut charted: Vec<(&str, &Points, usize)> = amounts
        .iter()
        .map(|(unit, points)| {
            let years: BTreeSet<u32> = points.keys().map(|k| k.1).collect();
            (*unit, points, years.len())
        })
        .filter(|c| c.2 >= 2)
        .collect();
    charted.sort_by(|a, b| (b.2, b.1.len(), a.0).cmp(&(a.2, a.1.len(), b.0)));
    if charted.is_empty() {
        page.push_str("<p class=\"none\">没有两个及以上年份可比的数量。</p>\n");
    } else {
        page.push_str("<div class=\"charts\">\n");
    }
    for (unit, points, _) in charted.iter().take(MAX_CHARTS_PER_GROUP) {
        let mut by_issuer: BTreeMap<&str, Vec<Point>> = BTreeMap::new();
        for ((issuer, year), (value, tip)) in points.iter() {
            by_issuer
                .entry(issuer)
                .or_default()
                .push((*year, *value, tip.clone()));
        }
        let mut by_issuer: Vec<(&str, Vec<Point>)> = by_issuer.into_iter().collect();
        by_issuer.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        let left_out = by_issuer.len().saturating_sub(MAX_SERIES);
        by_issuer.truncate(MAX_SERIES);
        let series: Vec<svg::Series> = by_issuer
            .iter()
            .zip(svg::COLOURS)
            .map(|((_, points), colour)| svg::Series {
                colour,
                points: points.clone(),
            })
            .collect();
        let caption = format!("{}：各年数量（{}）", written[0].0, unit);
        let _ = write!(
            page,
            "<figure class=\"amounts\">{}<figcaption>单位：{}<ul class=\"legend\">",
            svg::lines(&series, &caption),
            escape(unit)
        );
        for ((issuer, points), colour) in by_issuer.iter().zip(svg::COLOURS) {
            let values: Vec<String> = points
                .iter()
                .map(|(y, v, _)| format!("{y}: {}", svg::compact(*v)))
                .collect();
            let _ = write!(
                page,
                "<li><i style=\"background:{colour}\"></i>{}（{}）</li>",
                escape(issuer),
                values.join("，")
            );
        }
        page.push_str("</ul>");
        if left_out > 0 {
            let _ = write!(
                page,
                "<span class=\"rest\">另有 {left_out} 个发文机关未画出</span>"
            );
        }
        page.push_str("</figcaption></figure>\n");
    }
    if !charted.is_empty() {
        page.push_str("</div>\n");
    }
    page.push_str("</article>\n");
}

fn file_link(page: &mut String, path: &str, href: &dyn Fn(&str) -> String) {
    let _ = write!(
        page,
        "<a class=\"file\" href=\"{}\">{}</a>",
        escape(&href(path)),
        escape(path)
    );
}

fn notices_section(page: &mut String, notices: &[Notice], href: &dyn Fn(&str) -> String) {
    let _ = write!(
        page,
        "<section id=\"notices\">\n<h2>通知一览</h2>\n<details{}><summary>{} 份通知</summary>\n\
         <table class=\"notices\"><thead><tr><th>年份</th><th>发文机关</th><th>发文字号</th><th>标题</th><th class=\"n\">项目</th><th>文件</th></tr></thead><tbody>\n",
        if notices.len() <= 100 { " open" } else { "" },
        notices.len()
    );
    for n in notices {
        let r = &n.record.notice;
        let _ = write!(
            page,
            "<tr class=\"notice\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>",
            n.year.map(|y| y.to_string()).unwrap_or_default(),
            escape(issuer_label(n.record)),
            escape(r.doc_number.as_ref().map_or("", |d| d.text.as_str())),
            escape(r.title.as_deref().unwrap_or("")),
            r.items.len()
        );
        for (k, file) in n.files.iter().enumerate() {
            if k > 0 {
                page.push_str("<br>");
            }
            file_link(page, file, href);
        }
        page.push_str("</td></tr>\n");
    }
    page.push_str("</tbody></table>\n</details>\n</section>\n");
}

/// The Chinese of every warning and error code: a label each, and templates that read a
/// warning's message into Chinese. The one table the report and the service's page both use.
pub const ZH_TEXTS: &str = include_str!("../data/zh.json");

/// The Chinese name of a warning code (the code is shown beside it), from [`ZH_TEXTS`].
pub fn warning_label(code: WarningCode) -> &'static str {
    static LABELS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
        let texts: serde_json::Value = serde_json::from_str(ZH_TEXTS).expect("zh.json is JSON");
        texts["warnings"]
            .as_object()
            .expect("zh.json has its warnings")
            .iter()
            .filter_map(|(code, text)| Some((code.clone(), text["label"].as_str()?.to_string())))
            .collect()
    });
    LABELS.get(&code_name(code)).map_or("", String::as_str)
}

/// A code's name as the record writes it (serde's).
fn code_name(code: WarningCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

fn warnings_section(page: &mut String, records: &[&Record], href: &dyn Fn(&str) -> String) {
    let mut by_code: BTreeMap<String, (WarningCode, usize)> = BTreeMap::new();
    let mut files = 0;
    for r in records {
        files += usize::from(!r.notice.warnings.is_empty());
        for w in &r.notice.warnings {
            by_code.entry(code_name(w.code)).or_insert((w.code, 0)).1 += 1;
        }
    }
    let total: usize = by_code.values().map(|v| v.1).sum();
    let _ = write!(
        page,
        "<section id=\"warnings\">\n<h2>警告</h2>\n<p class=\"note\">每个文件的每条警告，链接到该文件（共 {total} 条，涉及 {files} 个文件）。</p>\n"
    );
    if total == 0 {
        page.push_str("<p class=\"none\">没有警告。</p>\n</section>\n");
        return;
    }
    page.push_str("<ul class=\"codes\">");
    for (name, (code, count)) in &by_code {
        let _ = write!(
            page,
            "<li>{}（<code>{name}</code>）：{count}</li>",
            warning_label(*code)
        );
    }
    page.push_str("</ul>\n<table class=\"warnings\"><thead><tr><th>文件</th><th>警告</th><th class=\"n\">项目</th><th>说明</th></tr></thead><tbody>\n");
    for r in records {
        for w in &r.notice.warnings {
            page.push_str("<tr class=\"warning\"><td>");
            file_link(page, &r.source.path, href);
            let _ = writeln!(
                page,
                "</td><td>{}<br><code>{}</code></td><td class=\"n\">{}</td><td>{}</td></tr>",
                warning_label(w.code),
                code_name(w.code),
                w.item.map(|i| i.to_string()).unwrap_or_default(),
                escape(&w.message)
            );
        }
    }
    page.push_str("</tbody></table>\n</section>\n");
}

fn method_section(page: &mut String) {
    let _ = write!(
        page,
        "<section id=\"method\">\n<h2>方法与限制</h2>\n<ul>\n\
         <li>同一通知的多个文件（记录 id 相同）只计一次；警告按文件列出。</li>\n\
         <li>年份取发文字号的年份，没有发文字号时取成文日期的年份；两者皆无的通知计入“不明”，不参与跨年比较。</li>\n\
         <li>单位按记录中的 canonical_units 归并为规范名称；记录没有给出规范名称的，按原写法计。附件表的单位不另计（与项目重复）。</li>\n\
         <li>跨年项目：名称去掉数字、年份、标点和通用词（{}）后，两字组 Dice 系数 ≥ {MATCH_THRESHOLD} 即判为同一项目，并可传递；名称改动较大的同一项目可能找不到，名称相近的不同项目可能被归在一起，请看“归入的名称”。</li>\n\
         <li>数量按原单位比较（只把“名”和“人”合并），不换算；范围（如 35—64岁）和年龄不画图。每个发文机关每年取该项目中这一单位的第一个数量。</li>\n\
         <li>列出的上限：发文机关 {MAX_ISSUERS} 个，类别 {MAX_CATEGORIES} 个，单位 {MAX_UNITS} 个（前 {UNITS_OPEN} 个展开），跨年项目 {MAX_GROUPS} 个，每个项目的名称 {MAX_TITLES_PER_GROUP} 种、图 {MAX_CHARTS_PER_GROUP} 张、每张图 {MAX_SERIES} 条线；通知和警告全部列出。</li>\n\
         <li>本页不联网、不含脚本；链接指向生成本页时记录中的文件路径，文件移动后链接会失效。</li>\n</ul>\n</section>\n",
        GENERIC_WORDS.join("、")
    );
}

const STYLE: &str = "
body{font-family:'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif;margin:0 auto;max-width:1100px;padding:0 16px 40px;color:#222;line-height:1.5}
h1{font-size:1.6em;margin:.8em 0 .2em}h2{font-size:1.25em;border-bottom:2px solid #0072B2;padding-bottom:2px;margin-top:1.6em}h3{font-size:1.05em;margin:.2em 0}
nav{font-size:.9em;margin:.4em 0 1em}nav a,a{color:#0059a0}
.summary b{font-size:1.15em}.note,.meta,figcaption{color:#555;font-size:.88em}.none,.rest{color:#777;font-size:.9em}
table{border-collapse:collapse;margin:.4em 0;font-size:.9em}th,td{border-bottom:1px solid #e3e3e3;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f6f9}
td.n,th.n{text-align:right;white-space:nowrap}td.bar{width:140px}td.bar span{display:inline-block;height:11px;background:#56B4E9}
td.names{color:#555}table.warnings td:first-child,table.notices td:last-child{word-break:break-all;max-width:320px}
figure{margin:.4em 0}.overview{display:flex;flex-wrap:wrap;gap:0 28px}.overview>section{flex:1 1 300px;min-width:0}svg.chart text{fill:#333;font-family:inherit}
article.group{border:1px solid #e3e3e3;border-radius:6px;padding:8px 12px;margin:10px 0;display:flex;flex-wrap:wrap;align-items:flex-start;gap:0 24px}article.group>h3,article.group>p{flex-basis:100%}
.charts{display:flex;flex-wrap:wrap;gap:12px}.charts figure{margin:0;max-width:360px}
ul.legend{list-style:none;padding:0;margin:2px 0}ul.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
ul.codes{font-size:.9em}code{font-size:.85em;color:#666}
@media print{nav{display:none}details{display:block}}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_labels_come_from_the_shared_chinese_table() {
        assert_eq!(code_name(WarningCode::UnitsMismatch), "units_mismatch");
        assert_eq!(
            warning_label(WarningCode::UnitsMismatch),
            "单位与附件表不一致"
        );
        // (The service's page tests that the table labels every code.)
        assert!(!warning_label(WarningCode::MetadataMismatch).is_empty());
    }
}
