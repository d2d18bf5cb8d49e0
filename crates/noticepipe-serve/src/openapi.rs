//! `/openapi.json`: utoipa reads the paths from the handlers' attributes; the `Record` and
//! `Problem` schemas come from schemars, which already describes the record for
//! `noticepipe schema` — one description of the record, not two. OpenAPI 3.1 takes JSON
//! Schema 2020-12 as it is, so schemars' definitions go into `components/schemas` with
//! their `$ref`s pointed there.

use serde_json::json;
use utoipa::OpenApi;

use crate::problem::Problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "noticepipe",
        description = "Turns Chinese government notices (TXT, DOCX, DOC/WPS, PDF, OFD, web pages) into normalized JSON records. Errors are problem details whose `code` is the pipeline's error code (as `noticepipe parse` prints it) or the service's own."
    ),
    tags(
        (name = "documents", description = "A document in, its record or a table out"),
        (name = "service", description = "The service itself")
    )
)]
struct ApiDoc;

/// The OpenAPI document, as served. With `api_key`, the `/v1` operations require a bearer
/// key.
pub fn document(api_key: bool) -> String {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::documented_routes().into_openapi());
    let mut value = serde_json::to_value(&doc).expect("an OpenAPI document serializes");

    let mut generator = schemars::generate::SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    generator.subschema_for::<noticepipe_output::Record>();
    generator.subschema_for::<Problem>();
    let schemas = value["components"]["schemas"]
        .as_object_mut()
        .expect("utoipa writes components.schemas");
    for (name, schema) in generator.take_definitions(true) {
        let clash = schemas.insert(name.clone(), schema);
        assert!(clash.is_none(), "two schemas named {name}");
    }

    if api_key {
        value["components"]["securitySchemes"] =
            json!({"api_key": {"type": "http", "scheme": "bearer"}});
        for operation in value["paths"]
            .as_object_mut()
            .expect("paths")
            .iter_mut()
            .filter(|(path, _)| path.starts_with("/v1/"))
            .flat_map(|(_, item)| item.as_object_mut().expect("a path item").values_mut())
        {
            operation["security"] = json!([{"api_key": []}]);
        }
    }
    serde_json::to_string_pretty(&value).expect("JSON serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn doc(api_key: bool) -> Value {
        serde_json::from_str(&document(api_key)).unwrap()
    }

    #[test]
    fn every_reference_resolves() {
        let doc = doc(false);
        let mut refs = Vec::new();
        collect_refs(&doc, &mut refs);
        assert!(refs.iter().any(|r| r == "#/components/schemas/Record"));
        assert!(refs.iter().any(|r| r == "#/components/schemas/Problem"));
        for r in refs {
            let pointer = r.strip_prefix('#').expect("a local reference");
            assert!(doc.pointer(pointer).is_some(), "{r} resolves to nothing");
        }
    }

    #[test]
    fn the_operations_and_their_statuses_are_documented() {
        let doc = doc(true);
        for path in ["/v1/parse", "/v1/export", "/v1/report"] {
            let op = &doc["paths"][path]["post"];
            for status in ["200", "400", "401", "413", "415", "422", "503", "504"] {
                assert!(op["responses"][status].is_object(), "{path} {status}");
            }
            assert_eq!(op["security"], json!([{"api_key": []}]));
            let body = &op["requestBody"]["content"];
            assert!(body["application/octet-stream"].is_object());
            assert!(body["multipart/form-data"].is_object());
        }
        assert!(doc["paths"]["/healthz"]["get"]["security"].is_null());
    }

    fn collect_refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r.clone());
                }
                map.values().for_each(|v| collect_refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
            _ => {}
        }
    }
}
