import { and, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { emailEvents, emails } from "../../db/schema/index.ts";
import { idRangeForTimes } from "../../lib/id-time.ts";
import { type EventPayload, emailEventPayload } from "./event-payload.ts";
import {
  type EmailWebhookEventType,
  emailEventType,
  STREAMED_EMAIL_EVENT_TYPES,
} from "./event-types.ts";

/**
 * An email event with the fields of its email that its payload shows. Flat, so that a raw
 * postgres.js cursor (the export) can decode its rows by position like drizzle does.
 */
export const EMAIL_EVENT_FIELDS = {
  id: emailEvents.id,
  type: emailEvents.type,
  details: emailEvents.details,
  createdAt: emailEvents.createdAt,
  emailId: emailEvents.emailId,
  from: emails.from,
  to: emails.to,
  subject: emails.subject,
  messageId: emails.messageId,
  tags: emails.tags,
  emailCreatedAt: emails.createdAt,
};

export interface EmailEventRow {
  id: string;
  type: (typeof emailEvents.$inferSelect)["type"];
  details: Record<string, unknown> | null;
  createdAt: Date;
  emailId: string;
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  tags: (typeof emails.$inferSelect)["tags"];
  emailCreatedAt: Date;
}

const FIELD_COLUMNS = Object.entries(EMAIL_EVENT_FIELDS);

/** A row of the raw cursor (`.values()`: one array per row) as drizzle would have mapped it. */
export function decodeEmailEventRow(values: unknown[]): EmailEventRow {
  const row: Record<string, unknown> = {};
  FIELD_COLUMNS.forEach(([key, column], index) => {
    const value = values[index];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  });
  return row as unknown as EmailEventRow;
}

export function emailEventRowPayload(row: EmailEventRow): EventPayload {
  return emailEventPayload(row, {
    id: row.emailId,
    from: row.from,
    to: row.to,
    subject: row.subject,
    messageId: row.messageId,
    tags: row.tags,
    createdAt: row.emailCreatedAt,
  });
}

/** What GET /events and the export can narrow the organization's email events to. */
export interface EmailEventFilter {
  /** Webhook type names; all of them when absent or empty. */
  types?: EmailWebhookEventType[] | undefined;
  emailId?: string | undefined;
  /** Emails carrying this tag. */
  tag?: { name: string; value: string } | undefined;
  domainId?: string | undefined;
  /** created_at at or after this time. */
  createdAfter?: Date | undefined;
  /** created_at before this time. */
  createdBefore?: Date | undefined;
}

/**
 * How far an event's id time and its created_at may be apart for the time range to find it
 * through the id: both are taken within the same request or job, before a batched write that
 * waits seconds at most.
 */
const ID_TIME_SLACK_MS = 60_000;

/** The WHERE of an organization's email events narrowed by `filter` (joined to emails). */
export function emailEventScope(orgId: string, filter: EmailEventFilter): SQL | undefined {
  const types = filter.types?.length
    ? filter.types.map(emailEventType)
    : STREAMED_EMAIL_EVENT_TYPES;
  const ids = idRangeForTimes(
    { after: filter.createdAfter, before: filter.createdBefore },
    ID_TIME_SLACK_MS,
  );
  return and(
    eq(emailEvents.orgId, orgId),
    inArray(emailEvents.type, types),
    filter.emailId ? eq(emailEvents.emailId, filter.emailId) : undefined,
    // The time range as an id range, so that the (org_id, id) index finds it; the exact
    // created_at condition then keeps what is really inside.
    ids.from ? gte(emailEvents.id, ids.from) : undefined,
    ids.below ? lt(emailEvents.id, ids.below) : undefined,
    filter.createdAfter ? gte(emailEvents.createdAt, filter.createdAfter) : undefined,
    filter.createdBefore ? lt(emailEvents.createdAt, filter.createdBefore) : undefined,
    filter.tag ? sql`${emails.tags} @> ${JSON.stringify([filter.tag])}::jsonb` : undefined,
    filter.domainId ? eq(emails.domainId, filter.domainId) : undefined,
  );
}

/** Email events with their email; the caller adds WHERE, ORDER BY and LIMIT. */
export function selectEmailEvents(db: Db) {
  return db
    .select(EMAIL_EVENT_FIELDS)
    .from(emailEvents)
    .innerJoin(
      emails,
      and(eq(emails.id, emailEvents.emailId), eq(emails.orgId, emailEvents.orgId)),
    );
}
