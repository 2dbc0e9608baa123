import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newApp } from "../../app.ts";
import { connectDatabase, type Database } from "../../db/client.ts";
import { createApiDeps } from "../../deps.ts";
import type { App } from "../../lib/app-env.ts";
import { utcDayOf } from "../../services/usage/utc-periods.ts";
import { startTestApi, type TestApi, type TestOrg, testLogger } from "../../test/harness.ts";

let api: TestApi;
let org: TestOrg;
let other: TestOrg;
let secondDatabase: Database;
let second: App;

const email = {
  from: "a@acme.dev",
  to: ["b@example.com", "c@example.com"],
  subject: "s",
  text: "t",
};

beforeAll(async () => {
  api = await startTestApi({
    planQuotas: {
      free: { daily: 4, monthly: null },
      pro: { daily: null, monthly: null },
      enterprise: { daily: null, monthly: null },
    },
  });
  org = await api.createOrg();
  other = await api.createOrg("Other");
  secondDatabase = connectDatabase(api.database.url, { max: 4 });
  second = newApp(createApiDeps(api.config, testLogger(), { database: secondDatabase }));
});
afterAll(async () => {
  await secondDatabase.close();
  await api.close();
});

const send = (app: App, json: unknown, path = "/emails") =>
  app.request(path, {
    method: "POST",
    headers: { authorization: `Bearer ${org.key}`, "content-type": "application/json" },
    body: JSON.stringify(json),
  });

describe("send quotas", () => {
  it("answers 429 daily_quota_exceeded past the plan's daily quota, across API processes", async () => {
    expect((await send(api.app, email)).status).toBe(200);
    expect((await send(second, email)).status).toBe(200);
    // A batch that does not fit is refused whole (2 left, 3 asked).
    const batch = await send(second, [email, email, email], "/emails/batch");
    expect(batch.status).toBe(429);
    expect((await send(second, [email, email], "/emails/batch")).status).toBe(200);
    const refused = await send(api.app, email);
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { name: string; message: string };
    expect(body.name).toBe("daily_quota_exceeded");
    expect(body.message).toContain("daily email quota (4 emails)");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("leaves other organizations alone", async () => {
    const response = await api.call("POST", "/emails", { key: other.key, json: email });
    expect(response.status).toBe(200);
  });
});

describe("GET /usage", () => {
  it("shows each day's emails (one per email, whatever its recipients) and API calls, and the quotas", async () => {
    await second.request("/usage", { headers: { authorization: `Bearer ${org.key}` } });
    const response = await api.call("GET", "/usage", { key: org.key });
    expect(response.status).toBe(200);
    const today = utcDayOf(new Date());
    expect(response.body).toMatchObject({
      object: "usage",
      to: today,
      plan: "free",
      quotas: { daily: { limit: 4, used: 4 }, monthly: { limit: null, used: 4 } },
      totals: { emails: 4, contacts: 0 },
    });
    expect(response.body.data).toHaveLength(30);
    const last = response.body.data.at(-1);
    expect(last).toMatchObject({ day: today, emails: 4, contacts: 0 });
    // The refused sends and the usage reads are API calls too.
    expect(last.api_calls).toBeGreaterThanOrEqual(6);
    expect(response.body.data[0].emails).toBe(0);
  });

  it("reads a range", async () => {
    const response = await api.call("GET", "/usage?start=2026-01-30&end=2026-02-02", {
      key: org.key,
    });
    expect(response.body.data.map((day: { day: string }) => day.day)).toEqual([
      "2026-01-30",
      "2026-01-31",
      "2026-02-01",
      "2026-02-02",
    ]);
  });

  it("shows only the caller's organization", async () => {
    const response = await api.call("GET", "/usage", { key: other.key });
    expect(response.body.totals.emails).toBe(1);
  });

  it("answers days before 1970 as 1970 (year 0 was a 500: PostgreSQL has none)", async () => {
    const response = await api.call("GET", "/usage?start=0000-01-01&end=0000-12-31", {
      key: org.key,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ from: "1970-01-01", to: "1970-01-01" });
    expect(response.body.data).toEqual([
      { day: "1970-01-01", emails: 0, api_calls: 0, contacts: 0 },
    ]);
  });

  it.each([
    ["a date that is not one", "?start=2026-13-01"],
    ["start after end", "?start=2026-02-02&end=2026-02-01"],
    ["more than 366 days", "?start=2024-01-01&end=2026-01-01"],
    // The default `start` is computed from `end`: a bad one must not crash that (found by fuzzing).
    ["an empty end", "?end="],
    ["an end that is not a date", "?end=yesterday"],
  ])("answers 422 for %s", async (_, query) => {
    const response = await api.call("GET", `/usage${query}`, { key: org.key });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });

  it("is refused to a sending_access key", async () => {
    const response = await api.call("GET", "/usage", { key: org.sendingKey });
    expect(response.status).toBe(401);
  });
});
