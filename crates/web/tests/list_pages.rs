//! Lists page: the newest records first, a page at a time, with links to
//! the page before and after that keep the filters and carry the key of
//! the row they continue from; the petition list too.

use danvan_testkit::web::Env;

use axum::http::StatusCode;
use danvan_core::records::petition::PetitionType;
use danvan_store::{petitions, reception};

fn rows(html: &str, table: &str) -> usize {
    let start = html
        .find(&format!("id=\"{table}\""))
        .expect("the list's table");
    let end = html[start..].find("</table>").unwrap() + start;
    html[start..end].matches("<tr").count() - 1
}

/// The address a pager link (`id`) points at, as a browser reads it.
fn link(html: &str, id: &str) -> String {
    let at = html
        .find(&format!("id=\"{id}\" href=\""))
        .unwrap_or_else(|| panic!("no link {id}: {html}"));
    let rest = &html[at + id.len() + 12..];
    rest[..rest.find('"').unwrap()]
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn record_and_petition_lists_page() {
    let env = Env::new("list_pages").await;
    let unit = danvan_testkit::units::id(&env.store, "24853").await;
    let all: Vec<_> = (0..205)
        .map(|_| danvan_testkit::seed::reception(unit, 1))
        .collect();
    reception::insert_many(&env.store, &all).await.unwrap();
    let s = env.login("quantri").await;

    let first = env
        .get_in(&s, &format!("/ghi-nhan/tiep-cong-dan?don_vi={unit}"))
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let html = first.text();
    assert_eq!(rows(&html, "records"), 200);
    assert!(html.contains("Trang 1: bản ghi thứ 1 đến 200"), "{html}");
    assert!(html.contains("id=\"next\"") && !html.contains("id=\"previous\""));
    let next = link(&html, "next");
    assert!(next.contains("sau="), "{next}");
    let second = env.get_in(&s, &next).await.text();
    assert_eq!(rows(&second, "records"), 5);
    assert!(second.contains("bản ghi thứ 201 đến 205"), "{second}");
    assert!(second.contains("id=\"previous\"") && !second.contains("id=\"next\""));
    // Back: the first page again, whole.
    let back = env.get_in(&s, &link(&second, "previous")).await.text();
    assert_eq!(rows(&back, "records"), 200);
    assert!(back.contains("Trang 1: bản ghi thứ 1 đến 200"), "{back}");
    assert_eq!(
        back[back.find("id=\"records\"").unwrap()..]
            .split("</table>")
            .next(),
        html[html.find("id=\"records\"").unwrap()..]
            .split("</table>")
            .next()
    );
    // The link keeps the unit chosen.
    assert!(second.contains(&format!("don_vi={unit}")));
    // A key that is not one opens the first page.
    let odd = env
        .get_in(&s, "/ghi-nhan/tiep-cong-dan?trang=abc&sau=xyz")
        .await
        .text();
    assert!(odd.contains("Trang 1"), "{odd}");

    let mut many = Vec::new();
    for _ in 0..203 {
        many.push(danvan_testkit::seed::petition(
            unit,
            PetitionType::Complaint,
        ));
    }
    petitions::insert_many(&env.store, &many).await.unwrap();
    let p1 = env.get_in(&s, "/don-thu").await.text();
    assert!(p1.contains("203 đơn; trang 1/2"), "{p1}");
    let p2 = env.get_in(&s, &link(&p1, "next")).await.text();
    assert!(p2.contains("trang 2/2: đơn thứ 201 đến 203"), "{p2}");
    assert!(p2.contains("id=\"previous\""));
    let back = env.get_in(&s, &link(&p2, "previous")).await.text();
    assert!(back.contains("203 đơn; trang 1/2"), "{back}");
    env.close().await;
}
