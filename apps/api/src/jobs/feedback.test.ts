import { sign } from "node:crypto";
import { createServer, get as httpsGet, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailEvents, emails, suppressions } from "../db/schema/index.ts";
import { SecretBox } from "../lib/secrets.ts";
import { BounceListener } from "../mail/bounce-listener.ts";
import type { CaughtMessage } from "../mail/catcher.ts";
import { createCertificateFetcher } from "../mail/sns.ts";
import { createBounceMailbox } from "../services/feedback/bounce-mailbox.ts";
import { startDnsServer, type TestDnsServer } from "../test/dns-server.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  TEST_ENCRYPTION_KEY,
  type TestApi,
  type TestMail,
  type TestOrg,
} from "../test/harness.ts";
import { createVerifiedDomain } from "../test/verified-domain.ts";

// Feedback after the hand-over: DSNs and complaints sent to the VERP return path (a real SMTP
// listener), and SES events delivered by SNS (signed with a test certificate served over HTTPS).
const DOMAIN = "acme-feedback.dev";
const TOPIC = "arn:aws:sns:us-east-1:123456789012:ses-events";

let dns: TestDnsServer;
let api: TestApi;
let mail: TestMail;
let org: TestOrg;
let listener: BounceListener;
let https: Server;
let httpsBase: string;
let signingKey: string;
const confirmations: string[] = [];

beforeAll(async () => {
  const [tls, signing] = await Promise.all([
    generate([{ name: "commonName", value: "localhost" }], {
      keySize: 2048,
      algorithm: "sha256",
      extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }] }],
    }),
    generate([{ name: "commonName", value: "sns.amazonaws.com" }], {
      keySize: 2048,
      algorithm: "sha256",
    }),
  ]);
  signingKey = signing.private;
  https = createServer({ key: tls.private, cert: tls.cert }, (request, response) => {
    if (request.url === "/cert.pem") return void response.end(signing.cert);
    confirmations.push(request.url ?? "");
    response.end("<ConfirmSubscriptionResponse/>");
  });
  await new Promise<void>((resolve) => https.listen(0, "127.0.0.1", resolve));
  httpsBase = `https://localhost:${(https.address() as AddressInfo).port}`;
  const fetchCertificate = createCertificateFetcher({ ca: tls.cert });

  dns = await startDnsServer();
  api = await startTestApi(
    { dnsServers: [dns.address], spfMechanisms: "ip4:127.0.0.1", requireVerifiedDomain: true },
    {
      sns: {
        verify: { fetchCertificate, certificateHost: /^localhost$/, allowedTopicArns: [TOPIC] },
        confirm: (url: string) =>
          new Promise<void>((resolve, reject) => {
            httpsGet(url, { ca: tls.cert }, (response) => {
              response.resume();
              response.on("end", () => resolve());
            }).on("error", reject);
          }),
      },
    },
  );
  mail = await startTestMail(api);
  org = await api.createOrg();
  await createVerifiedDomain(api, dns, org.key, DOMAIN);
  listener = new BounceListener(
    createBounceMailbox({
      db: api.database.db,
      verpKey: new SecretBox(TEST_ENCRYPTION_KEY).derive("verp"),
      logger: api.logger,
    }),
  );
  await listener.listen();
}, 60_000);
afterAll(async () => {
  await listener.close();
  await mail.stop();
  await api.close();
  await dns.close();
  await new Promise<void>((resolve) => https.close(() => resolve()));
});

async function sendAndDeliver(
  to: string | string[],
): Promise<{ id: string; copies: CaughtMessage[] }> {
  const response = await api.call("POST", "/emails", {
    key: org.key,
    json: { from: `Acme <hello@${DOMAIN}>`, to, subject: "Your receipt", text: "Thanks" },
  });
  expect(response.status).toBe(200);
  const id = response.body.id as string;
  await eventually(async () => {
    const [row] = await api.database.db.select().from(emails).where(eq(emails.id, id));
    return row?.status === "delivered";
  });
  return { id, copies: mail.catcher.messages.filter((m) => m.raw.includes(`<${id}@${DOMAIN}>`)) };
}

