import { and, eq } from "drizzle-orm";
import { providers } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { ProviderContext } from "./provider-context.ts";

/**
 * Removes a provider. Workers stop using it when their cache of the organization's providers
 * expires (services/providers/org-providers.ts); sends already under way finish.
 */
export async function deleteProvider({ ctx, id }: { ctx: ProviderContext; id: string }) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(providers)
      .where(and(eq(providers.id, id), eq(providers.orgId, ctx.orgId)))
      .returning({ id: providers.id, name: providers.name });
    if (!row) throw notFound("Provider");
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "provider.deleted",
      target: { type: "provider", id: row.id },
      details: { name: row.name },
    });
    return { object: "provider" as const, id: row.id, deleted: true as const };
  });
}
