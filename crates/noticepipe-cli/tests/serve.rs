//! `noticepipe serve`, with the real binary on an ephemeral loopback port: raw and multipart
//! bodies, the report of several documents, every kind of error answer and its status, the body limit (413 before the body
//! is read), the API key, 503 when full, timeouts, and SIGTERM's graceful shutdown.
//!
//! The client is a few lines over `TcpStream` (one request per connection): the 413 test
//! must send headers without the body they announce, which client libraries do not do.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{children_of, command, corpus, repo, signal, wait_bounded, wait_for};
use serde_json::Value;

const MINUTE: Duration = Duration::from_secs(60);

struct Server {
    child: Option<Child>,
    addr: SocketAddr,
    /// What it printed on stderr after the address line.
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// `noticepipe serve --listen 127.0.0.1:0 ARGS`, with fault injection on; waits for the
    /// line that names the bound address.
    fn start(args: &[&str]) -> Server {
        Server::start_with(args, None)
    }

    /// As `start`, with at most `open_files` descriptors (RLIMIT_NOFILE) when given.
    fn start_with(args: &[&str], open_files: Option<u64>) -> Server {
        let mut command = command();
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("NOTICEPIPE_FAULT_INJECTION", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(n) = open_files {
            limit_in_child(&mut command, libc::RLIMIT_NOFILE, n);
        }
        let mut child = command.spawn().expect("noticepipe serve starts");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next().expect("a first line").unwrap();
        let addr = first
            .strip_prefix("noticepipe serve: listening on http://")
            .unwrap_or_else(|| panic!("not the address line: {first}"))
            .parse()
            .unwrap();
        // Keep draining stderr so the server never blocks on it.
        let stderr = Arc::new(Mutex::new(String::new()));
        let kept = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let mut kept = kept.lock().unwrap();
                kept.push_str(&line);
                kept.push('\n');
            }
        });
        Server {
            child: Some(child),
            addr,
            stderr,
        }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    fn send(&self, request: &[u8]) -> Response {
        send(self.addr, request)
    }

    fn post(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        let mut request = format!(
            "POST {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        let mut bytes = request.into_bytes();
        bytes.extend_from_slice(body);
        self.send(&bytes)
    }

    fn get(&self, path: &str) -> Response {
        self.send(
            format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").as_bytes(),
        )
    }

    /// A document as a multipart/form-data `file` part named `name`.
    fn post_multipart(&self, path: &str, name: &str, bytes: &[u8]) -> Response {
        let boundary = "noticepipe-test-boundary-7d3f";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nnot the file\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.post(path, &[("Content-Type", &content_type)], &body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    /// The problem details of an error answer, checked to be one.
    fn problem(&self) -> Value {
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/problem+json")
        );
        let problem = self.json();
        assert_eq!(problem["status"], self.status);
        assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()));
        problem
    }
}

/// Sets the resource limit `resource` to `value` in the child `command` starts.
fn limit_in_child(command: &mut Command, resource: libc::__rlimit_resource_t, value: u64) {
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: value,
                rlim_max: value,
            };
            if libc::setrlimit(resource, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// One request on a new connection; the answer read to its end (`Connection: close`).
fn send(addr: SocketAddr, request: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream.set_read_timeout(Some(MINUTE)).unwrap();
    // The server may answer (413) and close before all of a large request is written.
    let _ = stream.write_all(request);
    read_response(&mut stream)
}

fn read_response(stream: &mut TcpStream) -> Response {
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw); // a reset after the answer still leaves it read
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = raw[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Response { status, head, body }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..line_end]).unwrap(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[line_end + 2..line_end + 2 + size]);
        body = &body[line_end + 4 + size..];
    }
}

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(repo().join(path)).unwrap()
}

/// Number, title and responsible units of each item, as `fixtures/expected/NAME.json`
/// has them.
fn expected_items(name: &str) -> Vec<(u64, String, Vec<String>)> {
    let expected: Value =
        serde_json::from_slice(&fixture(&format!("fixtures/expected/{name}.json"))).unwrap();
    items_of(&expected)
}

