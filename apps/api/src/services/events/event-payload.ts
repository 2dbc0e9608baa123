import type { emailEvents, emails, events } from "../../db/schema/index.ts";

type EmailEventRow = Pick<typeof emailEvents.$inferSelect, "id" | "type" | "details" | "createdAt">;
type EmailRow = Pick<
  typeof emails.$inferSelect,
  "id" | "from" | "to" | "subject" | "messageId" | "tags" | "createdAt"
>;
type OrgEventRow = Pick<typeof events.$inferSelect, "id" | "type" | "data" | "createdAt">;

/** What a webhook delivers and the event stream shows: Resend's `{type, created_at, data}`. */
export interface EventPayload {
  type: string;
  created_at: string;
  data: Record<string, unknown>;
}

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** Resend's bounce types, from the RFC 3463 class we record. */
const BOUNCE_TYPES: Record<string, string> = {
  hard: "Permanent",
  soft: "Transient",
  undetermined: "Undetermined",
};

/**
 * An email event as Resend's webhooks shape it: the email's fields, then what the event adds
 * (`bounce`, `click`, `failed`, `suppressed`, ...). Built from rows that never change, so a
 * retry or a replay delivers the same payload.
 */
export function emailEventPayload(event: EmailEventRow, email: EmailRow): EventPayload {
  const details = (event.details ?? {}) as Record<string, unknown>;
  const data: Record<string, unknown> = {
    created_at: email.createdAt.toISOString(),
    email_id: email.id,
    message_id: email.messageId,
    from: email.from,
    to: email.to,
    subject: email.subject,
    tags: Object.fromEntries((email.tags ?? []).map((tag) => [tag.name, tag.value])),
  };
  if (Array.isArray(details.recipients)) data.recipients = details.recipients;
  const timestamp = event.createdAt.toISOString();
  switch (event.type) {
    case "bounced":
      data.bounce = {
        message: text(details.response) ?? text(details.reason) ?? "",
        subType: text(details.bounce_sub_type) ?? text(details.reason) ?? "General",
        type: BOUNCE_TYPES[String(details.bounce_class)] ?? "Undetermined",
        enhanced_code: text(details.enhanced_code),
      };
      break;
    case "clicked":
      data.click = {
        ipAddress: text(details.ip),
        link: text(details.link),
        timestamp,
        userAgent: text(details.user_agent),
        machine: details.machine === true,
      };
      break;
    case "opened":
      data.open = {
        ipAddress: text(details.ip),
        timestamp,
        userAgent: text(details.user_agent),
        machine: details.machine === true,
      };
      break;
    case "failed":
      data.failed = { reason: text(details.message) ?? text(details.response) ?? "" };
      break;
    case "suppressed":
      data.suppressed = { message: text(details.message) ?? "", type: "suppression_list" };
      break;
    case "delivery_delayed":
      data.delivery_delayed = { message: text(details.response) ?? text(details.message) ?? "" };
      break;
    case "complained":
      data.complaint = { feedback_type: text(details.feedback_type) };
      break;
    case "scheduled":
      data.scheduled_at = text(details.scheduled_at);
      break;
  }
  return { type: `email.${event.type}`, created_at: timestamp, data };
}

/** An organization event (domain.*, ...): its recorded data as the payload's `data`. */
export function orgEventPayload(event: OrgEventRow): EventPayload {
  return { type: event.type, created_at: event.createdAt.toISOString(), data: event.data };
}
