//! Projects that recur across years: item titles matched by the Dice coefficient of their
//! character bigrams after normalization, near-duplicates found by prefix filtering instead
//! of comparing every pair.

use std::collections::HashMap;

/// Two normalized titles match when the Dice coefficient of their character-bigram sets,
/// 2·|A∩B| / (|A|+|B|), is at least this. Chosen on the corpus titles: 0.6 joins
/// 实施巾帼创业创新行动 and 促进巾帼就业创业 (0.60) or the 两癌 titles of 2023 and 2025
/// (0.83), and keeps 实施“文润童心”品质提升行动 apart from 实施家庭品质提升工程 (0.50).
pub const MATCH_THRESHOLD: f64 = 0.6;

/// Words every other title carries (the verb before a project and the word for one): they
/// are removed before titles are compared, or 实施X行动 and 实施Y行动 would look alike.
pub const GENERIC_WORDS: [&str; 13] = [
    "实施", "开展", "推进", "深化", "加强", "强化", "持续", "促进", "行动", "工程", "项目", "计划",
    "活动",
];

/// The title as compared: digits and the year words after them (2024年, 2024年度) removed,
/// then [`GENERIC_WORDS`], then everything that is not a letter or a CJK character
/// (punctuation, quotes, spaces).
///
/// ```
/// assert_eq!(noticepipe_report::normalize_title("实施适龄妇女“两癌”免费筛查和救助行动"), "适龄妇女两癌免费筛查和救助");
/// assert_eq!(noticepipe_report::normalize_title("2024年度开展10场招聘会"), "场招聘会");
/// ```
pub fn normalize_title(title: &str) -> String {
    let mut without_numbers = String::with_capacity(title.len());
    let mut chars = title.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || ('０'..='９').contains(&c) {
            while chars
                .peek()
                .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
            {
                chars.next();
            }
            if chars.peek() == Some(&'年') {
                chars.next();
                if chars.peek() == Some(&'度') {
                    chars.next();
                }
            }
        } else {
            without_numbers.push(c);
        }
    }
    let mut text = without_numbers;
    for word in GENERIC_WORDS {
        if text.contains(word) {
            text = text.replace(word, "");
        }
    }
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The distinct character bigrams of a normalized title, each as one number, sorted; a
/// one-character title is its character.
fn bigrams(normalized: &str) -> Vec<u64> {
    let chars: Vec<char> = normalized.chars().collect();
    let mut grams: Vec<u64> = if chars.len() < 2 {
        chars.iter().map(|&c| c as u64).collect()
    } else {
        chars
            .windows(2)
            .map(|w| ((w[0] as u64) << 32) | w[1] as u64)
            .collect()
    };
    grams.sort_unstable();
    grams.dedup();
    grams
}

