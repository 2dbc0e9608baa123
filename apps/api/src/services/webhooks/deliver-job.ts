import { type JobSpec, jobSpec } from "../../jobs/catalog.ts";

/** As the fan-out trigger gives its jobs (db/migrations/0006_webhook_fan_out.sql). */
const MAX_ATTEMPTS = 25;

/**
 * The job that delivers one delivery, enqueued by code (replay, test event) rather than by the
 * fan-out trigger. Keyed by the delivery: a second replay before the job ran replaces it
 * instead of adding another.
 */
export function webhookDeliverJob(delivery: { id: string; orgId: string }): JobSpec {
  return jobSpec(
    "webhook_deliver",
    { org_id: delivery.orgId, delivery_id: delivery.id },
    { jobKey: `webhook_deliver:${delivery.id}`, maxAttempts: MAX_ATTEMPTS },
  );
}
