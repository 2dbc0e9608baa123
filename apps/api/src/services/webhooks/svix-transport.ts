import { performance } from "node:perf_hooks";
import { ApiException, Svix } from "svix";
import type { Db } from "../../db/client.ts";
import { newId } from "../../lib/ids.ts";
import type { Logger } from "../../lib/logger.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import type { DeliverableDelivery, DeliveryTransport } from "./dispatcher.ts";
import { webhookMessageId } from "./message-id.ts";
import type { PlannedAttempt } from "./plan-attempt.ts";
import { type DeliveryPolicy, maxAttempts, retryDelayMs } from "./policy.ts";
import { SvixEndpointSync } from "./svix-endpoints.ts";

export interface SvixTransportOptions {
  apiKey: string;
  /** A self-hosted Svix server; Svix's cloud (the key's region) when absent. */
  serverUrl?: string;
  db: Db;
  secrets: SecretBox;
  logger: Logger;
  policy: DeliveryPolicy;
  clock: () => Date;
  random: () => number;
}

/**
 * Delivery through a Svix server (SVIX_API_KEY): Svix signs, sends, retries and disables;
 * we create the message and keep its endpoints in step (svix-endpoints.ts). One message per
 * event, whatever its number of endpoints: the first delivery of an event creates it, with
 * `eventId` = our message id (message-id.ts), and the event's other deliveries get Svix's 409
 * for that id, which means done. The `webhook-id` receivers see is then Svix's message id.
 * A Svix server that cannot be reached is retried on our schedule.
 */
export function createSvixTransport(options: SvixTransportOptions): DeliveryTransport {
  const { logger, policy, clock, random } = options;
  const svix = new Svix(options.apiKey, {
    serverUrl: options.serverUrl,
    requestTimeout: policy.timeoutMs,
  });
  const endpoints = new SvixEndpointSync(svix, options.db, options.secrets);

  const outcome = (
    delivery: DeliverableDelivery,
    started: number,
    result: { ok: true; response: string } | { ok: false; response: string },
  ): PlannedAttempt => {
    const now = clock();
    const delay =
      result.ok || delivery.attempts + 1 >= maxAttempts(policy)
        ? null
        : retryDelayMs(policy, delivery.attempts + 1, random);
    return {
      attemptId: newId(),
      deliveryId: delivery.id,
      orgId: delivery.orgId,
      endpointId: delivery.endpointId,
      lease: delivery.lease,
      attemptedAt: now,
      // The endpoint's answers are Svix's to keep; this attempt only handed the message over.
      statusCode: null,
      response: result.response,
      latencyMs: Math.round(performance.now() - started),
      success: null,
      status: result.ok ? "success" : delay === null ? "failed" : "pending",
      nextAttemptAt: delay === null ? null : new Date(now.getTime() + delay),
      retryDelayMs: delay,
      disable: null,
    };
  };

  return {
    async attempt(delivery) {
      const started = performance.now();
      try {
        await endpoints.ensure(delivery.orgId);
        const message = await svix.message.create(delivery.orgId, {
          eventId: webhookMessageId(delivery.eventId),
          eventType: delivery.payload.type,
          payload: delivery.payload,
        });
        return outcome(delivery, started, {
          ok: true,
          response: `Handed to Svix as ${message.id}`,
        });
      } catch (error) {
        if (error instanceof ApiException && error.code === 409) {
          return outcome(delivery, started, {
            ok: true,
            response: "Handed to Svix with another endpoint's delivery of this event",
          });
        }
        logger.warn({ err: error, deliveryId: delivery.id }, "could not hand a message to Svix");
        const response =
          error instanceof ApiException
            ? `The Svix server answered ${error.code}`
            : "Could not reach the Svix server";
        return outcome(delivery, started, { ok: false, response });
      }
    },
    async close() {},
  };
}
