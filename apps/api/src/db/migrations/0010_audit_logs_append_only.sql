-- audit_logs is append-only: PostgreSQL itself refuses to change or remove an entry, whatever
-- the code (or a person with the application's credentials) tries. Statement-level triggers
-- fire even when no row matches, so any UPDATE, DELETE or TRUNCATE of the table fails. An
-- operator who must purge old entries (retention) drops the trigger in a maintenance session
-- as the table's owner, deliberately.
CREATE OR REPLACE FUNCTION thrive_audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_logs is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_logs_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_logs
  FOR EACH STATEMENT EXECUTE FUNCTION thrive_audit_logs_append_only();
