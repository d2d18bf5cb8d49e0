//! The real development corpus (fixtures/real): documents exactly as governments published
//! them or public archives hold them, each with fields written by reading it
//! (fixtures/real/expected, sources in fixtures/real/SOURCES.md).
//!
//! For every file the key fields are scored — issuer, title, 发文字号, 成文日期, the item
//! count, the attachments' titles, and each item's number, title, lead and responsible
//! units — and printed per document. The test fails when a file scores below the floor
//! recorded in fixtures/real/scores.tsv, and when a record is *silently wrong*: a wrong
//! item count, or wrong units on at least a fifth of its items, with no warning admitting
//! doubt. Right records that carry a doubt warning are printed as noise.
//!
//! After a change that raises scores, record the new floors:
//! `NOTICEPIPE_REAL_SCORES=write cargo test --test real`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use noticepipe_output::{Record, WarningCode};
use noticepipe_tests::{record_of, repo_root};
use serde_json::Value;

const DIR: &str = "fixtures/real";

/// Warnings that admit a wrong item count.
fn admits_count(code: WarningCode) -> bool {
    matches!(
        code,
        WarningCode::CountMismatch
            | WarningCode::OrphanNote
            | WarningCode::NumberingGap
            | WarningCode::NumberingDuplicate
            | WarningCode::ItemsUncertain
            | WarningCode::NoItems
            | WarningCode::MergedRow
            | WarningCode::NameMismatch
    )
}

/// Warnings that admit wrong units (or a wrong count, which shifts them).
fn admits_units(code: WarningCode) -> bool {
    admits_count(code) || matches!(code, WarningCode::MissingUnits | WarningCode::UnitsMismatch)
}

/// One file's score.
struct Score {
    right: usize,
    total: usize,
    /// What was wrong, one line each.
    wrong: Vec<String>,
    /// The item count is wrong and no warning admits it, or the units of ≥ 1/5 of the
    /// items are wrong and no warning admits that.
    silently_wrong: bool,
    /// Warnings that doubt the structure, other than `missing_units` (which a right record
    /// carries for an item that truly names no unit).
    doubt_codes: Vec<String>,
}

fn text_of(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(s.clone()),
        _ => Value::Null,
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn score(expected: &Value, record: &Record) -> Score {
    let n = &record.notice;
    let mut right = 0;
    let mut total = 0;
    let mut wrong = Vec::new();
    let mut field = |name: String, want: Value, got: Value| {
        total += 1;
        if want == got {
            right += 1;
        } else {
            wrong.push(format!("{name}: expected {want}, got {got}"));
        }
    };
    let opt = |s: Option<&str>| s.map_or(Value::Null, |s| Value::String(s.to_string()));
    field(
        "issuer".into(),
        text_of(&expected["issuer"]),
        opt(n.issuer.as_deref()),
    );
    field(
        "title".into(),
        text_of(&expected["title"]),
        opt(n.title.as_deref()),
    );
    field(
        "doc_number".into(),
        text_of(&expected["doc_number"]),
        opt(n.doc_number.as_ref().map(|d| d.text.as_str())),
    );
    field(
        "date".into(),
        text_of(&expected["date"]),
        opt(n.date.as_deref()),
    );
    let want_items = expected["items"].as_array().cloned().unwrap_or_default();
    field(
        "item count".into(),
        want_items.len().into(),
        n.items.len().into(),
    );
    let titles: Vec<String> = n.attachments.iter().map(|a| a.title.clone()).collect();
    field(
        "attachments".into(),
        strings(&expected["attachments"]).into(),
        titles.into(),
    );
    let mut units_wrong = 0;
    for k in 0..want_items.len().max(n.items.len()) {
        let want = want_items.get(k).cloned().unwrap_or(Value::Null);
        let got = n.items.get(k);
        let label = format!("items[{k}]");
        field(
            format!("{label}.number"),
            want["number"].clone(),
            got.map_or(Value::Null, |i| i.number.into()),
        );
        field(
            format!("{label}.title"),
            text_of(&want["title"]),
            got.map_or(Value::Null, |i| i.title.clone().into()),
        );
        let lead = got.map(|i| i.lead_units.clone()).unwrap_or_default();
        let others = got.map(|i| i.responsible_units.clone()).unwrap_or_default();
        let (want_lead, want_others) = (
            strings(&want["lead_units"]),
            strings(&want["responsible_units"]),
        );
        if lead != want_lead || others != want_others {
            units_wrong += 1;
        }
        field(format!("{label}.lead_units"), want_lead.into(), lead.into());
        field(
            format!("{label}.responsible_units"),
            want_others.into(),
            others.into(),
        );
    }
    let codes: Vec<WarningCode> = n.warnings.iter().map(|w| w.code).collect();
    let count_wrong = want_items.len() != n.items.len();
    let units_wrong = units_wrong * 5 >= want_items.len().max(1);
    let silently_wrong = (count_wrong && !codes.iter().any(|&c| admits_count(c)))
        || (units_wrong && !codes.iter().any(|&c| admits_units(c)));
    let mut doubt_codes: Vec<String> = codes
        .iter()
        .filter(|&&c| admits_count(c) || c == WarningCode::UnitsMismatch)
        .map(|c| format!("{c:?}"))
        .collect();
    doubt_codes.dedup();
    Score {
        right,
        total,
        wrong,
        silently_wrong,
        doubt_codes,
    }
}

/// Every file of the corpus with hand-checked fields: (file name, stem).
fn corpus() -> Vec<(String, String)> {
    let dir = repo_root().join(DIR);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            let name = p.file_name()?.to_string_lossy().into_owned();
            dir.join("expected")
                .join(format!("{stem}.json"))
                .is_file()
                .then_some((name, stem))
        })
        .collect();
    files.sort();
    files
}

