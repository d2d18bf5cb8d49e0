//! The handlers of `/v1/parse`, `/v1/export`, `/v1/report` and `/healthz`, with the OpenAPI description
//! utoipa reads from their attributes.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, extract::rejection::QueryRejection};
use noticepipe::ErrorCode;
use noticepipe_output::Record;
use noticepipe_runner::worker::Forms;
use serde::{Deserialize, Serialize};
use utoipa::openapi::{self, Ref, RefOr};
use utoipa::{IntoParams, ToSchema};

use crate::problem::{Problem, ServiceCode};
use crate::{App, refuse};

/// The header that names a raw-body document (percent-encoded UTF-8; optional).
pub const FILENAME_HEADER: &str = "x-filename";

/// A notice about an invented county, the request bodies' example (so that schemathesis'
/// examples phase sends one document that parses).
const EXAMPLE_NOTICE: &str = "青石县人民政府办公室关于印发2025年为妇女儿童办实事项目的通知\n\
    一、建设妇女儿童之家。在各乡镇建成妇女儿童之家10个。（责任单位：县妇联、县民政局）\n\
    二、开展两癌免费检查。为适龄妇女免费检查5000人。（责任单位：县卫生健康局）\n\
    青石县人民政府办公室\n2025年3月1日\n";

/// The name a document gets when the request names none.
const UNNAMED: &str = "upload";

/// Longest document name kept, in characters (it is a label in the record, never a path).
const MAX_NAME_CHARS: usize = 200;

/// The error answers every `/v1` operation documents, all `application/problem+json`.
pub struct Problems;

impl utoipa::IntoResponses for Problems {
    fn responses() -> BTreeMap<String, RefOr<openapi::response::Response>> {
        [
            (400, "A request the service cannot read (`bad_request`)."),
            (401, "The API key is missing or wrong (`unauthorized`)."),
            (413, "The body is over the limit, or the document over a budget (`too_large`)."),
            (415, "Not a format noticepipe reads (`unsupported_format`, `not_text`)."),
            (
                422,
                "A document that cannot be read: empty, corrupt, encrypted, scanned, no article, or one that broke its worker.",
            ),
            (500, "A worker could not be started (`io`) or the service failed (`internal`)."),
            (
                503,
                "Busy: every parse slot and waiting place is taken (`busy`); see Retry-After. Or the service was stopped at once while the request was under way (`stopped`).",
            ),
            (504, "The document, or the request, went past its time limit (`timeout`)."),
        ]
        .into_iter()
        .map(|(status, description)| {
            let content = openapi::ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build();
            let response = openapi::ResponseBuilder::new()
                .description(description)
                .content("application/problem+json", content)
                .build();
            (status.to_string(), RefOr::T(response))
        })
        .collect()
    }
}

/// A document sent as `multipart/form-data`.
#[derive(ToSchema)]
#[allow(dead_code)] // documents the form; the handler reads the parts itself
pub struct UploadForm {
    /// The document (any supported format; the format is read from the bytes).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Parse one document; the answer is its record.
#[utoipa::path(
    post,
    path = "/v1/parse",
    tag = "documents",
    params(
        ("X-Filename" = Option<String>, Header,
         description = "The document's file name (percent-encoded UTF-8), for a raw body: shown in the record's `source.path` and checked against the content")
    ),
    request_body(
        description = "The document as the raw body (any `Content-Type`; the format is read from the bytes), or as multipart/form-data with a `file` part",
        content(
            (Vec<u8> = "application/octet-stream", example = json!(EXAMPLE_NOTICE)),
            (UploadForm = "multipart/form-data"),
        )
    ),
    responses(
        (status = 200, description = "The record (schema_version as in `noticepipe schema`)",
         body = ref("#/components/schemas/Record")),
        Problems,
    )
)]
pub async fn parse(State(app): State<Arc<App>>, request: Request) -> Result<Response, Problem> {
    let admitted = match app.pool.admit() {
        Ok(admitted) => admitted,
        Err(busy) => return Ok(refuse(request, busy, &app.settings)),
    };
    let (name, bytes) = read_upload(request).await?;
    let forms = Forms {
        pretty: false,
        line: true,
    };
    let processed = app
        .pool
        .run(&admitted, move |runner| {
            runner.process_bytes(&name, &bytes, forms)
        })
        .await?
        .map_err(Problem::from_pipeline_error)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], processed.line).into_response())
}

