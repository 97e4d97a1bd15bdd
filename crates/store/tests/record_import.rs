//! CSV import of mediation cases, meetings, "Dân vận khéo" models,
//! aggregate data, oversight activities and directives on both engines: a good file is written whole and its
//! figures read back through facts; a file with bad rows names every bad
//! line and writes nothing.

mod common;

use chrono::NaiveDate;
use danvan_core::period::DateRange;
use danvan_core::records::dataset::{
    Aggregation, DataElement, DataSet, ElementOption, PeriodType, ValueType,
};
use danvan_core::records::{directive, mediation, meeting, model, oversight};
use danvan_store::facts::{self, Detail, FactTable, Scope};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, datasets, record_import};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

async fn setup(store: &Store) -> Unit {
    danvan_testkit::units::load(store).await;
    units::find(store, "674", None).await.unwrap()
}

async fn read(store: &Store, u: &Unit, keys: &[&str]) -> FactTable {
    facts::read(
        store,
        Scope::of(u),
        keys,
        DateRange::new(d(2024, 1, 1), d(2024, 12, 31)),
        Detail::Breakdowns,
    )
    .await
    .unwrap()
}

/// The error message of a failed import, checked to name each of `lines`.
fn assert_lines(msg: &str, n: usize, wanted: &[&str]) {
    assert!(
        msg.starts_with(&format!("Tệp có {n} lỗi, không ghi dữ liệu nào:")),
        "{msg}"
    );
    for w in wanted {
        assert!(msg.contains(w), "missing «{w}» in {msg}");
    }
}

#[test]
fn mediation_import_all_or_nothing() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let huyen = setup(s).await;
            let header = record_import::MEDIATION_COLUMNS.join(",");
            let bad = format!(
                "{header}\n\
                 674,2024-03-02,Tổ hòa giải thôn 1,đất đai,thành,\n\
                 không-có-đơn-vị,2024-03-02,Tổ 2,đất đai,thành,\n\
                 674,31/02/2024,Tổ 3,dân sự,thành,\n\
                 674,2024-03-04,Tổ 4,dân sự,hòa hoãn,\n"
            );
            let e = record_import::import_rows::<danvan_core::records::mediation::MediationCase>(
                s,
                bad.as_bytes(),
                || {},
            )
            .await
            .unwrap_err();
            assert_lines(
                &e.to_string(),
                3,
                &[
                    "Dòng 3, cột «unit»: không tìm thấy đơn vị «không-có-đơn-vị»",
                    "Dòng 4, cột «received_on»: ngày «31/02/2024» không hợp lệ",
                    "Dòng 5, cột «result»",
                ],
            );
            let t = read(s, &huyen, &[mediation::keys::CASES]).await;
            assert_eq!(t.total(mediation::keys::CASES), 0);
            // Vietnamese header names are accepted too.
            let good = "Đơn vị,Ngày tiếp nhận,Tổ hòa giải,Lĩnh vực,Kết quả,Nội dung\n\
                 674,2024-03-02,Tổ hòa giải thôn 1,đất đai,thành,Tranh chấp ranh giới\n\
                 Đạ Tông,02/04/2024,Tổ hòa giải thôn 2,family,không thành,\n\
                 24853,2024-05-06,Tổ hòa giải thôn 2,,đang hòa giải,\n";
            let n = record_import::import_rows::<danvan_core::records::mediation::MediationCase>(
                s,
                good.as_bytes(),
                || {},
            )
            .await
            .unwrap();
            assert_eq!(n, 3);
            let t = read(s, &huyen, &[mediation::keys::CASES]).await;
            assert_eq!(t.total(mediation::keys::CASES), 3);
            let by = t.by(mediation::keys::CASES, "result");
            assert_eq!((by["success"], by["failure"], by["in_progress"]), (1, 1, 1));
            assert_eq!(t.by(mediation::keys::CASES, "field")["other"], 1);
            db.finish().await;
        }
    });
}

