import { WEBHOOK_EVENT_TYPES } from "../events/event-types.ts";

export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "../events/event-types.ts";

/**
 * What POST /webhooks/{id}/test sends. Not in the catalog (services/events/event-types.ts) on
 * purpose: no endpoint can list it, so the fan-out trigger (db/migrations/0006_webhook_fan_out.sql)
 * never sends it anywhere, and the test route alone picks its one recipient.
 */
export const WEBHOOK_TEST_EVENT_TYPE = "webhook.test";

/** Every type a delivery can have: what GET /webhooks/{id}/events may show. */
export const DELIVERED_EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE] as const;
export type DeliveredEventType = (typeof DELIVERED_EVENT_TYPES)[number];
