//! Units notes: the part of an item that names who carries it.
//!
//! Two grammars, on normalized text:
//! - **label notes**: `责任单位：A、B`, `牵头单位：X；配合单位：Y、Z`, in brackets anywhere in a
//!   paragraph, or without brackets opening a paragraph of its own (before or after the
//!   body), or after a full stop;
//! - **verb notes**, always in brackets: `（X负责）`, `（X牵头，Y、Z配合）`, `（X指导）`,
//!   `（A、B负责。列第一位者为牵头单位，下同）`.
//!
//! Units are split at the vocabulary's list separators (、，；。 and white space), kept as
//! written, with brackets inside a name kept (各乡镇人民政府（街道办事处）). Placeholders
//! that name no organ (有关部门, 相关单位 …) and the words that close a note (负责, 牵头,
//! 等 …) are not units.

use std::ops::Range;

/// Labels naming lead units.
const LEAD_LABELS: [&str; 4] = ["牵头单位", "牵头部门", "主责单位", "主责部门"];
/// Labels naming the other units.
const OTHER_LABELS: [&str; 10] = [
    "责任单位",
    "责任部门",
    "配合单位",
    "配合部门",
    "协办单位",
    "协作单位",
    "参与单位",
    "协同单位",
    "承办单位",
    "实施单位",
];
/// Labels of a deadline inside a note (`（责任单位：A；完成时限：2025年底）`).
const DEADLINE_LABELS: [&str; 3] = ["完成时限", "完成时间", "时间节点"];

/// Verbs that close a clause of a verb note, longest first, with the role they give. Words
/// that stand between the units and the verb (按职责, 组织, 具体 …) are closing words, not
/// part of a name (see `strip_closing_words`). Real notes: （X牵头负责，Y配合） and
/// （X，Y按职责分工负责） in fixtures/real/2026-guangdong-opc-xingdong-fangan.html,
/// （X总牵头，…） in 2025-shanghai-yingshang-shida-gongjian.md.
const VERBS: [(&str, Role); 18] = [
    ("按职责分工负责", Role::Other),
    ("牵头负责", Role::Lead),
    ("具体牵头", Role::Lead),
    ("总牵头", Role::Lead),
    ("负责落实", Role::Other),
    ("分别负责", Role::Other),
    ("共同负责", Role::Other),
    ("组织实施", Role::Other),
    ("负责", Role::Other),
    ("牵头", Role::Lead),
    ("主责", Role::Lead),
    ("实施", Role::Other),
    ("配合", Role::Other),
    ("参与", Role::Other),
    ("指导", Role::Other),
    ("协助", Role::Other),
    ("协办", Role::Other),
    ("落实", Role::Other),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Lead,
    Other,
}

/// A units note read from a text. Its units may be empty: a note can name only
/// placeholders (（有关部门负责）).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Note {
    /// Byte range of the note in the text it was read from (brackets included).
    pub range: Range<usize>,
    /// Units the note names as leads (牵头单位 …, "X牵头").
    pub lead: Vec<String>,
    /// The other units, in order.
    pub others: Vec<String>,
    /// The note states which of its units lead (列第一位者为牵头单位, 第一个逗号前为牵头单位).
    pub lead_rule: Option<LeadRule>,
    /// The note adds 下同 to that rule: it holds for the following notes too.
    pub carries_on: bool,
    /// How many of `others` stand before the note's first "，" (for [`LeadRule::FirstGroup`]).
    pub first_group: usize,
    /// A deadline the note states (完成时限：…).
    pub deadline: Option<String>,
}

/// Which units of a note lead, as a document declares it once for its notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadRule {
    /// 列第一位者为牵头单位 / 排在第一位的部门为牵头部门: the first unit.
    FirstUnit,
    /// 第一个逗号前为牵头单位: the units before the first "，" (several leads possible;
    /// fixtures/real/2026-nanchong-opc-xingdong-jihua.html).
    FirstGroup,
}

impl Note {
    /// Leads and others after the document's lead rule (`carried`, from an earlier note's
    /// 下同) or the note's own: where a rule holds and the note names no lead of its own,
    /// its first unit (or first group) leads.
    pub fn roles(&self, carried: Option<LeadRule>) -> (Vec<String>, Vec<String>) {
        let rule = self.lead_rule.or(carried);
        if self.lead.is_empty()
            && !self.others.is_empty()
            && let Some(rule) = rule
        {
            let n = match rule {
                LeadRule::FirstUnit => 1,
                LeadRule::FirstGroup => self.first_group.clamp(1, self.others.len()),
            };
            let mut others = self.others.clone();
            let lead: Vec<String> = others.drain(..n).collect();
            return (lead, others);
        }
        (self.lead.clone(), self.others.clone())
    }
}

