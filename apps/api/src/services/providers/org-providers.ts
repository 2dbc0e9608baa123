import type { LookupFunction } from "node:net";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { providers } from "../../db/schema/index.ts";
import type { Logger } from "../../lib/logger.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import {
  type BreakerSettings,
  GuardedProvider,
  type GuardedProviderHooks,
} from "../../mail/provider-breaker.ts";
import { openSettings } from "./provider-settings.ts";
import { orgProviderTransport } from "./provider-transport.ts";

interface Built {
  orgId: string;
  /** The row's updated_at: a changed row gets a new transport and breaker. */
  version: number;
  guarded: GuardedProvider;
}

interface OrgEntry {
  links: GuardedProvider[];
  expiresAt: number;
}

export interface OrgProvidersOptions {
  db: Db;
  secrets: SecretBox;
  breaker: BreakerSettings;
  hooks: GuardedProviderHooks;
  /** Resolves organizations' SMTP hosts (an SSRF guard's lookup). */
  lookup: LookupFunction;
  logger: Logger;
  /** How long an organization's list is reused; a change through the API is seen after it. */
  ttlMs?: number;
  /** SMTP connections per organization provider and worker process. */
  maxConnections?: number;
}

/**
 * Each organization's enabled providers, in priority order, as the worker sends through them.
 * A provider keeps its transport (connection pool) and breaker from one email to the next,
 * and across refreshes while its row is unchanged. One replaced or removed is closed a while
 * later, once sends already under way through it have finished.
 */
export class OrgProviders {
  readonly #options: OrgProvidersOptions;
  readonly #ttlMs: number;
  readonly #orgs = new Map<string, OrgEntry>();
  readonly #loading = new Map<string, Promise<GuardedProvider[]>>();
  readonly #built = new Map<string, Built>();
  readonly #retiring = new Map<NodeJS.Timeout, GuardedProvider>();

  constructor(options: OrgProvidersOptions) {
    this.#options = options;
    this.#ttlMs = options.ttlMs ?? 30_000;
  }

  async get(orgId: string): Promise<GuardedProvider[]> {
    const cached = this.#orgs.get(orgId);
    if (cached && cached.expiresAt > Date.now()) return cached.links;
    let loading = this.#loading.get(orgId);
    if (!loading) {
      loading = this.#load(orgId).finally(() => this.#loading.delete(orgId));
      this.#loading.set(orgId, loading);
    }
    return loading;
  }

  async #load(orgId: string): Promise<GuardedProvider[]> {
    const rows = await this.#options.db
      .select()
      .from(providers)
      .where(and(eq(providers.orgId, orgId), eq(providers.enabled, true)))
      .orderBy(asc(providers.priority), asc(providers.id));
    const links: GuardedProvider[] = [];
    for (const row of rows) {
      const version = row.updatedAt.getTime();
      const built = this.#built.get(row.id);
      if (built && built.version === version) {
        links.push(built.guarded);
        continue;
      }
      if (built) this.#retire(row.id);
      try {
        const guarded = this.#build(row);
        this.#built.set(row.id, { orgId, version, guarded });
        links.push(guarded);
      } catch (error) {
        // Settings sealed under another ENCRYPTION_KEY, say: the others still send.
        this.#options.logger.error({ err: error, providerId: row.id }, "provider unusable");
      }
    }
    const kept = new Set(rows.map((row) => row.id));
    for (const [id, built] of this.#built) {
      if (built.orgId === orgId && !kept.has(id)) this.#retire(id);
    }
    this.#orgs.set(orgId, { links, expiresAt: Date.now() + this.#ttlMs });
    return links;
  }

  #build(row: typeof providers.$inferSelect): GuardedProvider {
    const transport = orgProviderTransport(openSettings(this.#options.secrets, row.config), {
      name: row.name,
      lookup: this.#options.lookup,
      maxConnections: this.#options.maxConnections ?? 2,
    });
    return new GuardedProvider(
      {
        key: `provider:${row.id}`,
        name: row.name,
        id: row.id,
        transport,
        ratePerSecond: row.ratePerSecond,
      },
      this.#options.breaker,
      this.#options.hooks,
    );
  }

  /** Closed after the longest a send can take (the SMTP socket's 2-minute timeout). */
  #retire(id: string): void {
    const built = this.#built.get(id);
    if (!built) return;
    this.#built.delete(id);
    const timer = setTimeout(() => {
      this.#retiring.delete(timer);
      void built.guarded.close();
    }, 150_000);
    timer.unref();
    this.#retiring.set(timer, built.guarded);
  }

  async close(): Promise<void> {
    const retiring = [...this.#retiring];
    for (const [timer] of retiring) clearTimeout(timer);
    this.#retiring.clear();
    await Promise.all([
      ...retiring.map(([, guarded]) => guarded.close()),
      ...[...this.#built.values()].map((built) => built.guarded.close()),
    ]);
    this.#built.clear();
    this.#orgs.clear();
  }
}
