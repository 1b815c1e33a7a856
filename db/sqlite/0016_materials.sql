-- SQLite: instants are ISO-8601 text; blobs are BLOB.
-- Materials attached to a petition (letters, evidence, recordings, records, signed proofs); never deleted: a withdrawn
-- material keeps its row and content, with who withdrew it, when and why (docs/decisions/0013).
-- A content is the file's bytes, sealed in chunks of 256 KiB, each bound to the content's seal_binding; it is written
-- before the material that names it, so a registration writes its files before it takes the bureau's case number.
CREATE TABLE material_contents (
    id                INTEGER PRIMARY KEY,
    seal_binding      varchar(32)       NOT NULL,
    size_bytes        bigint            NOT NULL,
    content_hash      varchar(64)       NOT NULL,
    type_code         varchar(16)       NOT NULL,
    media_type        varchar(100)      NOT NULL
);

CREATE TABLE material_chunks (
    content_id        bigint            NOT NULL REFERENCES material_contents (id),
    ordinal           integer           NOT NULL,
    key_id            varchar(64)       NOT NULL,
    cipher            BLOB              NOT NULL,
    PRIMARY KEY (content_id, ordinal)
);
-- Re-encryption after a key rotation finds the chunks of retired keys.
CREATE INDEX ix_material_chunks_key ON material_chunks (key_id);

-- The file name is the sender's and may name people: encrypted like an ID number.
CREATE TABLE materials (
    id                INTEGER PRIMARY KEY,
    petition_id       bigint            NOT NULL REFERENCES petitions (id),
    content_id        bigint            NOT NULL REFERENCES material_contents (id),
    kind              varchar(32)       NOT NULL,
    description       varchar(200)      NULL,
    file_name_cipher  varchar(1000)     NOT NULL,
    source            varchar(16)       NOT NULL,
    attached_at       text              NOT NULL,
    attached_by       bigint            NULL REFERENCES users (id),
    attached_by_org   bigint            NULL REFERENCES organizations (id),
    withdrawn_at      text              NULL,
    withdrawn_by      bigint            NULL REFERENCES users (id),
    withdrawal_reason varchar(500)      NULL
);
CREATE INDEX ix_materials_petition ON materials (petition_id, id);

-- The bytes a petition's materials take, withdrawn ones included, kept in the attaching transaction against
-- Materials:MaxPetitionBytes; updating it first also queues two requests attaching to one petition.
ALTER TABLE petitions ADD COLUMN material_bytes bigint NOT NULL DEFAULT 0;

-- The service methods whose recording needs the signed proof of service attached (comma-separated codes); NULL
-- follows the level above, and none above means none.
ALTER TABLE organizations ADD COLUMN proof_of_service varchar(200) NULL;
