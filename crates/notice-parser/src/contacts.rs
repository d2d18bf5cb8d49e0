//! Contact details in the preamble and closing: labelled phones, email addresses, and
//! the people after "联系人".

use std::sync::LazyLock;

use noticepipe_output::Contacts;
use regex::Regex;

/// Reads contacts from (normalized, raw) paragraph texts. People are read from the raw
/// text because normalization removes the space that separates two names.
/// The contacts in `paragraphs` (normalized text, raw text), and the position of the first
/// paragraph that named one.
pub fn read<'a>(paragraphs: impl Iterator<Item = (&'a str, &'a str)>) -> (Contacts, Option<usize>) {
    static PHONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:联系电话|电话|手机|联系方式)：((?:[（(]?\d{3,4}[）)]?-?)?\d{5,8}(?:[、，/](?:\d{3,4}-)?\d{5,8})*)").expect("valid regex")
    });
    static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
            .expect("valid regex")
    });
    static PEOPLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"联系人\s*[：:]\s*(.+?)\s*(?:(?:联系)?电话|手机|[，,；;。（(]|$)")
            .expect("valid regex")
    });
    let mut contacts = Contacts::default();
    let mut first = None;
    let count = |c: &Contacts| c.phones.len() + c.emails.len() + c.people.len();
    for (k, (text, raw)) in paragraphs.enumerate() {
        let before = count(&contacts);
        for caps in PHONE.captures_iter(text) {
            for phone in caps[1].split(['、', '，', '/']) {
                push_unique(&mut contacts.phones, phone);
            }
        }
        for m in EMAIL.find_iter(text) {
            push_unique(&mut contacts.emails, m.as_str());
        }
        let raw = crate::normalize::fold_chars(raw);
        for caps in PEOPLE.captures_iter(&raw) {
            for person in
                caps[1].split(|c: char| c.is_whitespace() || matches!(c, '、' | '，' | ','))
            {
                push_unique(&mut contacts.people, person);
            }
        }
        if first.is_none() && count(&contacts) > before {
            first = Some(k);
        }
    }
    (contacts, first)
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    let value = value.trim();
    if !value.is_empty() && !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize;

    fn contacts_of(raw: &str) -> Contacts {
        let text = normalize(raw);
        read(std::iter::once((text.as_str(), raw))).0
    }

    #[test]
    fn people_phone_and_email() {
        let c = contacts_of("联系人：齐冬梅 朱滢榕 联系电话：5181763");
        assert_eq!(c.people, vec!["齐冬梅", "朱滢榕"]);
        assert_eq!(c.phones, vec!["5181763"]);
        let c = contacts_of("联系电话：7220365，电子邮箱：lzqfl@zb.shandong.cn");
        assert_eq!(
            (c.phones, c.emails),
            (
                vec!["7220365".to_string()],
                vec!["lzqfl@zb.shandong.cn".to_string()]
            )
        );
    }

    #[test]
    fn area_codes_and_internal_mailboxes() {
        let c = contacts_of("（联系电话：0533-3160330，协同办公系统邮箱：市妇儿办）");
        assert_eq!(c.phones, vec!["0533-3160330"]);
        assert!(
            c.emails.is_empty(),
            "an internal mailbox name is not an email address"
        );
    }

    #[test]
    fn unlabelled_numbers_are_not_phones() {
        let c = contacts_of("深化“12355青少年心理服务台”建设");
        assert!(c.phones.is_empty());
    }
}