/// The table `/v1/export` answers.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
pub enum Table {
    #[default]
    #[serde(rename = "items.xlsx")]
    ItemsXlsx,
    #[serde(rename = "items.csv")]
    ItemsCsv,
    #[serde(rename = "units.csv")]
    UnitsCsv,
    #[serde(rename = "progress.xlsx")]
    ProgressXlsx,
}

impl Table {
    fn file_name(self) -> &'static str {
        match self {
            Table::ItemsXlsx => "items.xlsx",
            Table::ItemsCsv => "items.csv",
            Table::UnitsCsv => "units.csv",
            Table::ProgressXlsx => "progress.xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Table::ItemsXlsx | Table::ProgressXlsx => XLSX,
            Table::ItemsCsv | Table::UnitsCsv => "text/csv; charset=utf-8",
        }
    }

    /// The table of `records`, a notice's files (one record `id`) in one row set.
    fn of(self, records: &[Record]) -> Result<Vec<u8>, noticepipe_export::ExportError> {
        let records = &noticepipe_export::by_notice(records, false);
        Ok(match self {
            Table::ItemsXlsx => noticepipe_export::items_xlsx(records)?,
            Table::ItemsCsv => noticepipe_export::items_csv(records).into_bytes(),
            Table::UnitsCsv => noticepipe_export::units_csv(records).into_bytes(),
            Table::ProgressXlsx => noticepipe_export::progress_xlsx(records)?,
        })
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// Which table: `items.xlsx` (default), `items.csv`, `units.csv` (UTF-8 with BOM), or
    /// `progress.xlsx` (the quarterly progress form).
    #[serde(default)]
    #[param(inline)]
    table: Table,
}

/// Parse one document and answer one of `noticepipe export`'s tables for it.
#[utoipa::path(
    post,
    path = "/v1/export",
    tag = "documents",
    params(
        ExportQuery,
        ("X-Filename" = Option<String>, Header,
         description = "The document's file name (percent-encoded UTF-8), for a raw body")
    ),
    request_body(
        description = "The document, as for /v1/parse",
        content(
            (Vec<u8> = "application/octet-stream", example = json!(EXAMPLE_NOTICE)),
            (UploadForm = "multipart/form-data"),
        )
    ),
    responses(
        (status = 200, description = "The table, as an attachment",
         content(
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv; charset=utf-8"),
         )),
        Problems,
    )
)]
pub async fn export(
    State(app): State<Arc<App>>,
    query: Result<Query<ExportQuery>, QueryRejection>,
    request: Request,
) -> Result<Response, Problem> {
    let table = match query {
        Ok(query) => query.table,
        Err(e) => {
            let problem = Problem::service(ServiceCode::BadRequest, e.body_text());
            return Ok(refuse(request, problem, &app.settings));
        }
    };
    let admitted = match app.pool.admit() {
        Ok(admitted) => admitted,
        Err(busy) => return Ok(refuse(request, busy, &app.settings)),
    };
    let (name, bytes) = read_upload(request).await?;
    let forms = Forms {
        pretty: false,
        line: true,
    };
    let job = move |runner: &noticepipe_runner::worker::Runner| {
        let processed = runner
            .process_bytes(&name, &bytes, forms)
            .map_err(Problem::from_pipeline_error)?;
        let record: Record = serde_json::from_str(&processed.line).map_err(|e| {
            Problem::service(
                ServiceCode::Internal,
                format!("the record did not read back: {e}"),
            )
        })?;
        table
            .of(&[record])
            .map_err(|e| Problem::service(ServiceCode::Internal, e.to_string()))
    };
    let body = app.pool.run(&admitted, job).await??;
    let disposition = format!("attachment; filename=\"{}\"", table.file_name());
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(table.content_type()),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).expect("an ASCII file name"),
    );
    Ok((StatusCode::OK, headers, body).into_response())
}

