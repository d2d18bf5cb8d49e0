//! The real notices of corpus/: key blocks of each.

use docmodel::{BlockKind, Cell, Document, Extractor, FurnitureRole, Table};
use extract_docx::DocxExtractor;

macro_rules! corpus {
    ($name:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/", $name))
    };
}

fn extract(bytes: &[u8]) -> Document {
    DocxExtractor::default()
        .extract(bytes)
        .expect("the corpus file extracts")
}

fn paragraphs(doc: &Document) -> Vec<&str> {
    extract_docx::paragraphs(doc).collect()
}

fn tables(doc: &Document) -> Vec<&Table> {
    doc.blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn furniture(doc: &Document) -> Vec<(FurnitureRole, &str)> {
    doc.blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Furniture { role, text } => Some((*role, text.as_str())),
            _ => None,
        })
        .collect()
}

/// What holds for every corpus notice: header furniture first, the page number last,
/// neither's text among the paragraphs, ten typed items "一、" … "十、", core properties.
fn common(doc: &Document, header: &str, title: &str) {
    assert_eq!(
        furniture(doc),
        vec![
            (FurnitureRole::Header, header),
            (FurnitureRole::PageNumber, "— 1 —")
        ]
    );
    assert!(matches!(
        doc.blocks.first().map(|b| &b.kind),
        Some(BlockKind::Furniture { .. })
    ));
    assert!(matches!(
        doc.blocks.last().map(|b| &b.kind),
        Some(BlockKind::Furniture { .. })
    ));
    let paras = paragraphs(doc);
    for p in &paras {
        assert!(
            !p.contains(header) && !p.contains("— 1 —"),
            "furniture text in {p:?}"
        );
        assert!(!p.trim().is_empty());
    }
    let items: Vec<&str> = paras
        .iter()
        .filter_map(|p| p.split_once('、').map(|(n, _)| n))
        .filter(|n| !n.is_empty() && n.chars().all(|c| "一二三四五六七八九十".contains(c)))
        .collect();
    assert_eq!(
        items,
        ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    );
    assert_eq!(doc.info.title.as_deref(), Some(title));
    assert_eq!(doc.info.created.as_deref(), Some("2013-12-23T23:15:00Z"));
    assert!(
        doc.blocks
            .iter()
            .enumerate()
            .all(|(i, b)| b.prov.index as usize == i)
    );
}

#[test]
fn zichuan_2024() {
    let doc = extract(corpus!("2024-zichuan.docx"));
    common(
        &doc,
        "淄川区人民政府办公室文件",
        "关于2024年为全区妇女儿童办好十件实事的通知",
    );
    assert_eq!(doc.info.author.as_deref(), Some("淄川区人民政府办公室"));
    let paras = paragraphs(&doc);
    assert_eq!(paras.len(), 26);
    assert_eq!(
        paras[..5],
        [
            "淄川区人民政府办公室",
            "川政办字〔2024〕13号",
            "关于2024年为全区妇",
            "女儿童办好十件实事的通知",
            "各镇人民政府，各街道办事处，开发区管委会，区政府有关部门，有关单位：",
        ]
    );
    assert!(paras[6].starts_with("一、推进巾帼就业创业创新。年内举办"));
    assert!(paras[6].ends_with("（责任单位：区人社局、区妇联）"));
    assert_eq!(
        paras[18..24],
        [
            "附件：2024年为全区妇女儿童办实事工作进展情况报表",
            "淄川区人民政府办公室",
            "2024年3月28日",
            "（此件公开发布）",
            "附件",
            "2024年为全区妇女儿童办实事工作进展情况报表",
        ]
    );
    assert!(paras[24].starts_with("抄送：区委办公室"));
    assert_eq!(
        paras[25],
        "淄川区人民政府办公室\u{3000}\u{3000}\u{3000}\u{3000}2024年3月28日印发"
    );

    // The table sits between the table title and 抄送.
    let kinds: Vec<&BlockKind> = doc.body().map(|b| &b.kind).collect();
    assert!(matches!(kinds[24], BlockKind::Table(_)));
    assert_eq!(kinds[23], &BlockKind::Paragraph(paras[23].to_owned()));
    let t = tables(&doc);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].rows.len(), 11);
    assert!(t[0].rows.iter().all(|r| r.len() == 5));
    assert_eq!(
        t[0].rows[0],
        [
            Cell::new(["序号"]),
            Cell::new(["实事名称"]),
            Cell::new(["责任单位"]),
            Cell::new(["本季度具体措施及任务进度情况"]),
            Cell::new(["完成时限"]),
        ]
    );
    assert_eq!(
        t[0].rows[1],
        [
            Cell::new(["1"]),
            Cell::new(["推进巾帼就业创业创新"]),
            Cell::new(["区人社局", "区妇联"]),
            Cell::default(),
            Cell::default(),
        ]
    );
    assert_eq!(t[0].rows[10][0], Cell::new(["10"]));
    // the attachment starts after the page break
    let page_of = |text: &str| {
        doc.blocks
            .iter()
            .find(|b| b.kind == BlockKind::Paragraph(text.to_owned()))
            .unwrap()
            .prov
            .page
    };
    // The corpus files carry no lastRenderedPageBreak: their pages are unknown, not guessed
    // from explicit breaks.
    assert_eq!(page_of("（此件公开发布）"), None);
    assert_eq!(page_of("附件"), None);
}

