import { sql } from "drizzle-orm";
import {
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { inList, timestamptz } from "./columns.ts";
import { organizations } from "./organizations.ts";

/** Why an address is suppressed. */
export const SUPPRESSION_ORIGINS = ["bounce", "complaint", "unsubscribe", "manual"] as const;
export type SuppressionOrigin = (typeof SUPPRESSION_ORIGINS)[number];

/**
 * Addresses an organization does not send to. The address is stored lowercased: mailbox
 * names are case-sensitive in theory, but no real provider treats them so, and a bounce that
 * differs only in case must still suppress.
 */
export const suppressions = pgTable(
  "suppressions",
  {
    /** Resend addresses a suppression by id or by email. */
    id: uuid().notNull(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    email: text().notNull(),
    origin: text({ enum: SUPPRESSION_ORIGINS }).notNull(),
    /** The email whose bounce, complaint or unsubscribe caused it, when there is one. */
    sourceEmailId: uuid(),
    /** What happened: the SMTP reply, the complaint type, who added it by hand. */
    details: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.email] }),
    uniqueIndex("suppressions_id_idx").on(table.id),
    index("suppressions_org_id_id_idx").on(table.orgId, table.id),
    check("suppressions_origin_check", sql`${table.origin} in (${inList(SUPPRESSION_ORIGINS)})`),
  ],
);
