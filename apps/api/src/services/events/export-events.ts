import { asc } from "drizzle-orm";
import type { Db, Sql } from "../../db/client.ts";
import { emailEvents } from "../../db/schema/index.ts";
import {
  decodeEmailEventRow,
  type EmailEventFilter,
  type EmailEventRow,
  emailEventScope,
  selectEmailEvents,
} from "./email-event-rows.ts";

/**
 * Every email event of the organization matching `filter`, oldest first, in chunks of
 * `chunkRows` read from a server-side cursor: memory holds one chunk whatever the range, and
 * the next chunk is fetched only when the consumer asks for it (so a slow reader slows the
 * query instead of filling memory). The cursor keeps one connection and one snapshot for its
 * whole run; stopping the iteration (return(), break) closes it.
 */
export async function* exportEvents({
  ctx,
  filter,
  chunkRows = 1000,
}: {
  ctx: { db: Db; sql: Sql; orgId: string };
  filter: EmailEventFilter;
  chunkRows?: number;
}): AsyncGenerator<EmailEventRow[]> {
  // The same query GET /events runs, compiled by drizzle; postgres.js runs it as a cursor,
  // which drizzle cannot.
  const query = selectEmailEvents(ctx.db)
    .where(emailEventScope(ctx.orgId, filter))
    .orderBy(asc(emailEvents.id))
    .toSQL();
  const cursor = ctx.sql
    .unsafe(query.sql, query.params as never[])
    .values()
    .cursor(chunkRows);
  for await (const chunk of cursor) {
    yield (chunk as unknown as unknown[][]).map(decodeEmailEventRow);
  }
}
