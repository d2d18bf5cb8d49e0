//! Word automatic list numbering, whatever the file format: the list definitions
//! ([`ListDefs`]: lists of up to nine levels, and list instances pointing at them with
//! their overrides), the counters ([`Counters`]) and the number formats
//! ([`format_number`]). The DOCX reader fills [`ListDefs`] from `numbering.xml`, the DOC
//! reader from the list tables (LSTF/LVL, LFO) of its table stream; both then ask
//! [`Counters::label`] for each numbered paragraph in document order, so a list is drawn
//! the same way from either file.
//!
//! The rules (Word's documented behaviour):
//! - counters live per list definition ("abstract numbering"; several instances sharing one
//!   continue one sequence, as in Word); an instance's start override restarts its level
//!   the first time that instance is used;
//! - using level *n* restarts the levels below it, unless their restart limit says
//!   otherwise (`Some(0)` = never; `Some(k)` = only when a level at or above *k* (1-based)
//!   is used);
//! - the label text's placeholders `%1`…`%9` take each level's current value (or its `start`
//!   if it has not been used) in that level's format (decimal for all under `is_lgl`);
//! - the suffix follows (tab, space or nothing);
//! - bullets get no label (the character is decoration, often a private-use Symbol glyph);
//!   format `none` keeps the label text's literal characters only.
//!
//! This crate knows nothing of files or notices.
//!
//! ```
//! use word_lists::{AbstractDef, Counters, LevelDef, ListDefs};
//! let level = |fmt: &str, text: &str| LevelDef {
//!     start: 1, fmt: fmt.into(), text: text.into(), suffix: "", restart: None,
//!     pstyle: None, is_lgl: false,
//! };
//! let mut list = AbstractDef::default();
//! list.put(0, level("chineseCounting", "%1、"));
//! list.put(1, level("chineseCounting", "（%2）"));
//! let mut defs = ListDefs::default();
//! defs.abstracts.insert(7, list);
//! let mut counters = Counters::new(&defs);
//! let labels: Vec<_> = [0, 1, 1, 0].iter().map(|&l| counters.label(1, 7, l).unwrap()).collect();
//! assert_eq!(labels, ["一、", "（一）", "（二）", "二、"]);
//! ```

mod format;

use std::collections::{HashMap, HashSet};

pub use format::{MAX_LABEL_CHARS, format_number};

/// Levels in a list.
pub const LEVELS: usize = 9;

/// One level of a list: how its counter starts, is written and restarts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelDef {
    /// The level's first number (`w:start`), used until an override restarts it.
    pub start: u32,
    /// The number format, by its WordprocessingML `numFmt` name ("decimal",
    /// "chineseCounting", "bullet" …).
    pub fmt: String,
    /// The label text with `%1`…`%9` where the levels' numbers go.
    pub text: String,
    /// What follows the label: `"\t"`, `" "` or `""`.
    pub suffix: &'static str,
    /// The restart limit; `None` = restart after any higher level.
    pub restart: Option<u32>,
    /// The paragraph style this level is linked to (DOCX `w:pStyle`).
    pub pstyle: Option<String>,
    /// Legal numbering: every placeholder in decimal.
    pub is_lgl: bool,
}

/// A list definition (DOCX `w:abstractNum`, DOC LSTF).
#[derive(Debug, Default)]
pub struct AbstractDef {
    /// Levels by 0-based index (`ilvl`), at most [`LEVELS`]; `None` for a level not defined.
    pub levels: Vec<Option<LevelDef>>,
    /// DOCX `w:numStyleLink`: the definition lives with the numbering style of this name.
    pub num_style_link: Option<String>,
}

impl AbstractDef {
    /// Sets level `at` (levels past [`LEVELS`] are ignored).
    pub fn put(&mut self, at: usize, def: LevelDef) {
        if at < LEVELS {
            if self.levels.len() <= at {
                self.levels.resize(at + 1, None);
            }
            self.levels[at] = Some(def);
        }
    }
}

/// A start or level override of a list instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelOverride {
    /// The 0-based level overridden.
    pub level: usize,
    /// A start override: the level restarts at this number the first time the instance is
    /// used.
    pub start: Option<u32>,
    /// A whole replacement level, used instead of the definition's (its `start` counts as
    /// a start override when `start` is `None`).
    pub def: Option<LevelDef>,
}

/// A list instance (DOCX `w:num`, DOC LFO): a definition and its overrides.
#[derive(Debug, Default)]
pub struct NumDef {
    /// The id of the list definition ([`AbstractDef`]) this instance draws.
    pub abstract_id: u32,
    /// The instance's start and level overrides, in file order.
    pub overrides: Vec<LevelOverride>,
}

/// Every list definition and instance of a document, by id.
#[derive(Debug, Default)]
pub struct ListDefs {
    /// List definitions by their id (DOCX `w:abstractNumId`, DOC LSTF `lsid`).
    pub abstracts: HashMap<u32, AbstractDef>,
    /// List instances by their id (DOCX `w:numId`, DOC 1-based LFO index).
    pub nums: HashMap<u32, NumDef>,
}

