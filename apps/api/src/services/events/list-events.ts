import type { Db } from "../../db/client.ts";
import { emailEvents } from "../../db/schema/index.ts";
import { type PageRequest, pageQuery, toPage } from "../../lib/pagination.ts";
import { type EmailEventFilter, emailEventScope, selectEmailEvents } from "./email-event-rows.ts";
import { eventListItem } from "./event-view.ts";

/** The organization's email events across its emails, newest first, narrowed by `filter`. */
export async function listEvents({
  ctx,
  filter,
  page,
}: {
  ctx: { db: Db; orgId: string };
  filter: EmailEventFilter;
  page: PageRequest;
}) {
  const query = pageQuery(emailEvents.id, page, emailEventScope(ctx.orgId, filter));
  const rows = await selectEmailEvents(ctx.db)
    .where(query.where)
    .orderBy(query.orderBy)
    .limit(query.limit);
  return toPage(rows, page, eventListItem);
}
