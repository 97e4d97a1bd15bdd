//! `danvan report`: a finished report for a unit subtree and period.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use danvan_core::DomainError;
use danvan_core::period::Period;
use danvan_report::{Catalogue, Request};
use danvan_store::{Store, drafts, units};

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Txt,
    Docx,
    Pdf,
    Xlsx,
    /// Biểu mẫu thống kê của ngành Thanh tra (01/TCD, 01/XLD), XLSX.
    Bieu,
    /// Số liệu của đơn vị trong kỳ, dạng JSON như `/api/figures`.
    Json,
}

#[derive(Args)]
pub struct ReportArgs {
    /// Đơn vị: mã hoặc tên (không cần dấu).
    #[arg(long)]
    unit: String,
    /// Kỳ báo cáo: 2020-09, 2020-Q3, 2020-H1, 2020-9M, 2020, 2021..2023.
    #[arg(long)]
    period: String,
    /// Tính kỳ theo ngày chốt số liệu (15 tháng trước đến 14 tháng cuối kỳ).
    #[arg(long)]
    cutoff: bool,
    /// Tên mẫu có sẵn, hoặc đường dẫn tệp mẫu đã sao chép và sửa.
    #[arg(long)]
    template: Option<String>,
    /// So sánh với cùng kỳ năm trước (các mẫu báo cáo của Đảng luôn so sánh).
    #[arg(long)]
    compare: bool,
    /// Tệp TOML chứa các phần do đơn vị viết (uu_diem, han_che, nguyen_nhan, nhiem_vu…).
    #[arg(long)]
    sections: Option<PathBuf>,
    /// Cơ quan ban hành: ubnd, cap_uy, bdv, mttq hoặc mã đơn vị đã đặt
    /// (mặc định: UBND; cấp ủy với mẫu báo cáo của Đảng).
    #[arg(long)]
    issuer: Option<String>,
    /// Số văn bản: "15" (ghép ký hiệu của cơ quan ban hành) hoặc "15/BC-UBND".
    #[arg(long, default_value = "")]
    number: String,
    /// Ngày văn bản (dd/mm/yyyy hoặc yyyy-mm-dd); mặc định hôm nay.
    #[arg(long)]
    date: Option<String>,
    /// Văn bản yêu cầu báo cáo, cho câu mở đầu: "Công văn số 1027-CV/BDVTU
    /// ngày 26/5/2020 của Ban Dân vận Tỉnh ủy về việc …".
    #[arg(long)]
    cites: Option<String>,
    /// txt, docx, pdf, xlsx (phụ lục) hoặc bieu (biểu mẫu thống kê tiếp công
    /// dân, xử lý đơn theo Thông tư 01/2024/TT-TTCP, tệp XLSX).
    #[arg(long, value_enum, default_value = "txt")]
    format: Format,
    /// Với --format bieu: các biểu cần lập, ví dụ "tcd,xld" hoặc "01/XLD"
    /// (mặc định: tất cả).
    #[arg(long, default_value = "")]
    bieu: String,
    /// Tệp kết quả; mặc định in ra màn hình (chỉ với txt).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub async fn run(store: &Store, a: ReportArgs) -> anyhow::Result<()> {
    let period = Period::parse(&a.period, a.cutoff)?;
    let r = period.range();
    let unit = units::find(store, &a.unit, Some((r.start, r.end))).await?;
    if let Format::Bieu = a.format {
        return forms(store, &unit, &period, &a.bieu, a.out).await;
    }
    if let Format::Json = a.format {
        return figures(store, &unit, &period, a.out).await;
    }
    let custom_template = match &a.template {
        Some(t) if std::path::Path::new(t).is_file() => {
            let src =
                std::fs::read_to_string(t).with_context(|| format!("không đọc được mẫu {t}"))?;
            let name = std::path::Path::new(t)
                .file_stem()
                .map_or("mau-rieng".into(), |s| s.to_string_lossy().into_owned());
            Some((name, src))
        }
        _ => None,
    };
    // The template the report resolves to keys its draft.
    let template_name = custom_template
        .as_ref()
        .map(|(n, _)| n.clone())
        .or_else(|| a.template.clone())
        .unwrap_or_else(|| danvan_report::default_template(&unit, &period).to_string());
    // Sections given on the command line become the report's draft; without
    // them the draft saved earlier (here or in the web) is used.
    let sections: BTreeMap<String, String> = match &a.sections {
        None => drafts::get(store, &unit, &period, &template_name)
            .await?
            .map(|d| d.sections)
            .unwrap_or_default(),
        Some(p) => {
            let src = std::fs::read_to_string(p)
                .with_context(|| format!("không đọc được {}", p.display()))?;
            let sections = toml_sections(&src)?;
            drafts::save(store, &unit, &period, &template_name, &sections).await?;
            eprintln!(
                "Đã lưu các phần do đơn vị viết làm bản nháp của báo cáo {} ({}, mẫu {template_name}).",
                unit.full_name(),
                period
            );
            sections
        }
    };
    let dated = match &a.date {
        None => chrono::Local::now().date_naive(),
        Some(d) => danvan_core::period::parse_date(d)
            .or_else(|| chrono::NaiveDate::parse_from_str(d.trim(), "%d/%m/%Y").ok())
            .ok_or_else(|| {
                DomainError::new(
                    "report.date",
                    format!("ngày văn bản «{d}» không hợp lệ (viết dd/mm/yyyy, ví dụ 15/06/2020)"),
                )
            })?,
    };
    let req = Request {
        custom_template,
        ..Request::new(&unit, period)
            .template(if a.template.is_some() && !is_file(&a.template) {
                a.template.as_deref()
            } else {
                None
            })
            .sections(sections)
            .compare(a.compare)
            .issuer(a.issuer.as_deref())
            .number(&a.number)
            .cites(a.cites.as_deref())
    };
    let report = danvan_report::build(store, &Catalogue::builtin(), req).await?;
    match a.format {
        Format::Txt => {
            let text = report.to_txt();
            match a.out {
                Some(p) => std::fs::write(&p, text)
                    .with_context(|| format!("không ghi được {}", p.display()))?,
                None => print_out(&text)?,
            }
        }
        Format::Docx => {
            let out = a.out.ok_or_else(|| {
                DomainError::new("report.out", "định dạng docx cần --out TỆP.docx")
            })?;
            let bytes = report.to_docx(store, &unit, dated).await?;
            std::fs::write(&out, bytes)
                .with_context(|| format!("không ghi được {}", out.display()))?;
            println!("Đã ghi {}", out.display());
        }
        Format::Pdf => {
            let out = a
                .out
                .ok_or_else(|| DomainError::new("report.out", "định dạng pdf cần --out TỆP.pdf"))?;
            let bytes = report.to_pdf(store, &unit, dated).await?;
            std::fs::write(&out, bytes)
                .with_context(|| format!("không ghi được {}", out.display()))?;
            println!("Đã ghi {}", out.display());
        }
        Format::Xlsx => {
            let out = a.out.ok_or_else(|| {
                DomainError::new("report.out", "định dạng xlsx cần --out TỆP.xlsx")
            })?;
            let catalogue = danvan_report::custom::load(store).await?.catalogue;
            let bytes = report.to_xlsx(store, &catalogue, &unit).await?;
            std::fs::write(&out, bytes)
                .with_context(|| format!("không ghi được {}", out.display()))?;
            println!("Đã ghi {}", out.display());
        }
        // Written above, without building the report.
        Format::Bieu | Format::Json => {}
    }
    Ok(())
}

