import type { SendEmailInput } from "../../routes/emails/schema.ts";
import type { ServiceContext } from "../context.ts";
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
 * With an idempotency key, the response is recorded in that same transaction.
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
  const { id, write } = prepareEmail(ctx, input, new Date());
  const response = { id };
  if (idempotencyKey) {
    write.idempotency = { orgId: ctx.orgId, key: idempotencyKey, status: 200, body: response };
  }
  await ctx.emailWriter.submit(write);
  return response;
}

/**
 * Accepts a batch in one transaction. `rejected` lists the emails that failed validation in
 * permissive mode; they are reported back, not sent.
 */
export async function sendEmailBatch({
  ctx,
  inputs,
  rejected,
  idempotencyKey,
}: {
  ctx: ServiceContext;
  inputs: SendEmailInput[];
  rejected?: BatchRejection[] | undefined;
  idempotencyKey?: string | undefined;
}): Promise<BatchResult> {
  const now = new Date();
  const prepared = inputs.map((input) => prepareEmail(ctx, input, now));
  const result: BatchResult = { data: prepared.map(({ id }) => ({ id })) };
  if (rejected) result.errors = rejected;
  const write = mergeWrites(prepared.map((email) => email.write));
  if (idempotencyKey) {
    write.idempotency = { orgId: ctx.orgId, key: idempotencyKey, status: 200, body: result };
  }
  if (write.emails.length > 0 || write.idempotency) await ctx.emailWriter.submit(write);
  return result;
}
