-- Drafts of a report's qualitative sections (ưu điểm, hạn chế, nguyên
-- nhân, nhiệm vụ…), kept per subject, period and template so a report
-- produced again finds the text its authors wrote. `unit_id` 0 is the whole
-- country (no unit row); `province_id` is the distribution key as for records.
CREATE TABLE report_draft (
    unit_id BIGINT NOT NULL,
    province_id BIGINT NOT NULL,
    period TEXT NOT NULL,
    template TEXT NOT NULL,
    sections TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by BIGINT,
    PRIMARY KEY (province_id, unit_id, period, template)
);
