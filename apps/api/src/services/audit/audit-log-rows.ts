import { and, asc, eq, getTableColumns, gte, like, lt, type SQL } from "drizzle-orm";
import type { Db, Sql } from "../../db/client.ts";
import { type AuditActorType, auditLogs } from "../../db/schema/index.ts";
import { csvRow } from "../../lib/csv.ts";
import { idRangeForTimes } from "../../lib/id-time.ts";
import { type PageRequest, pageQuery, toPage } from "../../lib/pagination.ts";

export interface AuditLogFilter {
  /** An exact action (`api_key.created`), or every action of a kind (`api_key.*`). */
  action?: string | undefined;
  actorType?: AuditActorType | undefined;
  actorId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  createdAfter?: Date | undefined;
  createdBefore?: Date | undefined;
}

type AuditLogRow = typeof auditLogs.$inferSelect;

/** An entry's id and created_at are taken in the same statement: no slack is needed, 1 s is kept. */
const ID_TIME_SLACK_MS = 1000;

function scope(orgId: string, filter: AuditLogFilter): SQL | undefined {
  const ids = idRangeForTimes(
    { after: filter.createdAfter, before: filter.createdBefore },
    ID_TIME_SLACK_MS,
  );
  const action = filter.action;
  return and(
    eq(auditLogs.orgId, orgId),
    action?.endsWith(".*")
      ? like(auditLogs.action, `${action.slice(0, -1).replace(/[\\%_]/g, "\\$&")}%`)
      : action
        ? eq(auditLogs.action, action)
        : undefined,
    filter.actorType ? eq(auditLogs.actorType, filter.actorType) : undefined,
    filter.actorId ? eq(auditLogs.actorId, filter.actorId) : undefined,
    filter.targetType ? eq(auditLogs.targetType, filter.targetType) : undefined,
    filter.targetId ? eq(auditLogs.targetId, filter.targetId) : undefined,
    ids.from ? gte(auditLogs.id, ids.from) : undefined,
    ids.below ? lt(auditLogs.id, ids.below) : undefined,
    filter.createdAfter ? gte(auditLogs.createdAt, filter.createdAfter) : undefined,
    filter.createdBefore ? lt(auditLogs.createdAt, filter.createdBefore) : undefined,
  );
}

export function auditLogView(row: AuditLogRow) {
  return {
    object: "audit_log" as const,
    id: row.id,
    action: row.action,
    actor: { type: row.actorType, id: row.actorId },
    target: row.targetType ? { type: row.targetType, id: row.targetId } : null,
    ip: row.ip,
    user_agent: row.userAgent,
    request_id: row.requestId,
    details: row.details,
    created_at: row.createdAt.toISOString(),
  };
}

/** The organization's audit entries matching `filter`, newest first, a page at a time. */
export async function listAuditLogs({
  ctx,
  filter,
  page,
}: {
  ctx: { db: Db; orgId: string };
  filter: AuditLogFilter;
  page: PageRequest;
}) {
  const query = pageQuery(auditLogs.id, page, scope(ctx.orgId, filter));
  const rows = await ctx.db
    .select()
    .from(auditLogs)
    .where(query.where)
    .orderBy(query.orderBy)
    .limit(query.limit);
  return toPage(rows, page, auditLogView);
}

/** The columns in a fixed order, so that the export's raw rows decode by position. */
const COLUMNS = Object.entries(getTableColumns(auditLogs));

/**
 * Every entry matching `filter`, oldest first, in chunks read from a server-side cursor (as
 * the event export does, services/events/export-events.ts): constant memory for any range.
 */
export async function* exportAuditLogs({
  ctx,
  filter,
  chunkRows = 1000,
}: {
  ctx: { db: Db; sql: Sql; orgId: string };
  filter: AuditLogFilter;
  chunkRows?: number;
}): AsyncGenerator<AuditLogRow[]> {
  // Compiled by drizzle, run by postgres.js as a cursor (which drizzle cannot).
  const query = ctx.db
    .select(Object.fromEntries(COLUMNS))
    .from(auditLogs)
    .where(scope(ctx.orgId, filter))
    .orderBy(asc(auditLogs.id))
    .toSQL();
  const cursor = ctx.sql
    .unsafe(query.sql, query.params as never[])
    .values()
    .cursor(chunkRows);
  for await (const chunk of cursor) {
    yield (chunk as unknown as unknown[][]).map(decodeRow);
  }
}

/** A raw row (`.values()`: one array per row) as drizzle would have mapped it. */
function decodeRow(values: unknown[]): AuditLogRow {
  const row: Record<string, unknown> = {};
  COLUMNS.forEach(([key, column], index) => {
    const value = values[index];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  });
  return row as unknown as AuditLogRow;
}

export const AUDIT_CSV_COLUMNS = [
  "id",
  "created_at",
  "action",
  "actor_type",
  "actor_id",
  "target_type",
  "target_id",
  "ip",
  "user_agent",
  "request_id",
  "details",
] as const;

export const AUDIT_CSV_HEADER = csvRow(AUDIT_CSV_COLUMNS);

export function auditCsvLine(row: AuditLogRow): string {
  return csvRow([
    row.id,
    row.createdAt.toISOString(),
    row.action,
    row.actorType,
    row.actorId,
    row.targetType,
    row.targetId,
    row.ip,
    row.userAgent,
    row.requestId,
    row.details ? JSON.stringify(row.details) : null,
  ]);
}
