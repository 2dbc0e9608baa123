import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { emailEvents, emails } from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";
import { allRecipients } from "../../mail/compose.ts";

/** The email and recipient a tracking token names, if the email still exists. */
export async function trackedRecipient(db: Db, emailId: string, recipient: number) {
  const [email] = await db.select().from(emails).where(eq(emails.id, emailId));
  const address = email ? allRecipients(email)[recipient] : undefined;
  return email && address ? { email, address } : undefined;
}

/**
 * Records an open or a click. Every one is kept, machine ones (privacy proxies, link scanners)
 * flagged; only a person's becomes the email's last_event, and only after it was sent: an
 * open never hides a bounce or a failure.
 */
export async function recordEngagement(
  db: Db,
  input: {
    emailId: string;
    recipient: number;
    type: "opened" | "clicked";
    details: Record<string, unknown>;
    /** Tells a machine's request from a person's, given the seconds since the email was sent. */
    classify: (secondsSinceSent: number | null) => {
      machine: boolean;
      reason: string | null;
      proxy: string | null;
    };
  },
): Promise<boolean> {
  const target = await trackedRecipient(db, input.emailId, input.recipient);
  if (!target) return false;
  const now = new Date();
  const { sentAt } = target.email;
  const verdict = input.classify(sentAt ? (now.getTime() - sentAt.getTime()) / 1000 : null);
  await db.transaction(async (tx) => {
    await tx.insert(emailEvents).values({
      id: newId(),
      orgId: target.email.orgId,
      emailId: target.email.id,
      type: input.type,
      details: {
        recipient: target.address,
        ...input.details,
        machine: verdict.machine,
        machine_reason: verdict.reason,
        proxy: verdict.proxy,
      },
      createdAt: now,
    });
    if (verdict.machine) return;
    await tx
      .update(emails)
      .set({ lastEvent: input.type, updatedAt: now })
      .where(and(eq(emails.id, target.email.id), inArray(emails.status, ["sent", "delivered"])));
  });
  return true;
}
