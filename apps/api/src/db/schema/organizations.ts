import { sql } from "drizzle-orm";
import { boolean, check, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
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
    /** The from address the console proposes for new emails (settings); not enforced. */
    defaultFrom: text(),
    /** Open and click tracking of domains added without saying (POST /domains). */
    openTrackingDefault: boolean().notNull().default(false),
    clickTrackingDefault: boolean().notNull().default(false),
    /** Emails and their events older than this many days are deleted; null keeps them. */
    dataRetentionDays: integer(),
    updatedAt: timestamptz().notNull().defaultNow(),
    /**
     * Set by DELETE /organization: from then on nobody can act for it, and the
     * organization_purge job deletes its data in chunks, then the row itself.
     */
    deletedAt: timestamptz(),
    plan: text({ enum: PLANS }).notNull().default("free"),
  },
  (table) => [check("organizations_plan_check", sql`${table.plan} in (${inList(PLANS)})`)],
);
