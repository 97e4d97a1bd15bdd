//! Finds the relations a report states between its figures and checks them.
//!
//! A relation is recognised from words, units of count and punctuation
//! only: a total and the parts listed after "trong đó", "gồm", ":", in a
//! bracket, in bullets or lines under it, or in a footnote on it; a rate
//! after "đạt", "tỷ lệ", "chiếm"; "X/Y …, còn Z"; a change "so với cùng kỳ"
//! with the earlier figure or a percentage. Whether the arithmetic holds
//! never decides whether a relation is read: once read, it is checked, and
//! a wrong figure is a lỗi (a rate off only by truncation a cảnh báo).

mod breakdown;
mod compare;
mod footnotes;
mod lines;
mod lists;
mod rates;
mod remaining;
mod report;
mod series;
mod wholes;

use std::collections::{HashMap, HashSet};

use crate::finding::Finding;
use crate::number::Dec;
use crate::para::{Analysed, Fig, analyse};
use crate::segment::Para;

/// A figure: (paragraph index, figure index).
pub(crate) type FigId = (usize, usize);

/// Which number of a figure a relation reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Side {
    /// A count (or a percentage).
    Whole,
    /// The numerator of a fraction.
    Num,
    /// The denominator of a fraction.
    Den,
}

/// One number a relation reads.
pub(crate) type Term = (FigId, Side);

/// Working state while checking one document.
pub(crate) struct Doc<'a> {
    pub paras: &'a [Para],
    pub a: Vec<Analysed>,
    /// A part → the total it is listed under (for the rate of a part).
    pub parent: HashMap<FigId, FigId>,
    /// Totals (with the side read) already checked against parts.
    pub summed: HashSet<(crate::finding::RelationKind, Term, Vec<Term>)>,
    /// Figures whose rate was checked.
    pub rated: HashSet<FigId>,
    /// Fractions read by a relation (no separate part-over-whole check).
    pub used: HashSet<FigId>,
    /// Z of "X/Y …, còn Z" or "giải quyết X, còn Z": (X, Y).
    pub remainder: HashMap<FigId, (Term, Term)>,
    pub out: Vec<Finding>,
}

/// Checks all relations of a segmented document.
pub fn check_paragraphs(paras: &[Para]) -> Vec<Finding> {
    let mut doc = Doc {
        paras,
        a: paras.iter().map(analyse).collect(),
        parent: HashMap::new(),
        summed: HashSet::new(),
        rated: HashSet::new(),
        used: HashSet::new(),
        remainder: HashMap::new(),
        out: Vec::new(),
    };
    breakdown::breakdowns(&mut doc);
    remaining::remaining(&mut doc);
    compare::comparisons(&mut doc);
    rates::rates(&mut doc);
    wholes::parts_of_wholes(&mut doc);
    wholes::listed_names(&mut doc);
    wholes::number_format(&mut doc);
    let mut seen = HashSet::new();
    let mut out: Vec<Finding> = doc
        .out
        .into_iter()
        .filter(|f| seen.insert((f.kind, f.figures.iter().map(|r| r.span).collect::<Vec<_>>())))
        .collect();
    out.sort_by_key(|f| (f.line, f.sentence.start));
    out
}

impl Doc<'_> {
    pub fn fig(&self, id: FigId) -> &Fig {
        &self.a[id.0].figs[id.1]
    }

    pub fn figs(&self, p: usize) -> &[Fig] {
        &self.a[p].figs
    }

    /// The number a term reads.
    pub fn value(&self, t: Term) -> Dec {
        use crate::figures::FigKind;
        match (&self.fig(t.0).f.kind, t.1) {
            (FigKind::Fraction { num, .. }, Side::Num) => *num,
            (FigKind::Fraction { den, .. }, Side::Den) => *den,
            (FigKind::Fraction { num, .. }, Side::Whole) => *num,
            (FigKind::Count { value, .. } | FigKind::Percent { value }, _) => *value,
        }
    }

    /// Byte range of sentence `s` of paragraph `p`.
    pub fn sentence_range(&self, p: usize, s: usize) -> (usize, usize) {
        let para = &self.paras[p];
        para.sentences
            .get(s)
            .copied()
            .unwrap_or((0, para.text.len()))
    }

    /// Figures of paragraph `p` whose first digit lies in `range`.
    pub fn figs_in(&self, p: usize, range: (usize, usize)) -> Vec<FigId> {
        self.figs(p)
            .iter()
            .enumerate()
            .filter(|(_, f)| f.f.start >= range.0 && f.f.start < range.1)
            .map(|(i, _)| (p, i))
            .collect()
    }
}
