import { sql } from "drizzle-orm";
import { check, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { inList, timestamptz } from "./columns.ts";
import { organizations } from "./organizations.ts";

/** Resend's two kinds of key. */
export const API_KEY_PERMISSIONS = ["full_access", "sending_access"] as const;
export type ApiKeyPermission = (typeof API_KEY_PERMISSIONS)[number];
/** What the `permission` column holds: Resend's kinds, or `custom` for a key's own set. */
export const API_KEY_KINDS = [...API_KEY_PERMISSIONS, "custom"] as const;
export type ApiKeyKind = (typeof API_KEY_KINDS)[number];

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid().primaryKey(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text().notNull(),
    /** SHA-256 of the token, hex. The token itself is shown once and never stored. */
    tokenHash: text().notNull().unique(),
    /** The first characters of the token, so people can tell their keys apart. */
    tokenPrefix: text().notNull(),
    permission: text({ enum: API_KEY_KINDS }).notNull(),
    /**
     * A `custom` key's permissions (lib/permissions.ts), never the people's; null for Resend's
     * two kinds, whose sets are the code's (they grow with the catalog).
     */
    permissions: text().array(),
    /**
     * A key that can send may be limited to one domain, as in Resend: it can then only send
     * from that domain. No foreign key: deleting the domain leaves the key unable to send.
     */
    domainId: uuid(),
    createdAt: timestamptz().notNull().defaultNow(),
    lastUsedAt: timestamptz(),
    revokedAt: timestamptz(),
    /** Past this time the key is refused (set at creation, or by a rotation's grace period). */
    expiresAt: timestamptz(),
    /** CIDRs the key may be used from; null: anywhere. */
    allowedIps: text().array(),
    /** The key that replaced this one (POST /api-keys/{id}/rotate). */
    replacedBy: uuid(),
  },
  (table) => [
    index("api_keys_org_id_idx").on(table.orgId, table.id),
    check("api_keys_permission_check", sql`${table.permission} in (${inList(API_KEY_KINDS)})`),
    check(
      "api_keys_permissions_check",
      sql`(${table.permission} = 'custom') = (${table.permissions} is not null)`,
    ),
  ],
);
