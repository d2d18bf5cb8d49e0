//! Errors as RFC 9457 problem details (`application/problem+json`), each with the
//! pipeline's typed code or one of the service's own, and the status each code answers.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use noticepipe::ErrorCode;
use schemars::JsonSchema;
use serde::Serialize;

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Problem {
    /// Always `about:blank`: the `code` says what went wrong.
    #[serde(rename = "type")]
    pub kind: String,
    /// The status's reason phrase.
    pub title: String,
    /// The HTTP status, repeated.
    pub status: u16,
    /// What went wrong, for a person.
    pub detail: String,
    /// The error code: the pipeline's (as `noticepipe parse` prints it) or the service's.
    pub code: ProblemCode,
    /// The name the document was sent under, when the error is the document's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// A problem's `code`: one name space, two sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ProblemCode {
    /// The document's: the pipeline's error code.
    Pipeline(ErrorCode),
    /// The service's own.
    Service(ServiceCode),
}

/// Errors of the service itself, not of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceCode {
    /// A request the service cannot read: a multipart body without a file, a bad query.
    BadRequest,
    /// The API key is missing or wrong.
    Unauthorized,
    /// Every parse slot is taken and the waiting line is full: try again later.
    Busy,
    /// The service failed (a parse thread panicked).
    Internal,
    /// The service was stopped at once (a second SIGINT or SIGTERM) while the request was
    /// under way: its document was abandoned. Send it again once the service is back.
    Stopped,
}

/// The HTTP status of a pipeline error code (the table in the guide, docs/src/service.md).
pub fn status_of(code: ErrorCode) -> StatusCode {
    use ErrorCode::*;
    match code {
        UnsupportedFormat | NotText => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        // The document is at fault, not the service: the worker that broke on it was
        // isolated and replaced.
        Empty | CorruptZip | CorruptDocx | CorruptPdf | CorruptOfd | CorruptDoc | CorruptImage
        | Encrypted | NoTextLayer | NoContent | ExtractPanic | ExtractCrash => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Timeout => StatusCode::GATEWAY_TIMEOUT,
        // A worker could not be started.
        Io => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn service_status(code: ServiceCode) -> StatusCode {
    match code {
        ServiceCode::BadRequest => StatusCode::BAD_REQUEST,
        ServiceCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ServiceCode::Busy | ServiceCode::Stopped => StatusCode::SERVICE_UNAVAILABLE,
        ServiceCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl Problem {
    fn new(status: StatusCode, code: ProblemCode, detail: impl Into<String>) -> Self {
        Problem {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: detail.into(),
            code,
            file: None,
        }
    }

    /// A problem with a pipeline error code, at that code's status.
    pub fn pipeline(code: ErrorCode, detail: impl Into<String>) -> Self {
        Problem::new(status_of(code), ProblemCode::Pipeline(code), detail)
    }

    /// A problem of the service itself.
    pub fn service(code: ServiceCode, detail: impl Into<String>) -> Self {
        Problem::new(service_status(code), ProblemCode::Service(code), detail)
    }

    /// The problem of a document the pipeline refused, naming the document.
    pub fn from_pipeline_error(e: noticepipe::PipelineError) -> Self {
        Problem {
            file: Some(e.path),
            ..Problem::pipeline(e.code, e.message)
        }
    }

    /// The HTTP status it is answered with.
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).expect("made from a StatusCode")
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = serde_json::to_vec(&self).expect("a problem serializes");
        let mut response = (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/problem+json"),
            )],
            body,
        )
            .into_response();
        let headers = response.headers_mut();
        match self.code {
            ProblemCode::Service(ServiceCode::Unauthorized) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            ProblemCode::Service(ServiceCode::Busy) => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_serialize_with_their_code_and_status() {
        let p = Problem::from_pipeline_error(noticepipe::PipelineError {
            path: "a.pdf".into(),
            code: ErrorCode::Encrypted,
            message: "needs a password".into(),
        });
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["status"], 422);
        assert_eq!(json["code"], "encrypted");
        assert_eq!(json["file"], "a.pdf");
        assert_eq!(json["title"], "Unprocessable Entity");
        let busy = serde_json::to_value(Problem::service(ServiceCode::Busy, "full")).unwrap();
        assert_eq!(
            (busy["status"].as_u64(), busy["code"].as_str()),
            (Some(503), Some("busy"))
        );
        assert!(busy.get("file").is_none());
    }

    #[test]
    fn only_timeouts_and_io_are_server_errors() {
        for &code in <ErrorCode as strum::VariantArray>::VARIANTS {
            let server_side = status_of(code).is_server_error();
            assert_eq!(
                server_side,
                matches!(code, ErrorCode::Timeout | ErrorCode::Io),
                "{code}"
            );
        }
    }
}
