-- The summary's days, units and overdue figures each read one metric's counters (the petitions received; the due days
-- of the clocks still counting), a small part of a period's. Keyed by the metric first, each reads only those.
-- The counts themselves stay out of it: an index holding them would change with every upsert of a counter (and on
-- PostgreSQL keep those updates from staying on their page).
CREATE INDEX ix_report_counts_metric ON report_counts (metric, bureau_id, received_on);
