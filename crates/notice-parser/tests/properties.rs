//! The parser on mutated notices: it never panics, item numbers strictly increase, and
//! every unit is non-empty and free of white space.

use docmodel::{BlockKind, Document, Extractor};
use proptest::prelude::*;

const NOTICES: [&str; 5] = [
    "2023-zibo",
    "2024-gaoxin",
    "2024-zichuan",
    "2025-zibo",
    "2026-linzi",
];

fn corpus_doc(name: &str) -> Document {
    let path = format!("{}/../../corpus/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    extract_txt::TxtExtractor::default()
        .extract(&std::fs::read(path).unwrap())
        .unwrap()
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    Truncate(usize, usize),
    Insert(usize, String),
    Append(usize, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Fragments of the notice grammar, so mutations hit the parser's patterns.
    let fragment = "[一二三四五六十、。，（）()：:责任牵头单位市妇联教育局附件抄送印发此件公开2024年3月28日 \n]{0,24}";
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Truncate(a, b)),
        (any::<usize>(), fragment).prop_map(|(a, s)| Mutation::Insert(a, s)),
        (any::<usize>(), fragment).prop_map(|(a, s)| Mutation::Append(a, s)),
    ]
}

fn apply(doc: &mut Document, m: &Mutation) {
    let n = doc.blocks.len();
    if n == 0 {
        return;
    }
    match m {
        Mutation::Delete(i) => {
            doc.blocks.remove(i % n);
        }
        Mutation::Duplicate(i) => {
            let b = doc.blocks[i % n].clone();
            doc.blocks.insert(i % n, b);
        }
        Mutation::Swap(a, b) => doc.blocks.swap(a % n, b % n),
        Mutation::Truncate(i, at) => {
            if let BlockKind::Paragraph(t) = &mut doc.blocks[i % n].kind {
                let cut = t
                    .char_indices()
                    .map(|(p, _)| p)
                    .nth(at % (t.chars().count() + 1))
                    .unwrap_or(t.len());
                t.truncate(cut);
            }
        }
        Mutation::Insert(i, s) => doc.blocks.insert(
            i % n,
            docmodel::Block {
                kind: BlockKind::Paragraph(s.clone()),
                prov: Default::default(),
            },
        ),
        Mutation::Append(i, s) => {
            if let BlockKind::Paragraph(t) = &mut doc.blocks[i % n].kind {
                t.push_str(s);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn mutated_notices_keep_the_invariants(which in 0..NOTICES.len(), mutations in prop::collection::vec(mutation(), 1..8)) {
        let mut doc = corpus_doc(NOTICES[which]);
        for m in &mutations {
            apply(&mut doc, m);
        }
        let notice = notice_parser::parse(&doc).expect("within budgets");
        for pair in notice.items.windows(2) {
            prop_assert!(pair[0].number < pair[1].number, "numbers {} then {}", pair[0].number, pair[1].number);
        }
        let units = notice.items.iter().flat_map(|i| i.lead_units.iter().chain(&i.responsible_units))
            .chain(notice.attachments.iter().flat_map(|a| a.rows.iter().flat_map(|r| &r.responsible_units)));
        for unit in units {
            prop_assert!(!unit.is_empty() && !unit.contains(char::is_whitespace), "unit {unit:?}");
        }
    }
}