/// The lead rule a sentence declares, if any.
fn declared_rule(text: &str) -> Option<LeadRule> {
    if !text.contains("牵头") {
        return None;
    }
    if text.contains("第一个逗号前") || text.contains("第一个逗号之前") {
        Some(LeadRule::FirstGroup)
    } else if text.contains("第一位") || text.contains("排在首位") || text.contains("排名第一")
    {
        Some(LeadRule::FirstUnit)
    } else {
        None
    }
}

/// Brackets a note may stand in: （） as most write it; 〔〕 (fixtures/real/
/// 2026-taian-opc-shishi-yijian.html), ASCII [] (2026-hangzhou-aiopc-xingdong-jihua-zqyj.html)
/// and 【】. ASCII () arrive as （） from the normalizer.
const NOTE_OPENERS: [char; 4] = ['（', '〔', '[', '【'];
const NOTE_CLOSERS: [char; 4] = ['）', '〕', ']', '】'];

/// Searchers for the note brackets and the label colon, built once.
struct NoteFinders {
    openers: Vec<memchr::memmem::Finder<'static>>,
    closers: Vec<memchr::memmem::Finder<'static>>,
    colon: memchr::memmem::Finder<'static>,
}

fn note_finders() -> &'static NoteFinders {
    static FINDERS: std::sync::LazyLock<NoteFinders> = std::sync::LazyLock::new(|| {
        let finders = |chars: [char; 4]| {
            chars
                .iter()
                .map(|c| memchr::memmem::Finder::new(c.to_string().as_bytes()).into_owned())
                .collect()
        };
        NoteFinders {
            openers: finders(NOTE_OPENERS),
            closers: finders(NOTE_CLOSERS),
            colon: memchr::memmem::Finder::new("：".as_bytes()).into_owned(),
        }
    });
    &FINDERS
}

/// Every units note in `text`: bracketed notes anywhere, and an unbracketed label note that
/// opens the text or follows a full stop (it runs to the end of the text).
pub fn find(text: &str) -> Vec<Note> {
    let mut notes = Vec::new();
    // Cheap tests first (memchr, not a walk over the characters): most paragraphs carry no
    // note, and every note has a bracket or a label's colon.
    // Whole-character searches (memmem over the UTF-8 bytes): `str::contains(char)` looks
    // for a multi-byte character's last byte, which Chinese text is full of.
    let finders = note_finders();
    let bytes = text.as_bytes();
    let bracketed = finders.openers.iter().any(|f| f.find(bytes).is_some());
    if !bracketed && finders.colon.find(bytes).is_none() {
        return notes;
    }
    // Top-level bracket spans, every kind of note bracket counted as one family (each
    // bracket found by memchr, not by walking characters).
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    if bracketed {
        // One memchr-backed search per bracket character (a char-array pattern decodes
        // every character of the paragraph).
        let mut marks: Vec<(usize, bool)> = Vec::new();
        for (kinds, is_open) in [(&finders.openers, true), (&finders.closers, false)] {
            for f in kinds {
                marks.extend(f.find_iter(bytes).map(|at| (at, is_open)));
            }
        }
        marks.sort_unstable();
        let mut depth = 0usize;
        let mut open = 0usize;
        for (at, is_open) in marks {
            if is_open {
                if depth == 0 {
                    open = at;
                }
                depth += 1;
            } else if depth > 0 {
                depth -= 1;
                if depth == 0 {
                    let close = text[at..].chars().next().map_or(1, char::len_utf8);
                    spans.push(open..at + close);
                }
            }
        }
    }
    for span in &spans {
        let open_len = text[span.start..].chars().next().map_or(1, char::len_utf8);
        let close_len = text[..span.end]
            .chars()
            .next_back()
            .map_or(1, char::len_utf8);
        let inner = &text[span.start + open_len..span.end - close_len];
        if let Some(mut note) = read_inner(inner) {
            note.range = span.clone();
            notes.push(note);
        }
    }
    // An unbracketed label note opens the text or a sentence, outside brackets: found from
    // the colons of labels.
    let opens_sentence = |at: usize| at == 0 || text[..at].ends_with(['。', '；']);
    // Only the known labels here: outside brackets, "建设单位：" may be any line of text.
    let unbracketed_from = text
        .match_indices('：')
        .filter(|&(colon, _)| label_before(text, colon).is_some_and(is_known_label))
        .map(|(colon, _)| colon - LABEL_BYTES)
        .find(|&at| {
            opens_sentence(at)
                && starts_with_label(&text[at..])
                && !spans.iter().any(|s| s.contains(&at))
        });
    if let Some(from) = unbracketed_from
        && let Some(mut note) = read_labels(text[from..].trim_end_matches('。'))
    {
        note.range = from..text.len();
        // Bracketed notes inside the unbracketed one are part of it.
        notes.retain(|n| n.range.start < from);
        notes.push(note);
    }
    notes
}

