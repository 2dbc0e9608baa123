import { z } from "zod";
import { normalizeMessageId, dateOf as parseDate, untyped } from "./report-fields.ts";
import type { SesBounceType, SesEvent, SesMail, SesRecipientStatus } from "./ses-event.ts";
import { classifyReply } from "./smtp-reply.ts";

export type * from "./ses-event.ts";

/**
 * The SES event inside a verified SNS Notification's Message, in either flavour: identity
 * notifications (`notificationType`) and configuration-set event publishing (`eventType`).
 * https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html
 * https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
 * SES adds fields over time, so unknown ones are ignored rather than refused.
 */

export class SesNotificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SesNotificationError";
  }
}

const str = z.string().nullish();
const recipientStatus = z.object({
  emailAddress: z.string(),
  status: str,
  action: str,
  diagnosticCode: str,
});

const mailSchema = z.object({
  messageId: z.string().min(1),
  timestamp: str,
  source: str,
  sourceArn: str,
  sendingAccountId: str,
  destination: z.array(z.string()).nullish(),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
  commonHeaders: z.object({ messageId: str, returnPath: str, subject: str }).nullish(),
  tags: z.record(z.string(), z.array(z.string())).nullish(),
});

const eventSchema = z.object({
  notificationType: str,
  eventType: str,
  mail: mailSchema.nullish(),
  bounce: z
    .object({
      bounceType: str,
      bounceSubType: str,
      bouncedRecipients: z.array(recipientStatus),
      timestamp: str,
      feedbackId: str,
      reportingMTA: str,
      remoteMtaIp: str,
    })
    .nullish(),
  complaint: z
    .object({
      complainedRecipients: z.array(z.object({ emailAddress: z.string() })),
      complaintFeedbackType: str,
      complaintSubType: str,
      timestamp: str,
      feedbackId: str,
      userAgent: str,
      arrivalDate: str,
    })
    .nullish(),
  delivery: z
    .object({
      recipients: z.array(z.string()),
      smtpResponse: str,
      processingTimeMillis: z.number().nullish(),
      timestamp: str,
      reportingMTA: str,
      remoteMtaIp: str,
    })
    .nullish(),
  deliveryDelay: z
    .object({
      delayType: str,
      delayedRecipients: z.array(recipientStatus),
      expirationTime: str,
      timestamp: str,
      reportingMTA: str,
    })
    .nullish(),
});

type RawEvent = z.infer<typeof eventSchema>;

/** Reads an SES event. Throws SesNotificationError when the Message is not one. */
export function parseSesNotification(message: string): SesEvent {
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    throw new SesNotificationError("Message is not JSON");
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SesNotificationError(
      `not an SES event: ${issue?.path.join(".") || "Message"}: ${issue?.message}`,
    );
  }
  const event = parsed.data;
  const eventType = event.eventType ?? event.notificationType;
  if (!eventType)
    throw new SesNotificationError("not an SES event: no notificationType or eventType");
  return eventOf(eventType, event);
}

