import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { type EmailStatus, emailEvents, emails } from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";
import { allRecipients } from "../../mail/compose.ts";
import { bounceSuppresses } from "../emails/record-attempt.ts";
import { addSuppressions } from "../suppressions/add-suppressions.ts";
import type { Feedback } from "./feedback.ts";

/** Statuses feedback may move an email out of: it was handed over, and nothing final since. */
const HANDED_OVER: EmailStatus[] = ["sent", "delivered", "delivery_delayed"];

/**
 * Applies feedback to its email: an event, the email's last_event (and status for a bounce or
 * a delivery), and a suppression for a hard bounce of the address or a complaint. Each piece
 * of feedback is applied once: providers retry (SNS, SMTP after a 451), so a repeat of the same
 * type for the same recipient and source id is a no-op. Answers whether it was applied.
 */
export async function applyFeedback(db: Db, feedback: Feedback): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [email] = await tx
      .select()
      .from(emails)
      .where(eq(emails.id, feedback.emailId))
      .for("update");
    if (!email) return false;
    const recipient = feedback.recipient.toLowerCase();
    const sourceId = feedback.details.source_id;
    const [seen] = await tx
      .select({ id: emailEvents.id })
      .from(emailEvents)
      .where(
        and(
          eq(emailEvents.emailId, email.id),
          eq(emailEvents.type, feedback.type),
          sql`${emailEvents.details}->>'recipient' = ${recipient}`,
          sourceId === undefined
            ? undefined
            : sql`${emailEvents.details}->>'source_id' = ${String(sourceId)}`,
        ),
      )
      .limit(1);
    if (seen) return false;

    const now = new Date();
    const reply = feedback.reply;
    await tx.insert(emailEvents).values({
      id: newId(),
      orgId: email.orgId,
      emailId: email.id,
      type: feedback.type,
      details: {
        recipient,
        recipients: [recipient],
        ...(reply
          ? {
              smtp_code: reply.code,
              enhanced_code: reply.enhancedCode,
              bounce_class: reply.bounceClass,
              reason: reply.reason,
              response: reply.response,
            }
          : {}),
        ...feedback.details,
      },
      createdAt: now,
    });

    const status = nextStatus(feedback.type, email.status, allRecipients(email).length);
    await tx
      .update(emails)
      .set({ lastEvent: feedback.type, ...(status ? { status } : {}), updatedAt: now })
      .where(and(eq(emails.id, email.id), inArray(emails.status, HANDED_OVER)));

    const suppress =
      feedback.type === "complained" ||
      (feedback.type === "bounced" && reply && bounceSuppresses(reply));
    if (suppress) {
      await addSuppressions(tx, email.orgId, [
        {
          email: recipient,
          origin: feedback.type === "complained" ? "complaint" : "bounce",
          sourceEmailId: email.id,
          details: { ...feedback.details, ...(reply ? { response: reply.response } : {}) },
        },
      ]);
    }
    return true;
  });
}

/**
 * A late bounce of a one-recipient email makes it `bounced`; with several recipients the others
 * may well have received it, so only last_event says so. A delivery report makes a relayed
 * email `delivered`. Complaints and delays change no status.
 */
function nextStatus(
  type: Feedback["type"],
  current: EmailStatus,
  recipients: number,
): EmailStatus | undefined {
  if (type === "bounced" && recipients === 1) return "bounced";
  if (type === "delivered" && current === "sent") return "delivered";
  return undefined;
}
