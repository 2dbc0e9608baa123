import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import {
  type EmailEventType,
  type EmailStatus,
  emailEvents,
  emails,
} from "../../db/schema/index.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";

type Executor = Pick<Db, "select" | "update" | "insert">;

/**
 * A user-requested change of an email's state, on the caller's transaction: a conditional
 * UPDATE that only matches the allowed states (so a worker taking the email at the same moment
 * wins or loses cleanly), and the event that records it. 404 for another organization's email,
 * 409 invalid_state for one past the allowed states.
 */
export async function changeEmailState(
  tx: Executor,
  input: {
    orgId: string;
    id: string;
    /** For the error message: "canceled", "rescheduled". */
    operation: string;
    allowed: readonly EmailStatus[];
    status: EmailStatus & EmailEventType;
    set?: Partial<typeof emails.$inferInsert>;
    details?: Record<string, unknown>;
    now: Date;
  },
): Promise<void> {
  const updated = await tx
    .update(emails)
    .set({ ...input.set, status: input.status, lastEvent: input.status, updatedAt: input.now })
    .where(
      and(
        eq(emails.id, input.id),
        eq(emails.orgId, input.orgId),
        inArray(emails.status, input.allowed),
      ),
    )
    .returning({ id: emails.id });
  if (updated.length === 0) await explainNoMatch(tx, input);
  await tx.insert(emailEvents).values({
    id: newId(),
    orgId: input.orgId,
    emailId: input.id,
    type: input.status,
    details: input.details ?? null,
    createdAt: input.now,
  });
}

async function explainNoMatch(
  db: Pick<Db, "select">,
  input: { orgId: string; id: string; operation: string; allowed: readonly EmailStatus[] },
): Promise<never> {
  const [row] = await db
    .select({ lastEvent: emails.lastEvent })
    .from(emails)
    .where(and(eq(emails.id, input.id), eq(emails.orgId, input.orgId)));
  if (!row) throw notFound("Email");
  throw new AppError(
    "invalid_state",
    `This email cannot be ${input.operation}: its last event is \`${row.lastEvent}\` (only ${input.allowed.join(" or ")} emails can be)`,
  );
}