/// Whether `text` opens with a note label and its colon.
pub fn starts_with_label(text: &str) -> bool {
    text.get(LABEL_BYTES..)
        .is_some_and(|rest| rest.starts_with('：'))
        && label_before(text, LABEL_BYTES).is_some_and(|l| !DEADLINE_LABELS.contains(&l))
}

/// Every label is four characters (牵头单位, 责任部门, 完成时限 …; a role word ending in 单位
/// or 部门 likewise).
const LABEL_CHARS: usize = 4;
/// Where a label starts before its colon, in bytes: its four characters are CJK of the
/// Basic Multilingual Plane, three bytes of UTF-8 each (a test checks every known label).
/// Text is sliced at this offset, so it is kept in bytes; the rule is [`LABEL_CHARS`].
const LABEL_BYTES: usize = LABEL_CHARS * '单'.len_utf8();

/// The label that ends at byte `colon` of `text` (where a "：" stands): a known label, or,
/// in a note's brackets, any other four-character word ending in 单位 or 部门, which names
/// the units' role (支撑单位 in fixtures/real/2025-shanghai-songjiang-chengshi-gengxin-niandu.md).
fn label_before(text: &str, colon: usize) -> Option<&str> {
    let word = text.get(colon.checked_sub(LABEL_BYTES)?..colon)?;
    let role = is_known_label(word)
        || ((word.ends_with("单位") || word.ends_with("部门"))
            && word.chars().all(docmodel::is_han)
            && !word.starts_with(['有', '相', '其', '各']));
    role.then_some(word)
}

/// One of the labels the notes of the documents seen use (牵头单位, 责任单位 …, 完成时限 …).
fn is_known_label(label: &str) -> bool {
    LEAD_LABELS
        .iter()
        .chain(&OTHER_LABELS)
        .chain(&DEADLINE_LABELS)
        .any(|l| *l == label)
}

/// Whether a label names lead units: the known lead labels, or any role word with 牵头 or
/// 主责 in it.
fn is_lead_label(label: &str) -> bool {
    LEAD_LABELS.contains(&label) || label.contains("牵头") || label.contains("主责")
}

/// The inside of a bracket: a label note or a verb note.
fn read_inner(inner: &str) -> Option<Note> {
    if starts_with_label(inner) {
        read_labels(inner)
    } else {
        read_verbs(inner)
    }
}

/// `牵头单位：X；配合单位：Y、Z；完成时限：…`. A sentence after 。 or ； that opens with no
/// label ends the units: it states a lead rule (列第一位的为牵头单位，下同) or a scope
/// (以下均需…落实，不再列出), as in fixtures/real/2026-ningbo-opc-ruogan-yijian.html.
fn read_labels(text: &str) -> Option<Note> {
    let (text, remark) = split_remark(text);
    let mut note = read_label_values(text)?;
    if let Some(remark) = remark {
        note.lead_rule = declared_rule(remark);
        note.carries_on = note.lead_rule.is_some() && remark.contains("下同");
    }
    Some(note)
}

/// +1 for an opening bracket, -1 for a closing one, 0 otherwise: every bracket kind a note
/// or a name holds (（） () 〔〕 〈〉 [] 【】), counted as one family.
fn bracket_depth(c: char) -> i32 {
    match c {
        '（' | '(' | '〔' | '〈' | '[' | '【' => 1,
        '）' | ')' | '〕' | '〉' | ']' | '】' => -1,
        _ => 0,
    }
}

/// Splits a label note at the first 。 or ； (outside brackets) after which no label opens:
/// (the units part, the remark after it).
fn split_remark(text: &str) -> (&str, Option<&str>) {
    let mut depth = 0i32;
    for (at, c) in text.char_indices() {
        depth += bracket_depth(c);
        match c {
            // A scope after a comma: （责任单位：A、B，以下均涉及各县区、功能区，不再重复列出）
            // (fixtures/real/2026-suqian-opc-shitiao-zhengce.html).
            '，' | ',' if depth <= 0 && opens_remark(&text[at + c.len_utf8()..]) => {
                return (&text[..at], Some(&text[at + c.len_utf8()..]));
            }
            '。' | '；' if depth <= 0 => {
                let rest = &text[at + c.len_utf8()..];
                let rest_start = rest.trim_start();
                let opens_label = rest_start
                    .get(LABEL_BYTES..)
                    .is_some_and(|r| r.starts_with('：'))
                    && label_before(rest_start, LABEL_BYTES).is_some();
                if !rest.trim().is_empty() && !opens_label {
                    return (&text[..at], Some(rest));
                }
            }
            _ => {}
        }
    }
    (text, None)
}

