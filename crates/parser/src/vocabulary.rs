//! The words the parser recognizes organizations by, in one place: what ends an organ's
//! name, and what ends the name of any body a units note may charge with a task.

/// Words that end the name of a government organ or public body: what a letterhead or a
/// signature line ends in, and what lets "A和B" split into two names. 海关 (上海海关 signs
/// fixtures/real/2025-shanghai-wuliu-cangchu-xingdong-fangan.md).
pub const ORGAN_WORDS: [&str; 21] = [
    "办公室",
    "人民政府",
    "政府",
    "委员会",
    "管委会",
    "海关",
    "局",
    "委",
    "厅",
    "办",
    "院",
    "部",
    "中心",
    "会",
    "室",
    "组",
    "处",
    "署",
    "联",
    "团",
    "府",
];

/// Words that end the name of any unit a note may name beyond organs: banks (人行…分行),
/// companies and groups (通商控股集团, 中国移动南充分公司), stations, institutes, teams,
/// 党中央 bodies (中央).
pub const OTHER_UNIT_WORDS: [&str; 9] =
    ["行", "所", "站", "队", "社", "馆", "公司", "集团", "中央"];

/// The last characters of the organ words: a name ending in none of them ends in no organ
/// word, which is the answer for most paragraphs (checked before the words themselves).
const ORGAN_LAST_CHARS: &str = "室府会关局委厅办院部心组处署联团";

/// Ends in an organ word.
pub fn ends_with_organ_word(name: &str) -> bool {
    name.chars()
        .next_back()
        .is_some_and(|c| ORGAN_LAST_CHARS.contains(c))
        && ORGAN_WORDS.iter().any(|w| name.ends_with(w))
}

/// Ends in a word that ends a unit's name: an organ word or another unit word.
pub fn ends_with_unit_word(name: &str) -> bool {
    ends_with_organ_word(name) || OTHER_UNIT_WORDS.iter().any(|w| name.ends_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_characters_cover_every_organ_word() {
        for w in ORGAN_WORDS {
            let last = w.chars().next_back().unwrap();
            assert!(ORGAN_LAST_CHARS.contains(last), "{w}");
        }
    }
}
