import type { Db } from "../../db/client.ts";
import { organizations } from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";
import { createApiKey } from "../api-keys/create-api-key.ts";

/** A new organization with one full-access key (sign-up, bootstrap, dev seed, tests). */
export async function createOrganization({
  db,
  input,
}: {
  db: Db;
  input: { name: string; keyName?: string; token?: string };
}): Promise<{ orgId: string; apiKeyId: string; token: string }> {
  return db.transaction(async (tx) => {
    const orgId = newId();
    await tx.insert(organizations).values({ id: orgId, name: input.name });
    const key = await createApiKey({
      ctx: { db: tx, orgId },
      input: { name: input.keyName ?? "Default", permission: "full_access", token: input.token },
    });
    return { orgId, apiKeyId: key.id, token: key.token };
  });
}
