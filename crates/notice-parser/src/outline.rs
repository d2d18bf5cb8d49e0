//! The numbered outline of a document, and which of its lists holds the projects.
//!
//! Every paragraph opening with a marker (一、 （一） 1. （1）) is an entry. Entries nest by
//! marker style in the order the styles appear (a style seen again closes the deeper ones),
//! and the outline starts afresh in each region: the body, each 附件 section, and what
//! follows a signature date. A *list* is the entries of one style at one depth under one
//! parent; a *level* is all the lists of one style and depth in one region.
//!
//! The projects are the level whose entries carry units notes — decided by structure,
//! not by the words of the headings (总体要求, 保障措施 …):
//! - the level with the most entries holding a note of their own wins (ties: the shallower);
//! - when its numbering runs on across parents (1–4 under 一、, 5–7 under 二、) it is one
//!   list: every entry is a project, and the parents are categories;
//! - when numbering restarts under each parent, only the lists holding notes are kept
//!   (the （一）… of 主要任务, not those of 保障措施); several kept lists are numbered by
//!   position, and their parents are categories.

use crate::patterns::{self, MarkerStyle};

/// A paragraph opening with a marker.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Index of the paragraph in the parser's units.
    pub unit: usize,
    pub style: MarkerStyle,
    pub number: u32,
    /// The numeral as written ("十", "3").
    pub numeral: String,
    pub depth: usize,
    /// Index of the parent entry.
    pub parent: Option<usize>,
    pub region: usize,
}

/// Reads the outline. `region_starts` tells whether a paragraph opens a new region
/// (an attachment heading, the paragraph after a signature date).
pub fn entries<'t>(
    texts: impl Iterator<Item = Option<&'t str>>,
    opens_region: impl Fn(usize) -> bool,
) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut region = 0;
    for (unit, text) in texts.enumerate() {
        if opens_region(unit) {
            region += 1;
            stack.clear();
        }
        let Some(text) = text else { continue };
        // "11.121人才梯队项目": a number right after the dot reads as a decimal ("1.9万"),
        // unless it is the next number of the Arabic list under way and no amount follows.
        let found = patterns::any_marker(text).or_else(|| {
            let next_arabic = stack
                .iter()
                .rev()
                .map(|&e| &entries[e])
                .find(|e| e.style == MarkerStyle::Arabic)?
                .number
                + 1;
            patterns::arabic_marker_before_digits(text, next_arabic)
        });
        let Some((style, (number, numeral, _))) = found else {
            continue;
        };
        if let Some(pos) = stack.iter().position(|&e| entries[e].style == style) {
            stack.truncate(pos);
        }
        entries.push(Entry {
            unit,
            style,
            number,
            numeral: numeral.to_string(),
            depth: stack.len(),
            parent: stack.last().copied(),
            region,
        });
        stack.push(entries.len() - 1);
    }
    entries
}

/// The entries chosen as projects.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Indexes into the entries, in document order.
    pub entries: Vec<usize>,
    /// Numbers are positions (1, 2, 3 …): numbering restarted under several kept parents.
    pub by_position: bool,
    /// The projects sit under two or more parents: each parent's heading is a category.
    pub categories: bool,
    /// No level carries notes: the top-level list was taken, though it may be sections.
    pub uncertain: bool,
}

