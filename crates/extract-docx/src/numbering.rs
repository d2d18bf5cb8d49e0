//! Automatic numbering: list labels as Word draws them.
//!
//! docx-rs parses `numbering.xml` into `abstract_nums[].levels[]` and `numberings[]` (with
//! `lvlOverride`/`startOverride`) but renders nothing, and keeps `start` and `lvlText` private
//! (they are read here through their serde form). The counters and number formats are the
//! `word-lists` crate's, shared with the DOC reader; this module turns docx-rs's definitions
//! into `word_lists::ListDefs` and finds each paragraph's list: its direct `w:numPr`, else its
//! style's (through `basedOn`), a style giving only a `numId` taking the level whose
//! `w:pStyle` names it, and a `numStyleLink` followed once.

use docx_rs::{LevelSuffixType, Numberings};
use word_lists::{AbstractDef, LEVELS, LevelDef, LevelOverride, ListDefs, NumDef};

use crate::story::Para;
use crate::styles::StyleTable;

pub(crate) type NumDefs = ListDefs;

fn level_def(l: &docx_rs::Level) -> LevelDef {
    // `Start` and `LevelText` keep their values private; their serde form is the value.
    let start = serde_json::to_value(&l.start)
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or(0);
    let text = serde_json::to_value(&l.text)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let restart = l
        .level_restart
        .as_ref()
        .and_then(|r| serde_json::to_value(r).ok())
        .and_then(|v| v.as_u64())
        .map(|v| v.min(u32::MAX as u64) as u32);
    LevelDef {
        start: start.min(u32::MAX as u64) as u32,
        fmt: l.format.val.clone(),
        text,
        suffix: match l.suffix {
            LevelSuffixType::Nothing => "",
            LevelSuffixType::Space => " ",
            LevelSuffixType::Tab => "\t",
        },
        restart,
        pstyle: l.pstyle.as_ref().map(|s| s.val.clone()),
        is_lgl: l.is_lgl.is_some(),
    }
}

/// docx-rs's numbering definitions as `word_lists::ListDefs`.
pub(crate) fn from_docx_rs(n: &Numberings) -> NumDefs {
    let mut defs = NumDefs::default();
    for a in &n.abstract_nums {
        let mut def = AbstractDef {
            levels: Vec::new(),
            num_style_link: a.num_style_link.clone(),
        };
        for l in &a.levels {
            def.put(l.level, level_def(l));
        }
        defs.abstracts.insert(a.id as u32, def);
    }
    for num in &n.numberings {
        let overrides = num
            .level_overrides
            .iter()
            .map(|o| LevelOverride {
                level: o.level,
                start: o.override_start.map(|s| s as u32),
                def: o.override_level.as_ref().map(level_def),
            })
            .collect();
        defs.nums.insert(
            num.id as u32,
            NumDef {
                abstract_id: num.abstract_num_id as u32,
                overrides,
            },
        );
    }
    defs
}

/// The abstract numbering behind `num_id`, following one `numStyleLink` indirection.
fn abstract_of(defs: &NumDefs, num_id: u32, styles: &StyleTable) -> Option<u32> {
    let abs = defs.nums.get(&num_id)?.abstract_id;
    let def = defs.abstracts.get(&abs)?;
    if def.levels.iter().all(Option::is_none)
        && let Some(link) = &def.num_style_link
        && let Some((Some(linked), _)) = styles.numbering(link)
        && let Some(n) = defs.nums.get(&linked)
    {
        return Some(n.abstract_id);
    }
    Some(abs)
}

/// The level whose `w:pStyle` is `style` (a style-linked list), if any.
fn level_for_style(defs: &NumDefs, num_id: u32, style: &str, styles: &StyleTable) -> Option<u8> {
    let abs = abstract_of(defs, num_id, styles)?;
    let def = defs.abstracts.get(&abs)?;
    def.levels
        .iter()
        .position(|l| {
            l.as_ref()
                .is_some_and(|l| l.pstyle.as_deref() == Some(style))
        })
        .map(|i| i as u8)
}

/// Renders paragraphs in document order, keeping list counters.
pub(crate) struct Counters<'a> {
    defs: Option<&'a NumDefs>,
    styles: &'a StyleTable,
    counters: Option<word_lists::Counters<'a>>,
}

impl<'a> Counters<'a> {
    pub(crate) fn new(defs: Option<&'a NumDefs>, styles: &'a StyleTable) -> Self {
        Counters {
            defs,
            styles,
            counters: defs.map(word_lists::Counters::new),
        }
    }

    /// The paragraph's text with its list label (if any) in front, as Word shows it.
    pub(crate) fn render(&mut self, p: &Para) -> String {
        match self.label(p) {
            Some(label) if !label.is_empty() => label + &p.text,
            _ => p.text.clone(),
        }
    }

    /// The numbering of a paragraph: direct `w:numPr`, else its style's (following `basedOn`).
    fn numbering(&self, p: &Para) -> Option<(u32, usize)> {
        let defs = self.defs?;
        let (mut num, mut lvl) = (p.num_id, p.ilvl);
        if (num.is_none() || lvl.is_none())
            && let Some(style) = &p.style
            && let Some((snum, slvl)) = self.styles.numbering(style)
        {
            let from_style = num.is_none();
            num = num.or(snum);
            lvl = lvl.or(slvl);
            if from_style && lvl.is_none() {
                lvl = num.and_then(|n| level_for_style(defs, n, style, self.styles));
            }
        }
        let num = num?;
        if num == 0 {
            return None; // numId 0: numbering removed
        }
        Some((num, (lvl.unwrap_or(0) as usize).min(LEVELS - 1)))
    }

    fn label(&mut self, p: &Para) -> Option<String> {
        let (num_id, ilvl) = self.numbering(p)?;
        let abs = abstract_of(self.defs?, num_id, self.styles)?;
        self.counters.as_mut()?.label(num_id, abs, ilvl)
    }
}
