-- The summary's days and units read the counters of the petitions received, and its overdue figures those of the due
-- days of the clocks still counting: a small part of a period's counters, which without these indexes each of the
-- three queries read whole (a third of the summary's time at a million petitions). Each index holds only its
-- metric's rows and is keyed as the table is, by bureau and day of receipt, so the planner takes it for a report's
-- range; it holds the count too, since SQLite passes over an index that would send it back to the table for every row
-- (without it, EXPLAIN QUERY PLAN showed the table's key read instead). An upsert of these two metrics' counts now
-- changes their index as well; the other metrics' do not.
CREATE INDEX ix_report_counts_received ON report_counts (bureau_id, received_on, unit_id, n) WHERE metric = 'received';
CREATE INDEX ix_report_counts_due ON report_counts (bureau_id, received_on, metric, value, n) WHERE metric LIKE 'due:%';
