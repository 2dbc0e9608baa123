import type { Task } from "graphile-worker";
import type { WebhookDispatcher } from "../services/webhooks/dispatcher.ts";
import { parseJobPayload } from "./catalog.ts";

/**
 * Makes a webhook delivery's due attempt (services/webhooks/dispatcher.ts). Enqueued by the
 * fan-out trigger with each event, then re-added by the dispatcher, keyed by delivery, for
 * each retry. It throws only when the database fails: graphile-worker's backoff then retries
 * the run, and the delivery's own schedule is untouched.
 */
export function createWebhookDeliverTask(deps: { dispatcher: WebhookDispatcher }): Task {
  return async (rawPayload) => {
    const payload = parseJobPayload("webhook_deliver", rawPayload);
    await deps.dispatcher.deliver({ deliveryId: payload.delivery_id, orgId: payload.org_id });
  };
}
