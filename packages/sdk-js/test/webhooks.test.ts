/** webhooks.* (endpoints, events, attempts, replay, rotation, test events) and verify. */
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhook, WebhookVerificationError } from "../src/index.ts";
import { live, liveClient } from "./support/client.ts";
import { json, localServer } from "./support/local-server.ts";

const thrive = liveClient();
const other = liveClient(live.otherApiKey);
const MISSING = "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47";

let receiver: Awaited<ReturnType<typeof localServer>>;
beforeAll(async () => {
  receiver = await localServer((_, response) => json(response, 200, { ok: true }));
});
afterAll(() => receiver.close());

/** Signs a body as the API does (Standard Webhooks), with each secret: one signature each. */
function sign(body: string, secrets: string[], id = "msg_1", at = new Date()) {
  const signature = secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(" ");
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signature,
  };
}

describe("webhooks", () => {
  it("creates, reads, lists, updates, rotates, tests, replays and deletes a webhook", async () => {
    const created = await thrive.webhooks.create({
      endpoint: `${receiver.url}/hooks`,
      events: ["email.sent", "email.delivered"],
    });
    expect(created.error).toBeNull();
    const id = created.data?.id ?? "";
    const secret = created.data?.signing_secret ?? "";
    expect(created.data).toMatchObject({ object: "webhook", id });
    expect(secret).toMatch(/^whsec_/);

    const fetched = await thrive.webhooks.get(id);
    expect(fetched.data).toMatchObject({
      object: "webhook",
      endpoint: `${receiver.url}/hooks`,
      status: "enabled",
      events: ["email.sent", "email.delivered"],
      signing_secret: secret,
    });
    const listed: string[] = [];
    for await (const webhook of thrive.webhooks.list({ limit: 100 })) listed.push(webhook.id);
    expect(listed).toContain(id);

    const updated = await thrive.webhooks.update(id, {
      endpoint: `${receiver.url}/hooks/v2`,
      events: ["email.bounced"],
    });
    expect(updated).toMatchObject({ data: { object: "webhook", id }, error: null });
    expect((await thrive.webhooks.get(id)).data).toMatchObject({
      endpoint: `${receiver.url}/hooks/v2`,
      events: ["email.bounced"],
    });

    // A test event, then its delivery's event, payload and attempts.
    const tested = await thrive.webhooks.test(id);
    expect(tested.error).toBeNull();
    const eventId = tested.data?.id ?? "";
    expect(tested.data).toEqual({ object: "webhook_event", id: eventId });

    const events = await thrive.webhooks.events.list({ webhookId: id });
    expect(events.data?.data.find((event) => event.id === eventId)).toMatchObject({
      type: "webhook.test",
    });
    const event = await thrive.webhooks.events.get({ webhookId: id, eventId });
    expect(event.data).toMatchObject({
      object: "webhook_event",
      id: eventId,
      type: "webhook.test",
      payload: { type: "webhook.test", data: { webhook_id: id } },
    });
    const attempts = await thrive.webhooks.events.attempts.list({ webhookId: id, eventId });
    expect(attempts.error).toBeNull();
    expect(attempts.data).toMatchObject({ object: "list", has_more: false });
    const replayed = await thrive.webhooks.events.replay({ webhookId: id, eventId });
    if (replayed.error) {
      // Only while an attempt is in flight (once the delivery worker sends them).
      expect(replayed.error.name).toBe("invalid_state");
    } else {
      expect(replayed.data).toEqual({ object: "webhook_event", id: eventId });
    }

    // Rotation: a new secret; for a day both sign, and either verifies.
    const rotated = await thrive.webhooks.rotateSigningSecret(id);
    expect(rotated.data).toMatchObject({ object: "webhook", id });
    const newSecret = rotated.data?.signing_secret ?? "";
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    const body = JSON.stringify(event.data?.payload);
    const headers = sign(body, [newSecret, secret], eventId);
    expect(thrive.webhooks.verify(body, headers, secret)).toEqual(event.data?.payload);
    expect(thrive.webhooks.verify(body, headers, newSecret)).toEqual(event.data?.payload);

    // Disabled, it gets no test event.
    await thrive.webhooks.update(id, { status: "disabled" });
    expect((await thrive.webhooks.get(id)).data?.status).toBe("disabled");
    expect((await thrive.webhooks.test(id)).error).toMatchObject({
      statusCode: 409,
      name: "invalid_state",
    });

    expect((await other.webhooks.get(id)).error?.name).toBe("not_found");
    const removed = await thrive.webhooks.remove(id);
    expect(removed.data).toEqual({ object: "webhook", id, deleted: true });
    expect((await thrive.webhooks.get(id)).error).toMatchObject({
      statusCode: 404,
      name: "not_found",
    });
  });

  it("answers errors as data", async () => {
    expect((await thrive.webhooks.rotateSigningSecret(MISSING)).error?.name).toBe("not_found");
    expect((await thrive.webhooks.events.list({ webhookId: MISSING })).error?.name).toBe(
      "not_found",
    );
    const { data } = await thrive.webhooks.create({
      endpoint: `${receiver.url}/x`,
      events: ["email.sent"],
    });
    const id = data?.id ?? "";
    expect(
      (await thrive.webhooks.events.get({ webhookId: id, eventId: MISSING })).error?.name,
    ).toBe("not_found");
    expect(
      (await thrive.webhooks.events.replay({ webhookId: id, eventId: MISSING })).error?.name,
    ).toBe("not_found");
    const invalid = await thrive.webhooks.create({
      endpoint: "ftp://nowhere",
      events: ["email.sent"],
    });
    expect(invalid.error).toMatchObject({ statusCode: 422, name: "validation_error" });
    await thrive.webhooks.remove(id);
  });
});

