import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { domains } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { domainSummary } from "./domain-view.ts";
import { domainRecords, type RecordConfig } from "./records.ts";

export async function findDomain(db: Pick<Db, "select">, orgId: string, id: string) {
  const [row] = await db
    .select()
    .from(domains)
    .where(and(eq(domains.id, id), eq(domains.orgId, orgId)));
  if (!row) throw notFound("Domain");
  return row;
}

export async function getDomain({
  ctx,
  id,
}: {
  ctx: { db: Db; orgId: string; config: RecordConfig };
  id: string;
}) {
  const row = await findDomain(ctx.db, ctx.orgId, id);
  return domainSummary(row, domainRecords(row, ctx.config));
}
