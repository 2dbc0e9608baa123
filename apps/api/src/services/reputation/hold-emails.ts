import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { domains, emails, organizations } from "../../db/schema/index.ts";
import { jobSpec } from "../../jobs/catalog.ts";
import { addJobs } from "../../jobs/enqueue.ts";
import type { ClaimedEmail } from "../emails/claim.ts";
import { pausedReason, pauseOf, type SendingPause } from "./sending-pauses.ts";

/** The graphile-worker flag of a job holding emails for a paused scope: resume finds it. */
export const heldFlag = (scopeId: string) => `held:${scopeId}`;

export interface HoldInput {
  orgId: string;
  /** Claimed by `workerId` and found paused (the cached view). */
  emails: ClaimedEmail[];
  workerId: string;
  /** The running email_send job (graphile-worker's fields). */
  job: { key: string | null; attempts: number; max_attempts: number };
  holdMs: number;
}

/**
 * Gives back emails whose sender is paused, without sending or failing them: each returns to
 * the state it was claimed in, its attempt uncounted, and goes into a new job an hour later
 * (`holdMs`) that carries the same remaining attempts, so an admin taking a day does not use up
 * its retries. The new job is flagged with the pause's scope so that a resume brings it forward.
 *
 * The pauses are re-read under FOR SHARE locks: a resume (an UPDATE of the same rows) either
 * commits first and is seen here, the emails then going out at once, or waits for this
 * transaction, and then finds the new job to bring forward.
 */
export async function holdEmails(
  db: Db,
  input: HoldInput,
): Promise<{ held: string[]; released: string[] }> {
  const now = new Date();
  return db.transaction(async (tx) => {
    const pauses = await lockedPauses(tx, input);
    const held: { email: ClaimedEmail; pause: SendingPause }[] = [];
    const released: ClaimedEmail[] = [];
    for (const email of input.emails) {
      const pause = pauseOf(pauses, input.orgId, email.domainId);
      if (pause) held.push({ email, pause });
      else released.push(email);
    }
    const reasonById = new Map(held.map(({ email, pause }) => [email.id, pause.reason]));
    const lastError = sql`case ${emails.id} ${sql.join(
      [...reasonById].map(
        ([id, reason]) =>
          sql`when ${id}::uuid then ${`sending paused (${reason}): held until it resumes`}`,
      ),
      sql` `,
    )} else ${emails.lastError} end`;
    const given = await tx
      .update(emails)
      .set({
        status: sql`case
          when ${emails.lastEvent} = 'scheduled' then 'scheduled'
          when ${emails.pendingRecipients} is not null or ${emails.lastEvent} = 'delivery_delayed'
            then 'delivery_delayed'
          else 'queued' end`,
        lockedBy: null,
        attempts: sql`greatest(${emails.attempts} - 1, 0)`,
        lastError: reasonById.size > 0 ? lastError : emails.lastError,
        updatedAt: now,
      })
      .where(
        and(
          inArray(
            emails.id,
            input.emails.map((email) => email.id),
          ),
          eq(emails.lockedBy, input.workerId),
          eq(emails.status, "sending"),
        ),
      )
      .returning({ id: emails.id });
    const mine = new Set(given.map((row) => row.id));
    const heldIds = held.map(({ email }) => email.id).filter((id) => mine.has(id));
    const releasedIds = released.map((email) => email.id).filter((id) => mine.has(id));

    // The attempts the job had left, this one not counted.
    const maxAttempts = Math.max(1, input.job.max_attempts - input.job.attempts + 1);
    // A keyed job (a scheduled email) keeps its key, so reschedule and cancel still find it.
    const jobKey = input.job.key ?? undefined;
    const specs = [];
    if (heldIds.length > 0) {
      const flags = [...new Set(held.map(({ pause }) => heldFlag(pause.scopeId)))];
      specs.push(
        jobSpec(
          "email_send",
          { org_id: input.orgId, email_ids: heldIds },
          { runAt: new Date(now.getTime() + input.holdMs), maxAttempts, jobKey, flags },
        ),
      );
    }
    if (releasedIds.length > 0) {
      specs.push(
        jobSpec(
          "email_send",
          { org_id: input.orgId, email_ids: releasedIds },
          { maxAttempts, jobKey },
        ),
      );
    }
    await addJobs(tx, specs);
    return { held: heldIds, released: releasedIds };
  });
}

/** The organization's and the emails' domains' pauses, locked against a concurrent resume. */
async function lockedPauses(tx: Pick<Db, "select">, input: HoldInput) {
  const [org] = await tx
    .select({ reason: pausedReason(organizations) })
    .from(organizations)
    .where(eq(organizations.id, input.orgId))
    .for("share");
  const domainIds = [
    ...new Set(input.emails.flatMap((email) => (email.domainId ? [email.domainId] : []))),
  ];
  const rows =
    domainIds.length > 0
      ? await tx
          .select({ id: domains.id, reason: domains.sendingPausedReason })
          .from(domains)
          .where(and(inArray(domains.id, domainIds), sql`${domains.sendingPausedAt} is not null`))
          .for("share")
      : [];
  return {
    organization: org?.reason ?? null,
    domains: new Map(rows.map((row) => [row.id, row.reason ?? "sending paused"])),
  };
}
