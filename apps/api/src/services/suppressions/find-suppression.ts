import { and, eq, or, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { suppressions } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { normalizeSuppressedEmail, suppressionView } from "./suppression-view.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Resend takes a suppression's id or its email address in the same path parameter. */
export function byIdOrEmail(idOrEmail: string): SQL | undefined {
  const email = eq(suppressions.email, normalizeSuppressedEmail(idOrEmail));
  return UUID.test(idOrEmail) ? or(eq(suppressions.id, idOrEmail.toLowerCase()), email) : email;
}

export async function getSuppression({
  ctx,
  idOrEmail,
}: {
  ctx: { db: Db; orgId: string };
  idOrEmail: string;
}) {
  const [row] = await ctx.db
    .select()
    .from(suppressions)
    .where(and(eq(suppressions.orgId, ctx.orgId), byIdOrEmail(idOrEmail)));
  if (!row) throw notFound("Suppression");
  return suppressionView(row);
}
