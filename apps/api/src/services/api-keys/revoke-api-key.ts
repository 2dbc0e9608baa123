import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiKeys } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";

/** Revokes a key: it stops working at once in this process, within seconds in the others. */
export async function revokeApiKey({
  ctx,
  id,
}: {
  ctx: { db: Db; orgId: string };
  id: string;
}): Promise<{ object: "api_key"; id: string; deleted: true }> {
  const revoked = await ctx.db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, ctx.orgId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (revoked.length === 0) throw notFound("API key");
  return { object: "api_key", id, deleted: true };
}
