import { boolean, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { organizations } from "./organizations.ts";
import { users } from "./users.ts";

/**
 * Console sessions. The cookie carries a random token; only its SHA-256 is stored. A session
 * ends at its idle expiry (pushed forward as it is used) or its absolute one, whichever comes
 * first, or when revoked (sign-out, rotation, password reset).
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid().primaryKey(),
    tokenHash: text().notNull().unique(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The organization the session acts for; null when the user belongs to none. */
    orgId: uuid().references(() => organizations.id, { onDelete: "set null" }),
    /** False while a user with MFA has given their password but not yet a code. */
    mfaVerified: boolean().notNull().default(false),
    /**
     * Set when the user's privileges changed (role change): their next request swaps the
     * session for a new one, with a new token, and revokes this one.
     */
    rotationRequired: boolean().notNull().default(false),
    ip: text(),
    userAgent: text(),
    createdAt: timestamptz().notNull(),
    lastSeenAt: timestamptz().notNull(),
    idleExpiresAt: timestamptz().notNull(),
    absoluteExpiresAt: timestamptz().notNull(),
    revokedAt: timestamptz(),
  },
  (table) => [
    index("sessions_user_id_idx").on(table.userId),
    index("sessions_org_id_idx").on(table.orgId),
  ],
);
