//! Correcting and deleting records through their pages, as a signed-in
//! official of one commune: an edit saves through the store and the
//! figures follow it; a bad value comes back 422 next to its field with
//! nothing changed; a delete leaves neither the record nor its figures;
//! another commune's official reaches none of it; a viewer gets no buttons
//! and the store refuses them anyway; a denouncer's identity stays hidden
//! from whoever reads it masked, in the edit form and after a save.

use danvan_testkit::web;

use axum::http::StatusCode;
use danvan_core::period::Period;
use danvan_core::records::petition::PetitionType;
use danvan_core::records::{mediation as mediation_keys, petition, reception as reception_keys};
use danvan_store::accounts::Role;
use danvan_store::facts::{self, Detail, Scope};
use danvan_store::petitions::{self, Viewer};
use danvan_store::{mediation, meetings, reception, units};
use web::{Answer, BAD_DATE, Official, Pages, official, reception_form, table, with};

/// The commune's figure of `key` for 2025, read from the facts.
async fn figure(env: &Pages, key: &str) -> i64 {
    let u = units::by_id(&env.store, env.commune)
        .await
        .unwrap()
        .unwrap();
    let range = Period::parse("2025", false).unwrap().range();
    facts::read(&env.store, Scope::of(&u), &[key], range, Detail::Totals)
        .await
        .unwrap()
        .total(key)
}

/// The logged actions on one record, newest first.
async fn logged(env: &Pages, entity: &str, id: &str) -> Vec<String> {
    danvan_testkit::audit::actions(&env.store, entity, id).await
}

/// The answer must be a redirect to `to`.
fn redirected(a: &Answer, to: &str) {
    assert_eq!(
        (a.status, a.location.as_str()),
        (StatusCode::SEE_OTHER, to),
        "{}",
        a.body
    );
}

/// The edit link of `record` and its page; the record's page offers
/// both the edit and the delete.
async fn edit_page(env: &Pages, record: &str) -> (String, String) {
    let edit = format!("{record}/sua");
    offers(
        &env.page(record).await,
        Some(&edit),
        &format!("{record}/xoa"),
    );
    let form = env.page(&edit).await;
    (edit, form)
}

/// The page offers an edit link to `edit` (if any) and a delete form
/// posting to `delete`, with the CSRF token and a confirmation.
fn offers(page: &str, edit: Option<&str>, delete: &str) {
    match edit {
        Some(e) => assert!(
            page.contains(&format!("href=\"{e}\" id=\"edit\"")),
            "{page}"
        ),
        None => assert!(!page.contains("id=\"edit\""), "{page}"),
    }
    let start = page
        .find(&format!("action=\"{delete}\" id=\"delete\""))
        .unwrap_or_else(|| panic!("no delete form to {delete}:\n{page}"));
    let form = &page[start..start + page[start..].find("</form>").unwrap()];
    assert!(form.contains("data-confirm=\"Xoá "), "{form}");
    assert!(form.contains("name=\"_csrf\""), "{form}");
}