/// The same file imported twice (a command killed after its commit and
/// run again, or an upload sent twice) is written once; the second is
/// refused as a whole, with when it was imported. Another file is
/// written in full, its rows counted again if they repeat.
#[test]
fn the_same_file_twice_is_written_once() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let huyen = setup(s).await;
            let kind = danvan_core::records::kind::RecordKind::Mediation;
            let file = "Đơn vị,Ngày tiếp nhận,Tổ hòa giải,Lĩnh vực,Kết quả,Nội dung\n\
                 674,2024-03-02,Tổ hòa giải thôn 1,đất đai,thành,\n\
                 674,2024-05-06,Tổ hòa giải thôn 2,,đang hòa giải,\n";
            let n = record_import::import_kind(s, kind, file.as_bytes(), || {})
                .await
                .unwrap();
            assert_eq!(n, 2);
            let e = record_import::import_kind(s, kind, file.as_bytes(), || {})
                .await
                .unwrap_err();
            match &e {
                danvan_store::StoreError::Invalid(d) => {
                    assert_eq!(d.code, record_import::ALREADY_IMPORTED);
                    assert!(d.message.contains("đã được nhập lúc"), "{e}");
                }
                e => panic!("{e}"),
            }
            let t = read(s, &huyen, &[mediation::keys::CASES]).await;
            assert_eq!(t.total(mediation::keys::CASES), 2);
            let more = format!("{file}674,2024-06-07,Tổ hòa giải thôn 3,,thành,\n");
            let n = record_import::import_kind(s, kind, more.as_bytes(), || {})
                .await
                .unwrap();
            assert_eq!(n, 3);
            let t = read(s, &huyen, &[mediation::keys::CASES]).await;
            assert_eq!(t.total(mediation::keys::CASES), 5);
            db.finish().await;
        }
    });
}

#[test]
fn meetings_import_all_or_nothing() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let huyen = setup(s).await;
            let header = record_import::MEETING_COLUMNS.join(",");
            let keys = [
                meeting::keys::SESSIONS,
                meeting::keys::PARTICIPANTS,
                meeting::keys::OPINIONS,
            ];
            let bad = format!(
                "{header}\n\
                 674,đối thoại,2024-03-02,Chủ tịch UBND huyện,,120,Đất đai,20,8,3,2\n\
                 Hà Nội Xa,đối thoại,2024-03-02,Chủ tịch UBND huyện,,120,,1,0,0,0\n\
                 674,hội thảo,2024-04-31,,,50,,0,0,0,0\n\
                 674,tiếp xúc cử tri,2024-05-02,,Đại biểu HĐND,50,,-1,0,0,0\n\
                 674,tiếp xúc cử tri,2024-05-02,,,50,,1,0,0,0\n"
            );
            let e = record_import::import_meetings(s, bad.as_bytes(), || {})
                .await
                .unwrap_err();
            assert_lines(
                &e.to_string(),
                5,
                &[
                    "Dòng 3, cột «unit»: không tìm thấy đơn vị «Hà Nội Xa»",
                    "Dòng 4, cột «held_on»: ngày «2024-04-31» không hợp lệ",
                    "Dòng 4, cột «kind»",
                    "Dòng 5, cột «so_y_kien_giai_trinh»: «-1» không phải số nguyên không âm",
                    "Dòng 6, cột «deputies»: tiếp xúc cử tri phải ghi đại biểu dự",
                ],
            );
            let t = read(s, &huyen, &keys).await;
            assert_eq!(t.total(meeting::keys::SESSIONS), 0);
            let good = format!(
                "{header}\n\
                 674,đối thoại,2024-03-02,Chủ tịch UBND huyện,,120,Đất đai,20,8,3,2\n\
                 Đạ Tông,voter_contact,15/06/2024,,Đại biểu HĐND huyện,85,,5,0,0,1\n"
            );
            let n = record_import::import_meetings(s, good.as_bytes(), || {})
                .await
                .unwrap();
            assert_eq!(n, 2);
            let t = read(s, &huyen, &keys).await;
            assert_eq!(t.total(meeting::keys::SESSIONS), 2);
            assert_eq!(t.total(meeting::keys::PARTICIPANTS), 205);
            assert_eq!(t.total(meeting::keys::OPINIONS), 39);
            let by = t.by(meeting::keys::OPINIONS, "follow_up");
            assert_eq!(
                (
                    by["answered_at_meeting"],
                    by["answered_in_writing"],
                    by["transferred"],
                    by["pending"]
                ),
                (25, 8, 3, 3)
            );
            assert_eq!(
                t.total_where(meeting::keys::OPINIONS, &[("kind", "dialogue")]),
                33
            );
            db.finish().await;
        }
    });
}

