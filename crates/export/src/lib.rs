//! Tables people open, made from records: the items of every notice as one table
//! (`items.csv`, `items.xlsx`), who carries what (`units.csv`: one row per item, unit and
//! role), and the quarterly progress form of each notice (`progress.xlsx`, one sheet per
//! notice, pre-filled, printable on A4).
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

use noticepipe_output::{Item, Record};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

pub use progress::{PROGRESS_COLUMNS, PROGRESS_TITLE, progress_xlsx};

/// Why a table could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The XLSX writer refused the workbook.
    #[error("could not build the workbook: {0}")]
    Xlsx(#[from] XlsxError),
}

/// Columns of `items.csv` / `items.xlsx`, in order.
pub const ITEM_COLUMNS: [&str; 14] = [
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
];

/// Columns of `units.csv`, in order. 项目编号 is the item's `id` in the record: the key that
/// joins the two tables (and the records), equal whichever format the notice came in.
pub const UNIT_COLUMNS: [&str; 7] = [
    "文件",
    "发文字号",
    "序号",
    "实事名称",
    "单位",
    "角色",
    "项目编号",
];

/// The role of a lead unit (牵头单位) in `units.csv`.
pub const LEAD: &str = "牵头";
/// The role of a responsible unit (责任单位) in `units.csv`.
pub const RESPONSIBLE: &str = "责任";

/// One row per item of every record, the cells of [`ITEM_COLUMNS`].
pub fn item_rows(records: &[Record]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for record in records {
        let n = &record.notice;
        let year = n
            .doc_number
            .as_ref()
            .map(|d| d.year.to_string())
            .or_else(|| n.date.as_ref().map(|d| d[..4].to_string()))
            .unwrap_or_default();
        for item in &n.items {
            rows.push(vec![
                record.source.path.clone(),
                n.issuer.clone().unwrap_or_default(),
                n.doc_number
                    .as_ref()
                    .map(|d| d.text.clone())
                    .unwrap_or_default(),
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
pub fn unit_rows(records: &[Record]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for record in records {
        let doc_number = record
            .notice
            .doc_number
            .as_ref()
            .map(|d| d.text.clone())
            .unwrap_or_default();
        for item in &record.notice.items {
            let roles = item
                .lead_units
                .iter()
                .map(|u| (u, LEAD))
                .chain(item.responsible_units.iter().map(|u| (u, RESPONSIBLE)));
            for (unit, role) in roles {
                rows.push(vec![
                    record.source.path.clone(),
                    doc_number.clone(),
                    item.number.to_string(),
                    item.title.clone(),
                    unit.clone(),
                    role.to_string(),
                    item.id.clone(),
                ]);
            }
        }
    }
    rows
}

/// `items.csv`.
pub fn items_csv(records: &[Record]) -> String {
    csv(&ITEM_COLUMNS, &item_rows(records))
}

/// `units.csv`.
pub fn units_csv(records: &[Record]) -> String {
    csv(&UNIT_COLUMNS, &unit_rows(records))
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
const ITEM_WIDTHS: [f64; 14] = [
    24.0, 22.0, 18.0, 6.0, 36.0, 11.0, 5.0, 12.0, 30.0, 18.0, 30.0, 12.0, 5.0, 24.0,
];

/// `items.xlsx`: the rows of `items.csv` in one sheet, with a bold frozen header and a
/// filter on it.
pub fn items_xlsx(records: &[Record]) -> Result<Vec<u8>, ExportError> {
    let rows = item_rows(records);
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
