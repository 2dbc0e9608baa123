import { and, eq, sql as sqlFragment } from "drizzle-orm";
import type { Db, Sql } from "../../db/client.ts";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "../../db/schema/index.ts";
import { CommitBatcher } from "../../lib/commit-batcher.ts";
import { recordEvent } from "../events/record-event.ts";
import { wakeUpJobSpecs } from "./delivery-jobs.ts";
import type { PlannedAttempt } from "./plan-attempt.ts";

/**
 * Writes a group of attempts in one statement: each delivery changes only while it still
 * carries its claim's lease (a claim taken over after it lapsed writes nothing), its attempt
 * row is written only if it did, each endpoint's failing_since is cleared by a success or set
 * by its first failure after one (rows that would not change are not written), and the retries'
 * jobs are added in the same transaction, so a recorded failure always has its next attempt.
 */
const WRITE_ATTEMPTS = `
  with outcome as (
    select * from json_to_recordset($1::json) as o(
      "attemptId" uuid, "deliveryId" uuid, "orgId" uuid, "endpointId" uuid, "lease" timestamptz,
      "attemptedAt" timestamptz, "statusCode" int, "response" text, "latencyMs" int,
      "success" boolean, "status" text, "nextAttemptAt" timestamptz, "retryDelayMs" float8)
  ),
  updated as (
    update webhook_deliveries d
    set status = o."status", attempts = d.attempts + 1, next_attempt_at = o."nextAttemptAt",
      last_attempt_at = o."attemptedAt"
    from outcome o
    where d.id = any($2::uuid[]) and d.id = o."deliveryId"
      and d.status = 'attempting' and d.next_attempt_at = o."lease"
    returning d.id
  ),
  written as (
    select * from outcome where "deliveryId" in (select id from updated)
  ),
  new_attempts as (
    insert into webhook_attempts (id, org_id, delivery_id, status_code, response, latency_ms, created_at)
    select "attemptId", "orgId", "deliveryId", "statusCode", "response", "latencyMs", "attemptedAt"
    from written
  ),
  endpoint_state as (
    select "endpointId" as id, bool_or("success") as any_success, min("attemptedAt") as first_failure
    from written where "success" is not null
    group by "endpointId"
  ),
  endpoints as (
    update webhook_endpoints w
    set failing_since = case when s.any_success then null
      else coalesce(w.failing_since, s.first_failure) end
    from endpoint_state s
    where w.id = s.id
      and (case when s.any_success then null else coalesce(w.failing_since, s.first_failure) end)
        is distinct from w.failing_since
  ),
  retries as (
    select count(*)::int as added from graphile_worker.add_jobs(array(${wakeUpJobSpecs(
      `(select "orgId", "deliveryId", "retryDelayMs" as "delayMs" from written
        where "retryDelayMs" is not null) as r`,
    )}))
  )
  select (select coalesce(array_agg(id), '{}') from updated) as ids,
    (select added from retries) as retries`;

/** Answers, per attempt, whether it was written (false: its claim had been taken over). */
export async function writeAttempts(sql: Sql, attempts: PlannedAttempt[]): Promise<boolean[]> {
  const [row] = await sql.unsafe<{ ids: string[] }[]>(
    WRITE_ATTEMPTS,
    [
      JSON.stringify(attempts.map(({ disable: _, ...attempt }) => attempt)),
      attempts.map((attempt) => attempt.deliveryId),
    ],
    { prepare: true },
  );
  const written = new Set(row?.ids ?? []);
  return attempts.map((attempt) => written.has(attempt.deliveryId));
}

export type AttemptBatcher = CommitBatcher<PlannedAttempt, boolean>;

export function createAttemptBatcher(sql: Sql): AttemptBatcher {
  return new CommitBatcher<PlannedAttempt, boolean>({
    commit: (attempts) => writeAttempts(sql, attempts),
    maxBatchWeight: 500,
    maxConcurrentCommits: 2,
    parallelCommitMinWeight: 50,
    lingerMs: 2,
  });
}

/**
 * Records an attempt that disables its endpoint (410 Gone, failing for 5 days): the attempt,
 * the delivery failed, the endpoint disabled and the `webhook.disabled` operational event, in
 * one transaction. The event comes after the endpoint's update, so the fan-out trigger sees it
 * disabled and does not deliver the news to the endpoint itself. Answers whether it was written.
 */
export async function writeDisablingAttempt(db: Db, attempt: PlannedAttempt): Promise<boolean> {
  const reason = attempt.disable?.reason ?? "disabled";
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(webhookDeliveries)
      .set({
        status: "failed",
        attempts: sqlFragment`${webhookDeliveries.attempts} + 1`,
        nextAttemptAt: null,
        lastAttemptAt: attempt.attemptedAt,
      })
      .where(
        and(
          eq(webhookDeliveries.id, attempt.deliveryId),
          eq(webhookDeliveries.status, "attempting"),
          eq(webhookDeliveries.nextAttemptAt, attempt.lease),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    if (updated.length === 0) return false;
    await tx.insert(webhookAttempts).values({
      id: attempt.attemptId,
      orgId: attempt.orgId,
      deliveryId: attempt.deliveryId,
      statusCode: attempt.statusCode,
      response: attempt.response,
      latencyMs: attempt.latencyMs,
      createdAt: attempt.attemptedAt,
    });
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({
        status: "disabled",
        disabledReason: reason,
        failingSince: sqlFragment`coalesce(${webhookEndpoints.failingSince}, ${attempt.attemptedAt.toISOString()}::timestamptz)`,
        updatedAt: attempt.attemptedAt,
      })
      .where(
        and(
          eq(webhookEndpoints.id, attempt.endpointId),
          eq(webhookEndpoints.orgId, attempt.orgId),
          eq(webhookEndpoints.status, "enabled"),
        ),
      )
      .returning();
    // Already disabled (by a user, or by a concurrent attempt): that one told.
    if (!endpoint) return true;
    await recordEvent(tx, {
      orgId: attempt.orgId,
      type: "webhook.disabled",
      objectId: endpoint.id,
      data: {
        object: "webhook",
        id: endpoint.id,
        endpoint: endpoint.endpoint,
        events: endpoint.events,
        status: "disabled",
        disabled_reason: reason,
        failing_since: endpoint.failingSince?.toISOString() ?? null,
        created_at: endpoint.createdAt.toISOString(),
      },
    });
    return true;
  });
}
