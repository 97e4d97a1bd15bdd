//! The units page and search show how each unit was reorganised: the
//! units it went into, those it was formed from, and the share of a
//! divided unit.

use danvan_store::unit_import::merge::merge_csv;
use danvan_testkit::web::Env;

#[tokio::test]
async fn units_show_their_successors_and_predecessors_with_shares() {
    let env = Env::new("units_page").await;
    // A commune of Đam Rông divided between Đam Rông 4 and Đam Rông 3.
    let units = "code,name,kind,parent_code,valid_from,valid_to,successor_code
Z1,Chia Đôi,xã,674,,2025-06-30,24853-2025
";
    let shares = "code,successor_code,area_km2,share
Z1,24853-2025,30,0.6
Z1,24875-2025,20,0.4
";
    merge_csv(&env.store, units.as_bytes(), shares.as_bytes())
        .await
        .unwrap();
    let admin = env.login("quantri").await;
    let page = env.get_in(&admin, "/don-vi?q=chia%20doi").await.text();
    assert!(
        page.contains("nhập vào xã Đam Rông 4 (60,00%); xã Đam Rông 3 (40,00%)"),
        "{page}"
    );
    let page = env.get_in(&admin, "/don-vi?q=dam%20rong%203").await.text();
    assert!(
        page.contains("hợp từ xã Đạ M&#x27;Rông; xã Đạ Rsal; xã Chia Đôi (40,00%)")
            || page.contains("hợp từ xã Đạ M'Rông; xã Đạ Rsal; xã Chia Đôi (40,00%)"),
        "{page}"
    );
    // A commune merged whole names its successor without a share.
    let (_, body) = env.call("GET", "/api/units/search?q=da%20tong", None).await;
    let tong = &body["units"][0];
    assert_eq!(tong["name"], "xã Đạ Tông");
    assert_eq!(tong["successors"], "xã Đam Rông 4");
    assert_eq!(tong["predecessors"], "");
    env.close().await;
}
