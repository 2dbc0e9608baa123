ALTER TABLE "email_events" DROP CONSTRAINT "email_events_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "email_events" DROP CONSTRAINT "email_events_email_id_emails_id_fk";
--> statement-breakpoint
ALTER TABLE "emails" DROP CONSTRAINT "emails_api_key_id_api_keys_id_fk";
