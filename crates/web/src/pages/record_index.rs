//! Ghi nhận: where every kind of record is entered, one link per type
//! (and its form, for a role that may write it).

use axum::extract::State;
use axum::response::Response;
use minijinja::context;
use serde::Serialize;

use super::ser;
use crate::auth::Ctx;
use crate::state::AppState;

#[derive(Serialize)]
struct Kind {
    title: &'static str,
    what: &'static str,
    url: &'static str,
    may_write: bool,
}

/// Record types: title, what they hold, list path, entity as roles name it.
const KINDS: [(&str, &str, &str, &str); 10] = [
    (
        "Đơn thư",
        "Khiếu nại, tố cáo, kiến nghị, phản ánh và quá trình xử lý, giải quyết.",
        "/don-thu",
        "petition",
    ),
    (
        "Tiếp công dân",
        "Lượt tiếp thường xuyên, định kỳ, đột xuất; số lượt, số người, đoàn đông người.",
        "/ghi-nhan/tiep-cong-dan",
        "reception",
    ),
    (
        "Hòa giải ở cơ sở",
        "Vụ việc do tổ hòa giải tiếp nhận và kết quả hòa giải.",
        "/ghi-nhan/hoa-giai",
        "mediation",
    ),
    (
        "Đối thoại, tiếp xúc cử tri",
        "Hội nghị đối thoại, tiếp xúc cử tri, ý kiến nêu ra và hướng xử lý.",
        "/ghi-nhan/hoi-nghi",
        "meeting",
    ),
    (
        "Mô hình «Dân vận khéo»",
        "Mô hình, điển hình và kết quả từng năm: đăng ký mới, nhân rộng, duy trì.",
        "/ghi-nhan/mo-hinh",
        "model",
    ),
    (
        "Giám sát, phản biện xã hội",
        "Hoạt động giám sát, phản biện của Mặt trận và các đoàn thể.",
        "/ghi-nhan/giam-sat",
        "oversight",
    ),
    (
        "Văn bản chỉ đạo",
        "Sổ văn bản: số, ký hiệu, ngày ban hành, trích yếu; tìm không cần dấu.",
        "/ghi-nhan/van-ban",
        "directive",
    ),
    (
        "Số liệu tổng hợp",
        "Số liệu nhập theo bộ chỉ tiêu, đơn vị và kỳ.",
        "/ghi-nhan/so-lieu",
        "data_value",
    ),
    (
        "Chỉ tiêu số liệu",
        "Định nghĩa chỉ tiêu: tên, đơn vị tính, kiểu giá trị, cách tổng hợp, phân tổ.",
        "/ghi-nhan/chi-tieu",
        "data_element",
    ),
    (
        "Bộ chỉ tiêu số liệu",
        "Gom các chỉ tiêu nhập cùng nhau theo tháng, quý, 6 tháng hoặc năm.",
        "/ghi-nhan/bo-chi-tieu",
        "data_set",
    ),
];

pub async fn page(State(app): State<AppState>, ctx: Ctx) -> Response {
    let kinds: Vec<Kind> = KINDS
        .iter()
        .map(|&(title, what, url, entity)| Kind {
            title,
            what,
            url,
            may_write: ctx.user.role.may_write(entity),
        })
        .collect();
    super::render(
        &app,
        Some(&ctx),
        "records.html",
        context! { kinds => ser(&kinds) },
    )
}
