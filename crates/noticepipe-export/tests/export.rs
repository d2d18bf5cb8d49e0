//! The export tables, read back: CSV by hand, XLSX with calamine, from the golden records
//! of the five samples.

use std::path::Path;

use calamine::{Data, Reader, Xlsx};
use noticepipe_export::{
    ITEM_COLUMNS, NoticeFiles, PROGRESS_COLUMNS, PROGRESS_TITLE, QUANTITY_COLUMNS, UNIT_COLUMNS,
    by_notice, items_csv, items_xlsx, progress_xlsx, quantities_csv, units_csv,
};
use noticepipe_output::Record;

/// Each record its own notice (the samples are three different notices).
fn each(records: &[Record]) -> Vec<NoticeFiles<'_>> {
    by_notice(records, true)
}

fn golden(name: &str) -> Record {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/golden")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn samples() -> Vec<Record> {
    [
        "2024-zichuan.txt.json",
        "2025-zibo.pdf.json",
        "2024-gaoxin.docx.json",
    ]
    .iter()
    .map(|n| golden(n))
    .collect()
}

/// Splits a CSV document into rows of fields (quotes and doubled quotes understood).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

fn read_xlsx(bytes: Vec<u8>) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook calamine reads")
}

fn text(cell: Option<&Data>) -> String {
    match cell {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other:?}"),
    }
}

#[test]
fn items_csv_has_one_row_per_item_with_the_documents_fields() {
    let records = samples();
    let csv = items_csv(&each(&records));
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
    let rows = parse_csv(csv.trim_start_matches('\u{feff}'));
    assert_eq!(rows[0], ITEM_COLUMNS);
    let items: usize = records.iter().map(|r| r.notice.items.len()).sum();
    assert_eq!(rows.len(), items + 1);
    // 2024-zichuan item 1, as its record has it.
    assert_eq!(
        rows[1],
        vec![
            "corpus/2024-zichuan.txt",
            "淄川区人民政府办公室",
            "川政办字〔2024〕13号",
            "2024",
            "关于2024年为全区妇女儿童办好十件实事的通知",
            "2024-03-28",
            "1",
            "",
            "推进巾帼就业创业创新",
            "",
            "区人社局、区妇联",
            "",
            "",
            records[0].notice.items[0].id.as_str(),
            "",
            // The contract's expansions of 人社局 and 妇联, the level prefix kept.
            "区人力资源和社会保障局、区妇女联合会",
        ]
    );
    assert!(rows[1][13].starts_with("np-") && rows[1][13].ends_with("-1"));
    // The PDF record's items carry their page.
    let pdf_row = rows.iter().find(|r| r[0].ends_with(".pdf")).unwrap();
    assert!(!pdf_row[12].is_empty(), "{pdf_row:?}");
}

#[test]
fn units_csv_has_one_row_per_item_unit_and_role() {
    let records = samples();
    let rows = parse_csv(units_csv(&each(&records)).trim_start_matches('\u{feff}'));
    assert_eq!(rows[0], UNIT_COLUMNS);
    let units: usize = records
        .iter()
        .flat_map(|r| &r.notice.items)
        .map(|i| i.lead_units.len() + i.responsible_units.len())
        .sum();
    assert_eq!(rows.len(), units + 1);
    let item_id = records[0].notice.items[0].id.as_str();
    assert_eq!(
        rows[1][2..],
        [
            "1",
            "推进巾帼就业创业创新",
            "区人社局",
            "责任",
            item_id,
            "区人力资源和社会保障局"
        ]
    );
}

#[test]
fn fields_with_commas_quotes_and_line_breaks_survive_a_round_trip() {
    let mut record = golden("2024-zichuan.txt.json");
    record.notice.items[0].title = "甲,乙\"丙\"\n丁".into();
    let rows = parse_csv(items_csv(&each(&[record])).trim_start_matches('\u{feff}'));
    assert_eq!(rows[1][8], "甲,乙\"丙\"\n丁");
}

#[test]
fn items_xlsx_holds_the_csv_rows_with_numbers_as_numbers() {
    let records = samples();
    let mut book = read_xlsx(items_xlsx(&each(&records)).unwrap());
    let sheet = book.worksheet_range("实事项目").unwrap();
    let csv = parse_csv(items_csv(&each(&records)).trim_start_matches('\u{feff}'));
    assert_eq!(sheet.height(), csv.len());
    for (r, row) in csv.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            assert_eq!(&text(sheet.get((r, c))), value, "row {r} column {c}");
        }
    }
    assert!(
        matches!(sheet.get((1, 6)), Some(Data::Float(_))),
        "序号 is a number"
    );
}

