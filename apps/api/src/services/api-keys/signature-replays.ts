import type { Sql } from "../../db/client.ts";
import { sha256Hex } from "../../lib/hash.ts";
import { SIGNATURE_WINDOW_SECONDS } from "../../lib/request-signature.ts";

/** One in this many insertions also deletes the signatures whose window is over. */
const PRUNE_EVERY = 200;

/**
 * The signatures used within the replay window, in PostgreSQL: every API process sees every
 * other's, so a signed request captured and sent again is refused whichever process gets it
 * (an in-process cache would let a replay through on another process). One INSERT per signed
 * request, the primary key deciding who was first; only valid signatures get here, so no one
 * without the secret can fill the table.
 */
export class SignatureReplays {
  readonly #sql: Sql;
  #inserted = 0;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  /** True the first time the organization's `request` (what was signed) is seen; false for a replay. */
  async firstUse(orgId: string, request: string, timestampSeconds: number): Promise<boolean> {
    // Past this time the timestamp check refuses the request anyway.
    const expiresAt = new Date((timestampSeconds + SIGNATURE_WINDOW_SECONDS + 1) * 1000);
    const rows = await this.#sql`
      insert into request_signature_uses (signature_hash, expires_at)
      values (${sha256Hex(`${orgId}\n${request}`)}, ${expiresAt.toISOString()}::timestamptz)
      on conflict (signature_hash) do nothing
      returning 1 as first`;
    if (++this.#inserted % PRUNE_EVERY === 0) {
      await this.#sql`delete from request_signature_uses where expires_at < now()`;
    }
    return rows.length === 1;
  }
}
