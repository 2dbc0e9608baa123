import type { SesEvent, SesMail, SesRecipientStatus } from "../../mail/ses-event.ts";
import { SES_EMAIL_ID_TAG } from "../../mail/ses-transport.ts";
import { classifyReply, type SmtpReply } from "../../mail/smtp-reply.ts";
import type { Feedback } from "./feedback.ts";

const OUR_MESSAGE_ID = /^<([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@/i;

/**
 * The email an SES event is about: the tag the SES transport put on the message, else our
 * Message-ID (`<email id@domain>`) when SES included the headers.
 */
export function emailIdOf(mail: SesMail): string | undefined {
  return mail.tags[SES_EMAIL_ID_TAG]?.[0] ?? OUR_MESSAGE_ID.exec(mail.headerMessageId ?? "")?.[1];
}

/** An SES Bounce, Complaint, Delivery or DeliveryDelay event as feedback, per recipient. */
export function feedbackFromSes(event: SesEvent, sourceId: string): Feedback[] {
  if (event.type === "other" || !event.mail) return [];
  const emailId = emailIdOf(event.mail);
  if (!emailId) return [];
  const details = { source: "ses", source_id: sourceId, ses_message_id: event.mail.messageId };
  switch (event.type) {
    case "bounce":
      return event.recipients.map((recipient) => ({
        emailId,
        recipient: recipient.emailAddress,
        // SES reports a bounce once it stopped trying: even a Transient one is final for this
        // message (a soft bounce: no suppression), as Resend reports it.
        type: "bounced" as const,
        reply: replyOf(recipient, BOUNCE_CLASS[event.bounceType]),
        details: {
          ...details,
          bounce_type: event.bounceType,
          bounce_sub_type: event.bounceSubType,
        },
      }));
    case "complaint":
      return event.recipients.map((recipient) => ({
        emailId,
        recipient,
        type: "complained" as const,
        details: { ...details, feedback_type: event.feedbackType ?? null },
      }));
    case "delivery":
      return event.recipients.map((recipient) => ({
        emailId,
        recipient,
        type: "delivered" as const,
        details: { ...details, response: event.smtpResponse ?? null },
      }));
    case "delivery_delay":
      return event.recipients.map((recipient) => ({
        emailId,
        recipient: recipient.emailAddress,
        type: "delivery_delayed" as const,
        reply: replyOf(recipient, "soft"),
        details: { ...details, delay_type: event.delayType ?? null },
      }));
  }
}

const BOUNCE_CLASS = {
  Permanent: "hard",
  Transient: "soft",
  Undetermined: "undetermined",
} as const;

function replyOf(recipient: SesRecipientStatus, bounceClass: SmtpReply["bounceClass"]): SmtpReply {
  const text = recipient.diagnosticCode ?? recipient.status ?? "";
  const reply = classifyReply(text);
  const withStatus =
    reply.enhancedCode || !recipient.status
      ? reply
      : { ...classifyReply(recipient.status), code: reply.code };
  return { ...withStatus, bounceClass, response: text };
}
