import { Resend } from "resend";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHandle, startApi } from "../api.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  type TestApi,
  type TestMail,
  type TestOrg,
} from "../test/harness.ts";

// The official Resend SDK, over real HTTP, with only its base URL changed.
let api: TestApi;
let http: ApiHandle;
let mail: TestMail;
let org: TestOrg;
let resend: Resend;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  http = await startApi({ ...api.deps, config: { ...api.config, host: "127.0.0.1", port: 0 } });
  mail = await startTestMail(api);
  resend = new Resend(org.key, { baseUrl: `http://127.0.0.1:${http.port}` });
});
afterAll(async () => {
  await mail.stop();
  await http.stop();
  await api.close();
});

describe("the resend npm package against Thrive-Send", () => {
  it("sends an email that gets delivered, and reads it back", async () => {
    const { data, error } = await resend.emails.send({
      from: "Acme <onboarding@acme.dev>",
      to: ["delivered@example.com"],
      subject: "hello world",
      html: "<strong>it works!</strong>",
      replyTo: "support@acme.dev",
      tags: [{ name: "category", value: "confirm_email" }],
      headers: { "X-Entity-Ref-ID": "123" },
      attachments: [{ filename: "invoice.txt", content: Buffer.from("invoice") }],
    });
    expect(error).toBeNull();
    const id = data?.id as string;

    const email = await eventually(async () => {
      const got = await resend.emails.get(id);
      return got.data?.last_event === "delivered" ? got.data : undefined;
    });
    expect(email).toMatchObject({
      object: "email",
      id,
      to: ["delivered@example.com"],
      reply_to: ["support@acme.dev"],
      subject: "hello world",
      html: "<strong>it works!</strong>",
      tags: [{ name: "category", value: "confirm_email" }],
    });
    expect(mail.catcher.messages.some((message) => message.raw.includes(`<${id}@acme.dev>`))).toBe(
      true,
    );
  });

  it("replays a send with the same idempotency key", async () => {
    const payload = { from: "a@acme.dev", to: "b@example.com", subject: "idem", text: "once" };
    const first = await resend.emails.send(payload, { idempotencyKey: "sdk-idem-1" });
    const second = await resend.emails.send(payload, { idempotencyKey: "sdk-idem-1" });
    expect(second.data?.id).toBe(first.data?.id);
    const conflict = await resend.emails.send(
      { ...payload, text: "twice" },
      { idempotencyKey: "sdk-idem-1" },
    );
    expect(conflict.error).toMatchObject({ name: "invalid_idempotent_request", statusCode: 409 });
  });

  it("sends batches, strict and permissive", async () => {
    const strict = await resend.batch.send([
      { from: "a@acme.dev", to: "one@example.com", subject: "1", text: "1" },
      { from: "a@acme.dev", to: "two@example.com", subject: "2", text: "2" },
    ]);
    expect(strict.error).toBeNull();
    expect(strict.data?.data).toHaveLength(2);

    const permissive = await resend.batch.send(
      [
        { from: "a@acme.dev", to: "three@example.com", subject: "3", text: "3" },
        { from: "a@acme.dev", to: "not-an-address", subject: "4", text: "4" },
      ],
      { batchValidation: "permissive" },
    );
    expect(permissive.data?.data).toHaveLength(1);
    expect(permissive.data?.errors).toEqual([{ index: 1, message: expect.any(String) }]);
  });

  it("lists emails with pagination", async () => {
    const page = await resend.emails.list({ limit: 2 });
    expect(page.error).toBeNull();
    expect(page.data?.object).toBe("list");
    expect(page.data?.data).toHaveLength(2);
    expect(page.data?.has_more).toBe(true);
    const next = await resend.emails.list({ limit: 2, after: page.data?.data[1]?.id as string });
    expect(next.data?.data[0]?.id).not.toBe(page.data?.data[1]?.id);
  });

  it("reschedules and cancels a scheduled email", async () => {
    const { data } = await resend.emails.send({
      from: "a@acme.dev",
      to: "later@example.com",
      subject: "later",
      text: "later",
      scheduledAt: new Date(Date.now() + 3600_000).toISOString(),
    });
    const id = data?.id as string;
    const newTime = new Date(Date.now() + 7200_000).toISOString();
    const updated = await resend.emails.update({ id, scheduledAt: newTime });
    expect(updated.data).toEqual({ object: "email", id });
    expect((await resend.emails.get(id)).data?.scheduled_at).toBe(newTime);
    const canceled = await resend.emails.cancel(id);
    expect(canceled.data).toEqual({ object: "email", id });
    expect((await resend.emails.get(id)).data?.last_event).toBe("canceled");
  });

  it("manages API keys", async () => {
    const created = await resend.apiKeys.create({
      name: "from the sdk",
      permission: "sending_access",
    });
    expect(created.data?.token).toMatch(/^ts_/);
    const listed = await resend.apiKeys.list();
    expect(listed.data?.data.some((key) => key.id === created.data?.id)).toBe(true);
    const removed = await resend.apiKeys.remove(created.data?.id as string);
    expect(removed.error).toBeNull();

    const restricted = new Resend(org.sendingKey, { baseUrl: `http://127.0.0.1:${http.port}` });
    expect((await restricted.emails.list()).error).toMatchObject({
      name: "restricted_api_key",
      statusCode: 401,
    });
  });

  it("answers errors the SDK understands", async () => {
    const wrong = new Resend("ts_wrong", { baseUrl: `http://127.0.0.1:${http.port}` });
    const refused = await wrong.emails.send({
      from: "a@acme.dev",
      to: "b@example.com",
      subject: "x",
      text: "x",
    });
    expect(refused.error).toMatchObject({ name: "invalid_api_key", statusCode: 403 });

    const invalid = await resend.emails.send({
      from: "nope",
      to: "b@example.com",
      subject: "x",
      text: "x",
    });
    expect(invalid.error).toMatchObject({ name: "validation_error", statusCode: 422 });
    expect(invalid.error?.message).toContain("from");

    const missing = await resend.emails.get("00000000-0000-7000-8000-000000000000");
    expect(missing.error).toMatchObject({ name: "not_found", statusCode: 404 });
  });
});
