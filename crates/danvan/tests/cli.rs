//! The command line as a user meets it: the unit tree of the fixture, bad
//! unit files that write nothing, the demo's figures.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::{danvan_on as danvan, text};

fn temp_db(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("danvan-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("test.db")
}

fn fixture() -> String {
    format!("{}/../../fixtures/units.csv", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn kon_tum_tree_has_10_districts_and_102_communes() {
    let db = temp_db("tree");
    let o = danvan(&db, &["units", "import", &fixture()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = danvan(&db, &["units", "tree", "--unit", "tỉnh Kon Tum"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.starts_with("tỉnh Kon Tum [62]"), "{out}");
    assert!(
        out.contains("Cấp 1: 10 đơn vị (9 huyện, 1 thành phố)"),
        "{out}"
    );
    assert!(out.contains("Cấp 2: 102 đơn vị"), "{out}");
    let communes = out
        .lines()
        .filter(|l| l.starts_with("    ") && !l.starts_with("      "))
        .count();
    assert_eq!(communes, 102);
    // As it stood in 2016: 10 phường, 6 thị trấn, 86 xã.
    let o = danvan(
        &db,
        &[
            "units",
            "tree",
            "--unit",
            "tỉnh Kon Tum",
            "--at",
            "2016-06-30",
        ],
    );
    let out = text(&o.stdout);
    assert!(
        out.contains("Cấp 2: 102 đơn vị (10 phường, 6 thị trấn, 86 xã)"),
        "{out}"
    );
    // The new two-level tree of 2026.
    let o = danvan(
        &db,
        &[
            "units",
            "tree",
            "--unit",
            "quang ngai",
            "--at",
            "2026-01-01",
        ],
    );
    let out = text(&o.stdout);
    assert!(out.starts_with("tỉnh Quảng Ngãi [51-2025]"), "{out}");
    assert!(!out.contains("huyện"), "{out}");
}

#[test]
fn bad_unit_file_is_refused_with_line_numbers_and_writes_nothing() {
    let db = temp_db("bad");
    let csv = db.with_file_name("bad.csv");
    std::fs::write(
        &csv,
        "code,name,kind,parent_code,valid_from,valid_to,successor_code\n\
         T1,Tỉnh Một,tỉnh,,,,\n\
         H1,Huyện Một,huyện,T9,,,\n\
         T1,Tỉnh Hai,tỉnh,,,,\n\
         A,Huyện A,huyện,B,,,\n\
         B,Huyện B,huyện,A,,,\n\
         X,Xã X,xã,T1,2020-05-01,2020-01-01,\n",
    )
    .unwrap();
    let o = danvan(&db, &["units", "import", csv.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = text(&o.stderr);
    for want in [
        "Dòng 3, cột «parent_code»: không tìm thấy đơn vị cấp trên «T9»",
        "Dòng 4, cột «code»: mã đơn vị «T1» trùng với dòng 2",
        "Dòng 5, cột «parent_code»: vòng lặp đơn vị cấp trên: A → B → A",
        "Dòng 7, cột «valid_to»: ngày hết hiệu lực 01/01/2020 trước ngày có hiệu lực 01/05/2020",
        "không ghi dữ liệu nào",
    ] {
        assert!(err.contains(want), "missing «{want}» in:\n{err}");
    }
    let o = danvan(&db, &["units", "tree"]);
    assert!(o.status.success());
    assert_eq!(text(&o.stdout), "", "nothing may be written");
}

#[test]
fn demo_loads_the_seed_figures() {
    let db = temp_db("demo");
    let o = danvan(&db, &["demo", "--no-serve"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("huyện Đam Rông 6 tháng đầu năm 2020: tiếp 70 lượt"),
        "{out}"
    );
    assert!(
        out.contains("tỉnh Kon Tum năm 2016: tiếp 289 lượt/307 người"),
        "{out}"
    );
    assert!(
        out.contains("tỉnh Kon Tum năm 2015: tiếp 541 lượt"),
        "{out}"
    );
    // A second run keeps the data as it is.
    let o = danvan(&db, &["demo", "--no-serve"]);
    assert!(
        text(&o.stdout).contains("không nạp lại"),
        "{}",
        text(&o.stdout)
    );
    assert!(text(&o.stdout).contains("tiếp 70 lượt"));
}

#[test]
fn unknown_and_ambiguous_names_are_explained() {
    let db = temp_db("names");
    danvan(&db, &["units", "import", &fixture()]);
    let o = danvan(&db, &["units", "tree", "--unit", "Hà Nội"]);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("không tìm thấy đơn vị «Hà Nội»"),
        "{}",
        text(&o.stderr)
    );
    let o = danvan(&db, &["units", "tree", "--unit", "dam rong"]);
    assert!(
        text(&o.stdout).contains("xã Đạ Tông"),
        "{}",
        text(&o.stdout)
    );
    // Kon Tum is a province, a city and (since 2025) a ward: none is picked.
    let o = danvan(&db, &["units", "tree", "--unit", "kon tum"]);
    assert!(!o.status.success());
    let e = text(&o.stderr);
    assert!(e.contains("«kon tum» ứng với 3 đơn vị"), "{e}");
    assert!(
        e.contains("thành phố Kon Tum, thuộc tỉnh Kon Tum (mã 608"),
        "{e}"
    );
    assert!(text(&o.stdout).is_empty(), "{}", text(&o.stdout));
}

/// Issue 13: `report --unit "Quảng Ngãi" --period 2021..2023` names both
/// the province and the city and stops; a code or "name, parent" chooses.
#[test]
fn an_ambiguous_report_unit_lists_the_candidates_and_stops() {
    let db = temp_db("ambiguous-report");
    assert!(danvan(&db, &["demo", "--no-serve"]).status.success());
    let args = |unit: &'static str| {
        [
            "report",
            "--unit",
            unit,
            "--period",
            "2021..2023",
            "--format",
            "txt",
        ]
    };
    let o = danvan(&db, &args("Quảng Ngãi"));
    assert!(!o.status.success());
    assert!(text(&o.stdout).is_empty(), "{}", text(&o.stdout));
    let e = text(&o.stderr);
    assert!(e.contains("tỉnh Quảng Ngãi (mã 51"), "{e}");
    assert!(
        e.contains("thành phố Quảng Ngãi, thuộc tỉnh Quảng Ngãi (mã 522"),
        "{e}"
    );
    for exact in ["522", "Quảng Ngãi, tỉnh Quảng Ngãi", "TP Quảng Ngãi"] {
        let o = danvan(&db, &args(exact));
        assert!(o.status.success(), "{exact}: {}", text(&o.stderr));
        assert!(text(&o.stdout).contains("37 kỳ/127 lượt người"), "{exact}");
    }
}

/// `danvan report` for `unit` and `period`, with `more` arguments.
fn report_with(db: &std::path::Path, unit: &str, period: &str, more: &[&str]) -> Output {
    let mut args = vec!["report", "--unit", unit, "--period", period];
    args.extend_from_slice(more);
    danvan(db, &args)
}

fn report(db: &std::path::Path, unit: &str, period: &str) -> String {
    let o = report_with(db, unit, period, &["--format", "txt"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    text(&o.stdout)
}

#[test]
fn reports_reproduce_the_seed_reception_sentences() {
    let db = temp_db("report");
    assert!(danvan(&db, &["demo", "--no-serve"]).status.success());
    let t = report(&db, "Đam Rông", "2020-H1");
    assert!(
        t.contains("đã tiếp 70 lượt (UBND huyện tiếp 32 lượt/48 người; tiếp công dân định kỳ 13 lượt/29 người, tiếp dân thường xuyên 19 lượt/19 người)"),
        "{t}"
    );
    assert!(t.contains("Ủy ban nhân dân các xã tiếp 38 lượt"), "{t}");
    assert!(t.contains("mọi quy tắc kiểm tra đều đạt"), "{t}");
    // The cut-off half year (15/12/2019–14/06/2020) holds the same records.
    let o = danvan(
        &db,
        &["report", "--unit", "674", "--period", "2020-H1", "--cutoff"],
    );
    assert!(
        text(&o.stdout).contains("đã tiếp 70 lượt"),
        "{}",
        text(&o.stdout)
    );
    let t = report(&db, "thành phố Quảng Ngãi", "2021..2023");
    assert!(t.contains("tiếp định kỳ tổng cộng 37 kỳ/127 lượt người và 01 kỳ tiếp đột xuất gồm 01 đoàn đông người (khoảng 29 người)"), "{t}");
    assert!(
        t.contains("23 đơn vị hành chính trực thuộc (14 xã, 09 phường)"),
        "{t}"
    );
    let t = report(&db, "tỉnh Kon Tum", "2016");
    assert!(t.contains("đã tiếp 289 lượt/307 người"), "{t}");
    assert!(
        t.contains("giảm 252 lượt so với cùng kỳ năm 2015 (289/541 lượt)"),
        "{t}"
    );
    assert!(
        t.contains("hướng dẫn cho 139 lượt") && t.contains("giải thích cho 150 lượt"),
        "{t}"
    );
    assert!(
        t.contains("102 đơn vị hành chính cấp xã (86 xã, 10 phường, 06 thị trấn)"),
        "{t}"
    );
    // --compare adds the same period of the previous year where a template offers it.
    let o = report_with(
        &db,
        "tỉnh Kon Tum",
        "2016",
        &["--template", "bao-cao-6-thang", "--compare"],
    );
    assert!(
        text(&o.stdout).contains("đã tiếp 289 lượt")
            && text(&o.stdout).contains("giảm 252 lượt so với cùng kỳ năm 2015"),
        "{}",
        text(&o.stdout)
    );
    let o = report_with(
        &db,
        "tỉnh Kon Tum",
        "2016",
        &["--template", "bao-cao-6-thang"],
    );
    assert!(!text(&o.stdout).contains("so với cùng kỳ"));
    // A period with no records drops the sentence instead of printing zeros.
    let t = report(&db, "tỉnh Kon Tum", "2010");
    assert!(!t.contains("đã tiếp 0 lượt"), "{t}");
}

#[test]
fn check_flags_the_seed_errors_with_exit_codes() {
    let seeds = format!("{}/../check/tests/data", env!("CARGO_MANIFEST_DIR"));
    let run = |f: &str| {
        Command::new(env!("CARGO_BIN_EXE_danvan"))
            .args(["check", &format!("{seeds}/{f}")])
            .output()
            .expect("run danvan check")
    };
    let o = run("000_1e2e80a9346d3496.txt");
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("82,53"));
    let o = run("002_cfdc3990f1f05e7b.txt");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).contains("83,5"));
    let o = run("004_6e5eec984f2933f1.txt");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).contains("7.554"));
}

/// The phrases of ../shared/acceptance/seed-reports.sh, checked here too.
#[test]
fn reports_reproduce_every_seed_figure() {
    let db = temp_db("seeds");
    assert!(danvan(&db, &["demo", "--no-serve"]).status.success());
    let need = |t: &str, phrases: &[&str]| {
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        for p in phrases {
            assert!(t.contains(p), "missing «{p}» in:\n{t}");
        }
    };
    let t = report(&db, "Đam Rông", "2020-H1");
    need(
        &t,
        &[
            "giải quyết đúng hạn 787 hồ sơ (đạt tỷ lệ 98,1%)",
            "1.022 hồ sơ",
            "802 hồ sơ",
            "quá hạn 15 hồ sơ (đạt tỷ lệ 1,9%)",
            "08 xã tiếp nhận 5.085 hồ sơ",
            "4.667 hồ sơ đúng hạn (đạt tỷ lệ 98,6%)",
            "quá hạn 64 hồ sơ (đạt tỷ lệ 1,4%)",
            "hòa giải thành công 45/53 vụ việc (đạt tỷ lệ 84,9%)",
            "tiếp nhận 75 đơn, trong đó tiếp nhận mới 54 đơn, kỳ trước chuyển sang 21 đơn",
            "59 đơn thuộc thẩm quyền giải quyết, đã giải quyết dứt điểm 31 đơn, còn 28 đơn",
            "(đạt tỷ lệ 52,54%)",
            "tiếp nhận 63 đơn thư, đã giải quyết dứt điểm 52 đơn, còn 11 đơn",
            "(đạt tỷ lệ 82,54%)",
            "10 đợt tiếp xúc cử tri",
            "450 cử tri tham dự với 33 lượt ý kiến",
            "2.037 cử tri tham gia với 256 lượt ý kiến",
        ],
    );
    assert!(!t.contains("82,53%"));
    let t = report(&db, "thành phố Quảng Ngãi", "2021..2023");
    need(
        &t,
        &[
            "nhận 3.848 đơn",
            "2.932 đơn đủ điều kiện xử lý (chiếm 76,2% tổng đơn)",
            "chuyển đến cơ quan có thẩm quyền 1.270 đơn",
            "đôn đốc cấp dưới giải quyết 66 đơn",
            "đối với 179 đơn",
            "thụ lý 1.417 đơn thuộc thẩm quyền",
            "còn 916 đơn không đủ điều kiện",
            "162/163 đơn khiếu nại (đạt tỷ lệ 99,4%)",
            "70/70 đơn tố cáo (đạt tỷ lệ 100%)",
            "đã giải quyết được 04/07 vụ việc, đạt tỷ lệ 57,1%",
            "Đã tiếp nhận 755 vụ, hòa giải thành công 630 vụ, đạt 83,4%",
            "là: 47 mô hình",
            "Mô hình đăng ký mới: 18 mô hình (Kinh tế: 01 mô hình; VH-XH: 11 mô hình; QP-AN: 04 mô hình; Xây dựng hệ thống chính trị: 02 mô hình)",
            "Mô hình nhân rộng: 13 mô hình (VH-XH: 05 mô hình; QP-AN: 06 mô hình; Xây dựng hệ thống chính trị: 02 mô hình)",
            "Mô hình duy trì: 16 mô hình (Kinh tế: 02 mô hình; VH-XH: 07 mô hình; QP-AN: 05 mô hình; Xây dựng hệ thống chính trị: 02 mô hình)",
        ],
    );
    let t = report(&db, "tỉnh Kon Tum", "2016");
    need(
        &t,
        &[
            "53 cuộc thanh tra, kiểm tra, phát hiện sai phạm 7.553 triệu đồng",
            "thu hồi nộp NSNN 3.565 triệu đồng, thu hồi về cho đơn vị 419 triệu đồng, xử lý khác 3.569 triệu đồng",
            "1.016 mô hình",
            "630 mô hình",
            "172 mô hình",
            "214 mô hình",
            "cấp tỉnh xây dựng được 32 mô hình, cấp huyện 110 mô hình, cấp cơ sở 874 mô hình",
        ],
    );
    // The DOCX and XLSX of the same report.
    let docx = db.with_file_name("kon-tum.docx");
    let o = report_with(
        &db,
        "tỉnh Kon Tum",
        "2016",
        &["--format", "docx", "--out", docx.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));
    let xlsx = db.with_file_name("dam-rong.xlsx");
    let o = report_with(
        &db,
        "674",
        "2020-H1",
        &["--format", "xlsx", "--out", xlsx.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
}

#[test]
fn mediation_file_imports_all_or_nothing_and_feeds_the_report() {
    let db = temp_db("mediation");
    assert!(
        danvan(&db, &["units", "import", &fixture()])
            .status
            .success()
    );
    let bad = db.with_file_name("bad.csv");
    std::fs::write(
        &bad,
        "unit,received_on,team,field,result,summary\n\
         24853,2020-03-02,Tổ hòa giải thôn 1,đất đai,thành,\n\
         khong-co,2020-03-03,Tổ 2,đất đai,thành,\n\
         24856,2020-02-30,Tổ 3,đất đai,không thành,\n",
    )
    .unwrap();
    let o = danvan(&db, &["import", "mediation", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = text(&o.stderr);
    assert!(err.contains("Dòng 3") && err.contains("Dòng 4"), "{err}");
    let good = db.with_file_name("good.csv");
    std::fs::write(
        &good,
        "Đơn vị,Ngày tiếp nhận,Tổ hòa giải,Lĩnh vực,Kết quả,Nội dung\n\
         24853,02/03/2020,Tổ hòa giải thôn 1,đất đai,thành,\n\
         24856,03/03/2020,Tổ hòa giải thôn 2,dân sự,không thành,\n",
    )
    .unwrap();
    let o = danvan(&db, &["import", "mediation", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let t = report(&db, "Đam Rông", "2020-H1");
    assert!(
        t.contains("hòa giải thành công 1/2 vụ việc (đạt tỷ lệ 50,0%)"),
        "{t}"
    );
}

#[test]
fn whole_country_report_adds_up_the_provinces() {
    let db = temp_db("country");
    assert!(danvan(&db, &["demo", "--no-serve"]).status.success());
    let country = report(&db, "cả nước", "2020-H1");
    assert!(
        country.contains("các địa phương, cơ quan, đơn vị trong cả nước đã tiếp 70 lượt"),
        "{country}"
    );
    // Each level by itself: the provinces' own bodies received nobody,
    // the district 32 turns, the communes 38.
    assert!(
        !country.contains("Ủy ban nhân dân các tỉnh tiếp"),
        "{country}"
    );
    assert!(
        // The demo holds the whole country's tree: every kind of district.
        country
            .contains("Ủy ban nhân dân các huyện, thành phố, thị xã, quận tiếp 32 lượt/48 người"),
        "{country}"
    );
    assert!(
        country.contains("Ủy ban nhân dân các xã, phường, thị trấn tiếp 38 lượt/54 người"),
        "{country}"
    );
    // Lâm Đồng is the only demo province with records in 2020-H1; the
    // demo holds its whole tree, so its levels are named by their kinds.
    let province = report(&db, "Lâm Đồng", "2020-H1");
    assert!(province.contains("đã tiếp 70 lượt/102 người"), "{province}");
    // Issue 13: the province's petitions, dossiers, mediation cases and
    // meetings, and the district's own figures apart from the communes'.
    for want in [
        "Toàn tỉnh: tiếp 70 lượt/102 người; tiếp nhận 138 đơn thư",
        "tiếp nhận 6.107 hồ sơ thủ tục hành chính",
        "hòa giải thành 45/53 vụ việc; tiếp xúc cử tri với 2.487 cử tri.",
        "- Ủy ban nhân dân các huyện, thành phố: tiếp 32 lượt/48 người; tiếp nhận 75 đơn thư",
        "tiếp nhận 1.022 hồ sơ thủ tục hành chính, đã giải quyết 802 hồ sơ, đúng hạn 787 hồ sơ (đạt tỷ lệ 98,1%); tổ chức 10 đợt tiếp xúc cử tri với 450 cử tri.",
        "- Ủy ban nhân dân các xã, phường, thị trấn: tiếp 38 lượt/54 người; tiếp nhận 63 đơn thư",
        "tổ chức 33 điểm tiếp xúc cử tri với 2.037 cử tri.",
    ] {
        assert!(province.contains(want), "missing «{want}» in {province}");
    }
    let o = danvan(
        &db,
        &[
            "report",
            "--unit",
            "Lâm Đồng",
            "--period",
            "2020-H1",
            "--template",
            "bao-cao-6-thang",
        ],
    );
    let forced = text(&o.stdout);
    assert!(
        forced.contains("Ủy ban nhân dân các huyện, thành phố tiếp 32 lượt/48 người")
            && forced.contains("Ủy ban nhân dân các xã, phường, thị trấn tiếp 38 lượt/54 người")
            && forced.contains("các huyện, thành phố tổ chức được 10 đợt tiếp xúc cử tri")
            && forced.contains("các xã, phường, thị trấn tổ chức được 33 điểm tiếp xúc cử tri"),
        "{forced}"
    );
    for wrong in ["tiếp 70 lượt/102 người,", "43 điểm", "43 đợt"] {
        assert!(
            !forced.contains(wrong) && !province.contains(wrong),
            "«{wrong}» in {forced}"
        );
    }
    assert_eq!(report(&db, "toan quoc", "2020-H1"), country);
}

#[test]
fn sections_given_once_are_kept_as_the_reports_draft() {
    let db = temp_db("draft");
    assert!(danvan(&db, &["demo", "--no-serve"]).status.success());
    let file = db.with_file_name("phan-viet.toml");
    std::fs::write(
        &file,
        "uu_diem = \"Cấp ủy, chính quyền quan tâm chỉ đạo sát sao.\"\n\
         nhiem_vu = \"Tiếp tục đẩy mạnh phong trào #DanVanKheo [2020].\"\n",
    )
    .unwrap();
    let with_sections = |file: &PathBuf| {
        report_with(
            &db,
            "Đam Rông",
            "2020-H1",
            &["--sections", file.to_str().unwrap()],
        )
    };
    let o = with_sections(&file);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("Đã lưu"), "{}", text(&o.stderr));
    // Produced again without the file, the report still has the text.
    let again = report(&db, "Đam Rông", "2020-H1");
    assert!(
        again.contains("Cấp ủy, chính quyền quan tâm chỉ đạo sát sao."),
        "{again}"
    );
    assert!(again.contains("#DanVanKheo [2020]."), "{again}");
    // Another period has no draft.
    let other = report(&db, "Đam Rông", "2020-H2");
    assert!(!other.contains("sát sao"), "{other}");
    // A bad section name is refused and the kept draft stays.
    std::fs::write(&file, "\"Ưu điểm\" = \"x\"\n").unwrap();
    let o = with_sections(&file);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("Ưu điểm"), "{}", text(&o.stderr));
    assert!(report(&db, "Đam Rông", "2020-H1").contains("sát sao"));
}

/// pdftotext, or `None` (with a message) where poppler-utils is not
/// installed; under CI or DANVAN_REQUIRE_LIBREOFFICE its absence fails.
fn pdftotext(pdf: &PathBuf) -> Option<String> {
    match Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
    {
        Ok(o) => {
            assert!(o.status.success(), "{}", text(&o.stderr));
            Some(text(&o.stdout))
        }
        Err(e) => {
            let required = std::env::var_os("DANVAN_REQUIRE_LIBREOFFICE").is_some()
                || std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
            assert!(!required, "pdftotext (poppler-utils) is required here: {e}");
            eprintln!("BỎ QUA: chưa cài poppler-utils (pdftotext)");
            None
        }
    }
}

#[test]
fn report_as_pdf_from_the_demo_data() {
    let db = temp_db("pdf");
    assert!(danvan(&db, &["demo", "--no-serve"]).status.success());
    let pdf = db.with_file_name("dam-rong.pdf");
    let args = [
        "report",
        "--unit",
        "Đam Rông",
        "--period",
        "2020-H1",
        "--format",
        "pdf",
    ];
    let o = danvan(&db, &args);
    assert!(!o.status.success(), "a PDF is not printed to the terminal");
    assert!(text(&o.stderr).contains("định dạng pdf cần --out TỆP.pdf"));
    let o = danvan(
        &db,
        &[&args[..], &["--out", pdf.to_str().unwrap()]].concat(),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("Đã ghi"), "{}", text(&o.stdout));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let Some(t) = pdftotext(&pdf) else { return };
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "HUYỆN ĐAM RÔNG",
        "BÁO CÁO",
        "Kết quả thực hiện công tác dân vận chính quyền 6 tháng đầu năm 2020",
        "đã tiếp 70 lượt (UBND huyện tiếp 32 lượt/48 người",
        "giải quyết đúng hạn 787 hồ sơ (đạt tỷ lệ 98,1%)",
        "TM. ỦY BAN NHÂN DÂN",
    ] {
        assert!(t.contains(want), "missing «{want}» in:\n{t}");
    }
    assert!(!t.contains("Kiểm tra số liệu"), "{t}");
}

/// A DOCX whose document part expands past the checker's 64 MB cap: refused
/// with a message and a failing exit code, never "no error found" on the
/// part of the text that was read.
#[test]
fn check_refuses_a_docx_bomb() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("danvan-cli-{}-bomb", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bom.docx");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    z.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    z.write_all(b"<w:document><w:body><w:p><w:r><w:t>").unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..65 {
        z.write_all(&chunk).unwrap();
    }
    z.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .unwrap();
    z.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 1 << 20);
    let o = Command::new(env!("CARGO_BIN_EXE_danvan"))
        .args(["check", path.to_str().unwrap()])
        .output()
        .expect("run danvan check");
    let _ = std::fs::remove_dir_all(&dir);
    assert_ne!(o.status.code(), Some(0), "{}", text(&o.stdout));
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert!(all.contains("quá lớn để kiểm tra"), "{all}");
    assert!(!all.contains("Không phát hiện"), "{all}");
}

/// `danvan user …`: an account deactivated, reactivated, its password
/// reset, an API key made for it, its tokens listed, expired sessions purged — each said in
/// Vietnamese, an unknown account refused.
#[test]
fn user_lifecycle_on_the_command_line() {
    let db = temp_db("user-life");
    let ok = |o: Output| {
        assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
        text(&o.stdout)
    };
    let add = |name: &str| {
        danvan(
            &db,
            &[
                "user",
                "add",
                "--username",
                name,
                "--full-name",
                "Quản trị",
                "--password",
                "mat-khau-du-dai",
            ],
        )
    };
    ok(add("quantri"));
    ok(add("thuky"));
    let out = ok(danvan(&db, &["user", "deactivate", "THUKY"]));
    assert!(out.contains("Đã khoá tài khoản «thuky»"), "{out}");
    let out = ok(danvan(&db, &["user", "list"]));
    assert!(
        out.lines()
            .any(|l| l.starts_with("thuky") && l.contains("đã khoá")),
        "{out}"
    );
    let out = ok(danvan(&db, &["user", "reactivate", "thuky"]));
    assert!(out.contains("Đã mở lại tài khoản «thuky»"), "{out}");
    let out = ok(danvan(
        &db,
        &["user", "password", "thuky", "--password", "mat-khau-moi-1"],
    ));
    assert!(out.contains("Đã đặt lại mật khẩu"), "{out}");
    let o = danvan(&db, &["user", "password", "thuky", "--password", "ngan"]);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("ít nhất 8 ký tự"),
        "{}",
        text(&o.stderr)
    );
    let o = danvan(&db, &["user", "deactivate", "khong-co"]);
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("khong-co"), "{}", text(&o.stderr));
    ok(danvan(&db, &["user", "tokens"]));
    // A new API key is printed alone on its line, once, and listed by name.
    let out = ok(danvan(
        &db,
        &["user", "token", "thuky", "--name", "máy đọc số liệu"],
    ));
    let key = out.trim();
    assert!(
        key.len() >= 32 && !key.contains(char::is_whitespace),
        "{out}"
    );
    let out = ok(danvan(&db, &["user", "tokens", "thuky"]));
    assert!(
        out.lines()
            .any(|l| l.contains("đang dùng") && l.contains("«máy đọc số liệu»")),
        "{out}"
    );
    assert!(!out.contains(key), "the list never shows a key: {out}");
    let o = danvan(&db, &["user", "token", "thuky", "--name", " "]);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("chưa đặt tên cho khoá API"),
        "{}",
        text(&o.stderr)
    );
    let o = danvan(&db, &["user", "revoke-token", "99"]);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("khoá API số 99"),
        "{}",
        text(&o.stderr)
    );
    let out = ok(danvan(&db, &["user", "purge"]));
    assert!(out.contains("phiên đăng nhập hết hạn"), "{out}");
    let _ = std::fs::remove_dir_all(db.parent().unwrap());
}

#[test]
fn case_file_imports_all_or_nothing() {
    let db = temp_db("cases");
    assert!(
        danvan(&db, &["units", "import", &fixture()])
            .status
            .success()
    );
    let bad = db.with_file_name("cases-bad.csv");
    std::fs::write(
        &bad,
        "unit,opened_on,title,complex,crowd,prolonged,resolved_on\n\
         24853,2020-03-02,Khiếu nại bồi thường,có,có,,\n\
         24853,2020-03-03,,,,,\n",
    )
    .unwrap();
    let o = danvan(&db, &["import", "cases", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    let err = text(&o.stderr);
    assert!(err.contains("Dòng 3"), "{err}");
    let good = db.with_file_name("cases-good.csv");
    std::fs::write(
        &good,
        "Đơn vị,Ngày phát sinh,Tên vụ việc,Phức tạp,Đông người,Kéo dài,Ngày giải quyết\n\
         24853,02/03/2020,Khiếu nại bồi thường đường liên xã,có,có,,\n\
         24856,03/03/2020,Tranh chấp đất rừng,,,có,20/05/2020\n",
    )
    .unwrap();
    let o = danvan(&db, &["import", "cases", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains('2'), "{}", text(&o.stdout));
}

#[test]
fn oversight_and_dialogues_imported_into_the_demo_change_its_report() {
    let db = temp_db("oversight-demo");
    assert!(danvan(&db, &["demo", "--no-serve"]).status.success());
    let before = report(&db, "Đam Rông", "2020-H1");
    assert!(!before.contains("xã hội đã thực hiện"), "{before}");
    let mut csv = String::from("unit,organisation,kind,held_on,subject,targets,recommendations\n");
    for i in 0..10 {
        let (org, kind) = if i < 6 {
            ("Mặt trận Tổ quốc", "giám sát")
        } else {
            ("Hội Nông dân", "phản biện xã hội")
        };
        csv.push_str(&format!(
            "24853,{org},{kind},2020-04-{:02},Quy chế dân chủ ở cơ sở,UBND xã,1\n",
            i + 1
        ));
    }
    let file = db.with_file_name("oversight.csv");
    std::fs::write(&file, csv).unwrap();
    let o = danvan(&db, &["import", "oversight", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let after = report(&db, "Đam Rông", "2020-H1");
    assert_ne!(before, after);
    assert!(
        after.contains(
            "đã thực hiện 6 cuộc giám sát và 4 hoạt động phản biện xã hội, qua đó đưa ra 10 kiến nghị \
             (Mặt trận Tổ quốc 6 cuộc; Hội Nông dân 4 cuộc)"
        ),
        "{after}"
    );
    // Two dialogues, one by the district's chairman and one at a commune,
    // change it again: sessions by level, participants and opinions.
    let before_dialogues = report(&db, "Đam Rông", "2020-H1");
    let dialogues = db.with_file_name("dialogues.csv");
    std::fs::write(
        &dialogues,
        "unit,kind,held_on,chair,deputies,participants,subject,so_y_kien_giai_trinh,so_y_kien_tra_loi_van_ban,so_y_kien_chuyen,so_y_kien_dang_cho\n\
         674,đối thoại,2020-03-02,Chủ tịch UBND huyện,,120,Đất đai,20,8,3,2\n\
         24853,đối thoại,2020-05-12,Chủ tịch UBND xã,,45,Giải phóng mặt bằng,6,1,0,0\n",
    )
    .unwrap();
    let o = danvan(&db, &["import", "meetings", dialogues.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let after = report(&db, "Đam Rông", "2020-H1");
    assert_ne!(before_dialogues, after);
    let sessions = |t: &str| {
        t.split("Người đứng đầu chính quyền các cấp tổ chức ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse::<i64>().ok())
            .unwrap_or(0)
    };
    assert_eq!(sessions(&after), sessions(&before_dialogues) + 2, "{after}");
    // The seed's figures are untouched.
    assert!(after.contains("82,54%"), "{after}");
}

/// `danvan catalogue load`: a file of an indicator and a section is in the
/// next report; a file whose section never ends is refused, nothing saved.
#[test]
fn definitions_loaded_from_a_file_reach_the_next_report() {
    let db = temp_db("catalogue-load");
    assert!(danvan(&db, &["demo", "--no-serve"]).status.success());
    let before = report(&db, "Đam Rông", "2020-H1");
    let file = db.with_file_name("dinh-nghia.toml");
    std::fs::write(
        &file,
        r#"[[indicator]]
code = "tiep_dinh_ky_rieng"
label = "Lượt tiếp định kỳ"
value = "reception.turns[kind=periodic]"

[[section]]
code = "tiep_dinh_ky"
title = "Tiếp công dân định kỳ"
template = "Lượt tiếp định kỳ trong kỳ: {{ all.tiep_dinh_ky_rieng | so }} lượt."
"#,
    )
    .unwrap();
    let o = danvan(&db, &["catalogue", "load", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("«tiep_dinh_ky», phiên bản 1"),
        "{}",
        text(&o.stdout)
    );
    let after = report(&db, "Đam Rông", "2020-H1");
    // Seed 000: 13 turns of periodic reception, at the district.
    assert!(
        after.contains("8. Tiếp công dân định kỳ.\nLượt tiếp định kỳ trong kỳ: 13 lượt."),
        "{after}"
    );
    assert!(after.contains("82,54%"), "{after}");

    let bad = db.with_file_name("vong-lap.toml");
    std::fs::write(
        &bad,
        "[[section]]\ncode = \"vong_lap\"\ntitle = \"Vòng lặp\"\ntemplate = \"{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\"\n",
    )
    .unwrap();
    let o = danvan(&db, &["catalogue", "load", bad.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("vượt giới hạn tính toán"),
        "{}",
        text(&o.stderr)
    );
    let listed = danvan(&db, &["catalogue", "list"]);
    assert!(
        !text(&listed.stdout).contains("vong_lap"),
        "{}",
        text(&listed.stdout)
    );
    assert_ne!(before, after);
}