/// Words that open a remark on a note's units rather than more units: a scope or a lead rule.
fn opens_remark(text: &str) -> bool {
    [
        "以下",
        "下同",
        "列第一",
        "排在第一",
        "排名第一",
        "第一个逗号",
    ]
    .iter()
    .any(|w| text.trim_start().starts_with(w))
}

fn read_label_values(text: &str) -> Option<Note> {
    // Labels found from their colons (memchr), in order.
    let starts: Vec<(usize, &str)> = text
        .match_indices('：')
        .filter_map(|(colon, _)| label_before(text, colon).map(|l| (colon - LABEL_BYTES, l)))
        .collect();
    let mut note = Note::default();
    for (k, &(at, label)) in starts.iter().enumerate() {
        let from = at + label.len() + '：'.len_utf8();
        let to = starts.get(k + 1).map_or(text.len(), |next| next.0);
        let value = text[from..to].trim_end_matches(['，', '；', '。', ',', ';', ' ']);
        if DEADLINE_LABELS.contains(&label) {
            note.deadline = (!value.is_empty()).then(|| value.to_string());
        } else if is_lead_label(label) {
            note.lead.extend(split_units(value));
        } else {
            let (units, group) = split_units_grouped(value);
            if note.others.is_empty() {
                note.first_group = group;
            }
            note.others.extend(units);
        }
    }
    (!starts.is_empty()).then_some(note)
}

/// `X负责`, `X牵头，Y、Z配合`, `A、B负责。列第一位者为牵头单位，下同`. Every clause of the
/// first sentence must be a list of organizations closed by a verb; later sentences may
/// only state the lead rule or a scope ("以下均需…").
fn read_verbs(inner: &str) -> Option<Note> {
    let first = inner.split_once('。').map_or(inner, |(first, _)| first);
    let mut note = Note::default();
    let mut clause = first;
    let mut clauses = 0;
    let declares = |s: &str| declared_rule(s).is_some();
    // The clauses of the first sentence, up to a declaration of the lead rule.
    while !clause.is_empty() && !declares(clause.split(['，', '；']).next().unwrap_or("")) {
        let (at, verb, role) = find_verb(clause)?;
        let units_text = &clause[..at];
        let after = &clause[at + verb.len()..];
        // The verb ends its clause: a separator or the end must follow.
        let next = if after.is_empty() {
            ""
        } else {
            after.strip_prefix(['，', '；', ','])?
        };
        if units_text.is_empty() {
            return None;
        }
        let (units, group) = split_units_grouped(units_text);
        if note.others.is_empty() && role == Role::Other {
            note.first_group = group;
        }
        if !units_text_names_orgs(units_text) {
            return None;
        }
        clauses += 1;
        match role {
            Role::Lead => note.lead.extend(units),
            Role::Other => note.others.extend(units),
        }
        clause = next;
    }
    note.lead_rule = declared_rule(inner);
    note.carries_on = note.lead_rule.is_some() && inner.contains("下同");
    // A note may name only placeholders (（各有关部门和单位按职责分工负责）): still a note.
    (clauses > 0).then_some(note)
}

/// The first verb in `clause` that closes it or a clause within it: (byte offset, verb, role).
fn find_verb(clause: &str) -> Option<(usize, &'static str, Role)> {
    // A closing verb ends where the clause or one of its clauses ends: the earliest such
    // end with a verb before it, the longest verb there (牵头负责 over 负责). Checking the
    // ends, not searching every verb through the clause, keeps this cheap: the parser asks
    // it of every bracket in a document.
    let ends = clause
        .match_indices(['，', '；', ','])
        .map(|(at, _)| at)
        .chain([clause.len()]);
    for end in ends {
        let before = &clause[..end];
        if let Some(&(verb, role)) = VERBS
            .iter()
            .filter(|(verb, _)| before.ends_with(verb))
            .max_by_key(|(verb, _)| verb.len())
        {
            return Some((end - verb.len(), verb, role));
        }
    }
    None
}

/// Every piece of a verb note's unit list is an organization or a placeholder: this is
/// what tells `（市妇联负责）` from a remark in brackets that happens to end in a verb.
fn units_text_names_orgs(text: &str) -> bool {
    let pieces: Vec<&str> = pieces(text)
        .iter()
        .map(|p| strip_closing_words(p))
        .collect();
    pieces.iter().enumerate().all(|(k, p)| {
        p.is_empty()
            || is_placeholder(p)
            || looks_like_org(p)
            || shares_a_later_suffix(p, &pieces[k + 1..])
    })
}

