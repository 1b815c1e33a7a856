-- Nothing here: 0022's index keyed by the metric serves the summary's days, units and overdue figures on this server.
-- The same number on every database is for SQLite, whose 0023 gives those reads partial indexes of their own.
SELECT 1;
