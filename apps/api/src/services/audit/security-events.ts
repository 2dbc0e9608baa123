import type { Db } from "../../db/client.ts";
import type { Logger } from "../../lib/logger.ts";
import { type AuditEntry, type AuditOrigin, recordAudit } from "./record-audit.ts";

/**
 * Security events with no change to record them with (a refused request: a key used from an
 * address it is not allowed from, a bad request signature, a sign-in attempt on a locked
 * account). Each is written on its own, without holding up the answer, and at most once per
 * `throttleMs` and `throttleKey` in this process, so a client retrying in a loop cannot turn
 * refusals into a flood of writes.
 */
export class SecurityEvents {
  readonly #db: Db;
  readonly #logger: Logger;
  readonly #throttleMs: number;
  readonly #lastWritten = new Map<string, number>();

  constructor(db: Db, logger: Logger, options: { throttleMs?: number } = {}) {
    this.#db = db;
    this.#logger = logger;
    this.#throttleMs = options.throttleMs ?? 60_000;
  }

  /** Records the event unless one with the same `throttleKey` was within `throttleMs`. */
  record(origin: AuditOrigin, entry: AuditEntry, throttleKey: string): Promise<void> {
    return this.recordWith(throttleKey, entry.action, (db) => recordAudit(db, origin, entry));
  }

  /**
   * The same, for an event `write` records itself (services/audit/user-audit.ts: one entry in
   * each organization of a person).
   */
  recordWith(throttleKey: string, action: string, write: (db: Db) => Promise<void>): Promise<void> {
    const now = Date.now();
    const last = this.#lastWritten.get(throttleKey);
    if (last !== undefined && now - last < this.#throttleMs) return Promise.resolve();
    if (this.#lastWritten.size >= 10_000) this.#lastWritten.clear();
    this.#lastWritten.set(throttleKey, now);
    return write(this.#db).catch((error: unknown) =>
      this.#logger.warn({ err: error, action }, "could not record a security event"),
    );
  }
}
