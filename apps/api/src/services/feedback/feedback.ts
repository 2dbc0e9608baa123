import type { SmtpReply } from "../../mail/smtp-reply.ts";

/**
 * What a recipient's mailbox provider told us after the hand-over, from any source (a DSN or
 * complaint to the bounce address, an SES notification), about one email and recipient.
 */
export interface Feedback {
  emailId: string;
  recipient: string;
  type: "bounced" | "delivery_delayed" | "complained" | "delivered";
  /** For bounces and delays: the remote server's reply, classified (RFC 3463). */
  reply?: SmtpReply;
  /** Where it came from and what it said, kept on the event. */
  details: Record<string, unknown>;
}
