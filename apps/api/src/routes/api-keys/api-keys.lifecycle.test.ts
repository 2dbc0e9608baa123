import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase } from "../../db/client.ts";
import { apiKeys, auditLogs } from "../../db/schema/index.ts";
import { createLogger } from "../../lib/logger.ts";
import { SecretBox } from "../../lib/secrets.ts";
import { ApiKeyAuthenticator } from "../../services/api-keys/authenticate-api-key.ts";
import {
  startTestApi,
  TEST_ENCRYPTION_KEY,
  type TestApi,
  type TestOrg,
} from "../../test/harness.ts";
import { type ServedApp, serveApp } from "../../test/serve-app.ts";

let api: TestApi;
let proxied: TestApi;
let org: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  api = await startTestApi();
  // Behind a proxy that sets X-Forwarded-For, which TRUST_PROXY makes the client address.
  proxied = await startTestApi({ trustProxy: true });
  org = await api.createOrg();
  other = await api.createOrg("Other");
});
afterAll(async () => {
  await api.close();
  await proxied.close();
});

async function newKey(target: TestApi, owner: TestOrg, json: Record<string, unknown> = {}) {
  const response = await target.call("POST", "/api-keys", {
    key: owner.key,
    json: { name: "lifecycle", ...json },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as { id: string; token: string };
}

describe("POST /api-keys/{id}/rotate", () => {
  it("issues a new key and keeps the old one working for the grace period", async () => {
    const old = await newKey(api, org);
    const response = await api.call("POST", `/api-keys/${old.id}/rotate`, {
      key: org.key,
      json: { grace_period_seconds: 3600 },
    });
    expect(response.status).toBe(200);
    const rotated = response.body;
    expect(rotated).toMatchObject({ object: "api_key", previous: { id: old.id } });
    expect(rotated.token).toMatch(/^ts_/);
    const graceEnd = Date.parse(rotated.previous.expires_at);
    expect(graceEnd - Date.now()).toBeGreaterThan(3500_000);
    expect(graceEnd - Date.now()).toBeLessThanOrEqual(3600_000);
    // Both keys work.
    expect((await api.call("GET", "/emails", { key: old.token })).status).toBe(200);
    expect((await api.call("GET", "/emails", { key: rotated.token })).status).toBe(200);
    // A key is rotated once.
    const again = await api.call("POST", `/api-keys/${old.id}/rotate`, { key: org.key });
    expect(again.status).toBe(409);
    expect(again.body.name).toBe("invalid_state");
    // The audit log says who rotated which key, never the token.
    const [entry] = await api.database.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.targetId, old.id), eq(auditLogs.action, "api_key.rotated")));
    expect(entry).toMatchObject({ action: "api_key.rotated", actorType: "api_key" });
    expect(JSON.stringify(entry)).not.toContain(rotated.token);
  });

  it("gives the new key the old one's name, permission, domain and allowed IPs", async () => {
    const old = await newKey(api, org, {
      permission: "sending_access",
      allowed_ips: ["0.0.0.0/0", "::/0"],
    });
    const response = await api.call("POST", `/api-keys/${old.id}/rotate`, { key: org.key });
    const [row] = await api.database.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.id, response.body.id));
    expect(row).toMatchObject({
      name: "lifecycle",
      permission: "sending_access",
      allowedIps: ["0.0.0.0/0", "::/0"],
      expiresAt: null,
    });
  });

  it("with a grace period of 0, stops the old key at once in this process", async () => {
    const old = await newKey(api, org);
    // Cached as valid before the rotation.
    expect((await api.call("GET", "/emails", { key: old.token })).status).toBe(200);
    const response = await api.call("POST", `/api-keys/${old.id}/rotate`, {
      key: org.key,
      json: { grace_period_seconds: 0 },
    });
    expect(response.status).toBe(200);
    const refused = await api.call("GET", "/emails", { key: old.token });
    expect(refused.status).toBe(403);
    expect(refused.body.name).toBe("invalid_api_key");
    expect(refused.body.message).toContain("expired");
    expect((await api.call("GET", "/emails", { key: response.body.token })).status).toBe(200);
  });

  it("takes no body: 24 hours of grace", async () => {
    const old = await newKey(api, org);
    const response = await api.call("POST", `/api-keys/${old.id}/rotate`, { key: org.key });
    expect(response.status).toBe(200);
    const grace = Date.parse(response.body.previous.expires_at) - Date.now();
    expect(grace).toBeGreaterThan(86_300_000);
  });

  it.each([
    ["a negative grace period", { grace_period_seconds: -1 }],
    ["a grace period over 30 days", { grace_period_seconds: 2_592_001 }],
    ["an unknown field", { grace: 1 }],
    ["an expiry in the past", { expires_at: "2020-01-01T00:00:00Z" }],
  ])("answers 422 for %s", async (_, json) => {
    const old = await newKey(api, org);
    const response = await api.call("POST", `/api-keys/${old.id}/rotate`, { key: org.key, json });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });

  it("answers 404 for another organization's key and for a revoked one", async () => {
    const theirs = await newKey(api, other);
    expect((await api.call("POST", `/api-keys/${theirs.id}/rotate`, { key: org.key })).status).toBe(
      404,
    );
    const revoked = await newKey(api, org);
    await api.call("DELETE", `/api-keys/${revoked.id}`, { key: org.key });
    expect(
      (await api.call("POST", `/api-keys/${revoked.id}/rotate`, { key: org.key })).status,
    ).toBe(404);
  });

  it("stops a rotated key in another process within the authenticator's cache time", async () => {
    const old = await newKey(api, org);
    // Another process: its own pool and its own cache, on the same database.
    const database = connectDatabase(api.database.url, { max: 2 });
    const authenticator = new ApiKeyAuthenticator(
      database.db,
      createLogger("silent"),
      new SecretBox(TEST_ENCRYPTION_KEY),
      { ttlMs: 200 },
    );
    try {
      expect((await authenticator.authenticate(old.token))?.expiresAt).toBeNull();
      await api.call("POST", `/api-keys/${old.id}/rotate`, {
        key: org.key,
        json: { grace_period_seconds: 0 },
      });
      await new Promise((resolve) => setTimeout(resolve, 250));
      const seen = await authenticator.authenticate(old.token);
      expect(seen?.expiresAt).toBeLessThanOrEqual(Date.now());
    } finally {
      await database.close();
    }
  });
});

