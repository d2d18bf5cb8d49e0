//! The extractor on small hand-written pages: structure, tables, chrome, links, limits and
//! errors.

use std::time::Duration;

use docmodel::{BlockKind, Cell, ErrorCode, Extractor, FurnitureRole};
use extract_html::{Error, HtmlExtractor, Limits};

const SENTENCE: &str =
    "各区县人民政府，市政府各部门：现将有关事项通知如下，请认真贯彻落实，确保各项工作按时完成。";

fn page(article: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=utf-8><title>标题</title></head><body>\
         <div class=header><ul class=nav><li><a href=/>首页</a></li><li><a href=/a>政务公开</a></li></ul></div>\
         <div class=position>当前位置：<a href=/>首页</a> &gt; 通知公告</div>\
         <div id=zoom>{article}</div>\
         <div class=footer>主办单位：某市人民政府办公室 网站标识码：3703000001</div></body></html>"
    )
}

fn extract(html: &str) -> docmodel::Document {
    HtmlExtractor::default()
        .extract_html(html.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn paragraphs(doc: &docmodel::Document) -> Vec<&str> {
    extract_html_paragraphs(doc)
}

fn extract_html_paragraphs(doc: &docmodel::Document) -> Vec<&str> {
    doc.blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Paragraph(t) => Some(t.as_str()),
            _ => None,
        })
        .collect()
}

fn tables(doc: &docmodel::Document) -> Vec<&docmodel::Table> {
    doc.blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

#[test]
fn blocks_break_paragraphs_and_inline_elements_join() {
    let doc = extract(&page(&format!(
        "<p>{SENTENCE}</p><div>一、<span>推进</span><font face=楷体>就业</font><strong>创业</strong>。</div>\
         <p>淄博市人民政府办公室<br>2025年3月23日</p><p>&nbsp;</p><p>\u{3000}\u{3000}（此件公开发布）</p>"
    )));
    assert_eq!(
        paragraphs(&doc),
        [
            SENTENCE,
            "一、推进就业创业。",
            "淄博市人民政府办公室",
            "2025年3月23日",
            "\u{3000}\u{3000}（此件公开发布）"
        ]
    );
}

#[test]
fn chrome_is_furniture_and_never_a_paragraph() {
    let doc = extract(&page(&format!(
        "<p>{SENTENCE}</p><p class=tools>【<a href='javascript:print()'>打印本页</a>】</p><p>【关闭窗口】</p>\
         <div class=share>分享到：微信</div><script>document.write('x')</script><p style='display: none'>隐藏</p>"
    )));
    assert_eq!(paragraphs(&doc), [SENTENCE]);
    let furniture: Vec<(FurnitureRole, &str)> = doc
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Furniture { role, text } => Some((*role, text.as_str())),
            _ => None,
        })
        .collect();
    assert!(furniture.contains(&(FurnitureRole::Header, "当前位置：首页 > 通知公告")));
    assert!(furniture.contains(&(
        FurnitureRole::Footer,
        "主办单位：某市人民政府办公室 网站标识码：3703000001"
    )));
    assert!(furniture.contains(&(FurnitureRole::TextBox, "【关闭窗口】")));
}

#[test]
fn merged_cells_yield_their_text_once_and_columns_line_up() {
    let doc = extract(&page(&format!(
        "<p>{SENTENCE}</p><table border=1>\
         <tr><th rowspan=2>序号</th><th rowspan=2>实事名称</th><th colspan=2>工作进展</th></tr>\
         <tr><th>进度</th><th>时限</th></tr>\
         <tr><td>1</td><td>推进就业</td><td rowspan=2>区人社局<br>区妇联</td><td>年底</td></tr>\
         <tr><td>2</td><td>关爱儿童</td><td>年底</td></tr></table>"
    )));
    let t = tables(&doc);
    assert_eq!(t.len(), 1);
    let rows = &t[0].rows;
    let empty = Cell::default();
    assert!(rows.iter().all(|r| r.len() == 4));
    assert_eq!(rows[0][0], Cell::new(["序号"]));
    assert_eq!(rows[0][2], Cell::new(["工作进展"]));
    assert_eq!(rows[0][3], empty);
    assert_eq!(rows[1][0], empty);
    assert_eq!(rows[1][2], Cell::new(["进度"]));
    assert_eq!(rows[2][2], Cell::new(["区人社局", "区妇联"]));
    assert_eq!(rows[3][2], empty);
    assert_eq!(rows[3][3], Cell::new(["年底"]));
}

