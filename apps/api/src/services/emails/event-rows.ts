import { jsonInsert } from "../../db/json-records.ts";
import { emailEvents } from "../../db/schema/index.ts";

const EVENT_KEYS = ["id", "orgId", "emailId", "type", "details", "createdAt"] as const;

export type NewEmailEvent = Required<
  Pick<typeof emailEvents.$inferInsert, (typeof EVENT_KEYS)[number]>
>;

/** email_events rows as one JSON parameter (see db/json-records.ts). */
export const EVENT_INSERT = jsonInsert(emailEvents, EVENT_KEYS);
