//! The demo's scoring round, through the real program on both engines:
//! `danvan demo` leaves huyện Đam Rông's 2020 round over its eight
//! communes approved; every automatic item holds the figure
//! `GET /api/figures` gives for that commune and 2020; one commune's
//! grade is capped by its disciplined leader although its points are
//! high; changing a 2020 record later moves the figures, not the scores.

mod common;

use common::{Db, Engine, Server, call, danvan, postgres_available, text};
use danvan_core::scoring::ItemKind;
use danvan_store::accounts::{self, NewUser, Role};
use danvan_store::scoring::assessments::{self, Status};
use danvan_store::scoring::rounds;
use danvan_store::{Store, models, units};
use serde_json::Value;

fn get(server: &Server, token: &str, path: &str) -> Value {
    let (status, body) = call(server.addr, token, "GET", path, "").expect("an answer");
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn demo_round(engine: Engine) {
    let db = Db::new(engine, "scoring_demo");
    if engine == Engine::Postgres {
        danvan_testkit::block_on(danvan_store::create_postgres_database(&db.url)).unwrap();
    }
    let o = danvan(&["demo", "--no-serve", "--db", &db.url]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("chấm thử công tác dân vận năm 2020 của 8 xã"),
        "{}",
        text(&o.stdout)
    );
    let (token, round, communes) = danvan_testkit::block_on(async {
        let store = Store::open(&db.url).await.unwrap();
        let admin = accounts::create(
            &store,
            &NewUser {
                username: "quantri".into(),
                full_name: "Quản trị".into(),
                password: "mat-khau-thu".into(),
                role: Role::Admin,
                unit_id: None,
            },
        )
        .await
        .unwrap();
        let token = accounts::create_token(&store, admin.id, "thử")
            .await
            .unwrap();
        let list = rounds::list(&store).await.unwrap();
        let r = list
            .into_iter()
            .find(|r| r.year == 2020)
            .expect("the 2020 round");
        let tree = units::tree(&store).await.unwrap();
        let communes: Vec<(i64, String)> = r
            .targets
            .iter()
            .map(|u| (*u, tree.get(*u).unwrap().code.clone()))
            .collect();
        store.close().await;
        (token, r, communes)
    });
    assert_eq!(communes.len(), 8);
    let server = Server::start(&db.url);
    let scores = get(
        &server,
        &token,
        "/api/scores?unit=674&year=2020&sheet=nd335",
    );
    let scores = scores["scores"].as_array().unwrap().clone();
    assert_eq!(scores.len(), 8, "{scores:?}");
    assert!(
        scores
            .iter()
            .all(|s| s["approved"] == true && s["grade"].is_string())
    );
    let capped: Vec<&Value> = scores.iter().filter(|s| s["capped"].is_string()).collect();
    assert_eq!(capped.len(), 1, "{scores:?}");
    assert!(
        capped[0]["total"].as_i64().unwrap() >= 9000,
        "{:?}",
        capped[0]
    );
    assert_eq!(capped[0]["grade"], "tot");

    let sheet = danvan_core::scoring::by_version(&round.sheet, round.sheet_version).unwrap();
    let frozen = danvan_testkit::block_on(async {
        let store = Store::open(&db.url).await.unwrap();
        let latest = assessments::latest(&store, &round).await.unwrap();
        store.close().await;
        latest
    });
    for (unit, code) in &communes {
        let a = &frozen[unit];
        assert_eq!(a.status, Status::Approved);
        let figures = get(
            &server,
            &token,
            &format!("/api/figures?unit={code}&period=2020"),
        );
        let all = &figures["figures"]["all"];
        for (_, item) in sheet.items() {
            let ItemKind::Auto { indicator, .. } = &item.kind else {
                continue;
            };
            let f = a.answers[&item.code].figure.clone().unwrap();
            let live = &all[indicator];
            match live {
                Value::Number(n) => assert_eq!(
                    (f.num, f.den),
                    (n.as_i64().unwrap(), None),
                    "{code} {indicator}"
                ),
                v => assert_eq!(
                    (Some(f.num), f.den),
                    (v["num"].as_i64(), v["den"].as_i64()),
                    "{code} {indicator}"
                ),
            }
        }
    }
    // A 2020 record changes after approval: the figure moves, the score not.
    let (unit, code) = &communes[0];
    let before = get(&server, &token, "/api/scores?unit=674&year=2020");
    let models_before = get(
        &server,
        &token,
        &format!("/api/figures?unit={code}&period=2020"),
    )["figures"]["all"]["model_recognised"]
        .as_i64()
        .unwrap();
    danvan_testkit::block_on(async {
        let store = Store::open(&db.url).await.unwrap();
        let (m, mut years) = danvan_testkit::seed::model(*unit);
        years[0].year = 2020;
        years[0].recorded_on = chrono::NaiveDate::from_ymd_opt(2020, 10, 20).unwrap();
        years[0].recognised = true;
        models::insert_many(&store, &[(m, years)]).await.unwrap();
        store.close().await;
    });
    let models_after = get(
        &server,
        &token,
        &format!("/api/figures?unit={code}&period=2020"),
    )["figures"]["all"]["model_recognised"]
        .as_i64()
        .unwrap();
    assert_eq!(models_after, models_before + 1);
    assert_eq!(
        get(&server, &token, "/api/scores?unit=674&year=2020"),
        before
    );
}

#[test]
fn the_demo_round_is_approved_and_agrees_with_the_figures_on_sqlite() {
    demo_round(Engine::Sqlite);
}

#[test]
fn the_demo_round_is_approved_and_agrees_with_the_figures_on_postgres() {
    if postgres_available() {
        demo_round(Engine::Postgres);
    }
}
