import { emailSendJobKey, jobSpec } from "../../jobs/catalog.ts";
import { bareAddress, domainOf } from "../../lib/address.ts";
import { newId } from "../../lib/ids.ts";
import type { SendEmailInput } from "../../routes/emails/schema.ts";
import type { ServiceContext } from "../context.ts";
import type { EmailWrite } from "./email-writer.ts";

const asList = (value: string | string[] | null | undefined): string[] | null =>
  value == null ? null : Array.isArray(value) ? value : [value];

/**
 * Turns a validated send request into the rows and the job that represent it. A send time in
 * the past means now (and the writer merges the job with its neighbours', see
 * coalesceSendJobs); otherwise the job waits for it under a key that reschedule and cancel use.
 */
export function prepareEmail(
  ctx: Pick<ServiceContext, "orgId" | "apiKeyId" | "emailMaxAttempts">,
  input: SendEmailInput,
  now: Date,
  domainId: string | null,
): { id: string; write: EmailWrite } {
  const id = newId();
  const scheduledAt = input.scheduled_at ? new Date(input.scheduled_at) : null;
  const scheduled = scheduledAt !== null && scheduledAt.getTime() > now.getTime();
  const status = scheduled ? "scheduled" : "queued";
  const attachments = (input.attachments ?? []).map((attachment, position) => ({
    id: newId(),
    orgId: ctx.orgId,
    emailId: id,
    position,
    filename: attachment.filename ?? null,
    contentType: attachment.content_type ?? null,
    contentId: attachment.content_id ?? null,
    // Exactly one of the two (the schema checks it, and so does the table).
    contentBase64: attachment.content ?? null,
    path: attachment.content == null ? (attachment.path ?? null) : null,
    // A fetched file's size is known only when it is fetched, and it is not stored then.
    size: attachment.content == null ? null : Buffer.byteLength(attachment.content, "base64"),
  }));

  return {
    id,
    write: {
      emails: [
        {
          id,
          orgId: ctx.orgId,
          domainId,
          apiKeyId: ctx.apiKeyId,
          from: input.from,
          to: asList(input.to) ?? [],
          cc: asList(input.cc),
          bcc: asList(input.bcc),
          replyTo: asList(input.reply_to),
          subject: input.subject,
          html: input.html ?? null,
          text: input.text ?? null,
          headers: input.headers ?? null,
          tags: input.tags ?? null,
          attachmentCount: attachments.length,
          messageId: `<${id}@${domainOf(bareAddress(input.from))}>`,
          status,
          lastEvent: status,
          scheduledAt,
          attempts: 0,
          createdAt: now,
          updatedAt: now,
        },
      ],
      attachments,
      events: [
        {
          id: newId(),
          orgId: ctx.orgId,
          emailId: id,
          type: status,
          details: scheduled ? { scheduled_at: scheduledAt.toISOString() } : null,
          createdAt: now,
        },
      ],
      jobs: [
        jobSpec(
          "email_send",
          { org_id: ctx.orgId, email_ids: [id] },
          scheduled
            ? { runAt: scheduledAt, jobKey: emailSendJobKey(id), maxAttempts: ctx.emailMaxAttempts }
            : { maxAttempts: ctx.emailMaxAttempts },
        ),
      ],
    },
  };
}

/** Several prepared emails as one write (one transaction). */
export function mergeWrites(writes: EmailWrite[]): EmailWrite {
  return {
    emails: writes.flatMap((write) => write.emails),
    attachments: writes.flatMap((write) => write.attachments),
    events: writes.flatMap((write) => write.events),
    jobs: writes.flatMap((write) => write.jobs),
  };
}
