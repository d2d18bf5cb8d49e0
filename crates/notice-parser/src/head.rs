//! The head of a notice (everything before its items): 发文字号, title, issuing organs
//! (the letterhead, or the organ named at the start of the title line) and 主送机关; and
//! the signature organs before the 成文日期, which stand in for the issuers where the head
//! names none.

use noticepipe_output::{DocNumber, FieldProvenance};

use crate::claims::{Claims, Role};
use crate::{Unit, is_title_like, join_texts, patterns};

pub struct Head {
    /// Issuing organs in letterhead order.
    pub issuers: Vec<String>,
    pub doc_number: Option<DocNumber>,
    pub title: Option<String>,
    pub addressees: Vec<String>,
    pub provenance: FieldProvenance,
    /// The issuers are the organ opening the title line (no letterhead named them): a
    /// signature, which writes the organ's full name, is preferred to them.
    pub issuers_from_title: bool,
}

/// Reads the head: everything before `end` (the first item).
pub fn read(units: &[Unit], end: usize, claims: &mut Claims) -> Head {
    let mut provenance = FieldProvenance::default();
    let doc_number_at =
        (0..end).find(|&i| claims.free(i) && patterns::doc_number(units[i].text()).is_some());
    let doc_number = doc_number_at.and_then(|i| {
        claims.claim(i, Role::DocNumber);
        provenance.doc_number = Some(units[i].prov);
        patterns::doc_number(units[i].text())
    });
    // The title runs from "关于…" (perhaps after the issuer's name) to the line ending
    // in a document kind, over at most four lines.
    let title_start = (0..end)
        .find(|&i| claims.free(i) && title_opening(units[i].text()).is_some())
        .or_else(|| {
            (0..end).find(|&i| {
                let t = units[i].text();
                claims.free(i) && patterns::ends_with_doc_kind(t) && is_title_like(t)
            })
        });
    let mut title = None;
    let mut issuer_in_title = None;
    let mut title_end = None;
    if let Some(start) = title_start {
        let mut stop = start;
        for i in start..end.min(start + MAX_TITLE_LINES) {
            if !claims.free(i) {
                break;
            }
            if patterns::ends_with_doc_kind(&join_texts(&units[start..=i])) {
                stop = i;
                break;
            }
        }
        let text = join_texts(&units[start..=stop]);
        let (issuer, rest) = title_opening(&text).unwrap_or(("", &text));
        issuer_in_title = (!issuer.is_empty()).then(|| issuer.to_string());
        title = Some(rest.to_string());
        provenance.title = Some(units[start].prov);
        claims.claim_range(start..=stop, Role::Title);
        title_end = Some(stop);
    }
    let before_title = title_start.unwrap_or(end);
    let mut issuers = letterhead(units, claims, before_title);
    let mut issuers_from_title = false;
    match issuers.first() {
        Some(&(at, _)) => provenance.issuer = Some(units[at].prov),
        None => {
            provenance.issuer = issuer_in_title.as_ref().and(provenance.title);
            issuers_from_title = issuer_in_title.is_some();
            let names = issuer_in_title.map(|name| patterns::organs(&name).unwrap_or(vec![name]));
            issuers.extend(names.into_iter().flatten().map(|name| (0, name)));
        }
    }
    // Other organization lines before the title are letterheads too (a red 文件 line
    // above a plain one): leave them out of the preamble.
    for (i, unit) in units.iter().enumerate().take(before_title) {
        if claims.free(i) && is_letterhead_line(unit.text()) {
            claims.claim(i, Role::Letterhead);
        }
    }
    let after_title = title_end.map_or(0, |t| t + 1);
    let mut addressees = Vec::new();
    if let Some(i) = (after_title..end).find(|&i| {
        let t = units[i].text();
        claims.free(i)
            && t.ends_with('：')
            && !t.contains('。')
            && !t.starts_with("附件")
            && !t.starts_with("联系")
    }) {
        let text = units[i].text().trim_end_matches('：');
        addressees = text
            .split('，')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        provenance.addressees = Some(units[i].prov);
        claims.claim(i, Role::Addressees);
    }
    Head {
        issuers: issuers.into_iter().map(|(_, name)| name).collect(),
        doc_number,
        title,
        addressees,
        provenance,
        issuers_from_title,
    }
}

/// The issuing organs of the letterhead: the run of organization lines that ends at the
/// last one before the title (a 发文字号 or a lone 文件 may stand between them), in order,
/// each with its unit index. Marks them taken.
fn letterhead(units: &[Unit], claims: &mut Claims, before_title: usize) -> Vec<(usize, String)> {
    let Some(last) = (0..before_title)
        .rev()
        .find(|&i| claims.free(i) && patterns::organs(units[i].text()).is_some())
    else {
        return Vec::new();
    };
    let mut organs = Vec::new();
    let mut i = last + 1;
    while i > 0 {
        i -= 1;
        let text = units[i].text();
        if !units[i].is_paragraph() {
            break;
        }
        if !claims.taken(i) && text == "文件" {
            claims.claim(i, Role::Letterhead);
            continue;
        }
        let Some(names) = patterns::organs(text).filter(|_| !claims.taken(i)) else {
            // A 发文字号 printed between the organs' lines does not end the run.
            if patterns::doc_number(text).is_some() {
                continue;
            }
            break;
        };
        claims.claim(i, Role::Letterhead);
        // Pushed in reverse, like the lines: reversed below.
        organs.extend(names.iter().rev().map(|n| (i, strip_letterhead(n))));
    }
    organs.reverse();
    // "X文件" above a title line opening with "X": one organ.
    let mut seen = Vec::new();
    organs.retain(|(_, name)| {
        let new = !seen.contains(name);
        seen.push(name.clone());
        new
    });
    organs
}

