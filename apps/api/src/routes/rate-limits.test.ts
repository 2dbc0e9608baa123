import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newApp } from "../app.ts";
import { connectDatabase, type Database } from "../db/client.ts";
import { createApiDeps } from "../deps.ts";
import type { App } from "../lib/app-env.ts";
import { startTestApi, type TestApi, type TestOrg, testLogger } from "../test/harness.ts";

/**
 * Request limits through the app: per key, per organization (shared by two API processes on
 * one database), per client address on the endpoints without a key.
 */
let api: TestApi;
let org: TestOrg;
let secondDatabase: Database;
let second: App;

beforeAll(async () => {
  api = await startTestApi({
    trustProxy: true,
    rateLimits: {
      perKey: { name: "key", ratePerSecond: 0.5, burst: 3 },
      perOrg: { name: "organization", ratePerSecond: 0.5, burst: 5 },
      perIp: { name: "ip", ratePerSecond: 0.5, burst: 2 },
      signInPerIp: null,
    },
  });
  org = await api.createOrg();
  secondDatabase = connectDatabase(api.database.url, { max: 4 });
  second = newApp(createApiDeps(api.config, testLogger(), { database: secondDatabase }));
});
afterAll(async () => {
  await secondDatabase.close();
  await api.close();
});

const get = (app: App, key: string, path = "/api-keys") =>
  app.request(path, { headers: { authorization: `Bearer ${key}` } });

describe("per key and per organization", () => {
  it("answers 429 rate_limit_exceeded with Resend's and the IETF's headers past the key's burst", async () => {
    const first = await get(api.app, org.key);
    expect(first.status).toBe(200);
    expect(first.headers.get("ratelimit-limit")).toBe("3");
    expect(first.headers.get("ratelimit-remaining")).toBe("2");
    expect(Number(first.headers.get("ratelimit-reset"))).toBeGreaterThan(0);
    expect(first.headers.get("ratelimit-policy")).toBe('"key";q=3;w=6, "organization";q=5;w=10');
    expect(first.headers.get("ratelimit")).toMatch(/^"key";r=2;t=\d+, "organization";r=4;t=\d+$/);
    expect((await get(api.app, org.key)).status).toBe(200);
    expect((await get(api.app, org.key)).status).toBe(200);
    const refused = await get(api.app, org.key);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({
      statusCode: 429,
      name: "rate_limit_exceeded",
      message: expect.stringContaining("key limit"),
      request_id: expect.any(String),
    });
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("shares the organization's limit among its keys and across API processes", async () => {
    const other = await api.createOrg("Shared");
    const statuses: number[] = [];
    for (const app of [api.app, second, api.app, second]) {
      statuses.push((await get(app, other.key, "/emails")).status);
      statuses.push((await get(app, other.sendingKey, "/emails")).status);
    }
    // Key buckets of 3 each, organization bucket of 5 for both keys on both processes (the
    // sending key's GETs are refused with 401 after the limits took their tokens).
    const admitted = statuses.filter((status) => status !== 429).length;
    expect(admitted).toBeGreaterThanOrEqual(4);
    expect(admitted).toBeLessThanOrEqual(6);
    expect(statuses).toContain(429);
  });

  it("leaves another organization alone", async () => {
    const fresh = await api.createOrg("Fresh");
    expect((await get(api.app, fresh.key)).status).toBe(200);
  });
});

describe("per client address, without a key", () => {
  const from = (ip: string, path: string, method = "GET") =>
    api.app.request(path, { method, headers: { "x-forwarded-for": ip } });

  it("answers unsubscribe with 429 past the address's burst, other addresses unaffected", async () => {
    expect((await from("198.51.100.1", "/unsubscribe/nope")).status).toBe(404);
    expect((await from("198.51.100.1", "/unsubscribe/nope")).status).toBe(404);
    const refused = await from("198.51.100.1", "/unsubscribe/nope");
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { name: string }).name).toBe("rate_limit_exceeded");
    expect(refused.headers.get("retry-after")).not.toBeNull();
    expect((await from("198.51.100.2", "/unsubscribe/nope")).status).toBe(404);
  });

  it("still serves the open pixel and the click redirect over the limit, recording nothing", async () => {
    for (let i = 0; i < 4; i++) {
      const pixel = await from("198.51.100.3", "/t/o/invalid-token");
      expect(pixel.status).toBe(200);
      expect(pixel.headers.get("content-type")).toBe("image/gif");
    }
  });

  it("limits /feedback/ses too", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await from("198.51.100.4", "/feedback/ses", "POST")).status);
    }
    expect(statuses[2]).toBe(429);
  });
});

describe("usage", () => {
  it("counts the API calls, refused ones included", async () => {
    await api.deps.usage.flush();
    const [row] = await api.database.sql<{ calls: string }[]>`
      select coalesce(sum(api_calls), 0) as calls from usage_daily where org_id = ${org.orgId}`;
    expect(Number(row?.calls)).toBeGreaterThanOrEqual(4);
  });
});
