import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";

let api: TestApi;
let org: TestOrg;
let other: TestOrg;
let domainId: string;
let keyId: string;

beforeAll(async () => {
  api = await startTestApi({ trustProxy: true });
  org = await api.createOrg();
  other = await api.createOrg("Other");
  const headers = { "x-forwarded-for": "203.0.113.9", "user-agent": "audit-test/1.0" };
  keyId = (await api.call("POST", "/api-keys", { key: org.key, json: { name: "ci" }, headers }))
    .body.id;
  domainId = (
    await api.call("POST", "/domains", { key: org.key, json: { name: "audit.dev" }, headers })
  ).body.id;
  await api.call("PATCH", `/domains/${domainId}`, { key: org.key, json: { open_tracking: true } });
  await api.call("POST", "/suppressions", { key: org.key, json: { email: "x@example.com" } });
  await api.call("DELETE", "/suppressions/x@example.com", { key: org.key });
  const webhook = await api.call("POST", "/webhooks", {
    key: org.key,
    json: { endpoint: "https://example.com/hook", events: ["email.sent"] },
  });
  await api.call("POST", `/webhooks/${webhook.body.id}/signing-secret/rotate`, { key: org.key });
  await api.call("DELETE", `/api-keys/${keyId}`, { key: org.key });
  await api.call("POST", "/api-keys", { key: other.key, json: { name: "theirs" } });
});
afterAll(() => api.close());

const list = (query = "", key = org.key) => api.call("GET", `/audit-logs${query}`, { key });

describe("GET /audit-logs", () => {
  it("lists the organization's mutations, newest first, with who, from where and which request", async () => {
    const response = await list("?limit=100");
    expect(response.status).toBe(200);
    const actions = response.body.data.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "organization.created",
        "api_key.created",
        "domain.created",
        "domain.updated",
        "suppression.added",
        "suppression.removed",
        "webhook.created",
        "webhook.secret_rotated",
        "api_key.revoked",
      ]),
    );
    expect(actions[0]).toBe("api_key.revoked");
    const created = response.body.data.find(
      (entry: { action: string; target: { id: string } }) =>
        entry.action === "api_key.created" && entry.target.id === keyId,
    );
    expect(created).toMatchObject({
      object: "audit_log",
      actor: { type: "api_key", id: expect.any(String) },
      target: { type: "api_key", id: keyId },
      ip: "203.0.113.9",
      user_agent: "audit-test/1.0",
      request_id: expect.any(String),
      details: { name: "ci", permission: "full_access" },
    });
    // Never a secret: no token, no webhook signing secret.
    expect(JSON.stringify(response.body)).not.toMatch(/ts_[\w-]{20}|whsec_/);
  });

  it("shows nothing of another organization", async () => {
    const theirs = await list("?limit=100", other.key);
    expect(
      theirs.body.data.every(
        (entry: { details: { name?: string } }) => entry.details?.name !== "ci",
      ),
    ).toBe(true);
    const mine = await list("?limit=100");
    expect(
      mine.body.data.some(
        (entry: { details: { name?: string } }) => entry.details?.name === "theirs",
      ),
    ).toBe(false);
  });

  it("filters by action, kind of action, actor, target and time", async () => {
    const revoked = await list("?action=api_key.revoked");
    expect(revoked.body.data).toHaveLength(1);
    const keys = await list("?action=api_key.*&limit=100");
    expect(new Set(keys.body.data.map((entry: { action: string }) => entry.action))).toEqual(
      new Set(["api_key.created", "api_key.revoked"]),
    );
    const domain = await list(`?target_type=domain&target_id=${domainId}`);
    expect(domain.body.data.map((entry: { action: string }) => entry.action)).toEqual([
      "domain.updated",
      "domain.created",
    ]);
    const system = await list("?actor_type=system");
    expect(system.body.data.map((entry: { action: string }) => entry.action)).toContain(
      "organization.created",
    );
    const actorId = revoked.body.data[0].actor.id;
    const byActor = await list(`?actor_id=${actorId}&limit=100`);
    expect(byActor.body.data.length).toBeGreaterThan(5);
    const future = await list("?created_after=2099-01-01T00:00:00Z");
    expect(future.body.data).toEqual([]);
    const past = await list("?created_before=2000-01-01T00:00:00Z");
    expect(past.body.data).toEqual([]);
    // Bounds before 1970 (year 0 was a 500: PostgreSQL has none) mean 1970.
    const yearZero = await list(
      "?created_after=0000-01-01T00:00:00Z&created_before=0001-01-01T00:00:00Z",
    );
    expect(yearZero.status).toBe(200);
    expect(yearZero.body.data).toEqual([]);
    const sinceYearZero = await list("?created_after=0000-01-01T00:00:00Z&limit=100");
    expect(sinceYearZero.body.data).toEqual((await list("?limit=100")).body.data);
  });

  it("pages with after and before", async () => {
    const first = await list("?limit=2");
    expect(first.body.has_more).toBe(true);
    const second = await list(`?limit=2&after=${first.body.data[1].id}`);
    expect(second.body.data[0].id < first.body.data[1].id).toBe(true);
    const back = await list(`?limit=2&before=${second.body.data[0].id}`);
    expect(back.body.data.map((entry: { id: string }) => entry.id)).toEqual(
      first.body.data.map((entry: { id: string }) => entry.id),
    );
  });

  it.each([
    ["a bad action", "?action=DROP TABLE"],
    ["a bad actor type", "?actor_type=robot"],
    ["a bad actor id", "?actor_id=123"],
    ["a reversed range", "?created_after=2026-02-01T00:00:00Z&created_before=2026-01-01T00:00:00Z"],
    ["a bad limit", "?limit=0"],
  ])("answers 422 for %s", async (_, query) => {
    const response = await list(query);
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });

  it("is refused to a sending_access key", async () => {
    const response = await list("", org.sendingKey);
    expect(response.status).toBe(401);
    expect(response.body.name).toBe("restricted_api_key");
  });
});

