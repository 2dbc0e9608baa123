import { describe, expect, it } from "vitest";
import {
  bounceNotification,
  complaintEvent,
  deliveryDelayEvent,
  deliveryNotification,
  ids,
  openEvent,
} from "./__fixtures__/ses-events.ts";
import { parseSesNotification, SesNotificationError } from "./ses-notification.ts";

const parse = (event: object) => parseSesNotification(JSON.stringify(event));

describe("parseSesNotification", () => {
  it("reads an identity bounce notification, unknown fields ignored", () => {
    expect(parse(bounceNotification)).toEqual({
      type: "bounce",
      bounceType: "Permanent",
      bounceSubType: "General",
      recipients: [
        {
          emailAddress: "ghost@example.org",
          status: "5.1.1",
          action: "failed",
          diagnosticCode: "550 5.1.1 <ghost@example.org>: Recipient address rejected: User unknown",
        },
      ],
      timestamp: new Date("2025-10-24T09:00:02.000Z"),
      feedbackId: "0100019a1b2c3d4f-aaaa-bbbb-cccc-ddddeeeeffff-000000",
      reportingMta: "a27-30.smtp-out.us-west-2.amazonses.com",
      remoteMtaIp: "192.0.2.25",
      mail: {
        messageId: ids.sesMessageId,
        timestamp: new Date("2025-10-24T09:00:00.000Z"),
        source: "Acme <hello@acme.dev>",
        sourceArn: "arn:aws:ses:us-west-2:123456789012:identity/acme.dev",
        sendingAccountId: "123456789012",
        destination: ["ghost@example.org", "reader@example.net"],
        headerMessageId: ids.headerMessageId,
        returnPath: "bounce+0199f0a1@bounces.acme.dev",
        subject: "Your invoice",
        headers: bounceNotification.mail.headers,
        tags: {},
      },
    });
  });

  it("reads a configuration-set complaint event with its tags", () => {
    const event = parse(complaintEvent);
    expect(event).toMatchObject({
      type: "complaint",
      recipients: ["reader@example.net"],
      feedbackType: "abuse",
      complaintSubType: undefined,
      userAgent: "Yahoo!-Mail-Feedback/2.0",
      arrivalDate: new Date("2025-10-24T10:14:58.000Z"),
      mail: {
        messageId: ids.sesMessageId,
        tags: { email_id: ["0199f0a1-2222-7333-8444-555566667777"] },
      },
    });
  });

  it("reads a delivery notification without headers", () => {
    const event = parse(deliveryNotification);
    expect(event).toMatchObject({
      type: "delivery",
      recipients: ["reader@example.net"],
      smtpResponse: "250 2.0.0 OK 1761296401 a1b2c3d4e5f6.12 - gsmtp",
      processingTimeMillis: 1300,
      reportingMta: "a27-30.smtp-out.us-west-2.amazonses.com",
      mail: {
        messageId: ids.sesMessageId,
        headers: [],
        headerMessageId: undefined,
        returnPath: undefined,
      },
    });
  });

  it("reads a delivery delay event", () => {
    expect(parse(deliveryDelayEvent)).toMatchObject({
      type: "delivery_delay",
      delayType: "TransientCommunicationFailure",
      expirationTime: new Date("2025-10-25T09:00:00.000Z"),
      recipients: [
        {
          emailAddress: "ghost@example.org",
          status: "4.4.1",
          diagnosticCode: "421 4.4.1 Unable to connect to mx.example.org",
        },
      ],
    });
  });

  it("takes a missing status from the diagnostic and maps an unknown bounce type to Undetermined", () => {
    const event = parse({
      notificationType: "Bounce",
      mail: { messageId: "m-1" },
      bounce: {
        bounceType: "SomethingNew",
        bouncedRecipients: [
          { emailAddress: '"Jane" <jane@example.org>', diagnosticCode: "smtp; 552-5.2.2 full" },
        ],
      },
    });
    expect(event).toMatchObject({
      type: "bounce",
      bounceType: "Undetermined",
      bounceSubType: "Undetermined",
      recipients: [{ emailAddress: "jane@example.org", status: "5.2.2" }],
      mail: { messageId: "m-1", destination: [] },
    });
  });

  it("answers other for events it does not model, mail kept", () => {
    expect(parse(openEvent)).toMatchObject({
      type: "other",
      eventType: "Open",
      mail: { messageId: ids.sesMessageId },
    });
    expect(parse({ notificationType: "AmazonSnsSubscriptionSucceeded", message: "ok" })).toEqual({
      type: "other",
      eventType: "AmazonSnsSubscriptionSucceeded",
      mail: undefined,
    });
  });

  it("throws SesNotificationError for what is not an SES event", () => {
    const cases = [
      "not json",
      "null",
      "[]",
      JSON.stringify({ mail: { messageId: "m" } }),
      JSON.stringify({ eventType: "Bounce", mail: { messageId: "m" } }),
      JSON.stringify({ eventType: "Bounce", bounce: bounceNotification.bounce }),
      JSON.stringify({ ...bounceNotification, bounce: { bouncedRecipients: "nope" } }),
      JSON.stringify({ ...deliveryNotification, mail: { messageId: 12 } }),
    ];
    for (const message of cases) {
      expect(() => parseSesNotification(message), message).toThrow(SesNotificationError);
    }
  });
});