/// Chooses the projects. `has_note(e)` says whether entry `e` holds a units note in its
/// own text (its paragraph and those up to the next entry).
pub fn select(entries: &[Entry], has_note: impl Fn(usize) -> bool) -> Option<Selection> {
    let noted: Vec<bool> = (0..entries.len()).map(has_note).collect();
    let levels = levels(entries);
    let count = |level: &Vec<usize>| level.iter().filter(|&&e| noted[e]).count();
    let best = levels
        .iter()
        .filter(|l| count(l) > 0)
        .max_by_key(|l| (count(l), std::cmp::Reverse(entries[l[0]].depth)));
    let Some(best) = best else {
        return top_level(entries);
    };
    let mut parents: Vec<usize> = best.iter().filter_map(|&e| entries[e].parent).collect();
    parents.dedup();
    let articles = articles_above(entries, &parents);
    let level = articles.as_ref().unwrap_or(best);
    let run_on = run_on_level(entries, level);
    let level = run_on.as_ref().unwrap_or(level);
    // The level's lists, one per parent.
    let mut lists: Vec<Vec<usize>> = Vec::new();
    for &e in level {
        match lists.last_mut() {
            Some(list) if entries[list[0]].parent == entries[e].parent => list.push(e),
            _ => lists.push(vec![e]),
        }
    }
    let runs_on = lists.windows(2).all(|pair| {
        let last = &entries[*pair[0].last().expect("a list has entries")];
        entries[pair[1][0]].number == last.number + 1
    });
    if !runs_on {
        keep_noted_sections(entries, &noted, &mut lists);
    }
    let extra = if articles.is_none() && !runs_on {
        measures_beside(entries, &noted, &parents)
    } else {
        Vec::new()
    };
    let parents = lists.len();
    let mut chosen = lists.concat();
    chosen.extend(&extra);
    chosen.sort_unstable();
    Some(Selection {
        entries: chosen,
        by_position: (!runs_on && parents > 1) || !extra.is_empty(),
        categories: parents > 1 && lists.iter().all(|l| entries[l[0]].parent.is_some()),
        uncertain: false,
    })
}

/// Entries `a` and `b` stand at one level: the same region, depth and marker style.
fn same_level(a: &Entry, b: &Entry) -> bool {
    (a.region, a.depth, a.style) == (b.region, b.depth, b.style)
}

/// The levels, each its entries, in document order of their first entry.
fn levels(entries: &[Entry]) -> Vec<Vec<usize>> {
    let mut levels: Vec<Vec<usize>> = Vec::new();
    for (e, entry) in entries.iter().enumerate() {
        match levels
            .iter_mut()
            .find(|l| same_level(&entries[l[0]], entry))
        {
            Some(level) => level.push(e),
            None => levels.push(vec![e]),
        }
    }
    levels
}

/// Nothing carries a note: the top level of the first region with entries, uncertain when
/// the outline has deeper levels.
fn top_level(entries: &[Entry]) -> Option<Selection> {
    let first = entries.first()?;
    let level: Vec<usize> = (0..entries.len())
        .filter(|&e| entries[e].region == first.region && entries[e].depth == 0)
        .filter(|&e| entries[e].style == first.style)
        .collect();
    let deeper = entries
        .iter()
        .any(|e| e.region == first.region && e.depth > 0);
    Some(Selection {
        entries: level,
        uncertain: deeper,
        ..Selection::default()
    })
}

/// Sub-points inside articles: an article (第X条) is a measure whole, its （一）（二） are
/// parts of it (款, 项), and their notes are the article's (fixtures/real/
/// 2026-shenzhen-luohu-opc-ruogan-cuoshi.html: 第一条 with its own note beside 第三条 whose
/// notes are in its （一）（二）). The articles' level, where the noted level's parents are
/// articles.
fn articles_above(entries: &[Entry], parents: &[usize]) -> Option<Vec<usize>> {
    let &p = parents.first()?;
    (entries[p].style == MarkerStyle::Article).then(|| {
        (0..entries.len())
            .filter(|&e| same_level(&entries[e], &entries[p]))
            .collect()
    })
}

/// One numbering running on through every entry of the level's style in its region, at
/// whatever depth (1.–5. under 一、, 6.–24. under its （一）（二）, 25.– under 四、:
/// fixtures/real/2025-shanghai-liangzi-chengshi-kongjian-zhineng.md) is one list: those
/// entries, where they are more than the level's.
fn run_on_level(entries: &[Entry], level: &[usize]) -> Option<Vec<usize>> {
    let first = &entries[level[0]];
    let same_style: Vec<usize> = (0..entries.len())
        .filter(|&e| entries[e].region == first.region && entries[e].style == first.style)
        .collect();
    let one_run = same_style
        .windows(2)
        .all(|w| entries[w[1]].number == entries[w[0]].number + 1);
    (one_run && same_style.len() > level.len()).then_some(same_style)
}

