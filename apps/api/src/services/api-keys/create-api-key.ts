import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { type ApiKeyPermission, apiKeys, domains } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { describeToken, issueToken } from "./tokens.ts";

/**
 * Creates an API key and answers its token, the only time it is ever shown: only its hash is
 * stored. `token` may be given (BOOTSTRAP_API_KEY); otherwise a random one is issued.
 */
export async function createApiKey({
  ctx,
  input,
}: {
  ctx: { db: Pick<Db, "insert" | "select">; orgId: string };
  input: {
    name: string;
    permission: ApiKeyPermission;
    domain_id?: string | undefined;
    token?: string;
  };
}): Promise<{ id: string; token: string }> {
  if (input.domain_id) {
    const [domain] = await ctx.db
      .select({ id: domains.id })
      .from(domains)
      .where(and(eq(domains.id, input.domain_id), eq(domains.orgId, ctx.orgId)));
    if (!domain) {
      throw new AppError("validation_error", "`domain_id`: no such domain in this organization", [
        { path: "domain_id", message: "no such domain in this organization" },
      ]);
    }
  }
  const issued = input.token ? describeToken(input.token) : issueToken();
  const id = newId();
  await ctx.db.insert(apiKeys).values({
    id,
    orgId: ctx.orgId,
    name: input.name,
    tokenHash: issued.hash,
    tokenPrefix: issued.displayPrefix,
    permission: input.permission,
    domainId: input.domain_id ?? null,
  });
  return { id, token: issued.token };
}
