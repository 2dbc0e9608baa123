import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiKeys } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";

/** Revokes a key: it stops working at once in this process, within seconds in the others. */
export async function revokeApiKey({
  ctx,
  id,
}: {
  ctx: { db: Db; orgId: string; audit: AuditOrigin };
  id: string;
}): Promise<{ object: "api_key"; id: string; deleted: true }> {
  await ctx.db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, ctx.orgId), isNull(apiKeys.revokedAt)))
      .returning({ name: apiKeys.name, tokenPrefix: apiKeys.tokenPrefix });
    if (!revoked) throw notFound("API key");
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "api_key.revoked",
      target: { type: "api_key", id },
      details: { name: revoked.name, token_prefix: revoked.tokenPrefix },
    });
  });
  return { object: "api_key", id, deleted: true };
}
