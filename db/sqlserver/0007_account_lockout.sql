-- Repeated wrong passwords lock an account for a while.
ALTER TABLE users ADD failed_logins integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD locked_until datetimeoffset(3) NULL;
