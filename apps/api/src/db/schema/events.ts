import { index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";

/**
 * Events about an organization's objects other than emails (domain.created, domain.updated,
 * domain.deleted, ...), written in the same transaction as the change they describe; webhooks
 * and the event stream read them. Email events, far more numerous, have their own table.
 * Append-only, and no foreign keys: an event outlives the object it describes (domain.deleted).
 */
export const events = pgTable(
  "events",
  {
    id: uuid().primaryKey(),
    orgId: uuid().notNull(),
    /** e.g. `domain.updated`. */
    type: text().notNull(),
    /** The object the event is about (a domain's id, ...). */
    objectId: uuid().notNull(),
    /** The payload's `data`, as webhooks will deliver it. */
    data: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [index("events_org_id_idx").on(table.orgId, table.id)],
);
