import { fileURLToPath } from "node:url";
import { migrate as drizzleMigrate } from "drizzle-orm/postgres-js/migrator";
import { Logger as GraphileLogger, runMigrations as graphileMigrate } from "graphile-worker";
import { connectDatabase, type Sql } from "./client.ts";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

/** An arbitrary constant: the advisory lock that serializes concurrent migrators. */
const MIGRATION_LOCK = 7_316_482_001;

const silentGraphileLogger = new GraphileLogger(() => () => {});

/**
 * Applies our drizzle migrations and graphile-worker's own. Safe to run from several processes
 * at once: they queue on an advisory lock.
 */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const { db, sql, close } = connectDatabase(databaseUrl, { max: 1 });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await drizzleMigrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      await graphileMigrate({ connectionString: databaseUrl, logger: silentGraphileLogger });
      await tuneGraphileWorker(sql);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await close();
  }
}

/**
 * Two measured fixes for graphile-worker under bursts, re-applied after every graphile-worker
 * migration (which may replace its objects):
 *
 * - add_jobs clears the key of running jobs with `update ... where jobs.key = spec.job_key`.
 *   After five calls in a session, plpgsql switches that statement to a generic plan that
 *   scans the whole jobs table (7.8 ms per call with 32,000 pending jobs). Custom plans see
 *   that our keys are null and use the index.
 * - A queue table fills and empties fast; planned on statistics from when it was small,
 *   fetching jobs scans and sorts it instead of reading its index (6,100 jobs/s drained
 *   instead of 18,900 with fresh statistics). Autovacuum analyzes and vacuums it after a
 *   fixed number of changes instead of a fraction of its size, without throttling.
 */
async function tuneGraphileWorker(sql: Sql): Promise<void> {
  await sql`alter function graphile_worker.add_jobs(graphile_worker.job_spec[], boolean)
    set plan_cache_mode = force_custom_plan`;
  await sql`alter table graphile_worker._private_jobs set (
    autovacuum_analyze_threshold = 1000, autovacuum_analyze_scale_factor = 0,
    autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_insert_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0,
    autovacuum_vacuum_cost_delay = 0)`;
}