/// Longest bare place name that shares a later name's organ word, in characters.
const MAX_SHARED_SUFFIX_PLACE_CHARS: usize = 6;

/// A bare place name in a list whose later name ends in 政府 (广州、深圳市政府: the
/// governments of both, fixtures/real/2026-guangdong-opc-xingdong-fangan.html): it is
/// written as printed, and counts as a name.
fn shares_a_later_suffix(piece: &str, later: &[&str]) -> bool {
    let n = piece.chars().count();
    (2..=MAX_SHARED_SUFFIX_PLACE_CHARS).contains(&n)
        && piece.chars().all(docmodel::is_han)
        && later.iter().any(|l| l.ends_with("政府"))
}

/// Units as written, from a list: split at the vocabulary's list separators (、，；。 and
/// white space), and at 会同 / 等和; placeholders and closing words dropped.
pub fn split_units(text: &str) -> Vec<String> {
    split_units_grouped(text).0
}

/// [`split_units`], and how many of the units stand before the list's first "，" (for
/// [`LeadRule::FirstGroup`]).
fn split_units_grouped(text: &str) -> (Vec<String>, usize) {
    let (pieces, first_group) = pieces_and_first_group(text);
    let mut units: Vec<String> = Vec::new();
    let mut group = 0;
    for (k, piece) in pieces.into_iter().enumerate() {
        let Some(unit) = clean_unit(piece) else {
            continue;
        };
        if !units.iter().any(|u| u == unit) {
            units.push(unit.to_string());
            if k < first_group {
                group += 1;
            }
        }
    }
    (units, group)
}

/// A unit as a list writes it, without closing words (等, 负责 …); None for a placeholder
/// (有关部门 …) or nothing. Table cells are read with it too.
pub(crate) fn clean_unit(piece: &str) -> Option<&str> {
    let unit = strip_closing_words(piece);
    (!unit.is_empty() && !is_placeholder(unit)).then_some(unit)
}

/// The pieces of a unit list: split at separators outside brackets, then at the joining
/// words that stand between two names.
fn pieces(text: &str) -> Vec<&str> {
    pieces_and_first_group(text).0
}

/// The pieces, and how many stand before the first "，" outside brackets (all when none).
fn pieces_and_first_group(text: &str) -> (Vec<&str>, usize) {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    let mut first_group = None;
    for (at, c) in text.char_indices() {
        if first_group.is_none() && matches!(c, '，' | ',') && depth <= 0 {
            split_joined(&text[start..at], &mut out);
            start = at + c.len_utf8();
            first_group = Some(out.iter().filter(|p| !p.is_empty()).count());
            continue;
        }
        // Brackets inside a name: 各区〔县、市〕政府 (fixtures/real/2026-ningbo-opc-ruogan-yijian.html),
        // 各区人民政府〈含开发区、…〉 (2026-wuhan-opc-ruogan-cuoshi.html).
        depth += bracket_depth(c);
        if depth <= 0 && crate::vocabulary::is_list_separator(c) {
            split_joined(&text[start..at], &mut out);
            start = at + c.len_utf8();
        }
    }
    split_joined(&text[start..], &mut out);
    out.retain(|p| !p.is_empty());
    let first_group = first_group.unwrap_or(out.len());
    (out, first_group)
}

/// "国家发展改革委会同有关部门" → the two; "商务部等和各省级人民政府" → the two;
/// "民政部等有关部门和单位" / "市民政局及相关单位" → the organ and the placeholder;
/// "市教育局和市卫生健康委" → the two (but "文化和旅游局" stays whole: what precedes 和 is
/// not a name). Pushes the pieces, trimmed, onto `out`.
fn split_joined<'t>(piece: &'t str, out: &mut Vec<&'t str>) {
    let piece = piece.trim();
    if !piece.contains(['会', '等', '以', '及', '和']) {
        out.push(piece);
        return;
    }
    for joiner in ["会同", "等和", "以及"] {
        if let Some((a, b)) = piece.split_once(joiner)
            && !a.is_empty()
        {
            out.push(a.trim());
            split_joined(b, out);
            return;
        }
    }
    for joiner in ["等", "及", "和"] {
        for (at, _) in piece.match_indices(joiner) {
            let (a, b) = (&piece[..at], &piece[at + joiner.len()..]);
            if a.is_empty() || b.is_empty() {
                continue;
            }
            let b_whole = strip_closing_words(b);
            // "A等相关区政府": A, and the class of organs like it.
            let class =
                joiner == "等" && (b_whole.starts_with("有关") || b_whole.starts_with("相关"));
            let splits = is_placeholder(b_whole)
                || class
                || (joiner == "和"
                    && crate::vocabulary::ends_with_organ_word(a)
                    && looks_like_org(b_whole));
            if splits {
                out.push(a.trim());
                split_joined(b, out);
                return;
            }
        }
    }
    out.push(piece);
}