/// The most documents one `/v1/report` request may send.
pub const MAX_REPORT_FILES: usize = 100;

/// Documents sent as `multipart/form-data`, any number of `file` parts.
#[derive(ToSchema)]
#[allow(dead_code)] // documents the form; the handler reads the parts itself
pub struct ReportForm {
    /// The documents (any supported formats, read from the bytes), at most 100.
    #[schema(value_type = Vec<String>, format = Binary)]
    file: Vec<Vec<u8>>,
}

/// Parse several documents and answer `noticepipe report`'s page about them: notices per
/// year and issuer, units by canonical name, projects that recur across years, every
/// warning.
#[utoipa::path(
    post,
    path = "/v1/report",
    tag = "documents",
    params(
        ("X-Filename" = Option<String>, Header,
         description = "The document's file name (percent-encoded UTF-8), for a raw body")
    ),
    request_body(
        description = "The documents as multipart/form-data, one `file` part each (at most 100, within the body limit; the parts' filenames name them), or one document as the raw body. They are parsed one after another, each within the per-document limits, the whole within the request timeout; the first that cannot be read answers its problem.",
        content(
            (ReportForm = "multipart/form-data"),
            (Vec<u8> = "application/octet-stream", example = json!(EXAMPLE_NOTICE)),
        )
    ),
    responses(
        (status = 200, description = "The report: one self-contained HTML page (no script, nothing fetched), as an attachment; its links to a file point at the page's notice list",
         content((String = "text/html; charset=utf-8"))),
        Problems,
    )
)]
pub async fn report(State(app): State<Arc<App>>, request: Request) -> Result<Response, Problem> {
    let admitted = match app.pool.admit() {
        Ok(admitted) => admitted,
        Err(busy) => return Ok(refuse(request, busy, &app.settings)),
    };
    let files = read_uploads(request, MAX_REPORT_FILES).await?;
    let forms = Forms {
        pretty: false,
        line: true,
    };
    // One job per document: a slot is held for one document at a time, and a request cut
    // short by its timeout sends no more.
    let mut records = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let processed = app
            .pool
            .run(&admitted, move |runner| {
                runner.process_bytes(&name, &bytes, forms)
            })
            .await?
            .map_err(Problem::from_pipeline_error)?;
        let record: Record = serde_json::from_str(&processed.line).map_err(|e| {
            Problem::service(
                ServiceCode::Internal,
                format!("the record did not read back: {e}"),
            )
        })?;
        records.push(record);
    }
    // A sent name is a label, not a path the reader could open: every file's link goes to
    // the page's list of notices, which names the files.
    let to_list = |_: &str| "#notices".to_string();
    let options = noticepipe_report::ReportOptions {
        href: Some(&to_list),
        ..Default::default()
    };
    let page = noticepipe_report::render(&records, &options);
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"noticepipe-report.html\""),
    );
    // Opened from this origin it runs nothing: the page needs no script.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; img-src data:"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok((StatusCode::OK, headers, page).into_response())
}

/// What `/healthz` answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the service answers.
    status: &'static str,
    /// noticepipe's version.
    version: &'static str,
    /// The `schema_version` of the records `/v1/parse` answers.
    record_schema: &'static str,
}

/// Liveness: the service answers.
#[utoipa::path(get, path = "/healthz", tag = "service",
    responses((status = 200, description = "The service is up", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        record_schema: noticepipe::SCHEMA_VERSION,
    })
}

