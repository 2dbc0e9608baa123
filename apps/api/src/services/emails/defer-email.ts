import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { emails } from "../../db/schema/index.ts";
import { emailSendJobKey, jobSpec } from "../../jobs/catalog.ts";
import { addJobs } from "../../jobs/enqueue.ts";
import type { ClaimedEmail } from "./claim.ts";

/**
 * Puts a claimed email back in the queue until `until`, in a job of its own, without spending
 * a delivery attempt: waiting for tomorrow's warm-up allowance is not a failure. (A deferral
 * through graphile-worker's retry would spend one per backoff, and a large domain's queue
 * would exhaust its attempts before the schedule lets it through.) The claim's attempt count
 * is given back, the new job gets the attempts the current one had left, and the job carries
 * the email's job key, so canceling the email removes it.
 */
export async function deferEmail(
  db: Db,
  input: {
    email: ClaimedEmail;
    workerId: string;
    until: Date;
    reason: string;
    attemptsLeft: number;
  },
): Promise<boolean> {
  const { email } = input;
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(emails)
      .set({
        status: email.lastEvent === "delivery_delayed" ? "delivery_delayed" : "queued",
        lockedBy: null,
        attempts: sql`greatest(${emails.attempts} - 1, 0)`,
        lastError: input.reason,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(emails.id, email.id),
          eq(emails.lockedBy, input.workerId),
          eq(emails.status, "sending"),
        ),
      )
      .returning({ id: emails.id });
    if (updated.length === 0) return false;
    await addJobs(tx, [
      jobSpec(
        "email_send",
        { org_id: email.orgId, email_ids: [email.id] },
        {
          runAt: input.until,
          jobKey: emailSendJobKey(email.id),
          maxAttempts: Math.max(1, input.attemptsLeft),
        },
      ),
    ]);
    return true;
  });
}