/// `--format json`: the figures alone, as `/api/figures` answers (the
/// catalogue in force), without building the report.
async fn figures(
    store: &Store,
    unit: &units::Unit,
    period: &Period,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let custom = danvan_report::custom::load(store).await?;
    let f = danvan_report::Figures::compute(store, &custom.catalogue, unit, period, false).await?;
    let json = serde_json::json!({ "unit": unit, "period": period.range(), "figures": f });
    let text = serde_json::to_string_pretty(&json)?;
    match out {
        Some(p) => {
            std::fs::write(&p, text).with_context(|| format!("không ghi được {}", p.display()))?
        }
        None => println!("{text}"),
    }
    Ok(())
}

/// `--format bieu`: the inspection sector's forms as a workbook, and the
/// relations between their columns that do not hold.
async fn forms(
    store: &Store,
    unit: &units::Unit,
    period: &Period,
    choice: &str,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    use danvan_report::inspection_forms as f;
    let out =
        out.ok_or_else(|| DomainError::new("report.out", "định dạng bieu cần --out TỆP.xlsx"))?;
    let chosen = f::pick(f::shipped(), choice)?;
    let filled = f::fill(store, unit, period, &chosen).await?;
    let bytes = f::workbook(&filled)?;
    std::fs::write(&out, bytes).with_context(|| format!("không ghi được {}", out.display()))?;
    println!("Đã ghi {}", out.display());
    let violations = filled.violations();
    if violations.is_empty() {
        println!("Các quan hệ giữa các cột của biểu đều đúng.");
    }
    for v in violations {
        eprintln!("Cảnh báo: {}", v.message());
    }
    Ok(())
}

fn is_file(t: &Option<String>) -> bool {
    t.as_deref()
        .is_some_and(|t| std::path::Path::new(t).is_file())
}

/// Print to standard output; a reader that stops early (`| head`) is not
/// an error, and must not end in a panic as `println!` would.
fn print_out(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// The qualitative sections of a TOML file: `uu_diem = """…"""`.
fn toml_sections(src: &str) -> anyhow::Result<BTreeMap<String, String>> {
    toml::from_str(src).map_err(|e| {
        DomainError::new(
            "sections.syntax",
            format!("tệp các phần do đơn vị viết không hợp lệ (mỗi phần dạng ten_phan = \"nội dung\"): {e}"),
        )
        .into()
    })
}
