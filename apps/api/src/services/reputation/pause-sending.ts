import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { domains, organizations } from "../../db/schema/index.ts";
import { recordAudit, SYSTEM_ORIGIN } from "../audit/record-audit.ts";
import type { RecordConfig } from "../domains/records.ts";
import { recordEvent } from "../events/record-event.ts";
import { type Counts, rates } from "./rates.ts";
import { domainEventData, organizationEventData } from "./sending-state.ts";
import type { OwnedScope } from "./window-stats.ts";

export interface PauseRequest {
  scope: OwnedScope;
  reason: string;
  counts: Counts;
  since: Date;
  now: Date;
}

/** What the pause event says about the rates behind it. */
const evidence = (request: PauseRequest) => {
  const { bounceRate, complaintRate } = rates(request.counts);
  return {
    reputation: {
      ...request.counts,
      bounce_rate: bounceRate,
      complaint_rate: complaintRate,
      since: request.since.toISOString(),
    },
  };
};

/**
 * Pauses a domain's or an organization's sending, with its event, in one transaction. The
 * UPDATE only takes a sender that is not paused: a job run twice pauses (and tells) once.
 * Returns whether this call paused it.
 */
export async function pauseSending(
  db: Db,
  config: RecordConfig,
  request: PauseRequest,
): Promise<boolean> {
  const { scope, reason, now } = request;
  return db.transaction(async (tx) => {
    if (scope.scope === "domain") {
      const [row] = await tx
        .update(domains)
        .set({ sendingPausedAt: now, sendingPausedReason: reason, updatedAt: now })
        .where(and(eq(domains.id, scope.scopeId), isNull(domains.sendingPausedAt)))
        .returning();
      if (!row) return false;
      await recordEvent(tx, {
        orgId: row.orgId,
        type: "domain.updated",
        objectId: row.id,
        data: domainEventData(row, config, evidence(request)),
      });
      await recordAudit(tx, SYSTEM_ORIGIN, {
        orgId: row.orgId,
        action: "domain.sending_paused",
        target: { type: "domain", id: row.id },
        details: { name: row.name, reason, ...evidence(request) },
      });
      return true;
    }
    const [row] = await tx
      .update(organizations)
      .set({ sendingPausedAt: now, sendingPausedReason: reason })
      .where(and(eq(organizations.id, scope.scopeId), isNull(organizations.sendingPausedAt)))
      .returning();
    if (!row) return false;
    await recordEvent(tx, {
      orgId: row.id,
      type: "organization.sending_paused",
      objectId: row.id,
      data: organizationEventData(row, evidence(request)),
    });
    await recordAudit(tx, SYSTEM_ORIGIN, {
      orgId: row.id,
      action: "organization.sending_paused",
      target: { type: "organization", id: row.id },
      details: { reason, ...evidence(request) },
    });
    return true;
  });
}
