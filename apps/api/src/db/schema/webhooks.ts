import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { inList, timestamptz } from "./columns.ts";
import { organizations } from "./organizations.ts";

export const WEBHOOK_STATUSES = ["enabled", "disabled"] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

/**
 * An organization's webhook endpoint (Resend's /webhooks). `events` are the event types it
 * receives (`email.delivered`, `domain.updated`, ...). The signing secret (`whsec_...`, Svix's
 * format) is sealed at rest; after a rotation the previous one keeps signing beside the new one
 * until `previous_secret_expires_at`, so receivers can switch without losing a message.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid().primaryKey(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    endpoint: text().notNull(),
    events: text().array().notNull(),
    status: text({ enum: WEBHOOK_STATUSES }).notNull().default("enabled"),
    /** Why it was disabled when we did it (410 Gone, failing for 5 days); null when a user did. */
    disabledReason: text(),
    secret: text().notNull(),
    previousSecret: text(),
    previousSecretExpiresAt: timestamptz(),
    /** Since when every delivery has failed; null once one succeeds. */
    failingSince: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [
    index("webhook_endpoints_org_id_idx").on(table.orgId, table.id),
    check("webhook_endpoints_status_check", sql`${table.status} in (${inList(WEBHOOK_STATUSES)})`),
  ],
);

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "attempting", "success", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/**
 * One event to one endpoint (Resend's "webhook event"): created in the same transaction as the
 * event by the fan-out trigger (db/migrations/*_webhook_fan_out.sql), with its job. The payload
 * is not stored: it is built from the event row (and its email), which never change.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid().primaryKey(),
    orgId: uuid().notNull(),
    endpointId: uuid().notNull(),
    /** The email_events or events row: the message id (webhook-id) is derived from it. */
    eventId: uuid().notNull(),
    /** `email_events` or `events`: where eventId is. */
    eventSource: text().notNull(),
    eventType: text().notNull(),
    status: text({ enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamptz(),
    lastAttemptAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("webhook_deliveries_endpoint_event_idx").on(table.endpointId, table.eventId),
    index("webhook_deliveries_endpoint_id_idx").on(table.endpointId, table.id),
    check(
      "webhook_deliveries_status_check",
      sql`${table.status} in (${inList(WEBHOOK_DELIVERY_STATUSES)})`,
    ),
    check(
      "webhook_deliveries_source_check",
      sql`${table.eventSource} in ('email_events', 'events')`,
    ),
  ],
);

/** Every HTTP attempt of a delivery: what the endpoint answered, how fast, or what failed. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: uuid().primaryKey(),
    orgId: uuid().notNull(),
    deliveryId: uuid().notNull(),
    /** HTTP status; null when no response came (timeout, refused, blocked address). */
    statusCode: integer(),
    /** The first bytes of the response body, or what went wrong. */
    response: text().notNull(),
    latencyMs: integer().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [index("webhook_attempts_delivery_id_idx").on(table.deliveryId, table.id)],
);
