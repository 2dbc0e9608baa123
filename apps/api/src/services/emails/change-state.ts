import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { type EmailStatus, emails } from "../../db/schema/index.ts";
import { AppError, notFound } from "../../lib/errors.ts";

/**
 * Why a conditional update matched nothing: the email is not this organization's (404), or it
 * is past the states the operation allows (409 invalid_state).
 */
export async function explainNoMatch(
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