fn items_of(record: &Value) -> Vec<(u64, String, Vec<String>)> {
    record["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let units = i["responsible_units"].as_array().unwrap();
            (
                i["number"].as_u64().unwrap(),
                i["title"].as_str().unwrap().to_string(),
                units
                    .iter()
                    .map(|u| u.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn raw_and_multipart_bodies_answer_the_record() {
    let server = Server::start(&["--max-concurrent", "2"]);
    let docx = std::fs::read(corpus("2025-zibo.docx")).unwrap();
    // A raw body, named by a percent-encoded header, with no Content-Type.
    let raw = server.post(
        "/v1/parse",
        &[("X-Filename", "%E6%B7%84%E5%8D%9A%2F2025-zibo.docx")], // 淄博/2025-zibo.docx
        &docx,
    );
    assert_eq!(raw.status, 200, "{}", String::from_utf8_lossy(&raw.body));
    assert_eq!(
        raw.header("content-type").as_deref(),
        Some("application/json")
    );
    let record = raw.json();
    assert_eq!(
        record["source"]["path"], "2025-zibo.docx",
        "a label, not a path"
    );
    assert_eq!(record["source"]["format"], "docx");
    assert_eq!(record["doc_number"]["text"], "淄政办字〔2025〕15号");
    assert_eq!(items_of(&record), expected_items("2025-zibo"));

    // Multipart, another format, the same items.
    let pdf = std::fs::read(corpus("2025-zibo.pdf")).unwrap();
    let multipart = server.post_multipart("/v1/parse", "2025-zibo.pdf", &pdf);
    assert_eq!(multipart.status, 200);
    let record = multipart.json();
    assert_eq!(record["source"]["path"], "2025-zibo.pdf");
    assert_eq!(items_of(&record), expected_items("2025-zibo"));

    // A raw body larger than axum's own 2 MB default extractor limit is taken: the
    // notice followed by 3 MiB of blank lines.
    let mut big = std::fs::read(corpus("2024-zichuan.txt")).unwrap();
    big.resize(big.len() + (3 << 20), b'\n');
    let big = server.post("/v1/parse", &[("X-Filename", "big.txt")], &big);
    assert_eq!(big.status, 200, "{}", String::from_utf8_lossy(&big.body));
    assert_eq!(items_of(&big.json()), expected_items("2024-zichuan"));

    // No more workers than parse slots.
    assert!(children_of(server.pid()).len() <= 2);
}

#[test]
fn export_answers_the_tables_of_one_document() {
    let server = Server::start(&[]);
    let txt = std::fs::read(corpus("2025-zibo.txt")).unwrap();
    let xlsx = server.post("/v1/export", &[("X-Filename", "2025-zibo.txt")], &txt);
    assert_eq!(xlsx.status, 200);
    assert_eq!(
        xlsx.header("content-type").as_deref(),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert_eq!(
        xlsx.header("content-disposition").as_deref(),
        Some("attachment; filename=\"items.xlsx\"")
    );
    assert!(xlsx.body.starts_with(b"PK\x03\x04"), "an xlsx is a zip");

    let csv = server.post_multipart("/v1/export?table=units.csv", "2025-zibo.txt", &txt);
    assert_eq!(csv.status, 200);
    let text = String::from_utf8(csv.body.clone()).unwrap();
    let rows: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    // Columns are added, never renamed: the first ones are these.
    assert!(
        rows[0].starts_with("文件,发文字号,序号,实事名称,单位,角色"),
        "{}",
        rows[0]
    );
    let units: usize = expected_items("2025-zibo").iter().map(|i| i.2.len()).sum();
    assert_eq!(rows.len() - 1, units, "one row per item and unit");
    assert!(rows[1].starts_with("2025-zibo.txt,淄政办字〔2025〕15号,1,促进巾帼就业创业,"));

    let bad_table = server.post("/v1/export?table=items.ods", &[], &txt);
    assert_eq!(bad_table.status, 400);
    assert_eq!(bad_table.problem()["code"], "bad_request");
}

/// Several documents as multipart/form-data `file` parts.
fn multipart_files(files: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "noticepipe-test-boundary-7d3f";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn report_answers_the_page_about_the_documents_sent() {
    let server = Server::start(&["--max-concurrent", "2"]);
    // The corpus: five notices, each as TXT, DOCX and PDF.
    let mut names: Vec<String> = std::fs::read_dir(repo().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".txt") || n.ends_with(".docx") || n.ends_with(".pdf"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 15);
    let files: Vec<(&str, Vec<u8>)> = names
        .iter()
        .map(|n| (n.as_str(), std::fs::read(corpus(n)).unwrap()))
        .collect();
    let (content_type, body) = multipart_files(&files);
    let page = server.post("/v1/report", &[("Content-Type", &content_type)], &body);
    assert_eq!(page.status, 200, "{}", String::from_utf8_lossy(&page.body));
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        page.header("content-disposition").as_deref(),
        Some("attachment; filename=\"noticepipe-report.html\"")
    );
    let html = String::from_utf8(page.body.clone()).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("data-notices=\"5\""),
        "five notices, one per id"
    );
    assert!(html.contains("data-files=\"15\""));
    for section in [
        "years",
        "issuers",
        "units",
        "recurring",
        "notices",
        "warnings",
    ] {
        assert!(
            html.contains(&format!("<section id=\"{section}\">")),
            "{section}"
        );
    }
    // A sent name is no path: file links go to the notice list, never to file://.
    assert!(html.contains("href=\"#notices\">2024-zichuan.docx</a>"));
    assert!(!html.contains("file://"));

    // One raw document is a report too.
    let one = server.post(
        "/v1/report",
        &[("X-Filename", "2025-zibo.txt")],
        &files.iter().find(|f| f.0 == "2025-zibo.txt").unwrap().1,
    );
    assert_eq!(one.status, 200);
    assert!(String::from_utf8_lossy(&one.body).contains("data-notices=\"1\""));

    // The first document that cannot be read answers its problem, naming it.
    let (content_type, body) = multipart_files(&[
        ("2025-zibo.txt", fixture("corpus/2025-zibo.txt")),
        ("locked.pdf", fixture("fixtures/bad/user-password.pdf")),
    ]);
    let locked = server.post("/v1/report", &[("Content-Type", &content_type)], &body);
    assert_eq!(locked.status, 422);
    let problem = locked.problem();
    assert_eq!(problem["code"], "encrypted");
    assert_eq!(problem["file"], "locked.pdf");

    // No file part; more files than one request may send.
    let (content_type, _) = multipart_files(&[]);
    let empty = server.post(
        "/v1/report",
        &[("Content-Type", &content_type)],
        b"--noticepipe-test-boundary-7d3f--\r\n",
    );
    assert_eq!(empty.status, 400);
    assert_eq!(empty.problem()["code"], "bad_request");
    let many: Vec<(String, Vec<u8>)> = (0..101)
        .map(|i| (format!("{i}.txt"), b"x".to_vec()))
        .collect();
    let many: Vec<(&str, Vec<u8>)> = many.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let (content_type, body) = multipart_files(&many);
    let too_many = server.post("/v1/report", &[("Content-Type", &content_type)], &body);
    assert_eq!(too_many.status, 413);
    let problem = too_many.problem();
    assert_eq!(problem["code"], "too_large");
    assert!(problem["detail"].as_str().unwrap().contains("100 files"));
}

#[test]
fn errors_are_problem_details_with_their_status() {
    let server = Server::start(&["--timeout", "2", "--max-memory", "256"]);
    let cases: &[(&str, u16, &str)] = &[
        ("fixtures/bad/workbook.xls", 415, "unsupported_format"),
        ("fixtures/bad/random-bytes.txt", 415, "not_text"),
        ("fixtures/bad/user-password.pdf", 422, "encrypted"),
        ("fixtures/bad/image-only.pdf", 422, "no_text_layer"),
        ("fixtures/bad/zero-bytes.txt", 422, "empty"),
        ("fixtures/bad/docx-cut-in-half.docx", 422, "corrupt_zip"),
    ];
    for &(path, status, code) in cases {
        let name = path.rsplit('/').next().unwrap();
        let response = server.post("/v1/parse", &[("X-Filename", name)], &fixture(path));
        assert_eq!(response.status, status, "{path}");
        let problem = response.problem();
        assert_eq!(problem["code"], code, "{path}");
        assert_eq!(problem["file"], name);
    }
    // Workers that crash, hang or eat memory: the document's problem, isolated.
    for (fault, status, code) in [
        ("abort", 422, "extract_crash"),
        ("alloc", 413, "too_large"),
        ("hang", 504, "timeout"),
    ] {
        let body = format!("NOTICEPIPE-FAULT:{fault}");
        let response = server.post("/v1/parse", &[], body.as_bytes());
        assert_eq!(response.status, status, "{fault}");
        assert_eq!(response.problem()["code"], code, "{fault}");
    }
    // A multipart body without a file part.
    let boundary = "b0";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nx\r\n--{boundary}--\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let no_file = server.post(
        "/v1/parse",
        &[("Content-Type", &content_type)],
        body.as_bytes(),
    );
    assert_eq!(no_file.status, 400);
    assert_eq!(no_file.problem()["code"], "bad_request");
    // And the service still parses.
    let ok = server.post(
        "/v1/parse",
        &[],
        &std::fs::read(corpus("2023-zibo.txt")).unwrap(),
    );
    assert_eq!(ok.status, 200);
}

#[test]
fn a_body_over_the_limit_is_refused_before_it_is_read() {
    // The refused body is read on and thrown away for at most the request timeout.
    let server = Server::start(&["--max-body", "1", "--request-timeout", "2"]);
    // 100 MiB announced, 10 bytes sent: the answer comes without the rest.
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(
            b"POST /v1/parse HTTP/1.1\r\nHost: t\r\nContent-Length: 104857600\r\n\r\n0123456789",
        )
        .unwrap();
    let announced = read_response(&mut stream);
    assert_eq!(announced.status, 413);
    assert_eq!(announced.problem()["code"], "too_large");
    assert!(
        announced.problem()["detail"]
            .as_str()
            .unwrap()
            .contains("1 MiB")
    );

    // Chunked, no length announced: refused once past the limit.
    let chunk = vec![b'a'; 64 << 10];
    let mut request = b"POST /v1/parse HTTP/1.1\r\nHost: t\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..20 {
        request.extend(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend(&chunk);
        request.extend(b"\r\n");
    }
    request.extend(b"0\r\n\r\n");
    let chunked = server.send(&request);
    assert_eq!(chunked.status, 413);
    assert_eq!(chunked.problem()["code"], "too_large");

    // Multipart past the limit too.
    let multipart = server.post_multipart("/v1/parse", "big.txt", &vec![b'a'; 2 << 20]);
    assert_eq!(multipart.status, 413);
}

#[test]
fn a_client_that_sends_its_whole_body_before_reading_sees_the_413() {
    // Python's http.client sends the body it announced, then reads the answer: the service
    // must read (and throw away) the body instead of closing under it.
    let server = Server::start(&["--max-body", "1"]);
    let body = vec![b'a'; 3 << 20];
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(MINUTE)).unwrap();
    stream.set_write_timeout(Some(MINUTE)).unwrap();
    let head = format!(
        "POST /v1/parse HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    // Slowly enough that the answer is there, and the connection closed if it is going to
    // be, before the body is all sent.
    std::thread::sleep(Duration::from_millis(300));
    let sent = stream.write_all(&body);
    assert!(sent.is_ok(), "the body could not be sent: {sent:?}");
    let answer = read_response(&mut stream);
    assert_eq!(answer.status, 413);
    assert_eq!(answer.problem()["code"], "too_large");
}

#[test]
fn the_api_key_guards_the_documents_only() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key");
    std::fs::write(&key_file, "s3cret-键\n").unwrap();
    let server = Server::start(&["--api-key-file", key_file.to_str().unwrap()]);
    let txt = std::fs::read(corpus("2023-zibo.txt")).unwrap();

    let none = server.post("/v1/parse", &[], &txt);
    assert_eq!(none.status, 401);
    assert_eq!(none.header("www-authenticate").as_deref(), Some("Bearer"));
    assert_eq!(none.problem()["code"], "unauthorized");
    let wrong = server.post(
        "/v1/export",
        &[("Authorization", "Bearer s3cret")],
        &vec![b'x'; 8 << 20],
    );
    assert_eq!(wrong.status, 401);
    let right = server.send(
        &[
            b"POST /v1/parse HTTP/1.1\r\nHost: t\r\nConnection: close\r\nAuthorization: Bearer s3cret-\xe9\x94\xae\r\n",
            format!("Content-Length: {}\r\n\r\n", txt.len()).as_bytes(),
            &txt,
        ]
        .concat(),
    );
    assert_eq!(right.status, 200);
    // The scheme is case-insensitive (RFC 9110).
    for scheme in ["bearer", "BEARER", "bEaReR"] {
        let auth = format!("{scheme} s3cret-键");
        let lower = server.send(
            &[
                b"POST /v1/parse HTTP/1.1\r\nHost: t\r\nConnection: close\r\nAuthorization: ",
                auth.as_bytes(),
                format!("\r\nContent-Length: {}\r\n\r\n", txt.len()).as_bytes(),
                &txt,
            ]
            .concat(),
        );
        assert_eq!(lower.status, 200, "{scheme}");
    }
    let basic = server.post("/v1/parse", &[("Authorization", "Basic s3cret-键")], &txt);
    assert_eq!(basic.status, 401);

    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.get("/").status, 200);
    let doc = server.get("/openapi.json").json();
    assert_eq!(
        doc["paths"]["/v1/parse"]["post"]["security"][0]["api_key"],
        serde_json::json!([])
    );

    // An empty key file is refused at start.
    std::fs::write(&key_file, "\n").unwrap();
    let out = command()
        .args(["serve", "--listen", "127.0.0.1:0", "--api-key-file"])
        .arg(&key_file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is empty"));

    // A key file without end (/dev/zero) is read only so far: refused at once, not read
    // until memory runs out (1 GiB of address space here, so a failure stays small).
    let mut endless = command();
    endless.args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--api-key-file",
        "/dev/zero",
    ]);
    limit_in_child(&mut endless, libc::RLIMIT_AS, 1 << 30);
    let child = endless
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_bounded(child, MINUTE);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("no line end"), "{stderr}");
}

