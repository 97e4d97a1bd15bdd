//! The issuing body is chosen. A district reports in the name of its
//! People's Committee by default, or of its Ban Dân vận, Party committee or
//! Front; each gives its own letterhead, number symbol, signer and
//! recipients, and the opening line cites the request answered. A unit's
//! users may change a body (a deputy signing, the signer's name), and a
//! body that could not stand on a letterhead is refused with nothing saved.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use danvan_core::issuer::IssuerKind;
use danvan_core::period::Period;
use danvan_report::{Catalogue, Request};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, StoreError, issuers, unit_import};

const TREE: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code
P,Lâm Đồng,tỉnh,,,,
H,Đam Rông,huyện,P,,,
X,Đạ Tông,xã,H,,,
Y,Đạ Long,xã,H,,,
";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 6, 15).unwrap()
}

fn folded(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The DOCX's text runs, joined.
fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    let mut text = String::new();
    for part in xml.split("<w:t").skip(1) {
        let body = part.split_once('>').map_or("", |(_, b)| b);
        text.push_str(body.split("</w:t>").next().unwrap_or(""));
        text.push(' ');
    }
    text
}

async fn build(store: &Store, unit: &Unit, r: Request<'_>) -> danvan_report::Report {
    let _ = unit;
    danvan_report::build(store, Catalogue::shipped(), r)
        .await
        .unwrap()
}

