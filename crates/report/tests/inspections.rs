//! Inspection amounts are recorded, not derived. The amount of violations
//! found is the inspectors' own figure; what was handled is recorded by
//! kind of recovery; a warning rule compares the two. Seed 004 (Kon Tum,
//! 2016) states 7.554 million đồng found while its parts sum to 7.553: fed
//! that figure, the report states it and warns of the difference.

mod common;

use danvan_core::records::dataset::{DataElement, DataSet, DataValue, ElementOption, PeriodType};
use danvan_store::units::{self, Unit};
use danvan_store::{Store, datasets, unit_import};
use danvan_testkit::seed::{counted_element, define_data};

const TREE: &str = "code,name,kind,parent_code,valid_from,valid_to,successor_code
62,Kon Tum,tỉnh,,,,
608,Đắk Glei,huyện,62,,,
";

fn element(code: &str, label: &str, options: &[(&str, &str)]) -> DataElement {
    DataElement {
        options: options
            .iter()
            .map(|(c, l)| ElementOption {
                code: c.to_string(),
                label: l.to_string(),
            })
            .collect(),
        ..counted_element(code, label, "triệu đồng")
    }
}

async fn define(store: &Store) -> Vec<DataElement> {
    let elements = vec![
        element("inspections", "Số cuộc thanh tra, kiểm tra", &[]),
        element("violations_found", "Số tiền sai phạm phát hiện", &[]),
        element(
            "violations_handled",
            "Số tiền sai phạm đã xử lý",
            &[
                ("state_budget", "Thu hồi nộp ngân sách nhà nước"),
                ("unit", "Thu hồi về cho đơn vị"),
                ("other", "Xử lý khác"),
            ],
        ),
    ];
    let set = DataSet {
        code: "inspection".into(),
        name: "Kết quả thanh tra, kiểm tra".into(),
        period_type: PeriodType::Year,
        elements: elements.iter().map(|e| e.code.clone()).collect(),
    };
    define_data(store, &elements, &set).await;
    elements
}

async fn enter(
    store: &Store,
    elements: &[DataElement],
    unit: &Unit,
    values: &[(&str, &str, &str)],
) {
    let values: Vec<DataValue> = values
        .iter()
        .map(|(code, option, text)| {
            let e = elements.iter().find(|e| e.code == *code).unwrap();
            DataValue {
                unit_id: unit.id,
                element: code.to_string(),
                period: "2016".into(),
                option: option.to_string(),
                value: e.parse_value(text).unwrap(),
            }
        })
        .collect();
    datasets::enter(store, "inspection", &values).await.unwrap();
}

/// The Party report's text and validation section, white space folded.
async fn report(store: &Store, unit: &Unit) -> String {
    let r = common::report(store, unit, "2016", Some("bao-cao-tinh-uy")).await;
    r.to_txt().split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn check(store: &Store) {
    unit_import::import_csv(store, TREE.as_bytes())
        .await
        .unwrap();
    let kt = units::find(store, "62", None).await.unwrap();
    let elements = define(store).await;
    enter(
        store,
        &elements,
        &kt,
        &[
            ("inspections", "", "53"),
            ("violations_found", "", "7.554"),
            ("violations_handled", "state_budget", "3.565"),
            ("violations_handled", "unit", "419"),
            ("violations_handled", "other", "3.569"),
        ],
    )
    .await;
    let t = report(store, &kt).await;
    assert!(
        t.contains("53 cuộc thanh tra, kiểm tra, phát hiện sai phạm 7.554 triệu đồng"),
        "{t}"
    );
    assert!(
        t.contains(
            "[cảnh báo] Số tiền sai phạm đã xử lý (thu hồi nộp ngân sách, thu hồi về đơn vị, \
             xử lý khác) phải bằng số tiền sai phạm phát hiện (7.553 = 7.554)"
        ),
        "{t}"
    );
    // The inspectors correct their figure: the warning goes.
    enter(store, &elements, &kt, &[("violations_found", "", "7.553")]).await;
    let t = report(store, &kt).await;
    assert!(t.contains("phát hiện sai phạm 7.553 triệu đồng"), "{t}");
    assert!(!t.contains("[cảnh báo] Số tiền sai phạm đã xử lý"), "{t}");
    // A district below with its own amounts: the province's report sums
    // what was found at both, and the rule holds on the sums.
    let dg = units::find(store, "608", None).await.unwrap();
    enter(
        store,
        &elements,
        &dg,
        &[
            ("violations_found", "", "100"),
            ("violations_handled", "other", "90"),
        ],
    )
    .await;
    let t = report(store, &kt).await;
    assert!(t.contains("phát hiện sai phạm 7.653 triệu đồng"), "{t}");
    assert!(t.contains("(7.643 = 7.653)"), "{t}");
}

#[test]
fn the_amount_found_is_recorded_and_checked_against_its_parts() {
    common::block_on(async {
        for db in common::both().await {
            check(&db.store).await;
            db.finish().await;
        }
    });
}