#[test]
fn models_import_all_or_nothing() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let huyen = setup(s).await;
            let header = record_import::MODEL_COLUMNS.join(",");
            let keys = [
                model::keys::ENTRIES,
                model::keys::RECOGNISED,
                model::keys::AWARDED,
            ];
            let bad = format!(
                "{header}\n\
                 674,Dân vận khéo trong xây dựng nông thôn mới,huyện,kinh tế,2024,2024-03-02,đăng ký mới,có,\n\
                 không-có-đơn-vị,Mô hình A,huyện,kinh tế,2024,2024-03-02,đăng ký mới,,\n\
                 674,Mô hình B,huyện,thể thao,2024,2024-13-02,đăng ký mới,,\n\
                 674,Dân vận khéo trong xây dựng nông thôn mới,huyện,kinh tế,2024,2024-09-02,duy trì,,\n\
                 674,Mô hình C,cơ sở,kinh tế,2023,2024-03-02,duy trì,,\n"
            );
            let e = record_import::import_models(s, bad.as_bytes(), || {})
                .await
                .unwrap_err();
            assert_lines(
                &e.to_string(),
                5,
                &[
                    "Dòng 3, cột «unit»: không tìm thấy đơn vị «không-có-đơn-vị»",
                    "Dòng 4, cột «recorded_on»: ngày «2024-13-02» không hợp lệ",
                    "Dòng 4, cột «field»",
                    "Dòng 5, cột «year»: mô hình «Dân vận khéo trong xây dựng nông thôn mới» đã có năm 2024 ở dòng 2",
                    "Dòng 6, cột «recorded_on»: ngày ghi nhận 02/03/2024 không thuộc năm 2023",
                ],
            );
            let t = read(s, &huyen, &keys).await;
            assert_eq!(t.total(model::keys::ENTRIES), 0);
            let good = format!(
                "{header}\n\
                 674,Dân vận khéo trong xây dựng nông thôn mới,huyện,kinh tế,2023,2023-03-02,đăng ký mới,có,\n\
                 674,Dân vận khéo trong xây dựng nông thôn mới,huyện,kinh tế,2024,2024-03-02,duy trì,có,Bằng khen UBND tỉnh\n\
                 Đạ Tông,Tổ tự quản an ninh,cơ sở,quốc phòng – an ninh,,05/04/2024,nhân rộng,,\n\
                 24853,Chi hội phụ nữ giúp nhau,grassroots,culture_society,2024,2024-06-01,new,x,\n"
            );
            let n = record_import::import_models(s, good.as_bytes(), || {})
                .await
                .unwrap();
            assert_eq!(n, 4);
            let t = read(s, &huyen, &keys).await;
            assert_eq!(t.total(model::keys::ENTRIES), 3);
            assert_eq!(t.total(model::keys::RECOGNISED), 2);
            assert_eq!(t.total(model::keys::AWARDED), 1);
            let by = t.by(model::keys::ENTRIES, "status");
            assert_eq!((by["new"], by["replicated"], by["maintained"]), (1, 1, 1));
            db.finish().await;
        }
    });
}

fn element(code: &str, options: &[&str]) -> DataElement {
    DataElement {
        code: code.into(),
        label: format!("Chỉ tiêu {code}"),
        measure: "cuộc".into(),
        value_type: ValueType::Integer,
        scale: 0,
        aggregation: Aggregation::Sum,
        options: options
            .iter()
            .map(|c| ElementOption {
                code: c.to_string(),
                label: c.to_string(),
            })
            .collect(),
    }
}

