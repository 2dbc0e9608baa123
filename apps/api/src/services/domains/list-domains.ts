import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { domains } from "../../db/schema/index.ts";
import { type PageRequest, pageQuery, toPage } from "../../lib/pagination.ts";
import { domainListItem } from "./domain-view.ts";

/** The organization's domains, newest first. */
export async function listDomains({
  ctx,
  page,
}: {
  ctx: { db: Db; orgId: string };
  page: PageRequest;
}) {
  const query = pageQuery(domains.id, page, eq(domains.orgId, ctx.orgId));
  const rows = await ctx.db
    .select()
    .from(domains)
    .where(query.where)
    .orderBy(query.orderBy)
    .limit(query.limit);
  return toPage(rows, page, domainListItem);
}
