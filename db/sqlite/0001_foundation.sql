-- SQLite: INTEGER PRIMARY KEY is the rowid; instants and dates are ISO-8601 text (UTC instants).
-- Organizations form a tree: province → city → county bureau → handling units.
-- path holds the ids from the root ("/1/2/3/"), so a subtree is one prefix match.
CREATE TABLE organizations (
    id        INTEGER PRIMARY KEY,
    parent_id bigint       NULL REFERENCES organizations (id),
    code      varchar(32)  NOT NULL UNIQUE,
    name      varchar(200) NOT NULL,
    kind      varchar(16)  NOT NULL,
    path      varchar(400) NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    user_name       varchar(64)  NOT NULL UNIQUE,
    display_name    varchar(100) NOT NULL,
    password_hash   varchar(200) NOT NULL,
    organization_id bigint       NOT NULL REFERENCES organizations (id),
    disabled        integer      NOT NULL DEFAULT 0,
    created_at      text         NOT NULL
);

CREATE TABLE user_roles (
    user_id bigint      NOT NULL REFERENCES users (id),
    role    varchar(16) NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- One row per bureau and year; incremented inside the registering transaction, so numbers have no gaps.
CREATE TABLE case_number_counters (
    bureau_id  bigint  NOT NULL REFERENCES organizations (id),
    case_year  integer NOT NULL,
    last_value bigint  NOT NULL,
    PRIMARY KEY (bureau_id, case_year)
);

CREATE TABLE petitions (
    id               INTEGER PRIMARY KEY,
    case_number      varchar(40)  NOT NULL UNIQUE,
    bureau_id        bigint       NOT NULL REFERENCES organizations (id),
    bureau_path      varchar(400) NOT NULL,
    channel          varchar(16)  NOT NULL,
    category         varchar(16)  NOT NULL,
    stage            varchar(32)  NOT NULL,
    subject          varchar(200) NOT NULL,
    content          text         NOT NULL,
    people_count     integer      NOT NULL,
    involved_unit    varchar(200) NULL,
    involved_officer varchar(100) NULL,
    received_at      text         NOT NULL,
    registered_at    text         NOT NULL,
    registered_by    bigint       NULL REFERENCES users (id),
    query_code_hash  varchar(64)  NOT NULL,
    version          integer      NOT NULL DEFAULT 1
);
CREATE INDEX ix_petitions_bureau_path ON petitions (bureau_path, received_at);

-- The petitioner (ordinal 0) and any representatives of a group visit. ID numbers are stored encrypted,
-- with a keyed hash beside them for matching the same person across petitions.
CREATE TABLE petition_people (
    id               INTEGER PRIMARY KEY,
    petition_id      bigint       NOT NULL REFERENCES petitions (id),
    ordinal          integer      NOT NULL,
    role             varchar(16)  NOT NULL,
    name             varchar(100) NOT NULL,
    id_number_cipher varchar(200) NULL,
    id_number_hash   varchar(64)  NULL,
    phone            varchar(32)  NULL,
    address          varchar(300) NULL,
    UNIQUE (petition_id, ordinal)
);
CREATE INDEX ix_petition_people_id_number_hash ON petition_people (id_number_hash);
CREATE INDEX ix_petition_people_phone ON petition_people (phone);

-- The history of a petition: every action, who did it, and whether the petitioner's timeline shows it.
CREATE TABLE petition_events (
    id                    INTEGER PRIMARY KEY,
    petition_id           bigint       NOT NULL REFERENCES petitions (id),
    occurred_at           text         NOT NULL,
    action                varchar(40)  NOT NULL,
    stage                 varchar(32)  NOT NULL,
    actor_user_id         bigint       NULL REFERENCES users (id),
    actor_organization_id bigint       NULL REFERENCES organizations (id),
    comment               varchar(2000) NULL,
    is_public             integer      NOT NULL
);
CREATE INDEX ix_petition_events_petition ON petition_events (petition_id, occurred_at);

-- Deadlines are rows, written in the same transaction as the action that starts them.
CREATE TABLE clocks (
    id          INTEGER PRIMARY KEY,
    petition_id bigint      NOT NULL REFERENCES petitions (id),
    kind        varchar(32) NOT NULL,
    started_on  text        NOT NULL,
    due_on      text        NOT NULL,
    provisional integer     NOT NULL,
    state       varchar(16) NOT NULL
);
CREATE INDEX ix_clocks_petition ON clocks (petition_id);
CREATE INDEX ix_clocks_state_due ON clocks (state, due_on);

-- A retried request with the same Idempotency-Key gets the first answer. The stored answer may hold a query
-- code, so it is encrypted like personal data.
CREATE TABLE idempotency_keys (
    scope            varchar(100) NOT NULL,
    idempotency_key  varchar(100) NOT NULL,
    request_hash     varchar(64)  NOT NULL,
    response_cipher  text         NOT NULL,
    created_at       text         NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);

-- Append-only: who did what, when, and how it ended. Never personal data.
CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    occurred_at     text         NOT NULL,
    user_id         bigint       NULL,
    organization_id bigint       NULL,
    action          varchar(100) NOT NULL,
    case_number     varchar(40)  NULL,
    outcome         varchar(40)  NOT NULL
);
CREATE INDEX ix_audit_log_occurred ON audit_log (occurred_at);
