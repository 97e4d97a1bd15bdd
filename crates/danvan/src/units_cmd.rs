//! `danvan units import` and `danvan units tree`.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use danvan_core::period::parse_date;
use danvan_core::{DomainError, number};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, unit_import};

pub async fn import(store: &Store, file: &Path) -> anyhow::Result<()> {
    let f = std::fs::File::open(file)
        .with_context(|| format!("không mở được tệp {}", file.display()))?;
    let s = unit_import::import_csv(store, std::io::BufReader::new(f)).await?;
    println!(
        "Đã nhập {} đơn vị mới ({} dòng đã có, không đổi).",
        s.inserted, s.unchanged
    );
    Ok(())
}

/// Set the shares of divided units from an administrator's file.
pub async fn shares(store: &Store, file: &Path) -> anyhow::Result<()> {
    let f = std::fs::File::open(file)
        .with_context(|| format!("không mở được tệp {}", file.display()))?;
    let s = unit_import::merge::set_shares(store, std::io::BufReader::new(f)).await?;
    println!(
        "Đã đặt tỷ lệ chia cho {} đơn vị bị chia.",
        number::int(s.divided as i64)
    );
    Ok(())
}

/// Import units' yearly profiles.
pub async fn profile(store: &Store, file: &Path) -> anyhow::Result<()> {
    let f = std::fs::File::open(file)
        .with_context(|| format!("không mở được tệp {}", file.display()))?;
    let n = danvan_store::profile::import_csv(store, std::io::BufReader::new(f)).await?;
    println!(
        "Đã nhập {} giá trị đặc điểm tình hình.",
        number::int(n as i64)
    );
    Ok(())
}

/// Merge the built-in national units into the stored ones.
pub async fn national(store: &Store) -> anyhow::Result<()> {
    let s = unit_import::national::import(store).await?;
    println!(
        "Đơn vị hành chính cả nước: nhập mới {} đơn vị, {} đơn vị đã có (giữ nguyên); \
         bổ sung đơn vị kế thừa cho {} đơn vị đã có; ghi tỷ lệ chia cho {} đơn vị bị chia.",
        number::int(s.inserted as i64),
        number::int(s.present as i64),
        number::int(s.linked as i64),
        number::int(s.divided as i64)
    );
    if !s.kept.is_empty() {
        println!(
            "{} chỗ khác với danh mục, giữ theo dữ liệu đã có:",
            number::int(s.kept.len() as i64)
        );
        for k in &s.kept {
            println!("  {k}");
        }
    }
    Ok(())
}

/// Print the tree under a unit (or every top-level unit) as it stood on
/// `at`; by default, on the last day the root existed (today if it still
/// does), so an abolished province shows its last tree.
pub async fn tree(store: &Store, unit: Option<&str>, at: Option<&str>) -> anyhow::Result<()> {
    let at: Option<NaiveDate> = match at {
        None => None,
        Some(s) => Some(parse_date(s).ok_or_else(|| {
            DomainError::new(
                "date.invalid",
                format!("ngày «{s}» không hợp lệ; dùng dạng NNNN-TT-NN"),
            )
        })?),
    };
    let all = units::all(store).await?;
    let today = chrono::Local::now().date_naive();
    let roots: Vec<Unit> = match unit {
        Some(q) => vec![units::find_in(&all, q, at.map(|d| (d, d)), today)?],
        None => all
            .iter()
            .filter(|u| u.parent_id.is_none() && at.is_none_or(|d| u.valid_on(d)))
            .cloned()
            .collect(),
    };
    let children = units::children_map(&all);
    for root in &roots {
        let day = at.unwrap_or_else(|| root.valid_to.map_or(today, |t| t.min(today)));
        println!(
            "{} [{}] — cây đơn vị ngày {}",
            root.full_name(),
            root.code,
            day.format("%d/%m/%Y")
        );
        let mut counts: BTreeMap<(i32, &'static str), usize> = BTreeMap::new();
        print_children(root, &children, day, 1, &mut counts);
        let mut by_depth: BTreeMap<i32, Vec<String>> = BTreeMap::new();
        for ((depth, label), n) in &counts {
            by_depth
                .entry(*depth)
                .or_default()
                .push(format!("{n} {label}"));
        }
        for (depth, parts) in by_depth {
            let total: usize = counts
                .iter()
                .filter(|((d, _), _)| *d == depth)
                .map(|(_, n)| n)
                .sum();
            println!("Cấp {}: {} đơn vị ({})", depth, total, parts.join(", "));
        }
    }
    Ok(())
}

fn print_children(
    u: &Unit,
    children: &std::collections::HashMap<Option<i64>, Vec<&Unit>>,
    day: NaiveDate,
    depth: i32,
    counts: &mut BTreeMap<(i32, &'static str), usize>,
) {
    for c in children.get(&Some(u.id)).into_iter().flatten() {
        if !c.valid_on(day) {
            continue;
        }
        println!(
            "{}{} [{}]",
            "  ".repeat(depth as usize),
            c.full_name(),
            c.code
        );
        *counts.entry((depth, c.kind.label())).or_insert(0) += 1;
        print_children(c, children, day, depth + 1, counts);
    }
}
