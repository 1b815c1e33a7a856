-- SQLite: instants and dates are ISO-8601 text, flags are integers.
-- The workflow: the definition version a petition runs on, who decides it now, and the state its rules read.
ALTER TABLE petitions ADD COLUMN workflow_version integer NOT NULL DEFAULT 1;
ALTER TABLE petitions ADD COLUMN review_level varchar(16) NOT NULL DEFAULT 'handling';
ALTER TABLE petitions ADD COLUMN handling_org_id bigint NULL REFERENCES organizations (id);
ALTER TABLE petitions ADD COLUMN assigned_unit_id bigint NULL REFERENCES organizations (id);
ALTER TABLE petitions ADD COLUMN involved_unit_id bigint NULL REFERENCES organizations (id);
ALTER TABLE petitions ADD COLUMN requested_extension_days integer NULL;
ALTER TABLE petitions ADD COLUMN granted_extension_days integer NOT NULL DEFAULT 0;
ALTER TABLE petitions ADD COLUMN served_on text NULL;
ALTER TABLE petitions ADD COLUMN opinion_outcome varchar(32) NULL;
ALTER TABLE petitions ADD COLUMN opinion_text text NULL;
ALTER TABLE petitions ADD COLUMN satisfaction varchar(32) NULL;
ALTER TABLE petitions ADD COLUMN evaluated_at text NULL;
ALTER TABLE petitions ADD COLUMN first_petition integer NOT NULL DEFAULT 1;
UPDATE petitions SET handling_org_id = bureau_id;
CREATE INDEX ix_petitions_assigned_unit ON petitions (assigned_unit_id, stage);
CREATE INDEX ix_petitions_handling_org ON petitions (handling_org_id, stage);

-- A hearing pauses a clock; an approved extension adds days to it.
ALTER TABLE clocks ADD COLUMN paused_on text NULL;
ALTER TABLE clocks ADD COLUMN paused_days integer NOT NULL DEFAULT 0;
ALTER TABLE clocks ADD COLUMN extra_days integer NOT NULL DEFAULT 0;
ALTER TABLE clocks ADD COLUMN stopped_on text NULL;

-- Every writing the petitioner is owed: kind, when, and what it states (JSON), rendered as a printable page.
CREATE TABLE notices (
    id          INTEGER PRIMARY KEY,
    petition_id bigint      NOT NULL REFERENCES petitions (id),
    kind        varchar(32) NOT NULL,
    issued_at   text        NOT NULL,
    issued_by   bigint      NULL REFERENCES users (id),
    details     text        NOT NULL
);
CREATE INDEX ix_notices_petition ON notices (petition_id);

-- Referrals to a subordinate bureau and duplicates point at the other petition.
CREATE TABLE petition_links (
    petition_id        bigint      NOT NULL REFERENCES petitions (id),
    linked_petition_id bigint      NOT NULL REFERENCES petitions (id),
    kind               varchar(32) NOT NULL,
    PRIMARY KEY (petition_id, linked_petition_id, kind)
);

-- Registration compares a person's newest petitions: the indexes carry the petition, newest first by id.
DROP INDEX ix_petition_people_id_number_hash;
DROP INDEX ix_petition_people_phone;
CREATE INDEX ix_petition_people_id_number_hash ON petition_people (id_number_hash, petition_id);
CREATE INDEX ix_petition_people_phone ON petition_people (phone, petition_id);
