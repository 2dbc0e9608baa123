import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { emailEvents, emails, events } from "../../db/schema/index.ts";
import { type EventPayload, emailEventPayload, orgEventPayload } from "../events/event-payload.ts";
import type { DeliveryRow } from "./webhook-view.ts";

/**
 * What a delivery sends, built from its event row (and the email it is about), which never
 * change: a retry or a replay sends the same body. Null when the rows are gone (the email was
 * purged); a delivery has nothing to send then.
 */
export async function deliveryPayload(
  db: Pick<Db, "select">,
  delivery: Pick<DeliveryRow, "orgId" | "eventId" | "eventSource">,
): Promise<EventPayload | null> {
  if (delivery.eventSource === "events") {
    const [event] = await db
      .select()
      .from(events)
      .where(and(eq(events.id, delivery.eventId), eq(events.orgId, delivery.orgId)));
    return event ? orgEventPayload(event) : null;
  }
  const [row] = await db
    .select({ event: emailEvents, email: emails })
    .from(emailEvents)
    .innerJoin(emails, and(eq(emails.id, emailEvents.emailId), eq(emails.orgId, emailEvents.orgId)))
    .where(and(eq(emailEvents.id, delivery.eventId), eq(emailEvents.orgId, delivery.orgId)));
  return row ? emailEventPayload(row.event, row.email) : null;
}
