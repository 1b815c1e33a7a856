-- SQL Server: nvarchar for text, datetimeoffset for instants, varbinary(max) for the sealed chunks (stored off row).
-- Materials attached to a petition (letters, evidence, recordings, records, signed proofs); never deleted: a withdrawn
-- material keeps its row and content, with who withdrew it, when and why (docs/decisions/0013).
-- A content is the file's bytes, sealed in chunks of 256 KiB, each bound to the content's seal_binding; it is written
-- before the material that names it, so a registration writes its files before it takes the bureau's case number.
CREATE TABLE material_contents (
    id                bigint IDENTITY(1,1) PRIMARY KEY,
    seal_binding      nvarchar(32)      NOT NULL,
    size_bytes        bigint            NOT NULL,
    content_hash      nvarchar(64)      NOT NULL,
    type_code         nvarchar(16)      NOT NULL,
    media_type        nvarchar(100)     NOT NULL
);

CREATE TABLE material_chunks (
    content_id        bigint            NOT NULL REFERENCES material_contents (id),
    ordinal           integer           NOT NULL,
    key_id            nvarchar(64)      NOT NULL,
    cipher            varbinary(max)    NOT NULL,
    PRIMARY KEY (content_id, ordinal)
);
-- Re-encryption after a key rotation finds the chunks of retired keys.
CREATE INDEX ix_material_chunks_key ON material_chunks (key_id);

-- The file name is the sender's and may name people: encrypted like an ID number.
CREATE TABLE materials (
    id                bigint IDENTITY(1,1) PRIMARY KEY,
    petition_id       bigint            NOT NULL REFERENCES petitions (id),
    content_id        bigint            NOT NULL REFERENCES material_contents (id),
    kind              nvarchar(32)      NOT NULL,
    description       nvarchar(200)     NULL,
    file_name_cipher  nvarchar(1000)    NOT NULL,
    source            nvarchar(16)      NOT NULL,
    attached_at       datetimeoffset(3) NOT NULL,
    attached_by       bigint            NULL REFERENCES users (id),
    attached_by_org   bigint            NULL REFERENCES organizations (id),
    withdrawn_at      datetimeoffset(3) NULL,
    withdrawn_by      bigint            NULL REFERENCES users (id),
    withdrawal_reason nvarchar(500)     NULL
);
CREATE INDEX ix_materials_petition ON materials (petition_id, id);

-- The bytes a petition's materials take, withdrawn ones included, kept in the attaching transaction against
-- Materials:MaxPetitionBytes; updating it first also queues two requests attaching to one petition.
ALTER TABLE petitions ADD material_bytes bigint NOT NULL DEFAULT 0;

-- The service methods whose recording needs the signed proof of service attached (comma-separated codes); NULL
-- follows the level above, and none above means none.
ALTER TABLE organizations ADD proof_of_service nvarchar(200) NULL;