/// Another commune's official reaches neither the form nor the changes.
async fn out_of_reach(env: &Pages, record: &str, fields: &[(&str, &str)]) {
    let edit = format!("{record}/sua");
    let delete = format!("{record}/xoa");
    let other = &env.other;
    assert_eq!(env.get_as(other, &edit).await.status, StatusCode::NOT_FOUND);
    let a = env.post_as(other, &edit, fields).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    let a = env.post_as(other, &delete, &[]).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    assert_eq!(env.get(record).await.status, StatusCode::OK, "still there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reception_is_corrected_and_deleted_with_its_figures() {
    let env = Pages::new("edit_reception").await;
    let unit = env.commune.to_string();
    let base = "/ghi-nhan/tiep-cong-dan";
    let r = reception_form(&unit);
    let id = env.post(base, &r).await.saved_id();
    let record = format!("{base}/{id}");
    let edit = format!("{record}/sua");
    let turns = reception_keys::keys::TURNS;
    assert_eq!(figure(&env, turns).await, 2);
    offers(
        &env.page(&record).await,
        Some(&edit),
        &format!("{record}/xoa"),
    );

    // The form is the new form's, filled with the record.
    let form = env.page(&edit).await;
    assert!(form.contains(&format!("<h1>Sửa lượt tiếp công dân số {id}</h1>")));
    assert!(form.contains(&format!("action=\"{edit}\"")), "{form}");
    for value in ["Nguyễn Thị Lan", "15/09/2025", "Hỏi về đất rừng"] {
        assert!(form.contains(value), "{value}: {form}");
    }
    assert!(form.contains("name=\"turns\" value=\"2\""), "{form}");
    assert!(
        form.contains("<option value=\"periodic\" selected>"),
        "{form}"
    );

    // Bad input: 422, the message next to the field, nothing changed.
    let a = env
        .refused(&edit, &with(&r, "received_on", "31/02/2026"))
        .await;
    assert!(a.error_at("received_on").contains(BAD_DATE));
    assert!(
        a.body.contains("Sửa lượt tiếp công dân"),
        "the edit form again"
    );
    let a = env.refused(&edit, &with(&r, "persons", "1")).await;
    assert!(a.error_at("persons").contains("không thể ít hơn số lượt"));
    let stored = reception::get(&env.store, id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!((stored.turns, stored.persons), (2, 3));
    assert_eq!(figure(&env, turns).await, 2);

    // A correction: the page, the list and the figure show it.
    let corrected = with(&with(&r, "turns", "5"), "persons", "6");
    redirected(&env.post(&edit, &corrected).await, &record);
    let page = env.page(&record).await;
    assert!(table(&page, "record").contains("<td>5</td>"), "{page}");
    assert!(table(&page, "history").contains(">sửa<"));
    assert!(env.page(base).await.contains("5 lượt / 6 người"));
    assert_eq!(figure(&env, turns).await, 5);

    out_of_reach(&env, &record, &corrected).await;

    // A viewer of the commune sees no buttons, and the store refuses.
    let viewer = official(&env.store, "lanh.dao", Role::Viewer, env.commune).await;
    let page = env.get_as(&viewer, &record).await.body;
    assert!(!page.contains("id=\"actions\""), "{page}");
    let a = env.post_as(&viewer, &format!("{record}/xoa"), &[]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    let a = env.post_as(&viewer, &edit, &r).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    assert_eq!(figure(&env, turns).await, 5);

    // Deleted: gone from its page and the list, its figures with it,
    // and the log keeps the deletion.
    redirected(&env.post(&format!("{record}/xoa"), &[]).await, base);
    assert_eq!(env.get(&record).await.status, StatusCode::NOT_FOUND);
    assert_eq!(env.get(&edit).await.status, StatusCode::NOT_FOUND);
    assert!(!env.page(base).await.contains(&format!("href=\"{record}\"")));
    assert_eq!(figure(&env, turns).await, 0);
    assert_eq!(figure(&env, reception_keys::keys::SESSIONS).await, 0);
    assert_eq!(
        logged(&env, "reception", &id).await,
        ["delete", "update", "create"]
    );
    env.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mediation_case_is_corrected_and_deleted() {
    let env = Pages::new("edit_mediation").await;
    let unit = env.commune.to_string();
    let base = "/ghi-nhan/hoa-giai";
    let m = [
        ("unit_id", unit.as_str()),
        ("received_on", "02/10/2025"),
        ("team", "Tổ hòa giải thôn Liêng Trang"),
        ("field", "land"),
        ("result", "in_progress"),
        ("summary", "Tranh chấp ranh giới đất"),
    ];
    let id = env.post(base, &m).await.saved_id();
    let record = format!("{base}/{id}");
    let (edit, form) = edit_page(&env, &record).await;
    assert!(form.contains(&format!("Sửa vụ việc hòa giải số {id}")));
    assert!(
        form.contains("value=\"Tổ hòa giải thôn Liêng Trang\""),
        "{form}"
    );

    let a = env.refused(&edit, &with(&m, "team", "")).await;
    assert!(a.error_at("team").contains("chưa nhập tổ hòa giải"));
    let a = env
        .refused(&edit, &with(&m, "received_on", "31/02/2026"))
        .await;
    assert!(a.error_at("received_on").contains(BAD_DATE));

    // The result known later: the case and its figure move.
    let cases = mediation_keys::keys::CASES;
    assert_eq!(figure(&env, cases).await, 1);
    let done = with(&m, "result", "success");
    redirected(&env.post(&edit, &done).await, &record);
    assert!(env.page(&record).await.contains("thành"));
    let stored = mediation::get(&env.store, id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(stored.result.code(), "success");

    out_of_reach(&env, &record, &done).await;

    redirected(&env.post(&format!("{record}/xoa"), &[]).await, base);
    assert_eq!(env.get(&record).await.status, StatusCode::NOT_FOUND);
    assert_eq!(figure(&env, cases).await, 0);
    assert_eq!(logged(&env, "mediation", &id).await[0], "delete");
    env.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meeting_is_deleted_with_its_opinions() {
    let env = Pages::new("edit_meeting").await;
    let unit = env.commune.to_string();
    let base = "/ghi-nhan/hoi-nghi";
    let mt = [
        ("unit_id", unit.as_str()),
        ("kind", "dialogue"),
        ("held_on", "20/10/2025"),
        ("chair", "Chủ tịch UBND xã"),
        ("participants", "45"),
        ("subject", "Đối thoại về đền bù"),
        ("opinion_1", "Giá đền bù thấp"),
        ("follow_up_1", "pending"),
    ];
    let id = env.post(base, &mt).await.saved_id();
    let record = format!("{base}/{id}");
    // No edit of a meeting in the store: only the delete.
    offers(&env.page(&record).await, None, &format!("{record}/xoa"));
    let a = env.post_as(&env.other, &format!("{record}/xoa"), &[]).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let participants = danvan_core::records::meeting::keys::PARTICIPANTS;
    assert_eq!(figure(&env, participants).await, 45);
    redirected(&env.post(&format!("{record}/xoa"), &[]).await, base);
    assert_eq!(env.get(&record).await.status, StatusCode::NOT_FOUND);
    assert!(
        meetings::list(&env.store, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(figure(&env, participants).await, 0);
    env.close().await;
}

/// A petition received by the commune, through its form.
async fn new_petition(env: &Pages, kind: &str, sender: &str) -> String {
    let unit = env.commune.to_string();
    env.post(
        "/don-thu",
        &[
            ("unit_id", unit.as_str()),
            ("received_on", "10/09/2025"),
            ("channel", "in_person"),
            ("kind", kind),
            ("instance", "1"),
            ("field", "land"),
            ("senders", "1"),
            ("sender_name", sender),
            ("sender_address", "Thôn Liêng Trang"),
            ("sender_phone", "0912345678"),
            ("summary", "Lấn chiếm đất công"),
        ],
    )
    .await
    .saved_id()
}

/// The petition form as sent back after a correction.
fn petition_form<'a>(unit: &'a str, received_on: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("unit_id", unit),
        ("received_on", received_on),
        ("channel", "post"),
        ("kind", "complaint"),
        ("instance", "1"),
        ("field", "land"),
        ("senders", "2"),
        ("sender_name", "Trần Văn Bình"),
        ("sender_address", "Thôn 2"),
        ("sender_phone", "0987654321"),
        ("summary", "Khiếu nại quyết định thu hồi đất"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_petition_is_corrected_and_deleted_as_the_store_allows() {
    let env = Pages::new("edit_petition").await;
    let unit = env.commune.to_string();
    let id = new_petition(&env, "complaint", "Trần Văn Bình").await;
    let record = format!("/don-thu/{id}");
    let (edit, form) = edit_page(&env, &record).await;
    assert!(
        form.contains(&format!("<h1>Sửa đơn số {id}</h1>")),
        "{form}"
    );
    assert!(form.contains("value=\"Trần Văn Bình\""), "{form}");
    assert!(
        form.contains("<option value=\"in_person\" selected>"),
        "{form}"
    );

    // Corrected at intake: the page shows it, and it stays received.
    let fields = petition_form(&unit, "11/09/2025");
    redirected(&env.post(&edit, &fields).await, &record);
    let page = env.page(&record).await;
    assert!(page.contains("Khiếu nại quyết định thu hồi đất") && page.contains("11/09/2025"));
    assert!(page.contains("2 người đứng đơn"), "{page}");

    // Classified on 15/09: the store refuses a receipt after that date
    // (the lifecycle must stay in order), and the steps stay as they were.
    let a = env
        .post(
            &format!("{record}/buoc"),
            &[
                ("step", "classify"),
                ("on", "15/09/2025"),
                ("eligible", "1"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let a = env
        .refused(&edit, &petition_form(&unit, "20/09/2025"))
        .await;
    assert!(
        a.body
            .contains("<p class=\"alert\">ngày phân loại (15/09/2025) trước"),
        "{}",
        a.body
    );
    let a = env
        .refused(&edit, &petition_form(&unit, "31/02/2026"))
        .await;
    assert!(a.error_at("received_on").contains(BAD_DATE));
    let anyone = Viewer { official_id: 0 };
    let stored = petitions::get(&env.store, id.parse().unwrap(), anyone)
        .await
        .unwrap();
    assert_eq!(stored.petition.received_on.to_string(), "2025-09-11");
    assert!(stored.petition.classified_on.is_some(), "still classified");

    // Still correctable once classified: the store allows it in any state.
    let page = env.page(&record).await;
    offers(&page, Some(&edit), &format!("{record}/xoa"));
    let fields = petition_form(&unit, "12/09/2025");
    redirected(&env.post(&edit, &fields).await, &record);

    out_of_reach(&env, &record, &fields).await;

    let received = petition::keys::RECEIVED;
    assert_eq!(figure(&env, received).await, 1);
    redirected(&env.post(&format!("{record}/xoa"), &[]).await, "/don-thu");
    assert_eq!(env.get(&record).await.status, StatusCode::NOT_FOUND);
    assert_eq!(figure(&env, received).await, 0);
    assert_eq!(logged(&env, "petition", &id).await[0], "delete");
    env.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denouncer_stays_hidden_from_who_reads_the_sender_masked() {
    let env = Pages::new("edit_denunciation").await;
    let unit = env.commune.to_string();
    let id = new_petition(&env, "denunciation", "Nguyễn Văn Tố").await;
    let pid: i64 = id.parse().unwrap();
    let record = format!("/don-thu/{id}");
    let edit = format!("{record}/sua");
    // The handler assigned to it reads the sender; the commune's officer
    // (who entered it) does not.
    let handler: Official = official(&env.store, "xu.ly", Role::Handler, env.commune).await;
    petitions::assign(&env.store, pid, handler.id)
        .await
        .unwrap();
    assert!(!env.page(&record).await.contains("Nguyễn Văn Tố"));

    // The masked form: neither the sender nor the kind, and a note why.
    let form = env.page(&edit).await;
    assert!(
        !form.contains("Nguyễn Văn Tố") && !form.contains("0912345678"),
        "{form}"
    );
    for name in ["kind", "sender_name", "sender_address", "sender_phone"] {
        assert!(
            !form.contains(&format!("name=\"{name}\"")),
            "{name}: {form}"
        );
    }
    assert!(form.contains("id=\"form-note\""), "{form}");
    assert!(form.contains("name=\"summary\""), "{form}");

    // A post that tries to overwrite the sender and make the denunciation
    // a complaint (whose sender everyone reads) changes only the rest.
    let mut fields = petition_form(&unit, "10/09/2025");
    fields = with(&fields, "sender_name", "Người khác");
    fields = with(&fields, "summary", "Tố cáo lấn chiếm đất công ở thôn 2");
    redirected(&env.post(&edit, &fields).await, &record);
    let page = env.page(&record).await;
    assert!(
        page.contains("Tố cáo lấn chiếm đất công ở thôn 2"),
        "{page}"
    );
    assert!(!page.contains("Nguyễn Văn Tố") && !page.contains("Người khác"));
    let seen = petitions::get(
        &env.store,
        pid,
        Viewer {
            official_id: handler.id,
        },
    )
    .await
    .unwrap();
    assert_eq!(seen.petition.kind, PetitionType::Denunciation);
    assert_eq!(seen.petition.sender.name, "Nguyễn Văn Tố");
    assert_eq!(seen.petition.sender.phone, "0912345678");
    assert_eq!(seen.petition.senders, 2, "the rest is saved");

    // The assigned handler's form shows the sender, and their edit keeps it.
    let form = env.get_as(&handler, &edit).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body.contains("value=\"Nguyễn Văn Tố\""),
        "{}",
        form.body
    );
    assert!(!form.body.contains("id=\"form-note\""));

    // A bad date in the masked form: 422 next to the field, still masked.
    let a = env
        .refused(&edit, &with(&fields, "received_on", "31/02/2026"))
        .await;
    assert!(a.error_at("received_on").contains(BAD_DATE));
    assert!(!a.body.contains("Nguyễn Văn Tố") && !a.body.contains("name=\"sender_name\""));
    env.close().await;
}

/// Two officials of the commune open the same reception's form; the one
/// who saves second gets 409 and a Vietnamese "changed by someone else",
/// and the first one's correction stays. A post without the form's version
/// is refused too, since no one could tell what it overwrites.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_made_on_a_form_someone_else_has_since_saved_is_refused() {
    let env = Pages::new("edit_stale").await;
    let unit = env.commune.to_string();
    let base = "/ghi-nhan/tiep-cong-dan";
    let r = with(&reception_form(&unit), "note", "");
    let id = env.post(base, &r).await.saved_id();
    let edit = format!("{base}/{id}/sua");
    let colleague = official(&env.store, "dongnghiep", Role::Officer, env.commune).await;

    let mine = web::version_of(&env.page(&edit).await).expect("the form carries a version");
    let theirs = web::version_of(&env.get_as(&colleague, &edit).await.body).unwrap();
    assert_eq!(mine, theirs);

    let mut first = with(&r, "turns", "3");
    first.push(("_version", mine.as_str()));
    let a = env.post(&edit, &first).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);

    let mut second = with(&r, "turns", "1");
    second.push(("_version", theirs.as_str()));
    let a = env.post_as(&colleague, &edit, &second).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
    assert!(
        a.body.contains(&format!(
            "lượt tiếp công dân số {id} đã được người khác sửa"
        )),
        "{}",
        a.body
    );
    assert_eq!(figure(&env, reception_keys::keys::TURNS).await, 3);

    let mut forged = with(&r, "turns", "1");
    forged.push(("_version", ""));
    let a = env.post(&edit, &forged).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(a.body.contains("không mang phiên bản"), "{}", a.body);
    assert_eq!(figure(&env, reception_keys::keys::TURNS).await, 3);
    env.close().await;
}

/// A case (vụ việc) through its pages: recorded, found in its list,
/// resolved by a correction (its figures move), refused deletion while a
/// petition is grouped into it, then deleted with its figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_is_recorded_resolved_and_deleted_through_its_pages() {
    use danvan_core::records::petition::keys::{CASE_OPENED, CASE_RESOLVED};
    use danvan_core::records::petition::{Petition, PetitionChannel, PetitionField};
    let env = Pages::new("edit_case").await;
    let unit = env.commune.to_string();
    let base = "/vu-viec";
    let c = [
        ("unit_id", unit.as_str()),
        ("opened_on", "02/10/2025"),
        ("title", "Khiếu nại bồi thường đường liên xã"),
        ("complex", "1"),
        ("crowd", "1"),
        ("resolved_on", ""),
    ];
    let a = env.refused(base, &with(&c, "title", "")).await;
    assert!(a.error_at("title").contains("chưa nhập"), "{}", a.body);
    assert_eq!(figure(&env, CASE_OPENED).await, 0, "nothing written");
    let id = env.post(base, &c).await.saved_id();
    let record = format!("{base}/{id}");
    let page = env.page(&record).await;
    assert!(page.contains(&format!("Vụ việc số {id}")), "{page}");
    assert!(page.contains("phức tạp, đông người"), "{page}");
    assert!(page.contains("Đang giải quyết"), "{page}");
    assert!(
        env.page(base)
            .await
            .contains("Khiếu nại bồi thường đường liên xã")
    );
    assert_eq!(figure(&env, CASE_OPENED).await, 1);
    assert_eq!(figure(&env, CASE_RESOLVED).await, 0);

    // Resolved: a correction with the day; before it opened is refused.
    let edit = format!("{record}/sua");
    let a = env
        .refused(&edit, &with(&c, "resolved_on", "01/10/2025"))
        .await;
    assert!(
        a.error_at("resolved_on").contains("trước ngày phát sinh"),
        "{}",
        a.body
    );
    redirected(
        &env.post(&edit, &with(&c, "resolved_on", "20/11/2025"))
            .await,
        &record,
    );
    assert!(
        env.page(&record)
            .await
            .contains("Đã giải quyết ngày 20/11/2025")
    );
    assert_eq!(figure(&env, CASE_RESOLVED).await, 1);
    out_of_reach(&env, &record, &c).await;

    // A petition grouped into the case keeps it from being deleted.
    let case_id: i64 = id.parse().unwrap();
    let p = Petition {
        case_id: Some(case_id),
        ..Petition::received(
            env.commune,
            chrono::NaiveDate::from_ymd_opt(2025, 10, 3).unwrap(),
            PetitionChannel::Post,
            PetitionType::Complaint,
            PetitionField::Land,
        )
    };
    let pid = petitions::insert(&env.store, &p).await.unwrap();
    let a = env.post(&format!("{record}/xoa"), &[]).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(a.body.contains("còn gộp 1 đơn"), "{}", a.body);
    assert!(env.page(&record).await.contains("Số đơn gộp vào vụ việc"));
    petitions::delete(&env.store, pid).await.unwrap();
    redirected(&env.post(&format!("{record}/xoa"), &[]).await, base);
    assert_eq!(env.get(&record).await.status, StatusCode::NOT_FOUND);
    assert_eq!(figure(&env, CASE_OPENED).await, 0);
    assert_eq!(logged(&env, "case", &id).await[0], "delete");
    env.close().await;
}
