//! A soak of `noticepipe serve` on loopback: normal clients parsing notices while slow and
//! stalled clients are mixed in — half-sent heads, idle kept-alive connections, bodies
//! trickled without an API key, bursts of connections that open and close — bounded in
//! count and time. It checks that every normal request is answered (200, or 503 `busy`
//! when every place is taken), that no answer waits on the slow clients, that the service
//! keeps at most `--max-connections` open, and that its memory returns near where it was
//! after a burst.
//!
//! `cargo test` runs it for 6 s; NOTICEPIPE_SERVE_SOAK_SECS and NOTICEPIPE_SERVE_SOAK_BURST
//! make it longer or the bursts bigger. It prints its figures (BENCHMARKS.md).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::{command, corpus};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Resident memory of `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Sockets the process holds open.
fn sockets_of(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| {
                    std::fs::read_link(e.path())
                        .is_ok_and(|t| t.to_string_lossy().starts_with("socket:"))
                })
                .count()
        })
        .unwrap_or(0)
}

struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Server {
    let mut child = command()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .strip_prefix("noticepipe serve: listening on http://")
        .unwrap()
        .parse()
        .unwrap();
    std::thread::spawn(move || lines.for_each(drop));
    Server { child, addr }
}

/// One request on its own connection: the status and how long the answer took.
fn request(addr: SocketAddr, head: &str, body: &[u8]) -> Option<(u16, Duration)> {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .ok()?;
    let mut bytes = head.as_bytes().to_vec();
    bytes.extend_from_slice(body);
    stream.write_all(&bytes).ok()?;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let status = std::str::from_utf8(raw.get(9..12)?).ok()?.parse().ok()?;
    Some((status, started.elapsed()))
}

#[derive(Default)]
struct Figures {
    ok: AtomicU64,
    busy: AtomicU64,
    other: AtomicU64,
    failed: AtomicU64,
    slowest_ms: AtomicU64,
    stalled: AtomicU64,
    idle: AtomicU64,
    trickled: AtomicU64,
    burst: AtomicU64,
}

