import type { Task } from "graphile-worker";
import type { LimitFunction } from "p-limit";
import type { Db } from "../db/client.ts";
import type { Logger } from "../lib/logger.ts";
import { allRecipients } from "../mail/compose.ts";
import type { RecipientLinks } from "../mail/recipient-copy.ts";
import type { MailTransport, TransportReport } from "../mail/transport.ts";
import type { SenderIdentities } from "../services/domains/sender-identities.ts";
import { fromDomain } from "../services/domains/sending-domains.ts";
import type { WarmupGate } from "../services/domains/warmup-gate.ts";
import { attachmentFailureOutcome } from "../services/emails/attachment-outcome.ts";
import {
  type ClaimBatcher,
  type ClaimedEmail,
  type EmailAttachmentRow,
  releaseClaim,
} from "../services/emails/claim.ts";
import { deferEmail } from "../services/emails/defer-email.ts";
import {
  type AttachmentFetchFailure,
  type AttachmentFetchOptions,
  withAttachmentContent,
} from "../services/emails/fetch-attachments.ts";
import { handOver } from "../services/emails/hand-over.ts";
import { withProvider } from "../services/emails/provider-details.ts";
import {
  type AttemptReport,
  failedOutcome,
  type OutcomeBatcher,
  planAttempt,
} from "../services/emails/record-attempt.ts";
import type { DeliveryRouting } from "../services/providers/routing.ts";
import { holdEmails } from "../services/reputation/hold-emails.ts";
import type { SendingPauses } from "../services/reputation/sending-pauses.ts";
import { parseJobPayload } from "./catalog.ts";

export interface EmailSendDeps {
  db: Db;
  transport: MailTransport;
  logger: Logger;
  /** Claims and outcomes of concurrent deliveries are written in shared statements. */
  claims: ClaimBatcher;
  outcomes: OutcomeBatcher;
  /** Bounds the deliveries in flight in this process, whatever the number of jobs running. */
  deliveries: LimitFunction;
  /** The sending domains' DKIM keys and return paths. */
  identities: SenderIdentities;
  /** Signs the VERP return paths (mail/verp.ts). */
  verpKey: Buffer;
  /** Tracking and unsubscribe links of each recipient's copy. */
  links: RecipientLinks;
  /** How attachments given by URL are fetched: the process's SSRF guard and the limits. */
  attachmentFetch: AttachmentFetchOptions;
  /** Paused domains and organizations: their emails are held, not sent (services/reputation). */
  pauses: SendingPauses;
  /** How long a held email waits before it is looked at again (a resume brings it forward). */
  holdMs: number;
  /** Picks each email's providers (its organization's, then ours); `transport` when absent. */
  routing?: DeliveryRouting;
  /** New domains' daily allowances; absent: no warm-up. */
  warmup?: WarmupGate;
}

/** Thrown to make graphile-worker retry the job with its exponential backoff. */
export class RetryLater extends Error {
  override name = "RetryLater";
}

type DeliveryResult = "done" | { retry: string } | { hold: ClaimedEmail };

/**
 * Delivers a job's emails: each is claimed, built as MIME, handed to the transport and its
 * outcome recorded. When some are deferred (or held by another worker), the job fails so that
 * graphile-worker retries it with backoff; the retry's claims skip the emails already settled,
 * so only the deferred ones go again. The last attempt records `failed` instead of retrying.
 */
export function createEmailSendTask(deps: EmailSendDeps): Task {
  return async (rawPayload, helpers) => {
    const payload = parseJobPayload("email_send", rawPayload);
    const workerId = helpers.job.locked_by;
    if (!workerId) throw new Error("email_send ran without a lock owner");
    const attempt = {
      number: helpers.job.attempts,
      last: helpers.job.attempts >= helpers.job.max_attempts,
      // This one included: a deferral that spends no attempt hands them all on.
      left: helpers.job.max_attempts - helpers.job.attempts + 1,
    };

    const results = await Promise.allSettled(
      payload.email_ids.map((emailId) =>
        deps.deliveries(() => deliverEmail(deps, { emailId, workerId, attempt })),
      ),
    );
    // Held emails go back first, whatever happened to the others: they must not stay claimed.
    const held = results.flatMap((result) =>
      result.status === "fulfilled" && typeof result.value === "object" && "hold" in result.value
        ? [result.value.hold]
        : [],
    );
    if (held.length > 0) {
      await holdEmails(deps.db, {
        orgId: payload.org_id,
        emails: held,
        workerId,
        job: helpers.job,
        holdMs: deps.holdMs,
      });
      deps.pauses.forget(payload.org_id);
    }
    const error = results.find((result) => result.status === "rejected");
    if (error) throw error.reason;
    const retry = results.find(
      (result): result is PromiseFulfilledResult<{ retry: string }> =>
        result.status === "fulfilled" &&
        typeof result.value === "object" &&
        "retry" in result.value,
    );
    if (retry) throw new RetryLater(retry.value.retry);
  };
}

