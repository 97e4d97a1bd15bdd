//! Every closed vocabulary of the records: its codes, as stored and sent
//! through the API, and its Vietnamese labels, as users read them. Held in
//! one place so that a reviewer reads the whole domain's wording together;
//! each record module re-exports its own.

use crate::vocab;

// Đơn thư (petitions)

vocab! {
    /// How the petition arrived (hình thức nhận đơn).
    PetitionChannel, "hình thức nhận đơn" {
        InPerson = "in_person", "trực tiếp";
        Post = "post", "bưu chính";
        /// Forwarded by another body (cơ quan khác chuyển đến).
        Forwarded = "forwarded", "chuyển đến";
        Online = "online", "trực tuyến";
    }
}

vocab! {
    /// Kind of petition (loại đơn).
    PetitionType, "loại đơn" {
        Complaint = "complaint", "khiếu nại";
        Denunciation = "denunciation", "tố cáo";
        /// Kiến nghị, phản ánh: no statutory resolution deadline.
        Recommendation = "recommendation", "kiến nghị, phản ánh";
    }
}

vocab! {
    /// Subject field (lĩnh vực).
    PetitionField, "lĩnh vực" {
        Land = "land", "đất đai";
        Policy = "policy", "chính sách";
        Administration = "administration", "hành chính";
        Justice = "justice", "tư pháp";
        Other = "other", "khác";
    }
}

vocab! {
    /// Why a petition is not eligible for handling (lý do không đủ điều kiện).
    IneligibleReason, "lý do không đủ điều kiện xử lý" {
        Duplicate = "duplicate", "trùng lặp";
        NoAddress = "no_address", "không rõ địa chỉ";
        Unsigned = "unsigned", "không ký tên";
        Impersonation = "impersonation", "mạo danh";
        Anonymous = "anonymous", "nặc danh";
    }
}

vocab! {
    /// What was done with a classified petition (kết quả xử lý đơn).
    Handling, "hình thức xử lý đơn" {
        Transferred = "transferred", "chuyển cơ quan có thẩm quyền";
        Urged = "urged", "đôn đốc cấp dưới";
        Returned = "returned", "trả lại và hướng dẫn";
        /// Thụ lý: within the unit's competence; resolution follows.
        Accepted = "accepted", "thụ lý thuộc thẩm quyền";
        Archived = "archived", "lưu đơn";
    }
}

vocab! {
    /// Outcome of a resolution (kết quả giải quyết).
    Outcome, "kết quả giải quyết" {
        Right = "right", "đúng";
        Wrong = "wrong", "sai";
        PartlyRight = "partly_right", "đúng một phần";
        /// For kiến nghị, phản ánh: settled without a verdict.
        Settled = "settled", "giải quyết xong";
    }
}

vocab! {
    /// Where a petition stands; derived from its fields, never stored.
    PetitionStatus, "trạng thái đơn" {
        Received = "received", "mới tiếp nhận";
        Eligible = "eligible", "đủ điều kiện xử lý, chưa xử lý";
        Ineligible = "ineligible", "không đủ điều kiện xử lý, chưa lưu đơn";
        Transferred = "transferred", "đã chuyển cơ quan có thẩm quyền";
        Urged = "urged", "đã đôn đốc cấp dưới";
        Returned = "returned", "đã trả lại và hướng dẫn";
        Archived = "archived", "đã lưu đơn";
        InResolution = "in_resolution", "đang giải quyết";
        Resolved = "resolved", "đã giải quyết xong";
    }
}

// Tiếp công dân (reception)

vocab! {
    /// Kind of reception (hình thức tiếp).
    ReceptionKind, "hình thức tiếp" {
        /// thường xuyên — by the standing reception office.
        Regular = "regular", "thường xuyên";
        /// định kỳ — scheduled reception by the head of the unit.
        Periodic = "periodic", "định kỳ";
        /// đột xuất — unscheduled.
        Unscheduled = "unscheduled", "đột xuất";
    }
}

vocab! {
    /// What citizens came about (nội dung).
    ReceptionContent, "nội dung tiếp" {
        Complaint = "complaint", "khiếu nại";
        Denunciation = "denunciation", "tố cáo";
        Recommendation = "recommendation", "kiến nghị";
        Reflection = "reflection", "phản ánh";
    }
}

vocab! {
    /// How the reception ended (kết quả).
    ReceptionOutcome, "kết quả tiếp" {
        /// hướng dẫn — guided to the competent body.
        Guided = "guided", "hướng dẫn";
        /// giải thích — explained.
        Explained = "explained", "giải thích";
        /// nhận đơn — a petition was taken in.
        PetitionReceived = "petition_received", "nhận đơn";
    }
}

