import { boolean, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { timestamptz } from "./columns.ts";
import { organizations } from "./organizations.ts";
import { users } from "./users.ts";

/** An organization's OpenID Connect provider (one per organization), for single sign-on. */
export const oidcConnections = pgTable("oidc_connections", {
  id: uuid().primaryKey(),
  orgId: uuid()
    .notNull()
    .unique()
    .references(() => organizations.id, { onDelete: "cascade" }),
  issuer: text().notNull(),
  clientId: text().notNull(),
  /** Sealed (lib/secrets.ts). */
  clientSecret: text().notNull(),
  /** Lowercased domains whose people may sign in (and be created on their first sign-in). */
  allowedDomains: text().array().notNull(),
  /** The role of a member created by their first sign-in. */
  defaultRole: text().notNull(),
  enabled: boolean().notNull().default(true),
  createdAt: timestamptz().notNull().defaultNow(),
  updatedAt: timestamptz().notNull().defaultNow(),
});

/** Which user an identity provider's subject is: matched by `sub`, not by a changeable email. */
export const userIdentities = pgTable(
  "user_identities",
  {
    id: uuid().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    connectionId: uuid()
      .notNull()
      .references(() => oidcConnections.id, { onDelete: "cascade" }),
    subject: text().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("user_identities_connection_subject_idx").on(table.connectionId, table.subject),
  ],
);
