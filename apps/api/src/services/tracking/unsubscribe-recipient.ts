import type { Db } from "../../db/client.ts";
import { addSuppressions } from "../suppressions/add-suppressions.ts";
import { trackedRecipient } from "./record-engagement.ts";

/**
 * Suppresses the recipient of an unsubscribe link. Idempotent: a second click keeps the first
 * suppression. Answers the address, or undefined when the email no longer exists.
 */
export async function unsubscribeRecipient(
  db: Db,
  input: {
    emailId: string;
    recipient: number;
    via: "one-click" | "form";
    userAgent: string | null;
  },
): Promise<string | undefined> {
  const target = await trackedRecipient(db, input.emailId, input.recipient);
  if (!target) return undefined;
  await addSuppressions(db, target.email.orgId, [
    {
      email: target.address,
      origin: "unsubscribe",
      sourceEmailId: target.email.id,
      details: { via: input.via, user_agent: input.userAgent },
    },
  ]);
  return target.address;
}
