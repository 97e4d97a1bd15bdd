//! What the words around each figure say about it, read once per
//! paragraph: its sentence, how deep in brackets it sits, the role its
//! words give it (received, due, resolved, on time, late, remaining, a
//! change against an earlier period, an approximation), and the pairs
//! "32 lượt/48 người" it forms. Relations are recognised from these, never
//! from whether numbers add up.

use crate::figures::{FigKind, Figure, scan};
use crate::number::Dec;
use crate::segment::Para;
use crate::units::is_turns_and_persons;
use crate::vocab::{Change, has_phrase, last_words, strip_marks};
use danvan_core::text::fold;

/// Paragraphs with more figures than this are not analysed.
const MAX_FIGURES_PER_PARAGRAPH: usize = 1500;

/// A bracket "(…)" or "[…]" of a paragraph.
#[derive(Debug, Clone)]
pub struct Bracket {
    /// Byte offset of the opening mark.
    pub open: usize,
    /// Byte offset of the closing mark (the paragraph's end when unclosed).
    pub close: usize,
    /// Depth of what is inside (1 for a bracket at the top level).
    pub depth: usize,
    /// Its words say it compares with an earlier period ("so với cùng kỳ").
    pub comparison: bool,
}

/// What the words before and after a figure make of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles {
    /// "giảm 146 lượt", "tăng 131 đơn": the change, not an amount.
    pub change: Option<Change>,
    /// "hơn 24%", "khoảng 29 người", "gần 30%": not exact.
    pub approx: bool,
    /// "đến hạn giải quyết 4.169 hồ sơ".
    pub due: bool,
    /// "đã giải quyết 52 đơn", "hòa giải thành công 630 vụ".
    pub resolved: bool,
    /// "đúng hạn", "trước hạn".
    pub on_time: bool,
    /// "quá hạn", "trễ hạn", "chậm hạn".
    pub late: bool,
    /// "còn 11 đơn", "14 vụ còn lại".
    pub remaining: bool,
    /// "lũy kế", "tổng cộng": the sum of what was just listed.
    pub cumulative: bool,
}

/// A figure with what its paragraph says about it.
#[derive(Debug, Clone)]
pub struct Fig {
    pub f: Figure,
    /// Index of its sentence in the paragraph.
    pub sentence: usize,
    /// Bracket depth at its first digit.
    pub depth: usize,
    /// Innermost bracket holding it.
    pub bracket: Option<usize>,
    pub roles: Roles,
    /// "lượt người" standing alone: as many turns as persons.
    pub both: bool,
    /// For the first half of "32 lượt/48 người" or "3.938 lượt với 3.092
    /// người", the index of the second half.
    pub pair: Option<usize>,
    /// The second half of such a pair.
    pub paired: bool,
    /// A change amount, or a figure inside a comparison bracket.
    pub comparison: bool,
}

impl Fig {
    /// The unit of a count or fraction.
    pub fn unit(&self) -> Option<&str> {
        self.f.unit()
    }

    /// A count (not a percentage, not a fraction).
    pub fn is_count(&self) -> bool {
        matches!(self.f.kind, FigKind::Count { .. })
    }

    pub fn is_fraction(&self) -> bool {
        matches!(self.f.kind, FigKind::Fraction { .. })
    }

    pub fn is_percent(&self) -> bool {
        matches!(self.f.kind, FigKind::Percent { .. })
    }

    /// A count or fraction that may stand in a relation as an amount.
    pub fn is_amount(&self) -> bool {
        !self.is_percent() && !self.comparison && !self.roles.approx
    }

    pub fn value(&self) -> Dec {
        match self.f.kind {
            FigKind::Count { value, .. } | FigKind::Percent { value } => value,
            FigKind::Fraction { num, .. } => num,
        }
    }
}

/// One paragraph, analysed.
#[derive(Debug, Clone, Default)]
pub struct Analysed {
    pub figs: Vec<Fig>,
    pub brackets: Vec<Bracket>,
}

