//! Seven real State Council documents built as numbered measures with unit notes
//! (../shared/real-gov, read where it exists, never copied into the project): the measures
//! and their units come out as a reader of the documents counts them. The expectations
//! were checked by hand against the texts (see SOURCES.md there for each document's forms).

use std::path::PathBuf;

use noticepipe_output::Record;
use noticepipe_tests::record_of_bytes;

fn real_gov() -> Option<PathBuf> {
    noticepipe_tests::shared_material(noticepipe_tests::Material::RealGov)
}

fn record(dir: &std::path::Path, stem: &str) -> Record {
    let path = dir.join(format!("{stem}.txt"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    record_of_bytes(&path.to_string_lossy(), &bytes)
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn noted(r: &Record) -> usize {
    r.notice
        .items
        .iter()
        .filter(|i| !i.units_notes.is_empty())
        .count()
}

fn missing_units(r: &Record) -> Vec<u32> {
    r.notice
        .warnings
        .iter()
        .filter(|w| w.code == noticepipe_output::WarningCode::MissingUnits)
        .filter_map(|w| w.item)
        .collect()
}

#[test]
fn a_flat_list_of_thirty_with_verb_notes() {
    let Some(dir) = real_gov() else { return };
    let r = record(&dir, "01_guobanfa_2018_117_ducha_jili_30cuoshi");
    let n = &r.notice;
    assert_eq!(n.issuer.as_deref(), Some("国务院办公厅"));
    assert_eq!(n.doc_number.as_ref().unwrap().text, "国办发〔2018〕117号");
    assert_eq!(n.date.as_deref(), Some("2018-12-06"));
    assert_eq!(n.publicity.as_deref(), Some("此件公开发布"));
    assert_eq!(n.items.len(), 30);
    assert_eq!(noted(&r), 30);
    assert_eq!(n.items[0].responsible_units, s(&["市场监管总局"]));
    assert_eq!(n.items[29].responsible_units, s(&["国务院办公厅"]));
    // （国家发展改革委会同有关部门负责）: the placeholder is not a unit.
    assert!(
        n.items
            .iter()
            .all(|i| i.responsible_units.iter().all(|u| !u.contains("有关部门")))
    );
    assert!(n.warnings.is_empty(), "{:?}", n.warnings);
}

#[test]
fn numbering_running_on_under_sections_with_the_first_unit_as_lead() {
    let Some(dir) = real_gov() else { return };
    let r = record(&dir, "02_guofa_2018_39_cujin_jiuye");
    let n = &r.notice;
    assert_eq!(n.items.len(), 15);
    assert_eq!(n.items[0].category.as_deref(), Some("支持企业稳定发展"));
    // 列第一位者为牵头单位，下同: the first note and every later one.
    assert_eq!(n.items[0].lead_units, s(&["人力资源社会保障部"]));
    assert_eq!(n.items[0].responsible_units, s(&["财政部"]));
    assert_eq!(n.items[1].lead_units, s(&["财政部"]));
    assert_eq!(
        n.items[1].responsible_units,
        s(&["工业和信息化部", "人民银行", "银保监会"])
    );
    // Item 13's note names only 各有关部门和单位: a note, but no organ.
    assert_eq!(noted(&r), 15);
    assert_eq!(missing_units(&r), vec![13]);
}

#[test]
fn arabic_items_under_run_in_subheads_are_the_measures() {
    let Some(dir) = real_gov() else { return };
    let r = record(&dir, "03_guofa_2019_3_zonghe_baoshuiqu");
    let n = &r.notice;
    let numbers: Vec<u32> = n.items.iter().map(|i| i.number).collect();
    assert_eq!(numbers, (1..=21).collect::<Vec<_>>());
    assert_eq!(noted(&r), 21);
    // （税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）
    assert_eq!(n.items[0].lead_units, s(&["税务总局"]));
    assert_eq!(n.items[0].responsible_units, s(&["财政部", "海关总署"]));
    assert!(n.items.iter().all(|i| i.category.is_some()));
    assert!(n.warnings.is_empty(), "{:?}", n.warnings);
}

#[test]
fn measures_without_notes_stay_in_a_run_on_list_and_are_flagged() {
    let Some(dir) = real_gov() else { return };
    let r = record(&dir, "04_guofa_2018_42_nongji_zhuanxing");
    assert_eq!(r.notice.items.len(), 20);
    assert_eq!(r.notice.items[0].title, "指导思想");
    assert_eq!(r.notice.items[1].title, "发展目标");
    assert_eq!(missing_units(&r), vec![1, 2]);
    // （工业和信息化部、发展改革委、科技部、农业农村部等负责。列第一位者为牵头单位，下同）
    assert!(r.notice.items[2..].iter().all(|i| !i.lead_units.is_empty()));
    // （农业农村部、工业和信息化部牵头负责）: 牵头负责 makes both leads, the rule none.
    assert_eq!(
        r.notice.items[17].lead_units,
        s(&["农业农村部", "工业和信息化部"])
    );
    assert!(r.notice.items[17].responsible_units.is_empty());
    let single = r.notice.items[2..]
        .iter()
        .filter(|i| i.lead_units.len() == 1);
    assert_eq!(single.count(), 17);
}

#[test]
fn several_notes_inside_one_measure_are_united() {
    let Some(dir) = real_gov() else { return };
    let r = record(&dir, "05_guobanfa_2018_121_tiyu_jingsai_biaoyan");
    let n = &r.notice;
    assert_eq!(n.items.len(), 19);
    assert_eq!(noted(&r), 16);
    assert_eq!(missing_units(&r), vec![1, 2, 3]);
    let notes: Vec<usize> = [10, 13, 18]
        .iter()
        .map(|&k| n.items[k - 1].units_notes.len())
        .collect();
    assert_eq!(notes, vec![3, 3, 2]);
    assert_eq!(
        n.items[18].responsible_units,
        s(&["体育总局", "人民银行", "银保监会", "证监会", "财政部"])
    );
}

#[test]
fn long_unit_lists_ending_in_provincial_governments() {
    let Some(dir) = real_gov() else { return };
    let r = record(&dir, "06_guobanfa_2018_129_xiaofei_fupin");
    let n = &r.notice;
    assert_eq!(n.items.len(), 17);
    assert_eq!(noted(&r), 17);
    let first = &n.items[0].responsible_units;
    assert!(first.contains(&"全国总工会".to_string()), "{first:?}");
    assert!(
        first.contains(&"中央和国家机关工委".to_string()),
        "{first:?}"
    );
    assert_eq!(first.last().map(String::as_str), Some("各省级人民政府"));
    assert!(
        n.items[1]
            .responsible_units
            .contains(&"各有关省级人民政府".to_string())
    );
}

#[test]
fn a_plan_after_its_cover_letter_keeps_the_noted_list_only() {
    let Some(dir) = real_gov() else { return };
    let r = record(&dir, "07_guobanfa_2018_128_wufei_chengshi_fangan");
    let n = &r.notice;
    assert_eq!(n.date.as_deref(), Some("2018-12-29"));
    // The six tasks of 二、主要任务, not the （一）… of 总体要求, 实施步骤 or 保障措施.
    assert_eq!(n.items.len(), 6);
    assert_eq!(n.items[0].title, "强化顶层设计引领，发挥政府宏观指导作用");
    assert_eq!(n.items[0].lead_units, s(&["生态环境部"]));
    let r0 = &n.items[0].responsible_units;
    assert_eq!(r0[..2], s(&["国家发展改革委", "工业和信息化部"]));
    assert!(r0.contains(&"试点城市政府".to_string()));
    assert!(
        !r0.contains(&"生态环境部".to_string()),
        "a lead is not repeated"
    );
    assert!(
        n.items
            .iter()
            .all(|i| !i.units_notes.is_empty() && i.category.is_none())
    );
    assert!(n.warnings.is_empty(), "{:?}", n.warnings);
}
