import { eq } from "drizzle-orm";
import type { EndpointOut, Svix } from "svix";
import type { Db } from "../../db/client.ts";
import { webhookEndpoints } from "../../db/schema/index.ts";
import type { SecretBox } from "../../lib/secrets.ts";

type EndpointRow = Pick<
  typeof webhookEndpoints.$inferSelect,
  "id" | "endpoint" | "events" | "status" | "secret" | "previousSecretExpiresAt" | "updatedAt"
>;

/**
 * Keeps a Svix server's view of an organization's endpoints equal to ours: one Svix
 * application per organization (uid = the organization's id), one Svix endpoint per endpoint
 * (uid = its id) with its URL, event types, enabled state and signing secret; endpoints we no
 * longer have are deleted there. Looked at before each message, synced only when the
 * organization's endpoints changed since this process last synced them (their ids and
 * updated_at), so steady traffic costs one small query per message.
 */
export class SvixEndpointSync {
  readonly #svix: Svix;
  readonly #db: Db;
  readonly #secrets: SecretBox;
  readonly #synced = new Map<string, string>();
  readonly #running = new Map<string, Promise<void>>();

  constructor(svix: Svix, db: Db, secrets: SecretBox) {
    this.#svix = svix;
    this.#db = db;
    this.#secrets = secrets;
  }

  async ensure(orgId: string): Promise<void> {
    const rows = await this.#db
      .select({
        id: webhookEndpoints.id,
        endpoint: webhookEndpoints.endpoint,
        events: webhookEndpoints.events,
        status: webhookEndpoints.status,
        secret: webhookEndpoints.secret,
        previousSecretExpiresAt: webhookEndpoints.previousSecretExpiresAt,
        updatedAt: webhookEndpoints.updatedAt,
      })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.orgId, orgId));
    const fingerprint = rows
      .map((row) => `${row.id}@${row.updatedAt.getTime()}`)
      .sort()
      .join(",");
    if (this.#synced.get(orgId) === fingerprint) return;
    // Concurrent messages of one organization share one sync.
    let running = this.#running.get(orgId);
    if (!running) {
      running = this.#sync(orgId, rows)
        .then(() => {
          this.#synced.set(orgId, fingerprint);
        })
        .finally(() => this.#running.delete(orgId));
      this.#running.set(orgId, running);
    }
    await running;
  }

  async #sync(orgId: string, rows: EndpointRow[]): Promise<void> {
    if (!this.#synced.has(orgId)) {
      await this.#svix.application.getOrCreate({ name: orgId, uid: orgId });
    }
    const theirs = new Map<string, EndpointOut>();
    for (let iterator: string | null = null, done = false; !done; ) {
      const page = await this.#svix.endpoint.list(orgId, { limit: 250, iterator });
      for (const endpoint of page.data) theirs.set(endpoint.uid ?? endpoint.id, endpoint);
      ({ iterator, done } = page);
      if (!iterator) done = true;
    }
    for (const row of rows) {
      const secret = this.#secrets.open(row.secret);
      const wanted = {
        url: row.endpoint,
        eventTypes: row.events,
        disabled: row.status !== "enabled",
      };
      const existing = theirs.get(row.id);
      theirs.delete(row.id);
      if (!existing) {
        await this.#svix.endpoint.create(orgId, { uid: row.id, ...wanted, secret });
        continue;
      }
      if (
        existing.url !== wanted.url ||
        Boolean(existing.disabled) !== wanted.disabled ||
        !sameSet(existing.eventTypes ?? [], wanted.eventTypes)
      ) {
        await this.#svix.endpoint.patch(orgId, row.id, wanted);
      }
      const { key } = await this.#svix.endpoint.getSecret(orgId, row.id);
      if (key !== secret) {
        // Svix keeps the old secret signing beside the new one for the grace period, as we do.
        const grace = row.previousSecretExpiresAt
          ? Math.max(0, Math.ceil((row.previousSecretExpiresAt.getTime() - Date.now()) / 1000))
          : 0;
        await this.#svix.endpoint.rotateSecret(orgId, row.id, {
          key: secret,
          gracePeriodSeconds: Math.min(grace, 7 * 86_400),
        });
      }
    }
    for (const gone of theirs.values()) {
      await this.#svix.endpoint.delete(orgId, gone.uid ?? gone.id);
    }
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return a.length === b.length && b.every((item) => set.has(item));
}
