//! Number formats of Word list labels (`numFmt` in DOCX, `nfc` in DOC).

/// The longest list label rendered, in characters (before its suffix); Word's own labels
/// are a few characters ("（十二）", "1.2.3.").
pub const MAX_LABEL_CHARS: usize = 64;

const CN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// A counter value in a `w:numFmt`. Unknown formats fall back to decimal.
pub fn format_number(n: u32, fmt: &str) -> String {
    match fmt {
        "none" => String::new(),
        "decimalZero" if n < 10 => format!("0{n}"),
        "chineseCounting" | "japaneseCounting" | "taiwaneseCounting" => chinese_counting(n),
        "chineseCountingThousand" | "taiwaneseCountingThousand" | "japaneseCountingThousand" => {
            chinese_thousand(n, &CN_DIGITS, ['十', '百', '千'], '零', '万')
        }
        "chineseLegalSimplified" => chinese_thousand(
            n,
            &['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'],
            ['拾', '佰', '仟'],
            '零',
            '万',
        ),
        "ideographTraditional" => cycle(n, "甲乙丙丁戊己庚辛壬癸"),
        "ideographZodiac" => cycle(n, "子丑寅卯辰巳午未申酉戌亥"),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1)
                .map(String::from)
                .unwrap_or_default()
        }
        "decimalEnclosedParen" if (1..=20).contains(&n) => char::from_u32(0x2474 + n - 1)
            .map(String::from)
            .unwrap_or_default(),
        "decimalEnclosedFullstop" if (1..=20).contains(&n) => char::from_u32(0x2488 + n - 1)
            .map(String::from)
            .unwrap_or_default(),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperLetter" => letters(n),
        "lowerLetter" => letters(n).to_lowercase(),
        _ => n.to_string(),
    }
}

/// 一 … 十, 十一 … 九十九; from 100 on Word writes the digits (一〇〇).
fn chinese_counting(n: u32) -> String {
    match n {
        0..=9 => CN_DIGITS[n as usize].to_string(),
        10..=99 => {
            let (t, u) = (n / 10, n % 10);
            let mut s = String::new();
            if t > 1 {
                s.push(CN_DIGITS[t as usize]);
            }
            s.push('十');
            if u > 0 {
                s.push(CN_DIGITS[u as usize]);
            }
            s
        }
        _ => n
            .to_string()
            .chars()
            .map(|c| CN_DIGITS[(c as u8 - b'0') as usize])
            .collect(),
    }
}

/// 一百零一, 一千二百, 一万零五 …; 10–19 are 十, 十一 … (no leading 一).
fn chinese_thousand(
    n: u32,
    digits: &[char; 10],
    units: [char; 3],
    zero: char,
    wan: char,
) -> String {
    if n == 0 {
        return digits[0].to_string();
    }
    fn below_10k(n: u32, digits: &[char; 10], units: [char; 3], zero: char, s: &mut String) {
        let parts = [(n / 1000) % 10, (n / 100) % 10, (n / 10) % 10, n % 10];
        let unit = [Some(units[2]), Some(units[1]), Some(units[0]), None];
        let mut pending_zero = false;
        for (i, &d) in parts.iter().enumerate() {
            if d == 0 {
                pending_zero = !s.is_empty();
                continue;
            }
            if pending_zero {
                s.push(zero);
                pending_zero = false;
            }
            s.push(digits[d as usize]);
            if let Some(u) = unit[i] {
                s.push(u);
            }
        }
    }
    let mut s = String::new();
    let high = n / 10_000;
    let low = n % 10_000;
    if high > 0 {
        s.push_str(&chinese_thousand(high, digits, units, zero, wan));
        s.push(wan);
        if low > 0 && low < 1000 {
            s.push(zero);
        }
    }
    let mut tail = String::new();
    below_10k(low, digits, units, zero, &mut tail);
    s.push_str(&tail);
    // 一十 → 十 at the start (10–19), as Word writes it.
    if (10..20).contains(&n) {
        s = s.chars().skip(1).collect();
    }
    s
}

fn cycle(n: u32, set: &str) -> String {
    let chars: Vec<char> = set.chars().collect();
    if n == 0 {
        return "0".to_owned();
    }
    chars[((n - 1) as usize) % chars.len()].to_string()
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// A … Z, AA … ZZ, AAA … (Word repeats the letter).
fn letters(n: u32) -> String {
    if n == 0 {
        return "0".to_owned();
    }
    let c = (b'A' + ((n - 1) % 26) as u8) as char;
    let times = ((n - 1) / 26 + 1).min(50) as usize;
    std::iter::repeat_n(c, times).collect()
}

#[cfg(test)]
mod tests {
    use super::format_number;

    #[test]
    fn chinese_formats() {
        let f = |n, fmt| format_number(n, fmt);
        assert_eq!(f(1, "chineseCounting"), "一");
        assert_eq!(f(10, "chineseCounting"), "十");
        assert_eq!(f(11, "chineseCounting"), "十一");
        assert_eq!(f(20, "chineseCounting"), "二十");
        assert_eq!(f(99, "chineseCounting"), "九十九");
        assert_eq!(f(105, "chineseCounting"), "一〇五");
        assert_eq!(f(10, "chineseCountingThousand"), "十");
        assert_eq!(f(15, "chineseCountingThousand"), "十五");
        assert_eq!(f(21, "chineseCountingThousand"), "二十一");
        assert_eq!(f(101, "chineseCountingThousand"), "一百零一");
        assert_eq!(f(110, "chineseCountingThousand"), "一百一十");
        assert_eq!(f(1005, "chineseCountingThousand"), "一千零五");
        assert_eq!(f(10005, "chineseCountingThousand"), "一万零五");
        assert_eq!(f(3, "chineseLegalSimplified"), "叁");
        assert_eq!(f(1, "ideographTraditional"), "甲");
        assert_eq!(f(11, "ideographTraditional"), "甲");
        assert_eq!(f(2, "ideographZodiac"), "丑");
    }

    #[test]
    fn other_formats() {
        let f = |n, fmt| format_number(n, fmt);
        assert_eq!(f(7, "decimal"), "7");
        assert_eq!(f(7, "decimalZero"), "07");
        assert_eq!(f(12, "decimalFullWidth"), "１２");
        assert_eq!(f(3, "decimalEnclosedCircle"), "③");
        assert_eq!(f(14, "upperRoman"), "XIV");
        assert_eq!(f(4, "lowerRoman"), "iv");
        assert_eq!(f(28, "upperLetter"), "BB");
        assert_eq!(f(2, "lowerLetter"), "b");
        assert_eq!(f(5, "someFutureFormat"), "5");
        assert_eq!(f(5, "none"), "");
    }
}
