CREATE TABLE "domains" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"region" text NOT NULL,
	"custom_return_path" text NOT NULL,
	"tracking_subdomain" text DEFAULT 'links' NOT NULL,
	"open_tracking" boolean DEFAULT false NOT NULL,
	"click_tracking" boolean DEFAULT false NOT NULL,
	"tls" text DEFAULT 'opportunistic' NOT NULL,
	"status" text DEFAULT 'not_started' NOT NULL,
	"dkim_selector" text NOT NULL,
	"dkim_private_key" text NOT NULL,
	"dkim_public_key" text NOT NULL,
	"record_status" jsonb NOT NULL,
	"last_checked_at" timestamp with time zone,
	"verified_at" timestamp with time zone,
	"unverified_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "domains_status_check" CHECK ("domains"."status" in ('not_started', 'pending', 'verified', 'temporary_failure', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"type" text NOT NULL,
	"object_id" uuid NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suppressions" (
	"id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"email" text NOT NULL,
	"origin" text NOT NULL,
	"source_email_id" uuid,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppressions_org_id_email_pk" PRIMARY KEY("org_id","email"),
	CONSTRAINT "suppressions_origin_check" CHECK ("suppressions"."origin" in ('bounce', 'complaint', 'unsubscribe', 'manual'))
);
--> statement-breakpoint
ALTER TABLE "email_events" DROP CONSTRAINT "email_events_type_check";--> statement-breakpoint
ALTER TABLE "emails" DROP CONSTRAINT "emails_status_check";--> statement-breakpoint
ALTER TABLE "emails" DROP CONSTRAINT "emails_last_event_check";--> statement-breakpoint
ALTER TABLE "email_attachments" ALTER COLUMN "content" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "email_attachments" ALTER COLUMN "size" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "domain_id" uuid;--> statement-breakpoint
ALTER TABLE "email_attachments" ADD COLUMN "path" text;--> statement-breakpoint
ALTER TABLE "emails" ADD COLUMN "domain_id" uuid;--> statement-breakpoint
ALTER TABLE "domains" ADD CONSTRAINT "domains_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "domains_org_id_name_idx" ON "domains" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "domains_org_id_idx" ON "domains" USING btree ("org_id","id");--> statement-breakpoint
CREATE INDEX "events_org_id_idx" ON "events" USING btree ("org_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "suppressions_id_idx" ON "suppressions" USING btree ("id");--> statement-breakpoint
CREATE INDEX "suppressions_org_id_id_idx" ON "suppressions" USING btree ("org_id","id");--> statement-breakpoint
ALTER TABLE "email_attachments" ADD CONSTRAINT "email_attachments_content_or_path_check" CHECK (("email_attachments"."content" is null) <> ("email_attachments"."path" is null));--> statement-breakpoint
ALTER TABLE "email_events" ADD CONSTRAINT "email_events_type_check" CHECK ("email_events"."type" in ('queued', 'scheduled', 'sent', 'delivered', 'delivery_delayed', 'bounced', 'failed', 'canceled', 'suppressed', 'complained', 'opened', 'clicked'));--> statement-breakpoint
ALTER TABLE "emails" ADD CONSTRAINT "emails_status_check" CHECK ("emails"."status" in ('scheduled', 'queued', 'sending', 'sent', 'delivered', 'delivery_delayed', 'bounced', 'failed', 'canceled', 'suppressed'));--> statement-breakpoint
ALTER TABLE "emails" ADD CONSTRAINT "emails_last_event_check" CHECK ("emails"."last_event" in ('queued', 'scheduled', 'sent', 'delivered', 'delivery_delayed', 'bounced', 'failed', 'canceled', 'suppressed', 'complained', 'opened', 'clicked'));