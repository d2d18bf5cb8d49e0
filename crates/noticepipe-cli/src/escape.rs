//! Every human-facing line on stderr goes through [`say!`]: control characters in it (a
//! file name with a newline could forge an `error[…]` line; an escape sequence would reach
//! the terminal) are written as escapes, as ripgrep does with file names.

use std::borrow::Cow;

/// `text` with control characters (C0, DEL, C1) and bidirectional-text controls (which
/// reorder what a terminal shows) written as `\n`, `\r`, `\t` or `\u{…}`.
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `eprintln!`, with the line [`escaped`].
macro_rules! say {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::escape::escaped(&format!($($arg)*)))
    };
}
pub(crate) use say;

#[cfg(test)]
mod tests {
    use super::escaped;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(escaped("2025年实事.docx"), "2025年实事.docx");
        assert_eq!(
            escaped("a\nerror[empty]: b\t\u{1b}[31m\u{9b}\u{202e}"),
            "a\\nerror[empty]: b\\t\\u{1b}[31m\\u{9b}\\u{202e}"
        );
    }
}
