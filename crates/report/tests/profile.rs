//! A unit's profile, dated, on both engines: imported by year, summed over
//! a subtree, opening its report with the petitions per 10.000
//! inhabitants; a bad file writes nothing.

mod common;

use danvan_core::period::Period;
use danvan_core::records::petition::PetitionType;
use danvan_report::{Catalogue, Request};
use danvan_store::{petitions, profile, units};
use danvan_testkit::seed;

const HEADER: &str =
    "code,year,thon,to_dan_pho,dan_so,dan_so_dtts,ho_ngheo,co_quan,don_vi_su_nghiep\n";

#[test]
fn a_profile_opens_the_report_and_gives_rates_per_inhabitant() {
    common::block_on(async {
        for db in common::both().await {
            let s = &db.store;
            common::units::load(s).await;
            let district = units::find(s, "674", None).await.unwrap();
            let tong = units::find(s, "24853", None).await.unwrap();
            // Bad rows: an unknown unit, a year, a negative count; nothing
            // is written.
            let bad =
                format!("{HEADER}99999,2024,1,,,,,,\n24853,20x4,1,,,,,,\n24853,2024,-3,,,,,,\n");
            let e = profile::import_csv(s, bad.as_bytes()).await.unwrap_err();
            let msg = e.to_string();
            for part in ["«99999»", "«20x4»", "«-3»"] {
                assert!(msg.contains(part), "{msg}");
            }
            assert_eq!(profile::of(s, &district, 2024).await.unwrap(), None);

            let file = format!(
                "{HEADER}24853,2024,10,,5.000,3.000,200,,\n24856,2024,8,,3000,1000,100,,\n674,2024,,,,,,12,30\n"
            );
            assert_eq!(profile::import_csv(s, file.as_bytes()).await.unwrap(), 10);
            // Summed over the subtree; a commune has its own.
            let p = profile::of(s, &district, 2024).await.unwrap().unwrap();
            assert_eq!(
                (p.get("thon"), p.get("dan_so"), p.get("dan_so_dtts")),
                (18, 8000, 4000)
            );
            assert_eq!((p.get("ho_ngheo"), p.get("co_quan")), (300, 12));
            let own = profile::of(s, &tong, 2024).await.unwrap().unwrap();
            assert_eq!(own.get("dan_so"), 5000);
            // A later year without values reads the latest one before it.
            assert_eq!(
                profile::of(s, &tong, 2025).await.unwrap().unwrap().year,
                2024
            );

            petitions::insert_many(
                s,
                &[
                    seed::petition(tong.id, PetitionType::Complaint),
                    seed::petition(tong.id, PetitionType::Recommendation),
                ],
            )
            .await
            .unwrap();
            let req = Request::new(&district, Period::parse("2024-H1", false).unwrap())
                .template(Some("bao-cao-6-thang"));
            let t = danvan_report::build(s, Catalogue::shipped(), req)
                .await
                .unwrap()
                .text;
            assert!(
                t.contains(
                    "Năm 2024, huyện Đam Rông có 18 thôn, làng, ấp, bản; dân số 8.000 người, trong đó đồng bào dân tộc thiểu số 4.000 người (50,0%); 300 hộ nghèo; 12 cơ quan, đơn vị và 30 đơn vị sự nghiệp công lập trực thuộc."
                ),
                "{t}"
            );
            // 2 petitions for 8.000 inhabitants.
            assert!(
                t.contains("Trong 6 tháng đầu năm 2024, bình quân 2,50 đơn thư trên 10.000 dân."),
                "{t}"
            );
            db.finish().await;
        }
    });
}
