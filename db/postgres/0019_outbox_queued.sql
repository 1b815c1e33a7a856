-- Each notification is delivered by a background job of its own (retried with back-off); queued_at records that the
-- dispatcher handed the row to one, so the next pass does not hand it over again.
ALTER TABLE outbox ADD COLUMN queued_at timestamptz NULL;
