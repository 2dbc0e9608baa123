import { z } from "zod";

/**
 * Every graphile-worker task and the payload it takes. Payloads are parsed before a task
 * runs, so a malformed job fails loudly instead of half-running.
 */
/**
 * Emails one email_send job may carry. Immediate sends of one organization share a job (one
 * queue row instead of one per email, the accept path's largest cost); a batch of 100 is one.
 */
export const EMAILS_PER_SEND_JOB = 100;

export const JOB_PAYLOADS = {
  email_send: z.object({
    org_id: z.uuid(),
    email_ids: z.array(z.uuid()).min(1).max(EMAILS_PER_SEND_JOB),
  }),
  idempotency_prune: z.looseObject({}),
  domain_verify: z.object({ org_id: z.uuid(), domain_id: z.uuid() }),
  /** Enqueued by the fan-out trigger (db/migrations/0006_webhook_fan_out.sql), not by code. */
  webhook_deliver: z.object({ org_id: z.uuid(), delivery_id: z.uuid() }),
  domains_recheck: z.looseObject({}),
  reputation_stats: z.looseObject({}),
  organization_purge: z.object({ org_id: z.uuid() }),
  retention_prune: z.looseObject({}),
} as const;

export type JobName = keyof typeof JOB_PAYLOADS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_PAYLOADS)[N]>;

/** One row of graphile_worker.job_spec, as add_jobs takes it. */
export interface JobSpec {
  identifier: JobName;
  payload: unknown;
  run_at?: string;
  job_key?: string;
  max_attempts?: number;
  flags?: string[];
}

export function jobSpec<N extends JobName>(
  identifier: N,
  payload: JobPayload<N>,
  options: { runAt?: Date; jobKey?: string; maxAttempts?: number; flags?: string[] } = {},
): JobSpec {
  const spec: JobSpec = { identifier, payload };
  if (options.runAt) spec.run_at = options.runAt.toISOString();
  if (options.jobKey) spec.job_key = options.jobKey;
  if (options.maxAttempts) spec.max_attempts = options.maxAttempts;
  if (options.flags) spec.flags = options.flags;
  return spec;
}

export function parseJobPayload<N extends JobName>(identifier: N, payload: unknown): JobPayload<N> {
  return JOB_PAYLOADS[identifier].parse(payload) as JobPayload<N>;
}

/** Scheduled sends have a job key, so reschedule and cancel can find their job. */
export function emailSendJobKey(emailId: string): string {
  return `email_send:${emailId}`;
}

/**
 * A webhook delivery's retries and wake-ups share one job key, so a delivery has at most one
 * waiting job however often it is rescheduled (services/webhooks/delivery-jobs.ts).
 */
export function webhookDeliverJobKey(deliveryId: string): string {
  return `webhook_deliver:${deliveryId}`;
}
