-- SQL Server: nvarchar for text (names and content are Chinese), datetimeoffset for instants, bit for flags.
-- Organizations form a tree: province → city → county bureau → handling units.
-- path holds the ids from the root ("/1/2/3/"), so a subtree is one prefix match.
CREATE TABLE organizations (
    id        bigint IDENTITY(1,1) PRIMARY KEY,
    parent_id bigint       NULL REFERENCES organizations (id),
    code      nvarchar(32)  NOT NULL UNIQUE,
    name      nvarchar(200) NOT NULL,
    kind      nvarchar(16)  NOT NULL,
    path      nvarchar(400) NOT NULL
);

CREATE TABLE users (
    id              bigint IDENTITY(1,1) PRIMARY KEY,
    user_name       nvarchar(64)  NOT NULL UNIQUE,
    display_name    nvarchar(100) NOT NULL,
    password_hash   nvarchar(200) NOT NULL,
    organization_id bigint       NOT NULL REFERENCES organizations (id),
    disabled        bit          NOT NULL DEFAULT 0,
    created_at      datetimeoffset(3)  NOT NULL
);

CREATE TABLE user_roles (
    user_id bigint      NOT NULL REFERENCES users (id),
    role    nvarchar(16) NOT NULL,
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
    id               bigint IDENTITY(1,1) PRIMARY KEY,
    case_number      nvarchar(40)  NOT NULL UNIQUE,
    bureau_id        bigint       NOT NULL REFERENCES organizations (id),
    bureau_path      nvarchar(400) NOT NULL,
    channel          nvarchar(16)  NOT NULL,
    category         nvarchar(16)  NOT NULL,
    stage            nvarchar(32)  NOT NULL,
    subject          nvarchar(200) NOT NULL,
    content          nvarchar(max) NOT NULL,
    people_count     integer      NOT NULL,
    involved_unit    nvarchar(200) NULL,
    involved_officer nvarchar(100) NULL,
    received_at      datetimeoffset(3)  NOT NULL,
    registered_at    datetimeoffset(3)  NOT NULL,
    registered_by    bigint       NULL REFERENCES users (id),
    query_code_hash  nvarchar(64)  NOT NULL,
    version          integer      NOT NULL DEFAULT 1
);
CREATE INDEX ix_petitions_bureau_path ON petitions (bureau_path, received_at);

-- The petitioner (ordinal 0) and any representatives of a group visit. ID numbers are stored encrypted,
-- with a keyed hash beside them for matching the same person across petitions.
CREATE TABLE petition_people (
    id               bigint IDENTITY(1,1) PRIMARY KEY,
    petition_id      bigint       NOT NULL REFERENCES petitions (id),
    ordinal          integer      NOT NULL,
    role             nvarchar(16)  NOT NULL,
    name             nvarchar(100) NOT NULL,
    id_number_cipher nvarchar(200) NULL,
    id_number_hash   nvarchar(64)  NULL,
    phone            nvarchar(32)  NULL,
    address          nvarchar(300) NULL,
    UNIQUE (petition_id, ordinal)
);
CREATE INDEX ix_petition_people_id_number_hash ON petition_people (id_number_hash);
CREATE INDEX ix_petition_people_phone ON petition_people (phone);

-- The history of a petition: every action, who did it, and whether the petitioner's timeline shows it.
CREATE TABLE petition_events (
    id                    bigint IDENTITY(1,1) PRIMARY KEY,
    petition_id           bigint       NOT NULL REFERENCES petitions (id),
    occurred_at           datetimeoffset(3)  NOT NULL,
    action                nvarchar(40)  NOT NULL,
    stage                 nvarchar(32)  NOT NULL,
    actor_user_id         bigint       NULL REFERENCES users (id),
    actor_organization_id bigint       NULL REFERENCES organizations (id),
    comment               nvarchar(2000) NULL,
    is_public             bit          NOT NULL
);
CREATE INDEX ix_petition_events_petition ON petition_events (petition_id, occurred_at);

-- Deadlines are rows, written in the same transaction as the action that starts them.
CREATE TABLE clocks (
    id          bigint IDENTITY(1,1) PRIMARY KEY,
    petition_id bigint      NOT NULL REFERENCES petitions (id),
    kind        nvarchar(32) NOT NULL,
    started_on  date        NOT NULL,
    due_on      date        NOT NULL,
    provisional bit         NOT NULL,
    state       nvarchar(16) NOT NULL
);
CREATE INDEX ix_clocks_petition ON clocks (petition_id);
CREATE INDEX ix_clocks_state_due ON clocks (state, due_on);

-- A retried request with the same Idempotency-Key gets the first answer. The stored answer may hold a query
-- code, so it is encrypted like personal data.
CREATE TABLE idempotency_keys (
    scope            nvarchar(100) NOT NULL,
    idempotency_key  nvarchar(100) NOT NULL,
    request_hash     nvarchar(64)  NOT NULL,
    response_cipher  nvarchar(max) NOT NULL,
    created_at       datetimeoffset(3)  NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);

-- Append-only: who did what, when, and how it ended. Never personal data.
CREATE TABLE audit_log (
    id              bigint IDENTITY(1,1) PRIMARY KEY,
    occurred_at     datetimeoffset(3)  NOT NULL,
    user_id         bigint       NULL,
    organization_id bigint       NULL,
    action          nvarchar(100) NOT NULL,
    case_number     nvarchar(40)  NULL,
    outcome         nvarchar(40)  NOT NULL
);
CREATE INDEX ix_audit_log_occurred ON audit_log (occurred_at);
