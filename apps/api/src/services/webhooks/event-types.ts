import { ORG_EVENT_TYPES } from "../events/record-event.ts";

/**
 * The event types a webhook endpoint can listen to (Resend's names, plus our organization
 * events). The fan-out trigger (db/migrations/0006_webhook_fan_out.sql) matches an event's type
 * against an endpoint's `events`, so a type missing here is one nobody can receive. Email
 * events `queued` and `canceled` have no webhook (Resend has none).
 */
export const WEBHOOK_EVENT_TYPES = [
  "email.sent",
  "email.scheduled",
  "email.delivered",
  "email.delivery_delayed",
  "email.complained",
  "email.bounced",
  "email.opened",
  "email.clicked",
  "email.failed",
  "email.suppressed",
  ...ORG_EVENT_TYPES,
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * What POST /webhooks/{id}/test sends. Not in the catalog on purpose: no endpoint can list it,
 * so the fan-out trigger never sends it anywhere, and the test route alone picks its one
 * recipient.
 */
export const WEBHOOK_TEST_EVENT_TYPE = "webhook.test";

/** Every type a delivery can have: what GET /webhooks/{id}/events may show. */
export const DELIVERED_EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT_TYPE] as const;
export type DeliveredEventType = (typeof DELIVERED_EVENT_TYPES)[number];