#[test]
fn busy_is_503_at_once_when_every_place_is_taken() {
    let server = Server::start(&[
        "--max-concurrent",
        "1",
        "--max-waiting",
        "0",
        "--timeout",
        "3",
    ]);
    let addr = server.addr;
    let hanging = std::thread::spawn(move || {
        send(
            addr,
            b"POST /v1/parse HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 21\r\n\r\nNOTICEPIPE-FAULT:hang",
        )
    });
    assert!(
        wait_for(MINUTE, || children_of(server.pid()).len() == 1),
        "the worker starts"
    );
    let started = std::time::Instant::now();
    let busy = server.get("/healthz"); // not a parse: answered
    assert_eq!(busy.status, 200);
    let busy = server.post("/v1/parse", &[], b"any");
    assert_eq!(busy.status, 503);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "answered at once, not queued"
    );
    assert_eq!(busy.header("retry-after").as_deref(), Some("1"));
    assert_eq!(busy.problem()["code"], "busy");
    // A client still sending a large body gets the answer too, not a reset: the body is
    // read and thrown away first.
    let big = server.post("/v1/parse", &[], &vec![b'x'; 8 << 20]);
    assert_eq!(
        (big.status, big.problem()["code"].as_str()),
        (503, Some("busy"))
    );
    assert_eq!(hanging.join().unwrap().status, 504);
    // The place is free again.
    let ok = server.post(
        "/v1/parse",
        &[],
        &std::fs::read(corpus("2023-zibo.txt")).unwrap(),
    );
    assert_eq!(ok.status, 200);
}

