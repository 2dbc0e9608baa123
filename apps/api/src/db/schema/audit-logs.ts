import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { inList, timestamptz } from "./columns.ts";

/** Who did it: an API key, a signed-in person, or Thrive-Send itself (a job, the worker). */
export const AUDIT_ACTOR_TYPES = ["api_key", "user", "system"] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

/**
 * Every mutation and security event of an organization, written in the transaction of the
 * change it records (services/audit/record-audit.ts). Append-only: no route changes a row,
 * and a trigger (migration 0009) makes PostgreSQL refuse UPDATE, DELETE and TRUNCATE. No
 * foreign key, so that the entries outlive what they are about.
 */
export const auditLogs = pgTable(
  "audit_logs",
  {
    id: uuid().primaryKey(),
    orgId: uuid().notNull(),
    actorType: text({ enum: AUDIT_ACTOR_TYPES }).notNull(),
    /** The API key's or the user's id; null for the system. */
    actorId: uuid(),
    /** `<target type>.<verb>`, e.g. `api_key.created`, `domain.verified`. */
    action: text().notNull(),
    targetType: text(),
    targetId: text(),
    ip: text(),
    userAgent: text(),
    requestId: text(),
    /** What the action changed or why: never a secret. */
    details: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [
    index("audit_logs_org_id_idx").on(table.orgId, table.id),
    index("audit_logs_org_action_idx").on(table.orgId, table.action, table.id),
    check("audit_logs_actor_type_check", sql`${table.actorType} in (${inList(AUDIT_ACTOR_TYPES)})`),
  ],
);
