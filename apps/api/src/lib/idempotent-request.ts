import type { Context } from "hono";
import type { AppEnv } from "./app-env.ts";
import { AppError } from "./errors.ts";
import { sha256Hex } from "./hash.ts";
import { claimIdempotencyKey, releaseIdempotencyKey } from "./idempotency.ts";

/**
 * Runs a mutation under the request's Idempotency-Key, as Resend does: the same key with the
 * same body answers the recorded response and does nothing again; with another body, 409
 * invalid_idempotent_request; while the first is still running, 409
 * concurrent_idempotent_requests. `run` records its response itself, in the transaction of its
 * effects, using the key it is given.
 */
export async function idempotent<T>(
  c: Context<AppEnv>,
  input: { operation: string; key: string | undefined; request: unknown },
  run: (idempotencyKey: string | undefined) => Promise<T>,
): Promise<{ status: 200; body: T; replayed: boolean }> {
  const { key } = input;
  if (key === undefined) return { status: 200, body: await run(undefined), replayed: false };
  if (key.length < 1 || key.length > 256) {
    throw new AppError(
      "invalid_idempotency_key",
      "The Idempotency-Key must be 1 to 256 characters",
    );
  }

  const { db } = c.var.deps.database;
  const orgId = c.var.principal.orgId;
  const requestHash = sha256Hex(`${input.operation}\n${JSON.stringify(input.request)}`);
  const claim = await claimIdempotencyKey(db, { orgId, key, requestHash });
  switch (claim.kind) {
    case "mismatch":
      throw new AppError(
        "invalid_idempotent_request",
        "This Idempotency-Key was already used with a different request",
      );
    case "in_flight":
      throw new AppError(
        "concurrent_idempotent_requests",
        "A request with this Idempotency-Key is still in progress; retry later",
      );
    case "replay":
      return { status: 200, body: claim.body as T, replayed: true };
    case "claimed":
      try {
        return { status: 200, body: await run(key), replayed: false };
      } catch (error) {
        await releaseIdempotencyKey(db, { orgId, key });
        throw error;
      }
  }
}
