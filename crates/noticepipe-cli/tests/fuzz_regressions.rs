//! Inputs the fuzzers found (fixtures/fuzz/<target>/) stay fixed: each converts, or fails
//! with an ordinary typed error — never a hang, a crash or a panic. They run through the
//! supervised workers, so a regression shows as `timeout`, not as a hung test suite.

mod common;

use common::{command, repo};

#[test]
fn every_fuzz_finding_gets_a_record_or_an_ordinary_error() {
    let fixtures = repo().join("fixtures/fuzz");
    let out = tempfile::tempdir().unwrap();
    let run = command()
        .arg("convert")
        .arg(&fixtures)
        .arg("--out")
        .arg(out.path())
        .args(["--timeout", "10"])
        .output()
        .unwrap();
    let report = std::fs::read_to_string(out.path().join("report.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = report
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let converted = lines.iter().filter(|l| l["status"] != "skipped").count();
    assert!(
        converted >= 1,
        "no findings replayed: {report}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for line in &lines {
        let code = line["error"]["code"].as_str().unwrap_or("");
        assert!(
            !matches!(code, "timeout" | "extract_crash" | "extract_panic"),
            "{line}"
        );
    }
}
