import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { type SuppressionOrigin, suppressions } from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";
import { normalizeSuppressedEmail } from "./suppression-view.ts";

export interface NewSuppression {
  email: string;
  origin: SuppressionOrigin;
  sourceEmailId?: string | null;
  details?: Record<string, unknown> | null;
}

/**
 * Suppresses addresses. Adding one already suppressed keeps the existing entry (its origin and
 * date) and answers its id, as Resend does; the answer is in the order given.
 */
export async function addSuppressions(
  db: Pick<Db, "insert">,
  orgId: string,
  entries: NewSuppression[],
): Promise<{ object: "suppression"; id: string }[]> {
  if (entries.length === 0) return [];
  const rows = entries.map((entry) => ({
    id: newId(),
    orgId,
    email: normalizeSuppressedEmail(entry.email),
    origin: entry.origin,
    sourceEmailId: entry.sourceEmailId ?? null,
    details: entry.details ?? null,
  }));
  const unique = [...new Map(rows.map((row) => [row.email, row])).values()];
  // The no-op update makes the existing row come back in RETURNING, with its id.
  const stored = await db
    .insert(suppressions)
    .values(unique)
    .onConflictDoUpdate({
      target: [suppressions.orgId, suppressions.email],
      set: { email: sql`excluded.email` },
    })
    .returning({ id: suppressions.id, email: suppressions.email });
  const ids = new Map(stored.map((row) => [row.email, row.id]));
  return rows.map((row) => ({ object: "suppression" as const, id: ids.get(row.email) ?? row.id }));
}

/**
 * Suppresses addresses at someone's request (POST /suppressions and its batch), with an audit
 * entry per address, in one transaction. Suppressions the system adds (bounces, complaints,
 * unsubscribes) are recorded by their events instead.
 */
export async function addSuppressionsAudited({
  ctx,
  entries,
}: {
  ctx: { db: Db; orgId: string; audit: AuditOrigin };
  entries: NewSuppression[];
}): Promise<{ object: "suppression"; id: string }[]> {
  return ctx.db.transaction(async (tx) => {
    const added = await addSuppressions(tx, ctx.orgId, entries);
    await recordAudit(
      tx,
      ctx.audit,
      added.map((suppression, index) => ({
        orgId: ctx.orgId,
        action: "suppression.added",
        target: { type: "suppression", id: suppression.id },
        details: { email: normalizeSuppressedEmail(entries[index]?.email ?? "") },
      })),
    );
    return added;
  });
}