/** A real-format RFC 3464 DSN as Postfix sends it, to the message's return path. */
function dsn(to: string, recipient: string, status: string, diagnostic: string, action = "failed") {
  const boundary = "dsn-boundary";
  return [
    "From: MAILER-DAEMON@mx.example.com (Mail Delivery System)",
    `To: ${to}`,
    "Subject: Undelivered Mail Returned to Sender",
    "MIME-Version: 1.0",
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "I'm sorry to have to inform you that your message could not be delivered.",
    "",
    `--${boundary}`,
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.example.com",
    "",
    `Final-Recipient: rfc822; ${recipient}`,
    `Original-Recipient: rfc822; ${recipient}`,
    `Action: ${action}`,
    `Status: ${status}`,
    "Remote-MTA: dns; mailbox.example.com",
    `Diagnostic-Code: smtp; ${diagnostic}`,
    "",
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

/** An ARF (RFC 5965) complaint report, as a mailbox provider's feedback loop sends it. */
function complaint(to: string, recipient: string, messageId: string) {
  const boundary = "arf-boundary";
  return [
    "From: feedback@fbl.example.com",
    `To: ${to}`,
    "Subject: Abuse report",
    "MIME-Version: 1.0",
    `Content-Type: multipart/report; report-type=feedback-report; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain",
    "",
    "This is an email abuse report.",
    `--${boundary}`,
    "Content-Type: message/feedback-report",
    "",
    "Feedback-Type: abuse",
    "User-Agent: ExampleFBL/1.0",
    "Version: 1",
    `Original-Rcpt-To: ${recipient}`,
    "",
    `--${boundary}`,
    "Content-Type: text/rfc822-headers",
    "",
    `Message-ID: ${messageId}`,
    `To: ${recipient}`,
    "",
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

async function deliverToBounceMailbox(envelopeTo: string, raw: string) {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: listener.port,
    secure: false,
    tls: { rejectUnauthorized: false },
  });
  try {
    return await transport.sendMail({ envelope: { from: "", to: [envelopeTo] }, raw });
  } finally {
    transport.close();
  }
}

const eventsOf = async (id: string) =>
  api.database.db.select().from(emailEvents).where(eq(emailEvents.emailId, id));

const suppressionOf = async (address: string) =>
  (
    await api.database.db
      .select()
      .from(suppressions)
      .where(and(eq(suppressions.orgId, org.orgId), eq(suppressions.email, address)))
  )[0];

describe("the bounce mailbox", () => {
  it("applies an asynchronous hard bounce to its email and recipient, once", async () => {
    const { id, copies } = await sendAndDeliver("gone@example.com");
    const returnPath = copies[0]?.envelope.from ?? "";
    const report = dsn(
      returnPath,
      "gone@example.com",
      "5.1.1",
      "550 5.1.1 <gone@example.com>: User unknown",
    );
    await deliverToBounceMailbox(returnPath, report);
    await deliverToBounceMailbox(returnPath, report);

    const [row] = await api.database.db.select().from(emails).where(eq(emails.id, id));
    expect(row).toMatchObject({ status: "bounced", lastEvent: "bounced" });
    const bounces = (await eventsOf(id)).filter((event) => event.type === "bounced");
    expect(bounces).toHaveLength(1);
    expect(bounces[0]?.details).toMatchObject({
      recipient: "gone@example.com",
      enhanced_code: "5.1.1",
      bounce_class: "hard",
      source: "dsn",
    });
    expect(await suppressionOf("gone@example.com")).toMatchObject({
      origin: "bounce",
      sourceEmailId: id,
    });
  });

  it("records a delay without suppressing, and a complaint with suppression", async () => {
    const delayed = await sendAndDeliver("slow@example.com");
    const returnPath = delayed.copies[0]?.envelope.from ?? "";
    await deliverToBounceMailbox(
      returnPath,
      dsn(returnPath, "slow@example.com", "4.4.1", "451 4.4.1 try later", "delayed"),
    );
    expect((await eventsOf(delayed.id)).map((event) => event.type)).toContain("delivery_delayed");
    expect(await suppressionOf("slow@example.com")).toBeUndefined();

    const complained = await sendAndDeliver("angry@example.com");
    const path = complained.copies[0]?.envelope.from ?? "";
    await deliverToBounceMailbox(
      path,
      complaint(path, "angry@example.com", `<${complained.id}@${DOMAIN}>`),
    );
    const [row] = await api.database.db.select().from(emails).where(eq(emails.id, complained.id));
    expect(row?.lastEvent).toBe("complained");
    expect(row?.status).toBe("delivered");
    expect(await suppressionOf("angry@example.com")).toMatchObject({ origin: "complaint" });
  });

  it("refuses mail to anything but a signed return path", async () => {
    const { copies } = await sendAndDeliver("safe@example.com");
    const returnPath = copies[0]?.envelope.from ?? "";
    const forged = returnPath.replace(
      /^b\+(.)/,
      (_, first: string) => `b+${first === "a" ? "b" : "a"}`,
    );
    await expect(
      deliverToBounceMailbox(forged, dsn(forged, "safe@example.com", "5.1.1", "550 5.1.1 no")),
    ).rejects.toThrow(/550/);
    await expect(
      deliverToBounceMailbox(
        `postmaster@send.${DOMAIN}`,
        dsn("x", "safe@example.com", "5.1.1", "550 5.1.1 no"),
      ),
    ).rejects.toThrow(/550/);
    expect(await suppressionOf("safe@example.com")).toBeUndefined();
  });
});

function snsMessage(fields: Record<string, string>): string {
  const keys =
    fields.Type === "Notification"
      ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  const canonical = keys
    .filter((key) => fields[key] !== undefined)
    .map((key) => `${key}\n${fields[key]}\n`)
    .join("");
  return JSON.stringify({
    ...fields,
    SignatureVersion: "2",
    Signature: sign("sha256", Buffer.from(canonical), signingKey).toString("base64"),
    SigningCertURL: `${httpsBase}/cert.pem`,
  });
}

const postSns = (body: string) =>
  api.call("POST", "/feedback/ses", {
    body,
    headers: { "content-type": "text/plain; charset=UTF-8" },
  });

describe("SES notifications through SNS", () => {
  it("confirms the subscription, then applies a bounce matched by the email's SES tag", async () => {
    const confirm = await postSns(
      snsMessage({
        Type: "SubscriptionConfirmation",
        MessageId: crypto.randomUUID(),
        Token: "token-1",
        TopicArn: TOPIC,
        Message: "You have chosen to subscribe",
        SubscribeURL: `${httpsBase}/?Action=ConfirmSubscription&Token=token-1`,
        Timestamp: new Date().toISOString(),
      }),
    );
    expect(confirm.status).toBe(200);
    expect(confirmations.some((url) => url.includes("Action=ConfirmSubscription"))).toBe(true);

    const { id } = await sendAndDeliver("ses-bounce@example.com");
    const event = {
      notificationType: "Bounce",
      bounce: {
        bounceType: "Permanent",
        bounceSubType: "General",
        bouncedRecipients: [
          {
            emailAddress: "ses-bounce@example.com",
            action: "failed",
            status: "5.1.1",
            diagnosticCode: "smtp; 550 5.1.1 user unknown",
          },
        ],
        timestamp: new Date().toISOString(),
        feedbackId: "0100-feedback-1",
      },
      mail: {
        timestamp: new Date().toISOString(),
        messageId: "0100018c-ses-message",
        source: `hello@${DOMAIN}`,
        destination: ["ses-bounce@example.com"],
        tags: { thrive_email_id: [id] },
      },
    };
    const notification = snsMessage({
      Type: "Notification",
      MessageId: crypto.randomUUID(),
      TopicArn: TOPIC,
      Message: JSON.stringify(event),
      Timestamp: new Date().toISOString(),
    });
    const first = await postSns(notification);
    expect(first.body).toEqual({ ok: true, applied: 1 });
    const retried = await postSns(notification);
    expect(retried.body).toEqual({ ok: true, applied: 0 });
    const [row] = await api.database.db.select().from(emails).where(eq(emails.id, id));
    expect(row?.status).toBe("bounced");
    expect(await suppressionOf("ses-bounce@example.com")).toMatchObject({ origin: "bounce" });
  });

  it("refuses unsigned, tampered or foreign-topic messages with a 4xx", async () => {
    const valid = JSON.parse(
      snsMessage({
        Type: "Notification",
        MessageId: crypto.randomUUID(),
        TopicArn: TOPIC,
        Message: "{}",
        Timestamp: new Date().toISOString(),
      }),
    );
    for (const body of [
      JSON.stringify({ ...valid, Message: '{"changed":true}' }),
      snsMessage({
        Type: "Notification",
        MessageId: "x",
        TopicArn: "arn:aws:sns:us-east-1:999999999999:someone-else",
        Message: "{}",
        Timestamp: new Date().toISOString(),
      }),
      "not json",
      "{}",
    ]) {
      const response = await postSns(body);
      expect(response.status).toBe(422);
      expect(response.body.name).toBe("validation_error");
    }
  });
});
