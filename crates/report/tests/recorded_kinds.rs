//! Recorded kinds reach the report. Oversight and social criticism appear,
//! by organisation, in every template's text with the figures the
//! catalogue gives; the directives issued are counted in the text and
//! listed in an annex; petitions filed away are counted by their reason,
//! models by their recognition and awards, dialogues by what became of
//! their opinions, cases by vụ việc, one-stop dossiers by channel;
//! a report without them says nothing of them.

mod common;

use chrono::NaiveDate;
use danvan_core::records::directive::{Directive, DocumentNumber};
use danvan_core::records::mediation::{MediationCase, MediationField, MediationResult};
use danvan_core::records::meeting::{FollowUp, Meeting, MeetingKind, Opinion};
use danvan_core::records::model::{Model, ModelField, ModelLevel, ModelStatus, ModelYear};
use danvan_core::records::oversight::{Organisation, Oversight, OversightKind};
use danvan_core::records::petition::Case;
use danvan_core::records::petition::{
    Eligibility, Handling, IneligibleReason, Petition, PetitionChannel, PetitionField, PetitionType,
};

use danvan_store::units::{self, Unit};
use danvan_store::{
    Store, cases, directives, mediation, meetings, models, oversight, petitions, unit_import,
};

const TREE: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code
P,Thử,tỉnh,,,,
H1,Một,huyện,P,,,
X11,Một Một,xã,H1,,,
X12,Một Hai,xã,H1,,,
";

fn activity(u: &Unit, org: Organisation, kind: OversightKind, recs: i64) -> Oversight {
    Oversight {
        unit_id: u.id,
        organisation: org,
        kind,
        held_on: NaiveDate::from_ymd_opt(2020, 4, 2).unwrap(),
        subject: "thực hiện quy chế dân chủ ở cơ sở".into(),
        targets: "UBND xã".into(),
        recommendations: recs,
    }
}