impl ListDefs {
    /// Level `ilvl` of instance `num_id` whose definition is `abs`: the instance's
    /// replacement level if it has one, else the definition's.
    pub fn level(&self, num_id: u32, abs: u32, ilvl: usize) -> Option<&LevelDef> {
        if let Some(num) = self.nums.get(&num_id) {
            for o in &num.overrides {
                if o.level == ilvl
                    && let Some(d) = &o.def
                {
                    return Some(d);
                }
            }
        }
        self.abstracts.get(&abs)?.levels.get(ilvl)?.as_ref()
    }
}

/// List counters, fed the numbered paragraphs in document order.
pub struct Counters<'a> {
    defs: &'a ListDefs,
    values: HashMap<u32, [Option<u32>; LEVELS]>,
    pending: HashMap<u32, [Option<u32>; LEVELS]>,
    used_nums: HashSet<u32>,
}

impl<'a> Counters<'a> {
    /// Counters at the start of a document: no level used yet.
    pub fn new(defs: &'a ListDefs) -> Self {
        Counters {
            defs,
            values: HashMap::new(),
            pending: HashMap::new(),
            used_nums: HashSet::new(),
        }
    }

    /// Counts a paragraph at level `ilvl` of instance `num_id` (definition `abs`) and
    /// returns its label with its suffix, as Word draws it; `None` for a bullet or an
    /// undefined level.
    pub fn label(&mut self, num_id: u32, abs: u32, ilvl: usize) -> Option<String> {
        let defs = self.defs;
        let ilvl = ilvl.min(LEVELS - 1);
        let lvl = defs.level(num_id, abs, ilvl)?;
        if self.used_nums.insert(num_id)
            && let Some(num) = defs.nums.get(&num_id)
        {
            let pending = self.pending.entry(abs).or_default();
            for o in &num.overrides {
                if o.level < LEVELS {
                    let start = o.start.or(o.def.as_ref().map(|d| d.start));
                    if start.is_some() {
                        pending[o.level] = start;
                    }
                }
            }
        }
        let values = self.values.entry(abs).or_default();
        let pending = self.pending.entry(abs).or_default();
        let value = match (pending[ilvl].take(), values[ilvl]) {
            (Some(start), _) => start,
            (None, Some(v)) => v.saturating_add(1),
            (None, None) => lvl.start,
        };
        values[ilvl] = Some(value);
        for (l, v) in values.iter_mut().enumerate().skip(ilvl + 1) {
            let restart_after = defs
                .level(num_id, abs, l)
                .and_then(|d| d.restart)
                .unwrap_or(l as u32);
            if (ilvl as u32) < restart_after {
                *v = None;
            }
        }
        if lvl.fmt == "bullet" {
            return None;
        }
        let values = *values;
        let mut out = String::new();
        let mut chars = lvl.text.chars().peekable();
        // Capped as it is made: a label text of thousands of `%1` on thousands of
        // paragraphs would otherwise take gigabytes.
        while out.chars().count() < MAX_LABEL_CHARS
            && let Some(c) = chars.next()
        {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
            {
                chars.next();
                if (1..=LEVELS as u32).contains(&d) {
                    let k = d as usize - 1;
                    let def = defs.level(num_id, abs, k);
                    let v = values[k].or(def.map(|d| d.start)).unwrap_or(1);
                    let fmt = match def {
                        Some(_) if lvl.is_lgl => "decimal",
                        Some(d) => d.fmt.as_str(),
                        None => "decimal",
                    };
                    out.push_str(&format_number(v, fmt));
                }
                continue;
            }
            out.push(c);
        }
        if out.chars().count() > MAX_LABEL_CHARS {
            out = out.chars().take(MAX_LABEL_CHARS).collect();
        }
        out.push_str(lvl.suffix);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(fmt: &str, text: &str) -> LevelDef {
        LevelDef {
            start: 1,
            fmt: fmt.into(),
            text: text.into(),
            suffix: "",
            restart: None,
            pstyle: None,
            is_lgl: false,
        }
    }

    #[test]
    fn two_levels_restart_and_continue_across_instances() {
        let mut defs = ListDefs::default();
        let mut abs = AbstractDef::default();
        abs.put(0, level("chineseCounting", "%1、"));
        abs.put(1, level("chineseCounting", "（%2）"));
        defs.abstracts.insert(7, abs);
        for num in [1, 2] {
            defs.nums.insert(
                num,
                NumDef {
                    abstract_id: 7,
                    overrides: vec![],
                },
            );
        }
        let mut c = Counters::new(&defs);
        let labels: Vec<_> = [(1, 0), (1, 1), (1, 1), (2, 0), (2, 1)]
            .iter()
            .map(|&(n, l)| c.label(n, 7, l).unwrap())
            .collect();
        assert_eq!(labels, ["一、", "（一）", "（二）", "二、", "（一）"]);
    }
}
