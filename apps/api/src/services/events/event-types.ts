import type { EmailEventType } from "../../db/schema/index.ts";
import { ORG_EVENT_TYPES } from "./record-event.ts";

/**
 * The email events that are webhook events (Resend's names). `queued` and `canceled` are
 * recorded on the email (its `last_event`) but are not: GET /events, the export and the stream
 * leave them out too.
 */
export const EMAIL_WEBHOOK_EVENT_TYPES = [
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
] as const satisfies readonly `email.${EmailEventType}`[];
export type EmailWebhookEventType = (typeof EMAIL_WEBHOOK_EVENT_TYPES)[number];

/**
 * Every event type a webhook endpoint can listen to and the event stream shows. The fan-out
 * trigger (db/migrations/0006_webhook_fan_out.sql) matches an event's type against an
 * endpoint's `events`, so a type missing here is one nobody can receive.
 */
export const WEBHOOK_EVENT_TYPES = [...EMAIL_WEBHOOK_EVENT_TYPES, ...ORG_EVENT_TYPES] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The email_events type behind an email webhook type: `email.bounced` -> `bounced`. */
export function emailEventType(type: EmailWebhookEventType): EmailEventType {
  return type.slice("email.".length) as EmailEventType;
}

/** The email_events types that are webhook events, as stored. */
export const STREAMED_EMAIL_EVENT_TYPES: EmailEventType[] =
  EMAIL_WEBHOOK_EVENT_TYPES.map(emailEventType);
