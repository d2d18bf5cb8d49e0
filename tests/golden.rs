//! Every corpus file gives exactly its reviewed golden record.

use noticepipe_tests::{check_golden, corpus_files, golden_path, record_of, to_value};

#[test]
fn every_corpus_file_matches_its_golden_record() {
    let failures: Vec<String> = corpus_files()
        .iter()
        .filter_map(|rel| check_golden(&golden_path(rel), &to_value(&record_of(rel))).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
