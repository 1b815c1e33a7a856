-- SQL Server: ALTER TABLE ... ADD without COLUMN; nvarchar, datetimeoffset and bit as in 0001. A batch is
-- compiled before it runs, so statements that use the new columns follow a GO.
-- The workflow: the definition version a petition runs on, who decides it now, and the state its rules read.
ALTER TABLE petitions ADD workflow_version integer NOT NULL DEFAULT 1;
ALTER TABLE petitions ADD review_level nvarchar(16) NOT NULL DEFAULT 'handling';
ALTER TABLE petitions ADD handling_org_id bigint NULL REFERENCES organizations (id);
ALTER TABLE petitions ADD assigned_unit_id bigint NULL REFERENCES organizations (id);
ALTER TABLE petitions ADD involved_unit_id bigint NULL REFERENCES organizations (id);
ALTER TABLE petitions ADD requested_extension_days integer NULL;
ALTER TABLE petitions ADD granted_extension_days integer NOT NULL DEFAULT 0;
ALTER TABLE petitions ADD served_on date NULL;
ALTER TABLE petitions ADD opinion_outcome nvarchar(32) NULL;
ALTER TABLE petitions ADD opinion_text nvarchar(max) NULL;
ALTER TABLE petitions ADD satisfaction nvarchar(32) NULL;
ALTER TABLE petitions ADD evaluated_at datetimeoffset(3) NULL;
ALTER TABLE petitions ADD first_petition bit NOT NULL DEFAULT 1;
GO
UPDATE petitions SET handling_org_id = bureau_id;
CREATE INDEX ix_petitions_assigned_unit ON petitions (assigned_unit_id, stage);
CREATE INDEX ix_petitions_handling_org ON petitions (handling_org_id, stage);

-- A hearing pauses a clock; an approved extension adds days to it.
ALTER TABLE clocks ADD paused_on date NULL;
ALTER TABLE clocks ADD paused_days integer NOT NULL DEFAULT 0;
ALTER TABLE clocks ADD extra_days integer NOT NULL DEFAULT 0;
ALTER TABLE clocks ADD stopped_on date NULL;
GO

-- Every writing the petitioner is owed: kind, when, and what it states (JSON), rendered as a printable page.
CREATE TABLE notices (
    id          bigint IDENTITY(1,1) PRIMARY KEY,
    petition_id bigint      NOT NULL REFERENCES petitions (id),
    kind        nvarchar(32) NOT NULL,
    issued_at   datetimeoffset(3) NOT NULL,
    issued_by   bigint      NULL REFERENCES users (id),
    details     nvarchar(max) NOT NULL
);
CREATE INDEX ix_notices_petition ON notices (petition_id);

-- Referrals to a subordinate bureau and duplicates point at the other petition.
CREATE TABLE petition_links (
    petition_id        bigint      NOT NULL REFERENCES petitions (id),
    linked_petition_id bigint      NOT NULL REFERENCES petitions (id),
    kind               nvarchar(32) NOT NULL,
    PRIMARY KEY (petition_id, linked_petition_id, kind)
);

-- Registration compares a person's newest petitions: the indexes carry the petition, newest first by id.
DROP INDEX ix_petition_people_id_number_hash ON petition_people;
DROP INDEX ix_petition_people_phone ON petition_people;
CREATE INDEX ix_petition_people_id_number_hash ON petition_people (id_number_hash, petition_id);
CREATE INDEX ix_petition_people_phone ON petition_people (phone, petition_id);
