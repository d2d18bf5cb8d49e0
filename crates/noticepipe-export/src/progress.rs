//! The quarterly progress form (实事项目推进情况表): one sheet per notice, its items
//! pre-filled, the progress columns empty for the responsible units to fill in, set up to
//! print on A4 landscape, one page wide, the header repeated on every page.

use noticepipe_output::{NoticeFiles, Record};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

use crate::ExportError;

/// Columns of each sheet, in order.
pub const PROGRESS_COLUMNS: [&str; 10] = [
    "序号",
    "实事名称",
    "牵头单位",
    "责任单位",
    "完成时限",
    "一季度进展",
    "二季度进展",
    "三季度进展",
    "四季度进展",
    "备注",
];

const WIDTHS: [f64; 10] = [5.0, 26.0, 16.0, 24.0, 11.0, 18.0, 18.0, 18.0, 18.0, 10.0];
/// Rows above the column header: the form's title, the notice it follows, and the line the
/// filing unit fills in.
const HEADER_ROW: u32 = 3;
/// The form's title, in its first row.
pub const PROGRESS_TITLE: &str = "实事项目推进情况表";
/// Excel's limit on a sheet name, in characters.
const MAX_SHEET_NAME: usize = 31;

/// `progress.xlsx` for `notices`, one sheet each. The unit columns give the canonical full
/// names (`canonical_units`): the form goes to the units themselves.
pub fn progress_xlsx(notices: &[NoticeFiles]) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let title_format = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let cell = Format::new()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    let centred = cell.clone().set_align(FormatAlign::Center);
    let mut names: Vec<String> = Vec::new();
    for notice in notices {
        let record = notice.record;
        let name = sheet_name(record, &names);
        names.push(name.clone());
        let sheet = workbook.add_worksheet();
        sheet.set_name(&name)?;
        let n = &record.notice;
        let last_col = PROGRESS_COLUMNS.len() as u16 - 1;
        sheet.merge_range(0, 0, 0, last_col, PROGRESS_TITLE, &title_format)?;
        sheet.set_row_height(0, 30)?;
        let notice = match (&n.title, &n.doc_number) {
            (Some(t), Some(d)) => format!("{t}（{}）", d.text),
            (Some(t), None) => t.clone(),
            (None, Some(d)) => d.text.clone(),
            (None, None) => record.source.path.clone(),
        };
        sheet.merge_range(1, 0, 1, last_col, &notice, &Format::new())?;
        sheet.write_string(2, 0, "填报单位（盖章）：")?;
        sheet.write_string(2, 6, "填报日期：    年  月  日")?;
        for (col, (column, width)) in PROGRESS_COLUMNS.iter().zip(WIDTHS).enumerate() {
            sheet.write_string_with_format(HEADER_ROW, col as u16, *column, &header)?;
            sheet.set_column_width(col as u16, width)?;
        }
        for (k, item) in n.items.iter().enumerate() {
            let row = HEADER_ROW + 1 + k as u32;
            sheet.write_number_with_format(row, 0, f64::from(item.number), &centred)?;
            sheet.write_string_with_format(row, 1, &item.title, &cell)?;
            let lead = crate::canonical_cell(item, &item.lead_units);
            sheet.write_string_with_format(row, 2, lead, &cell)?;
            let units = crate::canonical_cell(item, &item.responsible_units);
            sheet.write_string_with_format(row, 3, units, &cell)?;
            let deadline = item.deadline.as_deref().unwrap_or("");
            sheet.write_string_with_format(row, 4, deadline, &centred)?;
            for col in 5..=last_col {
                sheet.write_blank(row, col, &cell)?;
            }
            sheet.set_row_height(row, 48)?;
        }
        sheet.set_landscape();
        sheet.set_paper_size(9); // A4
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
        sheet.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    }
    if notices.is_empty() {
        workbook.add_worksheet();
    }
    Ok(workbook.save_to_buffer()?)
}

/// A sheet name: the 发文字号, else the file name, without the characters Excel forbids,
/// at most 31 characters, and unique in the workbook.
fn sheet_name(record: &Record, taken: &[String]) -> String {
    let base = record
        .notice
        .doc_number
        .as_ref()
        .map(|d| d.text.clone())
        .unwrap_or_else(|| {
            let path = &record.source.path;
            path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
        });
    let clean: String = base
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(MAX_SHEET_NAME)
        .collect();
    let clean = if clean.is_empty() {
        "notice".to_string()
    } else {
        clean
    };
    let mut name = clean.clone();
    let mut k = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!("({k})");
        let room = MAX_SHEET_NAME - suffix.chars().count();
        name = clean.chars().take(room).collect::<String>() + &suffix;
        k += 1;
    }
    name
}
