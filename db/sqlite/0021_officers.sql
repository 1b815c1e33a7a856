-- The officer (承办人) within the handling unit who handles a petition; cleared when it goes to another unit or back to
-- the office. "My cases" finds a user's petitions by it.
ALTER TABLE petitions ADD COLUMN officer_id bigint NULL REFERENCES users (id);
CREATE INDEX ix_petitions_officer ON petitions (officer_id);
