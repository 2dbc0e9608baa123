import type { Sql } from "../db/client.ts";

export interface QueuedJob {
  task_identifier: string;
  payload: Record<string, unknown>;
  key: string | null;
  run_at: Date;
  attempts: number;
  locked_by: string | null;
}

/**
 * The graphile-worker jobs that carry an email (the public jobs view has no payload column). drizzle
 * swaps the shared client's timestamp parsers for pass-through ones, so run_at is parsed here.
 */
export async function jobsForEmail(sql: Sql, emailId: string): Promise<QueuedJob[]> {
  const rows = await sql<(Omit<QueuedJob, "run_at"> & { run_at: string | Date })[]>`
    select tasks.identifier as task_identifier, jobs.payload, jobs.key, jobs.run_at, jobs.attempts, jobs.locked_by
    from graphile_worker._private_jobs as jobs
    join graphile_worker._private_tasks as tasks on tasks.id = jobs.task_id
    where jobs.payload::jsonb->'email_ids' ? ${emailId}`;
  return rows.map((row) => ({ ...row, run_at: new Date(row.run_at) }));
}
