//! Records grouped by notice: the files of one notice (its DOCX, PDF and web page) give
//! records with the same `id`, and the tables and the report count that notice once.

use std::collections::HashMap;

use crate::Record;

/// One notice of a set of records: the record standing for it (the first given) and the
/// source paths of every record with its `id`, in the order given.
#[derive(Debug, Clone)]
pub struct NoticeFiles<'a> {
    /// The record whose rows are used.
    pub record: &'a Record,
    /// Every file the notice was read from, `record`'s first.
    pub files: Vec<&'a str>,
}

/// The notices of `records`, in the order their first records are given: records sharing
/// an `id` are one notice unless `keep_duplicates` (then each record is its own). A record
/// without an id (made before schema 1.2 and not restamped) is always its own.
pub fn by_notice<'a>(
    records: impl IntoIterator<Item = &'a Record>,
    keep_duplicates: bool,
) -> Vec<NoticeFiles<'a>> {
    let mut notices: Vec<NoticeFiles> = Vec::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for record in records {
        let path = record.source.path.as_str();
        let same = (!keep_duplicates && !record.id.is_empty())
            .then(|| by_id.get(record.id.as_str()).copied())
            .flatten();
        match same {
            Some(k) => notices[k].files.push(path),
            None => {
                by_id.insert(&record.id, notices.len());
                notices.push(NoticeFiles {
                    record,
                    files: vec![path],
                });
            }
        }
    }
    notices
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str, id: &str) -> Record {
        let mut r = Record::new(
            crate::Source {
                path: path.into(),
                format: crate::SourceFormat::Txt,
                sha256: String::new(),
                bytes: 1,
                encoding: None,
                pages: None,
                metadata: None,
                ocr: None,
            },
            Default::default(),
        );
        r.id = id.into();
        r
    }

    #[test]
    fn one_notice_per_id_its_files_in_the_order_given() {
        let records = [
            record("b.pdf", "x"),
            record("c.txt", "y"),
            record("a.docx", "x"),
            record("d.txt", ""),
            record("e.txt", ""),
        ];
        let grouped = by_notice(&records, false);
        let files: Vec<Vec<&str>> = grouped.iter().map(|n| n.files.clone()).collect();
        assert_eq!(
            files,
            [
                vec!["b.pdf", "a.docx"],
                vec!["c.txt"],
                vec!["d.txt"],
                vec!["e.txt"]
            ]
        );
        assert_eq!(grouped[0].record.source.path, "b.pdf");
        assert_eq!(by_notice(&records, true).len(), 5);
    }
}
