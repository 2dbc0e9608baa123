import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { idempotencyKeys } from "../db/schema/index.ts";

/** Resend keeps idempotency keys for 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** An in-flight claim not completed within this time was abandoned by a dead process. */
const IN_FLIGHT_LEASE_MS = 60_000;

export type IdempotencyClaim =
  | { kind: "claimed" }
  | { kind: "replay"; status: number; body: unknown }
  | { kind: "mismatch" }
  | { kind: "in_flight" };

/** Written in the same statement as the request's effects (services/emails/email-writer.ts). */
export interface IdempotencyCompletion {
  orgId: string;
  key: string;
  status: number;
  body: unknown;
}

type Executor = Pick<Db, "insert" | "update" | "select" | "delete">;

/**
 * Claims a key for a request. A new key, an expired one, or an abandoned in-flight claim of the
 * same request is taken; otherwise the caller learns what the key already stands for.
 */
export async function claimIdempotencyKey(
  db: Executor,
  input: { orgId: string; key: string; requestHash: string },
): Promise<IdempotencyClaim> {
  const now = Date.now();
  const claimed = await db
    .insert(idempotencyKeys)
    .values({
      orgId: input.orgId,
      key: input.key,
      requestHash: input.requestHash,
      state: "in_flight",
      lockedUntil: new Date(now + IN_FLIGHT_LEASE_MS),
      expiresAt: new Date(now + IDEMPOTENCY_TTL_MS),
    })
    .onConflictDoUpdate({
      target: [idempotencyKeys.orgId, idempotencyKeys.key],
      set: {
        requestHash: input.requestHash,
        state: "in_flight",
        responseStatus: null,
        responseBody: null,
        createdAt: sql`now()`,
        lockedUntil: new Date(now + IN_FLIGHT_LEASE_MS),
        expiresAt: new Date(now + IDEMPOTENCY_TTL_MS),
      },
      setWhere: sql`${idempotencyKeys.expiresAt} < now()
        or (${idempotencyKeys.state} = 'in_flight'
            and ${idempotencyKeys.lockedUntil} < now()
            and ${idempotencyKeys.requestHash} = excluded.request_hash)`,
    })
    .returning({ key: idempotencyKeys.key });
  if (claimed.length > 0) return { kind: "claimed" };

  const [existing] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.orgId, input.orgId), eq(idempotencyKeys.key, input.key)));
  // Gone between the two statements (released by a failed request): treat as in flight, the
  // client's retry will claim it.
  if (!existing) return { kind: "in_flight" };
  if (existing.requestHash !== input.requestHash) return { kind: "mismatch" };
  if (existing.state === "in_flight") return { kind: "in_flight" };
  return { kind: "replay", status: existing.responseStatus ?? 200, body: existing.responseBody };
}

/** Frees a key whose request failed, so that a corrected retry can use it. */
export async function releaseIdempotencyKey(
  db: Pick<Db, "delete">,
  input: { orgId: string; key: string },
): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.orgId, input.orgId),
        eq(idempotencyKeys.key, input.key),
        eq(idempotencyKeys.state, "in_flight"),
      ),
    );
}

export async function pruneIdempotencyKeys(db: Pick<Db, "delete">): Promise<number> {
  const deleted = await db
    .delete(idempotencyKeys)
    .where(sql`${idempotencyKeys.expiresAt} < now()`)
    .returning({ key: idempotencyKeys.key });
  return deleted.length;
}
