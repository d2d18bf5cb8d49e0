//! Canonical unit names (`items[].canonical_units`): each unit as written → its full name,
//! by a table of rules that is data (`data/units.tsv`, extended by the user's file), not
//! code. The level prefix (市, 区, 县 …) and whatever else stands before the abbreviated end
//! stay as written; no place is added (the guide, docs/src/record.md, "Canonical unit names").

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

/// The built-in rules.
const BUILTIN: &str = include_str!("../data/units.tsv");

/// Level words a bare place name in a shared-suffix list may end in (A区、B区政府).
const LEVELS: &str = "区县市镇乡";

/// Longest bare place name read as a government in a list sharing a later 政府, in characters.
const MAX_PLACE_CHARS: usize = 6;

/// The rules, ready to apply.
#[derive(Debug, Clone, Default)]
pub struct UnitsTable {
    /// Whole names → canonical, sorted by the written name (a handful: searched, not hashed).
    whole: Vec<(String, String)>,
    /// Written ends → canonical ends (None: kept as written), longest first.
    ends: Vec<(String, Option<String>)>,
    /// Each end's [`tail_key`] and its place in `ends`, sorted: a name's rule is looked for
    /// only among the ends that end as it does, not tried against every end (most names
    /// end in 局 or 委, as many rules do), and by comparing numbers, not strings.
    tails: Vec<(u64, usize)>,
    /// The byte lengths of the whole names (bit n: a whole name of n bytes; bit 63: of 63
    /// or more), so that most names skip their search.
    whole_lengths: u64,
}

/// `s`'s bit in [`UnitsTable`]'s `whole_lengths`: its byte length, 63 for any longer.
fn length_bit(s: &str) -> u64 {
    1 << s.len().min(63)
}

/// The last two characters of `s` as one number (the last one alone, for a name of one).
fn tail_key(s: &str) -> u64 {
    let mut rev = s.chars().rev();
    let last = rev.next().map_or(0, u64::from);
    let before = rev.next().map_or(0, u64::from);
    (before << 32) | last
}

/// A rule file that cannot be read: where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}:{line}: {reason}")]
pub struct UnitsTableError {
    /// The file (or "built-in").
    pub source_name: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

static BUILTIN_TABLE: LazyLock<Arc<UnitsTable>> = LazyLock::new(|| {
    Arc::new(
        UnitsTable::default()
            .extended(BUILTIN, "built-in units.tsv")
            .expect("the built-in table is valid (tested)"),
    )
});

impl UnitsTable {
    /// The built-in table, parsed once.
    pub fn builtin() -> Arc<UnitsTable> {
        Arc::clone(&BUILTIN_TABLE)
    }

    /// This table with the rules of `text` (a file named `source_name`) added, taking
    /// precedence over rules of the same written form; every line is checked.
    pub fn extended(&self, text: &str, source_name: &str) -> Result<UnitsTable, UnitsTableError> {
        let mut table = self.clone();
        let mut seen = std::collections::HashSet::new();
        for (k, raw) in text.lines().enumerate() {
            let fail = |reason: String| UnitsTableError {
                source_name: source_name.to_string(),
                line: k + 1,
                reason,
            };
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            if fields.iter().any(|f| f.is_empty()) {
                return Err(fail(
                    "an empty field (fields are separated by one TAB)".into(),
                ));
            }
            if !seen.insert(fields[0].to_string()) {
                return Err(fail(format!("{} is given twice", fields[0])));
            }
            match (
                fields[0].strip_prefix('!'),
                fields[0].strip_prefix('='),
                fields.len(),
            ) {
                (Some(kept), _, 1) => table.set_end(kept, None),
                (Some(_), _, n) => {
                    return Err(fail(format!("a keep rule (!…) has one field, not {n}")));
                }
                (None, Some(name), 2) => {
                    table.whole.retain(|(w, _)| w != name);
                    table.whole.push((name.to_string(), fields[1].to_string()));
                }
                (None, None, 2) => table.set_end(fields[0], Some(fields[1].to_string())),
                (None, _, n) => {
                    return Err(fail(format!(
                        "a rule has two TAB-separated fields (written, canonical), not {n}"
                    )));
                }
            }
        }
        table.whole.sort();
        table
            .ends
            .sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
        table.tails = (table.ends.iter().enumerate())
            .map(|(k, (w, _))| (tail_key(w), k))
            .collect();
        table.tails.sort();
        table.whole_lengths = (table.whole.iter()).fold(0, |bits, (w, _)| bits | length_bit(w));
        Ok(table)
    }