/// Drops the words that close a note or a list from the end of a name (负责, 牵头, 等,
/// 按职责, 组织 …: "各区政府组织落实" names 各区政府), and marks before it (`*县人社局`:
/// fixtures/real/2026-cangnan-opc-ruogan-jucuo-zqyj.html).
pub(crate) fn strip_closing_words(mut name: &str) -> &str {
    name = name.trim_start_matches(['*', '＊', '※', '★', '☆', '●', '▲', '△']);
    loop {
        let before = name;
        for word in [
            "总牵头",
            "具体牵头",
            "按照职责分工",
            "按职责分工",
            "按照职责",
            "按职责",
            "分别",
            "共同",
            "组织",
            "具体",
            "统筹",
            "结合实际",
            "根据实际",
            "负责",
            "牵头",
            "配合",
            "参与",
            "指导",
            "落实",
            "等",
        ] {
            name = name.strip_suffix(word).unwrap_or(name);
        }
        name = name.trim();
        if name == before {
            return name;
        }
    }
}

/// Names no organ: 有关部门, 相关单位, 各有关部门和单位, 县直有关单位, 其他成员单位 ….
fn is_placeholder(name: &str) -> bool {
    // "Whichever are concerned" names no organ: 有关区县, 相关区, 各相关单位
    // (fixtures/real: 2026-chongqing-opc-weilaixing-gongzuo-fangan.html,
    // 2025-shanghai-naoji-jiekou-xingdong-fangan.md).
    // A role is no organ: 各项目牵头单位, 其他配合单位 (a note label at its end).
    if LEAD_LABELS
        .iter()
        .chain(&OTHER_LABELS)
        .any(|l| name.ends_with(l))
    {
        return true;
    }
    // A class of organs stays (各有关省级人民政府, 相关区政府: it ends in an organ word).
    let name = name.strip_prefix('各').unwrap_or(name);
    if (name.starts_with("有关") || name.starts_with("相关"))
        && !crate::vocabulary::ends_with_organ_word(name)
    {
        return true;
    }
    // A named body's members are a collective (市物流发展工作专班成员单位); bare 成员单位 is not.
    let vague = ["有关", "相关", "其他", "其它"];
    // 委内各相关处室: the divisions concerned (fixtures/real/2024-shanghai-jiaotong-zonghe-
    // jiaotong-tixi.md, a table cell).
    let ends_generic = ["部门", "单位", "方面", "机构", "委办局", "处室", "科室"]
        .iter()
        .any(|g| name.ends_with(g));
    ends_generic
        && (vague.iter().any(|v| name.contains(v)) || matches!(name, "部门" | "单位" | "成员单位"))
}

/// How long a unit's name in a note is, in characters (its bracketed second name left
/// out): 市委 is two; a long 中共…委员会…办公室 about thirty.
const UNIT_NAME_CHARS: std::ops::RangeInclusive<usize> = 2..=40;

