-- Same meaning as migrations/sqlite/0019.
CREATE TABLE issuing_body (
    unit_id BIGINT NOT NULL,
    province_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by BIGINT,
    PRIMARY KEY (province_id, unit_id, code)
);