#[test]
fn zibo_2023() {
    let doc = extract(corpus!("2023-zibo.docx"));
    common(
        &doc,
        "淄博市人民政府办公室文件",
        "关于2023年为全市妇女儿童办实事的通知",
    );
    let paras = paragraphs(&doc);
    assert_eq!(paras.len(), 18);
    assert_eq!(
        paras[..4],
        [
            "淄博市人民政府办公室",
            "淄政办字〔2023〕16号",
            "关于2023年为全市",
            "妇女儿童办实事的通知"
        ]
    );
    assert!(paras[6].starts_with("一、实施优质教育资源扩增赋能行动。"));
    assert_eq!(
        paras[17],
        "附件：2023年为全市妇女儿童办实事工作进展情况报表"
    );
    assert!(tables(&doc).is_empty());
}

#[test]
fn gaoxin_2024() {
    let doc = extract(corpus!("2024-gaoxin.docx"));
    common(
        &doc,
        "淄博高新技术产业开发区管理委员会办公室文件",
        "关于印发2024年为高新区妇女儿童办实事项目清单的通知",
    );
    let paras = paragraphs(&doc);
    assert_eq!(paras.len(), 24);
    assert_eq!(
        paras[..4],
        [
            "淄博高新技术产业开发区管理委员会办公室",
            "淄高新管办字【2024】7号",
            "关于印发2024年为高新区妇女儿童办实事",
            "项目清单的通知",
        ]
    );
    assert_eq!(paras[9], "2024年为高新区妇女儿童办实事项目清单");
    assert!(paras[10].starts_with("一、实施教育资源扩增优化工程。"));
    let t = tables(&doc);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].rows.len(), 11);
    assert!(t[0].rows.iter().all(|r| r.len() == 5));
    assert_eq!(
        t[0].rows[2][..3],
        [
            Cell::new(["2"]),
            Cell::new(["实施巾帼促就业计划"]),
            Cell::new(["组织人事部", "工业信息化和商务局", "人社中心"]),
        ]
    );
    // Two explicit page breaks but no rendered ones: no page is claimed.
    assert!(doc.body().all(|b| b.prov.page.is_none()));
}

#[test]
fn zibo_2025() {
    let doc = extract(corpus!("2025-zibo.docx"));
    common(
        &doc,
        "淄博市人民政府办公室文件",
        "关于印发2025年为全市妇女儿童办实事项目清单的通知",
    );
    let paras = paragraphs(&doc);
    assert_eq!(paras.len(), 22);
    assert_eq!(
        paras[..4],
        [
            "淄博市人民政府办公室",
            "淄政办字〔2025〕15 号",
            "关于印发2025年为全市妇女儿童办实事",
            "项目清单的通知",
        ]
    );
    assert_eq!(paras[8], "（此件公开发布）");
    assert_eq!(paras[9], "2025年为全市妇女儿童办实事项目清单");
    assert_eq!(
        paras[21],
        "附件：2025年为全市妇女儿童办实事工作进展情况报表"
    );
    assert!(tables(&doc).is_empty());
}

#[test]
fn linzi_2026() {
    let doc = extract(corpus!("2026-linzi.docx"));
    common(
        &doc,
        "临淄区人民政府办公室文件",
        "关于印发2026年为全区妇女儿童办实事项目清单的通知",
    );
    let paras = paragraphs(&doc);
    assert_eq!(paras.len(), 25);
    assert_eq!(paras[1], "临政办字〔2026〕2号");
    assert_eq!(paras[8], "(此件公开发布)");
    assert_eq!(
        paras[21],
        "联系电话：7220365，电子邮箱：lzqfl@zb.shandong.cn"
    );
    let t = tables(&doc);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].rows.len(), 11);
    assert_eq!(
        t[0].rows[1][2],
        Cell::new(["区人社局", "区妇联", "区商务局"])
    );
    assert_eq!(
        t[0].rows[9][2],
        Cell::new(["区妇联", "临淄公安分局", "区总工会", "区检察院", "区残联"])
    );
}
