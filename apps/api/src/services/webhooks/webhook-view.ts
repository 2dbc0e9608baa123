import type {
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
} from "../../db/schema/index.ts";
import type { EventPayload } from "../events/event-payload.ts";
import type { DeliveredEventType, WebhookEventType } from "./event-types.ts";

export type WebhookRow = typeof webhookEndpoints.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
type AttemptRow = typeof webhookAttempts.$inferSelect;

/** A webhook in a list (Resend's fields; the secret only on GET /webhooks/{id}). */
export function webhookListItem(row: WebhookRow) {
  return {
    id: row.id,
    endpoint: row.endpoint,
    created_at: row.createdAt.toISOString(),
    status: row.status,
    // Written only through the API, which takes catalog types only.
    events: row.events as WebhookEventType[],
  };
}

/** GET /webhooks/{id}: Resend shows the signing secret there, and so do we. */
export function webhookView(row: WebhookRow, signingSecret: string) {
  return {
    object: "webhook" as const,
    ...webhookListItem(row),
    signing_secret: signingSecret,
    disabled_reason: row.disabledReason,
  };
}

/**
 * A delivery as Resend's "webhook event": its id is the event's, the same for every endpoint
 * that receives it (and the `webhook-id` the worker signs).
 */
export function deliveryListItem(row: DeliveryRow) {
  return {
    id: row.eventId,
    // The trigger copies an endpoint's listed type; the test route writes its own.
    type: row.eventType as DeliveredEventType,
    created_at: row.createdAt.toISOString(),
    status: row.status,
  };
}

export function deliveryView(row: DeliveryRow, payload: EventPayload | null) {
  return {
    object: "webhook_event" as const,
    ...deliveryListItem(row),
    attempts: row.attempts,
    next_attempt_at: row.nextAttemptAt?.toISOString() ?? null,
    last_attempt_at: row.lastAttemptAt?.toISOString() ?? null,
    payload,
  };
}

export function attemptView(row: AttemptRow) {
  return {
    id: row.id,
    http_status_code: row.statusCode,
    response: row.response,
    sent_at: row.createdAt.toISOString(),
    latency_ms: row.latencyMs,
  };
}
