import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookEndpoints } from "../../db/schema/index.ts";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";

let api: TestApi;
let org: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  other = await api.createOrg("Other");
});
afterAll(() => api.close());

const SECRET = /^whsec_[A-Za-z0-9+/]{32}$/;

async function create(json: object = {}, key = org.key) {
  const response = await api.call("POST", "/webhooks", {
    key,
    json: { endpoint: "https://example.com/hook", events: ["email.delivered"], ...json },
  });
  expect(response.status).toBe(200);
  return response.body as { object: "webhook"; id: string; signing_secret: string };
}

const rowOf = async (id: string) =>
  (await api.database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)))[0];

describe("POST /webhooks", () => {
  it("creates a webhook with a Svix signing secret, sealed at rest", async () => {
    const created = await create({ events: ["email.bounced", "domain.updated", "email.bounced"] });
    expect(created).toEqual({
      object: "webhook",
      id: expect.any(String),
      signing_secret: expect.stringMatching(SECRET),
    });
    expect(Buffer.from(created.signing_secret.slice(6), "base64")).toHaveLength(24);
    const row = await rowOf(created.id);
    expect(row).toMatchObject({
      endpoint: "https://example.com/hook",
      events: ["email.bounced", "domain.updated"],
      status: "enabled",
      previousSecret: null,
    });
    expect(row?.secret).toMatch(/^v1\./);
    expect(row?.secret).not.toContain(created.signing_secret.slice(6));
    expect(api.deps.secrets.open(row?.secret ?? "")).toBe(created.signing_secret);
    const again = await create();
    expect(again.signing_secret).not.toBe(created.signing_secret);
  });

  it("takes plain http to the allow-list only (a local receiver in tests)", async () => {
    await create({ endpoint: "http://127.0.0.1:4000/hook" });
    await create({ endpoint: "http://localhost:4000/hook" });
  });

  it.each([
    [{ endpoint: "not a url" }, "endpoint"],
    [{ endpoint: "ftp://example.com/hook" }, "endpoint"],
    [{ endpoint: "https://user:pass@example.com/hook" }, "endpoint"],
    [{ endpoint: "http://example.com/hook" }, "endpoint"],
    [{ endpoint: "https://10.0.0.8/hook" }, "endpoint"],
    [{ endpoint: "https://169.254.169.254/hook" }, "endpoint"],
    [{ endpoint: `https://example.com/${"a".repeat(2100)}` }, "endpoint"],
    [{ endpoint: 42 }, "endpoint"],
    [{ events: [] }, "events"],
    [{ events: ["email.received"] }, "events.0"],
    [{ events: ["webhook.test"] }, "events.0"],
    [{ events: "email.sent" }, "events"],
    [{ unknown: true }, ""],
  ])("refuses %j", async (json, field) => {
    const response = await api.call("POST", "/webhooks", {
      key: org.key,
      json: { endpoint: "https://example.com/hook", events: ["email.sent"], ...json },
    });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
    if (field) expect(response.body.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it("refuses a body without endpoint or events", async () => {
    const response = await api.call("POST", "/webhooks", { key: org.key, json: {} });
    expect(response.status).toBe(422);
    const paths = response.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["endpoint", "events"]));
  });

  it("is not for sending_access keys", async () => {
    const response = await api.call("POST", "/webhooks", {
      key: org.sendingKey,
      json: { endpoint: "https://example.com/hook", events: ["email.sent"] },
    });
    expect(response.status).toBe(401);
    expect(response.body.name).toBe("restricted_api_key");
  });
});

describe("GET /webhooks and GET /webhooks/{id}", () => {
  it("shows a webhook with its secret, and lists without it", async () => {
    const created = await create({ events: ["email.opened", "email.clicked"] });
    const got = await api.call("GET", `/webhooks/${created.id}`, { key: org.key });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      object: "webhook",
      id: created.id,
      endpoint: "https://example.com/hook",
      created_at: expect.any(String),
      status: "enabled",
      events: ["email.opened", "email.clicked"],
      signing_secret: created.signing_secret,
      disabled_reason: null,
    });
    const list = await api.call("GET", "/webhooks?limit=100", { key: org.key });
    expect(list.body.object).toBe("list");
    expect(list.body.data.find((w: { id: string }) => w.id === created.id)).toEqual({
      id: created.id,
      endpoint: "https://example.com/hook",
      created_at: got.body.created_at,
      status: "enabled",
      events: ["email.opened", "email.clicked"],
    });
  });

  it("pages newest first", async () => {
    const fresh = await api.createOrg("Pages");
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await create({}, fresh.key)).id);
    const first = await api.call("GET", "/webhooks?limit=2", { key: fresh.key });
    expect(first.body.data.map((w: { id: string }) => w.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.has_more).toBe(true);
    const next = await api.call("GET", `/webhooks?limit=2&after=${ids[1]}`, { key: fresh.key });
    expect(next.body.data.map((w: { id: string }) => w.id)).toEqual([ids[0]]);
    expect(next.body.has_more).toBe(false);
    const back = await api.call("GET", `/webhooks?limit=2&before=${ids[0]}`, { key: fresh.key });
    expect(back.body.data.map((w: { id: string }) => w.id)).toEqual([ids[2], ids[1]]);
  });

  it("validates ids and pagination", async () => {
    expect((await api.call("GET", "/webhooks/nope", { key: org.key })).status).toBe(422);
    expect((await api.call("GET", "/webhooks?limit=0", { key: org.key })).status).toBe(422);
    expect((await api.call("GET", "/webhooks?after=x", { key: org.key })).status).toBe(422);
    const missing = await api.call("GET", "/webhooks/00000000-0000-7000-8000-000000000000", {
      key: org.key,
    });
    expect(missing.status).toBe(404);
  });
});

