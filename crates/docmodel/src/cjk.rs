//! What counts as Chinese text: the one set of character ranges every reader and the parser
//! use, decided here once.
//!
//! Two predicates, for two questions:
//!
//! - [`is_han`]: *is this a Han ideograph* — a character of a word or a name (a unit name is
//!   all Han; an OCR line's Han characters are set one em apart). The blocks:
//!   CJK Unified Ideographs (U+4E00–9FFF, every character of a notice in practice),
//!   Extension A (U+3400–4DBF) and Extensions B–G and I (U+20000–3134F: rare characters of
//!   personal and place names, which GB18030 encodes), the CJK Compatibility Ideographs
//!   (U+F900–FAFF: converters emit them for some characters), and the ideographic zero
//!   `〇` (U+3007, in dates written 二〇二五年), which Unicode files under CJK punctuation.
//!   Not included: the radicals (U+2E80–2FDF: the normalizer folds them to the ideographs
//!   they stand for first), and Extension H (U+31350–323AF), which no input has needed.
//! - [`is_cjk_text`]: *does this take no spaces around it* — Han ideographs and the
//!   punctuation set among them: the radicals (U+2E80–2FFF), CJK Symbols and Punctuation
//!   (U+3000–303F: 、。〔〕【】《》), CJK Compatibility Forms (U+FE30–FE4F: vertical forms),
//!   Halfwidth and Fullwidth Forms (U+FF00–FFEF: ，（）：), and the curly quotes, dashes,
//!   ellipsis and middle dot Chinese text shares with Latin text (“ ” ‘ ’ — … ·).
//!
//! Deliberately other sets, named otherwise where they live: `glyph_layout::is_wide`
//! (East Asian Width wide and full-width, Hangul and Yi included: a glyph's advance and a
//! place a line may break), the layout's CJK punctuation (a gap beside it is no word
//! space), and the TXT decoder's "common character" set (how plausible a decoding is).
//!
//! Both run once per character in the normalizer's and the layouts' loops: `#[inline]`,
//! range compares only.
//!
//! ```
//! use docmodel::{is_cjk_text, is_han};
//! assert!(is_han('淄') && is_han('〇') && is_han('𠀀'));
//! assert!(!is_han('。') && is_cjk_text('。') && is_cjk_text('（') && is_cjk_text('“'));
//! assert!(!is_cjk_text('a') && !is_cjk_text(' '));
//! ```

/// A Han ideograph: the unified blocks (U+4E00–9FFF, Extension A U+3400–4DBF, Extensions
/// B–G and I U+20000–3134F), the compatibility ideographs (U+F900–FAFF) and `〇`; see the
/// [module](self) for why these.
#[inline]
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
        || c == '〇'
}

/// Han ideographs and CJK punctuation and full-width forms: text that takes no spaces
/// around it; see the [module](self) for the blocks.
#[inline]
pub fn is_cjk_text(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FFF | 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3134F)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_han_character_is_cjk_text() {
        for c in ('\u{0}'..='\u{3FFFF}').filter(|&c| is_han(c)) {
            assert!(is_cjk_text(c), "{c:?}");
        }
    }

    #[test]
    fn block_edges() {
        for (c, han) in [
            ('\u{33FF}', false),
            ('\u{3400}', true),
            ('\u{4DBF}', true),
            ('\u{4DC0}', false), // Yijing hexagram symbols
            ('\u{9FFF}', true),
            ('\u{A000}', false), // Yi
            ('\u{F900}', true),
            ('\u{FAFF}', true),
            ('\u{1FFFF}', false),
            ('\u{20000}', true),
            ('\u{3134F}', true),
            ('\u{31350}', false),
            ('\u{3007}', true),
            ('\u{3006}', false),
            ('\u{2F00}', false), // Kangxi radical 一
        ] {
            assert_eq!(is_han(c), han, "{c:?} U+{:04X}", c as u32);
        }
        assert!(is_cjk_text('\u{2F00}') && is_cjk_text('\u{FE30}') && is_cjk_text('\u{FFEF}'));
        assert!(!is_cjk_text('\u{FFF0}') && !is_cjk_text('\u{2E7F}') && !is_cjk_text('-'));
    }
}
