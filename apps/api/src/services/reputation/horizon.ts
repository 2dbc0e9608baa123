import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";

type Executor = Pick<Db, "execute">;

/** The smallest UUIDv7 of millisecond `ms`: every id generated before `ms` sorts below it. */
export function uuidv7Floor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

/**
 * The id below which email_events may be read without missing one committed later.
 *
 * Ids are UUIDv7 made by the processes' clocks before the row is inserted and committed, so a
 * smaller id can become visible after a larger one: reading up to "now" and moving the cursor
 * past it would skip the late event forever. The horizon is `marginMs` before the earlier of
 * now and the start of the oldest transaction that has written something and not committed
 * (pg_stat_activity, `backend_xid` set). Then an event is never skipped provided its id was
 * made at most `marginMs` before the statement that inserts it (plus clock skew between hosts):
 * inserted after the horizon was taken, its id is above it; inserted before and not yet
 * committed, its transaction started before the insert and holds the horizon below the id. A
 * transaction that stalls (lock wait, slow disk) only delays the counting.
 *
 * Here ids are made just before their batched insert (milliseconds, seconds under extreme
 * load), so 10 s is ample. Sessions of other database roles are invisible in pg_stat_activity
 * without pg_read_all_stats: run every process with one role.
 */
export async function readHorizon(tx: Executor, marginMs: number): Promise<string> {
  const [row] = (await tx.execute(sql`
    select extract(epoch from least(
      clock_timestamp(),
      (select min(xact_start) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_xid is not null)
    )) * 1000 as ms`)) as unknown as { ms: string | number }[];
  return uuidv7Floor(Number(row?.ms ?? 0) - marginMs);
}
