//! Head fields from what a file says about itself, for copies that print them nowhere in
//! the body.
//!
//! Many published copies carry the 发文字号, the issuing organ or the 成文日期 only around
//! the text: a government site's info box (索引号 | 发文机关 | 发文字号 | 成文日期 …, read by
//! extract-html into `DocInfo::page`), a Markdown crawl's front matter (`文号:`, `发布单位:`),
//! page meta tags. Real cases: the Shanghai crawls in fixtures/real (`*.md`, front matter
//! 文号/发布单位) and the State Council pages of ../shared/real-gov (info box).
//!
//! The body wins: metadata fills only a field the body lacks, and says so with a
//! `field_from_metadata` warning naming the label; where both exist and disagree, the
//! body's value stays and `metadata_mismatch` says what the metadata holds. A publication
//! date (发布日期) is never a 成文日期, and a site's publisher (发布单位, 来源) never
//! overrides a signature.

use docmodel::InfoField;
use noticepipe_output::{Notice, Warning, WarningCode};

use crate::patterns;

/// Labels whose value is the 发文字号.
const DOC_NUMBER_LABELS: [&str; 4] = ["发文字号", "文号", "发文号", "文件编号"];
/// Labels whose value is the 成文日期 (never 发布日期: publication is another date).
const DATE_LABELS: [&str; 2] = ["成文日期", "成文时间"];
/// Labels naming the issuing organ.
const ISSUER_LABELS: [&str; 4] = ["发文机关", "发文单位", "发布机构", "发布单位"];

/// The first value among `pairs` under one of `labels` (labels compared without spaces).
fn value<'p>(pairs: &'p [InfoField], labels: &[&str]) -> Option<(&'p str, &'p str)> {
    pairs.iter().find_map(|p| {
        let label: String = p.label.chars().filter(|c| !c.is_whitespace()).collect();
        let v = p.value.trim();
        (labels.contains(&label.as_str()) && !v.is_empty()).then_some((p.label.as_str(), v))
    })
}

fn warn(notice: &mut Notice, code: WarningCode, message: String) {
    notice.warnings.push(Warning {
        code,
        message,
        item: None,
    });
}

/// Fills the head fields the body lacks from `pairs`, and warns where they disagree.
pub fn fill_head(notice: &mut Notice, pairs: &[InfoField]) {
    if pairs.is_empty() {
        return;
    }
    if let Some((label, text)) = value(pairs, &DOC_NUMBER_LABELS)
        && let Some(number) = patterns::doc_number(&crate::normalize(text))
    {
        match &notice.doc_number {
            None => {
                warn(
                    notice,
                    WarningCode::FieldFromMetadata,
                    format!(
                        "doc_number {} is printed nowhere in the body: taken from the metadata's {label}",
                        number.text
                    ),
                );
                notice.doc_number = Some(number);
            }
            Some(body) if body.text != number.text => {
                let message = format!(
                    "the body's 发文字号 is {} but the metadata's {label} says {}",
                    body.text, number.text
                );
                warn(notice, WarningCode::MetadataMismatch, message);
            }
            Some(_) => {}
        }
    }
    if let Some((label, text)) = value(pairs, &DATE_LABELS)
        && let Some(date) = metadata_date(text)
    {
        match &notice.date {
            None => {
                warn(
                    notice,
                    WarningCode::FieldFromMetadata,
                    format!(
                        "date {date} (成文日期) is printed nowhere in the body: taken from the metadata's {label}"
                    ),
                );
                notice.date = Some(date);
                // The date is no longer missing.
                notice
                    .warnings
                    .retain(|w| w.code != WarningCode::MissingDate);
            }
            Some(body) if *body != date => {
                let message =
                    format!("the body's 成文日期 is {body} but the metadata's {label} says {date}");
                warn(notice, WarningCode::MetadataMismatch, message);
            }
            Some(_) => {}
        }
    }
    if notice.issuers.is_empty()
        && let Some((label, name)) = value(pairs, &ISSUER_LABELS)
    {
        let name = crate::normalize(name);
        if patterns::is_org_name(&name) {
            warn(
                notice,
                WarningCode::FieldFromMetadata,
                format!(
                    "issuer {name} is named nowhere in the body: taken from the metadata's {label}"
                ),
            );
            notice.issuer = Some(name.clone());
            notice.issuers = vec![name];
        }
    }
}

/// A metadata date: "2025-06-11", "2025/6/11", "2025年6月11日", "2025.06.11".
fn metadata_date(text: &str) -> Option<String> {
    let text = crate::normalize(text);
    if let Some(iso) = patterns::parse_date(&text) {
        return Some(iso);
    }
    let parts: Vec<&str> = text
        .split(['-', '/', '.'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    match parts[..] {
        [y, m, d]
            if [y, m, d]
                .iter()
                .all(|p| p.chars().all(|c| c.is_ascii_digit())) =>
        {
            let d = d.get(..d.len().min(2))?;
            patterns::parse_date(&format!("{y}年{m}月{d}日"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<InfoField> {
        v.iter()
            .map(|(l, v)| InfoField {
                label: l.to_string(),
                value: v.to_string(),
            })
            .collect()
    }

    #[test]
    fn fills_what_the_body_lacks_and_says_so() {
        let mut n = Notice::default();
        fill_head(
            &mut n,
            &pairs(&[
                ("文号", "静发改委〔2025〕11号"),
                ("发布日期", "2025-06-12"),
                ("发布单位", "上海市静安区发展和改革委员会"),
            ]),
        );
        assert_eq!(n.doc_number.unwrap().text, "静发改委〔2025〕11号");
        // 发布日期 is publication, never the 成文日期.
        assert_eq!(n.date, None);
        assert_eq!(n.issuer.as_deref(), Some("上海市静安区发展和改革委员会"));
        assert_eq!(n.warnings.len(), 2);
        assert!(
            n.warnings
                .iter()
                .all(|w| w.code == WarningCode::FieldFromMetadata)
        );
    }

    #[test]
    fn the_body_wins_and_a_disagreement_is_a_warning() {
        let mut n = Notice {
            date: Some("2018-12-06".into()),
            ..Notice::default()
        };
        fill_head(&mut n, &pairs(&[("成文日期", "2018年12月05日")]));
        assert_eq!(n.date.as_deref(), Some("2018-12-06"));
        assert_eq!(n.warnings[0].code, WarningCode::MetadataMismatch);
        let mut n = Notice::default();
        fill_head(&mut n, &pairs(&[("成文日期", "2018-12-05")]));
        assert_eq!(n.date.as_deref(), Some("2018-12-05"));
    }
}