async function deliverEmail(
  deps: EmailSendDeps,
  input: {
    emailId: string;
    workerId: string;
    attempt: { number: number; last: boolean; left: number };
  },
): Promise<DeliveryResult> {
  const { workerId } = input;
  const claim = await deps.claims.submit({ emailId: input.emailId, workerId });
  if (claim.kind === "nothing_to_do") return "done";
  if (claim.kind === "held_elsewhere") return { retry: "email is being sent by another worker" };

  const { email, attachments, suppressed } = claim;
  try {
    if (await deps.pauses.find(email.orgId, email.domainId)) return { hold: email };
    return await deliver(deps, {
      email,
      attachments,
      suppressed,
      workerId,
      attempt: input.attempt.number,
      lastAttempt: input.attempt.last,
      attemptsLeft: input.attempt.left,
    });
  } catch (error) {
    // Not an SMTP outcome: a bug or the database failing. Free the email for the retry.
    const reason = error instanceof Error ? error.message : String(error);
    await releaseClaim(deps.db, { email, workerId, lastAttempt: input.attempt.last, reason }).catch(
      (releaseError: unknown) =>
        deps.logger.error({ err: releaseError, emailId: email.id }, "could not release the email"),
    );
    throw error;
  }
}

async function deliver(
  deps: EmailSendDeps,
  input: {
    email: ClaimedEmail;
    attachments: EmailAttachmentRow[];
    suppressed: Set<string>;
    workerId: string;
    attempt: number;
    lastAttempt: boolean;
    attemptsLeft: number;
  },
): Promise<DeliveryResult> {
  const { email, workerId } = input;
  const now = new Date();
  const identity = email.domainId ? await deps.identities.get(email.orgId, email.domainId) : null;
  if (email.domainId && (!identity || identity.status === "failed")) {
    // Accepted from a verified domain that has been deleted or has failed since: sending
    // unsigned, from a domain whose owner no longer vouches for it, is worse than not sending.
    await deps.outcomes.submit(
      failedOutcome(
        email,
        workerId,
        identity ? "the sending domain failed verification" : "the sending domain was deleted",
        now,
      ),
    );
    return "done";
  }
  const all = email.pendingRecipients ?? allRecipients(email);
  const recipients = all.filter((recipient) => !input.suppressed.has(recipient.toLowerCase()));
  const suppressed = all.filter((recipient) => input.suppressed.has(recipient.toLowerCase()));
  if (deps.warmup && identity && recipients.length > 0) {
    const admission = await deps.warmup.admit(identity.domainId, recipients.length);
    if (!admission.admitted) {
      const reason = `warm-up allowance for ${identity.name} reached (${admission.allowance} today)`;
      await deferEmail(deps.db, {
        email,
        workerId,
        until: admission.nextDay,
        reason,
        attemptsLeft: input.attemptsLeft,
      });
      deps.logger.info({ emailId: email.id, until: admission.nextDay }, reason);
      return "done";
    }
  }
  const transport = deps.routing
    ? await deps.routing.transportFor(email.orgId, identity?.name ?? senderDomain(email.from))
    : deps.transport;
  let transportReport: TransportReport = { accepted: [], rejected: [], response: "" };
  if (recipients.length > 0) {
    // Fetched once for every copy handOver makes; fetched again if this attempt is retried.
    const contents = await withAttachmentContent(input.attachments, deps.attachmentFetch);
    if ("failure" in contents) return attachmentFailed(deps, input, contents.failure);
    transportReport = await handOver({
      transport,
      email,
      attachments: contents.attachments,
      recipients,
      identity,
      verpKey: deps.verpKey,
      links: deps.links,
      now,
    });
  }

  const report: AttemptReport = {
    accepted: transportReport.accepted,
    bounced: transportReport.rejected.filter(({ reply }) => reply.bounceClass === "hard"),
    deferred: transportReport.rejected.filter(({ reply }) => reply.bounceClass !== "hard"),
    suppressed,
    response: transportReport.accepted.length > 0 ? transportReport.response : null,
    finalHop: transportReport.finalHop ?? transport.finalHop,
    attemptsLeft: !input.lastAttempt,
    attempt: input.attempt,
  };
  const outcome = withProvider(
    planAttempt(email, workerId, report, new Date()),
    transportReport.provider,
  );
  await deps.outcomes.submit(outcome);
  if (outcome.retry) {
    deps.logger.info(
      { emailId: email.id, attempt: report.attempt, deferred: report.deferred.length },
      "delivery delayed, will retry",
    );
    return { retry: report.deferred[0]?.reply.response ?? "delivery delayed" };
  }
  return "done";
}

async function attachmentFailed(
  deps: EmailSendDeps,
  input: { email: ClaimedEmail; workerId: string; attempt: number; lastAttempt: boolean },
  failure: AttachmentFetchFailure,
): Promise<DeliveryResult> {
  const { email } = input;
  // The reason may name an internal address: for our logs, never for the client.
  deps.logger.warn(
    {
      emailId: email.id,
      attachment: failure.position,
      code: failure.error.code,
      status: failure.error.status,
      reason: failure.error.reason,
      temporary: failure.temporary,
    },
    "attachment could not be fetched",
  );
  const outcome = attachmentFailureOutcome(
    email,
    input.workerId,
    {
      failure,
      attempt: input.attempt,
      attemptsLeft: !input.lastAttempt,
      finalHop: deps.transport.finalHop,
    },
    new Date(),
  );
  await deps.outcomes.submit(outcome);
  return outcome.retry ? { retry: failure.message } : "done";
}

/** The from address's domain, for its send rate; null when it cannot be read. */
function senderDomain(from: string): string | null {
  try {
    return fromDomain(from);
  } catch {
    return null;
  }
}
