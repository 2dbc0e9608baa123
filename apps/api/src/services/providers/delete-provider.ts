import { and, eq } from "drizzle-orm";
import { providers } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import type { ProviderContext } from "./provider-context.ts";

/**
 * Removes a provider. Workers stop using it when their cache of the organization's providers
 * expires (services/providers/org-providers.ts); sends already under way finish.
 */
export async function deleteProvider({ ctx, id }: { ctx: ProviderContext; id: string }) {
  const [row] = await ctx.db
    .delete(providers)
    .where(and(eq(providers.id, id), eq(providers.orgId, ctx.orgId)))
    .returning({ id: providers.id });
  if (!row) throw notFound("Provider");
  return { object: "provider" as const, id: row.id, deleted: true as const };
}
