import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookMessageId } from "../services/webhooks/message-id.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  type TestApi,
  type TestMail,
  type TestOrg,
} from "../test/harness.ts";
import {
  createEndpoint,
  type Receiver,
  startReceiver,
  verifyWebhook,
  webhookSecret,
} from "../test/webhooks.ts";

// The worker as worker.ts starts it (its config: SSRF_ALLOW has 127.0.0.0/8 in tests).
let api: TestApi;
let mail: TestMail;
let org: TestOrg;
let receiver: Receiver;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  receiver = await startReceiver();
  mail = await startTestMail(api);
});
afterAll(async () => {
  await mail.stop();
  await receiver.close();
  await api.close();
});

describe("webhooks of an email's events, from the worker", () => {
  it("delivers email.sent and email.delivered in Resend's shape, signed", async () => {
    const secret = webhookSecret();
    await createEndpoint(api.database.db, {
      orgId: org.orgId,
      url: receiver.url,
      secret,
      events: ["email.sent", "email.delivered"],
    });
    const sent = await api.call("POST", "/emails", {
      key: org.key,
      json: {
        from: "Acme <onboarding@acme.dev>",
        to: ["delivered@example.com"],
        subject: "Webhooks",
        text: "hi",
        tags: [{ name: "category", value: "welcome" }],
      },
    });
    expect(sent.status).toBe(200);

    await eventually(async () => receiver.received.length === 2);
    const payloads = receiver.received.map(
      (webhook) => verifyWebhook(secret, webhook) as { type: string; data: unknown },
    );
    expect(payloads.map((payload) => payload.type).sort()).toEqual([
      "email.delivered",
      "email.sent",
    ]);
    for (const payload of payloads) {
      expect(payload.data).toMatchObject({
        email_id: sent.body.id,
        from: "Acme <onboarding@acme.dev>",
        to: ["delivered@example.com"],
        subject: "Webhooks",
        tags: { category: "welcome" },
      });
    }
    // One message id per event: the two events have two.
    const ids = new Set(receiver.received.map((webhook) => webhook.headers["webhook-id"]));
    expect(ids.size).toBe(2);
    const events = await api.database.sql<{ id: string }[]>`
      select id from email_events where email_id = ${sent.body.id} and type in ('sent', 'delivered')`;
    expect([...ids].sort()).toEqual(events.map((event) => webhookMessageId(event.id)).sort());
  });
});
