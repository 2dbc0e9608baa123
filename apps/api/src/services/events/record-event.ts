import type { Db } from "../../db/client.ts";
import { events } from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";

/**
 * Events about objects other than emails; webhooks (issue 4) fan out from these rows.
 * `organization.sending_paused`: the organization's bounce or complaint rate passed its
 * threshold and all its sending stopped (data: the organization's sending state and the
 * rates); `organization.sending_resumed`: an admin resumed it (POST /reputation/resume). A
 * domain's pause and resume are `domain.updated`, with its `sending_paused_at` and reason.
 * `webhook.disabled` is an operational event (Svix's `endpoint.disabled`): the worker disabled
 * a webhook endpoint, because it answered 410 Gone or failed every delivery for 5 days (data:
 * the endpoint and `disabled_reason`). It is recorded after the endpoint is disabled, in the
 * same transaction, so the fan-out never sends it to that endpoint: only to the organization's
 * other endpoints that listen to it, which cannot loop (each is disabled once).
 */
export const ORG_EVENT_TYPES = [
  "domain.created",
  "domain.updated",
  "domain.deleted",
  "organization.sending_paused",
  "organization.sending_resumed",
  "webhook.disabled",
] as const;
export type OrgEventType = (typeof ORG_EVENT_TYPES)[number];

/** Records an event on the caller's transaction, so it commits with the change it describes. */
export async function recordEvent(
  tx: Pick<Db, "insert">,
  event: { orgId: string; type: OrgEventType; objectId: string; data: Record<string, unknown> },
): Promise<void> {
  await tx.insert(events).values({ id: newId(), ...event, createdAt: new Date() });
}
