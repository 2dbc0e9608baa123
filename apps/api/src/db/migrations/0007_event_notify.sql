-- Wakes the event streams (GET /events/stream): after each statement that records email or
-- organization events, one NOTIFY per organization concerned on channel `thrive_events`, its
-- payload the organization id. NOTIFY is delivered at commit and dropped on rollback, so a
-- stream is woken exactly when there is something new to read; identical payloads within a
-- transaction are folded into one by PostgreSQL. The stream then reads the rows itself: the
-- notification carries no data, so it never has to fit NOTIFY's 8000-byte payload limit.
--
-- `queued` and `canceled` are not stream events (they have no webhook type either), and they
-- are most of what the accept path writes: skipping them keeps the accept path's commits free
-- of NOTIFY, whose commit takes a database-wide lock among notifying transactions.
CREATE OR REPLACE FUNCTION thrive_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('thrive_events', orgs.org_id::text)
  FROM (SELECT DISTINCT org_id FROM new_rows WHERE type NOT IN ('queued', 'canceled')) orgs;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER email_events_notify
  AFTER INSERT ON email_events
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION thrive_notify_events();
--> statement-breakpoint
CREATE TRIGGER events_notify
  AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION thrive_notify_events();