    fn set_end(&mut self, written: &str, canonical: Option<String>) {
        self.ends.retain(|(w, _)| w != written);
        self.ends.push((written.to_string(), canonical));
    }

    /// The canonical full name of `name`.
    pub fn canonical(&self, name: &str) -> String {
        let may_be_whole = self.whole_lengths & length_bit(name) != 0;
        if may_be_whole && let Ok(k) = self.whole.binary_search_by(|(w, _)| w.as_str().cmp(name)) {
            return self.whole[k].1.clone();
        }
        // A collective (各乡镇人民政府, 相关区政府) is itself.
        if name.starts_with('各') || name.starts_with("有关") || name.starts_with("相关") {
            return name.to_string();
        }
        // An organ's 机关 (团市委机关) is the organ's full name and 机关.
        if let Some(organ) = name.strip_suffix("机关").filter(|o| !o.is_empty()) {
            let mut full = self.canonical(organ);
            full.push_str("机关");
            return full;
        }
        // The longest end that matches: those of two characters or more (keyed by their
        // last two) before those of one.
        let two = tail_key(name);
        let rule = [two, two & u64::from(u32::MAX)]
            .into_iter()
            .find_map(|key| {
                let from = self.tails.partition_point(|(t, _)| *t < key);
                self.tails[from..]
                    .iter()
                    .take_while(|(t, _)| *t == key)
                    .map(|(_, k)| &self.ends[*k])
                    .find(|(w, _)| name.ends_with(w.as_str()))
            });
        let Some((written, full)) = rule else {
            return name.to_string();
        };
        match full {
            Some(full) if !name.ends_with(full.as_str()) => {
                let kept = &name[..name.len() - written.len()];
                let mut canonical = String::with_capacity(kept.len() + full.len());
                canonical.push_str(kept);
                canonical.push_str(full);
                canonical
            }
            _ => name.to_string(),
        }
    }

