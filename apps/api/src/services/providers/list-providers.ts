import { eq } from "drizzle-orm";
import { providers } from "../../db/schema/index.ts";
import { type PageRequest, pageQuery, toPage } from "../../lib/pagination.ts";
import type { ProviderContext } from "./provider-context.ts";
import { providerView } from "./provider-view.ts";

/** The organization's providers, newest first (the order they are tried is `priority`'s). */
export async function listProviders({ ctx, page }: { ctx: ProviderContext; page: PageRequest }) {
  const query = pageQuery(providers.id, page, eq(providers.orgId, ctx.orgId));
  const rows = await ctx.db
    .select()
    .from(providers)
    .where(query.where)
    .orderBy(query.orderBy)
    .limit(query.limit);
  return toPage(rows, page, (row) => providerView(row, ctx.secrets));
}
