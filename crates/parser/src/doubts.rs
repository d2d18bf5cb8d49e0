//! Structural doubts: what makes a record's items look wrong, said as warnings, so that a
//! record is never silently wrong (see README, "Warnings").
//!
//! - `count_mismatch`: the notice states how many items it lists (十条政策措施, 20项重点任务
//!   in its title or plan title; 办好十件实事 in its preamble), and the items found are
//!   another number;
//! - `orphan_note`: a units note stands between the first and the last item where no item
//!   owns it (a measure whose marker was not read, a list cut short).
//!
//! Both compare what the document says with what was read; neither guesses a fix.

use std::sync::LazyLock;

use noticepipe_output::{Notice, Warning, WarningCode};
use regex::Regex;

use crate::claims::Claims;
use crate::notes::Note;
use crate::{Unit, patterns};

/// A count of the notice's own list: a numeral, a classifier (件 项 条 大), up to six
/// characters, then the kind of thing listed. Real: "十条政策措施" (fixtures/real/
/// 2026-suqian-opc-shitiao-zhengce.html), "十大攻坚突破任务" (2025-shanghai-yingshang-…).
static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([0-9]{1,3}|[一二两三四五六七八九十百]{1,4})(?:件|项|条|大)[\p{Han}“”]{0,6}?(?:实事|项目|措施|举措|任务|工程)",
    )
    .expect("a valid pattern")
});

/// The distinct counts `text` states; with `practical_only`, only counts of 实事 (a
/// preamble's "办好十件民生实事" speaks of the list, its "落实十五条硬措施" of another
/// document's: fixtures/real/2023-shanghai-shijianju-ranqi-zhuanxiang-zhengzhi.md).
fn counts(text: &str, practical_only: bool, out: &mut Vec<(u32, String)>) {
    for caps in COUNT.captures_iter(text) {
        if practical_only && !caps[0].ends_with("实事") && !caps[0].contains("实事") {
            continue;
        }
        let numeral = &caps[1];
        let value = if numeral.chars().all(|c| c.is_ascii_digit()) {
            numeral.parse().ok()
        } else {
            patterns::numeral_value(numeral)
        };
        if let Some(v) = value.filter(|&v| v > 1)
            && !out.iter().any(|(n, _)| *n == v)
        {
            out.push((v, caps[0].to_string()));
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
        // Two counts say nothing certain.
        let mut n = notice("关于推进3大任务15条措施的通知", 9);
        count_mismatch(&mut n);
        assert!(n.warnings.is_empty());
    }
}