#[test]
fn layout_tables_are_unwrapped() {
    // An old CMS page: no known container, the article in the cell of a layout table next
    // to a menu, its data table nested inside.
    let html = format!(
        "<html><body><table width=778><tr><td><img src=banner.jpg></td></tr>\
         <tr><td><table><tr><td width=180><a href=/1>首页</a><br><a href=/2>政务公开</a></td>\
         <td><p>{SENTENCE}</p><p>{SENTENCE}</p><p>{SENTENCE}</p>\
         <table border=1><tr><td>序号</td><td>责任单位</td></tr><tr><td>1</td><td>区妇联</td></tr></table>\
         <p>淄川区人民政府办公室</p></td></tr></table></td></tr>\
         <tr><td>主办单位：淄川区人民政府</td></tr></table></body></html>"
    );
    let doc = extract(&html);
    assert_eq!(
        paragraphs(&doc),
        [SENTENCE, SENTENCE, SENTENCE, "淄川区人民政府办公室"]
    );
    let t = tables(&doc);
    assert_eq!(t.len(), 1, "only the data table is a table");
    assert_eq!(t[0].rows[1][1], Cell::new(["区妇联"]));
}

#[test]
fn links_in_the_article_are_kept_as_written() {
    let doc = extract(&page(&format!(
        "<p>{SENTENCE}</p><p>附件：<a href=\"/attach/P0202503.docx\">1．项目清单.docx</a></p>\
         <p><a href='#top'>返回</a> <a href='javascript:void(0)'>收藏</a></p>"
    )));
    let links: Vec<(&str, &str)> = doc
        .info
        .links
        .iter()
        .map(|l| (l.text.as_str(), l.href.as_str()))
        .collect();
    assert_eq!(links, [("1．项目清单.docx", "/attach/P0202503.docx")]);
}

#[test]
fn the_content_score_finds_an_article_without_a_known_container() {
    let html = format!(
        "<html><body><div class=menu><a href=/1>首页</a><a href=/2>新闻中心</a><a href=/3>政务公开</a></div>\
         <div class=main-box><div class=txt><p>{SENTENCE}</p><p>（责任单位：区妇联）</p><p>2025年3月23日</p></div></div>\
         <div class=links><a href=/x>友情链接</a>：<a href=/y>中国政府网</a></div></body></html>"
    );
    let doc = extract(&html);
    assert_eq!(
        paragraphs(&doc),
        [SENTENCE, "（责任单位：区妇联）", "2025年3月23日"]
    );
}

