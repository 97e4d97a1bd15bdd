//! Nothing a user relies on lives only in one server's memory: a login
//! session and an import job survive a restart of the server, and a
//! second server on the same database serves the same session, the same
//! jobs and, after a write through the first, fresh dashboard figures.
//! Logging out through one server ends the session on every server.

use axum::http::StatusCode;
use danvan_testkit::web::{Pages, card};

const HEADER: &str = "unit,received_on,official,position,kind,content,outcome,turns,persons,delegations,delegation_persons,note";

fn receptions(n: usize) -> String {
    let mut csv = format!("{HEADER}\n");
    for i in 0..n {
        csv.push_str(&format!(
            "24886-2025,{:02}/09/2025,Nguyễn Văn Hùng,,định kỳ,khiếu nại,hướng dẫn,1,2,0,0,\n",
            10 + i
        ));
    }
    csv
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_and_an_import_job_survive_a_restart() {
    let mut env = Pages::new("restart").await;
    let a = env
        .upload("receptions", "tiep-dan.csv", &receptions(2))
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let job = a.location.clone();
    let before = env.finished_job(&job).await;
    assert!(before.contains("Đã nhập 2 lượt tiếp công dân"), "{before}");

    env.env.restart().await;

    // The cookie issued before the restart still signs in.
    let home = env.get("/").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.location);
    // The job is read back with its outcome, by its starter only.
    let after = env.page(&job).await;
    assert!(after.contains("Đã nhập 2 lượt tiếp công dân"), "{after}");
    assert!(env.page("/nhap-tep").await.contains("tiep-dan.csv"));
    assert_eq!(
        env.get_as(&env.other, &job).await.status,
        StatusCode::NOT_FOUND
    );
    // Logging out still ends the session.
    let out = env.post("/dang-xuat", &[]).await;
    assert_eq!(out.location, "/dang-nhap");
    // An anonymous visitor at `/` is a citizen, led to the portal; a
    // staff page asks for the login again.
    let home = env.get("/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.location, "/cong-dan");
    let gone = env.get("/nhap-tep").await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    assert!(gone.location.starts_with("/dang-nhap"), "{}", gone.location);
    env.env.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_database_share_sessions_jobs_and_fresh_figures() {
    let mut env = Pages::new("two_servers").await;
    let first = env.env.app.clone();
    let second = env.second_server().await;
    let dashboard = "/?ky=2025";

    // Through the second server: the figures before, cached there.
    env.env.app = second.clone();
    let seen = card(&env.page(dashboard).await, "reception_turns");
    assert_eq!(env.page(dashboard).await, env.page(dashboard).await);

    // Through the first: an import.
    env.env.app = first.clone();
    let a = env
        .upload("receptions", "tiep-dan.csv", &receptions(3))
        .await;
    let job = a.location.clone();
    env.finished_job(&job).await;

    // The second server sees the job, and its next dashboard the write.
    env.env.app = second.clone();
    assert!(
        env.page(&job)
            .await
            .contains("Đã nhập 3 lượt tiếp công dân")
    );
    let now = card(&env.page(dashboard).await, "reception_turns");
    assert_ne!(seen, now, "the second server served a stale dashboard");
    assert_eq!(now, "3");

    // A logout through the second ends the session on the first.
    env.post("/dang-xuat", &[]).await;
    env.env.app = first;
    assert_eq!(env.get("/").await.status, StatusCode::SEE_OTHER);
    env.env.close().await;
}
