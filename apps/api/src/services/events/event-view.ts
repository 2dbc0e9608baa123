import { csvRow } from "../../lib/csv.ts";
import { type EmailEventRow, emailEventRowPayload } from "./email-event-rows.ts";

/** An email event as GET /events and the NDJSON export show it: its webhook payload, with ids. */
export function eventListItem(row: EmailEventRow) {
  const payload = emailEventRowPayload(row);
  return {
    object: "event" as const,
    id: row.id,
    type: payload.type,
    created_at: payload.created_at,
    email_id: row.emailId,
    data: payload.data,
  };
}

/** The email's fields in every payload; the CSV has a column for each, the rest goes to `details`. */
const EMAIL_KEYS = new Set([
  "created_at",
  "email_id",
  "message_id",
  "from",
  "to",
  "subject",
  "tags",
  "recipients",
]);

export const EVENT_CSV_COLUMNS = [
  "id",
  "type",
  "created_at",
  "email_id",
  "message_id",
  "from",
  "to",
  "subject",
  "tags",
  "recipients",
  "details",
] as const;

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/**
 * One CSV line: the email's fields, lists and objects as JSON (`to`, `tags`, `recipients`),
 * and what the event type adds (`bounce`, `click`, `failed`, ...) as one JSON object.
 */
export function eventCsvLine(row: EmailEventRow): string {
  const { type, created_at, data } = emailEventRowPayload(row);
  const details = Object.fromEntries(Object.entries(data).filter(([key]) => !EMAIL_KEYS.has(key)));
  return csvRow([
    row.id,
    type,
    created_at,
    row.emailId,
    row.messageId,
    row.from,
    json(row.to),
    row.subject,
    json(data.tags),
    json(data.recipients),
    Object.keys(details).length > 0 ? JSON.stringify(details) : null,
  ]);
}

export const EVENT_CSV_HEADER = csvRow(EVENT_CSV_COLUMNS);
