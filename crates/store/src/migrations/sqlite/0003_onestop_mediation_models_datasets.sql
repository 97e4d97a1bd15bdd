-- One-stop procedures (thủ tục hành chính): named once, cited by dossiers.
CREATE TABLE onestop_procedure (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
) WITHOUT ROWID;

-- One-stop dossiers (hồ sơ một cửa), keyed by their code so a re-import
-- of the same export is idempotent. Inter-agency dossiers live at the
-- receiving unit only.
CREATE TABLE dossier (
    code TEXT PRIMARY KEY,
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    procedure_code TEXT NOT NULL,
    channel TEXT NOT NULL,
    inter_agency INTEGER NOT NULL,
    received_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    resolved_on TEXT,
    returned_on TEXT,
    withdrawn_on TEXT
) WITHOUT ROWID;

-- Per-province one-stop settings: which on-time rate formula applies.
CREATE TABLE onestop_setting (
    province_id INTEGER PRIMARY KEY,
    on_time_formula TEXT NOT NULL
);

-- Grassroots mediation cases (hòa giải ở cơ sở).
CREATE TABLE mediation_case (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    team TEXT NOT NULL,
    received_on TEXT NOT NULL,
    field TEXT NOT NULL,
    result TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mediation_case_unit_date ON mediation_case (unit_id, received_on);

-- Dialogues with citizens (đối thoại) and voter contacts (tiếp xúc cử tri).
CREATE TABLE meeting (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    chair TEXT NOT NULL DEFAULT '',
    deputies TEXT NOT NULL DEFAULT '',
    participants INTEGER NOT NULL,
    subject TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_unit_date ON meeting (unit_id, held_on);

-- Opinions raised at a meeting, each with its follow-up.
CREATE TABLE meeting_opinion (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    meeting_id INTEGER NOT NULL REFERENCES meeting (id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    follow_up TEXT NOT NULL
);
CREATE INDEX meeting_opinion_meeting ON meeting_opinion (meeting_id);

-- "Dân vận khéo" models and their yearly status.
CREATE TABLE model (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    field TEXT NOT NULL
);
CREATE INDEX model_unit ON model (unit_id);

CREATE TABLE model_year (
    province_id INTEGER NOT NULL,
    model_id INTEGER NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    recorded_on TEXT NOT NULL,
    status TEXT NOT NULL,
    recognised INTEGER NOT NULL,
    award TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (model_id, year)
);

-- Aggregate data (like DHIS2): elements, data sets, values per unit and period.
CREATE TABLE data_element (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    measure TEXT NOT NULL,
    value_type TEXT NOT NULL,
    scale INTEGER NOT NULL,
    aggregation TEXT NOT NULL,
    options TEXT NOT NULL
);

CREATE TABLE data_set (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    period_type TEXT NOT NULL
);

CREATE TABLE data_set_element (
    data_set_id INTEGER NOT NULL REFERENCES data_set (id),
    element_id INTEGER NOT NULL REFERENCES data_element (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (data_set_id, element_id)
);

CREATE TABLE data_value (
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    element_id INTEGER NOT NULL REFERENCES data_element (id),
    period TEXT NOT NULL,
    period_start TEXT NOT NULL,
    option TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (province_id, unit_id, element_id, period, option)
) WITHOUT ROWID;

-- Oversight and social criticism by the Front and its member organisations.
CREATE TABLE oversight (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    organisation TEXT NOT NULL,
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    subject TEXT NOT NULL,
    targets TEXT NOT NULL DEFAULT '',
    recommendations INTEGER NOT NULL
);
CREATE INDEX oversight_unit_date ON oversight (unit_id, held_on);

-- Directive documents; `search_folded` is number, issuer and title without
-- diacritics (core::text::fold), for search on both engines.
CREATE TABLE directive (
    id INTEGER PRIMARY KEY,
    province_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES unit (id),
    number TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    issuer TEXT NOT NULL,
    title TEXT NOT NULL,
    search_folded TEXT NOT NULL,
    UNIQUE (unit_id, number, issued_on)
);
