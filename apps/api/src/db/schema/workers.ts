import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";

/**
 * Liveness of graphile-worker pools. graphile-worker alone only frees a dead worker's jobs
 * after 4 hours; a pool whose heartbeat stops gets its jobs unlocked by the others.
 */
export const workerHeartbeats = pgTable("worker_heartbeats", {
  workerId: text().primaryKey(),
  hostname: text().notNull(),
  pid: integer().notNull(),
  startedAt: timestamptz().notNull().defaultNow(),
  lastSeenAt: timestamptz().notNull().defaultNow(),
});
