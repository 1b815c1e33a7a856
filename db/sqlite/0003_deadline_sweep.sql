-- SQLite: dates and instants are ISO-8601 text.
-- The sweep reads only clocks whose next warning is due: near due (amber), then overdue (red).
ALTER TABLE clocks ADD COLUMN next_check_on text NULL;
ALTER TABLE clocks ADD COLUMN warned varchar(16) NULL;
UPDATE clocks SET next_check_on = started_on WHERE state = 'running';
CREATE INDEX ix_clocks_next_check ON clocks (next_check_on);

-- One row per clock and level: whatever runs the sweep, each warning happens once.
CREATE TABLE clock_warnings (
    clock_id  bigint      NOT NULL REFERENCES clocks (id),
    level     varchar(16) NOT NULL,
    warned_at text        NOT NULL,
    PRIMARY KEY (clock_id, level)
);

-- An overdue clock opens an item for the supervision team.
CREATE TABLE supervision_items (
    id          INTEGER PRIMARY KEY,
    petition_id bigint      NOT NULL REFERENCES petitions (id),
    clock_id    bigint      NOT NULL UNIQUE REFERENCES clocks (id),
    opened_at   text        NOT NULL,
    state       varchar(16) NOT NULL,
    closed_at   text        NULL
);
CREATE INDEX ix_supervision_items_petition ON supervision_items (petition_id);

-- Notifications to units and offices, written with the change that causes them and sent afterwards.
CREATE TABLE outbox (
    id                INTEGER PRIMARY KEY,
    created_at        text        NOT NULL,
    kind              varchar(40) NOT NULL,
    petition_id       bigint      NOT NULL REFERENCES petitions (id),
    recipient_org_id  bigint      NOT NULL REFERENCES organizations (id),
    details           text        NOT NULL,
    sent_at           text        NULL,
    attempts          integer     NOT NULL DEFAULT 0
);
CREATE INDEX ix_outbox_unsent ON outbox (sent_at, id);
