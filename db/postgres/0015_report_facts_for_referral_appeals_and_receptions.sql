-- Report facts for issue 13 (docs/decisions/0006, 0014): a referral objected to is a triage outcome of its own; a
-- review or re-review decision and its clock count at the organ that decides it; a petition received on a leadership
-- reception day is counted. The views are made again and the counters recounted from them.

DROP VIEW report_facts;
DROP VIEW report_petitions;
-- With the views gone, a history entry's summary may grow: it may join a comment and a reason (an acceptance
-- overriding a repeat says why the matter differs).
ALTER TABLE petition_events ALTER COLUMN comment TYPE varchar(4500);
DROP INDEX ix_petition_events_triage;
CREATE INDEX ix_petition_events_triage ON petition_events (petition_id, id, action)
    WHERE action IN ('accept', 'decline', 'divert', 'forward', 'refer', 'mark-duplicate', 'object-to-referral');

-- One row per petition: the attributes the facts read, from the petition, its history and its service.
CREATE VIEW report_petitions AS
SELECT p.id                                                                AS petition_id,
       p.bureau_id                                                         AS bureau_id,
       COALESCE(p.assigned_unit_id, 0)                                     AS unit_id,
       CAST(p.received_at AT TIME ZONE 'UTC' + INTERVAL '8 hours' AS date) AS received_on,
       p.channel                                                           AS channel,
       p.category                                                          AS category,
       p.stage                                                             AS stage,
       p.first_petition                                                    AS first_petition,
       p.satisfaction                                                      AS satisfaction,
       p.reception_leader_id IS NOT NULL                                   AS leader_reception,
       -- The latest triage decision; none while the petition waits for one (again, after return-to-office).
       CASE WHEN p.stage <> 'registered' THEN (
           SELECT e.action
           FROM petition_events e
           WHERE e.petition_id = p.id
             AND e.action IN ('accept', 'decline', 'divert', 'forward', 'refer', 'mark-duplicate', 'object-to-referral')
           ORDER BY e.id DESC
           LIMIT 1) END                                                    AS triage,
       -- Review needs a served first reply, so any service at all means the first reply was served.
       p.served_on IS NOT NULL                                             AS replied,
       EXISTS (SELECT 1 FROM petition_events e WHERE e.petition_id = p.id AND e.action = 'request-review')   AS reviewed,
       EXISTS (SELECT 1 FROM petition_events e WHERE e.petition_id = p.id AND e.action = 'request-rereview') AS rereviewed
FROM petitions p;

