-- SQL Server: nvarchar, datetimeoffset and bit as in 0001; EXISTS yields no value, so flags are CASE expressions.
-- Issue 13 (docs/decisions/0014): every version of an opinion, and both evaluations of each served reply.

-- Each draft as it was submitted and what its reviewer decided (approved, or returned with the reason); a review's or
-- re-review's decision is one version decided as it is submitted.
CREATE TABLE opinion_versions (
    id           bigint IDENTITY(1,1) PRIMARY KEY,
    petition_id  bigint        NOT NULL REFERENCES petitions (id),
    level        nvarchar(16)   NOT NULL,
    outcome      nvarchar(32)   NOT NULL,
    body         nvarchar(max) NOT NULL,
    submitted_at datetimeoffset(3) NOT NULL,
    submitted_by bigint        NULL REFERENCES users (id),
    decision     nvarchar(16)   NULL,
    reason       nvarchar(2000) NULL,
    decided_at   datetimeoffset(3) NULL,
    decided_by   bigint        NULL REFERENCES users (id)
);
CREATE INDEX ix_opinion_versions_petition ON opinion_versions (petition_id, id);

-- The return visit's record and the petitioner's own evaluation are separate facts: each once per served reply.
CREATE TABLE evaluations (
    id           bigint IDENTITY(1,1) PRIMARY KEY,
    petition_id  bigint        NOT NULL REFERENCES petitions (id),
    reply        integer       NOT NULL,
    level        nvarchar(16)   NOT NULL,
    source       nvarchar(16)   NOT NULL,
    satisfaction nvarchar(32)   NOT NULL,
    comment      nvarchar(2000) NULL,
    recorded_at  datetimeoffset(3) NOT NULL,
    recorded_by  bigint        NULL REFERENCES users (id),
    UNIQUE (petition_id, reply, source)
);

-- The opinion each petition holds is its one known version: awaiting review, returned (back in handling), or issued.
INSERT INTO opinion_versions (petition_id, level, outcome, body, submitted_at, decision)
SELECT p.id,
       p.review_level,
       p.opinion_outcome,
       COALESCE(p.opinion_text, ''),
       COALESCE((SELECT MAX(e.occurred_at)
                 FROM petition_events e
                 WHERE e.petition_id = p.id
                   AND e.action IN ('submit-opinion', 'submit-review-opinion', 'submit-rereview-opinion')), p.registered_at),
       CASE p.stage WHEN 'opinion-review' THEN NULL WHEN 'in-handling' THEN 'returned' ELSE 'approved' END
FROM petitions p
WHERE p.opinion_outcome IS NOT NULL;

-- The evaluations the history recorded: the petitioner's ("evaluate", the code as its comment) and the return
-- visits' (the code, then ": " and the note), each about the replies served before it.
INSERT INTO evaluations (petition_id, reply, level, source, satisfaction, recorded_at, recorded_by)
SELECT r.petition_id,
       r.reply,
       CASE WHEN r.reply = p.replies_served THEN COALESCE(p.reply_level, 'handling') ELSE 'handling' END,
       CASE r.action WHEN 'evaluate' THEN 'petitioner' ELSE 'return-visit' END,
       CASE WHEN CHARINDEX(':', r.comment) > 0 THEN LEFT(r.comment, CHARINDEX(':', r.comment) - 1) ELSE r.comment END,
       r.occurred_at,
       r.actor_user_id
FROM (SELECT e.petition_id,
             e.action,
             e.comment,
             e.occurred_at,
             e.actor_user_id,
             (SELECT COUNT(*) FROM petition_events s WHERE s.petition_id = e.petition_id AND s.action = 'record-service' AND s.id < e.id) AS reply
      FROM petition_events e
      WHERE e.action IN ('evaluate', 'record-return-visit')
        AND e.comment IS NOT NULL) r
JOIN petitions p ON p.id = r.petition_id
WHERE r.reply > 0;
UPDATE petitions
SET visit_recorded       = CASE WHEN EXISTS (SELECT 1 FROM evaluations v WHERE v.petition_id = petitions.id AND v.reply = petitions.replies_served AND v.source = 'return-visit') THEN 1 ELSE 0 END,
    petitioner_evaluated = CASE WHEN EXISTS (SELECT 1 FROM evaluations v WHERE v.petition_id = petitions.id AND v.reply = petitions.replies_served AND v.source = 'petitioner') THEN 1 ELSE 0 END;
