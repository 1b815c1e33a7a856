-- A user's security stamp: every token and sign-in cookie carries the stamp it was issued under, and a request is
-- answered only while it is still the user's. A password change, a disable or enable and a sign-out raise it, which
-- ends every session issued before (docs/decisions/0008).
ALTER TABLE users ADD COLUMN security_stamp integer NOT NULL DEFAULT 0;