fn read_floors(path: &Path) -> BTreeMap<String, usize> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((cols.next()?.to_string(), cols.next()?.parse().ok()?))
        })
        .collect()
}

#[test]
fn the_real_corpus_keeps_its_scores_and_no_record_is_silently_wrong() {
    let files = corpus();
    let publishers: std::collections::BTreeSet<String> = files
        .iter()
        .filter_map(|(_, stem)| {
            let path = repo_root().join(format!("{DIR}/expected/{stem}.json"));
            let v: Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
            v["publisher"].as_str().map(str::to_string)
        })
        .collect();
    // A notice in several forms (`x.md`, `x.dump.txt`) is one document.
    let documents: std::collections::BTreeSet<&str> = files
        .iter()
        .map(|(_, s)| s.split('.').next().unwrap_or(s))
        .collect();
    let floors_path = repo_root().join(format!("{DIR}/scores.tsv"));
    let floors = read_floors(&floors_path);
    let mut report = String::new();
    let mut failures = Vec::new();
    let (mut right, mut total, mut silent, mut noise) = (0, 0, 0, 0);
    let mut table = String::from(
        "# file\tfields right (floor)\ttotal — written by NOTICEPIPE_REAL_SCORES=write\n",
    );
    for (name, stem) in &files {
        let path = repo_root().join(format!("{DIR}/expected/{stem}.json"));
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let record = record_of(&format!("{DIR}/{name}"));
        let s = score(&expected, &record);
        right += s.right;
        total += s.total;
        let is_silent = s.silently_wrong;
        let is_noise = s.wrong.is_empty() && !s.doubt_codes.is_empty();
        silent += usize::from(is_silent);
        noise += usize::from(is_noise);
        let _ = writeln!(
            report,
            "{name:55} {:>4}/{:<4} {:5.1} %{}{}{}",
            s.right,
            s.total,
            100.0 * s.right as f64 / s.total as f64,
            if is_silent { "  SILENTLY WRONG" } else { "" },
            if is_noise { "  noise:" } else { "" },
            if s.doubt_codes.is_empty() {
                String::new()
            } else {
                format!(" warns {}", s.doubt_codes.join(","))
            }
        );
        for w in s.wrong.iter().take(12) {
            let _ = writeln!(report, "    {w}");
        }
        if s.wrong.len() > 12 {
            let _ = writeln!(report, "    … {} more", s.wrong.len() - 12);
        }
        let _ = writeln!(table, "{name}\t{}\t{}", s.right, s.total);
        match floors.get(name) {
            Some(&floor) if s.right < floor => failures.push(format!(
                "{name}: {} fields right, below its recorded {floor}",
                s.right
            )),
            None => failures.push(format!("{name}: no recorded score in scores.tsv")),
            _ => {}
        }
        if is_silent {
            failures.push(format!("{name}: wrong item count or units with no warning"));
        }
    }
    let _ = writeln!(
        report,
        "\n{} files of {} documents from {} publishers: {right}/{total} key fields right ({:.1} %); \
         {silent} silently wrong; {noise} right records with a doubt warning",
        files.len(),
        documents.len(),
        publishers.len(),
        100.0 * right as f64 / total as f64
    );
    println!("{report}");
    if std::env::var("NOTICEPIPE_REAL_SCORES").as_deref() == Ok("write") {
        std::fs::write(&floors_path, table).expect("scores.tsv is writable");
        return;
    }
    if documents.len() < 25 || publishers.len() < 4 {
        failures.push(format!(
            "the real corpus holds {} documents from {} publishers; it is to hold at least 25 from 4",
            documents.len(),
            publishers.len()
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
