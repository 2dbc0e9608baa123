import type { Sql } from "../../db/client.ts";
import { CommitBatcher } from "../../lib/commit-batcher.ts";

/** A webhook_deliver job to run `delayMs` from now (the database's now, graphile-worker's clock). */
export interface DeliveryWakeUp {
  orgId: string;
  deliveryId: string;
  delayMs: number;
}

/**
 * graphile_worker.job_spec rows for the wake-ups in `source`, a FROM item aliased `r` with
 * "orgId", "deliveryId" and "delayMs". Keyed by delivery (catalog.ts's webhookDeliverJobKey): adding one
 * moves the delivery's waiting job instead of adding another, and a running job that adds its
 * own successor loses its key, so it only completes. Our schedule replaces graphile-worker's
 * backoff; max_attempts only bounds runs that throw (the database failing).
 */
export function wakeUpJobSpecs(source: string): string {
  return `
    select json_populate_record(null::graphile_worker.job_spec, json_build_object(
      'identifier', 'webhook_deliver',
      'payload', json_build_object('org_id', r."orgId", 'delivery_id', r."deliveryId"),
      'job_key', 'webhook_deliver:' || r."deliveryId",
      'run_at', now() + make_interval(secs => r."delayMs" / 1000.0),
      'max_attempts', 25))
    from ${source}`;
}

const ADD_WAKE_UPS = `
  select count(*)::int as added from graphile_worker.add_jobs(array(${wakeUpJobSpecs(
    `json_to_recordset($1::json) as r("orgId" uuid, "deliveryId" uuid, "delayMs" float8)`,
  )}))`;

export async function addWakeUps(sql: Sql, wakeUps: DeliveryWakeUp[]): Promise<void> {
  if (wakeUps.length === 0) return;
  await sql.unsafe(ADD_WAKE_UPS, [JSON.stringify(wakeUps)], { prepare: true });
}

export type WakeUpBatcher = CommitBatcher<DeliveryWakeUp, void>;

/** A slow endpoint's backlog comes back every second: its jobs share statements. */
export function createWakeUpBatcher(sql: Sql): WakeUpBatcher {
  return new CommitBatcher<DeliveryWakeUp, void>({
    commit: async (wakeUps) => {
      await addWakeUps(sql, wakeUps);
      return wakeUps.map(() => undefined);
    },
    maxBatchWeight: 500,
    maxConcurrentCommits: 2,
    parallelCommitMinWeight: 50,
    lingerMs: 2,
  });
}
