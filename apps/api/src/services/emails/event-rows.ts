import { jsonInsert } from "../../db/json-records.ts";
import { emailEvents } from "../../db/schema/index.ts";

export type NewEmailEvent = Required<
  Pick<
    typeof emailEvents.$inferInsert,
    "id" | "orgId" | "emailId" | "type" | "details" | "createdAt"
  >
>;

/** email_events rows as one JSON parameter (see db/json-records.ts). */
export const EVENT_INSERT = jsonInsert(emailEvents, [
  "id",
  "orgId",
  "emailId",
  "type",
  "details",
  "createdAt",
] satisfies (keyof NewEmailEvent)[]);