/// Finds the brackets of a paragraph.
fn brackets(text: &str) -> Vec<Bracket> {
    let mut out: Vec<Bracket> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => {
                out.push(Bracket {
                    open: i,
                    close: text.len(),
                    depth: stack.len() + 1,
                    comparison: false,
                });
                stack.push(out.len() - 1);
            }
            ')' | ']' => {
                if let Some(b) = stack.pop() {
                    out[b].close = i;
                }
            }
            _ => {}
        }
    }
    for b in &mut out {
        let inner = text.get(b.open + 1..b.close).unwrap_or("");
        b.comparison = compares(inner);
    }
    out
}

/// Whether words say "compared with an earlier period". Read with their
/// diacritics: folded, "hồ sơ với" would read as "so với".
pub fn compares(words: &str) -> bool {
    let lower = strip_marks(&words.to_lowercase());
    let padded = format!(
        " {} ",
        lower.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    [" so với ", " so cùng kỳ ", " cùng kỳ "]
        .iter()
        .any(|w| padded.contains(w))
}

/// The innermost bracket holding byte `pos`.
pub fn bracket_at(brackets: &[Bracket], pos: usize) -> Option<usize> {
    brackets
        .iter()
        .enumerate()
        .filter(|(_, b)| b.open < pos && pos < b.close)
        .max_by_key(|(_, b)| b.depth)
        .map(|(i, _)| i)
}

/// Start of the clause holding byte `pos`: just after the last ",", ";",
/// ":", "(", "[" or sentence end before it.
pub fn clause_start(text: &str, pos: usize, sentence_start: usize) -> usize {
    let head = text.get(sentence_start..pos).unwrap_or("");
    head.rfind([',', ';', ':', '(', '[', ')', ']'])
        .map_or(sentence_start, |k| sentence_start + k + 1)
}

/// Folded words of the clause before `pos`.
fn clause_before(para: &Para, pos: usize) -> String {
    let (s, _) = para
        .sentences
        .get(para.sentence_of(pos))
        .copied()
        .unwrap_or((0, 0));
    let from = clause_start(&para.text, pos, s);
    last_words(para.text.get(from..pos).unwrap_or(""), 12)
}

/// Folded words right after a figure's unit, to the next mark.
fn clause_after(text: &str, from: usize) -> String {
    let rest = text.get(from..).unwrap_or("");
    let end = rest
        .find([',', ';', ':', '(', '[', ')', ']', '.'])
        .unwrap_or(rest.len());
    fold(&rest[..end])
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ")
}

/// "giảm 146", "tăng 131": read with diacritics ("giám sát" is no "giảm").
fn change_of(before: &str) -> Option<Change> {
    let lower = before.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev()
        .take(2)
        .collect();
    words.iter().find_map(|w| match *w {
        "giảm" => Some(Change::Down),
        "tăng" => Some(Change::Up),
        _ => None,
    })
}

fn roles(para: &Para, f: &Figure) -> Roles {
    let before = clause_before(para, f.start);
    let after = clause_after(&para.text, f.end);
    let last = before.split_whitespace().last().unwrap_or("");
    let any = |w: &str| has_phrase(&before, w);
    let late = any("qua han") || any("tre han") || any("cham han") || has_phrase(&after, "qua han");
    let on_time = !late
        && (any("dung han") || any("truoc han") || has_phrase(&after, "dung han"))
        && !any("chua den han");
    Roles {
        change: change_of(&para.text[..f.start]),
        approx: matches!(
            last,
            "hon" | "gan" | "khoang" | "tren" | "duoi" | "xap" | "xi" | "toi" | "chung"
        ),
        due: any("den han"),
        resolved: any("giai quyet") || any("hoa giai thanh") || any("co ket qua"),
        on_time,
        late,
        remaining: {
            let lower = para.text[..f.start].to_lowercase();
            let last2: Vec<&str> = lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .rev()
                .take(2)
                .collect();
            last2.contains(&"còn")
                || para.text[f.end..]
                    .to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .take(4)
                    .collect::<Vec<_>>()
                    .windows(2)
                    .any(|w| w == ["còn", "lại"])
        },
        cumulative: any("luy ke") || any("tong cong"),
    }
}

/// Reads one paragraph.
pub fn analyse(para: &Para) -> Analysed {
    let found = scan(&para.text);
    if found.len() > MAX_FIGURES_PER_PARAGRAPH {
        return Analysed::default();
    }
    let mut brackets = brackets(&para.text);
    let mut figs: Vec<Fig> = found
        .into_iter()
        .map(|f| {
            let bracket = bracket_at(&brackets, f.start);
            let depth = bracket.map_or(0, |b| brackets[b].depth);
            let roles = roles(para, &f);
            Fig {
                sentence: para.sentence_of(f.start),
                depth,
                bracket,
                roles,
                both: is_turns_and_persons(&f.words),
                pair: None,
                paired: false,
                comparison: roles.change.is_some(),
                f,
            }
        })
        .collect();
    mark_pairs(&para.text, &mut figs);
    merge_slash_denominators(&para.text, &mut figs);
    mark_comparisons(&para.text, &mut brackets, &mut figs);
    Analysed { figs, brackets }
}

/// "32 lượt/48 người", "3.938 lượt công dân với 3.092 người": two counts
/// of different units for the same thing.
fn mark_pairs(text: &str, figs: &mut [Fig]) {
    for i in 0..figs.len().saturating_sub(1) {
        let (a, b) = (&figs[i], &figs[i + 1]);
        if !a.is_count() || !b.is_count() || a.unit().is_none() || b.unit().is_none() {
            continue;
        }
        if a.unit() == b.unit() || a.sentence != b.sentence {
            continue;
        }
        let between = text.get(a.f.unit_end..b.f.start).unwrap_or("").trim();
        let joined = between == "/" || fold(between) == "voi";
        if joined {
            figs[i].pair = Some(i + 1);
            figs[i + 1].paired = true;
            figs[i + 1].both = false;
        }
    }
}

/// "176 đơn (160 khiếu nại, 16 tố cáo)/221 đơn": the count before the
/// bracket becomes a fraction over the count after it.
fn merge_slash_denominators(text: &str, figs: &mut Vec<Fig>) {
    let mut k = 0;
    while k < figs.len() {
        if !figs[k].f.slash_after_bracket || !figs[k].is_count() {
            k += 1;
            continue;
        }
        let close = figs[k].f.start.saturating_sub(2);
        let open = matching_open(text, close);
        let num = open.and_then(|o| {
            (0..k)
                .rev()
                .find(|&j| figs[j].is_count() && figs[j].f.unit_end <= o)
                .filter(|&j| text[figs[j].f.unit_end..o].trim().is_empty())
        });
        let Some(j) = num else {
            k += 1;
            continue;
        };
        let (FigKind::Count { value: n, unit }, FigKind::Count { value: d, .. }) =
            (figs[j].f.kind.clone(), figs[k].f.kind.clone())
        else {
            k += 1;
            continue;
        };
        let den = figs[k].f.clone();
        let f = &mut figs[j].f;
        f.kind = FigKind::Fraction {
            num: n,
            den: d,
            unit,
        };
        f.den_start = den.start;
        f.end = den.end;
        figs.remove(k);
    }
}

fn matching_open(text: &str, close: usize) -> Option<usize> {
    if text.get(close..close + 1) != Some(")") {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in text.get(..=close)?.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Change amounts continue in a list ("giảm 146 lượt tiếp, 127 lượt
/// người"), and every figure of a comparison bracket ("(6 tháng đầu năm
/// 2019 đã tiếp 1.012 lượt)", "[giảm 160 lượt = 44,82% so với cùng kỳ]",
/// "[20,42%]" after "so với cùng kỳ") belongs to the comparison.
fn mark_comparisons(text: &str, brackets: &mut [Bracket], figs: &mut [Fig]) {
    for i in 1..figs.len() {
        if figs[i].roles.change.is_some() || figs[i].paired {
            continue;
        }
        let prev = &figs[i - 1];
        let prev_change = prev.roles.change.or_else(|| {
            prev.paired
                .then(|| i.checked_sub(2).and_then(|j| figs[j].roles.change))
                .flatten()
        });
        if let Some(dir) = prev_change {
            let between = text.get(prev.f.unit_end..figs[i].f.start).unwrap_or("");
            let w = fold(&strip_marks(between));
            if between.trim() == "," || w.trim() == "va" {
                figs[i].roles.change = Some(dir);
                figs[i].comparison = true;
            }
        }
    }
    // A bracket right after a change ("tăng 131 đơn (năm 2019 tiếp nhận
    // 1.405 đơn)") or after "so với cùng kỳ …" holds the earlier figures.
    for b in brackets.iter_mut() {
        // Comparison words before the bracket's first figure, or a change
        // as its first figure: "(cùng kỳ đã tiếp 402 lượt)", "[giảm 160
        // lượt = 44,82% so với cùng kỳ]". Words after other figures
        // ("(trong đó 354 đơn …; 92 vụ việc, tăng 4,5% so với cùng kỳ)")
        // compare only those.
        let first = figs
            .iter()
            .find(|f| f.f.start > b.open && f.f.start < b.close);
        b.comparison = match first {
            Some(f) => f.roles.change.is_some() || compares(&text[b.open + 1..f.f.start]),
            None => compares(text.get(b.open + 1..b.close).unwrap_or("")),
        };
        let head = &text[..b.open];
        let from = head
            .char_indices()
            .rev()
            .filter(|(_, c)| c.is_whitespace())
            .nth(6)
            .map_or(0, |(k, _)| k);
        let sentence_from = head.rfind(['.', ';']).map_or(0, |k| k + 1);
        if compares(&head[from.max(sentence_from)..]) {
            b.comparison = true;
        }
        if let Some(f) = figs.iter().rev().find(|f| f.f.unit_end <= b.open)
            && f.roles.change.is_some()
            && text[f.f.unit_end..b.open].trim().is_empty()
        {
            b.comparison = true;
        }
    }
    for fig in figs.iter_mut() {
        if let Some(b) = fig.bracket
            && brackets[b].comparison
        {
            fig.comparison = true;
        }
    }
    // "so với cùng kỳ [20,42%]": a bare percentage right after the words.
    for fig in figs.iter_mut() {
        if let Some(b) = fig.bracket
            && fig.is_percent()
        {
            let before = last_words(&text[..brackets[b].open], 3);
            if has_phrase(&before, "cung ky") || has_phrase(&before, "so voi") {
                fig.comparison = true;
            }
        }
    }
}

/// Whether a paragraph is a heading: "II. KẾT QUẢ", "4. Công tác…", "1.4.".
pub fn is_heading(text: &str) -> bool {
    let t = text.trim_start();
    let roman: String = t
        .chars()
        .take_while(|c| matches!(c, 'I' | 'V' | 'X' | 'L'))
        .collect();
    if !roman.is_empty() && t[roman.len()..].starts_with(['.', ' ']) {
        return true;
    }
    let digits: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if !digits.is_empty() && digits.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        let rest = &t[digits.len()..];
        return digits.ends_with('.') && rest.starts_with(' ')
            || rest.starts_with(". ")
            || rest.starts_with(") ");
    }
    let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() > 8 && letters.iter().all(|c| c.is_uppercase())
}

/// Which kind of label opens a list item: a level of the administration
/// ("UBND huyện tiếp", "cấp xã") or a kind of thing ("định kỳ", "khiếu
/// nại", "kinh tế").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelClass {
    Level,
    Kind,
}

const KIND_WORDS: &[&str] = &[
    "định kỳ",
    "thường xuyên",
    "đột xuất",
    "khiếu nại",
    "tố cáo",
    "kiến nghị",
    "phản ánh",
    "lĩnh vực",
    "kinh tế",
    "văn hóa",
    "văn hoá",
    "an ninh",
    "quốc phòng",
    "chính trị",
    "trực tuyến",
    "trực tiếp",
    "bưu chính",
    "đúng hạn",
    "quá hạn",
    "trước hạn",
    "đăng ký mới",
    "nhân rộng",
    "duy trì",
];

const LEVEL_WORDS: &[&str] = &[
    "ubnd",
    "ủy ban",
    "uỷ ban",
    "cấp",
    "tỉnh",
    "huyện",
    "xã",
    "phường",
    "thị trấn",
    "thành phố",
    "thị xã",
    "quận",
    "sở",
    "ngành",
    "trụ sở",
    "cơ quan",
    "chủ tịch",
    "thành",
    "thị",
];

/// The class of a label (the words before a list item's figure).
pub fn label_class(label: &str) -> Option<LabelClass> {
    let lower = label.to_lowercase();
    let words: String = lower
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let padded = format!(
        " {} ",
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let has = |w: &str| padded.contains(&format!(" {w} "));
    if KIND_WORDS.iter().any(|w| has(w)) {
        Some(LabelClass::Kind)
    } else if LEVEL_WORDS.iter().any(|w| has(w)) && !has("xã hội") {
        Some(LabelClass::Level)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;

    fn analysed(t: &str) -> (Para, Analysed) {
        let p = segment(t, true).remove(0);
        let a = analyse(&p);
        (p, a)
    }

    #[test]
    fn pairs_changes_and_comparison_brackets() {
        let (_, a) = analysed(
            "Đã tiếp 866 lượt/964 lượt người. So với cùng kỳ năm trước giảm 146 lượt tiếp, 127 lượt người (năm 2019 đã tiếp 1.012 lượt/1.091 lượt người).",
        );
        assert_eq!(a.figs[0].pair, Some(1));
        assert!(a.figs[1].paired);
        assert!(a.figs[2].roles.change.is_some());
        assert!(a.figs[3].roles.change.is_some(), "{:?}", a.figs[3]);
        assert!(a.figs[4].comparison && a.figs[5].comparison);
        assert!(!a.figs[0].comparison);
    }

    #[test]
    fn roles_from_words() {
        let (_, a) = analysed(
            "Số hồ sơ đến hạn giải quyết là 4.169 hồ sơ, trả trước và đúng hạn là 4.157 hồ sơ, quá hạn 12 hồ sơ; đã giải quyết 66 đơn, còn 11 đơn, hơn 24%.",
        );
        let r: Vec<Roles> = a.figs.iter().map(|f| f.roles).collect();
        assert!(r[0].due);
        assert!(r[1].on_time && !r[1].late);
        assert!(r[2].late);
        assert!(r[3].resolved);
        assert!(r[4].remaining);
        assert!(r[5].approx);
    }

    #[test]
    fn a_slash_after_a_bracket_makes_a_fraction() {
        let (_, a) =
            analysed("đã giải quyết 176 đơn (160 khiếu nại, 16 tố cáo)/221 đơn, đạt 79,63%.");
        assert!(a.figs[0].is_fraction(), "{:?}", a.figs[0]);
        assert_eq!(a.figs.len(), 4);
    }

    #[test]
    fn labels_and_headings() {
        assert_eq!(label_class("UBND huyện tiếp"), Some(LabelClass::Level));
        assert_eq!(label_class("tiếp công dân định kỳ"), Some(LabelClass::Kind));
        assert_eq!(
            label_class("Phát triển kinh tế- Văn hóa xã hội:"),
            Some(LabelClass::Kind)
        );
        assert_eq!(label_class("Lệ Thủy tiếp"), None);
        assert!(is_heading("II. KẾT QUẢ THỰC HIỆN."));
        assert!(is_heading("4. Công tác tiếp công dân"));
        assert!(!is_heading("4 xã đã thực hiện."));
    }
}
