import { pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";

export const organizations = pgTable("organizations", {
  id: uuid().primaryKey(),
  name: text().notNull(),
  createdAt: timestamptz().notNull().defaultNow(),
  /** Set when sending paused itself (bounce or complaint rate past its threshold). */
  sendingPausedAt: timestamptz(),
  sendingPausedReason: text(),
});