    /// Each of `units` (one note's or one row's, in order) → its canonical name. A bare
    /// place in a list whose later name ends in 政府 (A区、B区政府) is that place's
    /// government.
    pub fn map(&self, units: &[&String]) -> BTreeMap<String, String> {
        // Most lists name no government: asked once, not for each name.
        let names_a_government = units.iter().any(|u| u.ends_with("政府"));
        // Inserted one by one: collecting a handful of pairs into a BTreeMap sorts a
        // vector of them first, which cost more than the names' mapping.
        let mut map = BTreeMap::new();
        for (k, unit) in units.iter().enumerate() {
            let government = units[k + 1..]
                .iter()
                .filter(|_| names_a_government)
                .find_map(|later| later.strip_suffix("政府"))
                .filter(|_| is_bare_place(unit));
            let full = match government {
                Some(later_stem) => {
                    let level = later_stem
                        .trim_end_matches("人民")
                        .chars()
                        .next_back()
                        .filter(|c| LEVELS.contains(*c));
                    let stem = match level {
                        Some(level) if !unit.ends_with(level) => format!("{unit}{level}"),
                        _ => unit.to_string(),
                    };
                    self.canonical(&format!("{stem}政府"))
                }
                None => self.canonical(unit),
            };
            map.insert(unit.to_string(), full);
        }
        map
    }
}

fn is_bare_place(unit: &str) -> bool {
    let n = unit.chars().count();
    (2..=MAX_PLACE_CHARS).contains(&n)
        && unit.chars().all(docmodel::is_han)
        && !crate::vocabulary::ends_with_unit_word(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contracts_table() {
        let t = UnitsTable::builtin();
        for (written, full) in [
            ("市人社局", "市人力资源和社会保障局"),
            ("市人力资源社会保障局", "市人力资源和社会保障局"),
            ("区卫健委", "区卫生健康委员会"),
            ("区卫生健康委", "区卫生健康委员会"),
            ("区卫健局", "区卫生健康局"),
            ("市发改委", "市发展和改革委员会"),
            ("区发展改革委", "区发展和改革委员会"),
            ("县发改局", "县发展和改革局"),
            ("市住建局", "市住房和城乡建设局"),
            ("区教体局", "区教育和体育局"),
            ("区文化旅游局", "区文化和旅游局"),
            ("区规划资源局", "区规划和自然资源局"),
            ("区绿化市容局", "区绿化和市容管理局"),
            ("市场监管局", "市场监督管理局"),
            ("市医保局", "市医疗保障局"),
            ("市妇联", "市妇女联合会"),
            ("区残联", "区残疾人联合会"),
            ("市科协", "市科学技术协会"),
            ("市关工委", "市关心下一代工作委员会"),
            ("市交通委", "市交通委员会"),
            ("区建设管理委", "区建设管理委员会"),
            ("临港新片区管委会", "临港新片区管理委员会"),
            ("区检察院", "区人民检察院"),
            ("区法院", "区人民法院"),
            ("高新区政府", "高新区人民政府"),
            ("团市委", "共青团市委员会"),
            ("团县委", "共青团县委员会"),
            // Kept as written.
            ("市总工会", "市总工会"),
            ("区委宣传部", "区委宣传部"),
            ("临淄公安分局", "临淄公安分局"),
            ("各乡镇人民政府", "各乡镇人民政府"),
            // fixtures/real/2025-shanghai-jichu-yanjiu-ruogan-cuoshi: a class, like 各区政府.
            ("相关区政府", "相关区政府"),
            ("有关县政府", "有关县政府"),
            // fixtures/real/2026-nanchong-opc-xingdong-jihua: the organ's 机关.
            ("团市委机关", "共青团市委员会机关"),
            ("市人社局机关", "市人力资源和社会保障局机关"),
            ("市总工会机关", "市总工会机关"),
            // X委 whose X is shortened, and the 和 forms the table implies.
            ("市科委", "市科学技术委员会"),
            ("市教委", "市教育委员会"),
            ("市民族宗教委", "市民族宗教事务委员会"),
            ("市国资委", "市国有资产监督管理委员会"),
            ("区经委", "区经济委员会"),
            ("市经信委", "市经济和信息化委员会"),
            ("市经济信息化委", "市经济和信息化委员会"),
            ("市住建委", "市住房和城乡建设委员会"),
            ("市住房城乡建设管理委", "市住房和城乡建设管理委员会"),
            ("区建管委", "区建设管理委员会"),
            ("市城管委", "市城市管理委员会"),
            ("市教育体育局", "市教育和体育局"),
            ("区人民政府", "区人民政府"),
            ("市卫生健康委员会", "市卫生健康委员会"),
            ("区委", "区委"),
            ("区纪委", "区纪委"),
        ] {
            assert_eq!(t.canonical(written), full, "{written}");
        }
    }

    #[test]
    fn a_bare_district_sharing_a_later_government() {
        let t = UnitsTable::builtin();
        let units: Vec<String> = ["张店区", "淄川区", "博山区政府", "市妇联"]
            .map(String::from)
            .to_vec();
        let refs: Vec<&String> = units.iter().collect();
        let map = t.map(&refs);
        assert_eq!(map["张店区"], "张店区人民政府");
        assert_eq!(map["博山区政府"], "博山区人民政府");
        assert_eq!(map["市妇联"], "市妇女联合会");
        // Without a later 政府 a district stays a district.
        let alone = [String::from("青浦区")];
        assert_eq!(t.map(&alone.iter().collect::<Vec<_>>())["青浦区"], "青浦区");
    }

    #[test]
    fn a_users_file_extends_the_table_and_its_errors_say_where() {
        let t = UnitsTable::builtin()
            .extended(
                "# mine\n教育局\t教育和体育局\n=市委\t中共淄博市委员会\n",
                "mine.tsv",
            )
            .unwrap();
        assert_eq!(t.canonical("区教育局"), "区教育和体育局");
        assert_eq!(t.canonical("市委"), "中共淄博市委员会");
        let err = UnitsTable::builtin()
            .extended("教育局\n", "bad.tsv")
            .unwrap_err();
        assert_eq!((err.source_name.as_str(), err.line), ("bad.tsv", 1));
        assert!(err.to_string().starts_with("bad.tsv:1: "), "{err}");
        let twice = UnitsTable::builtin()
            .extended("a局\tb局\na局\tc局\n", "twice.tsv")
            .unwrap_err();
        assert_eq!(twice.line, 2);
    }
}
