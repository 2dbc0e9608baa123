import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { apiKeys } from "../../db/schema/index.ts";
import { createOrganization } from "./create-organization.ts";

const BOOTSTRAP_LOCK = 7_316_482_002;

/**
 * BOOTSTRAP_API_KEY: on a database with no API key yet, creates an organization and a
 * full-access key with exactly the given value, for automation and first deploys. Answers
 * whether it did. Several processes starting at once create it once (advisory lock).
 */
export async function bootstrapApiKey(db: Db, token: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
    const [existing] = await tx.select({ id: apiKeys.id }).from(apiKeys).limit(1);
    if (existing) return false;
    await createOrganization({
      db: tx as unknown as Db,
      input: { name: "Default organization", keyName: "Bootstrap key", token },
    });
    return true;
  });
}
