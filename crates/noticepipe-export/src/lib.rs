//! Tables people open, made from records: the items of every notice as one table
//! (`items.csv`, `items.xlsx`), who carries what (`units.csv`: one row per item, unit and
//! role), every amount the items state (`quantities.csv`), and the quarterly progress form
//! of each notice (`progress.xlsx`, one sheet per notice, pre-filled, printable on A4).
//!
//! The tables take notices, not records ([`by_notice`]): the DOCX, PDF and web page of one
//! notice give records with one `id`, and their rows appear once, naming every file.
//!
//! CSV files are UTF-8 with a byte-order mark (Excel opens Chinese text correctly only
//! then) and CRLF line ends (RFC 4180). Units in one cell are joined with "、". This crate
//! does no IO: it returns bytes for the caller to write.
//!
//! ```
//! use noticepipe_export::{items_csv, ITEM_COLUMNS};
//! let csv = items_csv(&[]);
//! assert!(csv.starts_with('\u{feff}'));
//! assert!(csv.contains(ITEM_COLUMNS[0]));
//! ```

mod progress;

use noticepipe_output::{Item, ItemField, Record};
pub use noticepipe_output::{NoticeFiles, by_notice};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

pub use progress::{PROGRESS_COLUMNS, PROGRESS_TITLE, progress_xlsx};

/// Why a table could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The XLSX writer refused the workbook.
    #[error("could not build the workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// Columns of `items.csv` / `items.xlsx`, in order. 文件 names every file the notice was
/// read from (joined with "、"); the 规范名称 columns hold the units' canonical full names
/// (`canonical_units`), in the order of the columns before them.
pub const ITEM_COLUMNS: [&str; 16] = [
    "文件",
    "发文机关",
    "发文字号",
    "年份",
    "文件标题",
    "成文日期",
    "序号",
    "类别",
    "实事名称",
    "牵头单位",
    "责任单位",
    "完成时限",
    "页码",
    "项目编号",
    "牵头单位（规范名称）",
    "责任单位（规范名称）",
];

/// Columns of `units.csv`, in order. 项目编号 is the item's `id` in the record: the key that
/// joins the tables (and the records), equal whichever format the notice came in.
pub const UNIT_COLUMNS: [&str; 8] = [
    "文件",
    "发文字号",
    "序号",
    "实事名称",
    "单位",
    "角色",
    "项目编号",
    "规范名称",
];

/// Columns of `quantities.csv`, one row per amount of an item (`items[].quantities`), in
/// order: the amount as written, its value (万/亿 multiplied out), the upper bound of a
/// range, the unit, the operator (=, >=, >, <=, ≈, range), and where it stands (the item
/// field and its character offsets).
pub const QUANTITY_COLUMNS: [&str; 13] = [
    "文件",
    "发文字号",
    "序号",
    "实事名称",
    "数量原文",
    "数值",
    "上限",
    "单位",
    "关系",
    "字段",
    "起",
    "止",
    "项目编号",
];

/// The role of a lead unit (牵头单位) in `units.csv`.
pub const LEAD: &str = "牵头";
/// The role of a responsible unit (责任单位) in `units.csv`.
pub const RESPONSIBLE: &str = "责任";

/// The 文件 cell of a notice: every file it was read from.
fn files_cell(notice: &NoticeFiles) -> String {
    notice.files.join("、")
}

/// The canonical names of `units`, joined as the units are (a unit the record maps to
/// nothing, as in records before 1.3, stands as written).
fn canonical_cell(item: &Item, units: &[String]) -> String {
    let names: Vec<&str> = units
        .iter()
        .map(|u| item.canonical_units.get(u).unwrap_or(u).as_str())
        .collect();
    names.join("、")
}

fn doc_number_cell(record: &Record) -> String {
    record
        .notice
        .doc_number
        .as_ref()
        .map(|d| d.text.clone())
        .unwrap_or_default()
}

/// One row per item of every notice, the cells of [`ITEM_COLUMNS`].
pub fn item_rows(notices: &[NoticeFiles]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for notice in notices {
        let record = notice.record;
        let n = &record.notice;
        let year = n
            .doc_number
            .as_ref()
            .map(|d| d.year.to_string())
            .or_else(|| n.date.as_ref().map(|d| d[..4].to_string()))
            .unwrap_or_default();
        let files = files_cell(notice);
        for item in &n.items {
            rows.push(vec![
                files.clone(),
                n.issuer.clone().unwrap_or_default(),
                doc_number_cell(record),
                year.clone(),
                n.title.clone().unwrap_or_default(),
                n.date.clone().unwrap_or_default(),
                item.number.to_string(),
                item.category.clone().unwrap_or_default(),
                item.title.clone(),
                item.lead_units.join("、"),
                item.responsible_units.join("、"),
                item.deadline.clone().unwrap_or_default(),
                page(item),
                item.id.clone(),
                canonical_cell(item, &item.lead_units),
                canonical_cell(item, &item.responsible_units),
            ]);
        }
    }
    rows
}

