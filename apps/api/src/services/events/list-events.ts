import type { Db } from "../../db/client.ts";
import { emailEvents } from "../../db/schema/index.ts";
import { type PageRequest, pageQuery, toPage } from "../../lib/pagination.ts";
import { type EmailEventFilter, emailEventScope, selectEmailEvents } from "./email-event-rows.ts";
import { eventListItem } from "./event-view.ts";

interface ListEventsRequest {
  ctx: { db: Db; orgId: string };
  filter: EmailEventFilter;
  page: PageRequest;
}

/** The query behind a page (also what list-events.plans.test.ts explains). */
export function listEventsQuery({ ctx, filter, page }: ListEventsRequest) {
  const query = pageQuery(emailEvents.id, page, emailEventScope(ctx.orgId, filter));
  return selectEmailEvents(ctx.db).where(query.where).orderBy(query.orderBy).limit(query.limit);
}

/** The organization's email events across its emails, newest first, narrowed by `filter`. */
export async function listEvents(request: ListEventsRequest) {
  return toPage(await listEventsQuery(request), request.page, eventListItem);
}
