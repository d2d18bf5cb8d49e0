//! Structural doubts: what makes a record's items look wrong, said as warnings, so that a
//! record is never silently wrong (the guide, docs/src/warnings-and-errors.md).
//!
//! - `count_mismatch`: the notice states how many items it lists (十条政策措施, 20项重点任务
//!   in its title or plan title; 办好十件实事 in its preamble), and the items found are
//!   another number;
//! - `orphan_note`: a units note stands between the first and the last item where no item
//!   owns it (a measure whose marker was not read, a list cut short).
//!
//! Both compare what the document says with what was read; neither guesses a fix.

use noticepipe_output::{Notice, Warning, WarningCode};

use crate::claims::Claims;
use crate::notes::Note;
use crate::{Unit, patterns};

/// What a count of the notice's own list counts: "十件实事", "十条政策措施", "20项重点任务",
/// "十大攻坚突破任务" (fixtures/real/2026-suqian-opc-shitiao-zhengce.html,
/// 2025-shanghai-yingshang-shida-gongjian.md).
const COUNTED: [&str; 6] = ["实事", "项目", "措施", "举措", "任务", "工程"];
/// Words that follow a count's numeral.
const CLASSIFIERS: [char; 4] = ['件', '项', '条', '大'];
/// Most characters between the classifier and the counted word ("条政策措施": 2).
const MAX_COUNT_GAP_CHARS: usize = 6;
/// Most digits of a stated count in Arabic numerals ("20项重点任务"); more is an amount.
const MAX_COUNT_DIGITS: usize = 3;
/// Most characters of a stated count in Chinese numerals ("一百二十项").
const MAX_COUNT_NUMERAL_CHARS: usize = 4;

/// The distinct counts `text` states, each with its words: a numeral (1–3 digits or 1–4
/// Chinese numerals), a classifier, up to six Han characters, the counted word. With
/// `practical_only`, only counts of 实事 (a preamble's "办好十件民生实事" speaks of the list,
/// its "落实十五条硬措施" of another document's: fixtures/real/
/// 2023-shanghai-shijianju-ranqi-zhuanxiang-zhengzhi.md). Scanned by hand: a regex over
/// Han classes costs more to build than the few titles it would read.
fn counts(text: &str, practical_only: bool, out: &mut Vec<(u32, String)>) {
    for (at, classifier) in text.match_indices(CLASSIFIERS) {
        let before = &text[..at];
        let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let cn_start = before
            .trim_end_matches(|c: char| "一二两三四五六七八九十百".contains(c))
            .len();
        // `digits` counts ASCII digits in bytes, which are characters.
        let numeral = match (digits, before[cn_start..].chars().count()) {
            (1..=MAX_COUNT_DIGITS, _) => &before[before.len() - digits..],
            (0, 1..=MAX_COUNT_NUMERAL_CHARS) => &before[cn_start..],
            _ => continue,
        };
        let value = if digits > 0 {
            numeral.parse().ok()
        } else {
            patterns::numeral_value(&numeral.replace('两', "二"))
        };
        let after = &text[at + classifier.len()..];
        let word_end = after
            .char_indices()
            .take_while(|&(_, c)| docmodel::is_han(c) || matches!(c, '“' | '”'))
            .take(MAX_COUNT_GAP_CHARS + 1)
            .find_map(|(k, _)| {
                COUNTED
                    .iter()
                    .find(|w| after[k..].starts_with(*w))
                    .map(|w| k + w.len())
            });
        let (Some(value), Some(end)) = (value.filter(|&v| v > 1), word_end) else {
            continue;
        };
        let words = format!("{numeral}{classifier}{}", &after[..end]);
        if practical_only && !words.contains("实事") {
            continue;
        }
        if !out.iter().any(|(n, _)| *n == value) {
            out.push((value, words));
        }
    }
}

/// `count_mismatch` when the title, plan title and preamble state one count of items and
/// the items found are another number. Several different counts (a plan of "3大任务、15条措施")
/// say nothing certain, and nothing is said.
pub fn count_mismatch(notice: &mut Notice) {
    if notice.items.is_empty() {
        return;
    }
    let mut found = Vec::new();
    for text in notice.title.iter().chain(&notice.plan_title) {
        counts(text, false, &mut found);
    }
    for text in &notice.preamble {
        counts(text, true, &mut found);
    }
    if let [(stated, words)] = &found[..]
        && *stated as usize != notice.items.len()
    {
        let message = format!(
            "the notice states {stated} items (\"{words}\") but {} were found",
            notice.items.len()
        );
        notice.warnings.push(Warning {
            code: WarningCode::CountMismatch,
            message,
            item: None,
        });
    }
}

/// `orphan_note` for each paragraph holding a units note inside the items' span (from the
/// first item's paragraph to the last item's) that no item owns: run when only the items
/// (and their headings and table) are claimed.
pub fn orphan_notes(
    units: &[Unit],
    unit_notes: &[Vec<Note>],
    claims: &Claims,
    warnings: &mut Vec<Warning>,
) {
    let owned = |i: usize| claims.taken(i);
    let (Some(first), Some(last)) = (
        (0..units.len()).find(|&i| owned(i)),
        (0..units.len()).rfind(|&i| owned(i)),
    ) else {
        return;
    };
    for i in first..=last {
        if owned(i) || unit_notes[i].is_empty() || !units[i].is_paragraph() {
            continue;
        }
        let note = &units[i].text()[unit_notes[i][0].range.clone()];
        warnings.push(Warning {
            code: WarningCode::OrphanNote,
            message: format!(
                "the units note {note} stands between items where no item owns it: an item may be missing"
            ),
            item: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use noticepipe_output::Item;

    fn notice(title: &str, items: usize) -> Notice {
        Notice {
            title: Some(title.into()),
            items: (1..=items)
                .map(|n| Item {
                    id: String::new(),
                    number: n as u32,
                    marker: n.to_string(),
                    title: "甲".into(),
                    body: String::new(),
                    category: None,
                    lead_units: vec![],
                    responsible_units: vec![],
                    units_notes: vec![],
                    deadline: None,
                    provenance: None,
                    quantities: vec![],
                    canonical_units: Default::default(),
                })
                .collect(),
            ..Notice::default()
        }
    }

    #[test]
    fn a_stated_count_is_compared() {
        let mut n = notice("关于印发宿迁市加快推进OPC创新发展十条政策措施的通知", 9);
        count_mismatch(&mut n);
        assert_eq!(n.warnings[0].code, WarningCode::CountMismatch);
        let mut n = notice("关于做好2024年十件民生实事项目实施工作的通知", 10);
        count_mismatch(&mut n);
        assert!(n.warnings.is_empty());
        let mut n = notice(
            "关于加力提速推进2025年优化营商环境“十大攻坚突破任务”的通知",
            9,
        );
        count_mismatch(&mut n);
        assert!(
            n.warnings[0].message.contains("十大攻坚突破任务"),
            "{:?}",
            n.warnings
        );
        let mut n = notice("关于印发20项重点任务的通知", 20);
        count_mismatch(&mut n);
        assert!(n.warnings.is_empty());
        // Two counts say nothing certain.
        let mut n = notice("关于推进3大任务15条措施的通知", 9);
        count_mismatch(&mut n);
        assert!(n.warnings.is_empty());
    }
}