describe("expires_at", () => {
  it("is shown, and the key is refused once it has passed", async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const key = await newKey(api, org, { expires_at: soon });
    expect((await api.call("GET", "/emails", { key: key.token })).status).toBe(200);
    const listed = await api.call("GET", "/api-keys?limit=100", { key: org.key });
    const item = listed.body.data.find((entry: { id: string }) => entry.id === key.id);
    expect(Date.parse(item.expires_at)).toBe(Date.parse(soon));
    await new Promise((resolve) => setTimeout(resolve, 1600));
    // The cached entry still holds the key: the expiry is checked on every request.
    const refused = await api.call("GET", "/emails", { key: key.token });
    expect(refused.status).toBe(403);
    expect(refused.body.name).toBe("invalid_api_key");
    const rotate = await api.call("POST", `/api-keys/${key.id}/rotate`, { key: org.key });
    expect(rotate.status).toBe(409);
  });

  it.each([
    ["in the past", "2020-01-01T00:00:00Z"],
    ["not a date", "tomorrow"],
  ])("answers 422 for an expiry %s", async (_, expires_at) => {
    const response = await api.call("POST", "/api-keys", {
      key: org.key,
      json: { name: "x", expires_at },
    });
    expect(response.status).toBe(422);
  });
});

describe("allowed_ips", () => {
  it("normalizes the CIDRs and shows them", async () => {
    const key = await newKey(api, org, {
      allowed_ips: ["203.0.113.77/24", "2001:db8::1", "10.1.2.3"],
    });
    const listed = await api.call("GET", "/api-keys?limit=100", { key: org.key });
    const item = listed.body.data.find((entry: { id: string }) => entry.id === key.id);
    expect(item.allowed_ips).toEqual(["203.0.113.0/24", "2001:db8::1/128", "10.1.2.3/32"]);
  });

  it("refuses a request from elsewhere with 403 ip_not_allowed (X-Forwarded-For behind a proxy)", async () => {
    const proxiedOrg = await proxied.createOrg();
    const key = await newKey(proxied, proxiedOrg, { allowed_ips: ["203.0.113.0/24"] });
    const from = (ip: string) =>
      proxied.call("GET", "/emails", {
        key: key.token,
        headers: { "x-forwarded-for": `${ip}, 10.0.0.1` },
      });
    expect((await from("203.0.113.9")).status).toBe(200);
    const refused = await from("198.51.100.4");
    expect(refused.status).toBe(403);
    expect(refused.body.name).toBe("ip_not_allowed");
    expect(refused.body.message).toContain("198.51.100.4");
    expect(refused.body.message).toContain("203.0.113.0/24");
    // The refusal is a security event in the audit log (written without holding the answer).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const entries = await proxied.database.db
      .select()
      .from(auditLogs)
      .where(eq(auditLogs.action, "api_key.ip_refused"));
    expect(entries[0]).toMatchObject({ targetId: key.id, ip: "198.51.100.4" });
  });

  it("ignores X-Forwarded-For without TRUST_PROXY: the socket's address decides", async () => {
    let served: ServedApp | undefined;
    try {
      served = await serveApp(api.app);
      const local = await newKey(api, org, { allowed_ips: ["127.0.0.0/8"] });
      const remote = await newKey(api, org, { allowed_ips: ["203.0.113.0/24"] });
      const get = (token: string) =>
        fetch(`${served?.url}/emails`, {
          headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "203.0.113.9" },
        });
      expect((await get(local.token)).status).toBe(200);
      const refused = await get(remote.token);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { name: string }).name).toBe("ip_not_allowed");
      // In-process requests have no socket: an allow-listed key is refused, never let through.
      expect((await api.call("GET", "/emails", { key: local.token })).status).toBe(403);
    } finally {
      await served?.close();
    }
  });

  it.each([
    ["not an address", ["example.com"]],
    ["an empty list", []],
    ["a bad prefix", ["10.0.0.0/33"]],
  ])("answers 422 for %s", async (_, allowed_ips) => {
    const response = await api.call("POST", "/api-keys", {
      key: org.key,
      json: { name: "x", allowed_ips },
    });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });
});
