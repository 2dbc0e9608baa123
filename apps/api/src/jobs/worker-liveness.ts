import { hostname } from "node:os";
import type { Sql } from "../db/client.ts";
import type { Logger } from "../lib/logger.ts";

export interface LivenessOptions {
  sql: Sql;
  workerId: string;
  heartbeatMs: number;
  deadAfterMs: number;
  logger: Logger;
}

/**
 * Heartbeats for this worker pool, and a sweep that frees what dead pools held: graphile-worker
 * on its own keeps a killed worker's jobs locked for 4 hours. A pool whose heartbeat is older
 * than `deadAfterMs` (or that never wrote one) gets its jobs unlocked with
 * graphile_worker.force_unlock_workers, so a live pool retries them.
 */
export function startLiveness(options: LivenessOptions): { stop(): Promise<void> } {
  const { sql, workerId, logger } = options;
  const deadAfterSeconds = options.deadAfterMs / 1000;

  const beat = async () => {
    await sql`
      insert into worker_heartbeats (worker_id, hostname, pid, started_at, last_seen_at)
      values (${workerId}, ${hostname()}, ${process.pid}, now(), now())
      on conflict (worker_id) do update set last_seen_at = now()`;
  };

  const sweep = async () => {
    const dead = await sql<{ worker_id: string }[]>`
      with expired as (
        delete from worker_heartbeats
        where last_seen_at < now() - make_interval(secs => ${deadAfterSeconds})
        returning worker_id
      )
      select worker_id from expired
      union
      select distinct locked_by from graphile_worker.jobs
      where locked_by is not null
        and locked_at < now() - make_interval(secs => ${deadAfterSeconds})
        and locked_by not in (select worker_id from worker_heartbeats)`;
    if (dead.length === 0) return;
    const ids = dead.map((row) => row.worker_id);
    await sql`select graphile_worker.force_unlock_workers(${ids})`;
    logger.warn({ workers: ids }, "unlocked the jobs of workers that stopped heartbeating");
  };

  const tick = () => {
    beat()
      .then(sweep)
      .catch((error: unknown) => logger.error({ err: error }, "worker heartbeat failed"));
  };
  tick();
  const timer = setInterval(tick, options.heartbeatMs);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      await sql`delete from worker_heartbeats where worker_id = ${workerId}`.catch(() => {});
    },
  };
}
