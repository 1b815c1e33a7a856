-- The petition list sorts by the day of receipt, newest first, by default: an index walked in that order stops after
-- a page (the rowid, the tie-break, is in every SQLite index).
CREATE INDEX ix_petitions_received ON petitions (received_at);
