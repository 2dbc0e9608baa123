import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";

/**
 * What a deleted organization leaves, table by table, children before parents. Each step
 * deletes in chunks, each chunk its own statement (and commit), so no statement holds locks
 * or builds WAL for millions of rows; a crash mid-way loses nothing but the chunk in flight,
 * and the job's retry carries on from whatever is left. The organization's row goes last: its
 * foreign keys cascade to anything a step missed (tables added since included).
 *
 * audit_logs stays: it is append-only (migration 0010) and outlives the organization, as an
 * audit trail must; an operator purges it deliberately (docs/security.md).
 */
const STEPS: { table: string; where: (orgId: string) => SQL }[] = [
  { table: "email_attachments", where: byOrg },
  { table: "email_events", where: byOrg },
  { table: "emails", where: byOrg },
  { table: "webhook_attempts", where: byOrg },
  { table: "webhook_deliveries", where: byOrg },
  { table: "events", where: byOrg },
  { table: "suppressions", where: byOrg },
  { table: "idempotency_keys", where: byOrg },
  { table: "usage_daily", where: byOrg },
  { table: "quota_reservations", where: byOrg },
  {
    table: "domain_daily_sends",
    where: (orgId) => sql`domain_id in (select id from domains where org_id = ${orgId})`,
  },
  {
    table: "sending_stats",
    where: (orgId) => sql`(scope = 'organization' and scope_id = ${orgId})
      or (scope = 'domain' and scope_id in (select id from domains where org_id = ${orgId}))`,
  },
  {
    table: "rate_buckets",
    where: (orgId) => sql`key in (select 'provider:' || id from providers where org_id = ${orgId})`,
  },
  { table: "webhook_endpoints", where: byOrg },
  { table: "providers", where: byOrg },
  { table: "domains", where: byOrg },
  { table: "api_keys", where: byOrg },
  { table: "invitations", where: byOrg },
  { table: "oidc_connections", where: byOrg },
  { table: "memberships", where: byOrg },
];

function byOrg(orgId: string): SQL {
  return sql`org_id = ${orgId}`;
}

export interface PurgeOptions {
  /** Rows per statement. */
  chunkSize?: number;
  /** Called after each chunk (tests stop a purge half-way through with it). */
  onChunk?: (table: string, deleted: number) => void | Promise<void>;
}

/**
 * Deletes everything of an organization marked deleted, then its row. Does nothing for an
 * organization that is not marked (never purges a live one), and is safe to run again.
 */
export async function purgeOrganization(
  db: Pick<Db, "execute">,
  orgId: string,
  options: PurgeOptions = {},
): Promise<{ deleted: Record<string, number> }> {
  const chunkSize = options.chunkSize ?? 5000;
  const deleted: Record<string, number> = {};
  const [marked] = await db.execute<{ id: string }>(
    sql`select id from organizations where id = ${orgId} and deleted_at is not null`,
  );
  if (!marked) return { deleted };
  for (const step of STEPS) {
    deleted[step.table] = await deleteInChunks(db, step.table, step.where(orgId), {
      chunkSize,
      onChunk: options.onChunk,
    });
  }
  await db.execute(sql`delete from organizations where id = ${orgId} and deleted_at is not null`);
  return { deleted };
}

/**
 * Deletes a table's rows matching `where`, `chunkSize` at a time, each chunk its own
 * statement: short locks, bounded WAL, and whatever was deleted stays deleted if the process
 * dies. Answers how many rows went.
 */
export async function deleteInChunks(
  db: Pick<Db, "execute">,
  table: string,
  where: SQL,
  options: PurgeOptions = {},
): Promise<number> {
  const chunkSize = options.chunkSize ?? 5000;
  let total = 0;
  for (;;) {
    const rows = await db.execute(sql`
      delete from ${sql.identifier(table)} where ctid = any(array(
        select ctid from ${sql.identifier(table)} where ${where} limit ${chunkSize}))`);
    const count = rows.count ?? 0;
    total += count;
    if (count > 0) await options.onChunk?.(table, count);
    if (count < chunkSize) return total;
  }
}
