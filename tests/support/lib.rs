//! Support for the regression suite in `tests/`: the corpus, records made the way the
//! CLI makes them, comparisons that name what differs, and re-blessing of golden files.
//!
//! Re-bless golden records after a reviewed change: `NOTICEPIPE_BLESS=1 cargo test --test golden`.

use std::path::{Path, PathBuf};

use noticepipe::Pipeline;
use noticepipe_output::Record;
use serde_json::{Value, json};

/// The formats whose corpus files the suite covers.
pub const FORMATS: &[&str] = &["txt", "docx", "pdf"];

/// The repository's root folder (this package's manifest folder).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What some tests need from outside the repository. Without it such a test skips, saying so
/// on the terminal (past the test harness's capture); where the environment says the
/// material is present — its name, or `all`, in the comma list of [`REQUIRE_VAR`] — its
/// absence fails the test instead. `scripts/test.sh`, and so CI, lists `ocr`; `.ci/run`
/// adds `namespaces`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Material {
    /// Real State Council pages and their text (`../shared/real-gov`, never copied in).
    RealGov,
    /// Real OFD and DOC files from production software (`../shared/formats`, never copied in).
    Formats,
    /// The OCR engine `scripts/install-ocr.sh` installs (ONNX Runtime and PP-OCR models).
    OcrEngine,
    /// A private mount namespace with a tmpfs (`unshare -m`, root): the full-disk tests.
    Namespaces,
}

/// The environment variable naming the material that is present (`ocr,namespaces`, `all`).
pub const REQUIRE_VAR: &str = "NOTICEPIPE_REQUIRE";

impl Material {
    /// Its name in [`REQUIRE_VAR`].
    pub fn name(self) -> &'static str {
        match self {
            Material::RealGov => "real-gov",
            Material::Formats => "formats",
            Material::OcrEngine => "ocr",
            Material::Namespaces => "namespaces",
        }
    }

    /// Whether [`REQUIRE_VAR`] says this material is present.
    pub fn required(self) -> bool {
        std::env::var(REQUIRE_VAR).is_ok_and(|list| {
            list.split(',')
                .map(str::trim)
                .any(|n| n == self.name() || n == "all")
        })
    }

    /// A test that needs this material found it missing (`why`): fails when the material
    /// is required, else writes `SKIPPED <test>: …` straight to stderr — `eprintln!` would be
    /// captured and never shown for a test that passes — and returns, for the test to end.
    pub fn missing(self, why: &dyn std::fmt::Display) {
        let test = std::thread::current().name().unwrap_or("a test").to_owned();
        assert!(
            !self.required(),
            "{test} needs {}: {why} ({REQUIRE_VAR} says it is present)",
            self.name()
        );
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr().lock(),
            "SKIPPED {test}: needs {}: {why} (with {REQUIRE_VAR}={} this fails)",
            self.name(),
            self.name()
        );
    }
}

/// The folder of a material kept beside the repository (`RealGov`, `Formats`), or None
/// after [`Material::missing`] when it is absent.
pub fn shared_material(material: Material) -> Option<PathBuf> {
    let dir = repo_root().join(match material {
        Material::RealGov => "../shared/real-gov",
        Material::Formats => "../shared/formats",
        other => panic!("{other:?} is not a folder beside the repository"),
    });
    if dir.is_dir() {
        return Some(dir);
    }
    material.missing(&format_args!("{} is absent", dir.display()));
    None
}

/// The five sample notices by name ("2023-zibo", …).
pub fn notices() -> Vec<String> {
    names_with_expectations("fixtures/expected")
}

/// The stems of the `.json` files in a repo-relative folder of hand-checked fields, sorted.
pub fn names_with_expectations(rel_dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo_root().join(rel_dir))
        .unwrap_or_else(|e| panic!("{rel_dir}: {e}"))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            p.file_stem()
                .expect("a stem")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no notices in {rel_dir}");
    names
}

/// For each notice `{dir}/{name}.{ext}` of the formats other than TXT, what differs from
/// the TXT record (format-independent fields), as readable failure lines.
pub fn differences_from_txt(dir: &str, names: &[String], formats: &[&str]) -> Vec<String> {
    let mut failures = Vec::new();
    for name in names {
        let reference = format_independent(&record_of(&format!("{dir}/{name}.txt")));
        for ext in formats.iter().filter(|e| **e != "txt") {
            let rel = format!("{dir}/{name}.{ext}");
            let diffs = differences(&reference, &format_independent(&record_of(&rel)));
            if !diffs.is_empty() {
                failures.push(format!(
                    "{rel} differs from the TXT record:\n  {}",
                    diffs.join("\n  ")
                ));
            }
        }
    }
    failures
}

/// What differs between the record of `rel` and that of its twin `twin` (another format
/// of the same notice), format-independent fields only, as readable lines.
pub fn differences_from_twin(rel: &str, twin: &str) -> Vec<String> {
    let reference = format_independent(&record_of(twin));
    differences(&reference, &format_independent(&record_of(rel)))
}

/// For each notice, what differs between the record of `{reference}` and of `{actual}`
/// (`{}` in each pattern stands for the notice's name), as readable failure lines: for
/// twins other than the TXT (an OFD against its DOCX).
pub fn differences_between_twins(names: &[String], reference: &str, actual: &str) -> Vec<String> {
    let mut failures = Vec::new();
    for name in names {
        let (r, a) = (reference.replace("{}", name), actual.replace("{}", name));
        let diffs = differences_from_twin(&a, &r);
        if !diffs.is_empty() {
            failures.push(format!("{a} differs from {r}:\n  {}", diffs.join("\n  ")));
        }
    }
    failures
}

