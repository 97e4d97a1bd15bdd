//! The "Ghi nhận" forms and the import page, driven through the router
//! as a signed-in official of one commune: each form saves a valid record
//! that its list then shows; a bad date or number comes back 422 with the
//! Vietnamese message next to its field and nothing saved; an import with
//! one bad row lists it and writes nothing; an official of another commune
//! gets 404 for the records and the import job.

use danvan_testkit::web;

use axum::http::StatusCode;
use danvan_core::records::dataset::{DataElement, DataSet, ElementOption, PeriodType, ValueType};
use danvan_store::{datasets, mediation, reception, units};
use danvan_testkit::seed;
use web::{BAD_DATE, Pages, reception_form, table, with};

/// The form at `base` refuses `fields` with each change of `bad` (field,
/// value, what the error next to the field says) and saves nothing; as
/// they are, `fields` save. The new record's id.
async fn refuses_then_saves(
    env: &Pages,
    base: &str,
    fields: &[(&str, &str)],
    bad: &[(&str, &str, &str)],
) -> String {
    let before = env.counts().await;
    for (key, value, says) in bad {
        let a = env.refused(base, &with(fields, key, value)).await;
        let error = a.error_at(key);
        assert!(error.contains(says), "{key} = «{value}»: {error}");
    }
    assert_eq!(env.counts().await, before, "nothing saved");
    env.post(base, fields).await.saved_id()
}