function eventOf(eventType: string, event: RawEvent): SesEvent {
  const mail = event.mail ? mailOf(event.mail) : undefined;
  const missing = (what: string) =>
    new SesNotificationError(`not an SES event: a ${eventType} without its ${what}`);

  switch (eventType) {
    case "Bounce": {
      if (!mail || !event.bounce) throw missing(mail ? "bounce" : "mail");
      const bounce = event.bounce;
      return {
        type: "bounce",
        mail,
        bounceType: bounceTypeOf(bounce.bounceType),
        bounceSubType: bounce.bounceSubType ?? "Undetermined",
        recipients: bounce.bouncedRecipients.map(recipientStatusOf),
        timestamp: dateOf(bounce.timestamp),
        feedbackId: bounce.feedbackId ?? undefined,
        reportingMta: mtaOf(bounce.reportingMTA),
        remoteMtaIp: bounce.remoteMtaIp ?? undefined,
      };
    }
    case "Complaint": {
      if (!mail || !event.complaint) throw missing(mail ? "complaint" : "mail");
      const complaint = event.complaint;
      return {
        type: "complaint",
        mail,
        recipients: complaint.complainedRecipients.map((r) => bareAddress(r.emailAddress)),
        feedbackType: complaint.complaintFeedbackType?.toLowerCase() ?? undefined,
        complaintSubType: complaint.complaintSubType ?? undefined,
        timestamp: dateOf(complaint.timestamp),
        feedbackId: complaint.feedbackId ?? undefined,
        userAgent: complaint.userAgent ?? undefined,
        arrivalDate: dateOf(complaint.arrivalDate),
      };
    }
    case "Delivery": {
      if (!mail || !event.delivery) throw missing(mail ? "delivery" : "mail");
      const delivery = event.delivery;
      return {
        type: "delivery",
        mail,
        recipients: delivery.recipients.map(bareAddress),
        smtpResponse: delivery.smtpResponse ?? undefined,
        processingTimeMillis: delivery.processingTimeMillis ?? undefined,
        timestamp: dateOf(delivery.timestamp),
        reportingMta: mtaOf(delivery.reportingMTA),
        remoteMtaIp: delivery.remoteMtaIp ?? undefined,
      };
    }
    case "DeliveryDelay": {
      if (!mail || !event.deliveryDelay) throw missing(mail ? "deliveryDelay" : "mail");
      const delay = event.deliveryDelay;
      return {
        type: "delivery_delay",
        mail,
        delayType: delay.delayType ?? undefined,
        recipients: delay.delayedRecipients.map(recipientStatusOf),
        expirationTime: dateOf(delay.expirationTime),
        timestamp: dateOf(delay.timestamp),
        reportingMta: mtaOf(delay.reportingMTA),
      };
    }
    default:
      return { type: "other", eventType, mail };
  }
}

function mailOf(mail: NonNullable<RawEvent["mail"]>): SesMail {
  const headers = mail.headers ?? [];
  const header = (name: string) =>
    headers.find((entry) => entry.name.toLowerCase() === name)?.value ?? undefined;
  return {
    messageId: mail.messageId,
    timestamp: dateOf(mail.timestamp),
    source: mail.source ?? undefined,
    sourceArn: mail.sourceArn ?? undefined,
    sendingAccountId: mail.sendingAccountId ?? undefined,
    destination: (mail.destination ?? []).map(bareAddress),
    headerMessageId: normalizeMessageId(
      mail.commonHeaders?.messageId ?? header("message-id") ?? undefined,
    ),
    returnPath: optionalAddress(mail.commonHeaders?.returnPath ?? header("return-path")),
    subject: mail.commonHeaders?.subject ?? header("subject") ?? undefined,
    headers,
    tags: mail.tags ?? {},
  };
}

function bounceTypeOf(value: string | null | undefined): SesBounceType {
  return value === "Permanent" || value === "Transient" ? value : "Undetermined";
}

function recipientStatusOf(recipient: z.infer<typeof recipientStatus>): SesRecipientStatus {
  const diagnostic = recipient.diagnosticCode ? untyped(recipient.diagnosticCode).value : undefined;
  const status =
    recipient.status?.trim() ||
    (diagnostic ? (classifyReply(diagnostic).enhancedCode ?? undefined) : undefined);
  return {
    emailAddress: bareAddress(recipient.emailAddress),
    status: status || undefined,
    action: recipient.action ?? undefined,
    diagnosticCode: diagnostic || undefined,
  };
}

/** SES may give `"Jane" <jane@example.com>`; the bare address is what suppressions key on. */
function bareAddress(value: string): string {
  return /<([^<>]+)>/.exec(value)?.[1]?.trim() ?? value.trim();
}

function optionalAddress(value: string | null | undefined): string | undefined {
  return value ? bareAddress(value) || undefined : undefined;
}

function mtaOf(value: string | null | undefined): string | undefined {
  return value ? untyped(value).value || undefined : undefined;
}

function dateOf(value: string | null | undefined): Date | undefined {
  return parseDate(value ?? undefined);
}
