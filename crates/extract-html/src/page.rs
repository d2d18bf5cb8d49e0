//! What the page says about itself: `<title>`, the meta tags government CMSs write
//! (`ArticleTitle`, `PubDate`, `ContentSource`, `SiteName`, `ColumnName`, `Keywords`), and
//! the info box printed around the article (索引号：…, 发布日期：…), label and value as
//! written.

use docmodel::{LabelValue, PageInfo, is_han};
use scraper::{Html, Node, Selector};

use crate::walk::collapse;

/// Labels that name the page's tools or the reader's place on the site, not the article.
const NOT_INFO: &[&str] = &[
    "当前位置",
    "您现在的位置",
    "您的位置",
    "现在位置",
    "字号",
    "字体",
    "分享到",
    "浏览次数",
    "访问量",
    "点击数",
    "阅读次数",
    "打印",
];

/// Most label/value pairs kept from the info box.
const MAX_INFO: usize = 32;

type NodeRef<'a> = ego_tree::NodeRef<'a, Node>;

/// Elements a heading search looks at before the article (its previous siblings and
/// theirs of its ancestors, nearest first).
const HEADING_LOOKBACK: usize = 12;

/// The article's heading when the page prints it outside the article container (TRS and
/// many provincial templates: `<h1>` or `class="title"` above the body): the nearest
/// heading-like element before the article, unless the article's first paragraphs already
/// repeat it (see [`repeats`]). `opening` is the article's first paragraphs. Only the nearest heading-like
/// element is considered: a site name in an `<h1>` further up is not the article's.
pub fn outside_heading(article: NodeRef, opening: &[&str]) -> Option<(ego_tree::NodeId, String)> {
    let squeezed = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let opening: Vec<String> = opening.iter().map(|p| squeezed(p)).collect();
    let mut seen = 0;
    let mut at = article;
    loop {
        let prev = match at.prev_sibling() {
            Some(p) => p,
            None => {
                at = at.parent()?;
                continue;
            }
        };
        at = prev;
        let Some(e) = prev.value().as_element() else {
            continue;
        };
        seen += 1;
        if seen > HEADING_LOOKBACK {
            return None;
        }
        // The heading itself, or the last heading inside a header block beside the article
        // (`<header><h1>…</h1></header><div class="body">`: fixtures/real/*-opc-*.html).
        let heading = if crate::hints::is_heading(e) {
            Some(prev)
        } else {
            prev.descendants()
                .filter(|d| d.value().as_element().is_some_and(crate::hints::is_heading))
                .last()
        };
        let Some(prev) = heading else {
            continue;
        };
        let text = collapse(&crate::walk::subtree_text(prev));
        let n = text.chars().count();
        if !(6..=100).contains(&n) || text.contains(['：', ':']) {
            continue;
        }
        return (!repeats(&opening, &squeezed(&text))).then_some((prev.id(), text));
    }
}

/// Whether the article's opening paragraphs repeat `heading`: one of them, or two or three
/// in a row joined (a title broken over lines), holds it whole or is its end (a page heading
/// often puts the issuer before the title the article prints under its letterhead:
/// "某市人民政府办公室关于…的通知" over "关于…的通知"). A paragraph that merely quotes part of
/// it does not count.
fn repeats(opening: &[String], heading: &str) -> bool {
    (0..opening.len()).any(|i| {
        (1..=3).filter(|k| i + k <= opening.len()).any(|k| {
            let joined: String = opening[i..i + k].concat();
            joined.chars().count() >= 6 && (heading.ends_with(&joined) || joined.contains(heading))
        })
    })
}

/// The `<title>` text, collapsed.
pub fn title(doc: &Html) -> Option<String> {
    let selector = Selector::parse("title").expect("parses");
    let text = collapse(&doc.select(&selector).next()?.text().collect::<String>());
    (!text.is_empty()).then_some(text)
}

