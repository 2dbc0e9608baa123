import { and, asc, desc, gt, lt, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * Cursor pagination as Resend does it: newest first, `after` continues past the last item
 * seen, `before` goes back towards newer items. Ids are UUIDv7, so id order is creation order.
 */
export interface PageRequest {
  limit: number;
  after?: string | undefined;
  before?: string | undefined;
}

export interface Page<T> {
  object: "list";
  data: T[];
  has_more: boolean;
}

export interface PageQuery {
  where: SQL | undefined;
  orderBy: SQL;
  /** One more than asked for: its presence tells whether there is more. */
  limit: number;
}

export function pageQuery(
  idColumn: PgColumn,
  request: PageRequest,
  scope: SQL | undefined,
): PageQuery {
  if (request.before) {
    return {
      where: and(scope, gt(idColumn, request.before)),
      orderBy: asc(idColumn),
      limit: request.limit + 1,
    };
  }
  return {
    where: request.after ? and(scope, lt(idColumn, request.after)) : scope,
    orderBy: desc(idColumn),
    limit: request.limit + 1,
  };
}

export function toPage<Row, T>(rows: Row[], request: PageRequest, view: (row: Row) => T): Page<T> {
  const hasMore = rows.length > request.limit;
  const kept = rows.slice(0, request.limit);
  // `before` reads upwards from the cursor; the page is still shown newest first.
  if (request.before) kept.reverse();
  return { object: "list", data: kept.map(view), has_more: hasMore };
}