// Hồ sơ một cửa (one-stop dossiers)

vocab! {
    /// How a dossier reached the one-stop desk (kênh tiếp nhận).
    Channel, "kênh tiếp nhận" {
        /// trực tiếp — handed in at the desk.
        Direct = "direct", "trực tiếp";
        /// trực tuyến — through the public service portal.
        Online = "online", "trực tuyến";
        /// bưu chính — by public postal service.
        Post = "post", "bưu chính";
    }
}

// Hồ sơ một cửa: trạng thái

vocab! {
    /// How a resolved dossier kept its deadline.
    Timeliness, "tiến độ giải quyết" {
        /// trước hạn — resolved before the due date.
        Early = "early", "trước hạn";
        /// đúng hạn — resolved on the due date.
        OnTime = "on_time", "đúng hạn";
        /// quá hạn — resolved after the due date.
        Late = "late", "quá hạn";
    }
}

vocab! {
    /// Where a pending dossier stands against its deadline.
    PendingStatus, "tình trạng hồ sơ đang giải quyết" {
        /// trong hạn — more than [`NEARLY_DUE_DAYS`] days left.
        InTime = "in_time", "trong hạn";
        /// sắp đến hạn — due within [`NEARLY_DUE_DAYS`] days.
        NearlyDue = "nearly_due", "sắp đến hạn";
        /// quá hạn — past the due date, still not resolved.
        Overdue = "overdue", "quá hạn";
    }
}

// Hồ sơ một cửa: chỉ số

vocab! {
    /// How a dossier that fell due ended, for the fallen-due rate.
    DueOutcome, "kết quả hồ sơ đến hạn" {
        /// giải quyết trong hạn — resolved on or before the due date.
        InTime = "in_time", "giải quyết trong hạn";
        /// giải quyết quá hạn.
        Late = "late", "giải quyết quá hạn";
        /// chưa giải quyết.
        Open = "open", "chưa giải quyết";
    }
}

// Hồ sơ một cửa: tỷ lệ

vocab! {
    /// Formula of the on-time rate (tỷ lệ giải quyết đúng hạn).
    OnTimeFormula, "công thức tỷ lệ đúng hạn" {
        /// (trước hạn + đúng hạn) ÷ đã giải quyết — the default (seed 000).
        EarlyOrOnTimeOverResolved = "early_or_on_time_over_resolved", "(trước hạn + đúng hạn) / đã giải quyết";
        /// 100% − quá hạn ÷ tổng số hồ sơ (kỳ trước chuyển sang + tiếp nhận).
        HundredMinusLateOverAll = "hundred_minus_late_over_all", "100% - quá hạn / tổng số hồ sơ";
        /// đúng hạn ÷ hồ sơ đến hạn, không tính hồ sơ rút và trả lại.
        OnTimeOverFallenDue = "on_time_over_fallen_due", "đúng hạn / hồ sơ đến hạn";
    }
}

// Hòa giải ở cơ sở (mediation)

vocab! {
    /// Field of the dispute (lĩnh vực).
    MediationField, "lĩnh vực hòa giải" {
        Land = "land", "đất đai";
        Family = "family", "hôn nhân và gia đình";
        Civil = "civil", "dân sự";
        Neighbourhood = "neighbourhood", "mâu thuẫn trong sinh hoạt";
        Other = "other", "khác";
    }
}

vocab! {
    /// How the mediation ended (kết quả).
    MediationResult, "kết quả hòa giải" {
        /// thành — the parties agreed.
        Success = "success", "thành";
        /// không thành — no agreement.
        Failure = "failure", "không thành";
        /// đang hòa giải — still in progress.
        InProgress = "in_progress", "đang hòa giải";
        /// rút — the request was withdrawn.
        Withdrawn = "withdrawn", "rút";
    }
}

// Đối thoại, tiếp xúc cử tri (meetings)

vocab! {
    /// Kind of meeting.
    MeetingKind, "loại hội nghị" {
        /// đối thoại — the head of a unit with citizens.
        Dialogue = "dialogue", "đối thoại";
        /// tiếp xúc cử tri — deputies with voters.
        VoterContact = "voter_contact", "tiếp xúc cử tri";
    }
}

vocab! {
    /// What became of an opinion (ý kiến, kiến nghị).
    FollowUp, "hướng xử lý ý kiến" {
        /// giải trình tại hội nghị — answered at the meeting.
        AnsweredAtMeeting = "answered_at_meeting", "giải trình tại hội nghị";
        /// trả lời bằng văn bản sau — answered later in writing.
        AnsweredInWriting = "answered_in_writing", "trả lời bằng văn bản sau";
        /// chuyển — passed to the competent body.
        Transferred = "transferred", "chuyển";
        /// đang chờ — not answered yet.
        Pending = "pending", "đang chờ";
    }
}

