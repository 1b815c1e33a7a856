-- What an audit entry touched (the personal-data fields a view revealed), and the look-ups the audit endpoint makes.
ALTER TABLE audit_log ADD COLUMN detail varchar(400) NULL;
CREATE INDEX ix_audit_log_case ON audit_log (case_number, id);
CREATE INDEX ix_audit_log_user ON audit_log (user_id, id);
