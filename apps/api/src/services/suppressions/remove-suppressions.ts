import { and, eq, inArray, or } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { suppressions } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { byIdOrEmail } from "./find-suppression.ts";
import { normalizeSuppressedEmail } from "./suppression-view.ts";

/** Removes one suppression (by id or email): the address can be sent to again. */
export async function removeSuppression({
  ctx,
  idOrEmail,
}: {
  ctx: { db: Db; orgId: string };
  idOrEmail: string;
}) {
  const [row] = await ctx.db
    .delete(suppressions)
    .where(and(eq(suppressions.orgId, ctx.orgId), byIdOrEmail(idOrEmail)))
    .returning({ id: suppressions.id });
  if (!row) throw notFound("Suppression");
  return { object: "suppression" as const, id: row.id, deleted: true };
}

/**
 * Removes up to 100 suppressions by email or by id. Each answer says whether it was there;
 * addresses that were not suppressed are left out, as there is no id to report for them.
 */
export async function removeSuppressions({
  ctx,
  emails,
  ids,
}: {
  ctx: { db: Db; orgId: string };
  emails?: string[] | undefined;
  ids?: string[] | undefined;
}) {
  // Never an empty condition: that would remove every suppression of the organization.
  if (!emails?.length && !ids?.length) return { data: [] };
  const rows = await ctx.db
    .delete(suppressions)
    .where(
      and(
        eq(suppressions.orgId, ctx.orgId),
        or(
          emails?.length
            ? inArray(suppressions.email, emails.map(normalizeSuppressedEmail))
            : undefined,
          ids?.length ? inArray(suppressions.id, ids) : undefined,
        ),
      ),
    )
    .returning({ id: suppressions.id });
  return {
    data: rows.map((row) => ({ object: "suppression" as const, id: row.id, deleted: true })),
  };
}