// Mô hình Dân vận khéo (models)

vocab! {
    /// Level of the model (cấp).
    ModelLevel, "cấp mô hình" {
        Province = "province", "tỉnh";
        District = "district", "huyện";
        Grassroots = "grassroots", "cơ sở";
    }
}

vocab! {
    /// Field of the model (lĩnh vực).
    ModelField, "lĩnh vực mô hình" {
        Economy = "economy", "kinh tế";
        CultureSociety = "culture_society", "văn hóa – xã hội";
        DefenceSecurity = "defence_security", "quốc phòng – an ninh";
        PoliticalSystem = "political_system", "xây dựng hệ thống chính trị";
    }
}

vocab! {
    /// A model's status in a year.
    ModelStatus, "tình trạng mô hình" {
        New = "new", "đăng ký mới";
        Replicated = "replicated", "nhân rộng";
        Maintained = "maintained", "duy trì";
    }
}

// Giám sát, phản biện xã hội (oversight)

vocab! {
    /// The Front or member organisation carrying out the activity.
    Organisation, "tổ chức" {
        Front = "front", "Mặt trận Tổ quốc";
        Women = "women", "Hội Liên hiệp Phụ nữ";
        Farmers = "farmers", "Hội Nông dân";
        Veterans = "veterans", "Hội Cựu chiến binh";
        Youth = "youth", "Đoàn Thanh niên";
        Labour = "labour", "Liên đoàn Lao động";
    }
}

vocab! {
    /// Kind of activity.
    OversightKind, "hình thức" {
        /// giám sát.
        Supervision = "supervision", "giám sát";
        /// phản biện xã hội.
        Criticism = "criticism", "phản biện xã hội";
    }
}

// Bộ số liệu tổng hợp (data sets)

vocab! {
    /// Type of a value.
    ValueType, "kiểu giá trị" {
        Integer = "integer", "số nguyên";
        Decimal = "decimal", "số thập phân";
    }
}

vocab! {
    /// How values of an element combine over units and periods.
    Aggregation, "cách tổng hợp" {
        /// cộng dồn — summed: becomes facts.
        Sum = "sum", "cộng dồn";
        /// giá trị cuối kỳ — the latest value counts (a stock, e.g. members).
        Last = "last", "giá trị cuối kỳ";
        /// không tổng hợp — kept as entered.
        None = "none", "không tổng hợp";
    }
}

vocab! {
    /// Period type of a data set.
    PeriodType, "loại kỳ" {
        Month = "month", "tháng";
        Quarter = "quarter", "quý";
        Half = "half", "6 tháng";
        Year = "year", "năm";
    }
}

// Đánh giá mức độ hài lòng (satisfaction ratings)

vocab! {
    /// The service a citizen rates.
    RatedService, "dịch vụ được đánh giá" {
        /// A one-stop dossier (hồ sơ thủ tục hành chính), rated by its code.
        Dossier = "dossier", "giải quyết thủ tục hành chính";
        /// A reception of citizens (tiếp công dân), rated on a paper form.
        Reception = "reception", "tiếp công dân";
        /// A petition sent through the portal, rated by its tracking code.
        Petition = "petition", "giải quyết phản ánh, kiến nghị";
    }
}

vocab! {
    /// How satisfied the citizen was (mức độ hài lòng).
    Satisfaction, "mức độ hài lòng" {
        VerySatisfied = "very_satisfied", "rất hài lòng";
        Satisfied = "satisfied", "hài lòng";
        NotSatisfied = "not_satisfied", "chưa hài lòng";
    }
}

// Lấy ý kiến Nhân dân (public consultations)

vocab! {
    /// What a consultation asks the people about.
    ConsultationSubject, "nội dung lấy ý kiến" {
        Plan = "plan", "kế hoạch";
        Project = "project", "dự án";
        /// Thu hồi đất, bồi thường, hỗ trợ, tái định cư.
        LandRecovery = "land_recovery", "thu hồi đất";
        Other = "other", "khác";
    }
}

vocab! {
    /// A citizen's answer to a consultation's question.
    Stance, "ý kiến" {
        Agree = "agree", "đồng ý";
        Disagree = "disagree", "không đồng ý";
        Other = "other", "ý kiến khác";
    }
}

vocab! {
    /// How an answer reached the unit.
    AnswerChannel, "hình thức góp ý" {
        Online = "online", "trực tuyến";
        /// Phiếu lấy ý kiến on paper, entered by an official.
        Paper = "paper", "phiếu giấy";
    }
}