fn page(item: &Item) -> String {
    item.provenance
        .and_then(|p| p.page)
        .map(|p| p.to_string())
        .unwrap_or_default()
}

/// One row per (item, unit, role), the cells of [`UNIT_COLUMNS`]: leads first, then the
/// other units, as the record lists them.
pub fn unit_rows(notices: &[NoticeFiles]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for notice in notices {
        let files = files_cell(notice);
        let doc_number = doc_number_cell(notice.record);
        for item in &notice.record.notice.items {
            let roles = item
                .lead_units
                .iter()
                .map(|u| (u, LEAD))
                .chain(item.responsible_units.iter().map(|u| (u, RESPONSIBLE)));
            for (unit, role) in roles {
                rows.push(vec![
                    files.clone(),
                    doc_number.clone(),
                    item.number.to_string(),
                    item.title.clone(),
                    unit.clone(),
                    role.to_string(),
                    item.id.clone(),
                    item.canonical_units.get(unit).unwrap_or(unit).clone(),
                ]);
            }
        }
    }
    rows
}

/// One row per amount of every item, the cells of [`QUANTITY_COLUMNS`].
pub fn quantity_rows(notices: &[NoticeFiles]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for notice in notices {
        let files = files_cell(notice);
        let doc_number = doc_number_cell(notice.record);
        for item in &notice.record.notice.items {
            for q in &item.quantities {
                let (field, start, end) = match &q.span {
                    Some(span) => (
                        match span.field {
                            ItemField::Title => "title",
                            ItemField::Body => "body",
                        },
                        span.start.to_string(),
                        span.end.to_string(),
                    ),
                    None => ("", String::new(), String::new()),
                };
                rows.push(vec![
                    files.clone(),
                    doc_number.clone(),
                    item.number.to_string(),
                    item.title.clone(),
                    q.text.clone(),
                    number_cell(q.value),
                    q.max.map(number_cell).unwrap_or_default(),
                    q.unit.to_string(),
                    q.op.as_str().to_string(),
                    field.to_string(),
                    start,
                    end,
                    item.id.clone(),
                ]);
            }
        }
    }
    rows
}

/// A number as the record writes it: whole numbers without a fraction (16000, not 16000.0).
fn number_cell(v: f64) -> String {
    match noticepipe_output::as_whole_number(v) {
        Some(n) => n.to_string(),
        None => v.to_string(),
    }
}

/// `items.csv`.
pub fn items_csv(notices: &[NoticeFiles]) -> String {
    csv(&ITEM_COLUMNS, &item_rows(notices))
}

/// `units.csv`.
pub fn units_csv(notices: &[NoticeFiles]) -> String {
    csv(&UNIT_COLUMNS, &unit_rows(notices))
}

/// `quantities.csv`.
pub fn quantities_csv(notices: &[NoticeFiles]) -> String {
    csv(&QUANTITY_COLUMNS, &quantity_rows(notices))
}

/// A CSV document: BOM, header, rows; fields quoted where they hold a comma, a quote or a
/// line break.
fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from('\u{feff}');
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = &str>| {
        for (k, cell) in cells.enumerate() {
            if k > 0 {
                out.push(',');
            }
            if cell.contains([',', '"', '\n', '\r']) {
                out.push('"');
                out.push_str(&cell.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(cell);
            }
        }
        out.push_str("\r\n");
    };
    line(&mut out, &mut header.iter().copied());
    for row in rows {
        line(&mut out, &mut row.iter().map(String::as_str));
    }
    out
}

/// Widths (in characters) of the columns of `items.xlsx`.
const ITEM_WIDTHS: [f64; 16] = [
    24.0, 22.0, 18.0, 6.0, 36.0, 11.0, 5.0, 12.0, 30.0, 18.0, 30.0, 12.0, 5.0, 24.0, 22.0, 36.0,
];

/// `items.xlsx`: the rows of `items.csv` in one sheet, with a bold frozen header and a
/// filter on it.
pub fn items_xlsx(notices: &[NoticeFiles]) -> Result<Vec<u8>, ExportError> {
    let rows = item_rows(notices);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("实事项目")?;
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let cell = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    for (col, (name, width)) in ITEM_COLUMNS.iter().zip(ITEM_WIDTHS).enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, *name, &header)?;
        sheet.set_column_width(col, width)?;
    }
    // 年份, 序号 and 页码 are numbers to a spreadsheet (sorting, no "number stored as text").
    const NUMERIC: [usize; 3] = [3, 6, 12];
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, value) in row.iter().enumerate() {
            match value.parse::<f64>() {
                Ok(n) if NUMERIC.contains(&col) => {
                    sheet.write_number_with_format(r, col as u16, n, &cell)?
                }
                _ => sheet.write_string_with_format(r, col as u16, value, &cell)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, ITEM_COLUMNS.len() as u16 - 1)?;
    Ok(workbook.save_to_buffer()?)
}
