import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { domains, organizations } from "../../db/schema/index.ts";

/** A pause that stops an email: its organization's, or its sending domain's. */
export interface SendingPause {
  scope: "organization" | "domain";
  scopeId: string;
  reason: string;
}

interface OrgPauses {
  organization: string | null;
  /** Paused domains of the organization, by id. */
  domains: Map<string, string>;
  expiresAt: number;
}

/** The pause reason of a paused row, null when it is not paused. */
export const pausedReason = (table: typeof organizations | typeof domains) =>
  sql<string | null>`case when ${table.sendingPausedAt} is not null
    then coalesce(${table.sendingPausedReason}, 'sending paused') end`;

/** An organization's pauses, read in one query. */
export async function readPauses(db: Db, orgId: string): Promise<Omit<OrgPauses, "expiresAt">> {
  const rows = await db
    .select({
      organization: pausedReason(organizations),
      domainId: domains.id,
      domain: domains.sendingPausedReason,
    })
    .from(organizations)
    .leftJoin(domains, and(eq(domains.orgId, organizations.id), isNotNull(domains.sendingPausedAt)))
    .where(eq(organizations.id, orgId));
  const paused = new Map<string, string>();
  for (const row of rows) {
    if (row.domainId) paused.set(row.domainId, row.domain ?? "sending paused");
  }
  return { organization: rows[0]?.organization ?? null, domains: paused };
}

export function pauseOf(
  pauses: Omit<OrgPauses, "expiresAt">,
  orgId: string,
  domainId: string | null,
): SendingPause | null {
  if (pauses.organization !== null) {
    return { scope: "organization", scopeId: orgId, reason: pauses.organization };
  }
  const reason = domainId ? pauses.domains.get(domainId) : undefined;
  return domainId && reason !== undefined ? { scope: "domain", scopeId: domainId, reason } : null;
}

/**
 * Which senders are paused, as the worker sees them: cached per organization for a few
 * seconds, since a delivery must not cost a query. A stale "paused" is harmless (the hold
 * re-reads it under lock, services/reputation/hold-emails.ts); a stale "not paused" lets a few
 * more emails out in the seconds after a pause.
 */
export class SendingPauses {
  readonly #db: Db;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, OrgPauses>();

  constructor(db: Db, options: { ttlMs?: number } = {}) {
    this.#db = db;
    this.#ttlMs = options.ttlMs ?? 10_000;
  }

  async find(orgId: string, domainId: string | null): Promise<SendingPause | null> {
    const now = Date.now();
    let entry = this.#cache.get(orgId);
    if (!entry || entry.expiresAt <= now) {
      entry = { ...(await readPauses(this.#db, orgId)), expiresAt: now + this.#ttlMs };
      if (this.#cache.size > 10_000) this.#cache.clear();
      this.#cache.set(orgId, entry);
    }
    return pauseOf(entry, orgId, domainId);
  }

  forget(orgId: string): void {
    this.#cache.delete(orgId);
  }
}
