import type { emails } from "../../db/schema/index.ts";

type EmailRow = typeof emails.$inferSelect;

export function emailListItemView(row: EmailRow) {
  return {
    id: row.id,
    from: row.from,
    to: row.to,
    cc: row.cc,
    bcc: row.bcc,
    reply_to: row.replyTo,
    subject: row.subject,
    last_event: row.lastEvent,
    scheduled_at: row.scheduledAt ? row.scheduledAt.toISOString() : null,
    created_at: row.createdAt.toISOString(),
    message_id: row.messageId,
  };
}

/** An email as Resend's GET /emails/{id} shows it. */
export function emailView(row: EmailRow) {
  return {
    object: "email" as const,
    ...emailListItemView(row),
    html: row.html,
    text: row.text,
    tags: row.tags ?? [],
  };
}
