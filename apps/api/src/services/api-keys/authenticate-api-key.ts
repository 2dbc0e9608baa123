import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { type ApiKeyPermission, apiKeys } from "../../db/schema/index.ts";
import type { Logger } from "../../lib/logger.ts";
import { hashToken } from "./tokens.ts";

export interface AuthenticatedKey {
  id: string;
  orgId: string;
  permission: ApiKeyPermission;
  /** A sending_access key limited to one domain. */
  domainId: string | null;
}

interface CacheEntry {
  key: AuthenticatedKey | null;
  expiresAt: number;
}

export interface ApiKeyAuthenticatorOptions {
  /** How long a looked-up key is trusted without asking the database again. */
  ttlMs?: number;
  /** last_used_at is written at most this often per key, not on every request. */
  lastUsedResolutionMs?: number;
  maxEntries?: number;
}

/**
 * Resolves bearer tokens to keys. Lookups are cached for a few seconds so that the send path
 * does not pay a database round trip per request; a key revoked through this process is
 * forgotten at once, one revoked through another process within `ttlMs`.
 */
export class ApiKeyAuthenticator {
  readonly #db: Db;
  readonly #logger: Logger;
  readonly #ttlMs: number;
  readonly #lastUsedResolutionMs: number;
  readonly #maxEntries: number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #lastUsedWrittenAt = new Map<string, number>();

  constructor(db: Db, logger: Logger, options: ApiKeyAuthenticatorOptions = {}) {
    this.#db = db;
    this.#logger = logger;
    this.#ttlMs = options.ttlMs ?? 10_000;
    this.#lastUsedResolutionMs = options.lastUsedResolutionMs ?? 60_000;
    this.#maxEntries = options.maxEntries ?? 10_000;
  }

  async authenticate(token: string): Promise<AuthenticatedKey | null> {
    const hash = hashToken(token);
    const now = Date.now();
    const cached = this.#cache.get(hash);
    let key: AuthenticatedKey | null;
    if (cached && cached.expiresAt > now) {
      key = cached.key;
    } else {
      key = await this.#lookup(hash);
      this.#remember(hash, key, now);
    }
    if (key) this.#touch(key.id, now);
    return key;
  }

  /** Drops a key from this process's cache (after it is revoked). */
  forget(keyId: string): void {
    for (const [hash, entry] of this.#cache) {
      if (entry.key?.id === keyId) this.#cache.delete(hash);
    }
  }

  async #lookup(hash: string): Promise<AuthenticatedKey | null> {
    const [row] = await this.#db
      .select({
        id: apiKeys.id,
        orgId: apiKeys.orgId,
        permission: apiKeys.permission,
        domainId: apiKeys.domainId,
      })
      .from(apiKeys)
      .where(and(eq(apiKeys.tokenHash, hash), isNull(apiKeys.revokedAt)))
      .limit(1);
    return row ?? null;
  }

  #remember(hash: string, key: AuthenticatedKey | null, now: number): void {
    if (this.#cache.size >= this.#maxEntries) {
      // Map iterates in insertion order: drop the oldest entry.
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(hash, { key, expiresAt: now + this.#ttlMs });
  }

  #touch(keyId: string, now: number): void {
    const last = this.#lastUsedWrittenAt.get(keyId) ?? 0;
    if (now - last < this.#lastUsedResolutionMs) return;
    this.#lastUsedWrittenAt.set(keyId, now);
    this.#db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiKeys.id, keyId))
      .catch((error: unknown) =>
        this.#logger.warn({ err: error, keyId }, "could not record last_used_at"),
      );
  }
}