/// Where numbering restarts under each parent: the lists that carry notes, and the note-less
/// lists beside them in the same section (a sub-list under one subhead of 主要任务 with no
/// notes is items all the same); a list in a section of its own without notes (保障措施) is
/// not.
fn keep_noted_sections(entries: &[Entry], noted: &[bool], lists: &mut Vec<Vec<usize>>) {
    let section = |list: &Vec<usize>| {
        entries[list[0]]
            .parent
            .and_then(|p| entries[p].parent)
            .or(entries[list[0]].parent)
    };
    let noted_sections: Vec<Option<usize>> = lists
        .iter()
        .filter(|l| l.iter().any(|&e| noted[e]))
        .map(section)
        .collect();
    lists.retain(|list| {
        list.iter().any(|&e| noted[e])
            || (entries[list[0]]
                .parent
                .is_some_and(|p| entries[p].parent.is_some())
                && noted_sections.contains(&section(list)))
    });
}

/// Measures at the parents' depth: beside sub-sections whose measures are numbered, a
/// sub-section with no numbered measures whose own text carries a note is a measure itself
/// (fixtures/real/2023-shanghai-shijianju-ranqi-zhuanxiang-zhengzhi.md: （二）（五）（六） of 三、
/// beside （一）（三）（四） holding 1．2．), within the same sections only.
fn measures_beside(entries: &[Entry], noted: &[bool], parents: &[usize]) -> Vec<usize> {
    let Some(&p) = parents.first() else {
        return Vec::new();
    };
    let sections: Vec<Option<usize>> = parents.iter().map(|&q| entries[q].parent).collect();
    (0..entries.len())
        .filter(|&e| {
            same_level(&entries[e], &entries[p])
                && noted[e]
                && !parents.contains(&e)
                && sections.contains(&entries[e].parent)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(texts: &[&str]) -> Vec<Entry> {
        entries(texts.iter().map(|t| Some(*t)), |_| false)
    }

    fn pick(texts: &[&str], noted: &[usize]) -> (Vec<usize>, Selection) {
        let es = outline(texts);
        let sel = select(&es, |e| noted.contains(&es[e].unit)).unwrap();
        (sel.entries.iter().map(|&e| es[e].unit).collect(), sel)
    }

    #[test]
    fn styles_nest_in_the_order_they_appear() {
        let es = outline(&[
            "一、甲",
            "（一）子",
            "1.孙",
            "（二）子",
            "二、乙",
            "（一）子",
        ]);
        let depths: Vec<usize> = es.iter().map(|e| e.depth).collect();
        assert_eq!(depths, [0, 1, 2, 1, 0, 1]);
        assert_eq!(es[3].parent, Some(0));
        assert_eq!(es[5].parent, Some(4));
    }

    #[test]
    fn the_projects_of_a_plan_are_its_noted_list() {
        let texts = [
            "一、总体要求",
            "（一）指导思想。",
            "二、主要任务",
            "（一）甲。（责任单位：A局）",
            "（二）乙。（责任单位：B局）",
            "三、保障措施",
            "（一）加强领导。",
            "（二）强化督导。",
        ];
        let (units, sel) = pick(&texts, &[3, 4]);
        assert_eq!(units, [3, 4]);
        assert!(!sel.by_position && !sel.categories);
    }

    #[test]
    fn numbering_running_on_across_categories_is_one_list() {
        let texts = [
            "一、健康类（2件）",
            "1.甲",
            "2.乙",
            "二、教育类（1件）",
            "3.丙",
        ];
        let (units, sel) = pick(&texts, &[1, 2, 4]);
        assert_eq!(units, [1, 2, 4]);
        assert!(sel.categories && !sel.by_position);
    }

    #[test]
    fn numbering_restarting_under_categories_is_numbered_by_position() {
        let texts = ["一、就业", "1.甲", "2.乙", "二、健康", "1.丙"];
        let (units, sel) = pick(&texts, &[1, 2, 4]);
        assert_eq!(units, [1, 2, 4]);
        assert!(sel.categories && sel.by_position);
    }

    #[test]
    fn a_run_on_list_keeps_its_entries_without_notes() {
        let texts = [
            "一、总体要求",
            "（一）指导思想",
            "二、任务",
            "（二）甲",
            "（三）乙",
        ];
        let (units, _) = pick(&texts, &[3, 4]);
        assert_eq!(units, [1, 3, 4]);
    }

    #[test]
    fn numbering_running_on_across_depths_is_one_list() {
        let texts = [
            "一、研发",
            "1.甲",
            "二、应用",
            "（一）场景",
            "2.乙",
            "3.丙",
            "三、生态",
            "4.丁",
        ];
        let (units, _) = pick(&texts, &[4, 5]);
        assert_eq!(units, [1, 4, 5, 7]);
    }

    #[test]
    fn articles_keep_their_sub_points() {
        let texts = [
            "第一条甲",
            "正文。（责任单位：A局）",
            "第二条乙",
            "（一）子一。（责任单位：B局）",
            "（二）子二。（责任单位：C局）",
            "（三）子三。（责任单位：D局）",
        ];
        // Entry 0 holds a note in its own text (its body paragraph).
        let (units, _) = pick(&texts, &[0, 3, 4, 5]);
        assert_eq!(units, [0, 2]);
        // Categories carry no note of their own: the projects stay the items.
        let texts = [
            "一、健康类",
            "1.甲。（A局负责）",
            "二、教育类",
            "2.乙。（B局负责）",
        ];
        let (units, _) = pick(&texts, &[1, 3]);
        assert_eq!(units, [1, 3]);
    }

    #[test]
    fn a_sub_section_without_numbered_measures_is_a_measure() {
        let texts = [
            "一、攻坚",
            "（一）甲类",
            "1．甲一。（A处负责）",
            "2．甲二。（B处负责）",
            "（二）乙类。正文。（C处负责）",
            "（三）丙类",
            "1．丙一。（D处负责）",
            "二、保障",
            "（一）加强领导。（E处负责）",
        ];
        let (units, sel) = pick(&texts, &[2, 3, 4, 6, 8]);
        assert_eq!(units, [2, 3, 4, 6]);
        assert!(sel.by_position);
    }

    #[test]
    fn a_sub_list_without_notes_beside_noted_ones_is_items_too() {
        let texts = [
            "一、总体要求",
            "（一）指导思想",
            "1.坚持甲",
            "二、主要任务",
            "（一）甲类",
            "1.甲一",
            "2.甲二",
            "（二）乙类",
            "1.乙一",
            "三、保障措施",
            "（一）组织",
            "1.加强领导",
        ];
        let (units, sel) = pick(&texts, &[5, 6]);
        assert_eq!(units, [5, 6, 8]);
        assert!(sel.by_position);
    }

    #[test]
    fn a_number_after_the_dot_is_the_next_item_only_when_no_amount_follows() {
        let es = outline(&["1.甲", "2.5万名妇女受益", "2.乙", "3.121人才梯队项目"]);
        let numbers: Vec<(usize, u32)> = es.iter().map(|e| (e.unit, e.number)).collect();
        assert_eq!(numbers, [(0, 1), (2, 2), (3, 3)]);
    }

    #[test]
    fn without_notes_the_top_level_is_kept_and_flagged() {
        let (units, sel) = pick(&["一、总体要求", "（一）甲", "二、主要任务"], &[]);
        assert_eq!(units, [0, 2]);
        assert!(sel.uncertain);
        let (_, sel) = pick(&["一、甲", "二、乙"], &[]);
        assert!(!sel.uncertain);
    }
}
