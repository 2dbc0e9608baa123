import { readFile, writeFile } from "node:fs/promises";
import type { Database } from "./db/client.ts";
import type { Logger } from "./lib/logger.ts";
import { decodeEncryptionKey, generateEncryptionKey } from "./lib/secrets.ts";
import { apiKeyWorks } from "./services/api-keys/authenticate-api-key.ts";
import { createOrganization } from "./services/organizations/create-organization.ts";

interface DevState {
  apiKey: string;
  orgId: string;
}

/**
 * The dev organization and its full-access key. Only the key's hash is in the database, so
 * the key itself is kept in the git-ignored data folder to be printed on every `pnpm dev`.
 */
export async function seedDevOrganization(
  database: Database,
  stateFile: string,
  logger: Logger,
): Promise<DevState> {
  const existing = await readState(stateFile);
  if (existing) {
    if (await apiKeyWorks(database.db, existing.apiKey)) return existing;
    logger.info("the saved dev key no longer works: creating a new dev organization");
  }
  const created = await createOrganization({
    db: database.db,
    input: { name: "Dev organization", keyName: "Dev key (pnpm dev)" },
  });
  const state = { apiKey: created.token, orgId: created.orgId };
  await writeFile(stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  return state;
}

async function readState(file: string): Promise<DevState | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as DevState;
  } catch {
    return undefined;
  }
}

/**
 * The dev encryption key, made on first use and kept in the data folder: the secrets stored in
 * the dev database (DKIM keys, ...) must stay readable across runs.
 */
export async function devEncryptionKey(file: string): Promise<Buffer> {
  const existing = decodeEncryptionKey((await readFile(file, "utf8").catch(() => "")).trim());
  if (existing) return existing;
  const created = generateEncryptionKey();
  await writeFile(file, `${created}\n`, { mode: 0o600 });
  return decodeEncryptionKey(created) as Buffer;
}
