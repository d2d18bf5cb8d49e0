//! libfuzzer-sys aborts on every panic, even one the code under test catches. The
//! extractors catch panics from lopdf, pdf-extract and docx-rs on purpose (they become
//! `extract_panic`); those are upstream bugs we contain, not findings. This hook keeps the
//! abort for panics raised in this project's own crates only.

pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let file = info.location().map(|l| l.file()).unwrap_or("");
            let upstream = file.contains(".cargo/registry") || file.starts_with("/rustc/");
            if !upstream {
                eprintln!("panic in noticepipe code: {info}");
                std::process::abort();
            }
        }));
    });
}
