CREATE TABLE "custom_roles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"permissions" text[] DEFAULT '{}'::text[] NOT NULL,
	"extends_built_in" text,
	"extends_role_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "custom_roles_extends_check" CHECK ("custom_roles"."extends_built_in" is null or "custom_roles"."extends_role_id" is null),
	CONSTRAINT "custom_roles_extends_built_in_check" CHECK ("custom_roles"."extends_built_in" in ('admin', 'developer', 'analyst', 'billing'))
);
--> statement-breakpoint
ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_permission_check";--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "permissions" text[];--> statement-breakpoint
ALTER TABLE "custom_roles" ADD CONSTRAINT "custom_roles_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "custom_roles" ADD CONSTRAINT "custom_roles_extends_role_id_custom_roles_id_fk" FOREIGN KEY ("extends_role_id") REFERENCES "public"."custom_roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "custom_roles_org_id_name_idx" ON "custom_roles" USING btree ("org_id","name");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_permissions_check" CHECK (("api_keys"."permission" = 'custom') = ("api_keys"."permissions" is not null));--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_permission_check" CHECK ("api_keys"."permission" in ('full_access', 'sending_access', 'custom'));