-- SQL Server: nvarchar and datetimeoffset as in 0001.
-- A leader who takes personal charge of a petition (包案).
ALTER TABLE petitions ADD leader_in_charge_id bigint NULL REFERENCES users (id);

-- Supervision orders (督办单): the problem, the requirement, a response due date (a clock of the petition's own),
-- the unit's written response, and the supervisor's closing.
CREATE TABLE supervision_orders (
    id              bigint IDENTITY(1,1) PRIMARY KEY,
    petition_id     bigint        NOT NULL REFERENCES petitions (id),
    issued_by       bigint        NOT NULL REFERENCES users (id),
    issued_at       datetimeoffset(3) NOT NULL,
    problem         nvarchar(2000) NOT NULL,
    requirement     nvarchar(2000) NOT NULL,
    response_due_on date          NOT NULL,
    state           nvarchar(16)   NOT NULL,
    response        nvarchar(4000) NULL,
    responded_by    bigint        NULL REFERENCES users (id),
    responded_at    datetimeoffset(3) NULL,
    closed_by       bigint        NULL REFERENCES users (id),
    closed_at       datetimeoffset(3) NULL
);
CREATE INDEX ix_supervision_orders_petition ON supervision_orders (petition_id);

-- The daily digest: per organization, how many clocks were overdue and near due that morning.
CREATE TABLE supervision_digests (
    digest_on       date    NOT NULL,
    organization_id bigint  NOT NULL REFERENCES organizations (id),
    overdue         integer NOT NULL,
    near_due        integer NOT NULL,
    PRIMARY KEY (digest_on, organization_id)
);
