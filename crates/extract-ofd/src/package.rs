//! The package's description of itself: `OFD.xml` (document info, where the document and
//! its signatures are), `Document.xml` (page box, template pages, pages) and
//! `Signatures.xml` (how many signatures).

use std::collections::HashMap;

use quick_xml::events::Event;

use zip_container::{dir_of, resolve_part};

use crate::xml::{self, Depth, attr, malformed, numbers};
use crate::{Error, Limits};

/// What `OFD.xml` says about the first document of the package.
#[derive(Debug, Default)]
pub(crate) struct Entry {
    /// `DocRoot`: the document's `Document.xml`, as a path inside the ZIP.
    pub doc_root: Option<String>,
    /// `Signatures`: its `Signatures.xml`, when the document is signed.
    pub signatures: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub created: Option<String>,
}

/// A page in `Document.xml`: its content part.
#[derive(Debug, Clone)]
pub(crate) struct PageRef {
    pub content: String,
}

/// What `Document.xml` says.
#[derive(Debug, Default)]
pub(crate) struct DocDesc {
    /// `CommonData/PageArea/PhysicalBox` in millimetres, `[x, y, width, height]`.
    pub page_box: Option<[f64; 4]>,
    /// Template pages by ID: their content parts.
    pub templates: HashMap<String, String>,
    pub pages: Vec<PageRef>,
}

/// Streams the elements of `xml`, calling `on` with (local name, start event or None for an
/// end, text inside the innermost element so far). Checks well-formedness and depth.
fn walk(
    part: &str,
    bytes: &[u8],
    limits: &Limits,
    mut on: impl FnMut(Ev<'_>) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut r = xml::reader(bytes);
    let mut depth = Depth::new(limits.max_depth);
    let mut names: Vec<Vec<u8>> = Vec::new();
    let mut text = String::new();
    loop {
        match r.read_event().map_err(|e| malformed(part, e))? {
            Event::Start(e) => {
                depth.start(part)?;
                text.clear();
                on(Ev::Start(e.local_name().as_ref(), &e))?;
                names.push(e.local_name().as_ref().to_vec());
            }
            Event::Empty(e) => {
                depth.start(part)?;
                depth.end();
                on(Ev::Start(e.local_name().as_ref(), &e))?;
                on(Ev::End(e.local_name().as_ref(), ""))?;
            }
            Event::End(_) => {
                depth.end();
                let name = names.pop().unwrap_or_default();
                on(Ev::End(&name, text.trim()))?;
                text.clear();
            }
            Event::Text(t) => text.push_str(&xml::text(part, &t)?),
            Event::GeneralRef(g) => text.push_str(&xml::resolve_ref(&g).unwrap_or_default()),
            Event::CData(c) => text.push_str(&String::from_utf8_lossy(&c)),
            Event::Eof => return Ok(depth.eof(part)?),
            _ => {}
        }
    }
}

enum Ev<'a> {
    Start(&'a [u8], &'a quick_xml::events::BytesStart<'a>),
    /// An element's end, with the text directly inside it (trimmed).
    End(&'a [u8], &'a str),
}

/// Reads `OFD.xml`. Only the first `DocBody` counts: a package may hold several documents,
/// and readers show the first.
pub(crate) fn entry(bytes: &[u8], limits: &Limits) -> Result<Entry, Error> {
    let mut out = Entry::default();
    let mut bodies = 0;
    walk("OFD.xml", bytes, limits, |ev| {
        match ev {
            Ev::Start(b"DocBody", _) => bodies += 1,
            Ev::End(name, text) if bodies == 1 && !text.is_empty() => {
                let text = Some(text.to_owned());
                match name {
                    b"DocRoot" => out.doc_root = text.map(|t| resolve_part("", &t)),
                    b"Signatures" => out.signatures = text.map(|t| resolve_part("", &t)),
                    b"Title" => out.title = text,
                    b"Author" => out.author = text,
                    b"CreationDate" => out.created = text,
                    _ => {}
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// Reads `Document.xml` (at `part`; locations in it are relative to its folder).
pub(crate) fn document(part: &str, bytes: &[u8], limits: &Limits) -> Result<DocDesc, Error> {
    let base = dir_of(part);
    let mut out = DocDesc::default();
    let mut in_page_area = false;
    walk(part, bytes, limits, |ev| {
        match ev {
            Ev::Start(b"PageArea", _) => in_page_area = true,
            Ev::End(b"PageArea", _) => in_page_area = false,
            Ev::End(b"PhysicalBox", text) if in_page_area => out.page_box = page_box(text),
            Ev::Start(b"TemplatePage", e) => {
                if let (Some(id), Some(loc)) = (attr(e, b"ID"), attr(e, b"BaseLoc")) {
                    out.templates
                        .insert(id.trim().to_owned(), resolve_part(base, &loc));
                }
            }
            Ev::Start(b"Page", e) => {
                if let Some(loc) = attr(e, b"BaseLoc") {
                    out.pages.push(PageRef {
                        content: resolve_part(base, &loc),
                    });
                    if out.pages.len() > limits.max_pages {
                        return Err(Error::TooLarge(format!(
                            "more than max_pages {} pages",
                            limits.max_pages
                        )));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// How many `Signature` entries `Signatures.xml` lists.
pub(crate) fn signatures(part: &str, bytes: &[u8], limits: &Limits) -> Result<u32, Error> {
    let mut n = 0u32;
    walk(part, bytes, limits, |ev| {
        if let Ev::Start(b"Signature", _) = ev {
            n = n.saturating_add(1);
        }
        Ok(())
    })?;
    Ok(n)
}

/// `x y width height`, with a positive size.
pub(crate) fn page_box(text: &str) -> Option<[f64; 4]> {
    match numbers(text)?.as_slice() {
        &[x, y, w, h] if w > 0.0 && h > 0.0 => Some([x, y, w, h]),
        _ => None,
    }
}