fn is_letterhead_line(text: &str) -> bool {
    text == "文件" || patterns::organs(text).is_some()
}

/// "淄川区人民政府办公室文件" (a letterhead) names "淄川区人民政府办公室".
pub fn strip_letterhead(name: &str) -> String {
    name.strip_suffix("文件").unwrap_or(name).to_string()
}

/// Most lines a title stands on: a long title wraps over two or three, four at most.
const MAX_TITLE_LINES: usize = 4;

/// Most organ lines a signature stacks above its date: a joint issuance signs with every
/// organ (nine in fixtures/real/2025-shanghai-wuliu-cangchu-xingdong-fangan.md); each line
/// must be an organ's name.
const MAX_SIGNATURE_LINES: usize = 12;

/// The organs that sign before the 成文日期 at `date_at`: named on the date line itself
/// (`inline`), or on the lines just before it — stacked one per line, or side by side on
/// one line (told apart by the white space of the raw text). Marks those lines taken.
pub fn signatures(
    units: &[Unit],
    claims: &mut Claims,
    date_at: usize,
    inline: &str,
) -> Vec<String> {
    if !inline.is_empty() {
        return vec![signing_name(&strip_letterhead(inline))];
    }
    let mut organs = Vec::new();
    let mut i = date_at;
    while i > 0 && date_at - i < MAX_SIGNATURE_LINES {
        i -= 1;
        if !claims.free(i) {
            break;
        }
        let text = units[i].text();
        // A second name in brackets on a line of its own belongs to the organ above it
        // (四川省科学技术厅 / （四川省人工智能产业链链长办公室）: fixtures/real/
        // 2026-sichuan-opc-xingdong-fangan.html); an organ's name broken over two lines is
        // joined (重庆市“满天星”行动计划 / 工作专班办公室（代章）: 2026-chongqing-…).
        let above = i.checked_sub(1).filter(|&a| claims.free(a));
        let joined = above
            .filter(|&a| !units[a].text().starts_with('（'))
            .map(|a| format!("{}{text}", units[a].text()));
        let bracketed = text.starts_with('（') && text.ends_with('）');
        let (names, lines) = if let Some(names) = patterns::organs(text).filter(|_| !bracketed) {
            let side_by_side: Vec<&str> = units[i].raw.split_whitespace().collect();
            let spaced = side_by_side.len() > 1
                && side_by_side
                    .iter()
                    .all(|n| patterns::is_org_name(&crate::normalize(n)));
            if spaced {
                (
                    side_by_side.iter().map(|n| crate::normalize(n)).collect(),
                    1,
                )
            } else if names.len() == 1
                && let Some(whole) = joined.as_deref().filter(|j| {
                    !patterns::is_org_name(units[i - 1].text()) && patterns::is_org_name(j)
                })
            {
                (vec![whole.to_string()], 2)
            } else {
                (names, 1)
            }
        } else if let Some(whole) = joined.filter(|j| patterns::is_org_name(j)) {
            (vec![whole], 2)
        } else {
            break;
        };
        for k in 0..lines {
            claims.claim(i - k, Role::Signature);
        }
        i -= lines - 1;
        organs.splice(
            0..0,
            names
                .into_iter()
                .map(|n| signing_name(&strip_letterhead(&n))),
        );
    }
    organs
}

/// A signing organ without the seal remark after it: "X（代章）" and "X（Y代章）" sign as X
/// (fixtures/real/2025-shanghai-xinxing-chengzhenhua-renwu-fengong.md).
fn signing_name(name: &str) -> String {
    match name.rfind('（') {
        Some(open) if name.ends_with("代章）") && open > 0 => name[..open].to_string(),
        _ => name.to_string(),
    }
}

/// A title's first line: "关于…", or an organization name then "关于…". Returns the
/// organization ("" if none) and the title from "关于".
fn title_opening(text: &str) -> Option<(&str, &str)> {
    // A sentence is no title ("为深入贯彻落实县委县政府关于…。": fixtures/real/
    // 2026-cangnan-opc-ruogan-jucuo-zqyj.html).
    if text.contains('。') {
        return None;
    }
    if text.starts_with("关于") {
        return Some(("", text));
    }
    let at = text.find("关于")?;
    let org = &text[..at];
    patterns::organs(org).map(|_| (org, &text[at..]))
}