#[test]
fn meta_tags_and_info_box() {
    let html = format!(
        "<html><head><title>某通知_某市人民政府</title><meta name=ArticleTitle content=某通知>\
         <meta name=PubDate content='2025-03-28 09:00'><meta name=SiteName content=某市人民政府>\
         <meta name=ColumnName content=通知公告><meta name=ContentSource content=市政府办公室>\
         <meta name=Keywords content=妇女儿童></head><body>\
         <table class=xxgk><tr><td>索引号：</td><td>0001/2025-00015</td><td>发布日期：</td><td>2025年03月28日</td></tr></table>\
         <div class=TRS_Editor><p>{SENTENCE}</p></div><div>发布日期：不算，正文之后</div></body></html>"
    );
    let doc = extract(&html);
    assert_eq!(doc.info.title.as_deref(), Some("某通知_某市人民政府"));
    let page = doc.info.page.expect("page info");
    assert_eq!(page.article_title.as_deref(), Some("某通知"));
    assert_eq!(page.pub_date.as_deref(), Some("2025-03-28 09:00"));
    assert_eq!(page.site_name.as_deref(), Some("某市人民政府"));
    assert_eq!(page.column.as_deref(), Some("通知公告"));
    assert_eq!(page.content_source.as_deref(), Some("市政府办公室"));
    assert_eq!(page.keywords.as_deref(), Some("妇女儿童"));
    let info: Vec<(&str, &str)> = page
        .info
        .iter()
        .map(|f| (f.label.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(
        info,
        [
            ("索引号", "0001/2025-00015"),
            ("发布日期", "2025年03月28日")
        ]
    );
}

#[test]
fn a_gov_cn_fragment_starting_with_tbody_keeps_its_container() {
    let html = format!(
        "<tbody><tr><td class=b12c id=UCAP-CONTENT><p>{SENTENCE}</p></td></tr><tr><td>页脚链接</td></tr></tbody>"
    );
    assert_eq!(paragraphs(&extract(&html)), [SENTENCE]);
}

#[test]
fn pages_without_an_article_are_no_content() {
    let not_found = "<html><body><div class=nav><a href=/>首页</a></div>\
        <div><p>抱歉，您访问的页面不存在！</p><a href=/>返回首页</a></div>\
        <div class=footer>主办单位：某市人民政府办公室</div></body></html>";
    let list: String = (0..30)
        .map(|i| format!("<li><a href=/a{i}.html>关于做好第{i}批妇女儿童实事项目的通知</a><span>2024-01-{i:02}</span></li>"))
        .collect();
    let list = format!("<html><body><ul class=list>{list}</ul></body></html>");
    for html in [
        not_found,
        &list,
        "<html><head><title>空</title></head><body></body></html>",
    ] {
        let err = HtmlExtractor::default()
            .extract_html(html.as_bytes())
            .unwrap_err();
        assert!(matches!(err, Error::NoContent(_)), "{err}");
        assert_eq!(docmodel::CodedError::code(&err), ErrorCode::NoContent);
    }
}

#[test]
fn limits_are_enforced() {
    let article = page(&format!("<p>{SENTENCE}</p>"));
    let small = |limits: Limits| {
        HtmlExtractor::new(limits)
            .extract(article.as_bytes())
            .err()
            .map(|e| e.code)
    };
    for limits in [
        Limits {
            max_input_bytes: 100,
            ..Limits::DEFAULT
        },
        Limits {
            max_html_bytes: 100,
            ..Limits::DEFAULT
        },
        Limits {
            max_nodes: 20,
            ..Limits::DEFAULT
        },
        Limits {
            max_depth: 5,
            ..Limits::DEFAULT
        },
        Limits {
            time_budget: Duration::ZERO,
            ..Limits::DEFAULT
        },
    ] {
        assert_eq!(small(limits), Some(ErrorCode::TooLarge), "{limits:?}");
    }
    // 200 rows of 1,001 columns: 200,200 grid positions, beyond the 100,000 limit.
    let rows = "<tr><td colspan=1000>a</td><td>b</td></tr>".repeat(200);
    let table = page(&format!("<p>{SENTENCE}</p><table>{rows}</table>"));
    let code = HtmlExtractor::default()
        .extract(table.as_bytes())
        .err()
        .map(|e| e.code);
    assert_eq!(code, Some(ErrorCode::TooLarge));
}

#[test]
fn deep_nesting_costs_no_stack() {
    // 400 nested <div>s (under the depth limit): walked without recursion.
    let html = format!(
        "{}<p>{SENTENCE}</p>{}",
        "<div>".repeat(400),
        "</div>".repeat(400)
    );
    assert_eq!(paragraphs(&extract(&page(&html))), [SENTENCE]);
    // One MiB of unclosed <div>s would keep html5ever busy for over a minute (its scope
    // checks walk the open-element stack): refused before parsing, at once.
    let started = std::time::Instant::now();
    let code = HtmlExtractor::default()
        .extract("<div>".repeat(200_000).as_bytes())
        .err()
        .map(|e| e.code);
    assert_eq!(code, Some(ErrorCode::TooLarge));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let deeper = "<div>".repeat(5000);
    let err = HtmlExtractor::default()
        .extract(deeper.as_bytes())
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TooLarge);
}

#[test]
fn empty_and_mhtml_without_a_page() {
    assert_eq!(
        HtmlExtractor::default().extract(b"  \n").unwrap_err().code,
        ErrorCode::Empty
    );
    let mht = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: image/png\r\n\r\nxx\r\n--b--\r\n";
    assert_eq!(
        HtmlExtractor::default().extract(mht).unwrap_err().code,
        ErrorCode::UnsupportedFormat
    );
}

#[test]
fn a_heading_above_the_container_opens_the_article_unless_repeated() {
    let outside = format!(
        "<html><body><h1>某市人民政府</h1><div class=nav><a href=/>首页</a></div>\
         <div class=detail><h1 class=detail-title>关于做好妇女儿童工作的通知</h1>\
         <div class=info>发布时间：2025-03-28</div><div class=TRS_Editor><p>{SENTENCE}</p></div></div></body></html>"
    );
    let doc = extract(&outside);
    assert_eq!(paragraphs(&doc), ["关于做好妇女儿童工作的通知", SENTENCE]);
    assert!(
        !doc.blocks.iter().any(|b| matches!(&b.kind,
        BlockKind::Furniture { text, .. } if text.contains("关于做好"))),
        "the heading is not also furniture"
    );

    let repeated = format!(
        "<html><body><div class=bt>关于做好妇女儿童工作的通知</div>\
         <div id=zoom><p>关于做好妇女儿童</p><p>工作的通知</p><p>{SENTENCE}</p></div></body></html>"
    );
    assert_eq!(
        paragraphs(&extract(&repeated)),
        ["关于做好妇女儿童", "工作的通知", SENTENCE]
    );
}

#[test]
fn file_links_around_the_article_are_kept_after_the_articles_own() {
    let html = format!(
        "<html><body><div class=nav><a href=/index.html>首页</a><a href=/a.pdf?x=1>年报</a></div>\
         <div id=zoom><p>{SENTENCE}</p><p>附件：<a href=./a.docx>清单</a></p></div>\
         <div class=fujian>相关附件：<a href=./P0202503.xls>报表.xls</a> <a href='javascript:void(0)'>下载.doc</a></div>\
         </body></html>"
    );
    let doc = extract(&html);
    let links: Vec<(&str, &str)> = doc
        .info
        .links
        .iter()
        .map(|l| (l.text.as_str(), l.href.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            ("清单", "./a.docx"),
            ("年报", "/a.pdf?x=1"),
            ("报表.xls", "./P0202503.xls")
        ]
    );
}

#[test]
fn text_published_in_pre_keeps_its_lines_and_editor_credits_are_chrome() {
    let doc = extract(&page(&format!(
        "<pre>{SENTENCE}\n\n一、推进就业。（责任单位：区妇联）\n二、关爱儿童。</pre>\
         <p>【责任编辑：王某】【我要纠错】</p>"
    )));
    assert_eq!(
        paragraphs(&doc),
        [
            SENTENCE,
            "一、推进就业。（责任单位：区妇联）",
            "二、关爱儿童。"
        ]
    );
}

#[test]
fn a_known_container_named_like_chrome_is_still_the_article() {
    let html = format!(
        "<html><body><div id=zoom class='print-area'><p>{SENTENCE}</p></div></body></html>"
    );
    assert_eq!(paragraphs(&extract(&html)), [SENTENCE]);
}
