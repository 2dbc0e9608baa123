import { AppError } from "../../lib/errors.ts";
import type { SendEmailInput } from "../../routes/emails/schema.ts";
import type { ServiceContext } from "../context.ts";
import { resolveSenderDomain } from "../domains/sending-domains.ts";
import type { EmailWrite } from "./email-writer.ts";
import { mergeWrites, prepareEmail } from "./prepare-email.ts";

export interface BatchRejection {
  index: number;
  message: string;
}

export interface BatchResult {
  data: { id: string }[];
  errors?: BatchRejection[];
}

/**
 * Accepts one email: its row, first event and job commit together before this resolves.
 * With an idempotency key, the response is recorded in that same transaction. The email
 * counts against the organization's send quotas and in its usage. Sends are not in the audit
 * log: each has its own record (the email and its events), and the accept path stays one
 * write per group of requests.
 */
export async function sendEmail({
  ctx,
  input,
  idempotencyKey,
}: {
  ctx: ServiceContext;
  input: SendEmailInput;
  idempotencyKey?: string | undefined;
}): Promise<{ id: string }> {
  const domainId = await resolveSenderDomain(ctx.senders, ctx, input.from);
  const { id, write } = prepareEmail(ctx, input, new Date(), domainId);
  const response = { id };
  if (idempotencyKey) {
    write.idempotency = { orgId: ctx.orgId, key: idempotencyKey, status: 200, body: response };
  }
  await commitCounted(ctx, write);
  return response;
}

/** Takes the emails from the quotas, commits, and counts them (or gives them back). */
async function commitCounted(
  ctx: Pick<ServiceContext, "orgId" | "emailWriter" | "quota" | "usage">,
  write: EmailWrite,
): Promise<void> {
  const count = write.emails.length;
  await ctx.quota.take(ctx.orgId, count);
  try {
    await ctx.emailWriter.submit(write);
  } catch (error) {
    ctx.quota.giveBack(ctx.orgId, count);
    throw error;
  }
  ctx.usage.countEmails(ctx.orgId, count);
}

/**
 * Accepts a batch in one transaction. In permissive mode, `rejected` lists the emails that
 * failed validation, and emails from a domain they may not be sent from join them; in strict
 * mode (no `rejected`) such an email fails the whole batch.
 */
export async function sendEmailBatch({
  ctx,
  inputs,
  rejected,
  idempotencyKey,
}: {
  ctx: ServiceContext;
  inputs: { index: number; input: SendEmailInput }[];
  rejected?: BatchRejection[] | undefined;
  idempotencyKey?: string | undefined;
}): Promise<BatchResult> {
  const now = new Date();
  const accepted: { input: SendEmailInput; domainId: string | null }[] = [];
  const refused: BatchRejection[] = [];
  // A batch's emails mostly share their from: decided once per distinct address.
  const senders = new Map<string, Promise<string | null>>();
  const senderOf = (from: string) => {
    let decided = senders.get(from);
    if (!decided) {
      decided = resolveSenderDomain(ctx.senders, ctx, from);
      senders.set(from, decided);
    }
    return decided;
  };
  for (const { index, input } of inputs) {
    try {
      accepted.push({ input, domainId: await senderOf(input.from) });
    } catch (error) {
      if (!(error instanceof AppError) || !rejected) throw error;
      refused.push({ index, message: error.message });
    }
  }
  const prepared = accepted.map(({ input, domainId }) => prepareEmail(ctx, input, now, domainId));
  const result: BatchResult = { data: prepared.map(({ id }) => ({ id })) };
  if (rejected) result.errors = [...rejected, ...refused].sort((a, b) => a.index - b.index);
  const write = mergeWrites(prepared.map((email) => email.write));
  if (idempotencyKey) {
    write.idempotency = { orgId: ctx.orgId, key: idempotencyKey, status: 200, body: result };
  }
  if (write.emails.length > 0 || write.idempotency) await commitCounted(ctx, write);
  return result;
}
