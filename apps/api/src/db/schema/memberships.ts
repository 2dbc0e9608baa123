import { index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { organizations } from "./organizations.ts";
import { users } from "./users.ts";

/**
 * Who belongs to which organization, with which role (lib/roles.ts). A plain text column with
 * no check: custom roles will be rows of their own, named here too.
 */
export const memberships = pgTable(
  "memberships",
  {
    id: uuid().primaryKey(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("memberships_org_id_user_id_idx").on(table.orgId, table.userId),
    index("memberships_user_id_idx").on(table.userId),
    index("memberships_org_id_id_idx").on(table.orgId, table.id),
  ],
);

/** An emailed invitation to join an organization: only the hash of its token is kept. */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid().primaryKey(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Lowercased. */
    email: text().notNull(),
    role: text().notNull(),
    tokenHash: text().notNull().unique(),
    invitedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamptz().notNull(),
    acceptedAt: timestamptz(),
    acceptedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [index("invitations_org_id_id_idx").on(table.orgId, table.id)],
);
