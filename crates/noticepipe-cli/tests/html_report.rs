//! `noticepipe report`: the HTML page about the bundled corpus (five notices, each as TXT,
//! DOCX and PDF), from the notices and from a folder of their records; links that lead to
//! the files; inputs that cannot be read named, and no page when nothing could be.

mod common;

use std::path::{Path, PathBuf};

use common::{corpus, noticepipe, records_of_corpus, repo, stderr};

const NAMES: [&str; 5] = [
    "2023-zibo",
    "2024-gaoxin",
    "2024-zichuan",
    "2025-zibo",
    "2026-linzi",
];

fn corpus_files() -> Vec<PathBuf> {
    NAMES
        .iter()
        .flat_map(|n| ["txt", "docx", "pdf"].map(|e| corpus(&format!("{n}.{e}"))))
        .collect()
}

fn run(inputs: &[&Path], out: &Path) -> std::process::Output {
    let mut args = vec!["report".to_string()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["--out".into(), out.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    noticepipe(&args, &repo())
}

/// Each `href` of a file link, percent-decoded.
fn file_links(page: &str) -> Vec<String> {
    page.split("<a class=\"file\" href=\"")
        .skip(1)
        .map(|rest| {
            let href = &rest[..rest.find('"').unwrap()];
            let bytes = href.as_bytes();
            let mut out = Vec::new();
            let mut k = 0;
            while k < bytes.len() {
                if bytes[k] == b'%' {
                    out.push(u8::from_str_radix(&href[k + 1..k + 3], 16).unwrap());
                    k += 3;
                } else {
                    out.push(bytes[k]);
                    k += 1;
                }
            }
            String::from_utf8(out).unwrap()
        })
        .collect()
}

#[test]
fn the_corpus_notices_give_five_notices_and_links_that_lead_to_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let page_path = dir.path().join("pages/report.html");
    let files = corpus_files();
    let inputs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let out = run(&inputs, &page_path);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("reported 5 notices ("),
        "{}",
        stderr(&out)
    );
    let page = std::fs::read_to_string(&page_path).unwrap();
    // Five notices: the three files of each share the record id. (Fifteen files today;
    // five once gather drops the files of one id, when the page names the one kept.)
    assert!(page.contains("data-notices=\"5\""));
    assert!(page.contains("data-files=\"15\"") || page.contains("data-files=\"5\""));
    assert!(page.contains("<svg"), "charts");
    assert!(
        page.contains("<article class=\"group\">"),
        "recurring projects"
    );
    // 2024-zichuan's units_mismatch (in the count by code, and a row for each of its files
    // read), each linked to its file.
    assert!(page.matches("<code>units_mismatch</code>").count() >= 2);
    let links = file_links(&page);
    assert!(!links.is_empty());
    for link in &links {
        let file = page_path.parent().unwrap().join(link);
        assert!(file.is_file(), "{link} leads to no file from the page");
    }
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "nothing fetched"
    );
}

#[test]
fn a_folder_of_records_gives_the_same_notices() {
    let dir = tempfile::tempdir().unwrap();
    let records = records_of_corpus(dir.path());
    let page_path = dir.path().join("report.html");
    let out = run(&[&records], &page_path);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(&page_path).unwrap();
    assert!(page.contains("data-notices=\"5\""), "five notices");
    // The records name their files relative to the folder convert ran in (the
    // repository); from the page, the links lead there.
    for link in file_links(&page) {
        let file = dir.path().join(&link);
        assert!(file.is_file(), "{link}");
    }
}

/// The folder of notices itself: every file parsed, the three files of each notice one.
#[test]
fn the_corpus_folder() {
    let dir = tempfile::tempdir().unwrap();
    let page_path = dir.path().join("report.html");
    let out = run(&[&repo().join("corpus")], &page_path);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(&page_path).unwrap();
    assert!(
        page.contains("data-notices=\"5\""),
        "five notices, not fifteen"
    );
}

#[test]
fn unreadable_inputs_are_named_and_nothing_readable_writes_no_page() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"not\": \"a record\"}").unwrap();
    let missing = dir.path().join("missing.txt");
    let page_path = dir.path().join("report.html");
    let out = run(&[&bad, &missing], &page_path);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{}: not a noticepipe record", bad.display())),
        "{err}"
    );
    assert!(err.contains(&missing.display().to_string()), "{err}");
    assert!(!page_path.exists(), "no page from nothing");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary left"
    );

    // One good input among them: the page is written, the run still fails.
    let good = corpus("2025-zibo.txt");
    let out = run(&[&bad, &good], &page_path);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let page = std::fs::read_to_string(&page_path).unwrap();
    assert!(page.contains("data-notices=\"1\""));
}

#[test]
fn a_page_that_cannot_be_written_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the page should go: the rename fails.
    let page_path = dir.path().join("report.html");
    std::fs::create_dir_all(page_path.join("inner")).unwrap();
    let out = run(&[&corpus("2025-zibo.txt")], &page_path);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[io]"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