#[test]
fn data_import_all_or_nothing() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let huyen = setup(s).await;
            let inspections = element("inspections", &[]);
            let recovered = element("recovered", &["state_budget", "unit"]);
            for e in [&inspections, &recovered] {
                datasets::define_element(s, e).await.unwrap();
            }
            datasets::define_set(
                s,
                &DataSet {
                    code: "inspection".into(),
                    name: "Kết quả thanh tra".into(),
                    period_type: PeriodType::Year,
                    elements: vec!["inspections".into(), "recovered".into()],
                },
            )
            .await
            .unwrap();
            let keys = [inspections.key(), recovered.key()];
            let header = record_import::DATA_COLUMNS.join(",");
            let bad = format!(
                "{header}\n\
                 inspection,inspections,674,2024,,53\n\
                 inspection,inspections,không-có-đơn-vị,2024,,1\n\
                 khong_co,inspections,674,2024,,1\n\
                 inspection,recovered,674,2024,other,1\n\
                 inspection,fines,674,2024,,1\n\
                 inspection,inspections,674,2024-Q1,,1\n\
                 inspection,inspections,Đạ Tông,2024,,1,5\n"
            );
            let e = record_import::import_data(s, bad.as_bytes(), || {})
                .await
                .unwrap_err();
            assert_lines(
                &e.to_string(),
                2,
                &[
                    "Dòng 3, cột «unit»: không tìm thấy đơn vị «không-có-đơn-vị»",
                    "Dòng 8: dòng có 7 cột, cần đúng 6 cột",
                ],
            );
            // Rows that parse but do not fit their set.
            let bad = format!(
                "{header}\n\
                 inspection,inspections,674,2024,,53\n\
                 khong_co,inspections,674,2024,,1\n\
                 inspection,recovered,674,2024,other,1\n\
                 inspection,fines,674,2024,,1\n\
                 inspection,inspections,674,2024-Q1,,1\n"
            );
            let e = record_import::import_data(s, bad.as_bytes(), || {})
                .await
                .unwrap_err();
            assert_lines(
                &e.to_string(),
                4,
                &[
                    "Dòng 3, cột «set»: không tìm thấy bộ chỉ tiêu «khong_co»",
                    "Dòng 4, cột «option»",
                    "Dòng 5, cột «element»: chỉ tiêu «fines» không thuộc bộ chỉ tiêu «Kết quả thanh tra»",
                    "Dòng 6, cột «period»",
                ],
            );
            let t = read(s, &huyen, &keys).await;
            assert_eq!(t.total(inspections.key()), 0);
            let good = "Bộ chỉ tiêu,Chỉ tiêu,Đơn vị,Kỳ,Phân tổ,Giá trị\n\
                 inspection,inspections,674,2024,,53\n\
                 inspection,recovered,674,2024,state_budget,3.565\n\
                 inspection,recovered,Đạ Tông,2024,unit,419\n\
                 inspection,inspections,24853,2024,,7\n";
            let n = record_import::import_data(s, good.as_bytes(), || {})
                .await
                .unwrap();
            assert_eq!(n, 4);
            let t = read(s, &huyen, &keys).await;
            assert_eq!(t.total(inspections.key()), 60);
            let by = t.by(recovered.key(), "option");
            assert_eq!((by["state_budget"], by["unit"]), (3565, 419));
            db.finish().await;
        }
    });
}

