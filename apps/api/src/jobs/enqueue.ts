import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import type { JobSpec } from "./catalog.ts";

type Executor = Pick<Db, "execute">;

/**
 * Adds jobs on the caller's transaction with graphile-worker's SQL add_jobs, so the rows a
 * mutation writes and the jobs that act on them commit or roll back together.
 */
export async function addJobs(tx: Executor, specs: JobSpec[]): Promise<void> {
  if (specs.length === 0) return;
  await tx.execute(sql`
    select count(*) from graphile_worker.add_jobs(
      array(select json_populate_recordset(null::graphile_worker.job_spec, ${JSON.stringify(specs)}::json))
    )`);
}

/** Removes a keyed job that has not started; a running job is left to finish. */
export async function removeJob(tx: Executor, jobKey: string): Promise<void> {
  await tx.execute(sql`select graphile_worker.remove_job(${jobKey})`);
}
