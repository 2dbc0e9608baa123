import { boolean, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";

export const organizations = pgTable("organizations", {
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
});
