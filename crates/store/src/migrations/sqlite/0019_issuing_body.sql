-- Cơ quan ban hành: the bodies in whose name a unit's reports are issued
-- (UBND, cấp ủy, Ban Dân vận, Mặt trận…), each with its letterhead, document
-- symbol, signer and recipients, kept as JSON of core::issuer::IssuingBody.
-- A unit without rows uses the defaults the report crate derives.
CREATE TABLE issuing_body (
    unit_id BIGINT NOT NULL,
    province_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by BIGINT,
    PRIMARY KEY (province_id, unit_id, code)
);
