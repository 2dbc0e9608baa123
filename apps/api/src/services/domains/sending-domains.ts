import { domainToASCII } from "node:url";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { type DomainStatus, domains, organizations } from "../../db/schema/index.ts";
import { bareAddress, domainOf } from "../../lib/address.ts";
import { AppError } from "../../lib/errors.ts";

export interface KnownDomain {
  id: string;
  name: string;
  status: DomainStatus;
  /** Set while its sending is paused (services/reputation): why. */
  pausedReason: string | null;
}

/** An organization's or a domain's sending pause, as a refusal explains it. */
export interface PauseState {
  at: Date;
  reason: string;
}

/** Statuses a domain may send in: verified, or verified and briefly unconfirmed since. */
const SENDABLE: ReadonlySet<DomainStatus> = new Set(["verified", "temporary_failure"]);

interface OrgEntry {
  byName: Map<string, KnownDomain>;
  /** Set while all of the organization's sending is paused. */
  paused: PauseState | null;
  expiresAt: number;
}

/**
 * Which domains an organization may send from, for the accept path. Cached per organization
 * for a few seconds: a send must not cost a query, and a domain verified or deleted elsewhere
 * is seen within `ttlMs` (a domain changed through this process is seen at once: `forget`).
 */
export class SendingDomains {
  readonly #db: Db;
  readonly #ttlMs: number;
  readonly #maxOrgs: number;
  readonly #cache = new Map<string, OrgEntry>();

  constructor(db: Db, options: { ttlMs?: number; maxOrgs?: number } = {}) {
    this.#db = db;
    this.#ttlMs = options.ttlMs ?? 10_000;
    this.#maxOrgs = options.maxOrgs ?? 10_000;
  }

  async find(orgId: string, name: string): Promise<KnownDomain | undefined> {
    return (await this.#entry(orgId)).byName.get(name);
  }

  /** The organization's own pause (all its sending), if any. */
  async organizationPause(orgId: string): Promise<PauseState | null> {
    return (await this.#entry(orgId)).paused;
  }

  async #entry(orgId: string): Promise<OrgEntry> {
    const now = Date.now();
    const cached = this.#cache.get(orgId);
    if (cached && cached.expiresAt > now) return cached;
    // One query for the organization's pause and its domains.
    const rows = await this.#db
      .select({
        orgPausedAt: organizations.sendingPausedAt,
        orgPausedReason: organizations.sendingPausedReason,
        id: domains.id,
        name: domains.name,
        status: domains.status,
        pausedAt: domains.sendingPausedAt,
        pausedReason: domains.sendingPausedReason,
      })
      .from(organizations)
      .leftJoin(domains, eq(domains.orgId, organizations.id))
      .where(eq(organizations.id, orgId));
    const byName = new Map<string, KnownDomain>();
    for (const row of rows) {
      if (row.id === null || row.name === null || row.status === null) continue;
      const pausedReason = row.pausedAt ? (row.pausedReason ?? "sending paused") : null;
      byName.set(row.name, { id: row.id, name: row.name, status: row.status, pausedReason });
    }
    const first = rows[0];
    const paused = first?.orgPausedAt
      ? { at: first.orgPausedAt, reason: first.orgPausedReason ?? "sending paused" }
      : null;
    const entry = { byName, paused, expiresAt: now + this.#ttlMs };
    if (this.#cache.size >= this.#maxOrgs) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(orgId, entry);
    return entry;
  }

  forget(orgId: string): void {
    this.#cache.delete(orgId);
  }
}

export interface SenderPolicy {
  domains: SendingDomains;
  /** Off in dev mode: any from domain is accepted, and a verified one is still signed. */
  requireVerifiedDomain: boolean;
}

/** The domain part of a from address, as domains are stored (lowercase ASCII). */
export function fromDomain(from: string): string {
  return domainToASCII(domainOf(bareAddress(from)).toLowerCase());
}

/**
 * Decides whether an email may be sent from `from`, and from which domain row. 403
 * validation_error (Resend's answer) when the domain is not verified, or when the key is
 * limited to another domain; 403 sending_paused (ours) while the organization's or the
 * domain's sending is paused for its bounce or complaint rate.
 */
export async function resolveSenderDomain(
  policy: SenderPolicy,
  ctx: { orgId: string; apiKeyDomainId: string | null },
  from: string,
): Promise<string | null> {
  const name = fromDomain(from);
  const domain = await policy.domains.find(ctx.orgId, name);
  const sendable = domain !== undefined && SENDABLE.has(domain.status);
  if (ctx.apiKeyDomainId && domain?.id !== ctx.apiKeyDomainId) {
    throw new AppError(
      "validation_error",
      `This API key can only send from its own domain, not from ${name}`,
      [{ path: "from", message: "not the domain this API key is limited to" }],
      403,
    );
  }
  const orgPause = await policy.domains.organizationPause(ctx.orgId);
  if (orgPause) {
    throw new AppError(
      "sending_paused",
      `Sending is paused for this organization since ${orgPause.at.toISOString()}: ${orgPause.reason}. Find the cause with GET /reputation, fix it (e.g. remove invalid or unwilling recipients), then resume with POST /reputation/resume`,
    );
  }
  if (domain?.pausedReason) {
    throw new AppError(
      "sending_paused",
      `Sending from ${name} is paused: ${domain.pausedReason}. Find the cause with GET /reputation, fix it (e.g. remove invalid or unwilling recipients), then resume with POST /reputation/resume and {"domain_id": "${domain.id}"}`,
      [{ path: "from", message: `sending from ${name} is paused` }],
    );
  }
  if (sendable) return domain.id;
  if (policy.requireVerifiedDomain) {
    throw new AppError(
      "validation_error",
      `The ${name} domain is not verified. Add it with POST /domains and verify it with POST /domains/{id}/verify`,
      [{ path: "from", message: `${name} is not a verified domain of this organization` }],
      403,
    );
  }
  return null;
}