describe("webhooks.verify", () => {
  const secret = `whsec_${btoa("a-secret-of-twenty-four-b")}`;
  const payload = {
    type: "email.sent",
    created_at: "2026-11-30T10:00:00.000Z",
    data: { email_id: "e1" },
  };
  const body = JSON.stringify(payload);

  it("accepts webhook-* and svix-* headers, in any form, and Resend's call", () => {
    const headers = sign(body, [secret]);
    expect(verifyWebhook(body, headers, secret)).toEqual(payload);
    expect(verifyWebhook(new TextEncoder().encode(body), new Headers(headers), secret)).toEqual(
      payload,
    );
    const svix = {
      "Svix-Id": headers["webhook-id"],
      "Svix-Timestamp": headers["webhook-timestamp"],
      "Svix-Signature": headers["webhook-signature"],
    };
    expect(thrive.webhooks.verify(body, svix, secret)).toEqual(payload);
    expect(
      thrive.webhooks.verify({
        payload: body,
        headers: {
          id: headers["webhook-id"],
          timestamp: headers["webhook-timestamp"],
          signature: headers["webhook-signature"],
        },
        webhookSecret: secret,
      }),
    ).toEqual(payload);
  });

  it("refuses a changed body, another secret, an old message and missing headers", () => {
    const headers = sign(body, [secret]);
    expect(() => verifyWebhook(body.replace("e1", "e2"), headers, secret)).toThrow(
      WebhookVerificationError,
    );
    const otherSecret = `whsec_${btoa("another-secret-of-24-byte")}`;
    expect(() => verifyWebhook(body, headers, otherSecret)).toThrow(WebhookVerificationError);
    const old = sign(body, [secret], "msg_1", new Date(Date.now() - 10 * 60_000));
    expect(() => verifyWebhook(body, old, secret)).toThrow(/too old/);
    expect(() => verifyWebhook(body, {}, secret)).toThrow(/Missing required headers/);
  });

  it("verifies a delivery the live server made", async () => {
    const created = await thrive.webhooks.create({
      endpoint: `${receiver.url}/live`,
      events: ["email.sent"],
    });
    const id = created.data?.id ?? "";
    const tested = await thrive.webhooks.test(id);
    const deadline = Date.now() + 10_000;
    let delivery = receiver.requests.find((request) => request.url === "/live");
    while (!delivery && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      delivery = receiver.requests.find((request) => request.url === "/live");
    }
    if (!delivery) {
      const event = await thrive.webhooks.events.get({
        webhookId: id,
        eventId: tested.data?.id ?? "",
      });
      await thrive.webhooks.remove(id);
      throw new Error(`no delivery arrived; the event is ${JSON.stringify(event.data)}`);
    }
    const verified = thrive.webhooks.verify(
      delivery.body,
      delivery.headers as Record<string, string>,
      created.data?.signing_secret ?? "",
    );
    expect(verified).toMatchObject({ type: "webhook.test", data: { webhook_id: id } });
    // The message id is the event's: `msg_` and its UUID without dashes (stable across retries).
    expect(delivery.headers["webhook-id"]).toBe(`msg_${(tested.data?.id ?? "").replace(/-/g, "")}`);
    await thrive.webhooks.remove(id);
  });
});
