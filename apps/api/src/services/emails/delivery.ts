import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import {
  type EmailEventType,
  type EmailStatus,
  emailAttachments,
  emailEvents,
  emails,
  workerHeartbeats,
} from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";
import type { SmtpReply } from "../../mail/smtp-reply.ts";
import type { RecipientRejection } from "../../mail/transport.ts";

export type ClaimedEmail = typeof emails.$inferSelect;

/**
 * A claim this old is abandoned even if its worker still heartbeats: no send takes this long
 * (the SMTP socket times out after 2 minutes of silence).
 */
const STALE_CLAIM_MINUTES = 30;
export type EmailAttachmentRow = typeof emailAttachments.$inferSelect;

export type Claim =
  | { kind: "claimed"; email: ClaimedEmail; attachments: EmailAttachmentRow[] }
  /** Nothing to do: already handed over, bounced, failed, canceled, or moved to a later time. */
  | { kind: "nothing_to_do"; status: EmailStatus }
  /** Another live worker holds it. */
  | { kind: "held_elsewhere" };

/**
 * Takes an email for delivery with one conditional UPDATE, so that however often its job runs,
 * only one worker at a time sends it, and never after it was sent or canceled. An email left
 * `sending` by a worker whose heartbeat has stopped (killed mid-send) can be taken over.
 */
