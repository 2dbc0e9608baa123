-- Webhook fan-out, in the transaction that records an event: for each new email event (but
-- `queued`, which has no webhook) and organization event, one delivery per enabled endpoint of
-- the organization that listens to its type, and a graphile-worker job per delivery. Done by a
-- statement-level trigger so that every writer (accept path, worker outcomes, feedback,
-- tracking, domains...) gets it without repeating it, and an event is never recorded without
-- its deliveries. With no endpoint it is one empty join per statement.

-- Time-ordered ids (UUIDv7, RFC 9562) on PostgreSQL older than 18, which has uuidv7().
CREATE OR REPLACE FUNCTION thrive_uuidv7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
        PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
        FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION thrive_webhook_fan_out() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  source text := TG_ARGV[0];
  jobs int;
BEGIN
  WITH candidates AS (
    SELECT e.id AS event_id, e.org_id,
      CASE WHEN source = 'email_events' THEN 'email.' || e.type ELSE e.type END AS event_type
    FROM new_rows e
    WHERE NOT (source = 'email_events' AND e.type = 'queued')
  ),
  inserted AS (
    INSERT INTO webhook_deliveries
      (id, org_id, endpoint_id, event_id, event_source, event_type, status, next_attempt_at, created_at)
    SELECT thrive_uuidv7(), c.org_id, w.id, c.event_id, source, c.event_type, 'pending', now(), now()
    FROM candidates c
    JOIN webhook_endpoints w
      ON w.org_id = c.org_id AND w.status = 'enabled' AND c.event_type = ANY (w.events)
    ON CONFLICT (endpoint_id, event_id) DO NOTHING
    RETURNING id, org_id
  )
  SELECT count(*) INTO jobs FROM graphile_worker.add_jobs(array(
    SELECT json_populate_record(null::graphile_worker.job_spec, json_build_object(
      'identifier', 'webhook_deliver',
      'payload', json_build_object('delivery_id', i.id, 'org_id', i.org_id),
      'max_attempts', 25))
    FROM inserted i));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER email_events_webhook_fan_out
  AFTER INSERT ON email_events
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION thrive_webhook_fan_out('email_events');
--> statement-breakpoint
CREATE TRIGGER events_webhook_fan_out
  AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION thrive_webhook_fan_out('events');
