-- SQLite: dates are yyyy-MM-dd text, instants ISO-8601 UTC text, flags are integers.
-- Issue 13 (docs/decisions/0014): the state the rules of referral, acceptance, dated actions and evaluations read.

-- The acceptance day (受理日): one handling period per acceptance, whoever handles the petition.
ALTER TABLE petitions ADD COLUMN accepted_on text NULL;
-- When the opinion on record was approved or decided: its service is not dated before it.
ALTER TABLE petitions ADD COLUMN opinion_issued_on text NULL;
ALTER TABLE petitions ADD COLUMN extension_requested_on text NULL;
-- A referral (交办): the referred case points at the referring one and says how it answered (objected, reported);
-- the referring case points at the case it waits for.
ALTER TABLE petitions ADD COLUMN referred_from_id bigint NULL REFERENCES petitions (id);
ALTER TABLE petitions ADD COLUMN referred_to_id bigint NULL REFERENCES petitions (id);
ALTER TABLE petitions ADD COLUMN referral_answer varchar(16) NULL;
-- The written replies served, the last one's level, and who has evaluated it: the return visit, the petitioner.
ALTER TABLE petitions ADD COLUMN replies_served integer NOT NULL DEFAULT 0;
ALTER TABLE petitions ADD COLUMN reply_level varchar(16) NULL;
ALTER TABLE petitions ADD COLUMN visit_recorded integer NOT NULL DEFAULT 0;
ALTER TABLE petitions ADD COLUMN petitioner_evaluated integer NOT NULL DEFAULT 0;
-- Received on a leadership reception day (局长接待日): the leader who received it.
ALTER TABLE petitions ADD COLUMN reception_leader_id bigint NULL REFERENCES users (id);

-- A history entry: the day it happened, when that is not the day it was entered; and the organization in whose
-- name it was done (a review's decision is the reviewing organ's).
ALTER TABLE petition_events ADD COLUMN happened_on text NULL;
ALTER TABLE petition_events ADD COLUMN organization_id bigint NULL REFERENCES organizations (id);
-- Whose deadline a clock is: the organization deciding the petition when it started (null: its bureau).
ALTER TABLE clocks ADD COLUMN organization_id bigint NULL REFERENCES organizations (id);

-- What the petitions so far say of these.
UPDATE petitions
SET accepted_on = (SELECT MIN(c.started_on) FROM clocks c WHERE c.petition_id = petitions.id AND c.kind = 'handling');
UPDATE petitions
SET opinion_issued_on = (SELECT date(MAX(e.occurred_at), '+8 hours')
                         FROM petition_events e
                         WHERE e.petition_id = petitions.id
                           AND e.action IN ('approve-opinion', 'submit-review-opinion', 'submit-rereview-opinion'));
UPDATE petitions
SET referred_from_id = (SELECT MAX(l.linked_petition_id) FROM petition_links l WHERE l.petition_id = petitions.id AND l.kind = 'referred-from'),
    referred_to_id   = (SELECT MAX(l.linked_petition_id) FROM petition_links l WHERE l.petition_id = petitions.id AND l.kind = 'referred-to');
UPDATE petitions
SET replies_served = (SELECT COUNT(*) FROM petition_events e WHERE e.petition_id = petitions.id AND e.action = 'record-service');
UPDATE petitions
SET reply_level = review_level
WHERE served_on IS NOT NULL;
-- Reviews were decided one level above the bureau, re-reviews two.
UPDATE petition_events
SET organization_id = (SELECT b.parent_id FROM petitions p JOIN organizations b ON b.id = p.bureau_id WHERE p.id = petition_events.petition_id)
WHERE action = 'submit-review-opinion';
UPDATE petition_events
SET organization_id = (SELECT r.parent_id
                       FROM petitions p
                       JOIN organizations b ON b.id = p.bureau_id
                       JOIN organizations r ON r.id = b.parent_id
                       WHERE p.id = petition_events.petition_id)
WHERE action = 'submit-rereview-opinion';
UPDATE clocks
SET organization_id = (SELECT b.parent_id FROM petitions p JOIN organizations b ON b.id = p.bureau_id WHERE p.id = clocks.petition_id)
WHERE kind = 'review-decision';
UPDATE clocks
SET organization_id = (SELECT r.parent_id
                       FROM petitions p
                       JOIN organizations b ON b.id = p.bureau_id
                       JOIN organizations r ON r.id = b.parent_id
                       WHERE p.id = clocks.petition_id)
WHERE kind = 'rereview-decision';