export async function claimEmail(
  db: Db,
  input: { emailId: string; workerId: string; deadAfterMs: number },
): Promise<Claim> {
  const liveHolder = sql`exists (
    select 1 from ${workerHeartbeats}
    where ${workerHeartbeats.workerId} = ${emails.lockedBy}
      and ${workerHeartbeats.lastSeenAt} > now() - make_interval(secs => ${input.deadAfterMs / 1000}))`;
  const [email] = await db
    .update(emails)
    .set({
      status: "sending",
      lockedBy: input.workerId,
      attempts: sql`${emails.attempts} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(emails.id, input.emailId),
        sql`(
          ${emails.status} in ('queued', 'delivery_delayed')
          or (${emails.status} = 'scheduled' and ${emails.scheduledAt} <= now() + interval '1 second')
          or (${emails.status} = 'sending' and (
            ${emails.lockedBy} = ${input.workerId}
            or not ${liveHolder}
            or ${emails.updatedAt} < now() - interval '${sql.raw(String(STALE_CLAIM_MINUTES))} minutes'))
        )`,
      ),
    )
    .returning();
  if (!email) {
    const [current] = await db
      .select({ status: emails.status })
      .from(emails)
      .where(eq(emails.id, input.emailId));
    if (current?.status === "sending") return { kind: "held_elsewhere" };
    return { kind: "nothing_to_do", status: current?.status ?? "canceled" };
  }
  const attachments =
    email.attachmentCount > 0
      ? await db
          .select()
          .from(emailAttachments)
          .where(eq(emailAttachments.emailId, email.id))
          .orderBy(asc(emailAttachments.position))
      : [];
  return { kind: "claimed", email, attachments };
}

/** What one delivery attempt came to, recipient by recipient. */
export interface AttemptReport {
  accepted: string[];
  /** Permanent refusals (5xx): these recipients bounced. */
  bounced: RecipientRejection[];
  /** Temporary refusals or connection trouble (4xx, timeouts): worth another attempt. */
  deferred: RecipientRejection[];
  /** The server's reply to the message when it took it. */
  response: string | null;
  finalHop: boolean;
  /** Whether graphile-worker will run the job again if this attempt asks for a retry. */
  attemptsLeft: boolean;
  attempt: number;
}

export interface RecordedOutcome {
  status: EmailStatus;
  /** True when the job should fail so that graphile-worker retries it with backoff. */
  retry: boolean;
}

const replyDetails = (reply: SmtpReply) => ({
  smtp_code: reply.code,
  enhanced_code: reply.enhancedCode,
  bounce_class: reply.bounceClass,
  reason: reply.reason,
  response: reply.response,
});

const groupByReply = (rejections: RecipientRejection[]) => {
  const groups = new Map<string, { reply: SmtpReply; recipients: string[] }>();
  for (const { recipient, reply } of rejections) {
    const key = `${reply.code}|${reply.enhancedCode}|${reply.response}`;
    const group = groups.get(key) ?? { reply, recipients: [] };
    group.recipients.push(recipient);
    groups.set(key, group);
  }
  return [...groups.values()];
};

/**
 * Records an attempt's outcome as the email's new state and its events, in one transaction,
 * and only while this worker still holds the email. Events are written in the order they
 * happened, and the last one becomes the email's `last_event`.
 */
export async function recordAttempt(
  db: Db,
  input: { email: ClaimedEmail; workerId: string; report: AttemptReport },
): Promise<RecordedOutcome> {
  const { email, report } = input;
  const now = new Date();
  const events: { type: EmailEventType; details: Record<string, unknown> | null }[] = [];

  for (const group of groupByReply(report.bounced)) {
    events.push({
      type: "bounced",
      details: { recipients: group.recipients, ...replyDetails(group.reply) },
    });
  }
  if (report.accepted.length > 0) {
    const details = {
      recipients: report.accepted,
      response: report.response,
      attempt: report.attempt,
    };
    events.push({ type: "sent", details });
    if (report.finalHop) events.push({ type: "delivered", details });
  }

  const everAccepted = report.accepted.length > 0 || email.sentAt !== null;
  const retry = report.deferred.length > 0 && report.attemptsLeft;
  let status: EmailStatus;
  if (retry) {
    status = "delivery_delayed";
    // One event when the delay starts; later failed attempts only update last_error.
    if (email.status !== "delivery_delayed") {
      for (const group of groupByReply(report.deferred)) {
        events.push({
          type: "delivery_delayed",
          details: {
            recipients: group.recipients,
            attempt: report.attempt,
            ...replyDetails(group.reply),
          },
        });
      }
    }
  } else if (report.deferred.length > 0) {
    for (const group of groupByReply(report.deferred)) {
      events.push({
        type: "failed",
        details: {
          recipients: group.recipients,
          attempt: report.attempt,
          message: "delivery attempts exhausted",
          ...replyDetails(group.reply),
        },
      });
    }
    status = everAccepted ? finalAcceptedStatus(email, report) : "failed";
  } else if (everAccepted) {
    status = finalAcceptedStatus(email, report);
  } else {
    status = report.bounced.length > 0 ? "bounced" : "failed";
  }

  const lastEvent = events.at(-1)?.type ?? email.lastEvent;
  const lastError = [...report.deferred, ...report.bounced][0]?.reply.response ?? null;

  await db.transaction(async (tx) => {
    const updated = await tx
      .update(emails)
      .set({
        status,
        lastEvent,
        lockedBy: null,
        pendingRecipients: retry ? report.deferred.map((rejection) => rejection.recipient) : null,
        providerMessageId: report.response ?? email.providerMessageId,
        lastError,
        sentAt: report.accepted.length > 0 && email.sentAt === null ? now : email.sentAt,
        updatedAt: now,
      })
      .where(
        and(
          eq(emails.id, email.id),
          eq(emails.lockedBy, input.workerId),
          eq(emails.status, "sending"),
        ),
      )
      .returning({ id: emails.id });
    // Lost the email to another worker (this one was presumed dead): its outcome is theirs.
    if (updated.length === 0) return;
    if (events.length > 0) {
      await tx.insert(emailEvents).values(
        events.map((event) => ({
          id: newId(),
          orgId: email.orgId,
          emailId: email.id,
          type: event.type,
          details: event.details,
          createdAt: now,
        })),
      );
    }
  });
  return { status, retry };
}

function finalAcceptedStatus(email: ClaimedEmail, report: AttemptReport): EmailStatus {
  if (report.accepted.length > 0) return report.finalHop ? "delivered" : "sent";
  // Accepted in an earlier attempt; this one only settled the rest.
  return email.lastEvent === "delivered" || report.finalHop ? "delivered" : "sent";
}

/**
 * Gives a claimed email back after an unexpected error (not an SMTP outcome), so that any
 * worker's retry can take it; on the last attempt it fails instead, with the error's message.
 */
export async function releaseClaim(
  db: Db,
  input: { email: ClaimedEmail; workerId: string; lastAttempt: boolean; reason: string },
): Promise<void> {
  const { email } = input;
  const now = new Date();
  await db.transaction(async (tx) => {
    const status: EmailStatus = input.lastAttempt
      ? "failed"
      : email.lastEvent === "delivery_delayed"
        ? "delivery_delayed"
        : "queued";
    const updated = await tx
      .update(emails)
      .set({
        status,
        ...(input.lastAttempt ? { lastEvent: "failed" as const } : {}),
        lockedBy: null,
        lastError: input.reason,
        updatedAt: now,
      })
      .where(
        and(
          eq(emails.id, email.id),
          eq(emails.lockedBy, input.workerId),
          eq(emails.status, "sending"),
        ),
      )
      .returning({ id: emails.id });
    if (updated.length === 0 || !input.lastAttempt) return;
    await tx.insert(emailEvents).values({
      id: newId(),
      orgId: email.orgId,
      emailId: email.id,
      type: "failed",
      details: { message: input.reason },
      createdAt: now,
    });
  });
}
