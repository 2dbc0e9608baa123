import { sql } from "drizzle-orm";
import { check, date, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";

export const REPUTATION_SCOPES = ["organization", "domain"] as const;
export type ReputationScope = (typeof REPUTATION_SCOPES)[number];

/**
 * Daily delivery counts per organization and per domain, from which the rolling bounce and
 * complaint rates are computed. Filled by a job that reads email_events past a cursor, so the
 * send path never contends on a counter row.
 */
export const sendingStats = pgTable(
  "sending_stats",
  {
    scope: text({ enum: REPUTATION_SCOPES }).notNull(),
    /** The organization's or the domain's id. */
    scopeId: uuid().notNull(),
    day: date({ mode: "string" }).notNull(),
    /** Recipients a server accepted (sent). */
    sent: integer().notNull().default(0),
    /** Recipients that hard-bounced. */
    bounced: integer().notNull().default(0),
    /** Recipients that complained. */
    complained: integer().notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.scope, table.scopeId, table.day] }),
    check("sending_stats_scope_check", sql`${table.scope} in ('organization', 'domain')`),
  ],
);

/** How far the stats job has read email_events (a single row). */
export const sendingStatsCursor = pgTable("sending_stats_cursor", {
  id: integer().primaryKey(),
  lastEventId: uuid(),
});
