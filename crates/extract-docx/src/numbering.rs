//! Automatic numbering: list labels as Word draws them.
//!
//! docx-rs parses `numbering.xml` into `abstract_nums[].levels[]` and `numberings[]` (with
//! `lvlOverride`/`startOverride`) but renders nothing, and keeps `start` and `lvlText` private
//! (they are read here through their serde form). This module computes the counters:
//! - counters live per abstract numbering (several `w:num` sharing one `w:abstractNum`
//!   continue one sequence, as in Word); a `startOverride` restarts its level the first time
//!   its `w:num` is used;
//! - using level *n* restarts the levels below it, unless their `w:lvlRestart` says otherwise
//!   (`0` = never; *k* = only when a level at or above *k* (1-based) is used);
//! - `lvlText` placeholders `%1`…`%9` take each level's current value (or its `start` if it
//!   has not been used) in that level's `numFmt` (decimal for all under `w:isLgl`);
//! - the suffix is `'\t'` (default), `' '` or nothing (`w:suff`);
//! - bullets get no label (the character is decoration, often a private-use Symbol glyph);
//!   `numFmt none` keeps `lvlText`'s literal text only.

use std::collections::{HashMap, HashSet};

use docx_rs::{LevelSuffixType, Numberings};

use crate::story::Para;
use crate::styles::StyleTable;

const LEVELS: usize = 9;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LevelDef {
    pub start: u32,
    pub fmt: String,
    pub text: String,
    pub suffix: &'static str,
    /// `w:lvlRestart`; `None` = restart after any higher level.
    pub restart: Option<u32>,
    pub pstyle: Option<String>,
    pub is_lgl: bool,
}

#[derive(Debug, Default)]
struct AbstractDef {
    levels: Vec<Option<LevelDef>>,
    num_style_link: Option<String>,
}

#[derive(Debug, Default)]
struct NumDef {
    abstract_id: u32,
    /// (level, startOverride, replacement level definition)
    overrides: Vec<(usize, Option<u32>, Option<LevelDef>)>,
}

#[derive(Debug, Default)]
pub(crate) struct NumDefs {
    abstracts: HashMap<u32, AbstractDef>,
    nums: HashMap<u32, NumDef>,
}

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

fn put(levels: &mut Vec<Option<LevelDef>>, at: usize, def: LevelDef) {
    if at < LEVELS {
        if levels.len() <= at {
            levels.resize(at + 1, None);
        }
        levels[at] = Some(def);
    }
}