/// The document's name and bytes, from a raw body or the first file part of a multipart
/// body. The bytes stay in memory: nothing from a request is written to disk.
async fn read_upload(request: Request) -> Result<(String, Bytes), Problem> {
    let named = sent_name(request.headers());
    if !is_multipart(request.headers()) {
        let bytes = Bytes::from_request(request, &())
            .await
            .map_err(|e| rejected(e.status(), e.body_text()))?;
        return Ok((named.unwrap_or_else(|| UNNAMED.into()), bytes));
    }
    let mut form = Multipart::from_request(request, &())
        .await
        .map_err(|e| rejected(e.status(), e.body_text()))?;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| rejected(e.status(), e.body_text()))?
    {
        if field.file_name().is_none() && field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().map(clean_name).or(named);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| rejected(e.status(), e.body_text()))?;
        return Ok((name.unwrap_or_else(|| UNNAMED.into()), bytes));
    }
    Err(no_file_part())
}

/// A body the extractors refused: too large (the body limit), else unreadable.
fn rejected(status: StatusCode, text: String) -> Problem {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Problem::pipeline(
            ErrorCode::TooLarge,
            "the body is larger than the service's limit",
        )
    } else {
        Problem::service(ServiceCode::BadRequest, text)
    }
}

/// Whether the request's body is `multipart/form-data`.
fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// The name a raw body was sent under (`X-Filename`), as a label.
fn sent_name(headers: &HeaderMap) -> Option<String> {
    headers
        .get(FILENAME_HEADER)
        .map(|v| clean_name(&percent_encoding::percent_decode(v.as_bytes()).decode_utf8_lossy()))
}

fn no_file_part() -> Problem {
    Problem::service(
        ServiceCode::BadRequest,
        "the multipart body has no file part (a part named \"file\" or with a filename)",
    )
}

/// Every document of a request: a raw body is one; of a multipart body, each part named
/// `file` or carrying a filename, in order, at most `most` of them (`too_large` past it).
async fn read_uploads(request: Request, most: usize) -> Result<Vec<(String, Bytes)>, Problem> {
    let named = sent_name(request.headers());
    if !is_multipart(request.headers()) {
        let bytes = Bytes::from_request(request, &())
            .await
            .map_err(|e| rejected(e.status(), e.body_text()))?;
        return Ok(vec![(named.unwrap_or_else(|| UNNAMED.into()), bytes)]);
    }
    let mut form = Multipart::from_request(request, &())
        .await
        .map_err(|e| rejected(e.status(), e.body_text()))?;
    let mut files = Vec::new();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| rejected(e.status(), e.body_text()))?
    {
        if field.file_name().is_none() && field.name() != Some("file") {
            continue;
        }
        if files.len() == most {
            return Err(Problem::pipeline(
                ErrorCode::TooLarge,
                format!("more than {most} files: the limit of one request"),
            ));
        }
        let name = field.file_name().map(clean_name).or_else(|| named.clone());
        let bytes = field
            .bytes()
            .await
            .map_err(|e| rejected(e.status(), e.body_text()))?;
        files.push((name.unwrap_or_else(|| UNNAMED.into()), bytes));
    }
    if files.is_empty() {
        return Err(no_file_part());
    }
    Ok(files)
}

/// A sent file name as a label: its last path component, without control characters,
/// at most [`MAX_NAME_CHARS`].
fn clean_name(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = last
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    if name.trim().is_empty() || name == "." || name == ".." {
        UNNAMED.into()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_labels_not_paths() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\公文\\2025年实事.docx"), "2025年实事.docx");
        assert_eq!(clean_name("a\nb.txt"), "ab.txt");
        assert_eq!(clean_name(".."), UNNAMED);
        assert_eq!(clean_name("dir/"), UNNAMED);
        assert_eq!(
            clean_name(&"长".repeat(300)).chars().count(),
            MAX_NAME_CHARS
        );
    }
}
