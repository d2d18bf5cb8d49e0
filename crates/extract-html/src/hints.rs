//! What elements are: blocks, invisible, page chrome — from tag names, `class`/`id`
//! tokens and a few phrases every Chinese government site prints around its articles.

use scraper::node::Element;

/// Elements that break paragraphs.
pub fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "caption"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "nav"
            | "aside"
            | "blockquote"
            | "pre"
            | "address"
            | "center"
            | "figure"
            | "figcaption"
            | "hr"
            | "form"
            | "fieldset"
            | "legend"
            | "details"
            | "summary"
            | "body"
            | "br"
    )
}

/// Elements whose content a reader never sees as text.
pub fn invisible(e: &Element) -> bool {
    if matches!(
        e.name(),
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "canvas"
            | "select"
            | "option"
            | "button"
            | "input"
            | "textarea"
            | "head"
            | "map"
            | "audio"
            | "video"
            | "img"
    ) || e.attr("hidden").is_some()
    {
        return true;
    }
    e.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// `class` and `id` split into lower-case tokens ("xl-nav Position_box" → xl, nav, position, box).
fn tokens(e: &Element) -> Vec<String> {
    let mut out = Vec::new();
    for value in [e.attr("class"), e.id()].into_iter().flatten() {
        for t in value.split(|c: char| !c.is_ascii_alphanumeric()) {
            if !t.is_empty() {
                out.push(t.to_ascii_lowercase());
            }
        }
    }
    out
}

/// Names CMS templates give to chrome: navigation, breadcrumb ("position", 位置 "wz"/"dqwz"),
/// share and print bars, related articles ("xgwz" 相关文章, "xglj" 相关链接), footers
/// ("bottom", "copyright", "banquan"), headers, sidebars.
const CHROME: &[&str] = &[
    "nav",
    "navbar",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "crumb",
    "crumbs",
    "position",
    "location",
    "dqwz",
    "weizhi",
    "share",
    "bdshare",
    "fenxiang",
    "print",
    "dayin",
    "close",
    "related",
    "relate",
    "xgwz",
    "xglj",
    "xgxx",
    "footer",
    "foot",
    "bottom",
    "copyright",
    "banquan",
    "header",
    "topbar",
    "sidebar",
    "aside",
    "banner",
    "friendlink",
    "links",
    "yqlj",
    "search",
    "login",
    "comment",
    "pager",
    "pagination",
    "tools",
    "toolbar",
    "qrcode",
    "ewm",
];

/// Names CMS templates give to the article.
const CONTENT: &[&str] = &[
    "content", "article", "text", "zoom", "editor", "detail", "details", "main", "conter", "zw",
    "zhengwen", "neirong", "nr", "trs",
];

/// A chrome element by tag or by name (and not also named as content).
pub fn is_chrome(e: &Element) -> bool {
    if matches!(e.name(), "nav" | "header" | "footer" | "aside") {
        return true;
    }
    let t = tokens(e);
    t.iter().any(|t| CHROME.contains(&t.as_str()))
        && !t.iter().any(|t| CONTENT.contains(&t.as_str()))
}

/// Readability's class weight: +25 for a content name, −25 for a chrome name.
pub fn class_weight(e: &Element) -> f64 {
    let t = tokens(e);
    let mut w = 0.0;
    if t.iter().any(|t| CONTENT.contains(&t.as_str())) {
        w += 25.0;
    }
    if t.iter().any(|t| CHROME.contains(&t.as_str())) {
        w -= 25.0;
    }
    w
}

/// Short paragraphs that are the page's tools or credits, not the article's text:
/// 【打印本页】【关闭窗口】, 分享到, 字号 大 中 小, 扫一扫在手机打开当前页, 【责任编辑：…】【我要纠错】,
/// 浏览次数.
pub fn is_chrome_line(text: &str) -> bool {
    const PHRASES: &[&str] = &[
        "关闭窗口",
        "打印本页",
        "【打印】",
        "【关闭】",
        "分享到",
        "返回顶部",
        "字号：",
        "字体：",
        "【字体",
        "扫一扫在手机",
        "在手机打开",
        "收藏本页",
        "保存本页",
        "上一篇：",
        "下一篇：",
        "【大 中 小】",
        "【大中小】",
        "打印此页",
        "关闭本页",
        "我要纠错",
        "责任编辑：",
        "浏览次数：",
        "点击数：",
        "阅读次数：",
        "访问量：",
        "【收藏】",
        "视力保护色",
    ];
    text.chars().count() <= 40 && PHRASES.iter().any(|p| text.contains(p))
}

/// A heading of the article printed above it: `h1`–`h3`, or an element its template names as
/// the title (`title`, `bt` 标题, `biaoti`, `tit`), not as chrome.
pub fn is_heading(e: &Element) -> bool {
    if matches!(e.name(), "h1" | "h2" | "h3") {
        return !is_chrome(e);
    }
    let t = tokens(e);
    t.iter()
        .any(|t| matches!(t.as_str(), "title" | "bt" | "biaoti" | "tit" | "wztit"))
        && !is_chrome(e)
}
