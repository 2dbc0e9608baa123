import { sql } from "drizzle-orm";
import { check, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { inList, timestamptz } from "./columns.ts";

/** What an organization may send per day and month: each plan's quotas come from config. */
export const PLANS = ["free", "pro", "enterprise"] as const;
export type Plan = (typeof PLANS)[number];

export const organizations = pgTable(
  "organizations",
  {
    id: uuid().primaryKey(),
    name: text().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
    /** Set when sending paused itself (bounce or complaint rate past its threshold). */
    sendingPausedAt: timestamptz(),
    sendingPausedReason: text(),
    plan: text({ enum: PLANS }).notNull().default("free"),
  },
  (table) => [check("organizations_plan_check", sql`${table.plan} in (${inList(PLANS)})`)],
);
