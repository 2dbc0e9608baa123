import { domainToASCII } from "node:url";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { type DomainStatus, domains } from "../../db/schema/index.ts";
import { bareAddress, domainOf } from "../../lib/address.ts";
import { AppError } from "../../lib/errors.ts";

export interface KnownDomain {
  id: string;
  name: string;
  status: DomainStatus;
}

/** Statuses a domain may send in: verified, or verified and briefly unconfirmed since. */
const SENDABLE: ReadonlySet<DomainStatus> = new Set(["verified", "temporary_failure"]);

interface OrgEntry {
  byName: Map<string, KnownDomain>;
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
    const now = Date.now();
    let entry = this.#cache.get(orgId);
    if (!entry || entry.expiresAt <= now) {
      const rows = await this.#db
        .select({ id: domains.id, name: domains.name, status: domains.status })
        .from(domains)
        .where(eq(domains.orgId, orgId));
      entry = { byName: new Map(rows.map((row) => [row.name, row])), expiresAt: now + this.#ttlMs };
      if (this.#cache.size >= this.#maxOrgs) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
      this.#cache.set(orgId, entry);
    }
    return entry.byName.get(name);
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
 * limited to another domain.
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
