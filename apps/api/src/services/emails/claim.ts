import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import {
  type EmailStatus,
  emailAttachments,
  emailEvents,
  emails,
  suppressions,
  workerHeartbeats,
} from "../../db/schema/index.ts";
import { CommitBatcher } from "../../lib/commit-batcher.ts";
import { newId } from "../../lib/ids.ts";
import { allRecipients } from "../../mail/compose.ts";

export type ClaimedEmail = typeof emails.$inferSelect;
export type EmailAttachmentRow = typeof emailAttachments.$inferSelect;

export type Claim =
  | {
      kind: "claimed";
      email: ClaimedEmail;
      attachments: EmailAttachmentRow[];
      /** Its recipients that are on the organization's suppression list (lowercased). */
      suppressed: Set<string>;
    }
  /** Nothing to do: already handed over, bounced, failed, canceled, or moved to a later time. */
  | { kind: "nothing_to_do"; status: EmailStatus }
  /** Another live worker holds it. */
  | { kind: "held_elsewhere" };

export interface ClaimRequest {
  emailId: string;
  /** The graphile-worker pool taking the email. */
  workerId: string;
}

/**
 * A claim this old is abandoned even if its worker still heartbeats: no send takes this long
 * (the SMTP socket times out after 2 minutes of silence).
 */
const STALE_CLAIM_MINUTES = 30;

/**
 * Which emails a worker may take: waiting ones, scheduled ones whose time has come, and ones
 * left `sending` by itself, by a worker whose heartbeat stopped (killed mid-send), or too long
 * ago. Whatever the number of job runs, one worker at a time sends an email, and never after
 * it was sent or canceled.
 */
function claimable(workerId: SQL, deadAfterMs: number): SQL {
  const liveHolder = sql`exists (
    select 1 from ${workerHeartbeats}
    where ${workerHeartbeats.workerId} = ${emails.lockedBy}
      and ${workerHeartbeats.lastSeenAt} > now() - make_interval(secs => ${deadAfterMs / 1000}))`;
  return sql`(
    ${emails.status} in ('queued', 'delivery_delayed')
    or (${emails.status} = 'scheduled' and ${emails.scheduledAt} <= now() + interval '1 second')
    or (${emails.status} = 'sending' and (
      ${emails.lockedBy} = ${workerId}
      or not ${liveHolder}
      or ${emails.updatedAt} < now() - interval '${sql.raw(String(STALE_CLAIM_MINUTES))} minutes'))
  )`;
}

/**
 * The claim statement, built once per database and deadline and then executed as a prepared
 * statement (drizzle's query building was a twentieth of the worker's CPU). The ids come as an
 * array, which the planner serves from the primary key; a json_to_recordset join got a
 * generic plan that scanned the table (1.1 ms per email, measured).
 */
function claimStatement(db: Db, deadAfterMs: number) {
  const workerId = sql`${sql.placeholder("workerId")}::text`;
  return db
    .update(emails)
    .set({
      status: "sending",
      lockedBy: workerId,
      attempts: sql`${emails.attempts} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        sql`${emails.id} = any(${sql.placeholder("ids")}::uuid[])`,
        claimable(workerId, deadAfterMs),
      ),
    )
    .returning()
    .prepare("claim_emails");
}

type ClaimStatement = ReturnType<typeof claimStatement>;

/**
 * Claims a group of emails with one conditional UPDATE (one commit for all of them). The
 * requests of a group come from one worker pool (one per process), so share its id.
 */
export async function claimEmails(
  db: Db,
  statement: ClaimStatement,
  requests: ClaimRequest[],
): Promise<Claim[]> {
  const workerIds = new Set(requests.map((request) => request.workerId));
  if (workerIds.size > 1) {
    const groups = [...workerIds].map((id) =>
      requests.filter((request) => request.workerId === id),
    );
    const claims = await Promise.all(groups.map((group) => claimEmails(db, statement, group)));
    const byRequest = new Map(
      groups.flatMap((group, i) => group.map((request, j) => [request, claims[i]?.[j]] as const)),
    );
    return requests.map((request) => byRequest.get(request) as Claim);
  }
  const claimed = await statement.execute({
    ids: requests.map((request) => request.emailId),
    workerId: requests[0]?.workerId ?? "",
  });
  const byId = new Map(claimed.map((email) => [email.id, email]));

  // Stored attachments come with their bytes (at most 40 MB an email); `path` ones without
  // (fetched at send time). The deliveries limit of the caller bounds the claims held at once.
  const withAttachments = claimed
    .filter((email) => email.attachmentCount > 0)
    .map((email) => email.id);
  const attachments =
    withAttachments.length > 0
      ? await db
          .select()
          .from(emailAttachments)
          .where(inArray(emailAttachments.emailId, withAttachments))
          .orderBy(asc(emailAttachments.emailId), asc(emailAttachments.position))
      : [];

  const suppressed = await suppressedRecipients(db, claimed);

  const missed = requests
    .filter((request) => !byId.has(request.emailId))
    .map((request) => request.emailId);
  const statuses =
    missed.length > 0
      ? new Map(
          (
            await db
              .select({ id: emails.id, status: emails.status })
              .from(emails)
              .where(inArray(emails.id, missed))
          ).map((row) => [row.id, row.status]),
        )
      : new Map<string, EmailStatus>();

  return requests.map((request): Claim => {
    const email = byId.get(request.emailId);
    if (email) {
      return {
        kind: "claimed",
        email,
        attachments: attachments.filter((a) => a.emailId === email.id),
        suppressed: suppressed.get(email.orgId) ?? new Set(),
      };
    }
    const status = statuses.get(request.emailId);
    if (status === "sending") return { kind: "held_elsewhere" };
    return { kind: "nothing_to_do", status: status ?? "canceled" };
  });
}

/**
 * Which recipients of a group of claimed emails are suppressed, per organization: one query
 * for the whole group, answered from the suppressions primary key.
 */
async function suppressedRecipients(
  db: Db,
  claimed: ClaimedEmail[],
): Promise<Map<string, Set<string>>> {
  if (claimed.length === 0) return new Map();
  const addresses = new Set(claimed.flatMap((email) => allRecipients(email).map(lower)));
  const rows = await db
    .select({ orgId: suppressions.orgId, email: suppressions.email })
    .from(suppressions)
    .where(
      and(
        inArray(suppressions.orgId, [...new Set(claimed.map((email) => email.orgId))]),
        inArray(suppressions.email, [...addresses]),
      ),
    );
  const byOrg = new Map<string, Set<string>>();
  for (const row of rows) {
    const set = byOrg.get(row.orgId) ?? new Set<string>();
    set.add(row.email);
    byOrg.set(row.orgId, set);
  }
  return byOrg;
}

const lower = (address: string) => address.toLowerCase();

export type ClaimBatcher = CommitBatcher<ClaimRequest, Claim>;

/** Claims of concurrently running tasks share statements, like the accept path's writes. */
export function createClaimBatcher(db: Db, deadAfterMs: number): ClaimBatcher {
  const statement = claimStatement(db, deadAfterMs);
  return new CommitBatcher<ClaimRequest, Claim>({
    commit: (requests) => claimEmails(db, statement, requests),
    maxBatchWeight: 500,
    maxConcurrentCommits: 2,
    parallelCommitMinWeight: 50,
    lingerMs: 2,
  });
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