/// Long because it is the soak itself: the server, each kind of client on its threads, and
/// the checks on the figures they gathered (see the top of this file).
#[test]
fn slow_and_stalled_clients_do_not_hold_the_service() {
    let secs = env_number("NOTICEPIPE_SERVE_SOAK_SECS", 6);
    let burst = env_number("NOTICEPIPE_SERVE_SOAK_BURST", 400) as usize;
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key");
    std::fs::write(&key, "k\n").unwrap();
    let max_connections = 256;
    let server = start(&[
        "--header-timeout",
        "1",
        "--request-timeout",
        "5",
        "--max-connections",
        &max_connections.to_string(),
        "--max-concurrent",
        "2",
        "--api-key-file",
        key.to_str().unwrap(),
    ]);
    let (addr, pid) = (server.addr, server.child.id());
    let notice = Arc::new(std::fs::read(corpus("2023-zibo.txt")).unwrap());
    // Warm up: the workers start, the allocator settles.
    for _ in 0..4 {
        let head = format!(
            "POST /v1/parse HTTP/1.1\r\nHost: t\r\nConnection: close\r\nAuthorization: bearer k\r\nContent-Length: {}\r\n\r\n",
            notice.len()
        );
        assert_eq!(request(addr, &head, &notice).map(|r| r.0), Some(200));
    }
    let rss_before = rss_kib(pid);

    let figures = Arc::new(Figures::default());
    let done = Arc::new(AtomicBool::new(false));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut threads = Vec::new();
    // Normal clients: parse the notice, one request a connection.
    for _ in 0..3 {
        let (figures, done, notice) =
            (Arc::clone(&figures), Arc::clone(&done), Arc::clone(&notice));
        threads.push(std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                let head = format!(
                    "POST /v1/parse HTTP/1.1\r\nHost: t\r\nConnection: close\r\nAuthorization: Bearer k\r\nContent-Length: {}\r\n\r\n",
                    notice.len()
                );
                match request(addr, &head, &notice) {
                    Some((200, took)) => {
                        figures.ok.fetch_add(1, Ordering::SeqCst);
                        figures
                            .slowest_ms
                            .fetch_max(took.as_millis() as u64, Ordering::SeqCst);
                    }
                    Some((503, _)) => drop(figures.busy.fetch_add(1, Ordering::SeqCst)),
                    Some(_) => drop(figures.other.fetch_add(1, Ordering::SeqCst)),
                    None => drop(figures.failed.fetch_add(1, Ordering::SeqCst)),
                }
            }
        }));
    }
    // Stalled clients: half a head, then nothing until the service closes them.
    for _ in 0..2 {
        let (figures, done) = (Arc::clone(&figures), Arc::clone(&done));
        threads.push(std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                let held: Vec<TcpStream> = (0..20)
                    .filter_map(|_| TcpStream::connect(addr).ok())
                    .filter_map(|mut s| s.write_all(b"GET /heal").ok().map(|()| s))
                    .collect();
                figures
                    .stalled
                    .fetch_add(held.len() as u64, Ordering::SeqCst);
                for mut s in held {
                    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                    let mut buf = [0u8; 64];
                    let _ = s.read(&mut buf); // returns when the service closes it
                }
            }
        }));
    }
    // Idle clients: one answered request, then quiet on a kept-alive connection.
    {
        let (figures, done) = (Arc::clone(&figures), Arc::clone(&done));
        threads.push(std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                let Ok(mut s) = TcpStream::connect(addr) else {
                    continue;
                };
                s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
                let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
                let mut raw = Vec::new();
                let _ = s.read_to_end(&mut raw); // the answer, then the close
                figures.idle.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    // Trickled bodies without the key: 401, the body read for at most the request timeout.
    {
        let (figures, done) = (Arc::clone(&figures), Arc::clone(&done));
        threads.push(std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                let Ok(mut s) = TcpStream::connect(addr) else {
                    continue;
                };
                let _ = s.write_all(
                    b"POST /v1/parse HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n",
                );
                while !done.load(Ordering::SeqCst) && s.write_all(b"x").is_ok() {
                    std::thread::sleep(Duration::from_millis(50));
                }
                figures.trickled.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    // Bursts: many connections opened at once, each with half a head, then dropped.
    let mut rss_peak = rss_before;
    let mut sockets_peak = 0;
    while Instant::now() < deadline {
        let held: Vec<TcpStream> = (0..burst)
            .filter_map(|_| TcpStream::connect(addr).ok())
            .filter_map(|mut s| {
                s.write_all(b"POST /v1/parse HTTP/1.1\r\nHo")
                    .ok()
                    .map(|()| s)
            })
            .collect();
        figures.burst.fetch_add(held.len() as u64, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(300));
        rss_peak = rss_peak.max(rss_kib(pid));
        sockets_peak = sockets_peak.max(sockets_of(pid));
        drop(held);
        std::thread::sleep(Duration::from_millis(700));
    }
    done.store(true, Ordering::SeqCst);
    for t in threads {
        t.join().unwrap();
    }
    // Every connection closes within the header timeout; then the memory is given back.
    std::thread::sleep(Duration::from_secs(2));
    let rss_after = rss_kib(pid);
    let after_burst = server_answers(addr);

    let f = |a: &AtomicU64| a.load(Ordering::SeqCst);
    eprintln!(
        "serve soak, {secs} s: {} parsed (slowest {} ms), {} busy, {} other, {} failed; \
         {} stalled heads, {} idle keep-alives, {} trickled bodies, {} burst connections \
         ({burst} a burst); peak sockets {sockets_peak}; RSS {} MiB before, {} MiB peak, \
         {} MiB after",
        f(&figures.ok),
        f(&figures.slowest_ms),
        f(&figures.busy),
        f(&figures.other),
        f(&figures.failed),
        f(&figures.stalled),
        f(&figures.idle),
        f(&figures.trickled),
        f(&figures.burst),
        rss_before / 1024,
        rss_peak / 1024,
        rss_after / 1024,
    );
    assert!(f(&figures.ok) >= secs, "normal clients were served");
    assert_eq!(f(&figures.other) + f(&figures.failed), 0);
    assert!(
        f(&figures.slowest_ms) < 10_000,
        "no answer waited on the slow clients"
    );
    // The listening socket and the connections, at most the limit (and a few being closed).
    assert!(
        sockets_peak <= max_connections + 8,
        "{sockets_peak} sockets open"
    );
    assert!(after_burst, "the service answers after the bursts");
    assert!(
        rss_after < rss_before + 24 * 1024,
        "memory after the bursts: {rss_after} KiB, before {rss_before} KiB"
    );
}

fn server_answers(addr: SocketAddr) -> bool {
    request(
        addr,
        "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
        b"",
    )
    .is_some_and(|(status, _)| status == 200)
}

/// The open-file limit of this process.
fn open_files_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes the struct it is given.
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    limit.rlim_cur
}

#[test]
fn memory_is_given_back_after_a_burst_of_connections() {
    // Thousands of stalled connections at once (as many as the descriptor limits allow),
    // then closed: the service's memory falls back most of the way, round after round,
    // instead of staying at its peak (it kept 132, 153 and 192 MiB after three bursts of
    // 6,000 before).
    let n = (open_files_limit() / 2).saturating_sub(64).min(2000) as usize;
    if n < 500 {
        eprintln!("SKIPPED: the open-file limit allows only {n} connections");
        return;
    }
    let server = start(&[
        "--max-connections",
        &n.to_string(),
        "--header-timeout",
        "60",
    ]);
    let (addr, pid) = (server.addr, server.child.id());
    assert!(server_answers(addr));
    std::thread::sleep(Duration::from_millis(300));
    let before = rss_kib(pid);
    for round in 0..2 {
        let held: Vec<TcpStream> = (0..n)
            .map(|_| {
                let mut s = TcpStream::connect(addr).unwrap();
                s.write_all(b"GET /heal").unwrap();
                s
            })
            .collect();
        assert!(
            common::wait_for(Duration::from_secs(20), || sockets_of(pid) > n),
            "every connection is accepted"
        );
        let peak = rss_kib(pid);
        drop(held);
        assert!(
            common::wait_for(Duration::from_secs(20), || sockets_of(pid) <= 1),
            "every connection is closed"
        );
        std::thread::sleep(Duration::from_secs(1));
        let after = rss_kib(pid);
        eprintln!(
            "burst {round} of {n} connections: RSS {} MiB before, {} MiB with them, {} MiB after",
            before / 1024,
            peak / 1024,
            after / 1024
        );
        assert!(
            (after - before) * 4 <= (peak - before) * 3,
            "memory kept after the burst: {after} KiB (before {before}, peak {peak})"
        );
    }
    assert!(server_answers(addr));
}