#[test]
fn the_request_timeout_answers_504() {
    // The worker would wait 30 s; the request gives up after 1.
    let server = Server::start(&["--request-timeout", "1"]);
    let started = std::time::Instant::now();
    let response = server.post("/v1/parse", &[], b"NOTICEPIPE-FAULT:hang");
    assert_eq!(response.status, 504);
    assert_eq!(response.problem()["code"], "timeout");
    assert!(
        response.problem()["detail"]
            .as_str()
            .unwrap()
            .contains("request")
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn sigterm_lets_requests_under_way_finish_then_exits() {
    let mut server = Server::start(&["--timeout", "2"]);
    let addr = server.addr;
    let in_flight = std::thread::spawn(move || {
        send(
            addr,
            b"POST /v1/parse HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 21\r\n\r\nNOTICEPIPE-FAULT:hang",
        )
    });
    let pid = server.pid();
    assert!(
        wait_for(MINUTE, || children_of(pid).len() == 1),
        "the worker starts"
    );
    signal(pid, libc::SIGTERM);
    // The request under way gets its answer (its worker timed out), not a cut connection.
    let answered = in_flight.join().unwrap();
    assert_eq!(answered.status, 504);
    let child = server.child.take().unwrap();
    let out = wait_bounded(child, MINUTE);
    assert_eq!(out.status.code(), Some(0));
    assert!(TcpStream::connect(addr).is_err(), "no longer listening");
    assert!(children_of(pid).is_empty(), "no worker left");
}

#[test]
fn the_page_and_the_openapi_document_are_served() {
    let server = Server::start(&[]);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body).contains("实事通知解析"));
    assert!(
        page.header("content-security-policy")
            .unwrap()
            .contains("default-src 'self'")
    );
    let script = server.get("/app.js");
    assert_eq!(script.status, 200);
    assert!(String::from_utf8_lossy(&script.body).contains("/v1/parse"));
    let doc = server.get("/openapi.json").json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["components"]["schemas"]["Record"].is_object());
    assert!(
        doc["paths"]["/v1/parse"]["post"]["security"].is_null(),
        "no key, no security"
    );
    let health = server.get("/healthz").json();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["record_schema"], noticepipe::SCHEMA_VERSION);
}