async fn check(store: &Store) {
    unit_import::import_csv(store, TREE.as_bytes())
        .await
        .unwrap();
    let h = units::find(store, "H", None).await.unwrap();
    let x = units::find(store, "X", None).await.unwrap();
    let period = Period::parse("2020-H1", false).unwrap();

    // By default: the People's Committee, a blank number, no citation.
    let r = build(store, &h, Request::new(&h, period)).await;
    assert_eq!(r.issuer.code, "ubnd");
    assert!(!r.text.contains("Thực hiện"), "{}", r.text);
    let l = r.letterhead(store, &h, day()).await.unwrap();
    assert_eq!(l.number, "Số:       /BC-UBND");
    assert_eq!(l.on_behalf, "TM. ỦY BAN NHÂN DÂN");
    assert_eq!(l.superior.as_deref(), Some("UBND TỈNH LÂM ĐỒNG"));

    // Seed 000: the district's Ban Dân vận answers the province's request.
    let cites = "Công văn số 1027-CV/BDVTU, ngày 26/5/2020 của Ban Dân vận Tỉnh ủy Lâm Đồng \
                 về việc báo cáo công tác dân vận chính quyền 6 tháng đầu năm 2020";
    let mut sections = BTreeMap::new();
    sections.insert("bai_hoc".to_string(), "Sát dân, hiểu dân.".to_string());
    sections.insert(
        "de_xuat".to_string(),
        "Đề nghị tỉnh hỗ trợ kinh phí.".to_string(),
    );
    let r = build(
        store,
        &h,
        Request::new(&h, period)
            .template(Some("bao-cao-6-thang"))
            .issuer(Some("bdv"))
            .number("52")
            .cites(Some(cites))
            .sections(sections),
    )
    .await;
    let t = folded(&r.text);
    assert!(
        t.contains(&format!(
            "Thực hiện {cites}, Ban Dân vận Huyện ủy báo cáo như sau:"
        )),
        "{t}"
    );
    assert!(
        t.contains("4. Bài học kinh nghiệm. Sát dân, hiểu dân."),
        "{t}"
    );
    assert!(
        t.contains("V. ĐỀ XUẤT, KIẾN NGHỊ Đề nghị tỉnh hỗ trợ kinh phí."),
        "{t}"
    );
    let l = r.letterhead(store, &h, day()).await.unwrap();
    assert!(l.party);
    assert_eq!(l.superior.as_deref(), Some("HUYỆN ỦY ĐAM RÔNG"));
    assert_eq!(l.issuer, "BAN DÂN VẬN");
    assert_eq!(l.number, "Số 52-BC/BDVHU");
    assert_eq!(l.signer_title, "TRƯỞNG BAN");
    let doc = docx_text(&r.to_docx(store, &h, day()).await.unwrap());
    for want in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "HUYỆN ỦY ĐAM RÔNG",
        "BAN DÂN VẬN",
        "Số 52-BC/BDVHU",
        "TRƯỞNG BAN",
        "Đam Rông, ngày 15 tháng 06 năm 2020",
    ] {
        assert!(doc.contains(want), "«{want}» not in {doc}");
    }
    // Without them, the new sections stay out.
    let plain = build(
        store,
        &h,
        Request::new(&h, period).template(Some("bao-cao-6-thang")),
    )
    .await;
    assert!(!plain.text.contains("ĐỀ XUẤT, KIẾN NGHỊ"));
    assert!(!plain.text.contains("Bài học kinh nghiệm"));

    // Seed 000's Party report is signed by a deputy secretary.
    let mut party = danvan_report::issuer::of_unit(store, &h)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.code == "cap_uy")
        .unwrap();
    assert_eq!(party.kind, IssuerKind::PartyCommittee);
    party.on_behalf = "T/M BAN THƯỜNG VỤ".into();
    party.signer_title = "PHÓ BÍ THƯ".into();
    party.signer_name = "Nguyễn Văn Bình".into();
    issuers::save(store, &h, &party).await.unwrap();
    let r = build(
        store,
        &h,
        Request::new(&h, period)
            .template(Some("bao-cao-tinh-uy"))
            .number("111"),
    )
    .await;
    let l = r.letterhead(store, &h, day()).await.unwrap();
    assert_eq!(
        (
            l.signer_title.as_str(),
            l.signer_name.as_str(),
            l.number.as_str()
        ),
        ("PHÓ BÍ THƯ", "Nguyễn Văn Bình", "Số 111-BC/HU")
    );
    let pdf = r.to_pdf(store, &h, day()).await.unwrap();
    assert!(pdf.starts_with(b"%PDF"));

    // An unknown body is named with the ones the unit has.
    let e = danvan_report::build(
        store,
        Catalogue::shipped(),
        Request::new(&x, period).issuer(Some("bdv")),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("«bdv»") && e.contains("ubnd") && e.contains("mttq"),
        "{e}"
    );

    // A body that could not stand on a letterhead: refused, nothing saved.
    let before = issuers::of_unit(store, &h).await.unwrap();
    let mut bad = party.clone();
    bad.on_behalf = "Thay mặt".into();
    let e = issuers::save(store, &h, &bad).await.unwrap_err();
    assert!(matches!(e, StoreError::Invalid(_)), "{e:?}");
    assert!(e.to_string().contains("TM., KT."), "{e}");
    bad = party.clone();
    bad.symbol = "BC <b>".into();
    assert!(issuers::save(store, &h, &bad).await.is_err());
    assert_eq!(issuers::of_unit(store, &h).await.unwrap(), before);

    // A commune's store may not set the district's bodies.
    let commune = store.within(x.id).await.unwrap();
    let e = issuers::save(&commune, &h, &party).await.unwrap_err();
    assert!(matches!(e, StoreError::Forbidden(_)), "{e:?}");

    // Removing the saved body brings the default back.
    issuers::delete(store, &h, "cap_uy").await.unwrap();
    let back = danvan_report::issuer::of_unit(store, &h).await.unwrap();
    let cap_uy = back.iter().find(|b| b.code == "cap_uy").unwrap();
    assert_eq!(cap_uy.signer_title, "BÍ THƯ");
    assert!(issuers::delete(store, &h, "cap_uy").await.is_err());
}

#[test]
fn reports_are_issued_by_the_body_chosen() {
    common::block_on(async {
        for db in common::both().await {
            check(&db.store).await;
            db.finish().await;
        }
    });
}