/// The report's text with its white space folded.
async fn text(store: &Store, unit: &Unit, template: Option<&str>) -> String {
    let t = raw(store, unit, template).await;
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn raw(store: &Store, unit: &Unit, template: Option<&str>) -> String {
    common::report(store, unit, "2020-H1", template)
        .await
        .to_txt()
}

async fn check(store: &Store) {
    unit_import::import_csv(store, TREE.as_bytes())
        .await
        .unwrap();
    let u = |code: &'static str| async move { units::find(store, code, None).await.unwrap() };
    let (h1, x11, x12) = (u("H1").await, u("X11").await, u("X12").await);
    let templates = [None, Some("bao-cao-6-thang"), Some("bao-cao-tinh-uy")];
    let mut before = Vec::new();
    for t in templates {
        let r = text(store, &h1, t).await;
        assert!(!r.contains("xã hội đã thực hiện"), "{t:?}: {r}");
        before.push(r);
    }
    // Ten activities: seven supervisions and three criticisms, by three
    // organisations, at the district and its communes.
    use {Organisation as O, OversightKind as K};
    let mut items = vec![activity(&h1, O::Front, K::Supervision, 3); 4];
    items.push(activity(&x11, O::Front, K::Criticism, 2));
    items.extend(vec![activity(&x11, O::Women, K::Supervision, 1); 3]);
    items.extend(vec![activity(&x12, O::Farmers, K::Criticism, 0); 2]);
    oversight::insert_many(store, &items).await.unwrap();
    let want = "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội đã thực hiện 7 cuộc giám sát \
                và 3 hoạt động phản biện xã hội, qua đó đưa ra 17 kiến nghị (Mặt trận Tổ quốc \
                5 cuộc; Hội Liên hiệp Phụ nữ 3 cuộc; Hội Nông dân 2 cuộc).";
    for (t, old) in templates.into_iter().zip(before) {
        let r = text(store, &h1, t).await;
        assert_ne!(r, old, "{t:?}: the report did not change");
        assert!(r.contains(want), "{t:?}: {r}");
    }
    // A commune's report counts only its own.
    let r = text(store, &x12, None).await;
    assert!(
        r.contains("đã thực hiện 2 hoạt động phản biện xã hội (Hội Nông dân 2 cuộc)."),
        "{r}"
    );
}

/// Directives: counted, listed oldest first in the annex, one line each
/// (a line break typed into a title does not make a heading).
async fn check_directives(store: &Store) {
    let u = |code: &'static str| async move { units::find(store, code, None).await.unwrap() };
    let (h1, x11) = (u("H1").await, u("X11").await);
    let doc = |unit: &Unit, number: &str, day: u32, title: &str| Directive {
        unit_id: unit.id,
        number: DocumentNumber::parse(number).unwrap(),
        issued_on: NaiveDate::from_ymd_opt(2020, 3, day).unwrap(),
        issuer: "UBND".into(),
        title: title.into(),
    };
    directives::insert_many(
        store,
        &[
            doc(
                &h1,
                "57/KH-UBND",
                9,
                "Kế hoạch thực hiện công tác dân vận chính quyền",
            ),
            doc(
                &x11,
                "12/KH-UBND",
                2,
                "Kế hoạch dân vận khéo\nII. KẾT QUẢ GIẢ",
            ),
        ],
    )
    .await
    .unwrap();
    for t in [None, Some("bao-cao-6-thang"), Some("bao-cao-tinh-uy")] {
        let r = text(store, &h1, t).await;
        assert!(
            r.contains("đã ban hành 2 văn bản chỉ đạo, hướng dẫn thực hiện công tác dân vận (danh mục tại phụ lục)."),
            "{t:?}: {r}"
        );
        assert!(
            r.contains(
                "PHỤ LỤC: DANH MỤC VĂN BẢN CHỈ ĐẠO ĐÃ BAN HÀNH 1. Văn bản số 12/KH-UBND ngày 02/03/2020 \
                 của UBND: Kế hoạch dân vận khéo II. KẾT QUẢ GIẢ. 2. Văn bản số 57/KH-UBND"
            ),
            "{t:?}: {r}"
        );
        let lines = raw(store, &h1, t).await;
        assert!(
            !lines.lines().any(|l| l.starts_with("II. KẾT QUẢ GIẢ")),
            "{lines}"
        );
    }
}

/// Petitions filed away (lưu đơn): counted by their reason.
async fn check_filed_away(store: &Store) {
    let h1 = units::find(store, "H1", None).await.unwrap();
    let before = text(store, &h1, None).await;
    assert!(!before.contains("đã lưu đơn"), "{before}");
    let day = NaiveDate::from_ymd_opt(2020, 5, 4).unwrap();
    let filed = |reason| Petition {
        classified_on: Some(day),
        eligibility: Some(Eligibility::Ineligible(reason)),
        handled_on: Some(day),
        handling: Some(Handling::Archived),
        ..Petition::received(
            h1.id,
            day,
            PetitionChannel::Post,
            PetitionType::Recommendation,
            PetitionField::Land,
        )
    };
    use IneligibleReason as R;
    let all = [R::Anonymous, R::Anonymous, R::Duplicate, R::NoAddress].map(filed);
    petitions::insert_many(store, &all).await.unwrap();
    for t in [None, Some("bao-cao-6-thang"), Some("bao-cao-tinh-uy")] {
        let r = text(store, &h1, t).await;
        assert!(
            r.contains(
                "Có 4 đơn không đủ điều kiện xử lý, đã lưu đơn (trùng lặp 1 đơn; \
                 không rõ địa chỉ 1 đơn; nặc danh 2 đơn)."
            ),
            "{t:?}: {r}"
        );
    }
}

/// Models recognised and awarded: counted beside the models.
async fn check_awards(store: &Store) {
    let x11 = units::find(store, "X11", None).await.unwrap();
    let model = |n: u32, recognised: bool, award: &str| {
        (
            Model {
                unit_id: x11.id,
                name: format!("Mô hình {n}"),
                level: ModelLevel::Grassroots,
                field: ModelField::Economy,
            },
            vec![ModelYear {
                year: 2020,
                recorded_on: NaiveDate::from_ymd_opt(2020, 2, n).unwrap(),
                status: ModelStatus::New,
                recognised,
                award: award.into(),
            }],
        )
    };
    let h1 = units::find(store, "H1", None).await.unwrap();
    let before = text(store, &h1, None).await;
    assert!(!before.contains("được khen thưởng"), "{before}");
    let all = [
        model(1, true, "Giấy khen của Chủ tịch UBND huyện"),
        model(2, true, ""),
        model(3, false, ""),
    ];
    models::insert_many(store, &all).await.unwrap();
    for t in [None, Some("bao-cao-6-thang"), Some("bao-cao-tinh-uy")] {
        let r = text(store, &h1, t).await;
        assert!(
            r.contains("Trong số đó, 2 mô hình được công nhận, 1 mô hình được khen thưởng."),
            "{t:?}: {r}"
        );
    }
}

/// Dialogues with what became of their opinions, and cases counted by vụ
/// việc beside the petitions.
async fn check_dialogues_and_cases(store: &Store) {
    let (h1, x12) = (
        units::find(store, "H1", None).await.unwrap(),
        units::find(store, "X12", None).await.unwrap(),
    );
    let before = text(store, &h1, Some("bao-cao-6-thang")).await;
    assert!(!before.contains("Tại các cuộc đối thoại"), "{before}");
    let opinion = |follow_up| Opinion {
        content: "Giá đền bù đất".into(),
        follow_up,
    };
    let dialogue = |unit: &Unit, participants, opinions: Vec<Opinion>| Meeting {
        unit_id: unit.id,
        kind: MeetingKind::Dialogue,
        held_on: NaiveDate::from_ymd_opt(2020, 4, 20).unwrap(),
        chair: "Chủ tịch UBND".into(),
        deputies: String::new(),
        participants,
        subject: "Giải phóng mặt bằng".into(),
        opinions,
    };
    use FollowUp as F;
    meetings::insert_many(
        store,
        &[
            dialogue(
                &h1,
                40,
                vec![
                    opinion(F::AnsweredAtMeeting),
                    opinion(F::AnsweredAtMeeting),
                    opinion(F::Transferred),
                ],
            ),
            dialogue(&x12, 25, vec![opinion(F::AnsweredInWriting)]),
        ],
    )
    .await
    .unwrap();
    let case = |resolved_on| Case {
        unit_id: x12.id,
        opened_on: NaiveDate::from_ymd_opt(2020, 3, 1).unwrap(),
        title: "Khiếu kiện đông người về đền bù".into(),
        complex: true,
        crowd: true,
        prolonged: false,
        resolved_on,
    };
    cases::insert_many(
        store,
        &[case(None), case(NaiveDate::from_ymd_opt(2020, 5, 1))],
    )
    .await
    .unwrap();
    for t in [None, Some("bao-cao-6-thang"), Some("bao-cao-tinh-uy")] {
        let r = text(store, &h1, t).await;
        assert!(
            r.contains(
                "Tại các cuộc đối thoại có 65 người tham dự, nêu 4 ý kiến (giải trình tại hội \
                 nghị 2 ý kiến; trả lời bằng văn bản sau 1 ý kiến; chuyển 1 ý kiến)."
            ),
            "{t:?}: {r}"
        );
        assert!(
            r.contains(
                "Có 2 vụ việc khiếu kiện đông người, phức tạp, kéo dài, đã giải quyết 1/2 vụ việc \
                 (đạt tỷ lệ 50,0%)."
            ),
            "{t:?}: {r}"
        );
    }
}

/// Mediation at two levels: the total, then each level by itself; at
/// one level, the total alone.
async fn check_mediation_levels(store: &Store) {
    let (h1, x11) = (
        units::find(store, "H1", None).await.unwrap(),
        units::find(store, "X11", None).await.unwrap(),
    );
    let case = |u: &Unit, result| MediationCase {
        unit_id: u.id,
        received_on: NaiveDate::from_ymd_opt(2020, 4, 3).unwrap(),
        team: "Tổ hòa giải".into(),
        field: MediationField::Land,
        result,
        summary: String::new(),
    };
    use MediationResult as M;
    mediation::insert_many(store, &[case(&x11, M::Success), case(&x11, M::Failure)])
        .await
        .unwrap();
    let t = Some("bao-cao-6-thang");
    let r = text(store, &h1, t).await;
    assert!(
        r.contains("hòa giải thành công 1/2 vụ việc (đạt tỷ lệ 50,0%)."),
        "{r}"
    );
    assert!(!r.contains("Tại các xã"), "one level: no detail: {r}");
    mediation::insert_many(store, &[case(&h1, M::Success)])
        .await
        .unwrap();
    let r = text(store, &h1, t).await;
    assert!(
        r.contains(
            "hòa giải thành công 2/3 vụ việc (đạt tỷ lệ 66,7%). Tại cấp huyện: hòa giải thành \
             công 1/1 vụ việc. Tại các xã: hòa giải thành công 1/2 vụ việc."
        ),
        "{r}"
    );
}

/// One-stop dossiers by channel and route: online (with its share), by
/// post, inter-agency.
async fn check_dossier_channels(store: &Store) {
    use danvan_store::dossiers::import::{ImportOptions, import_csv};
    let h1 = units::find(store, "H1", None).await.unwrap();
    let before = text(store, &h1, None).await;
    assert!(!before.contains("hồ sơ trực tuyến"), "{before}");
    let csv = "STT,Số hồ sơ,Mã TTHC,Tên thủ tục,Mã đơn vị,Kênh tiếp nhận,Liên thông,Ngày nhận,Ngày hẹn trả,Ngày có kết quả,Ngày trả lại,Ngày rút
1,T-1,1.1,Khai sinh,X11,Trực tuyến,có,2020-04-01,2020-04-10,2020-04-05,,
2,T-2,1.1,Khai sinh,X11,Trực tuyến,,2020-04-02,2020-04-10,,,
3,T-3,1.1,Khai sinh,X11,Bưu chính,,2020-04-03,2020-04-10,,,
4,T-4,1.1,Khai sinh,X11,Trực tiếp,,2020-04-04,2020-04-10,,,
";
    import_csv(
        store,
        std::io::Cursor::new(csv.as_bytes().to_vec()),
        ImportOptions::default(),
        |_| {},
    )
    .await
    .unwrap();
    for t in [None, Some("bao-cao-6-thang"), Some("bao-cao-tinh-uy")] {
        let r = text(store, &h1, t).await;
        assert!(
            r.contains(
                "Trong 4 hồ sơ tiếp nhận có 2 hồ sơ trực tuyến (chiếm 50,0%), 1 hồ sơ qua dịch vụ \
                 bưu chính công ích, 1 hồ sơ liên thông."
            ),
            "{t:?}: {r}"
        );
    }
}

#[test]
fn recorded_kinds_reach_every_template_on_both_engines() {
    common::block_on(async {
        for db in common::both().await {
            check(&db.store).await;
            check_directives(&db.store).await;
            check_filed_away(&db.store).await;
            check_awards(&db.store).await;
            check_dialogues_and_cases(&db.store).await;
            check_mediation_levels(&db.store).await;
            check_dossier_channels(&db.store).await;
            db.finish().await;
        }
    });
}
