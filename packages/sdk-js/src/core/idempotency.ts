/** A fresh Idempotency-Key: Web Crypto's UUID, there on Node 20+, Bun, Deno and edge runtimes. */
export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}
