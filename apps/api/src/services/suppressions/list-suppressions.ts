import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { type SuppressionOrigin, suppressions } from "../../db/schema/index.ts";
import { type PageRequest, pageQuery, toPage } from "../../lib/pagination.ts";
import { suppressionView } from "./suppression-view.ts";

/** The organization's suppressions, newest first, optionally of one origin. */
export async function listSuppressions({
  ctx,
  page,
  origin,
}: {
  ctx: { db: Db; orgId: string };
  page: PageRequest;
  origin?: SuppressionOrigin | undefined;
}) {
  const scope = and(
    eq(suppressions.orgId, ctx.orgId),
    origin ? eq(suppressions.origin, origin) : undefined,
  );
  const query = pageQuery(suppressions.id, page, scope);
  const rows = await ctx.db
    .select()
    .from(suppressions)
    .where(query.where)
    .orderBy(query.orderBy)
    .limit(query.limit);
  return toPage(rows, page, (row) => {
    const { object: _, ...entry } = suppressionView(row);
    return entry;
  });
}
