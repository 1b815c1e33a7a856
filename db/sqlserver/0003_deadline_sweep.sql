-- SQL Server: the new columns are used after a GO (a batch is compiled before it runs).
-- The sweep reads only clocks whose next warning is due: near due (amber), then overdue (red).
ALTER TABLE clocks ADD next_check_on date NULL;
ALTER TABLE clocks ADD warned nvarchar(16) NULL;
GO
UPDATE clocks SET next_check_on = started_on WHERE state = 'running';
CREATE INDEX ix_clocks_next_check ON clocks (next_check_on);

-- One row per clock and level: whatever runs the sweep, each warning happens once.
CREATE TABLE clock_warnings (
    clock_id  bigint      NOT NULL REFERENCES clocks (id),
    level     nvarchar(16) NOT NULL,
    warned_at datetimeoffset(3) NOT NULL,
    PRIMARY KEY (clock_id, level)
);

-- An overdue clock opens an item for the supervision team.
CREATE TABLE supervision_items (
    id          bigint IDENTITY(1,1) PRIMARY KEY,
    petition_id bigint      NOT NULL REFERENCES petitions (id),
    clock_id    bigint      NOT NULL UNIQUE REFERENCES clocks (id),
    opened_at   datetimeoffset(3) NOT NULL,
    state       nvarchar(16) NOT NULL,
    closed_at   datetimeoffset(3) NULL
);
CREATE INDEX ix_supervision_items_petition ON supervision_items (petition_id);

-- Notifications to units and offices, written with the change that causes them and sent afterwards.
CREATE TABLE outbox (
    id                bigint IDENTITY(1,1) PRIMARY KEY,
    created_at        datetimeoffset(3) NOT NULL,
    kind              nvarchar(40) NOT NULL,
    petition_id       bigint      NOT NULL REFERENCES petitions (id),
    recipient_org_id  bigint      NOT NULL REFERENCES organizations (id),
    details           nvarchar(max) NOT NULL,
    sent_at           datetimeoffset(3) NULL,
    attempts          integer     NOT NULL DEFAULT 0
);
CREATE INDEX ix_outbox_unsent ON outbox (sent_at, id);
