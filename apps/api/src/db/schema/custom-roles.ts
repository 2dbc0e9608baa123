import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { inList, timestamptz } from "./columns.ts";
import { organizations } from "./organizations.ts";

/** The built-in roles a custom role may extend: all but owner (organization:delete is theirs). */
export const EXTENDABLE_BUILT_IN_ROLES = ["admin", "developer", "analyst", "billing"] as const;

/**
 * An organization's own roles (lib/roles.ts resolves them): a set of permissions, optionally on
 * top of a built-in role or of another custom role. Memberships and invitations name a role by
 * `name`, which is why a rename rewrites them in the same transaction.
 */
export const customRoles = pgTable(
  "custom_roles",
  {
    id: uuid().primaryKey(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text().notNull(),
    description: text(),
    /** Its own permissions, on top of what it extends. */
    permissions: text().array().notNull().default(sql`'{}'::text[]`),
    /** The built-in role it extends, if it extends one. */
    extendsBuiltIn: text(),
    /**
     * The custom role it extends, if it extends one. No action on delete: the service refuses
     * to delete a role others extend, and this key is the last line if it ever did not.
     */
    extendsRoleId: uuid().references((): AnyPgColumn => customRoles.id),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("custom_roles_org_id_name_idx").on(table.orgId, table.name),
    check(
      "custom_roles_extends_check",
      sql`${table.extendsBuiltIn} is null or ${table.extendsRoleId} is null`,
    ),
    check(
      "custom_roles_extends_built_in_check",
      sql`${table.extendsBuiltIn} in (${inList(EXTENDABLE_BUILT_IN_ROLES)})`,
    ),
  ],
);
