//! The page for people at `/`: plain HTML, JS and CSS under `page/`, embedded in the
//! binary (no build step, nothing fetched from elsewhere). It calls `/v1/parse`,
//! `/v1/export` and `/v1/report` like any client.
//!
//! Warnings and errors are shown in Chinese from noticepipe-report's `data/zh.json` (a label per code and
//! templates for the parser's message forms), which is put into the script here.

use std::sync::{Arc, LazyLock};

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::App;

const INDEX: &str = include_str!("../page/index.html");
const SCRIPT_SOURCE: &str = include_str!("../page/app.js");
const STYLE: &str = include_str!("../page/style.css");
/// The Chinese of every warning and error code (see its `about`), shared with the report.
const ZH: &str = noticepipe_report::ZH_TEXTS;
/// Where the script takes [`ZH`].
const ZH_MARKER: &str = "/*ZH*/null";

/// The script with the Chinese texts in place.
static SCRIPT: LazyLock<String> = LazyLock::new(|| SCRIPT_SOURCE.replacen(ZH_MARKER, ZH, 1));

/// Scripts and styles from this service only; no inline script.
const CSP: &str = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

fn file(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
}

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(
            "/",
            get(|| async { file("text/html; charset=utf-8", INDEX) }),
        )
        .route(
            "/app.js",
            get(|| async { file("text/javascript; charset=utf-8", SCRIPT.as_str()) }),
        )
        .route(
            "/style.css",
            get(|| async { file("text/css; charset=utf-8", STYLE) }),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn zh() -> Value {
        serde_json::from_str(ZH).expect("zh.json is JSON")
    }

    /// Every string a schema names as a value (`enum` and `const`), as serde writes them.
    fn schema_values(schema: &Value, out: &mut Vec<String>) {
        match schema {
            Value::Object(map) => {
                if let Some(Value::String(s)) = map.get("const") {
                    out.push(s.clone());
                }
                if let Some(Value::Array(values)) = map.get("enum") {
                    out.extend(values.iter().filter_map(|v| v.as_str().map(String::from)));
                }
                map.values().for_each(|v| schema_values(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| schema_values(v, out)),
            _ => {}
        }
    }

    fn codes_of<T: schemars::JsonSchema>() -> Vec<String> {
        let mut out = Vec::new();
        schema_values(&schemars::schema_for!(T).to_value(), &mut out);
        assert!(!out.is_empty());
        out
    }

    /// What the page shows for a message: the script's `chinese`, in Rust (the same
    /// patterns; `$N` is one digit; a value listed in `words` is replaced).
    fn chinese(zh: &Value, table: &str, code: &str, message: &str) -> Option<String> {
        let words = &zh["words"];
        let fill = regex::Regex::new(r"\$(\d)").unwrap();
        for t in zh[table][code]["templates"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let pattern = regex::Regex::new(t["pattern"].as_str().unwrap()).unwrap();
            if let Some(caps) = pattern.captures(message) {
                let text = t["text"].as_str().unwrap();
                let filled = fill.replace_all(text, |m: &regex::Captures| {
                    let value = caps
                        .get(m[1].parse::<usize>().unwrap())
                        .map_or("", |g| g.as_str());
                    words[value].as_str().unwrap_or(value).to_string()
                });
                return Some(filled.into_owned());
            }
        }
        None
    }

    #[test]
    fn every_warning_and_error_code_has_chinese() {
        let zh = zh();
        let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        let warnings = codes_of::<noticepipe_output::WarningCode>();
        assert!(warnings.contains(&"units_mismatch".to_string()));
        for code in &warnings {
            let label = zh["warnings"][code]["label"].as_str();
            assert!(
                label.is_some_and(cjk),
                "warning {code} has no Chinese label"
            );
        }
        let mut errors: Vec<String> = <noticepipe::ErrorCode as strum::VariantArray>::VARIANTS
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
        errors.extend(codes_of::<crate::ServiceCode>());
        for code in &errors {
            let label = zh["errors"][code]["label"].as_str();
            assert!(label.is_some_and(cjk), "error {code} has no Chinese label");
        }
        // And nothing for codes that do not exist (a renamed code would keep its old text).
        let listed = |table: &str| -> Vec<String> {
            zh[table].as_object().unwrap().keys().cloned().collect()
        };
        for code in listed("warnings") {
            assert!(warnings.contains(&code), "zh.json names no warning {code}");
        }
        for code in listed("errors") {
            assert!(errors.contains(&code), "zh.json names no error {code}");
        }
    }

    #[test]
    fn every_template_fills_its_example_in_chinese() {
        let zh = zh();
        let placeholder = regex::Regex::new(r"\$(\d)").unwrap();
        for table in ["warnings", "errors"] {
            for (code, entry) in zh[table].as_object().unwrap() {
                for t in entry["templates"].as_array().into_iter().flatten() {
                    let example = t["example"].as_str().expect("a template has an example");
                    let groups = regex::Regex::new(t["pattern"].as_str().unwrap())
                        .unwrap()
                        .captures_len();
                    let text = t["text"].as_str().unwrap();
                    for n in placeholder.captures_iter(text) {
                        assert!(n[1].parse::<usize>().unwrap() < groups, "{code}: {text}");
                    }
                    // The example is filled, by its own template and not an earlier one.
                    let first = entry["templates"].as_array().unwrap().iter().position(|o| {
                        regex::Regex::new(o["pattern"].as_str().unwrap())
                            .unwrap()
                            .is_match(example)
                    });
                    assert_eq!(
                        first.map(|i| &entry["templates"][i]),
                        Some(t),
                        "{code}: {example}"
                    );
                    let filled = chinese(&zh, table, code, example).unwrap();
                    assert!(!filled.contains('$'), "{code}: {filled}");
                }
            }
        }
        let units = chinese(
            &zh,
            "warnings",
            "units_mismatch",
            "item 10 names 区教育局 where attachment row 10 names 区教体局",
        );
        assert_eq!(
            units.as_deref(),
            Some("第10项写的单位是区教育局，附件表第10行写的是区教体局")
        );
        let none = chinese(
            &zh,
            "warnings",
            "units_mismatch",
            "item 3 names 区妇联 where attachment row 3 names no other unit",
        );
        assert_eq!(
            none.as_deref(),
            Some("第3项写的单位是区妇联，附件表第3行写的是无其他单位")
        );
    }

    /// The parser's messages have the forms the templates know: every warning of the
    /// corpus and of the text fixtures is filled by a template (a reworded message would
    /// still show, as label and English, but should get its template).
    #[test]
    fn the_warnings_the_parser_writes_are_translated() {
        let zh = zh();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut seen = std::collections::BTreeSet::new();
        for folder in [
            "corpus",
            "fixtures/real",
            "fixtures/genre",
            "fixtures/md",
            "fixtures/html",
        ] {
            let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
                if !["txt", "md", "html", "htm"].contains(&ext) {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let Ok(record) = noticepipe::parse_bytes(&path.display().to_string(), &bytes)
                else {
                    continue;
                };
                for w in &record.notice.warnings {
                    let code = serde_json::to_value(w.code).unwrap();
                    let code = code.as_str().unwrap();
                    seen.insert(code.to_string());
                    assert!(
                        chinese(&zh, "warnings", code, &w.message).is_some(),
                        "{}: no template for {code} \"{}\"",
                        path.display(),
                        w.message
                    );
                }
            }
        }
        assert!(
            seen.contains("units_mismatch") && seen.len() >= 3,
            "warnings read: {seen:?}"
        );
    }

    #[test]
    fn the_script_carries_the_chinese() {
        assert!(SCRIPT_SOURCE.contains(ZH_MARKER));
        assert!(!SCRIPT.contains(ZH_MARKER));
        assert!(SCRIPT.contains("\"units_mismatch\""));
    }
}
