import { and, eq } from "drizzle-orm";
import { emails } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import type { ServiceContext } from "../context.ts";
import { emailView } from "./email-view.ts";

export async function getEmail({
  ctx,
  id,
}: {
  ctx: Pick<ServiceContext, "db" | "orgId">;
  id: string;
}) {
  const [row] = await ctx.db
    .select()
    .from(emails)
    .where(and(eq(emails.id, id), eq(emails.orgId, ctx.orgId)));
  if (!row) throw notFound("Email");
  return emailView(row);
}