/// A unit name: ends in an organization word (brackets after it ignored), or is a
/// collective such as 各省级人民政府.
pub(crate) fn looks_like_org(name: &str) -> bool {
    let core = match name.find('（') {
        Some(at) if name.ends_with('）') => &name[..at],
        _ => name,
    };
    let chars = core.chars().count();
    if !UNIT_NAME_CHARS.contains(&chars) || core.contains(['：', '“', '《']) {
        return false;
    }
    core.starts_with('各') || crate::vocabulary::ends_with_unit_word(core)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Note {
        let notes = find(text);
        assert_eq!(notes.len(), 1, "{text}: {notes:?}");
        notes.into_iter().next().unwrap()
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn label_notes_in_brackets_and_on_their_own() {
        let n = one("正文。（牵头单位：市妇联；配合单位：市教育局、市民政局）");
        assert_eq!(
            (n.lead, n.others),
            (s(&["市妇联"]), s(&["市教育局", "市民政局"]))
        );
        let n = one("责任单位：县妇联、县教育和体育局。");
        assert_eq!(n.others, s(&["县妇联", "县教育和体育局"]));
        assert_eq!(n.range, 0.."责任单位：县妇联、县教育和体育局。".len());
        let n = one("主责单位：市妇联；协办单位：市教育局");
        assert_eq!((n.lead, n.others), (s(&["市妇联"]), s(&["市教育局"])));
        let n = one("开展培训。责任单位：区人社局。");
        assert_eq!(n.others, s(&["区人社局"]));
        let n = one("（责任单位：县民政局；完成时限：2025年12月底）");
        assert_eq!(n.deadline.as_deref(), Some("2025年12月底"));
    }

    #[test]
    fn every_label_is_four_characters() {
        for l in LEAD_LABELS
            .iter()
            .chain(&OTHER_LABELS)
            .chain(&DEADLINE_LABELS)
        {
            assert_eq!(l.chars().count(), LABEL_CHARS, "{l}");
            assert_eq!(l.len(), LABEL_BYTES, "{l}");
        }
    }

    #[test]
    fn verb_notes() {
        let n = one("（市卫生健康委负责）");
        assert_eq!((n.lead.len(), n.others), (0, s(&["市卫生健康委"])));
        let n = one("（市妇联牵头，市教育局、市民政局配合）");
        assert_eq!(
            (n.lead, n.others),
            (s(&["市妇联"]), s(&["市教育局", "市民政局"]))
        );
        let n = one("（市总工会牵头，市人力资源社会保障局参与）");
        assert_eq!(
            (n.lead, n.others),
            (s(&["市总工会"]), s(&["市人力资源社会保障局"]))
        );
        let n = one("（国家发展改革委会同有关部门负责）");
        assert_eq!(n.others, s(&["国家发展改革委"]));
        let n = one("（商务部、发展改革委、农业农村部等和各有关省级人民政府负责）");
        assert_eq!(
            n.others,
            s(&["商务部", "发展改革委", "农业农村部", "各有关省级人民政府"])
        );
        let n = one("（财政部、人力资源社会保障部、民政部等有关部门和单位按职责分工负责）");
        assert_eq!(n.others, s(&["财政部", "人力资源社会保障部", "民政部"]));
        let n = one("（各有关部门和单位，各省级人民政府按职责分工负责）");
        assert_eq!(n.others, s(&["各省级人民政府"]));
        let n = one("（生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出）");
        assert_eq!(n.others, s(&["生态环境部", "试点城市政府"]));
        let n = one("（各乡镇人民政府（街道办事处）负责）");
        assert_eq!(n.others, s(&["各乡镇人民政府（街道办事处）"]));
        let n = one("（扶贫办、中央和国家机关工委、文化和旅游部等负责）");
        assert_eq!(
            n.others,
            s(&["扶贫办", "中央和国家机关工委", "文化和旅游部"])
        );
        let n = one("（公安部、海洋局、空管委办公室负责）");
        assert_eq!(n.others, s(&["公安部", "海洋局", "空管委办公室"]));
        let n = one("（市教育局和市卫生健康委负责）");
        assert_eq!(n.others, s(&["市教育局", "市卫生健康委"]));
    }

    #[test]
    fn the_first_unit_is_the_lead_where_the_note_says_so() {
        let n = one("（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）");
        assert!(n.lead_rule == Some(LeadRule::FirstUnit) && n.carries_on);
        assert_eq!(n.roles(None), (s(&["人力资源社会保障部"]), s(&["财政部"])));
        let n = one("（税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同）");
        assert_eq!(n.lead_rule, Some(LeadRule::FirstUnit));
        assert_eq!(n.others, s(&["税务总局", "财政部", "海关总署"]));
        let n = one("（市教育局、市财政局负责）");
        assert_eq!(
            n.roles(Some(LeadRule::FirstUnit)),
            (s(&["市教育局"]), s(&["市财政局"]))
        );
        assert_eq!(n.roles(None), (vec![], s(&["市教育局", "市财政局"])));
    }

    /// Notes of fixtures/real (the file named in each case).
    #[test]
    fn real_notes_of_every_shape() {
        // 2026-ningbo-opc-ruogan-yijian.html: the rule and a scope after the units.
        let n = one(
            "（责任单位：市经信局、市发改委，各区〔县、市〕政府、开发园区管委会。列第一位的为牵头单位，下同。以下均需各区〔县、市〕政府、开发园区管委会落实，不再列出）",
        );
        assert_eq!(
            (n.lead_rule, n.carries_on),
            (Some(LeadRule::FirstUnit), true)
        );
        assert_eq!(
            n.roles(None),
            (
                s(&["市经信局"]),
                s(&["市发改委", "各区〔县、市〕政府", "开发园区管委会"])
            )
        );
        // 2026-nanchong-opc-xingdong-jihua.html: the leads are the first group.
        let n = one(
            "（责任单位：市科技局、市数据局，市委网信办、中国移动南充分公司；第一个逗号前为牵头单位，多个牵头部门的按照职责分工负责，下同）",
        );
        assert_eq!(n.lead_rule, Some(LeadRule::FirstGroup));
        assert_eq!(
            n.roles(None),
            (
                s(&["市科技局", "市数据局"]),
                s(&["市委网信办", "中国移动南充分公司"])
            )
        );
        let n = one("（责任单位：市数据局，市科技局）");
        assert_eq!(
            n.roles(Some(LeadRule::FirstGroup)),
            (s(&["市数据局"]), s(&["市科技局"]))
        );
        // 2026-guangdong-opc-xingdong-fangan.html: 牵头负责 leads.
        let n = one("（省发展改革委牵头负责，省工业和信息化厅、财政厅，各地级以上市人民政府配合）");
        assert_eq!(n.lead, s(&["省发展改革委"]));
        assert_eq!(
            n.others,
            s(&["省工业和信息化厅", "财政厅", "各地级以上市人民政府"])
        );
        // 2025-shanghai-yingshang-shida-gongjian.md: 总牵头, and a placeholder clause.
        let n = one("（市发展改革委总牵头，各领域由相关单位具体牵头）");
        assert_eq!((n.lead, n.others), (s(&["市发展改革委"]), vec![]));
        // 2026-cangnan-opc-ruogan-jucuo-zqyj.html: a mark before the first unit.
        // 2025-shanghai-songjiang-chengshi-gengxin-niandu.md: a role label seen once.
        let n = one("（牵头单位：九里亭街道，支撑单位：区规划资源局、区经委）");
        assert_eq!(
            (n.lead, n.others),
            (s(&["九里亭街道"]), s(&["区规划资源局", "区经委"]))
        );
        let n = one("（责任单位：*县人力社保局、县科技局）");
        assert_eq!(n.others, s(&["县人力社保局", "县科技局"]));
        // The shapes the real-documents issue lists.
        let n = one("（市教育局牵头，市财政局会同市人社局落实）");
        assert_eq!(
            (n.lead, n.others),
            (s(&["市教育局"]), s(&["市财政局", "市人社局"]))
        );
        let n = one("（市教育局牵头，市财政局配合；市卫健委牵头，市民政局配合）");
        assert_eq!(
            (n.lead, n.others),
            (s(&["市教育局", "市卫健委"]), s(&["市财政局", "市民政局"]))
        );
        let n = one("（牵头单位：市教育局，市财政局。配合单位：市民政局）");
        assert_eq!(
            (n.lead, n.others),
            (s(&["市教育局", "市财政局"]), s(&["市民政局"]))
        );
        let n = one("（市教育局、市财政局按职责分工负责）");
        assert_eq!(n.others, s(&["市教育局", "市财政局"]));
        let n = one("（黄浦区、徐汇区、长宁区政府负责）");
        assert_eq!(n.others, s(&["黄浦区", "徐汇区", "长宁区政府"]));
        let n = one("（市教育局牵头负责，市财政局、市民政局按职责组织落实）");
        assert_eq!(
            (n.lead, n.others),
            (s(&["市教育局"]), s(&["市财政局", "市民政局"]))
        );
        // A role names no organ.
        let n = one("（牵头单位：市委组织部，配合单位：各项目牵头单位，各区、县级市）");
        assert_eq!(n.others, s(&["各区", "县级市"]));
        // 2026-chongqing-opc-weilaixing-gongzuo-fangan.html: 有关区县 names no organ.
        let n = one("（责任单位：市经济信息委、有关区县）");
        assert_eq!(n.others, s(&["市经济信息委"]));
        // A verb never ends inside a name.
        let n = one("（各区政府组织实施）");
        assert_eq!(n.others, s(&["各区政府"]));
        let n = one("（市教育局牵头，市财政局按职责组织落实）");
        assert_eq!((n.lead, n.others), (s(&["市教育局"]), s(&["市财政局"])));
    }

    #[test]
    fn several_notes_in_one_paragraph() {
        let notes =
            find("检查率达到95%以上（市卫生健康委负责）；提高报销比例（市医疗保障局负责）。");
        let others: Vec<_> = notes.iter().map(|n| n.others.clone()).collect();
        assert_eq!(others, vec![s(&["市卫生健康委"]), s(&["市医疗保障局"])]);
    }

    #[test]
    fn remarks_in_brackets_are_not_notes() {
        for text in [
            "开展“两癌”（宫颈癌、乳腺癌）免费检查。",
            "培训妇女（含灵活就业人员）500人。",
            "（2025年底前完成）",
            "做好衔接（具体由各地负责组织实施）。",
            "明确责任单位和完成时限。",
        ] {
            assert!(find(text).is_empty(), "{text}");
        }
    }
}
