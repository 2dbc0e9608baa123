import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { bytea, inList, timestamptz } from "./columns.ts";
import { organizations } from "./organizations.ts";

/**
 * Where an email is in its life. `sending` is internal (a worker holds it); the API shows
 * `last_event` instead, as Resend does.
 */
export const EMAIL_STATUSES = [
  "scheduled",
  "queued",
  "sending",
  "sent",
  "delivered",
  "delivery_delayed",
  "bounced",
  "failed",
  "canceled",
  "suppressed",
] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** Event types recorded in email_events, and shown as an email's `last_event`. */
export const EMAIL_EVENT_TYPES = [
  "queued",
  "scheduled",
  "sent",
  "delivered",
  "delivery_delayed",
  "bounced",
  "failed",
  "canceled",
  "suppressed",
  "complained",
  "opened",
  "clicked",
] as const;
export type EmailEventType = (typeof EMAIL_EVENT_TYPES)[number];

export interface EmailTag {
  name: string;
  value: string;
}

export const emails = pgTable(
  "emails",
  {
    id: uuid().primaryKey(),
    /**
     * No foreign key, on purpose: every concurrent insert would lock the organization's row
     * (FOR KEY SHARE, a MultiXact once several transactions hold it), which cost batch accepts
     * a tenth of their throughput (24,100 -> 26,500 emails/s, bench:accept). The id comes from
     * the authenticated key; deleting an organization purges its emails with a job, in chunks.
     */
    orgId: uuid().notNull(),
    /** The verified domain it is sent from; null when the from domain is not one (dev mode). */
    domainId: uuid(),
    /** The key that sent it. No foreign key: keys are revoked, never deleted. */
    apiKeyId: uuid(),
    from: text().notNull(),
    to: text().array().notNull(),
    cc: text().array(),
    bcc: text().array(),
    replyTo: text().array(),
    subject: text().notNull(),
    html: text(),
    text: text(),
    headers: jsonb().$type<Record<string, string>>(),
    tags: jsonb().$type<EmailTag[]>(),
    /** Lets the worker skip the attachments query for the many emails without any. */
    attachmentCount: integer().notNull().default(0),
    /** The RFC 5322 Message-ID header we put on the message. */
    messageId: text().notNull(),
    status: text({ enum: EMAIL_STATUSES }).notNull(),
    lastEvent: text({ enum: EMAIL_EVENT_TYPES }).notNull(),
    scheduledAt: timestamptz(),
    attempts: integer().notNull().default(0),
    /** The graphile-worker pool holding the email while its status is `sending`. */
    lockedBy: text(),
    /** Recipients still to be tried after a partial temporary failure; null means all. */
    pendingRecipients: text().array(),
    /** What the transport answered on acceptance (e.g. "250 2.0.0 Ok: queued as ..."). */
    providerMessageId: text(),
    lastError: text(),
    sentAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [
    index("emails_org_id_idx").on(table.orgId, table.id),
    check("emails_status_check", sql`${table.status} in (${inList(EMAIL_STATUSES)})`),
    check("emails_last_event_check", sql`${table.lastEvent} in (${inList(EMAIL_EVENT_TYPES)})`),
  ],
);

export const emailAttachments = pgTable(
  "email_attachments",
  {
    id: uuid().primaryKey(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    emailId: uuid()
      .notNull()
      .references(() => emails.id, { onDelete: "cascade" }),
    position: integer().notNull(),
    filename: text(),
    contentType: text(),
    contentId: text(),
    /** The bytes, when the request carried them (base64 `content`). */
    content: bytea(),
    /** Or the URL the worker fetches them from at send time (Resend's `path`). */
    path: text(),
    /** Bytes of `content`; null for a `path` attachment until it is fetched. */
    size: integer(),
  },
  (table) => [
    index("email_attachments_email_id_idx").on(table.emailId, table.position),
    check(
      "email_attachments_content_or_path_check",
      sql`(${table.content} is null) <> (${table.path} is null)`,
    ),
  ],
);

/**
 * Append-only: rows are inserted, never updated. No foreign keys, on purpose: each event is
 * written in the same statement or transaction as the state change of its email (whose org it
 * carries), and checking them cost a seventh of the accept path's database time (measured);
 * deleting an organization's data deletes its events explicitly.
 */
export const emailEvents = pgTable(
  "email_events",
  {
    id: uuid().primaryKey(),
    orgId: uuid().notNull(),
    emailId: uuid().notNull(),
    type: text({ enum: EMAIL_EVENT_TYPES }).notNull(),
    details: jsonb().$type<Record<string, unknown>>(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (table) => [
    index("email_events_email_id_idx").on(table.emailId, table.id),
    index("email_events_org_id_idx").on(table.orgId, table.id),
    check("email_events_type_check", sql`${table.type} in (${inList(EMAIL_EVENT_TYPES)})`),
  ],
);
