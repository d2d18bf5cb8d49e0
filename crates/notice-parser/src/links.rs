//! Attachments a document links to: a web page's 附件 note is often a hyperlink to the
//! file (附件：<a href="…/清单.docx">2025年…清单</a>). Each attachment whose title is the
//! text of a link gets that link's `href`, as written, so a reader can fetch the file.

use std::sync::LazyLock;

use docmodel::Link;
use noticepipe_output::Attachment;
use regex::Regex;

use crate::normalize;

/// Gives each attachment without an `href` the first link whose text names it.
pub fn attach_hrefs(attachments: &mut [Attachment], links: &[Link]) {
    if links.is_empty() {
        return;
    }
    let keys: Vec<(String, &Link)> = links.iter().map(|l| (key(&l.text), l)).collect();
    for attachment in attachments.iter_mut().filter(|a| a.href.is_none()) {
        let title = key(&attachment.title);
        if title.is_empty() {
            continue;
        }
        if let Some((_, link)) = keys.iter().find(|(k, _)| *k == title) {
            attachment.href = Some(link.href.clone());
        }
    }
}

/// A title or link text without what links add or drop: the note's "附件1：", a list
/// number ("1．", "2、", "（1）"), 《》 around it, and a file extension.
fn key(text: &str) -> String {
    static DECORATION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:附件\d*[：:]?)?\s*(?:\d{1,2}\s*[.．、]|[（(]\d{1,2}[）)])?\s*《?(.*?)》?\s*(?:\.(?i:docx?|pdf|xlsx?|wps|et|ofd|zip|rar|7z|txt))?$")
            .expect("valid regex")
    });
    let text = normalize(text);
    let core = DECORATION
        .captures(&text)
        .and_then(|c| c.get(1))
        .map_or(text.as_str(), |m| m.as_str());
    core.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(text: &str, href: &str) -> Link {
        Link {
            text: text.into(),
            href: href.into(),
        }
    }

    #[test]
    fn links_name_attachments_with_numbers_and_extensions() {
        let mut a = vec![
            Attachment {
                title: "2025年为全市妇女儿童办实事项目清单".into(),
                rows: vec![],
                href: None,
            },
            Attachment {
                title: "工作进展情况报表".into(),
                rows: vec![],
                href: None,
            },
            Attachment {
                title: "未链接的附件".into(),
                rows: vec![],
                href: None,
            },
        ];
        let links = [
            link("首页", "/index.html"),
            link(
                "1．2025年为全市妇女儿童办实事项目清单.docx",
                "./P020250401/清单.docx",
            ),
            link("附件2：《工作进展情况报表》", "/files/报表.xls"),
        ];
        attach_hrefs(&mut a, &links);
        assert_eq!(a[0].href.as_deref(), Some("./P020250401/清单.docx"));
        assert_eq!(a[1].href.as_deref(), Some("/files/报表.xls"));
        assert_eq!(a[2].href, None);
    }
}
