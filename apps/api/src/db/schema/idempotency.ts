import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { organizations } from "./organizations.ts";

/** One row per (organization, Idempotency-Key), kept 24 hours. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    key: text().notNull(),
    /** SHA-256 over the operation and its parsed body: the same key must come with the same request. */
    requestHash: text().notNull(),
    state: text({ enum: ["in_flight", "completed"] }).notNull(),
    responseStatus: integer(),
    responseBody: jsonb(),
    createdAt: timestamptz().notNull().defaultNow(),
    /** An in-flight claim older than this was abandoned (its process died) and can be taken over. */
    lockedUntil: timestamptz().notNull(),
    expiresAt: timestamptz().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.key] }),
    index("idempotency_keys_expires_at_idx").on(table.expiresAt),
    check("idempotency_keys_state_check", sql`${table.state} in ('in_flight', 'completed')`),
  ],
);
