//! How long `render` takes on 10,000 records: the corpus's golden records replicated with
//! varied ids, years, issuers and item titles (one character of each title replaced at
//! random in two replicas out of three, so that most titles are distinct near-duplicates: the
//! hard case for the title matching).
//!
//!     cargo run --release -p noticepipe-report --example report_bench -- [COUNT] [--write DIR]
//!
//! Prints the time of each of three renders and the page size; with `--write DIR`, also
//! writes the records there (one pretty JSON file each) for timing `noticepipe report DIR`.

use std::time::Instant;

use noticepipe_output::Record;

/// Long because it is the whole benchmark: arguments, records replicated, three timed
/// renders, the optional write (see the top of this file).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let write = args
        .iter()
        .position(|a| a == "--write")
        .map(|k| std::path::PathBuf::from(&args[k + 1]));

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/golden");
    let mut golden: Vec<Record> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect();
    golden.sort_by(|a, b| a.source.path.cmp(&b.source.path));

    let pool: Vec<char> =
        "儿童妇女家庭健康教育服务关爱就业创业文化体育权益保障托育城市友好困难筛查救助"
            .chars()
            .collect();
    let mut state = 20261206u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let records: Vec<Record> = (0..count)
        .map(|k| {
            let mut r = golden[k % golden.len()].clone();
            let year = 2015 + (k / golden.len()) % 12;
            let county = (k / golden.len()) % 300;
            let n = &mut r.notice;
            if let Some(issuer) = &mut n.issuer {
                *issuer = format!("第{county}区{issuer}");
                n.issuers = vec![issuer.clone()];
            }
            if let Some(d) = &mut n.doc_number {
                d.year = year as u32;
                d.serial = k as u32 + 1;
                d.text = format!("{}〔{year}〕{}号", d.prefix, d.serial);
            }
            if let Some(date) = &mut n.date {
                date.replace_range(..4, &year.to_string());
            }
            for item in &mut n.items {
                if next() % 3 != 0 {
                    let mut chars: Vec<char> = item.title.chars().collect();
                    let at = next() % chars.len();
                    chars[at] = pool[next() % pool.len()];
                    item.title = chars.into_iter().collect();
                }
            }
            r.source.path = format!("bench/{k:05}-{}", r.source.path.rsplit('/').next().unwrap());
            r.stamp_ids();
            r
        })
        .collect();
    let items: usize = records.iter().map(|r| r.notice.items.len()).sum();
    let titles: std::collections::HashSet<String> = records
        .iter()
        .flat_map(|r| {
            r.notice
                .items
                .iter()
                .map(|i| noticepipe_report::normalize_title(&i.title))
        })
        .collect();
    println!(
        "{} records ({} distinct ids), {items} items, {} distinct normalized titles",
        records.len(),
        records
            .iter()
            .map(|r| &r.id)
            .collect::<std::collections::HashSet<_>>()
            .len(),
        titles.len()
    );
    let options = noticepipe_report::ReportOptions::default();
    for _ in 0..3 {
        let start = Instant::now();
        let page = noticepipe_report::render(&records, &options);
        println!(
            "render: {:.3} s, {} bytes",
            start.elapsed().as_secs_f64(),
            page.len()
        );
    }
    let refs: Vec<&str> = records
        .iter()
        .flat_map(|r| r.notice.items.iter().map(|i| i.title.as_str()))
        .collect();
    let start = Instant::now();
    let groups = noticepipe_report::group_titles(&refs, noticepipe_report::MATCH_THRESHOLD);
    println!(
        "group_titles alone: {:.3} s, {} groups",
        start.elapsed().as_secs_f64(),
        groups.iter().max().map_or(0, |m| m + 1)
    );
    if let Some(out) = write {
        std::fs::create_dir_all(&out).unwrap();
        for (k, r) in records.iter().enumerate() {
            let text = serde_json::to_string_pretty(r).unwrap();
            std::fs::write(out.join(format!("{k:05}.json")), text).unwrap();
        }
        println!("wrote {} records to {}", records.len(), out.display());
    }
}