-- The facts: (metric, value) with a count n and an amount (days). Clocks the petitioner runs (the review and
-- re-review request windows) are not the bureau's deadlines: they count in no on-time rate and are never overdue.
-- A clock counts at the organization whose deadline it is (a review's at the reviewing organ).
CREATE VIEW report_facts AS
SELECT petition_id, bureau_id, unit_id, received_on, 'received' AS metric, '' AS value, 1 AS n, 0 AS amount FROM report_petitions
UNION ALL SELECT petition_id, bureau_id, unit_id, received_on, 'channel', channel, 1, 0 FROM report_petitions
UNION ALL SELECT petition_id, bureau_id, unit_id, received_on, 'category', category, 1, 0 FROM report_petitions
UNION ALL SELECT petition_id, bureau_id, unit_id, received_on, 'stage', stage, 1, 0 FROM report_petitions
UNION ALL SELECT petition_id, bureau_id, unit_id, received_on, 'triage', triage, 1, 0 FROM report_petitions WHERE triage IS NOT NULL
UNION ALL SELECT petition_id, bureau_id, unit_id, received_on, 'first', '', 1, 0 FROM report_petitions WHERE first_petition
UNION ALL SELECT petition_id, bureau_id, unit_id, received_on, 'repeat', '', 1, 0 FROM report_petitions WHERE NOT first_petition
UNION ALL SELECT petition_id, bureau_id, unit_id, received_on, 'first-accepted', '', 1, 0 FROM report_petitions
          WHERE first_petition AND triage = 'accept'
UNION ALL SELECT petition_id, bureau_id, unit_id, received_on, 'first-resolved', '', 1, 0 FROM report_petitions
          WHERE first_petition AND triage = 'accept' AND stage IN ('closed', 'final') AND NOT reviewed
UNION ALL SELECT petition_id, bureau_id, unit_id, received_on, 'satisfaction', satisfaction, 1, 0 FROM report_petitions WHERE satisfaction IS NOT NULL
UNION ALL SELECT petition_id, bureau_id, unit_id, received_on, 'replied', '', 1, 0 FROM report_petitions WHERE replied
UNION ALL SELECT petition_id, bureau_id, unit_id, received_on, 'reviewed', '', 1, 0 FROM report_petitions WHERE reviewed
UNION ALL SELECT petition_id, bureau_id, unit_id, received_on, 'rereviewed', '', 1, 0 FROM report_petitions WHERE rereviewed
UNION ALL SELECT petition_id, bureau_id, unit_id, received_on, 'leader-reception', '', 1, 0 FROM report_petitions WHERE leader_reception
-- A decision's history entry carries its outcome code; anything else would not fit the counters' key. A review or
-- re-review counts at the organ that decided it (the entry's organization), without a unit of its own.
UNION ALL SELECT r.petition_id, COALESCE(e.organization_id, r.bureau_id),
                 CASE WHEN e.organization_id IS NULL OR e.organization_id = r.bureau_id THEN r.unit_id ELSE 0 END, r.received_on, 'review-outcome',
                 CASE WHEN e.comment IN ('uphold', 'revise', 'order-rehandling') THEN e.comment ELSE 'other' END, 1, 0
          FROM petition_events e JOIN report_petitions r ON r.petition_id = e.petition_id
          WHERE e.action = 'submit-review-opinion'
UNION ALL SELECT r.petition_id, COALESCE(e.organization_id, r.bureau_id),
                 CASE WHEN e.organization_id IS NULL OR e.organization_id = r.bureau_id THEN r.unit_id ELSE 0 END, r.received_on, 'rereview-outcome',
                 CASE WHEN e.comment IN ('uphold', 'revise') THEN e.comment ELSE 'other' END, 1, 0
          FROM petition_events e JOIN report_petitions r ON r.petition_id = e.petition_id
          WHERE e.action = 'submit-rereview-opinion'
UNION ALL SELECT r.petition_id, COALESCE(c.organization_id, r.bureau_id),
                 CASE WHEN c.organization_id IS NULL OR c.organization_id = r.bureau_id THEN r.unit_id ELSE 0 END, r.received_on, 'clock-completed', c.kind, 1, c.stopped_on - c.started_on
          FROM clocks c JOIN report_petitions r ON r.petition_id = c.petition_id
          WHERE c.state = 'stopped' AND c.stopped_on IS NOT NULL AND c.kind NOT IN ('review-request', 'rereview-request')
UNION ALL SELECT r.petition_id, COALESCE(c.organization_id, r.bureau_id),
                 CASE WHEN c.organization_id IS NULL OR c.organization_id = r.bureau_id THEN r.unit_id ELSE 0 END, r.received_on, 'clock-on-time', c.kind, 1, 0
          FROM clocks c JOIN report_petitions r ON r.petition_id = c.petition_id
          WHERE c.state = 'stopped' AND c.stopped_on <= c.due_on AND c.kind NOT IN ('review-request', 'rereview-request')
UNION ALL SELECT r.petition_id, COALESCE(c.organization_id, r.bureau_id),
                 CASE WHEN c.organization_id IS NULL OR c.organization_id = r.bureau_id THEN r.unit_id ELSE 0 END, r.received_on, 'clock-late', c.kind, 1, 0
          FROM clocks c JOIN report_petitions r ON r.petition_id = c.petition_id
          WHERE c.state = 'stopped' AND c.stopped_on > c.due_on AND c.kind NOT IN ('review-request', 'rereview-request')
-- A clock still counting, by its due day: whether it is overdue depends on the day a report is asked for.
UNION ALL SELECT r.petition_id, COALESCE(c.organization_id, r.bureau_id),
                 CASE WHEN c.organization_id IS NULL OR c.organization_id = r.bureau_id THEN r.unit_id ELSE 0 END, r.received_on, 'due:' || c.kind, to_char(c.due_on, 'YYYY-MM-DD'), 1, 0
          FROM clocks c JOIN report_petitions r ON r.petition_id = c.petition_id
          WHERE c.state IN ('running', 'overdue') AND c.kind NOT IN ('review-request', 'rereview-request')
UNION ALL SELECT r.petition_id, COALESCE(c.organization_id, r.bureau_id),
                 CASE WHEN c.organization_id IS NULL OR c.organization_id = r.bureau_id THEN r.unit_id ELSE 0 END, r.received_on, 'extended', '', 1, c.extra_days
          FROM clocks c JOIN report_petitions r ON r.petition_id = c.petition_id
          WHERE c.kind = 'handling' AND c.extra_days > 0
UNION ALL SELECT r.petition_id, r.bureau_id, r.unit_id, r.received_on, 'order', CASE WHEN o.state = 'closed' THEN 'closed' ELSE 'open' END, 1, 0
          FROM supervision_orders o JOIN report_petitions r ON r.petition_id = o.petition_id;

DELETE FROM report_counts;
INSERT INTO report_counts (bureau_id, received_on, unit_id, metric, value, n, amount)
SELECT bureau_id, received_on, unit_id, metric, value, SUM(n), SUM(amount)
FROM report_facts
GROUP BY bureau_id, received_on, unit_id, metric, value;
