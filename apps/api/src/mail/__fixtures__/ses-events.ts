/**
 * SES events in the shapes SES publishes to SNS: identity notifications (`notificationType`)
 * and configuration-set event publishing (`eventType`), modelled on the SES developer guide's
 * examples with our own addresses and ids.
 */

const sesMessageId = "0100019a1b2c3d4e-5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c-000000";
const headerMessageId = "<0199f0a1-2222-7333-8444-555566667777@acme.dev>";

const mail = {
  timestamp: "2025-10-24T09:00:00.000Z",
  source: "Acme <hello@acme.dev>",
  sourceArn: "arn:aws:ses:us-west-2:123456789012:identity/acme.dev",
  sourceIp: "198.51.100.7",
  callerIdentity: "thrive-send",
  sendingAccountId: "123456789012",
  messageId: sesMessageId,
  destination: ["ghost@example.org", "Reader <reader@example.net>"],
  headersTruncated: false,
  headers: [
    { name: "From", value: "Acme <hello@acme.dev>" },
    { name: "To", value: "ghost@example.org, Reader <reader@example.net>" },
    { name: "Message-ID", value: headerMessageId },
    { name: "Subject", value: "Your invoice" },
    { name: "Return-Path", value: "<bounce+0199f0a1@bounces.acme.dev>" },
  ],
  commonHeaders: {
    from: ["Acme <hello@acme.dev>"],
    to: ["ghost@example.org", "Reader <reader@example.net>"],
    messageId: headerMessageId,
    subject: "Your invoice",
  },
};

export const ids = { sesMessageId, headerMessageId };

/** Identity notification: a hard bounce with a DSN. */
export const bounceNotification = {
  notificationType: "Bounce",
  bounce: {
    feedbackId: "0100019a1b2c3d4f-aaaa-bbbb-cccc-ddddeeeeffff-000000",
    bounceType: "Permanent",
    bounceSubType: "General",
    bouncedRecipients: [
      {
        emailAddress: "ghost@example.org",
        action: "failed",
        status: "5.1.1",
        diagnosticCode:
          "smtp; 550 5.1.1 <ghost@example.org>: Recipient address rejected: User unknown",
      },
    ],
    timestamp: "2025-10-24T09:00:02.000Z",
    remoteMtaIp: "192.0.2.25",
    reportingMTA: "dns; a27-30.smtp-out.us-west-2.amazonses.com",
  },
  mail,
  someFieldSesAddedLater: { ignored: true },
};

/** Event publishing: a complaint through a feedback loop. */
export const complaintEvent = {
  eventType: "Complaint",
  complaint: {
    feedbackId: "0100019a1b2c3d50-1111-2222-3333-444455556666-000000",
    complaintSubType: null,
    complainedRecipients: [{ emailAddress: "reader@example.net" }],
    timestamp: "2025-10-24T10:15:00.000Z",
    userAgent: "Yahoo!-Mail-Feedback/2.0",
    complaintFeedbackType: "abuse",
    arrivalDate: "2025-10-24T10:14:58.000Z",
  },
  mail: {
    ...mail,
    tags: {
      "ses:configuration-set": ["thrive-send"],
      "ses:source-ip": ["198.51.100.7"],
      email_id: ["0199f0a1-2222-7333-8444-555566667777"],
    },
  },
};

/** Identity notification: a delivery. */
export const deliveryNotification = {
  notificationType: "Delivery",
  mail: { ...mail, headers: undefined, commonHeaders: undefined, headersTruncated: undefined },
  delivery: {
    timestamp: "2025-10-24T09:00:01.300Z",
    processingTimeMillis: 1300,
    recipients: ["reader@example.net"],
    smtpResponse: "250 2.0.0 OK 1761296401 a1b2c3d4e5f6.12 - gsmtp",
    remoteMtaIp: "142.250.1.26",
    reportingMTA: "a27-30.smtp-out.us-west-2.amazonses.com",
  },
};

/** Event publishing: a delivery delay. */
export const deliveryDelayEvent = {
  eventType: "DeliveryDelay",
  mail,
  deliveryDelay: {
    timestamp: "2025-10-24T12:00:00.000Z",
    delayType: "TransientCommunicationFailure",
    expirationTime: "2025-10-25T09:00:00.000Z",
    delayedRecipients: [
      {
        emailAddress: "ghost@example.org",
        status: "4.4.1",
        diagnosticCode: "smtp; 421 4.4.1 Unable to connect to mx.example.org",
      },
    ],
  },
};

/** Event publishing: an open, which this parser hands back as "other". */
export const openEvent = {
  eventType: "Open",
  mail,
  open: { ipAddress: "192.0.2.1", timestamp: "2025-10-24T11:00:00.000Z", userAgent: "Mozilla/5.0" },
};
