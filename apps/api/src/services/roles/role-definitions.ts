import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { customRoles } from "../../db/schema/index.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { isBuiltInRole, isExtendableBuiltInRole } from "../../lib/roles.ts";

export type CustomRoleRow = typeof customRoles.$inferSelect;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Custom roles an organization may have: enough for any team, few enough to resolve at once. */
export const MAX_CUSTOM_ROLES = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** An organization's custom roles, oldest first: what resolving any of them needs. */
export async function customRoleRows(db: Pick<Db, "select">, orgId: string) {
  return db
    .select()
    .from(customRoles)
    .where(eq(customRoles.orgId, orgId))
    .orderBy(asc(customRoles.id));
}

/**
 * Serializes the organization's role changes, for the transaction: a cycle of `extends` made
 * by two concurrent changes, or one role too many, is then impossible (each sees the other's).
 */
export async function lockRoles(tx: Tx, orgId: string): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`custom_roles:${orgId}`}, 0))`,
  );
}

/** A custom role by id or name among `rows`; 404 for anything else. */
export function findCustomRole(rows: readonly CustomRoleRow[], idOrName: string): CustomRoleRow {
  const role = rows.find((row) => (isUuid(idOrName) ? row.id : row.name) === idOrName);
  if (!role) throw notFound("Role");
  return role;
}

/**
 * A custom role by id or name, its row locked against concurrent deletion and renaming; 409
 * for a built-in role's name (those are the code's), 404 for anything else.
 */
export async function lockCustomRole(tx: Tx, orgId: string, idOrName: string) {
  if (isBuiltInRole(idOrName)) {
    throw new AppError(
      "invalid_state",
      `${idOrName} is a built-in role: it cannot be changed or deleted (a custom role can extend it)`,
    );
  }
  const [row] = await tx
    .select()
    .from(customRoles)
    .where(
      and(
        eq(customRoles.orgId, orgId),
        isUuid(idOrName) ? eq(customRoles.id, idOrName) : eq(customRoles.name, idOrName),
      ),
    )
    .for("update");
  if (!row) throw notFound("Role");
  return row;
}

/**
 * What `extends` names, as the row stores it: a built-in role (not owner: deleting the
 * organization stays the owners'), or another custom role of the organization by id or name.
 */
export function parentOf(
  rows: readonly CustomRoleRow[],
  name: string | null,
): { extendsBuiltIn: string | null; extendsRoleId: string | null } {
  if (name === null) return { extendsBuiltIn: null, extendsRoleId: null };
  if (isBuiltInRole(name)) {
    if (!isExtendableBuiltInRole(name)) {
      throw extendsError(
        `a custom role cannot extend ${name}: deleting the organization is theirs`,
      );
    }
    return { extendsBuiltIn: name, extendsRoleId: null };
  }
  const parent = rows.find((row) => (isUuid(name) ? row.id : row.name) === name);
  if (!parent) throw extendsError(`no role ${name} in this organization`);
  return { extendsBuiltIn: null, extendsRoleId: parent.id };
}

export function extendsError(message: string): AppError {
  return new AppError("validation_error", `\`extends\`: ${message}`, [
    { path: "extends", message },
  ]);
}
