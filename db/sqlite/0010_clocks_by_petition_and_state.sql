-- A petition's running clocks by one index: the lists' "nearest due day" of each row. With only (petition_id) and
-- (state, due_on) to choose from, SQLite (which keeps no statistics) read every running clock of every petition.
CREATE INDEX ix_clocks_petition_state_due ON clocks (petition_id, state, due_on);
DROP INDEX ix_clocks_petition;
