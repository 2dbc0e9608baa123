import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase } from "../../db/client.ts";
import { apiKeys, auditLogs } from "../../db/schema/index.ts";
import { createLogger } from "../../lib/logger.ts";
import { KEY_PERMISSIONS } from "../../lib/permissions.ts";
import { SecretBox } from "../../lib/secrets.ts";
import { ApiKeyAuthenticator } from "../../services/api-keys/authenticate-api-key.ts";
import type { ConsoleClient } from "../../test/console.ts";
import { startTestApi, TEST_ENCRYPTION_KEY, type TestApi } from "../../test/harness.ts";
import { routeFixtures, type TestTenant } from "../../test/route-fixtures.ts";

let api: TestApi;
let org: TestTenant;
let developer: ConsoleClient;

beforeAll(async () => {
  api = await startTestApi();
  const fixtures = routeFixtures(api);
  org = await fixtures.tenant("Keys");
  developer = (await fixtures.joined(org, "developer")).client;
});
afterAll(() => api.close());

const email = { from: "a@acme.dev", to: "b@example.com", subject: "s", text: "t" };

async function customKey(permissions: string[], extra: Record<string, unknown> = {}) {
  const response = await api.call("POST", "/api-keys", {
    key: org.key,
    json: { name: "custom", permissions, ...extra },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as { id: string; token: string };
}

async function listed(id: string) {
  const response = await api.call("GET", "/api-keys?limit=100", { key: org.key });
  return response.body.data.find((item: { id: string }) => item.id === id);
}

describe("API keys with permissions of their own", () => {
  it("creates a custom key that may do exactly what it holds, and shows it", async () => {
    const key = await customKey(["domains:read", "emails:read", "emails:read"]);
    const item = await listed(key.id);
    expect(item).toMatchObject({
      permission: "custom",
      permissions: ["emails:read", "domains:read"],
    });
    const [row] = await api.database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row?.permissions?.sort()).toEqual(["domains:read", "emails:read"]);

    expect((await api.call("GET", "/emails", { key: key.token })).status).toBe(200);
    expect((await api.call("GET", "/domains", { key: key.token })).status).toBe(200);
    const send = await api.call("POST", "/emails", { key: key.token, json: email });
    expect(send.status).toBe(401);
    expect(send.body).toMatchObject({
      name: "restricted_api_key",
      message: "This API key does not have the emails:send permission",
    });
    const people = await api.call("GET", "/members", { key: key.token });
    expect(people.status).toBe(401);
    expect(people.body.message).toContain("sign in to the console");

    const [entry] = await api.database.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.targetId, key.id), eq(auditLogs.action, "api_key.created")));
    expect(entry?.details).toMatchObject({ permission: "custom" });
  });

  it("shows the sets of Resend's kinds too", async () => {
    const keys = (await api.call("GET", "/api-keys?limit=100", { key: org.key })).body.data;
    const byName = (name: string) => keys.find((item: { name: string }) => item.name === name);
    expect(byName("full")).toMatchObject({
      permission: "full_access",
      permissions: KEY_PERMISSIONS,
    });
    expect(byName("sending")).toMatchObject({
      permission: "sending_access",
      permissions: ["emails:send"],
    });
  });

  it("limits a custom key that can send to its domain", async () => {
    const domain = await api.call("POST", "/domains", { key: org.key, json: { name: "own.dev" } });
    const key = await customKey(["emails:send"], { domain_id: domain.body.id });
    expect((await listed(key.id)).domain_id).toBe(domain.body.id);
    const elsewhere = await api.call("POST", "/emails", { key: key.token, json: email });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.message).toContain("can only send from its own domain");
    const own = await api.call("POST", "/emails", {
      key: key.token,
      json: { ...email, from: "a@own.dev" },
    });
    expect(own.status).toBe(200);
  });

  it.each([
    ["a people's permission", { permissions: ["members:read"] }],
    ["deleting the organization", { permissions: ["organization:delete"] }],
    ["an unknown permission", { permissions: ["emails:fly"] }],
    ["an empty set", { permissions: [] }],
    ["a set that is not a list", { permissions: "emails:read" }],
    [
      "both permission and permissions",
      { permission: "full_access", permissions: ["emails:read"] },
    ],
    [
      "a domain for a key that cannot send",
      { permissions: ["emails:read"], domain_id: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e" },
    ],
  ])("answers 422 for %s", async (_, json) => {
    const response = await api.call("POST", "/api-keys", {
      key: org.key,
      json: { name: "x", ...json },
    });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
    expect(response.body.details[0].path).toMatch(/^(permissions|domain_id)/);
  });

  it("never grants more than its creator holds", async () => {
    const keyMaker = await customKey(["api_keys:write", "emails:read"]);
    const more = await api.call("POST", "/api-keys", {
      key: keyMaker.token,
      json: { name: "more", permissions: ["emails:read", "domains:read"] },
    });
    expect(more.status).toBe(401);
    expect(more.body).toMatchObject({
      name: "restricted_api_key",
      message: "You cannot grant permissions you do not have: domains:read",
    });
    const same = await api.call("POST", "/api-keys", {
      key: keyMaker.token,
      json: { name: "same", permissions: ["emails:read"] },
    });
    expect(same.status).toBe(200);

    // A developer does not read the audit log, and cannot make a key that does.
    const audit = await developer.call("POST", "/api-keys", {
      json: { name: "audit", permissions: ["audit:read"] },
    });
    expect(audit.status).toBe(403);
    expect(audit.body.name).toBe("forbidden");
    const sends = await developer.call("POST", "/api-keys", {
      json: { name: "sends", permissions: ["emails:send", "emails:read"] },
    });
    expect(sends.status).toBe(200);
  });

  it("never hands a full_access key, new or rotated, to someone without all its rights", async () => {
    const full = await developer.call("POST", "/api-keys", { json: { name: "full" } });
    expect(full.status).toBe(403);
    expect(full.body).toMatchObject({
      name: "forbidden",
      message: "You cannot create a full_access key: audit:read",
    });
    const sending = await developer.call("POST", "/api-keys", {
      json: { name: "sending", permission: "sending_access" },
    });
    expect(sending.status).toBe(200);

    const owners = await api.call("POST", "/api-keys", { key: org.key, json: { name: "owner's" } });
    const rotated = await developer.call("POST", `/api-keys/${owners.body.id}/rotate`, {
      json: { grace_period_seconds: 0 },
    });
    expect(rotated.status).toBe(403);
    expect(rotated.body.message).toBe("You cannot rotate this key: audit:read");
    // Refused, the old key works on.
    expect((await api.call("GET", "/api-keys", { key: owners.body.token })).status).toBe(200);
    const own = await developer.call("POST", `/api-keys/${sending.body.id}/rotate`, {
      json: { grace_period_seconds: 0 },
    });
    expect(own.status).toBe(200);
  });

  it("keeps its permissions through a rotation", async () => {
    const old = await customKey(["emails:read"]);
    const rotated = await api.call("POST", `/api-keys/${old.id}/rotate`, { key: org.key });
    expect(rotated.status).toBe(200);
    expect(await listed(rotated.body.id)).toMatchObject({
      permission: "custom",
      permissions: ["emails:read"],
    });
    expect((await api.call("GET", "/emails", { key: rotated.body.token })).status).toBe(200);
    const send = await api.call("POST", "/emails", { key: rotated.body.token, json: email });
    expect(send.status).toBe(401);
  });

  it("reaches another process's cache with its set, never with a people's permission", async () => {
    const key = await customKey(["emails:read", "usage:read"]);
    // A row written by hand (or by an older version) with more than a key may hold.
    await api.database.db
      .update(apiKeys)
      .set({ permissions: ["emails:read", "usage:read", "members:manage", "emails:fly"] })
      .where(eq(apiKeys.id, key.id));
    const database = connectDatabase(api.database.url, { max: 1 });
    try {
      const authenticator = new ApiKeyAuthenticator(
        database.db,
        createLogger("silent"),
        new SecretBox(TEST_ENCRYPTION_KEY),
      );
      const seen = await authenticator.authenticate(key.token);
      expect(seen?.permission).toBe("custom");
      expect([...(seen?.permissions ?? [])].sort()).toEqual(["emails:read", "usage:read"]);
    } finally {
      await database.close();
    }
  });

  it("keeps the database consistent: a custom kind without a set, or a set on another kind, is refused", async () => {
    const key = await customKey(["emails:read"]);
    await expect(
      api.database.db.update(apiKeys).set({ permissions: null }).where(eq(apiKeys.id, key.id)),
    ).rejects.toThrow();
    await expect(
      api.database.db
        .update(apiKeys)
        .set({ permission: "full_access" })
        .where(eq(apiKeys.id, key.id)),
    ).rejects.toThrow();
  });
});