fn dice_of_sorted(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// The similarity of two titles as the report uses it: the Dice coefficient of the bigrams
/// of their [`normalize_title`] forms (0 when either is empty).
///
/// ```
/// use noticepipe_report::title_similarity;
/// assert!(title_similarity("实施巾帼创业创新行动", "促进巾帼就业创业") >= 0.6);
/// assert!(title_similarity("实施“文润童心”品质提升行动", "实施家庭品质提升工程") < 0.6);
/// ```
pub fn title_similarity(a: &str, b: &str) -> f64 {
    dice_of_sorted(&bigrams(&normalize_title(a)), &bigrams(&normalize_title(b)))
}

/// Groups of titles: `groups[k]` is the group of `titles[k]`, a number below the count of
/// groups. Equal normalized titles are one group; two titles whose similarity is at least
/// `threshold` are in one group, and so (transitively) are their groups.
///
/// Candidates come from prefix filtering (Bayardo et al., "Scaling up all pairs similarity
/// search", 2007): bigrams are ordered rarest first, and two sets whose Dice coefficient
/// reaches t share one of their first |A| − ⌈j·|A|⌉ + 1 bigrams, j = t / (2 − t) being the
/// same bound as a Jaccard coefficient; only those prefixes are indexed. A pair is compared
/// only when the titles' bigram counts are within that bound too. Titles that normalize to
/// nothing stay alone.
pub fn group_titles(titles: &[&str], threshold: f64) -> Vec<usize> {
    // Distinct normalized titles (each title normalizing to nothing is its own).
    let mut distinct: HashMap<String, usize> = HashMap::new();
    let mut grams: Vec<Vec<u64>> = Vec::new();
    let mut of_title = Vec::with_capacity(titles.len());
    for title in titles {
        let form = normalize_title(title);
        let k = match distinct.get(&form) {
            Some(&k) => k,
            None => {
                grams.push(bigrams(&form));
                if !form.is_empty() {
                    distinct.insert(form, grams.len() - 1);
                }
                grams.len() - 1
            }
        };
        of_title.push(k);
    }

    let mut frequency: HashMap<u64, u32> = HashMap::new();
    for g in grams.iter().flatten() {
        *frequency.entry(*g).or_default() += 1;
    }
    let jaccard = threshold / (2.0 - threshold);
    let mut parent: Vec<usize> = (0..grams.len()).collect();
    let mut index: HashMap<u64, Vec<u32>> = HashMap::new();
    let mut seen_by = vec![u32::MAX; grams.len()];
    for (k, g) in grams.iter().enumerate() {
        if g.is_empty() {
            continue;
        }
        let mut ordered = g.clone();
        ordered.sort_unstable_by_key(|t| (frequency[t], *t));
        let prefix = g.len() - (jaccard * g.len() as f64).ceil() as usize + 1;
        let prefix = &ordered[..prefix.clamp(1, g.len())];
        for token in prefix {
            if let Some(others) = index.get(token) {
                for &other in others {
                    let other = other as usize;
                    if seen_by[other] == k as u32 {
                        continue;
                    }
                    seen_by[other] = k as u32;
                    let (small, large) = if g.len() < grams[other].len() {
                        (g.len(), grams[other].len())
                    } else {
                        (grams[other].len(), g.len())
                    };
                    if (small as f64) < jaccard * large as f64 - 1e-9 {
                        continue;
                    }
                    if dice_of_sorted(g, &grams[other]) >= threshold {
                        union(&mut parent, k, other);
                    }
                }
            }
        }
        for token in prefix {
            index.entry(*token).or_default().push(k as u32);
        }
    }
    // Number the groups in the order of their first title.
    let mut number: HashMap<usize, usize> = HashMap::new();
    of_title
        .iter()
        .map(|&k| {
            let root = find(&mut parent, k);
            let n = number.len();
            *number.entry(root).or_insert(n)
        })
        .collect()
}

fn find(parent: &mut [usize], mut k: usize) -> usize {
    while parent[k] != k {
        parent[k] = parent[parent[k]];
        k = parent[k];
    }
    k
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (a, b) = (find(parent, a), find(parent, b));
    if a != b {
        parent[a.max(b)] = a.min(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_words_numbers_and_punctuation_go() {
        assert_eq!(
            normalize_title("实施儿童友好城市建设行动"),
            "儿童友好城市建设"
        );
        assert_eq!(normalize_title("深化儿童友好城市建设"), "儿童友好城市建设");
        assert_eq!(normalize_title("２０２５年 “润童心”"), "润童心");
        assert_eq!(normalize_title("实施行动"), "");
    }

    #[test]
    fn similar_titles_group_and_others_do_not() {
        let titles = [
            "实施适龄妇女“两癌”免费筛查和救助行动",
            "实施“文润童心”品质提升行动",
            "开展适龄妇女“两癌”免费检查和救助",
            "实施家庭品质提升工程",
            "实施行动",
            "推进行动",
        ];
        let g = group_titles(&titles, MATCH_THRESHOLD);
        assert_eq!(g[0], g[2]);
        assert_ne!(g[1], g[3], "0.5 is below the threshold");
        assert_ne!(g[0], g[1]);
        assert_ne!(g[4], g[5], "titles that normalize to nothing stay alone");
    }

    /// Prefix filtering finds exactly the pairs comparing all pairs finds.
    #[test]
    fn prefix_filtering_finds_every_pair_all_pairs_finds() {
        let pieces = [
            "妇女", "儿童", "两癌", "筛查", "托育", "服务", "家庭", "教育", "就业", "创业", "关爱",
            "困难", "友好", "城市", "建设", "文化", "体育", "健康", "权益", "保障",
        ];
        // Deterministic pseudo-random titles of 2–5 pieces.
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        };
        let titles: Vec<String> = (0..400)
            .map(|_| {
                (0..2 + next() % 4)
                    .map(|_| pieces[next() % pieces.len()])
                    .collect()
            })
            .collect();
        let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
        for threshold in [0.4, MATCH_THRESHOLD, 0.8] {
            let fast = group_titles(&refs, threshold);
            // All pairs, with a plain union-find.
            let mut parent: Vec<usize> = (0..refs.len()).collect();
            for a in 0..refs.len() {
                for b in a + 1..refs.len() {
                    let same = normalize_title(refs[a]) == normalize_title(refs[b]);
                    if same && !normalize_title(refs[a]).is_empty()
                        || title_similarity(refs[a], refs[b]) >= threshold
                    {
                        union(&mut parent, a, b);
                    }
                }
            }
            for a in 0..refs.len() {
                for b in a + 1..refs.len() {
                    let slow_same = find(&mut parent, a) == find(&mut parent, b);
                    assert_eq!(fast[a] == fast[b], slow_same, "{} / {}", refs[a], refs[b]);
                }
            }
        }
    }
}