/// Reads one answer (head and a `Content-Length` body) from a kept-alive connection.
fn read_one_response(stream: &mut TcpStream) -> Response {
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        assert_eq!(stream.read(&mut byte).unwrap(), 1, "the head is cut");
        raw.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&raw[..raw.len() - 4]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().unwrap())
        })
        .expect("a Content-Length");
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    Response { status, head, body }
}

/// Whether the server closes `stream` within `limit`: a read sees the end (or a reset)
/// rather than waiting.
fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 512];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false;
            }
            Err(_) => return true, // reset
        }
    }
}

#[test]
fn a_half_sent_head_and_an_idle_connection_are_closed_after_the_header_timeout() {
    let server = Server::start(&["--header-timeout", "1"]);
    // Part of a head, then nothing.
    let mut slow = TcpStream::connect(server.addr).unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHo").unwrap();
    let started = Instant::now();
    assert!(
        closed_within(&mut slow, Duration::from_secs(10)),
        "a half-sent head is closed"
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    // An answered request on a kept-alive connection, then nothing.
    let mut idle = TcpStream::connect(server.addr).unwrap();
    idle.set_read_timeout(Some(MINUTE)).unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    assert_eq!(read_one_response(&mut idle).status, 200);
    // Still open for a second request within the timeout.
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    assert_eq!(read_one_response(&mut idle).status, 200);
    let started = Instant::now();
    assert!(
        closed_within(&mut idle, Duration::from_secs(10)),
        "an idle kept-alive connection is closed"
    );
    assert!(started.elapsed() >= Duration::from_millis(800));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn connections_past_the_limit_wait_until_one_closes() {
    let server = Server::start(&["--max-connections", "2", "--header-timeout", "60"]);
    let first = TcpStream::connect(server.addr).unwrap();
    let _second = TcpStream::connect(server.addr).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let mut third = TcpStream::connect(server.addr).unwrap(); // in the backlog
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .unwrap();
    third
        .set_read_timeout(Some(Duration::from_millis(1500)))
        .unwrap();
    let mut byte = [0u8; 1];
    let early = third.read(&mut byte);
    assert!(
        early.as_ref().is_err_and(|e| matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        )),
        "not served while two connections are open: {early:?}"
    );
    drop(first);
    third.set_read_timeout(Some(MINUTE)).unwrap();
    let answer = read_response(&mut third);
    assert_eq!(answer.status, 200);
}

#[test]
fn accept_errors_are_logged_and_the_service_recovers() {
    // 40 descriptors: the connections below exhaust them, accept fails with EMFILE.
    let server = Server::start_with(&[], Some(40));
    let held: Vec<TcpStream> = (0..60)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    assert!(
        wait_for(Duration::from_secs(20), || server
            .stderr()
            .contains("cannot accept a connection")),
        "the accept error is logged: {:?}",
        server.stderr()
    );
    let logged = server.stderr().matches("cannot accept").count();
    drop(held);
    // Once the descriptors are free again, it answers, and the log did not flood.
    let mut answered = false;
    for _ in 0..50 {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        if raw.starts_with(b"HTTP/1.1 200") {
            answered = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(answered, "the service answers again");
    assert!(logged <= 30, "{logged} lines");
}

#[test]
fn sigterm_ends_within_the_request_timeout_despite_a_stalled_client() {
    let mut server = Server::start(&["--request-timeout", "2"]);
    let mut stalled = TcpStream::connect(server.addr).unwrap();
    stalled.write_all(b"GET /heal").unwrap();
    // An answered kept-alive connection that then sends half a head.
    let mut half = TcpStream::connect(server.addr).unwrap();
    half.set_read_timeout(Some(MINUTE)).unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    assert_eq!(read_one_response(&mut half).status, 200);
    half.write_all(b"GET /hea").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let pid = server.pid();
    let started = Instant::now();
    signal(pid, libc::SIGTERM);
    let out = wait_bounded(server.child.take().unwrap(), Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(0));
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "stopped after {:?}",
        started.elapsed()
    );
    assert!(closed_within(&mut stalled, Duration::from_secs(1)));
}

#[test]
fn a_second_sigterm_answers_requests_under_way_503_and_closes_everything() {
    let mut server = Server::start(&["--request-timeout", "120", "--timeout", "100"]);
    let addr = server.addr;
    let in_flight = std::thread::spawn(move || {
        send(
            addr,
            b"POST /v1/parse HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 21\r\n\r\nNOTICEPIPE-FAULT:hang",
        )
    });
    let mut stalled = TcpStream::connect(addr).unwrap();
    stalled.write_all(b"GET /heal").unwrap();
    let pid = server.pid();
    assert!(
        wait_for(MINUTE, || children_of(pid).len() == 1),
        "the worker starts"
    );
    signal(pid, libc::SIGTERM);
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    signal(pid, libc::SIGTERM);
    let answered = in_flight.join().unwrap();
    assert_eq!(
        answered.status,
        503,
        "{}",
        String::from_utf8_lossy(&answered.body)
    );
    assert_eq!(answered.problem()["code"], "stopped");
    let out = wait_bounded(server.child.take().unwrap(), Duration::from_secs(20));
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "stopped after {:?}",
        started.elapsed()
    );
    assert!(closed_within(&mut stalled, Duration::from_secs(1)));
    assert!(children_of(pid).is_empty(), "no worker left");
    let _ = out;
}

#[test]
fn a_refused_body_is_not_read_past_the_request_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key");
    std::fs::write(&key_file, "k\n").unwrap();
    let server = Server::start(&[
        "--api-key-file",
        key_file.to_str().unwrap(),
        "--request-timeout",
        "2",
    ]);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .write_all(b"POST /v1/parse HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n")
        .unwrap();
    let started = Instant::now();
    let mut writer = stream.try_clone().unwrap();
    // A byte every 100 ms, for at most 30 s, until the server closes.
    let trickle = std::thread::spawn(move || {
        for _ in 0..300 {
            if writer.write_all(b"x").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let answer = read_response(&mut stream);
    let elapsed = started.elapsed();
    assert_eq!(answer.status, 401);
    assert!(
        elapsed < Duration::from_secs(8),
        "the connection was held {elapsed:?}"
    );
    trickle.join().unwrap();
}

/// Resident memory of `pid` in MiB (0 when it is gone).
fn rss_mib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kib| kib / 1024)
}

#[test]
fn a_worker_that_ran_ocr_is_stopped_when_idle_and_a_text_worker_is_kept() {
    let server = Server::start(&["--max-concurrent", "1", "--ocr-worker-idle", "1"]);
    let pid = server.pid();
    // A page image: OCR'd when the engine is installed, `no_text_layer` when not; either
    // way its worker may hold the engine.
    let image = server.post(
        "/v1/parse",
        &[("X-Filename", "2024-zichuan-p1.png")],
        &fixture("fixtures/scans/2024-zichuan-p1.png"),
    );
    assert!(
        [200, 422].contains(&image.status),
        "{}",
        String::from_utf8_lossy(&image.body)
    );
    let workers = children_of(pid);
    assert_eq!(workers.len(), 1);
    eprintln!(
        "the worker after the page image ({}): {} MiB",
        image.status,
        rss_mib(workers[0])
    );
    assert!(
        wait_for(Duration::from_secs(20), || children_of(pid).is_empty()),
        "the worker that may hold the OCR engine is stopped once idle"
    );
    // A text document: its worker stays in the pool.
    let txt = server.post("/v1/parse", &[], &fixture("corpus/2023-zibo.txt"));
    assert_eq!(txt.status, 200);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(children_of(pid).len(), 1, "a text worker is kept");
    // And OCR still works after the recycling.
    let again = server.post(
        "/v1/parse",
        &[],
        &fixture("fixtures/scans/2024-zichuan-p1.png"),
    );
    assert_eq!(again.status, image.status);
}
