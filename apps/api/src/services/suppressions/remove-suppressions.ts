import { and, eq, inArray, or } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { suppressions } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";
import { byIdOrEmail } from "./find-suppression.ts";
import { normalizeSuppressedEmail } from "./suppression-view.ts";

/** Removes one suppression (by id or email): the address can be sent to again. */
export async function removeSuppression({
  ctx,
  idOrEmail,
}: {
  ctx: { db: Db; orgId: string; audit: AuditOrigin };
  idOrEmail: string;
}) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(suppressions)
      .where(and(eq(suppressions.orgId, ctx.orgId), byIdOrEmail(idOrEmail)))
      .returning({ id: suppressions.id, email: suppressions.email });
    if (!row) throw notFound("Suppression");
    await recordAudit(tx, ctx.audit, removedEntry(ctx.orgId, row));
    return { object: "suppression" as const, id: row.id, deleted: true };
  });
}

function removedEntry(orgId: string, row: { id: string; email: string }) {
  return {
    orgId,
    action: "suppression.removed",
    target: { type: "suppression", id: row.id },
    details: { email: row.email },
  };
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
  ctx: { db: Db; orgId: string; audit: AuditOrigin };
  emails?: string[] | undefined;
  ids?: string[] | undefined;
}) {
  // Never an empty condition: that would remove every suppression of the organization.
  if (!emails?.length && !ids?.length) return { data: [] };
  const rows = await ctx.db.transaction(async (tx) => {
    const removed = await tx
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
      .returning({ id: suppressions.id, email: suppressions.email });
    await recordAudit(
      tx,
      ctx.audit,
      removed.map((row) => removedEntry(ctx.orgId, row)),
    );
    return removed;
  });
  return {
    data: rows.map((row) => ({ object: "suppression" as const, id: row.id, deleted: true })),
  };
}
