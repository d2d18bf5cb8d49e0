//! Helpers shared by the CLI tests: the binary, the repository's files, the report.
#![allow(dead_code)] // each test file uses its own subset

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The `noticepipe` binary under test.
pub fn command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_noticepipe"))
}

/// Runs `noticepipe ARGS` in `cwd`.
pub fn noticepipe(args: &[&str], cwd: &Path) -> Output {
    command()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("noticepipe runs")
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the repository")
}

pub fn corpus(name: &str) -> PathBuf {
    repo().join("corpus").join(name)
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// report.jsonl of an output folder, by the file name of each input.
pub fn report(out: &Path) -> BTreeMap<String, Value> {
    std::fs::read_to_string(out.join("report.jsonl"))
        .expect("report.jsonl")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .map(|v| {
            let name = Path::new(v["path"].as_str().expect("a path"))
                .file_name()
                .expect("a name");
            (name.to_string_lossy().into_owned(), v)
        })
        .collect()
}

/// A record without what differs between formats: `source` and every `provenance`.
pub fn without_source_and_provenance(mut record: Value) -> Value {
    let object = record.as_object_mut().expect("an object");
    object.remove("source");
    object.remove("provenance");
    for item in object["items"].as_array_mut().expect("items") {
        item.as_object_mut().expect("an item").remove("provenance");
    }
    record
}
