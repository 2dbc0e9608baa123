import type { Db } from "../../db/client.ts";
import { type AuditActorType, auditLogs } from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";

/** Who acted, and from where: built once per request (lib/audit-origin.ts) and passed down. */
export interface AuditOrigin {
  actor: { type: AuditActorType; id: string | null };
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** Thrive-Send itself: jobs, the worker, start-up. */
export const SYSTEM_ORIGIN: AuditOrigin = {
  actor: { type: "system", id: null },
  ip: null,
  userAgent: null,
  requestId: null,
};

export interface AuditEntry {
  orgId: string;
  /** `<target type>.<verb>`: `api_key.created`, `user.signed_in`, `domain.verified`, ... */
  action: string;
  target?: { type: string; id: string } | undefined;
  /** What changed or why, for people reading the log: never a secret, never a message body. */
  details?: Record<string, unknown> | undefined;
}

type Executor = Pick<Db, "insert">;

/**
 * Records one audit entry (or several) on `tx`: call it inside the transaction of the change it
 * records, so that the entry commits with the change and rolls back with it. Security events
 * with no change to go with (a refused sign-in) pass the database itself.
 *
 *   await db.transaction(async (tx) => {
 *     ...the change...
 *     await recordAudit(tx, origin, { orgId, action: "api_key.created", target: { type: "api_key", id } });
 *   });
 */
export async function recordAudit(
  tx: Executor,
  origin: AuditOrigin,
  entries: AuditEntry | AuditEntry[],
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  const now = new Date();
  await tx.insert(auditLogs).values(
    list.map((entry) => ({
      id: newId(),
      orgId: entry.orgId,
      actorType: origin.actor.type,
      actorId: origin.actor.id,
      action: entry.action,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      ip: origin.ip,
      userAgent: origin.userAgent,
      requestId: origin.requestId,
      details: entry.details ?? null,
      createdAt: now,
    })),
  );
}
