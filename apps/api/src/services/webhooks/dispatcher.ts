import { performance } from "node:perf_hooks";
import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { webhookDeliveries } from "../../db/schema/index.ts";
import type { Logger } from "../../lib/logger.ts";
import type { EventPayload } from "../events/event-payload.ts";
import {
  type ClaimedDelivery,
  createDeliveryClaimBatcher,
  type DeliveryRequest,
} from "./claim-deliveries.ts";
import { createWakeUpBatcher } from "./delivery-jobs.ts";
import { EndpointSlots, MAX_SEND_WAIT_MS } from "./endpoint-slots.ts";
import { type PlannedAttempt, unsendableAttempt } from "./plan-attempt.ts";
import type { DeliveryPolicy } from "./policy.ts";
import { createAttemptBatcher, writeDisablingAttempt } from "./record-attempts.ts";

/** What the webhook_deliver job hands a delivery to. */
export interface WebhookDispatcher {
  /** Makes the delivery's due attempt, or nothing when there is none to make. */
  deliver(request: DeliveryRequest): Promise<void>;
  /** Closes its connections (worker stop). */
  close(): Promise<void>;
}

export type DeliverableDelivery = ClaimedDelivery & { payload: EventPayload };

/** How an attempt is made: a signed POST (http-transport.ts) or a Svix message (svix-transport.ts). */
export interface DeliveryTransport {
  /** Makes one attempt and decides its outcome; throws only for what is no attempt's answer. */
  attempt(delivery: DeliverableDelivery): Promise<PlannedAttempt>;
  close(): Promise<void>;
}

export interface DispatcherOptions {
  database: Pick<Database, "db" | "sql">;
  logger: Logger;
  transport: DeliveryTransport;
  policy: DeliveryPolicy;
  /** Deliveries to one endpoint in flight at once in this process. */
  endpointConcurrency: number;
  clock: () => Date;
}

/** A claim outlives its attempt by this much before another run may take the delivery over. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Runs one delivery per webhook_deliver job. It claims the delivery (effects once: a duplicate
 * or late job finds it taken or settled), has the transport make the attempt, and records it;
 * a failure schedules the next attempt itself, by re-adding the delivery's keyed job in the
 * transaction that records the attempt (our schedule, policy.ts, not graphile-worker's
 * backoff, which can follow neither Svix's schedule nor a Retry-After). Claims, attempts and
 * wake-ups of concurrent jobs share statements.
 */
export function createDispatcher(options: DispatcherOptions): WebhookDispatcher {
  const { database, logger, transport, policy, clock } = options;
  const slots = new EndpointSlots(options.endpointConcurrency);
  const claims = createDeliveryClaimBatcher({
    sql: database.sql,
    slots,
    clock,
    leaseMs: policy.timeoutMs + LEASE_MARGIN_MS,
  });
  const attempts = createAttemptBatcher(database.sql);
  const wakeUps = createWakeUpBatcher(database.sql);

  async function attempt(delivery: ClaimedDelivery, sendBy: number): Promise<void> {
    const { payload } = delivery;
    let planned: PlannedAttempt;
    if (!payload) planned = unsendableAttempt(delivery, clock());
    else {
      if (!(await slots.startSend(delivery.endpointId, sendBy))) {
        // Its endpoint slowed down while this job waited: let the delivery go, put it back.
        await release(delivery);
        await wakeUps.submit({
          deliveryId: delivery.id,
          orgId: delivery.orgId,
          delayMs: slots.putBackDelay(delivery.endpointId),
        });
        return;
      }
      const started = performance.now();
      try {
        planned = await transport.attempt({ ...delivery, payload });
      } finally {
        // The slot bounds the endpoint's requests in flight, not our writes: it goes back now.
        slots.finishSend(delivery.endpointId, performance.now() - started);
      }
    }
    if (planned.disable) {
      if (await writeDisablingAttempt(database.db, planned)) {
        logger.warn(
          { endpointId: delivery.endpointId, reason: planned.disable.reason },
          "webhook endpoint disabled",
        );
      }
      return;
    }
    if (!(await attempts.submit(planned))) {
      logger.warn({ deliveryId: delivery.id }, "webhook delivery was taken over; attempt dropped");
    }
  }

  /** After an error that is no attempt's answer (the database failing): free the delivery. */
  async function release(delivery: ClaimedDelivery): Promise<void> {
    await database.db
      .update(webhookDeliveries)
      .set({ status: "pending", nextAttemptAt: clock() })
      .where(
        and(
          eq(webhookDeliveries.id, delivery.id),
          eq(webhookDeliveries.status, "attempting"),
          eq(webhookDeliveries.nextAttemptAt, delivery.lease),
        ),
      );
  }

  return {
    async deliver(request) {
      const claim = await claims.submit(request);
      switch (claim.kind) {
        case "done":
          return;
        case "busy":
          await wakeUps.submit({ ...request, delayMs: slots.putBackDelay(claim.endpointId) });
          return;
        case "later":
          await wakeUps.submit({
            ...request,
            delayMs: Math.max(0, claim.at.getTime() - clock().getTime()),
          });
          return;
      }
      const { delivery } = claim;
      try {
        await attempt(delivery, performance.now() + MAX_SEND_WAIT_MS);
      } catch (error) {
        await release(delivery).catch((releaseError: unknown) =>
          logger.error({ err: releaseError, deliveryId: delivery.id }, "could not free a delivery"),
        );
        throw error;
      } finally {
        slots.unclaim(delivery.endpointId);
      }
    },
    close: () => transport.close(),
  };
}