#[test]
fn oversight_import_all_or_nothing() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let huyen = setup(s).await;
            let header = record_import::OVERSIGHT_COLUMNS.join(",");
            let keys = [
                oversight::keys::ACTIVITIES,
                oversight::keys::RECOMMENDATIONS,
            ];
            let bad = format!(
                "{header}\n\
                 674,Mặt trận Tổ quốc,giám sát,2024-03-02,Thực hiện chính sách đất đai,UBND xã,4\n\
                 không-có-đơn-vị,women,giám sát,2024-03-02,Nội dung,,0\n\
                 674,Hội Người cao tuổi,giám sát,2024-00-10,Nội dung,,0\n\
                 674,farmers,phản biện xã hội,2024-05-02,,,1\n"
            );
            let e = record_import::import_rows::<danvan_core::records::oversight::Oversight>(
                s,
                bad.as_bytes(),
                || {},
            )
            .await
            .unwrap_err();
            assert_lines(
                &e.to_string(),
                4,
                &[
                    "Dòng 3, cột «unit»: không tìm thấy đơn vị «không-có-đơn-vị»",
                    "Dòng 4, cột «held_on»: ngày «2024-00-10» không hợp lệ",
                    "Dòng 4, cột «organisation»",
                    "Dòng 5, cột «subject»: thiếu nội dung giám sát, phản biện",
                ],
            );
            let t = read(s, &huyen, &keys).await;
            assert_eq!(t.total(oversight::keys::ACTIVITIES), 0);
            let good = format!(
                "{header}\n\
                 674,Mặt trận Tổ quốc,giám sát,2024-03-02,Thực hiện chính sách đất đai,UBND xã,4\n\
                 Đạ Tông,women,criticism,02/05/2024,Dự thảo quy hoạch,,3\n\
                 24853,Hội Nông dân,giám sát,2024-06-01,Phân bón,,\n"
            );
            let n = record_import::import_rows::<danvan_core::records::oversight::Oversight>(
                s,
                good.as_bytes(),
                || {},
            )
            .await
            .unwrap();
            assert_eq!(n, 3);
            let t = read(s, &huyen, &keys).await;
            assert_eq!(t.total(oversight::keys::ACTIVITIES), 3);
            assert_eq!(t.total(oversight::keys::RECOMMENDATIONS), 7);
            let by = t.by(oversight::keys::ACTIVITIES, "kind");
            assert_eq!((by["supervision"], by["criticism"]), (2, 1));
            db.finish().await;
        }
    });
}

#[test]
fn directives_import_all_or_nothing() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let huyen = setup(s).await;
            let header = record_import::DIRECTIVE_COLUMNS.join(",");
            let bad = format!(
                "{header}\n\
                 674,57/KH-UBND,2024-03-02,UBND huyện,Kế hoạch dân vận chính quyền\n\
                 không-có-đơn-vị,58/KH-UBND,2024-03-02,UBND huyện,Kế hoạch\n\
                 674,kế hoạch năm,2024-02-30,UBND huyện,Kế hoạch\n"
            );
            let e = record_import::import_rows::<danvan_core::records::directive::Directive>(
                s,
                bad.as_bytes(),
                || {},
            )
            .await
            .unwrap_err();
            assert_lines(
                &e.to_string(),
                3,
                &[
                    "Dòng 3, cột «unit»: không tìm thấy đơn vị «không-có-đơn-vị»",
                    "Dòng 4, cột «issued_on»: ngày «2024-02-30» không hợp lệ",
                    "Dòng 4, cột «number»: số, ký hiệu «kế hoạch năm» không đúng dạng",
                ],
            );
            // The same document twice: the store names the second line.
            let twice = format!(
                "{header}\n\
                 674,57/KH-UBND,2024-03-02,UBND huyện,Kế hoạch dân vận chính quyền\n\
                 674,57/KH-UBND,2024-03-02,UBND huyện,Kế hoạch dân vận chính quyền\n"
            );
            let e = record_import::import_rows::<danvan_core::records::directive::Directive>(
                s,
                twice.as_bytes(),
                || {},
            )
            .await
            .unwrap_err();
            assert!(
                e.to_string().contains(
                    "Dòng 3, cột «number»: văn bản số 57/KH-UBND ngày 02/03/2024 đã có trong sổ"
                ),
                "{e}"
            );
            let t = read(s, &huyen, &[directive::keys::ISSUED]).await;
            assert_eq!(t.total(directive::keys::ISSUED), 0);
            let good = "Đơn vị,Số ký hiệu,Ngày ban hành,Cơ quan ban hành,Trích yếu\n\
                 674,57/KH-UBND,2024-03-02,UBND huyện,Kế hoạch dân vận chính quyền\n\
                 Đạ Tông,Số: 111-BC/ĐU,15/06/2024,Đảng ủy xã,Báo cáo sơ kết\n\
                 674,09/CT-UBND,2024-07-01,UBND huyện,Chỉ thị về tiếp công dân\n";
            let n = record_import::import_rows::<danvan_core::records::directive::Directive>(
                s,
                good.as_bytes(),
                || {},
            )
            .await
            .unwrap();
            assert_eq!(n, 3);
            let t = read(s, &huyen, &[directive::keys::ISSUED]).await;
            assert_eq!(t.total(directive::keys::ISSUED), 3);
            let by = t.by(directive::keys::ISSUED, "kind");
            assert_eq!((by["KH"], by["BC"], by["CT"]), (1, 1, 1));
            db.finish().await;
        }
    });
}

