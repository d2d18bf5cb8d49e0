//! Text into HTML, paths into links.

use std::path::{Component, Path};

/// `text` with `& < > " '` replaced by their character references: safe in element content
/// and in quoted attribute values alike.
pub fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A file path as a URL: every byte but `A–Z a–z 0–9 - . _ ~ /` percent-encoded (so `#`,
/// `?`, `%`, `:` and spaces in a name stay part of it); an absolute path becomes a
/// `file://` URL, a relative one a relative URL.
///
/// ```
/// assert_eq!(noticepipe_report::path_href("corpus/a b#1.txt"), "corpus/a%20b%231.txt");
/// assert_eq!(noticepipe_report::path_href("/tmp/通知.pdf"), "file:///tmp/%E9%80%9A%E7%9F%A5.pdf");
/// ```
pub fn path_href(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The link from a page in the folder `from_dir` to `file`, both absolute: a relative URL
/// (`../corpus/x.txt`), so the page and the files can move together. Paths that are not
/// both absolute give [`path_href`] of `file` as it is. Lexical: `..` in either path is
/// taken as written (give canonical paths).
///
/// ```
/// use std::path::Path;
/// use noticepipe_report::relative_href;
/// assert_eq!(relative_href(Path::new("/w/corpus/a.txt"), Path::new("/w/out")), "../corpus/a.txt");
/// assert_eq!(relative_href(Path::new("/w/a.txt"), Path::new("/w")), "a.txt");
/// ```
pub fn relative_href(file: &Path, from_dir: &Path) -> String {
    if !file.is_absolute() || !from_dir.is_absolute() {
        return path_href(&file.to_string_lossy());
    }
    let file: Vec<Component> = file.components().collect();
    let dir: Vec<Component> = from_dir.components().collect();
    let common = file.iter().zip(&dir).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); dir.len() - common];
    parts.extend(
        file[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    path_href(&parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_inert() {
        assert_eq!(
            escape(r#"<script>alert("x")</script>&'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"
        );
        assert!(matches!(escape("两癌"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn links_escape_what_would_end_or_change_them() {
        assert_eq!(path_href("a\"b<c>.txt"), "a%22b%3Cc%3E.txt");
        assert_eq!(path_href("c:x?y"), "c%3Ax%3Fy");
        assert_eq!(
            relative_href(Path::new("/a/b/c.txt"), Path::new("/a/x/y")),
            "../../b/c.txt"
        );
        assert_eq!(
            relative_href(Path::new("rel/c.txt"), Path::new("/a")),
            "rel/c.txt"
        );
    }
}
