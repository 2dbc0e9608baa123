import { createHmac } from "node:crypto";
import { Resend } from "resend";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHandle, startApi } from "../../api.ts";
import { newId } from "../../lib/ids.ts";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";

// The official Resend SDK's webhooks API, over real HTTP, with only its base URL changed.
let api: TestApi;
let http: ApiHandle;
let org: TestOrg;
let resend: Resend;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  http = await startApi({ ...api.deps, config: { ...api.config, host: "127.0.0.1", port: 0 } });
  resend = new Resend(org.key, { baseUrl: `http://127.0.0.1:${http.port}` });
});
afterAll(async () => {
  await http.stop();
  await api.close();
});

/** A Standard Webhooks signature (what the delivery worker sends), to check the secret's format. */
function sign(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

describe("the resend npm package's webhooks", () => {
  it("creates, reads, lists, updates, rotates and removes a webhook", async () => {
    const created = await resend.webhooks.create({
      endpoint: "https://example.com/resend-hook",
      events: ["email.delivered", "domain.created"],
    });
    expect(created.error).toBeNull();
    const id = created.data?.id as string;
    const secret = created.data?.signing_secret as string;
    expect(secret).toMatch(/^whsec_/);

    // The secret works with the SDK's own verifier.
    const body = JSON.stringify({ type: "domain.created", created_at: "x", data: {} });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const verified = resend.webhooks.verify({
      payload: body,
      headers: { id: "msg_1", timestamp, signature: sign(secret, "msg_1", timestamp, body) },
      webhookSecret: secret,
    });
    expect(verified).toMatchObject({ type: "domain.created" });

    const got = await resend.webhooks.get(id);
    expect(got.data).toMatchObject({
      object: "webhook",
      id,
      endpoint: "https://example.com/resend-hook",
      status: "enabled",
      events: ["email.delivered", "domain.created"],
      signing_secret: secret,
    });

    const listed = await resend.webhooks.list({ limit: 10 });
    expect(listed.data?.object).toBe("list");
    expect(listed.data?.data.map((webhook) => webhook.id)).toContain(id);

    const updated = await resend.webhooks.update(id, {
      endpoint: "https://example.com/moved",
      events: ["domain.created"],
      status: "disabled",
    });
    expect(updated.data).toEqual({ object: "webhook", id });
    expect((await resend.webhooks.get(id)).data).toMatchObject({
      endpoint: "https://example.com/moved",
      events: ["domain.created"],
      status: "disabled",
    });

    const rotated = await resend.webhooks.rotateSigningSecret(id);
    expect(rotated.data).toMatchObject({ object: "webhook", id });
    expect(rotated.data?.signing_secret).not.toBe(secret);

    const removed = await resend.webhooks.remove(id);
    expect(removed.data).toEqual({ object: "webhook", id, deleted: true });
    expect((await resend.webhooks.get(id)).error).toMatchObject({
      name: "not_found",
      statusCode: 404,
    });
  });

  it("lists, reads and replays a webhook's events, and lists their attempts", async () => {
    const created = await resend.webhooks.create({
      endpoint: "https://example.com/events-hook",
      events: ["domain.created"],
    });
    const webhookId = created.data?.id as string;
    const domain = await resend.domains.create({ name: "sdk-webhooks.dev" });
    expect(domain.error).toBeNull();

    const events = await resend.webhooks.events.list({ webhookId, limit: 10 });
    expect(events.error).toBeNull();
    expect(events.data?.data).toEqual([
      {
        id: expect.any(String),
        type: "domain.created",
        created_at: expect.any(String),
        status: "pending",
      },
    ]);
    const eventId = events.data?.data[0]?.id as string;

    const event = await resend.webhooks.events.get({ webhookId, eventId });
    expect(event.data).toMatchObject({
      object: "webhook_event",
      id: eventId,
      type: "domain.created",
      status: "pending",
      payload: { type: "domain.created", data: { id: domain.data?.id, name: "sdk-webhooks.dev" } },
    });

    const replayed = await resend.webhooks.events.replay({ webhookId, eventId });
    expect(replayed.error).toBeNull();
    expect(replayed.data).toEqual({ object: "webhook_event", id: eventId });

    const attempts = await resend.webhooks.events.attempts.list({ webhookId, eventId, limit: 5 });
    expect(attempts.error).toBeNull();
    expect(attempts.data).toEqual({ object: "list", data: [], has_more: false });

    const missing = await resend.webhooks.events.get({ webhookId, eventId: newId() });
    expect(missing.error).toMatchObject({ name: "not_found", statusCode: 404 });
  });

  it("answers validation errors the SDK understands", async () => {
    const refused = await resend.webhooks.create({
      endpoint: "http://example.com/insecure",
      events: ["email.sent"],
    });
    expect(refused.error).toMatchObject({ name: "validation_error", statusCode: 422 });
    expect(refused.error?.message).toContain("https");
    const unknown = await resend.webhooks.create({
      endpoint: "https://example.com/hook",
      events: ["contact.created"],
    });
    expect(unknown.error).toMatchObject({ name: "validation_error", statusCode: 422 });
  });
});
