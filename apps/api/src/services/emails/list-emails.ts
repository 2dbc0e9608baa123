import { eq } from "drizzle-orm";
import { emails } from "../../db/schema/index.ts";
import { type PageRequest, pageQuery, toPage } from "../../lib/pagination.ts";
import type { ServiceContext } from "../context.ts";
import { emailListItemView } from "./email-view.ts";

export async function listEmails({
  ctx,
  page,
}: {
  ctx: Pick<ServiceContext, "db" | "orgId">;
  page: PageRequest;
}) {
  const query = pageQuery(emails.id, page, eq(emails.orgId, ctx.orgId));
  const rows = await ctx.db
    .select()
    .from(emails)
    .where(query.where)
    .orderBy(query.orderBy)
    .limit(query.limit);
  return toPage(rows, page, emailListItemView);
}