#[test]
fn cases_import_all_or_nothing() {
    use danvan_core::records::kind::RecordKind;
    use danvan_core::records::petition::keys;
    use danvan_store::cases;
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            let huyen = setup(s).await;
            let header = cases::CASE_COLUMNS.join(",");
            let bad = format!(
                "{header}\n\
                 674,2024-03-02,Khiếu nại bồi thường,có,có,,\n\
                 674,2024-03-02,,,,,\n\
                 674,2024-03-05,Tranh chấp đất,hơi,,,\n\
                 674,2024-05-05,Đòi lại đất,,,có,2024-04-01\n"
            );
            let e = record_import::import_kind(s, RecordKind::Case, bad.as_bytes(), || {})
                .await
                .unwrap_err();
            assert_lines(
                &e.to_string(),
                3,
                &[
                    "Dòng 3, cột «title»",
                    "Dòng 4, cột «complex»: «hơi» không hợp lệ",
                    "Dòng 5, cột «resolved_on»: ngày giải quyết vụ việc (01/04/2024) trước ngày phát sinh (05/05/2024)",
                ],
            );
            let t = read(s, &huyen, &[keys::CASE_OPENED]).await;
            assert_eq!(t.total(keys::CASE_OPENED), 0, "nothing written");
            // Vietnamese header names, flags as có/không.
            let good = "Đơn vị,Ngày phát sinh,Tên vụ việc,Phức tạp,Đông người,Kéo dài,Ngày giải quyết\n\
                 674,02/03/2024,Khiếu nại bồi thường đường ĐT 725,có,có,,\n\
                 Đạ Tông,2024-01-15,Tranh chấp đất rừng thôn 3,không,,có,2024-05-20\n";
            let n = record_import::import_kind(s, RecordKind::Case, good.as_bytes(), || {})
                .await
                .unwrap();
            assert_eq!(n, 2);
            let t = read(s, &huyen, &[keys::CASE_OPENED, keys::CASE_RESOLVED]).await;
            assert_eq!(t.total(keys::CASE_OPENED), 2);
            assert_eq!(t.total(keys::CASE_RESOLVED), 1);
            assert_eq!(t.by(keys::CASE_OPENED, "crowd")["yes"], 1);
            assert_eq!(t.by(keys::CASE_OPENED, "prolonged")["yes"], 1);
            let all = cases::all(s).await.unwrap();
            assert_eq!(all.len(), 2);
            assert_eq!(all[1].1.title, "Tranh chấp đất rừng thôn 3");
            db.finish().await;
        }
    });
}

/// Every kind the registry names for import reaches a reader: a file with
/// only a wrong header is refused for its header, never as a kind that
/// cannot be imported.
#[test]
fn every_importable_kind_has_a_reader() {
    use danvan_core::records::kind::RecordKind;
    common::block_on(async {
        let db = common::sqlite().await;
        for kind in RecordKind::importable() {
            if kind == RecordKind::Dossier {
                continue; // streamed by `dossiers::import`, tested there
            }
            let e =
                record_import::import_kind(&db.store, kind, "khong,phai,cot\n".as_bytes(), || {})
                    .await
                    .unwrap_err()
                    .to_string();
            assert!(!e.contains("không nhập theo từng dòng"), "{kind:?}: {e}");
        }
        db.finish().await;
    });
}
