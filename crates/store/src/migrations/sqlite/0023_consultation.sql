-- Public consultations (lấy ý kiến Nhân dân): the draft put to the people,
-- its synthesis once published, and the answers (one per online answer, a
-- bundle per stance for paper forms), which carry no one's name.
CREATE TABLE consultation (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    version INTEGER NOT NULL DEFAULT 1,
    subject TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    documents TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    forms_issued INTEGER NOT NULL DEFAULT 0,
    synthesis TEXT NOT NULL DEFAULT '',
    synthesis_on TEXT
);
CREATE INDEX consultation_unit_date ON consultation (unit_id, opens_on);

CREATE TABLE consultation_answer (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    consultation_id INTEGER NOT NULL REFERENCES consultation (id),
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    answered_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    stance TEXT NOT NULL,
    count INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consultation_answer_of ON consultation_answer (consultation_id, id);
