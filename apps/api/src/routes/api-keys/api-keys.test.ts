import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeys } from "../../db/schema/index.ts";
import { sha256Hex } from "../../lib/hash.ts";
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

const email = { from: "a@acme.dev", to: "b@example.com", subject: "s", text: "t" };

describe("POST /api-keys", () => {
  it("creates a key, shows its token once and stores only its hash", async () => {
    const response = await api.call("POST", "/api-keys", {
      key: org.key,
      json: { name: "Production" },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: expect.any(String),
      token: expect.stringMatching(/^ts_[\w-]{32}$/),
    });
    const [row] = await api.database.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.id, response.body.id));
    expect(row).toMatchObject({
      orgId: org.orgId,
      name: "Production",
      permission: "full_access",
      tokenHash: sha256Hex(response.body.token),
      tokenPrefix: response.body.token.slice(0, 9),
    });
    expect(JSON.stringify(row)).not.toContain(response.body.token);
    // The new key works.
    expect((await api.call("GET", "/api-keys", { key: response.body.token })).status).toBe(200);
  });

  it("creates a sending_access key that can send and nothing else", async () => {
    const created = await api.call("POST", "/api-keys", {
      key: org.key,
      json: { name: "Sender", permission: "sending_access" },
    });
    const token = created.body.token as string;
    expect((await api.call("POST", "/emails", { key: token, json: email })).status).toBe(200);
    expect((await api.call("POST", "/emails/batch", { key: token, json: [email] })).status).toBe(
      200,
    );
    for (const [method, path] of [
      ["GET", "/emails"],
      ["GET", "/api-keys"],
      ["POST", "/api-keys"],
      ["DELETE", `/api-keys/${created.body.id}`],
    ] as const) {
      const response = await api.call(method, path, {
        key: token,
        json: method === "POST" ? { name: "x" } : undefined,
      });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.body.name).toBe("restricted_api_key");
    }
  });

  it.each([
    ["a missing name", {}],
    ["an empty name", { name: "  " }],
    ["a name over 50 characters", { name: "n".repeat(51) }],
    ["an unknown permission", { name: "x", permission: "admin" }],
    ["an unknown field", { name: "x", domain: "y" }],
  ])("answers 422 for %s", async (_, json) => {
    const response = await api.call("POST", "/api-keys", { key: org.key, json });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });

  it("answers 401 without a key", async () => {
    expect((await api.call("POST", "/api-keys", { json: { name: "x" } })).status).toBe(401);
  });
});

describe("GET /api-keys", () => {
  it("lists the organization's keys without their tokens", async () => {
    const response = await api.call("GET", "/api-keys", { key: org.key });
    expect(response.status).toBe(200);
    expect(response.body.object).toBe("list");
    const names = response.body.data.map((item: { name: string }) => item.name);
    expect(names).toContain("Default");
    expect(names).toContain("sending");
    for (const item of response.body.data) {
      expect(Object.keys(item).sort()).toEqual([
        "allowed_ips",
        "created_at",
        "domain_id",
        "expires_at",
        "id",
        "last_used_at",
        "name",
        "permission",
        "permissions",
        "token_prefix",
      ]);
    }
    expect(JSON.stringify(response.body)).not.toContain(org.key);
  });

  it("records when a key was last used", async () => {
    const response = await api.call("GET", "/api-keys", { key: org.key });
    const own = response.body.data.find((item: { name: string }) => item.name === "Default");
    expect(own.last_used_at).not.toBeNull();
  });

  it("shows no key of another organization", async () => {
    const mine = await api.call("GET", "/api-keys?limit=100", { key: org.key });
    const theirs = await api.call("GET", "/api-keys?limit=100", { key: other.key });
    const mineIds = new Set(mine.body.data.map((item: { id: string }) => item.id));
    expect(theirs.body.data.some((item: { id: string }) => mineIds.has(item.id))).toBe(false);
  });

  it("answers 422 for a bad limit", async () => {
    expect((await api.call("GET", "/api-keys?limit=1000", { key: org.key })).status).toBe(422);
  });
});

describe("DELETE /api-keys/{id}", () => {
  it("revokes a key at once", async () => {
    const created = await api.call("POST", "/api-keys", {
      key: org.key,
      json: { name: "Short-lived" },
    });
    const token = created.body.token as string;
    expect((await api.call("POST", "/emails", { key: token, json: email })).status).toBe(200);

    const response = await api.call("DELETE", `/api-keys/${created.body.id}`, { key: org.key });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ object: "api_key", id: created.body.id, deleted: true });

    const refused = await api.call("POST", "/emails", { key: token, json: email });
    expect(refused.status).toBe(403);
    expect(refused.body.name).toBe("invalid_api_key");
    const listed = await api.call("GET", "/api-keys?limit=100", { key: org.key });
    expect(listed.body.data.some((item: { id: string }) => item.id === created.body.id)).toBe(
      false,
    );
    expect(
      (await api.call("DELETE", `/api-keys/${created.body.id}`, { key: org.key })).status,
    ).toBe(404);
  });

  it("answers 404 for another organization's key, which keeps working", async () => {
    const theirs = await api.call("POST", "/api-keys", {
      key: other.key,
      json: { name: "Theirs" },
    });
    const response = await api.call("DELETE", `/api-keys/${theirs.body.id}`, { key: org.key });
    expect(response.status).toBe(404);
    expect((await api.call("GET", "/emails", { key: theirs.body.token })).status).toBe(200);
  });

  it("answers 422 for a malformed id", async () => {
    expect((await api.call("DELETE", "/api-keys/123", { key: org.key })).status).toBe(422);
  });
});
