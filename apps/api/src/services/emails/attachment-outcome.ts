import type { EmailStatus } from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";
import type { ClaimedEmail } from "./claim.ts";
import type { AttachmentFetchFailure } from "./fetch-attachments.ts";
import type { AttemptOutcome } from "./record-attempt.ts";

/**
 * What an attachment that could not be fetched does to its email. Nothing was handed over, so
 * no recipient is named: a temporary failure keeps the email waiting (same recipients, normal
 * backoff), a permanent one (or the last attempt) fails it. Like planAttempt, the delay is
 * recorded once, when it starts, and recipients accepted by an earlier attempt stay accepted.
 */
export function attachmentFailureOutcome(
  email: ClaimedEmail,
  workerId: string,
  input: {
    failure: AttachmentFetchFailure;
    attempt: number;
    attemptsLeft: boolean;
    finalHop: boolean;
  },
  now: Date,
): AttemptOutcome {
  const { failure } = input;
  const retry = failure.temporary && input.attemptsLeft;
  const message =
    failure.temporary && !retry
      ? `${failure.message} (delivery attempts exhausted)`
      : failure.message;
  const details = {
    message,
    attachment: { index: failure.position, filename: failure.filename },
    attempt: input.attempt,
  };
  const type = retry ? ("delivery_delayed" as const) : ("failed" as const);
  const recordEvent = !retry || email.lastEvent !== "delivery_delayed";
  return {
    emailId: email.id,
    workerId,
    status: retry ? "delivery_delayed" : settledStatus(email, input.finalHop),
    lastEvent: type,
    // A retry goes to the same recipients as this attempt would have (null: all of them).
    pendingRecipients: retry ? email.pendingRecipients : null,
    providerMessageId: null,
    lastError: message,
    sentAt: null,
    events: recordEvent
      ? [{ id: newId(), orgId: email.orgId, emailId: email.id, type, details, createdAt: now }]
      : [],
    suppressions: [],
    retry,
  };
}

/** Failed, unless an earlier attempt handed it over to some recipients (as planAttempt says). */
function settledStatus(email: ClaimedEmail, finalHop: boolean): EmailStatus {
  if (email.sentAt === null) return "failed";
  return finalHop || email.lastEvent === "delivered" ? "delivered" : "sent";
}