/// The list at `base` shows `text`.
async fn listed(env: &Pages, base: &str, text: &str) {
    let list = env.page(base).await;
    assert!(list.contains(text), "{base} lacks «{text}»");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_record_form_saves_and_refuses_bad_input() {
    let env = Pages::new("forms").await;
    let unit = env.commune.to_string();
    let u = unit.as_str();

    // The index links every record type.
    let index = env.page("/ghi-nhan").await;
    for path in [
        "/ghi-nhan/tiep-cong-dan",
        "/ghi-nhan/hoa-giai",
        "/ghi-nhan/hoi-nghi",
        "/ghi-nhan/mo-hinh",
        "/ghi-nhan/giam-sat",
        "/ghi-nhan/van-ban",
    ] {
        assert!(index.contains(&format!("href=\"{path}\"")), "{path}");
        assert!(env.page(&format!("{path}/moi")).await.contains("_csrf"));
    }
    assert!(index.contains("href=\"/ghi-nhan/so-lieu\""));
    // No data set defined yet: the data form sends to the list, which says so.
    let a = env.get("/ghi-nhan/so-lieu/moi").await;
    assert_eq!(
        (a.status, a.location.as_str()),
        (StatusCode::SEE_OTHER, "/ghi-nhan/so-lieu")
    );

    // Tiếp công dân.
    let base = "/ghi-nhan/tiep-cong-dan";
    let r = with(&reception_form(u), "note", "");
    // The last is refused by the record's own rule, in the store: still
    // next to the field.
    let id = refuses_then_saves(
        &env,
        base,
        &r,
        &[
            ("received_on", "31/02/2026", BAD_DATE),
            ("turns", "hai", "«hai» không phải số nguyên"),
            ("persons", "1", "số người (1) không thể ít hơn số lượt (2)"),
        ],
    )
    .await;
    assert!(env.page(base).await.contains("Nguyễn Thị Lan"));
    let detail = env.page(&format!("{base}/{id}")).await;
    assert!(detail.contains("15/09/2025") && detail.contains("định kỳ"));
    assert!(table(&detail, "history").contains(">tạo mới<"));

    // Hòa giải.
    let base = "/ghi-nhan/hoa-giai";
    let m = [
        ("unit_id", u),
        ("received_on", "02/10/2025"),
        ("team", "Tổ hòa giải thôn Liêng Trang"),
        ("field", "land"),
        ("result", "success"),
        ("summary", "Tranh chấp ranh giới đất"),
    ];
    let id = refuses_then_saves(
        &env,
        base,
        &m,
        &[
            ("received_on", "31/02/2026", BAD_DATE),
            ("received_on", "01/01/2099", "ở tương lai"),
            ("team", "", "chưa nhập tổ hòa giải"),
        ],
    )
    .await;
    listed(&env, base, "Tổ hòa giải thôn Liêng Trang").await;
    assert!(env.page(&format!("{base}/{id}")).await.contains("tạo mới"));

    // Đối thoại, tiếp xúc cử tri, with opinions and a later follow-up.
    let base = "/ghi-nhan/hoi-nghi";
    let mt = [
        ("unit_id", u),
        ("kind", "voter_contact"),
        ("held_on", "20/10/2025"),
        ("chair", ""),
        ("deputies", "Đại biểu HĐND tỉnh Lâm Đồng"),
        ("participants", "45"),
        ("subject", "Tiếp xúc cử tri trước kỳ họp"),
        ("opinion_1", "Sửa đường liên thôn"),
        ("follow_up_1", "answered_at_meeting"),
        ("opinion_2", "Nước sạch cho thôn 3"),
        ("follow_up_2", "pending"),
    ];
    let id = refuses_then_saves(
        &env,
        base,
        &mt,
        &[
            ("participants", "nhiều", "«nhiều» không phải số nguyên"),
            ("held_on", "31/02/2026", BAD_DATE),
            ("deputies", "", "phải ghi đại biểu dự"),
        ],
    )
    .await;
    listed(&env, base, "Tiếp xúc cử tri trước kỳ họp").await;
    let opinions = table(&env.page(&format!("{base}/{id}")).await, "opinions");
    assert!(opinions.contains("Nước sạch cho thôn 3") && opinions.contains(">đang chờ<"));
    let a = env
        .post(
            &format!("{base}/{id}/y-kien"),
            &[("index", "1"), ("follow_up", "answered_in_writing")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let detail = env.page(&format!("{base}/{id}")).await;
    let opinions = table(&detail, "opinions");
    assert!(opinions.contains(">trả lời bằng văn bản sau<") && !opinions.contains(">đang chờ<"));
    let history = table(&detail, "history");
    assert!(history.contains(">sửa<") && history.contains(">tạo mới<"));

    // Mô hình "Dân vận khéo" with its year, then a second year.
    let base = "/ghi-nhan/mo-hinh";
    let md = [
        ("unit_id", u),
        ("name", "Dân vận khéo trong xây dựng nông thôn mới"),
        ("level", "grassroots"),
        ("field", "economy"),
        ("year", "2025"),
        ("recorded_on", "01/09/2025"),
        ("status", "new"),
        ("recognised", "1"),
        ("award", ""),
    ];
    let id = refuses_then_saves(
        &env,
        base,
        &md,
        &[
            ("year", "hai nghìn", "không phải số nguyên"),
            (
                "recorded_on",
                "01/09/2024",
                "ngày ghi nhận 01/09/2024 không thuộc năm 2025",
            ),
        ],
    )
    .await;
    listed(&env, base, "Dân vận khéo trong xây dựng nông thôn mới").await;
    let year_uri = format!("{base}/{id}/nam");
    let year = [
        ("year", "2026"),
        ("recorded_on", "02/02/2026"),
        ("status", "replicated"),
        ("award", "Giấy khen UBND xã"),
    ];
    let a = env
        .post(&year_uri, &with(&year, "recorded_on", "31/02/2026"))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.error_at("recorded_on").contains(BAD_DATE));
    let a = env.post(&year_uri, &year).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let detail = env.page(&format!("{base}/{id}")).await;
    assert!(detail.contains("nhân rộng") && detail.contains("Giấy khen UBND xã"));

    // Giám sát, phản biện.
    let base = "/ghi-nhan/giam-sat";
    let o = [
        ("unit_id", u),
        ("organisation", "women"),
        ("kind", "supervision"),
        ("held_on", "05/11/2025"),
        ("subject", "Việc thực hiện chính sách hỗ trợ hộ nghèo"),
        ("targets", "UBND xã"),
        ("recommendations", "3"),
    ];
    let id = refuses_then_saves(
        &env,
        base,
        &o,
        &[
            (
                "recommendations",
                "-1",
                "«-1» không phải số nguyên không âm",
            ),
            ("held_on", "31/02/2026", BAD_DATE),
        ],
    )
    .await;
    listed(&env, base, "Việc thực hiện chính sách hỗ trợ hộ nghèo").await;
    assert!(
        env.page(&format!("{base}/{id}"))
            .await
            .contains("Hội Liên hiệp Phụ nữ")
    );

    // Văn bản chỉ đạo, found without diacritics.
    let base = "/ghi-nhan/van-ban";
    let d = [
        ("unit_id", u),
        ("number", "57/KH-UBND"),
        ("issued_on", "10/08/2025"),
        ("issuer", "UBND xã Đam Rông 1"),
        (
            "title",
            "Kế hoạch thực hiện phong trào thi đua Dân vận khéo",
        ),
    ];
    let id = refuses_then_saves(
        &env,
        base,
        &d,
        &[
            ("number", "KH-UBND", "số, ký hiệu «KH-UBND» không đúng dạng"),
            ("issued_on", "31/02/2026", BAD_DATE),
        ],
    )
    .await;
    let found = env.page(&format!("{base}?q=dan+van+kheo")).await;
    assert!(found.contains("57/KH-UBND"), "{found}");
    let none = env.page(&format!("{base}?q=hoa+giai")).await;
    assert!(!none.contains("57/KH-UBND"));
    assert!(env.page(&format!("{base}/{id}")).await.contains("tạo mới"));
    // The same number again: refused next to the number, by the store.
    let a = env.refused(base, &d).await;
    assert!(a.error_at("number").contains("đã có trong sổ"));

    env.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_values_are_entered_per_set_unit_and_period() {
    let env = Pages::new("data").await;
    let none = env.page("/ghi-nhan/so-lieu").await;
    assert!(none.contains("Chưa có bộ chỉ tiêu nào"));
    let recovered = DataElement {
        value_type: ValueType::Decimal,
        options: vec![ElementOption {
            code: "budget".into(),
            label: "nộp ngân sách".into(),
        }],
        scale: 1,
        ..seed::counted_element("recovered", "Số tiền thu hồi", "triệu đồng")
    };
    let set = DataSet {
        code: "inspection".into(),
        name: "Thanh tra".into(),
        period_type: PeriodType::Year,
        elements: vec!["inspections".into(), "recovered".into()],
    };
    let inspections = seed::counted_element("inspections", "Số cuộc thanh tra", "cuộc");
    seed::define_data(&env.store, &[inspections, recovered], &set).await;
    let unit = env.commune.to_string();
    let form = env.page("/ghi-nhan/so-lieu/moi?bo=inspection").await;
    assert!(form.contains("name=\"v.recovered.budget\""), "{form}");
    let good = [
        ("bo", "inspection"),
        ("unit_id", unit.as_str()),
        ("period", "2026"),
        ("v.inspections", "12"),
        ("v.recovered.budget", "1.234,5"),
    ];
    let a = env
        .refused("/ghi-nhan/so-lieu", &with(&good, "v.inspections", "3,5"))
        .await;
    assert!(
        a.error_at("v.inspections")
            .contains("giá trị «3,5» của chỉ tiêu «Số cuộc thanh tra» không hợp lệ")
    );
    let a = env
        .refused("/ghi-nhan/so-lieu", &with(&good, "period", "2026-H1"))
        .await;
    assert!(a.error_at("period").contains("không phải kỳ năm"));
    let stored = datasets::value(&env.store, env.commune, "inspections", "2026", "")
        .await
        .unwrap();
    assert_eq!(stored, None, "nothing saved");
    let a = env.post("/ghi-nhan/so-lieu", &good).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let detail = env.page(&a.location).await;
    assert!(detail.contains("1.234,5") && detail.contains("nộp ngân sách"));
    assert!(detail.contains("tạo mới"), "history: {detail}");
    let list = env.page("/ghi-nhan/so-lieu?bo=inspection").await;
    assert!(list.contains(&a.location), "{list}");
    // Another commune's official does not see this entry.
    let theirs = env.get_as(&env.other, &a.location).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    env.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_with_a_bad_row_writes_nothing() {
    let env = Pages::new("import").await;
    assert!(
        env.page("/nhap-tep")
            .await
            .contains("enctype=\"multipart/form-data\"")
    );
    let header = "unit,received_on,official,position,kind,content,outcome,turns,persons,delegations,delegation_persons,note";
    let bad = format!(
        "{header}\n24886-2025,15/09/2025,Nguyễn Văn Hùng,,định kỳ,khiếu nại,hướng dẫn,1,2,0,0,\n\
         24886-2025,31/02/2026,Nguyễn Văn Hùng,,định kỳ,khiếu nại,hướng dẫn,1,2,0,0,\n"
    );
    let a = env.upload("receptions", "tiep-dan.csv", &bad).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let job = a.location.clone();
    let page = env.finished_job(&job).await;
    assert!(page.contains("không ghi dữ liệu nào"), "{page}");
    assert!(page.contains("Dòng 3"), "{page}");
    assert_eq!(
        reception::list(&env.store, None, 10).await.unwrap().len(),
        0,
        "nothing written"
    );
    // Only its starter sees the job.
    assert_eq!(
        env.get_as(&env.other, &job).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(env.get("/nhap-tep/999").await.status, StatusCode::NOT_FOUND);

    let good = format!(
        "{header}\n24886-2025,15/09/2025,Nguyễn Văn Hùng,,định kỳ,khiếu nại,hướng dẫn,1,2,0,0,\n\
         Đam Rông 1,16/09/2025,Nguyễn Văn Hùng,,thường xuyên,kiến nghị,giải thích,2,2,0,0,\n"
    );
    let a = env.upload("receptions", "tiep-dan.csv", &good).await;
    let page = env.finished_job(&a.location).await;
    assert!(page.contains("Đã nhập 2 lượt tiếp công dân"), "{page}");
    assert_eq!(
        reception::list(&env.store, None, 10).await.unwrap().len(),
        2
    );
    assert!(env.page("/nhap-tep").await.contains("tiep-dan.csv"));

    // A file of another commune's records is refused by the store: the
    // official's scope applies to imports too.
    let theirs = format!(
        "{header}\n24853-2025,15/09/2025,Lê Văn An,,định kỳ,khiếu nại,hướng dẫn,1,1,0,0,\n"
    );
    let a = env.upload("receptions", "xa-khac.csv", &theirs).await;
    let page = env.finished_job(&a.location).await;
    assert!(page.contains("không ghi dữ liệu nào"), "{page}");
    assert_eq!(
        reception::list(&env.store, None, 10).await.unwrap().len(),
        2
    );

    // No type chosen, or no file: the form again, with the reason.
    let a = env.upload("", "x.csv", &good).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("chưa chọn loại dữ liệu"));
    env.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_communes_official_gets_not_found() {
    let env = Pages::new("scope").await;
    let unit = env.commune.to_string();
    let u = unit.as_str();
    let saved = [
        (
            "/ghi-nhan/tiep-cong-dan",
            vec![
                ("unit_id", u),
                ("received_on", "15/09/2025"),
                ("kind", "regular"),
                ("content", "reflection"),
                ("outcome", "explained"),
                ("turns", "1"),
                ("persons", "1"),
            ],
        ),
        (
            "/ghi-nhan/hoa-giai",
            vec![
                ("unit_id", u),
                ("received_on", "02/10/2025"),
                ("team", "Tổ hòa giải thôn 1"),
                ("field", "family"),
                ("result", "in_progress"),
            ],
        ),
        (
            "/ghi-nhan/hoi-nghi",
            vec![
                ("unit_id", u),
                ("kind", "dialogue"),
                ("held_on", "20/10/2025"),
                ("chair", "Chủ tịch UBND xã"),
                ("participants", "60"),
            ],
        ),
        (
            "/ghi-nhan/mo-hinh",
            vec![
                ("unit_id", u),
                ("name", "Mô hình thôn"),
                ("level", "grassroots"),
                ("field", "culture_society"),
                ("year", "2025"),
                ("recorded_on", "01/09/2025"),
                ("status", "new"),
            ],
        ),
        (
            "/ghi-nhan/giam-sat",
            vec![
                ("unit_id", u),
                ("organisation", "front"),
                ("kind", "criticism"),
                ("held_on", "05/11/2025"),
                ("subject", "Dự thảo quy hoạch"),
            ],
        ),
        (
            "/ghi-nhan/van-ban",
            vec![
                ("unit_id", u),
                ("number", "12/KH-UBND"),
                ("issued_on", "10/08/2025"),
                ("title", "Kế hoạch tiếp công dân"),
            ],
        ),
    ];
    for (base, fields) in &saved {
        let id = env.post(base, fields).await.saved_id();
        let uri = format!("{base}/{id}");
        assert_eq!(env.get(&uri).await.status, StatusCode::OK, "{uri}");
        let theirs = env.get_as(&env.other, &uri).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{uri}");
        // Nor does the record show in their list.
        let list = env.get_as(&env.other, base).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(!list.body.contains(&format!("href=\"{uri}\"")), "{base}");
        // And a unit outside their subtree cannot be asked for.
        let outside = env
            .get_as(&env.other, &format!("{base}?don_vi={}", env.commune))
            .await;
        assert_eq!(outside.status, StatusCode::NOT_FOUND, "{base}");
    }
    // A record saved for another commune is refused by the store.
    let other_unit = units::find(&env.store, "24853-2025", None)
        .await
        .unwrap()
        .id
        .to_string();
    let a = env
        .post(
            "/ghi-nhan/hoa-giai",
            &with(&saved[1].1, "unit_id", &other_unit),
        )
        .await;
    assert_ne!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        mediation::list(&env.store, None, 10).await.unwrap().len(),
        1
    );
    env.close().await;
}

#[tokio::test]
async fn the_report_builder_keeps_the_written_sections_as_a_draft() {
    let env = Pages::new("draft").await;
    let q = format!("/bao-cao?don_vi={}&ky=2025", env.commune);
    let text = "Nhân dân đồng thuận cao; #mô hình [Dân vận khéo] *nổi bật*.";
    let a = env.post(&q, &[("uu_diem", text), ("han_che", "  ")]).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(a.body.contains("Đã lưu bản nháp"), "{}", a.body);
    // Opened again later, the builder and the file carry the text.
    assert!(env.page(&q).await.contains(text));
    let file = env
        .page(&format!(
            "/bao-cao/tai?don_vi={}&ky=2025&dinh_dang=txt",
            env.commune
        ))
        .await;
    assert!(file.contains(text), "{file}");
    // Another period does not.
    assert!(
        !env.page(&format!("/bao-cao?don_vi={}&ky=2024", env.commune))
            .await
            .contains(text)
    );
    // Another commune's official sees neither the builder nor the draft.
    let other = env.get_as(&env.other, &q).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.body);
    assert!(!other.body.contains(text));
    env.close().await;
}

#[tokio::test]
async fn a_national_administrator_defines_elements_and_sets_on_their_pages() {
    let env = Pages::new("definitions").await;
    let admin = web::national_admin(&env.store, "quan.tri").await;
    let post = |uri: &'static str, fields: Vec<(&'static str, &'static str)>| {
        let admin = &admin;
        let env = &env;
        async move { env.post_as(admin, uri, &fields).await }
    };
    let element = vec![
        ("code", "so_hoi_vien"),
        ("label", "Số hội viên mới"),
        ("measure", "người"),
        ("value_type", "integer"),
        ("scale", "0"),
        ("aggregation", "sum"),
    ];
    // A malformed option line: 422, the message next to the field, nothing defined.
    let mut bad = element.clone();
    bad.push(("options", "nam = Nam\nnữ không có dấu bằng"));
    let a = post("/ghi-nhan/chi-tieu", bad).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(a.body.contains("dòng 2 của phân tổ"), "{}", a.body);
    assert!(datasets::elements(&env.store).await.unwrap().is_empty());

    let mut good = element.clone();
    good.push(("options", "nam = Nam\nnu = Nữ"));
    let a = post("/ghi-nhan/chi-tieu", good).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let list = env.get_as(&admin, "/ghi-nhan/chi-tieu").await;
    assert!(list.body.contains("Số hội viên mới"), "{}", list.body);
    assert!(list.body.contains("Nam; Nữ"), "{}", list.body);

    // A set naming an element that does not exist is refused.
    let set = |elements| {
        vec![
            ("code", "hoi_vien"),
            ("name", "Phát triển hội viên"),
            ("period_type", "half"),
            ("elements", elements),
        ]
    };
    let a = post("/ghi-nhan/bo-chi-tieu", set("so_hoi_vien, khong_co")).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(a.body.contains("khong_co"), "{}", a.body);
    let a = post("/ghi-nhan/bo-chi-tieu", set("so_hoi_vien")).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    // The commune's officer reads the set but may not define one.
    assert!(
        env.page("/ghi-nhan/bo-chi-tieu")
            .await
            .contains("Phát triển hội viên")
    );
    let refused = env
        .post(
            "/ghi-nhan/chi-tieu",
            &[
                ("code", "rieng"),
                ("label", "Riêng"),
                ("value_type", "integer"),
                ("aggregation", "sum"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(datasets::elements(&env.store).await.unwrap().len(), 1);

    // The national administrator may report on the whole country; the
    // commune's officer may not.
    let builder = env.get_as(&admin, "/bao-cao").await;
    assert!(
        builder.body.contains("<option value=\"0\""),
        "{}",
        builder.body
    );
    let country = env.get_as(&admin, "/bao-cao?don_vi=0&ky=2025").await;
    assert_eq!(country.status, StatusCode::OK, "{}", country.body);
    assert!(
        country
            .body
            .contains("Kết quả thực hiện công tác dân vận chính quyền năm 2025"),
        "{}",
        country.body
    );
    assert!(!country.body.contains("report-error"), "{}", country.body);
    let refused = env.get("/bao-cao?don_vi=0&ky=2025").await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "{}", refused.body);
    env.close().await;
}

#[tokio::test]
async fn a_unit_sets_its_issuing_body_and_the_report_is_issued_by_it() {
    let env = Pages::new("issuers").await;
    let page = format!("/co-quan-ban-hanh?don_vi={}", env.commune);
    let p = env.page(&page).await;
    assert!(
        p.contains("TM. ỦY BAN NHÂN DÂN") && p.contains("mặc định"),
        "{p}"
    );
    // A vice-chairman signs for the commune.
    let unit = env.commune.to_string();
    let fields = [
        ("don_vi", unit.as_str()),
        ("ma", "ubnd"),
        ("loai", "ubnd"),
        ("ten", "Ủy ban nhân dân xã thử"),
        ("tieu_de", "ỦY BAN NHÂN DÂN\nXÃ THỬ"),
        ("ky_hieu", "BC-UBND"),
        ("tham_quyen", "KT. CHỦ TỊCH"),
        ("chuc_danh", "PHÓ CHỦ TỊCH"),
        ("nguoi_ky", "Trần Thị Hoa"),
        ("noi_nhan", "UBND huyện;\nLưu: VT."),
    ];
    let a = env.post("/co-quan-ban-hanh", &fields).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(a.body.contains("Đã lưu cơ quan ban hành"), "{}", a.body);
    // A signing formula of no known kind is refused, by name, and nothing changes.
    let mut bad = fields.to_vec();
    bad[6] = ("tham_quyen", "Thay mặt");
    let a = env.post("/co-quan-ban-hanh", &bad).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(a.body.contains("thẩm quyền ký"), "{}", a.body);
    assert!(env.page(&page).await.contains("KT. CHỦ TỊCH"));
    // The report: number, date and the request it answers.
    let q = format!(
        "/bao-cao?don_vi={}&ky=2025&so=15&ngay=20/06/2025&can_cu={}",
        env.commune, "C%C3%B4ng+v%C4%83n+s%E1%BB%91+38-CV%2FUBND"
    );
    let p = env.page(&q).await;
    assert!(
        p.contains("Thực hiện Công văn số 38-CV/UBND, Ủy ban nhân dân xã thử báo cáo như sau:"),
        "{p}"
    );
    let file = env
        .page(&format!(
            "/bao-cao/tai?don_vi={}&ky=2025&so=15&ngay=20/06/2025&dinh_dang=docx",
            env.commune
        ))
        .await;
    assert!(!file.is_empty());
    let a = env
        .get(&format!(
            "/bao-cao?don_vi={}&ky=2025&ngay=31/02/2025",
            env.commune
        ))
        .await;
    assert!(
        a.body.contains("ngày văn bản «31/02/2025» không hợp lệ"),
        "{}",
        a.body
    );
    // Another commune's official can neither read nor change them.
    let other = env.get_as(&env.other, &page).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let a = env.post_as(&env.other, "/co-quan-ban-hanh", &fields).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
    env.close().await;
}