describe("PATCH /webhooks/{id}", () => {
  it("changes the endpoint, the events and the status", async () => {
    const created = await create();
    const patched = await api.call("PATCH", `/webhooks/${created.id}`, {
      key: org.key,
      json: { endpoint: "https://hooks.example.org/new", events: ["domain.created"] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ object: "webhook", id: created.id });
    expect(await rowOf(created.id)).toMatchObject({
      endpoint: "https://hooks.example.org/new",
      events: ["domain.created"],
      status: "enabled",
    });
    await api.call("PATCH", `/webhooks/${created.id}`, {
      key: org.key,
      json: { status: "disabled" },
    });
    const got = await api.call("GET", `/webhooks/${created.id}`, { key: org.key });
    expect(got.body).toMatchObject({ status: "disabled", disabled_reason: null });
    expect(got.body.signing_secret).toBe(created.signing_secret);
  });

  it("starts afresh a webhook we disabled when a user enables it", async () => {
    const created = await create();
    await api.database.db
      .update(webhookEndpoints)
      .set({ status: "disabled", disabledReason: "410 Gone", failingSince: new Date() })
      .where(eq(webhookEndpoints.id, created.id));
    const got = await api.call("GET", `/webhooks/${created.id}`, { key: org.key });
    expect(got.body.disabled_reason).toBe("410 Gone");
    await api.call("PATCH", `/webhooks/${created.id}`, {
      key: org.key,
      json: { status: "enabled" },
    });
    expect(await rowOf(created.id)).toMatchObject({
      status: "enabled",
      disabledReason: null,
      failingSince: null,
    });
  });

  it.each([
    [{}, ""],
    [{ status: "paused" }, "status"],
    [{ events: [] }, "events"],
    [{ events: ["contact.created"] }, "events.0"],
    [{ endpoint: "https://192.168.1.1/hook" }, "endpoint"],
    [{ endpoint: "javascript:alert(1)" }, "endpoint"],
    [{ secret: "whsec_mine" }, ""],
  ])("refuses %j", async (json, field) => {
    const created = await create();
    const response = await api.call("PATCH", `/webhooks/${created.id}`, { key: org.key, json });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
    if (field) expect(response.body.details.map((d: { path: string }) => d.path)).toContain(field);
    expect(await rowOf(created.id)).toMatchObject({
      endpoint: "https://example.com/hook",
      events: ["email.delivered"],
      status: "enabled",
    });
  });
});

describe("POST /webhooks/{id}/signing-secret/rotate", () => {
  it("answers a new secret and keeps the previous one, sealed, for 24 hours", async () => {
    const created = await create();
    const before = Date.now();
    const rotated = await api.call("POST", `/webhooks/${created.id}/signing-secret/rotate`, {
      key: org.key,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({
      object: "webhook",
      id: created.id,
      signing_secret: expect.stringMatching(SECRET),
    });
    expect(rotated.body.signing_secret).not.toBe(created.signing_secret);
    const row = await rowOf(created.id);
    expect(api.deps.secrets.open(row?.secret ?? "")).toBe(rotated.body.signing_secret);
    expect(row?.previousSecret).toMatch(/^v1\./);
    expect(api.deps.secrets.open(row?.previousSecret ?? "")).toBe(created.signing_secret);
    const expires = row?.previousSecretExpiresAt?.getTime() ?? 0;
    expect(expires - before).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);
    expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    const got = await api.call("GET", `/webhooks/${created.id}`, { key: org.key });
    expect(got.body.signing_secret).toBe(rotated.body.signing_secret);

    // Rotating again: the secret just replaced is the previous one now.
    const twice = await api.call("POST", `/webhooks/${created.id}/signing-secret/rotate`, {
      key: org.key,
    });
    const after = await rowOf(created.id);
    expect(api.deps.secrets.open(after?.previousSecret ?? "")).toBe(rotated.body.signing_secret);
    expect(api.deps.secrets.open(after?.secret ?? "")).toBe(twice.body.signing_secret);
  });
});

describe("DELETE /webhooks/{id}", () => {
  it("deletes the webhook; it is gone from every route", async () => {
    const created = await create();
    const deleted = await api.call("DELETE", `/webhooks/${created.id}`, { key: org.key });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ object: "webhook", id: created.id, deleted: true });
    expect(await rowOf(created.id)).toBeUndefined();
    for (const [method, path] of [
      ["GET", `/webhooks/${created.id}`],
      ["DELETE", `/webhooks/${created.id}`],
      ["GET", `/webhooks/${created.id}/events`],
      ["POST", `/webhooks/${created.id}/test`],
    ] as const) {
      const response = await api.call(method, path, { key: org.key });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
  });
});

describe("another organization", () => {
  it("gets 404 for the webhook on every route, and changes nothing", async () => {
    const created = await create();
    for (const [method, path, json] of [
      ["GET", `/webhooks/${created.id}`, undefined],
      ["PATCH", `/webhooks/${created.id}`, { status: "disabled" }],
      ["POST", `/webhooks/${created.id}/signing-secret/rotate`, undefined],
      ["POST", `/webhooks/${created.id}/test`, undefined],
      ["GET", `/webhooks/${created.id}/events`, undefined],
      ["DELETE", `/webhooks/${created.id}`, undefined],
    ] as const) {
      const response = await api.call(method, path, { key: other.key, json });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.name).toBe("not_found");
    }
    const list = await api.call("GET", "/webhooks?limit=100", { key: other.key });
    expect(list.body.data.map((w: { id: string }) => w.id)).not.toContain(created.id);
    const got = await api.call("GET", `/webhooks/${created.id}`, { key: org.key });
    expect(got.body).toMatchObject({ status: "enabled", signing_secret: created.signing_secret });
  });
});