/// The CMS meta tags, and the info box's pairs read from `lines` (the page's text
/// before the article, one line per block or table row).
pub fn info(doc: &Html, lines: &[String]) -> Option<PageInfo> {
    let selector = Selector::parse("meta[name][content]").expect("parses");
    let mut page = PageInfo::default();
    for meta in doc.select(&selector) {
        let e = meta.value();
        let (Some(name), Some(content)) = (e.attr("name"), e.attr("content")) else {
            continue;
        };
        let content = collapse(content);
        if content.is_empty() {
            continue;
        }
        let slot = match name.to_ascii_lowercase().as_str() {
            "articletitle" => &mut page.article_title,
            "pubdate" => &mut page.pub_date,
            "contentsource" => &mut page.content_source,
            "sitename" => &mut page.site_name,
            "columnname" => &mut page.column,
            "keywords" => &mut page.keywords,
            _ => continue,
        };
        slot.get_or_insert(content);
    }
    for line in lines {
        for pair in pairs(line) {
            if page.info.len() < MAX_INFO && !page.info.contains(&pair) {
                page.info.push(pair);
            }
        }
    }
    (page != PageInfo::default()).then_some(page)
}

/// "索引号： 000014349/2018-00174 主题分类： 综合政务" → two pairs. A label is 2–8
/// characters of Chinese text ending in a colon; a value runs to the next label.
/// Breadcrumbs (a value with `>` or `»`) and tool labels are no info.
fn pairs(line: &str) -> Vec<LabelValue> {
    let mut out: Vec<LabelValue> = Vec::new();
    for token in spaced_labels_joined(line) {
        let token = token.as_str();
        let labelled = token
            .split_once(['：', ':'])
            .filter(|(label, _)| is_label(label));
        match (labelled, out.last_mut()) {
            (Some((label, value)), _) => out.push(LabelValue {
                label: label.to_string(),
                value: value.to_string(),
            }),
            (None, Some(last)) => {
                if !last.value.is_empty() {
                    last.value.push(' ');
                }
                last.value.push_str(token);
            }
            (None, None) => {}
        }
    }
    out.retain(|p| {
        !p.value.is_empty()
            && !p.value.contains(['>', '»', '＞'])
            && !NOT_INFO.contains(&p.label.as_str())
    });
    out
}

/// The line's tokens, with labels spaced out to fill a column ("标　　题：", "索 引 号：")
/// put back together: single characters followed by a labelled token join it.
fn spaced_labels_joined(line: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut pending = String::new();
    for token in line.split_whitespace() {
        let single_han = token.chars().count() == 1 && token.chars().all(is_han);
        if single_han {
            pending.push_str(token);
            continue;
        }
        let labelled = token
            .split_once(['：', ':'])
            .is_some_and(|(l, _)| !l.is_empty() && l.chars().all(is_han));
        if labelled {
            out.push(std::mem::take(&mut pending) + token);
        } else {
            out.extend(pending.chars().map(String::from));
            pending.clear();
            out.push(token.to_string());
        }
    }
    out.extend(pending.chars().map(String::from));
    out
}

fn is_label(label: &str) -> bool {
    let n = label.chars().count();
    (2..=8).contains(&n) && label.chars().all(is_han)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_is_repeated_whole_split_or_without_its_issuer() {
        let v = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let heading = "某市人民政府办公室关于做好妇女儿童工作的通知";
        assert!(repeats(
            &v(&[
                "某市人民政府办公室",
                "某政办字〔2025〕1号",
                "关于做好妇女儿童工作的通知"
            ]),
            heading
        ));
        assert!(repeats(
            &v(&["某市人民政府办公室关于做好", "妇女儿童工作的通知"]),
            heading
        ));
        assert!(!repeats(
            &v(&[
                "各区县：",
                "《做好妇女儿童工作的通知》已经同意，现印发给你们。"
            ]),
            heading
        ));
    }

    #[test]
    fn info_pairs() {
        let p = pairs(
            "索引号： 000014349/2018-00174 主题分类： 综合政务 发布日期：2018年12月10日 10:00",
        );
        let got: Vec<(&str, &str)> = p
            .iter()
            .map(|p| (p.label.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("索引号", "000014349/2018-00174"),
                ("主题分类", "综合政务"),
                ("发布日期", "2018年12月10日 10:00")
            ]
        );
        assert!(pairs("当前位置：首页 > 政务公开 > 通知公告").is_empty());
        let spaced =
            pairs("标\u{3000}\u{3000}题：关于印发的通知 索 引 号：113703000041881375/2025-00015");
        assert_eq!(spaced[0].label, "标题");
        assert_eq!(spaced[1].label, "索引号");
        assert_eq!(pairs("索 引 号：113703000041881375/2025-00015").len(), 1);
        assert!(pairs("【打印本页】 【关闭窗口】").is_empty());
    }
}
