import type { Db } from "../../db/client.ts";
import { type ApiKeyPermission, apiKeys } from "../../db/schema/index.ts";
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
  ctx: { db: Pick<Db, "insert">; orgId: string };
  input: { name: string; permission: ApiKeyPermission; token?: string };
}): Promise<{ id: string; token: string }> {
  const issued = input.token ? describeToken(input.token) : issueToken();
  const id = newId();
  await ctx.db.insert(apiKeys).values({
    id,
    orgId: ctx.orgId,
    name: input.name,
    tokenHash: issued.hash,
    tokenPrefix: issued.displayPrefix,
    permission: input.permission,
  });
  return { id, token: issued.token };
}