describe("GET /audit-logs/export", () => {
  it("streams NDJSON, oldest first, with the filters", async () => {
    const response = await api.app.request("/audit-logs/export?action=domain.*", {
      headers: { authorization: `Bearer ${org.key}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    const lines = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.action)).toEqual(["domain.created", "domain.updated"]);
    expect(lines[0]).toMatchObject({ object: "audit_log", target: { id: domainId } });
  });

  it("streams CSV with a header row", async () => {
    const response = await api.app.request("/audit-logs/export?format=csv&action=api_key.revoked", {
      headers: { authorization: `Bearer ${org.key}` },
    });
    expect(response.headers.get("content-type")).toContain("text/csv");
    const rows = (await response.text()).trim().split("\r\n");
    expect(rows[0]).toBe(
      "id,created_at,action,actor_type,actor_id,target_type,target_id,ip,user_agent,request_id,details",
    );
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`api_key.revoked,api_key,`);
    expect(rows[1]).toContain(keyId);
  });

  it("answers 422 for an unknown format", async () => {
    const response = await api.call("GET", "/audit-logs/export?format=xml", { key: org.key });
    expect(response.status).toBe(422);
  });
});

describe("audit_logs in the database", () => {
  it("refuses UPDATE, DELETE and TRUNCATE, whoever asks", async () => {
    const { sql } = api.database;
    await expect(sql`update audit_logs set action = 'forged'`).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_logs`).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_logs`).rejects.toThrow(/append-only/);
    // Even an UPDATE that matches no row.
    await expect(sql`update audit_logs set action = 'x' where false`).rejects.toThrow(
      /append-only/,
    );
    const [row] = await sql`select count(*)::int as n from audit_logs where action = 'forged'`;
    expect(row?.n).toBe(0);
  });

  it("records nothing for a change that failed", async () => {
    const before = await list("?action=domain.created");
    // The same name again: the insert fails, and so does its audit entry.
    const failed = await api.call("POST", "/domains", {
      key: org.key,
      json: { name: "audit.dev" },
    });
    expect(failed.status).toBe(422);
    const after = await list("?action=domain.created");
    expect(after.body.data).toHaveLength(before.body.data.length);
  });
});
