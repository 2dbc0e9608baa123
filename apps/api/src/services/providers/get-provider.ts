import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { providers } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import type { ProviderContext } from "./provider-context.ts";
import { type ProviderRow, providerView } from "./provider-view.ts";

export async function findProvider(
  db: Pick<Db, "select">,
  orgId: string,
  id: string,
): Promise<ProviderRow> {
  const [row] = await db
    .select()
    .from(providers)
    .where(and(eq(providers.id, id), eq(providers.orgId, orgId)));
  if (!row) throw notFound("Provider");
  return row;
}

export async function getProvider({ ctx, id }: { ctx: ProviderContext; id: string }) {
  return providerView(await findProvider(ctx.db, ctx.orgId, id), ctx.secrets);
}
