-- Yearly scoring and classification of dân vận work (đánh giá, phân loại):
-- a unit opens a round for a year on a criteria sheet (kept as data in
-- the binary, named here by id and version) for units below it; each of
-- them assesses itself, the opening unit reviews, adjusts with a reason
-- and approves. An approved result is frozen: the points, the grade and
-- the figures they were computed from.

CREATE TABLE score_round (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    -- The unit that opens the round and reviews.
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    year INTEGER NOT NULL,
    sheet TEXT NOT NULL,
    sheet_version INTEGER NOT NULL,
    -- Scored on a sheet not yet in force that year (chấm thử).
    trial BOOLEAN NOT NULL,
    title TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by INTEGER
);
CREATE INDEX score_round_unit ON score_round (unit_id);

-- The units scored, fixed when the round opens.
CREATE TABLE score_round_target (
    round_id INTEGER NOT NULL REFERENCES score_round (id),
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    PRIMARY KEY (round_id, unit_id)
);
CREATE INDEX score_round_target_unit ON score_round_target (unit_id);

-- One version of one unit's assessment. A re-score after approval is a
-- new version with its reason; the earlier one stays as it was frozen.
CREATE TABLE score_assessment (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES score_round (id),
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    version INTEGER NOT NULL,
    -- self_assessing | submitted | approved | superseded
    status TEXT NOT NULL,
    -- Every item's answer (JSON): the figure of an automatic item, the
    -- value and evidence of a manual one, the reviewer's adjustment and
    -- its reason.
    answers TEXT NOT NULL,
    -- The frozen result (JSON) once approved, with its total and grade.
    result TEXT,
    total INTEGER,
    grade TEXT,
    -- Why this version was made (a re-score).
    reason TEXT,
    created_at TIMESTAMP NOT NULL,
    created_by INTEGER,
    submitted_at TIMESTAMP,
    submitted_by INTEGER,
    approved_at TIMESTAMP,
    approved_by INTEGER,
    UNIQUE (round_id, unit_id, version)
);
CREATE INDEX score_assessment_unit ON score_assessment (unit_id);

-- A file attached as evidence to an item (base64 with its SHA-256).
CREATE TABLE score_attachment (
    id INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES score_assessment (id),
    province_id INTEGER NOT NULL,
    item TEXT NOT NULL,
    name TEXT NOT NULL,
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by INTEGER
);
CREATE INDEX score_attachment_assessment ON score_attachment (assessment_id);
