import type { Db } from "../../db/client.ts";
import { organizations } from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";
import { createApiKey } from "../api-keys/create-api-key.ts";
import { type AuditOrigin, recordAudit, SYSTEM_ORIGIN } from "../audit/record-audit.ts";

/**
 * A new organization with one full-access key (sign-up, bootstrap, dev seed, tests), audited
 * as `origin`'s doing (the system's unless given).
 */
export async function createOrganization({
  db,
  input,
  origin = SYSTEM_ORIGIN,
}: {
  db: Db;
  input: { name: string; keyName?: string; token?: string };
  origin?: AuditOrigin;
}): Promise<{ orgId: string; apiKeyId: string; token: string }> {
  return db.transaction(async (tx) => {
    const orgId = newId();
    await tx.insert(organizations).values({ id: orgId, name: input.name });
    await recordAudit(tx, origin, {
      orgId,
      action: "organization.created",
      target: { type: "organization", id: orgId },
      details: { name: input.name },
    });
    const key = await createApiKey({
      ctx: { db: tx, orgId, audit: origin },
      input: { name: input.keyName ?? "Default", permission: "full_access", token: input.token },
    });
    return { orgId, apiKeyId: key.id, token: key.token };
  });
}