#[test]
fn progress_xlsx_has_a_prefilled_sheet_per_notice() {
    let records = samples();
    let mut book = read_xlsx(progress_xlsx(&each(&records)).unwrap());
    assert_eq!(
        book.sheet_names(),
        vec![
            "川政办字〔2024〕13号",
            "淄政办字〔2025〕15号",
            "淄高新管办字〔2024〕7号"
        ]
    );
    for record in &records {
        let name = &record.notice.doc_number.as_ref().unwrap().text;
        let sheet = book.worksheet_range(name).unwrap();
        assert_eq!(text(sheet.get((0, 0))), PROGRESS_TITLE);
        let notice = text(sheet.get((1, 0)));
        assert!(notice.ends_with(&format!("（{name}）")), "{notice}");
        let header: Vec<String> = (0..PROGRESS_COLUMNS.len())
            .map(|c| text(sheet.get((3, c))))
            .collect();
        assert_eq!(header, PROGRESS_COLUMNS);
        for (k, item) in record.notice.items.iter().enumerate() {
            let row = 4 + k;
            assert_eq!(text(sheet.get((row, 0))), item.number.to_string());
            assert_eq!(text(sheet.get((row, 1))), item.title);
            // The form goes to the units: their canonical names.
            let canonical: Vec<&str> = item
                .responsible_units
                .iter()
                .map(|u| item.canonical_units[u].as_str())
                .collect();
            assert_eq!(text(sheet.get((row, 3))), canonical.join("、"));
            for c in 5..PROGRESS_COLUMNS.len() {
                assert_eq!(text(sheet.get((row, c))), "", "progress columns are empty");
            }
        }
    }
}

#[test]
fn sheet_names_stay_unique_and_within_excel_limits() {
    let mut a = golden("2024-zichuan.txt.json");
    a.notice.doc_number = None;
    a.source.path = "dir/[一个非常非常长的文件名，超过了三十一个字符的限制？]*.txt".into();
    let b = a.clone();
    let mut book = read_xlsx(progress_xlsx(&each(&[a, b])).unwrap());
    let names = book.sheet_names();
    assert_eq!(names.len(), 2);
    assert_ne!(names[0], names[1]);
    for n in &names {
        assert!(
            n.chars().count() <= 31 && !n.contains(['[', ']', '*', '?', '/']),
            "{n}"
        );
    }
    assert!(book.worksheet_range(&names[1]).is_ok());
}

#[test]
fn the_files_of_one_notice_give_one_row_set_naming_them_all() {
    let records: Vec<Record> = [
        "2024-zichuan.docx.json",
        "2024-zichuan.pdf.json",
        "2024-zichuan.txt.json",
    ]
    .iter()
    .map(|n| golden(n))
    .collect();
    let one = parse_csv(items_csv(&by_notice(&records, false)).trim_start_matches('\u{feff}'));
    let items = records[0].notice.items.len();
    assert_eq!(one.len(), items + 1, "one row set");
    assert_eq!(
        one[1][0],
        "corpus/2024-zichuan.docx、corpus/2024-zichuan.pdf、corpus/2024-zichuan.txt"
    );
    let kept = parse_csv(items_csv(&by_notice(&records, true)).trim_start_matches('\u{feff}'));
    assert_eq!(kept.len(), 3 * items + 1, "--keep-duplicates");
}

#[test]
fn quantities_csv_has_one_row_per_amount() {
    let records = [golden("2025-zibo.txt.json")];
    let rows = parse_csv(quantities_csv(&each(&records)).trim_start_matches('\u{feff}'));
    assert_eq!(rows[0], QUANTITY_COLUMNS);
    let amounts: usize = records[0]
        .notice
        .items
        .iter()
        .map(|i| i.quantities.len())
        .sum();
    assert_eq!(rows.len(), amounts + 1);
    // 2025-zibo item 2, read from the notice: 不低于3万元 is 30000 元, at least.
    let grant = rows.iter().find(|r| r[4] == "不低于3万元").unwrap();
    assert_eq!(grant[2], "2");
    assert_eq!(grant[5..9], ["30000", "", "元", ">="]);
    let range = rows.iter().find(|r| r[4] == "35—64岁").unwrap();
    assert_eq!(range[5..9], ["35", "64", "岁", "range"]);
    assert_eq!(range[9], "body");
}