impl NumDefs {
    pub(crate) fn from_docx_rs(n: &Numberings) -> NumDefs {
        let mut defs = NumDefs::default();
        for a in &n.abstract_nums {
            let mut def = AbstractDef {
                levels: Vec::new(),
                num_style_link: a.num_style_link.clone(),
            };
            for l in &a.levels {
                put(&mut def.levels, l.level, level_def(l));
            }
            defs.abstracts.insert(a.id as u32, def);
        }
        for num in &n.numberings {
            let overrides = num
                .level_overrides
                .iter()
                .map(|o| {
                    (
                        o.level,
                        o.override_start.map(|s| s as u32),
                        o.override_level.as_ref().map(level_def),
                    )
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
    fn abstract_of(&self, num_id: u32, styles: &StyleTable) -> Option<u32> {
        let abs = self.nums.get(&num_id)?.abstract_id;
        let def = self.abstracts.get(&abs)?;
        if def.levels.iter().all(Option::is_none)
            && let Some(link) = &def.num_style_link
            && let Some((Some(linked), _)) = styles.numbering(link)
            && let Some(n) = self.nums.get(&linked)
        {
            return Some(n.abstract_id);
        }
        Some(abs)
    }

    fn level(&self, num_id: u32, abs: u32, ilvl: usize) -> Option<&LevelDef> {
        if let Some(num) = self.nums.get(&num_id) {
            for (l, _, def) in &num.overrides {
                if *l == ilvl
                    && let Some(d) = def
                {
                    return Some(d);
                }
            }
        }
        self.abstracts.get(&abs)?.levels.get(ilvl)?.as_ref()
    }

    /// The level whose `w:pStyle` is `style` (a style-linked list), if any.
    fn level_for_style(&self, num_id: u32, style: &str, styles: &StyleTable) -> Option<u8> {
        let abs = self.abstract_of(num_id, styles)?;
        let def = self.abstracts.get(&abs)?;
        def.levels
            .iter()
            .position(|l| {
                l.as_ref()
                    .is_some_and(|l| l.pstyle.as_deref() == Some(style))
            })
            .map(|i| i as u8)
    }
}

/// Renders paragraphs in document order, keeping list counters.
pub(crate) struct Counters<'a> {
    defs: Option<&'a NumDefs>,
    styles: &'a StyleTable,
    values: HashMap<u32, [Option<u32>; LEVELS]>,
    pending: HashMap<u32, [Option<u32>; LEVELS]>,
    used_nums: HashSet<u32>,
}

impl<'a> Counters<'a> {
    pub(crate) fn new(defs: Option<&'a NumDefs>, styles: &'a StyleTable) -> Self {
        Counters {
            defs,
            styles,
            values: HashMap::new(),
            pending: HashMap::new(),
            used_nums: HashSet::new(),
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
                lvl = num.and_then(|n| defs.level_for_style(n, style, self.styles));
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
        let defs = self.defs?;
        let abs = defs.abstract_of(num_id, self.styles)?;
        let lvl = defs.level(num_id, abs, ilvl)?;
        if self.used_nums.insert(num_id)
            && let Some(num) = defs.nums.get(&num_id)
        {
            let pending = self.pending.entry(abs).or_default();
            for (l, start, def) in &num.overrides {
                if *l < LEVELS {
                    let start = start.or(def.as_ref().map(|d| d.start));
                    if start.is_some() {
                        pending[*l] = start;
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
        // Capped as it is made: a `lvlText` of thousands of `%1` on thousands of
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

/// The longest list label rendered, in characters (before its suffix); Word's own labels
/// are a few characters ("（十二）", "1.2.3.").
pub const MAX_LABEL_CHARS: usize = 64;

const CN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// A counter value in a `w:numFmt`. Unknown formats fall back to decimal.
pub(crate) fn format_number(n: u32, fmt: &str) -> String {
    match fmt {
        "none" => String::new(),
        "decimalZero" if n < 10 => format!("0{n}"),
        "chineseCounting" | "japaneseCounting" | "taiwaneseCounting" => chinese_counting(n),
        "chineseCountingThousand" | "taiwaneseCountingThousand" | "japaneseCountingThousand" => {
            chinese_thousand(n, &CN_DIGITS, ['十', '百', '千'], '零', '万')
        }
        "chineseLegalSimplified" => chinese_thousand(
            n,
            &['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'],
            ['拾', '佰', '仟'],
            '零',
            '万',
        ),
        "ideographTraditional" => cycle(n, "甲乙丙丁戊己庚辛壬癸"),
        "ideographZodiac" => cycle(n, "子丑寅卯辰巳午未申酉戌亥"),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1)
                .map(String::from)
                .unwrap_or_default()
        }
        "decimalEnclosedParen" if (1..=20).contains(&n) => char::from_u32(0x2474 + n - 1)
            .map(String::from)
            .unwrap_or_default(),
        "decimalEnclosedFullstop" if (1..=20).contains(&n) => char::from_u32(0x2488 + n - 1)
            .map(String::from)
            .unwrap_or_default(),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperLetter" => letters(n),
        "lowerLetter" => letters(n).to_lowercase(),
        _ => n.to_string(),
    }
}

/// 一 … 十, 十一 … 九十九; from 100 on Word writes the digits (一〇〇).
fn chinese_counting(n: u32) -> String {
    match n {
        0..=9 => CN_DIGITS[n as usize].to_string(),
        10..=99 => {
            let (t, u) = (n / 10, n % 10);
            let mut s = String::new();
            if t > 1 {
                s.push(CN_DIGITS[t as usize]);
            }
            s.push('十');
            if u > 0 {
                s.push(CN_DIGITS[u as usize]);
            }
            s
        }
        _ => n
            .to_string()
            .chars()
            .map(|c| CN_DIGITS[(c as u8 - b'0') as usize])
            .collect(),
    }
}

/// 一百零一, 一千二百, 一万零五 …; 10–19 are 十, 十一 … (no leading 一).
fn chinese_thousand(
    n: u32,
    digits: &[char; 10],
    units: [char; 3],
    zero: char,
    wan: char,
) -> String {
    if n == 0 {
        return digits[0].to_string();
    }
    fn below_10k(n: u32, digits: &[char; 10], units: [char; 3], zero: char, s: &mut String) {
        let parts = [(n / 1000) % 10, (n / 100) % 10, (n / 10) % 10, n % 10];
        let unit = [Some(units[2]), Some(units[1]), Some(units[0]), None];
        let mut pending_zero = false;
        for (i, &d) in parts.iter().enumerate() {
            if d == 0 {
                pending_zero = !s.is_empty();
                continue;
            }
            if pending_zero {
                s.push(zero);
                pending_zero = false;
            }
            s.push(digits[d as usize]);
            if let Some(u) = unit[i] {
                s.push(u);
            }
        }
    }
    let mut s = String::new();
    let high = n / 10_000;
    let low = n % 10_000;
    if high > 0 {
        s.push_str(&chinese_thousand(high, digits, units, zero, wan));
        s.push(wan);
        if low > 0 && low < 1000 {
            s.push(zero);
        }
    }
    let mut tail = String::new();
    below_10k(low, digits, units, zero, &mut tail);
    s.push_str(&tail);
    // 一十 → 十 at the start (10–19), as Word writes it.
    if (10..20).contains(&n) {
        s = s.chars().skip(1).collect();
    }
    s
}

fn cycle(n: u32, set: &str) -> String {
    let chars: Vec<char> = set.chars().collect();
    if n == 0 {
        return "0".to_owned();
    }
    chars[((n - 1) as usize) % chars.len()].to_string()
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// A … Z, AA … ZZ, AAA … (Word repeats the letter).
fn letters(n: u32) -> String {
    if n == 0 {
        return "0".to_owned();
    }
    let c = (b'A' + ((n - 1) % 26) as u8) as char;
    let times = ((n - 1) / 26 + 1).min(50) as usize;
    std::iter::repeat_n(c, times).collect()
}

#[cfg(test)]
mod tests {
    use super::format_number;

    #[test]
    fn chinese_formats() {
        let f = |n, fmt| format_number(n, fmt);
        assert_eq!(f(1, "chineseCounting"), "一");
        assert_eq!(f(10, "chineseCounting"), "十");
        assert_eq!(f(11, "chineseCounting"), "十一");
        assert_eq!(f(20, "chineseCounting"), "二十");
        assert_eq!(f(99, "chineseCounting"), "九十九");
        assert_eq!(f(105, "chineseCounting"), "一〇五");
        assert_eq!(f(10, "chineseCountingThousand"), "十");
        assert_eq!(f(15, "chineseCountingThousand"), "十五");
        assert_eq!(f(21, "chineseCountingThousand"), "二十一");
        assert_eq!(f(101, "chineseCountingThousand"), "一百零一");
        assert_eq!(f(110, "chineseCountingThousand"), "一百一十");
        assert_eq!(f(1005, "chineseCountingThousand"), "一千零五");
        assert_eq!(f(10005, "chineseCountingThousand"), "一万零五");
        assert_eq!(f(3, "chineseLegalSimplified"), "叁");
        assert_eq!(f(1, "ideographTraditional"), "甲");
        assert_eq!(f(11, "ideographTraditional"), "甲");
        assert_eq!(f(2, "ideographZodiac"), "丑");
    }

    #[test]
    fn other_formats() {
        let f = |n, fmt| format_number(n, fmt);
        assert_eq!(f(7, "decimal"), "7");
        assert_eq!(f(7, "decimalZero"), "07");
        assert_eq!(f(12, "decimalFullWidth"), "１２");
        assert_eq!(f(3, "decimalEnclosedCircle"), "③");
        assert_eq!(f(14, "upperRoman"), "XIV");
        assert_eq!(f(4, "lowerRoman"), "iv");
        assert_eq!(f(28, "upperLetter"), "BB");
        assert_eq!(f(2, "lowerLetter"), "b");
        assert_eq!(f(5, "someFutureFormat"), "5");
        assert_eq!(f(5, "none"), "");
    }
}
