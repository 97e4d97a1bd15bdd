//! The public portal (cổng công dân): what citizens send online becomes a
//! petition with channel «trực tuyến», written through the petition write
//! path (facts and audit log in the same transaction), followed with a
//! tracking code the citizen keeps; their further messages and files; and
//! officials' answers, the public ones listed on the unit's «Hỏi – đáp».
//!
//! **Secrecy.** Nothing public reads a sender's identity: the tracking
//! page and «Hỏi – đáp» are built here from the petition without its
//! sender, and any text they show has the sender's name, address and phone
//! put out of sight ([`danvan_core::portal::redact`]). Files and messages
//! of a denunciation are for its assigned handlers only, like its sender.

mod answer;
mod files;
pub mod open311;
mod personal;
mod rate;
mod submit;
mod track;

use sha2::{Digest, Sha256};

pub use answer::{Answer, OfficialView, QaItem, answer, official_view, qa};
pub use files::{Attachment, Upload, attachment};
pub use personal::{Consent, Erased, Erasure, PersonalData, erase, erasures, personal_data};
pub use rate::{Rated, rate};
pub use submit::{Receipt, Submission, Via, add_message, submit, submit_via};
pub use track::{Message, Tracking, track};

use crate::Actor;

/// The actor of everything citizens send: no account, the portal itself.
pub fn citizen() -> Actor {
    Actor {
        user_id: None,
        name: "cổng công dân (trực tuyến)".into(),
        role: None,
    }
}

/// The words of the consent a citizen gives, kept with the submission
/// (Nghị định 13/2023/NĐ-CP, art. 11).
pub const CONSENT_TEXT: &str = "Tôi đồng ý để cơ quan nhận ý kiến dùng họ tên, địa chỉ và số \
     điện thoại tôi cung cấp chỉ để xem xét, giải quyết và trả lời ý kiến này, theo Nghị định \
     13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân.";

fn sha256(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// The hash a tracking code is kept and looked up under.
fn code_hash(code: &str) -> String {
    sha256(&format!("danvan-theo-doi:{code}"))
}

const ENTITY: &str = "petition";

fn unknown_code() -> crate::StoreError {
    crate::StoreError::NotFound("ý kiến có mã theo dõi này".into())
}
