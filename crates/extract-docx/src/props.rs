//! `docProps/core.xml`: title, creator, created (as written, W3CDTF / ISO 8601).

use quick_xml::events::Event;

use crate::Error;
use crate::xml::{self, Depth, malformed};

#[derive(Debug, Default)]
pub(crate) struct CoreProps {
    pub title: Option<String>,
    pub author: Option<String>,
    pub created: Option<String>,
}

pub(crate) fn parse(part: &str, xml: &[u8]) -> Result<CoreProps, Error> {
    let mut r = xml::reader(xml);
    let mut depth = Depth::default();
    let mut props = CoreProps::default();
    // 0 none, 1 title, 2 creator, 3 created
    let mut field = 0u8;
    let mut text = String::new();
    loop {
        let ev = r
            .read_event()
            .map_err(|e| malformed(part, format!("at byte {}: {e}", r.error_position())))?;
        match ev {
            Event::Start(e) => {
                depth.start(part)?;
                field = if depth.open == 2 {
                    match e.local_name().as_ref() {
                        b"title" => 1,
                        b"creator" => 2,
                        b"created" => 3,
                        _ => 0,
                    }
                } else {
                    0
                };
                text.clear();
            }
            Event::Empty(_) => {
                depth.start(part)?;
                depth.end();
            }
            Event::Text(t) if field != 0 => {
                text.push_str(&t.xml10_content().map_err(|e| malformed(part, e))?)
            }
            Event::GeneralRef(g) if field != 0 => {
                if let Some(s) = xml::resolve_ref(&g) {
                    text.push_str(&s);
                }
            }
            Event::End(_) => {
                depth.end();
                let value = text.trim();
                if field != 0 && !value.is_empty() {
                    let slot = match field {
                        1 => &mut props.title,
                        2 => &mut props.author,
                        _ => &mut props.created,
                    };
                    *slot = Some(value.to_owned());
                }
                field = 0;
                text.clear();
            }
            Event::Eof => {
                depth.eof(part)?;
                return Ok(props);
            }
            _ => {}
        }
    }
}
