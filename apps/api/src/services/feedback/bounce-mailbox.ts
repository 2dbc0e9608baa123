import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { emails } from "../../db/schema/index.ts";
import type { Logger } from "../../lib/logger.ts";
import type { InboundMessage } from "../../mail/bounce-listener.ts";
import { allRecipients } from "../../mail/compose.ts";
import { parseInboundReport } from "../../mail/dsn.ts";
import { parseVerpAddress } from "../../mail/verp.ts";
import { applyFeedback } from "./apply-feedback.ts";
import { feedbackFromReport } from "./from-report.ts";

/**
 * What the bounce listener (the return-path domains' MX) does with mail: it accepts only our
 * signed VERP addresses (anything else is refused at RCPT TO), reads each message as a DSN or
 * complaint report, and applies it to its email and recipient. A failure to apply throws, so
 * the sending server gets a 451 and tries again later.
 */
export function createBounceMailbox(deps: { db: Db; verpKey: Buffer; logger: Logger }) {
  const recipientOf = async (target: { emailId: string; recipient: number }) => {
    const [email] = await deps.db.select().from(emails).where(eq(emails.id, target.emailId));
    return email ? allRecipients(email)[target.recipient] : undefined;
  };
  return {
    acceptRecipient: (address: string) => parseVerpAddress(deps.verpKey, address) !== null,
    async onMessage(message: InboundMessage): Promise<void> {
      const report = await parseInboundReport(message.raw);
      const feedback = await feedbackFromReport(deps.verpKey, message, report, recipientOf);
      for (const item of feedback) {
        const applied = await applyFeedback(deps.db, item);
        deps.logger.info(
          { emailId: item.emailId, type: item.type, applied, kind: report.kind },
          "bounce mailbox: report applied",
        );
      }
      if (feedback.length === 0) {
        deps.logger.info({ kind: report.kind }, "bounce mailbox: nothing to apply");
      }
    },
  };
}
