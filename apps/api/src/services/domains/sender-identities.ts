import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { type DomainStatus, domains } from "../../db/schema/index.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import { returnPathDomain } from "./records.ts";

/** What the worker needs to send as a domain: its signing key and where bounces return. */
export interface SenderIdentity {
  domainId: string;
  name: string;
  status: DomainStatus;
  dkim: { domainName: string; keySelector: string; privateKey: string };
  returnPathDomain: string;
  openTracking: boolean;
  clickTracking: boolean;
}

interface Entry {
  identity: SenderIdentity | null;
  expiresAt: number;
}

/**
 * Domains as the worker signs with them, cached for a short while: a delivery must not cost a
 * query and a decryption, and a domain deleted or changed is seen within `ttlMs`.
 */
export class SenderIdentities {
  readonly #db: Db;
  readonly #secrets: SecretBox;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, Entry>();

  constructor(db: Db, secrets: SecretBox, options: { ttlMs?: number } = {}) {
    this.#db = db;
    this.#secrets = secrets;
    this.#ttlMs = options.ttlMs ?? 30_000;
  }

  async get(orgId: string, domainId: string): Promise<SenderIdentity | null> {
    const now = Date.now();
    const cached = this.#cache.get(domainId);
    if (cached && cached.expiresAt > now) return cached.identity;
    const [row] = await this.#db
      .select()
      .from(domains)
      .where(and(eq(domains.id, domainId), eq(domains.orgId, orgId)));
    const identity: SenderIdentity | null = row
      ? {
          domainId: row.id,
          name: row.name,
          status: row.status,
          dkim: {
            domainName: row.name,
            keySelector: row.dkimSelector,
            privateKey: this.#secrets.open(row.dkimPrivateKey),
          },
          returnPathDomain: returnPathDomain(row),
          openTracking: row.openTracking,
          clickTracking: row.clickTracking,
        }
      : null;
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(domainId, { identity, expiresAt: now + this.#ttlMs });
    return identity;
  }
}