/// Corpus files of the covered formats, as repo-relative paths ("corpus/2023-zibo.txt").
pub fn corpus_files() -> Vec<String> {
    let mut files = Vec::new();
    for name in notices() {
        for ext in FORMATS {
            let rel = format!("corpus/{name}.{ext}");
            assert!(repo_root().join(&rel).is_file(), "{rel} is missing");
            files.push(rel);
        }
    }
    files
}

/// The web pages of fixtures/html (made by fixtures/html/make_pages.py) with what each must
/// give, from fixtures/html/expected.json: `twin` (the TXT whose record it equals),
/// `encoding`, `warnings` (extra codes), `hrefs`, `metadata`, `chrome` (words no record
/// string may hold), `same_as_twin` with `same_fields` and `fields` (a page carrying part of
/// its notice), or `error` (a code).
pub fn html_pages() -> Vec<(String, Value)> {
    let path = repo_root().join("fixtures/html/expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let manifest: serde_json::Map<String, Value> =
        serde_json::from_str(&text).expect("expected.json is a JSON object");
    let pages: Vec<(String, Value)> = manifest
        .into_iter()
        .map(|(rel, expected)| (format!("fixtures/html/{rel}"), expected))
        .collect();
    assert!(!pages.is_empty(), "no pages in fixtures/html/expected.json");
    pages
}

/// The record of a repo-relative file, made as `noticepipe parse` makes it.
pub fn record_of(rel: &str) -> Record {
    let bytes = std::fs::read(repo_root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    record_of_bytes(rel, &bytes)
}

/// The record of `bytes` named `name`, made by the default pipeline in this process;
/// panics with the error when there is none.
pub fn record_of_bytes(name: &str, bytes: &[u8]) -> Record {
    Pipeline::default()
        .process_bytes(name, bytes)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// `record` as a JSON value.
pub fn to_value(record: &Record) -> Value {
    serde_json::to_value(record).expect("a record serializes")
}

/// The record without what may differ between formats: `source` and every `provenance`.
pub fn format_independent(record: &Record) -> Value {
    without_source_and_provenance(to_value(record))
}

/// A record (as JSON) without `source` and without every `provenance`, at any depth
/// (fields, items, attachment rows).
pub fn without_source_and_provenance(mut record: Value) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(object) => {
                object.remove("provenance");
                object.values_mut().for_each(strip);
            }
            Value::Array(values) => values.iter_mut().for_each(strip),
            _ => {}
        }
    }
    record.as_object_mut().expect("an object").remove("source");
    strip(&mut record);
    record
}

/// The fields fixtures/expected gives, read from a record in the same shape.
pub fn key_fields(record: &Value) -> Value {
    let items: Vec<Value> = record["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| json!({"number": i["number"], "title": i["title"], "responsible_units": i["responsible_units"]}))
        .collect();
    let attachment = &record["attachments"][0];
    let rows = match attachment["rows"].as_array() {
        Some(rows) if !rows.is_empty() => rows
            .iter()
            .map(|r| json!({"number": r["number"], "name": r["name"], "responsible_units": r["responsible_units"]}))
            .collect(),
        _ => Value::Null,
    };
    json!({
        "issuer": record["issuer"],
        "title": record["title"],
        "doc_number": record["doc_number"],
        "date": record["date"],
        "items": items,
        "attachment_title": attachment["title"],
        "attachment_rows": rows,
    })
}

/// Paths where two JSON values differ, with both sides, for a readable failure.
pub fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_into(expected, actual, String::new(), &mut out);
    out
}

fn diff_into(expected: &Value, actual: &Value, path: String, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                let (x, y) = (
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                );
                diff_into(x, y, format!("{path}/{key}"), out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff_into(x, y, format!("{path}/{i}"), out);
            }
        }
        _ if expected != actual => out.push(format!("{path}: expected {expected}, got {actual}")),
        _ => {}
    }
}

/// Compares `actual` with the golden file, or rewrites it when NOTICEPIPE_BLESS is set.
pub fn check_golden(golden: &Path, actual: &Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(actual).expect("serializes") + "\n";
    if std::env::var_os("NOTICEPIPE_BLESS").is_some() {
        std::fs::create_dir_all(golden.parent().expect("a parent")).expect("creatable");
        std::fs::write(golden, text).expect("writable");
        return Ok(());
    }
    let expected: Value = match std::fs::read_to_string(golden) {
        Ok(s) => serde_json::from_str(&s).map_err(|e| format!("{}: {e}", golden.display()))?,
        Err(e) => {
            return Err(format!(
                "{}: {e} (bless with NOTICEPIPE_BLESS=1)",
                golden.display()
            ));
        }
    };
    let diffs = differences(&expected, actual);
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} differs:\n  {}",
            golden.display(),
            diffs.join("\n  ")
        ))
    }
}

/// The golden record of the repo-relative file `rel`: `fixtures/golden/<file name>.json`.
pub fn golden_path(rel: &str) -> PathBuf {
    let name = Path::new(rel)
        .file_name()
        .expect("a file name")
        .to_string_lossy();
    repo_root()
        .join("fixtures/golden")
        .join(format!("{name}.json"))
}
