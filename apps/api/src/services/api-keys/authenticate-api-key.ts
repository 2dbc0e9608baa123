import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { type ApiKeyKind, apiKeys, requestSigningSecrets } from "../../db/schema/index.ts";
import { compileAllowList } from "../../lib/ip-allow-list.ts";
import type { Logger } from "../../lib/logger.ts";
import type { Permission } from "../../lib/permissions.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import type { Cidr } from "../../lib/ssrf.ts";
import { apiKeyPermissions } from "./key-permissions.ts";
import { hashToken } from "./tokens.ts";

export interface AuthenticatedKey {
  id: string;
  orgId: string;
  permission: ApiKeyKind;
  /** What the key may do: its kind's set, or a custom key's own (apiKeyPermissions). */
  permissions: ReadonlySet<Permission>;
  /** A key limited to sending from one domain. */
  domainId: string | null;
  /** Milliseconds since the epoch past which the key is refused; null: never. */
  expiresAt: number | null;
  /** Where the key may be used from; null: anywhere. */
  allowedIps: { text: string[]; cidrs: Cidr[] } | null;
  /** The organization requires signed requests: the secrets a signature may use. */
  signing: SigningSecrets | null;
}

export interface SigningSecrets {
  current: string;
  /** The secret it replaced, accepted until `previousExpiresAt` (ms). */
  previous: string | null;
  previousExpiresAt: number | null;
}

/** Whether `token` is a key that is neither revoked nor expired (no cache: start-up checks). */
export async function apiKeyWorks(db: Db, token: string): Promise<boolean> {
  const [row] = await db
    .select({ expiresAt: apiKeys.expiresAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.tokenHash, hashToken(token)), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row !== undefined && (row.expiresAt === null || row.expiresAt > new Date());
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
 * does not pay a database round trip per request. A key revoked or rotated through this
 * process is forgotten at once, through another process within `ttlMs`; an expiry is checked
 * on every request against the cached time, so an expired key stops everywhere on time
 * (a rotation's new expiry is seen by other processes within `ttlMs`). The organization's
 * request-signing secrets come with the key, under the same rule, and so does the key's set of
 * permissions, resolved once per lookup.
 */
export class ApiKeyAuthenticator {
  readonly #db: Db;
  readonly #logger: Logger;
  readonly #secrets: SecretBox;
  readonly #ttlMs: number;
  readonly #lastUsedResolutionMs: number;
  readonly #maxEntries: number;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #lastUsedWrittenAt = new Map<string, number>();

  constructor(
    db: Db,
    logger: Logger,
    secrets: SecretBox,
    options: ApiKeyAuthenticatorOptions = {},
  ) {
    this.#db = db;
    this.#logger = logger;
    this.#secrets = secrets;
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
    if (key && (key.expiresAt === null || key.expiresAt > now)) this.#touch(key.id, now);
    return key;
  }

  /** Drops a key from this process's cache (after it is revoked or rotated). */
  forget(keyId: string): void {
    for (const [hash, entry] of this.#cache) {
      if (entry.key?.id === keyId) this.#cache.delete(hash);
    }
  }

  /** Drops an organization's keys from this process's cache (its request signing changed). */
  forgetOrganization(orgId: string): void {
    for (const [hash, entry] of this.#cache) {
      if (entry.key?.orgId === orgId) this.#cache.delete(hash);
    }
  }

  async #lookup(hash: string): Promise<AuthenticatedKey | null> {
    const [row] = await this.#db
      .select({
        id: apiKeys.id,
        orgId: apiKeys.orgId,
        permission: apiKeys.permission,
        permissions: apiKeys.permissions,
        domainId: apiKeys.domainId,
        expiresAt: apiKeys.expiresAt,
        allowedIps: apiKeys.allowedIps,
        signingSecret: requestSigningSecrets.secret,
        previousSigningSecret: requestSigningSecrets.previousSecret,
        previousSigningExpiresAt: requestSigningSecrets.previousExpiresAt,
      })
      .from(apiKeys)
      .leftJoin(requestSigningSecrets, eq(requestSigningSecrets.orgId, apiKeys.orgId))
      .where(and(eq(apiKeys.tokenHash, hash), isNull(apiKeys.revokedAt)))
      .limit(1);
    if (!row) return null;
    return {
      id: row.id,
      orgId: row.orgId,
      permission: row.permission,
      permissions: apiKeyPermissions(row.permission, row.permissions),
      domainId: row.domainId,
      expiresAt: row.expiresAt?.getTime() ?? null,
      allowedIps: row.allowedIps?.length
        ? { text: row.allowedIps, cidrs: compileAllowList(row.allowedIps) }
        : null,
      signing: row.signingSecret
        ? {
            current: this.#secrets.open(row.signingSecret),
            previous: row.previousSigningSecret
              ? this.#secrets.open(row.previousSigningSecret)
              : null,
            previousExpiresAt: row.previousSigningExpiresAt?.getTime() ?? null,
          }
        : null,
    };
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
        this.#logger.warn({ err: error }, "could not record last_used_at"),
      );
  }
}
