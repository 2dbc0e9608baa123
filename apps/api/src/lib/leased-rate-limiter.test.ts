import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, type Database } from "../db/client.ts";
import { createTestDatabase, type TestDatabase } from "../test/database.ts";
import { LeasedRateLimiter, type RatePolicy } from "./leased-rate-limiter.ts";

let database: TestDatabase;
/** A second pool: another API process's view of the same database. */
let other: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  other = connectDatabase(database.url, { max: 4 });
});
afterAll(async () => {
  await other.close();
  await database.drop();
});

async function takeMany(limiter: LeasedRateLimiter, key: string, policy: RatePolicy, n: number) {
  let allowed = 0;
  for (let i = 0; i < n; i++) if ((await limiter.take(key, policy)).allowed) allowed++;
  return allowed;
}

describe("LeasedRateLimiter", () => {
  it("sizes leases from the rate: a tenth of a second of it, 1 to 500, never past the burst", () => {
    const limiter = new LeasedRateLimiter(database.sql);
    expect(limiter.leaseSize({ name: "x", ratePerSecond: 2, burst: 4 })).toBe(1);
    expect(limiter.leaseSize({ name: "x", ratePerSecond: 100, burst: 200 })).toBe(10);
    expect(limiter.leaseSize({ name: "x", ratePerSecond: 1e6, burst: 2e6 })).toBe(500);
    expect(limiter.leaseSize({ name: "x", ratePerSecond: 100, burst: 5 })).toBe(5);
  });

  it("admits the burst, then refuses with the time until the next token", async () => {
    const limiter = new LeasedRateLimiter(database.sql);
    const policy = { name: "key", ratePerSecond: 1, burst: 5 };
    expect(await takeMany(limiter, "t:burst", policy, 8)).toBe(5);
    const refused = await limiter.take("t:burst", policy);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.resetSeconds).toBeGreaterThanOrEqual(1);
  });

  it("answers without the database while its lease lasts, and refuses without it while empty", async () => {
    const limiter = new LeasedRateLimiter(database.sql);
    const policy = { name: "key", ratePerSecond: 1000, burst: 2000 };
    expect((await limiter.take("t:sync", policy)).allowed).toBe(true);
    // The lease (100 tokens) is local: the next takes are plain values, not promises.
    const next = limiter.take("t:sync", policy);
    expect(next instanceof Promise).toBe(false);
    const slow = { name: "key", ratePerSecond: 0.5, burst: 1 };
    await limiter.take("t:empty", slow);
    await limiter.take("t:empty", slow);
    const refused = limiter.take("t:empty", slow);
    expect(refused instanceof Promise).toBe(false);
    expect((refused as { allowed: boolean }).allowed).toBe(false);
  });

  it("holds one limit across two processes, within one lease per process", async () => {
    const policy = { name: "org", ratePerSecond: 20, burst: 20 };
    const first = new LeasedRateLimiter(database.sql);
    const second = new LeasedRateLimiter(other.sql);
    // Both pools connected first: otherwise, on a busy machine, the first process can drain
    // the whole bucket while the second is still opening its connection.
    await Promise.all([database.sql`select 1`, other.sql`select 1`]);
    const started = Date.now();
    const [a, b] = await Promise.all([
      takeMany(first, "t:shared", policy, 60),
      takeMany(second, "t:shared", policy, 60),
    ]);
    const seconds = (Date.now() - started) / 1000;
    const total = a + b;
    const lease = first.leaseSize(policy);
    // The bucket allows its burst plus what refilled meanwhile, for both processes together.
    const bound = policy.burst + policy.ratePerSecond * seconds;
    expect(total).toBeLessThanOrEqual(Math.ceil(bound) + 2 * lease);
    expect(total).toBeGreaterThanOrEqual(policy.burst - 2 * lease);
    // Counted per process, each would have admitted the whole burst.
    expect(total).toBeLessThan(2 * policy.burst);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
  });

  it("refills at the rate", async () => {
    const limiter = new LeasedRateLimiter(database.sql);
    const policy = { name: "key", ratePerSecond: 10, burst: 2 };
    expect(await takeMany(limiter, "t:refill", policy, 5)).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await takeMany(limiter, "t:refill", policy, 5)).toBeGreaterThanOrEqual(2);
  });

  it("admits when the database is down rather than failing the request", async () => {
    const broken = connectDatabase("postgres://nobody@127.0.0.1:1/none", { max: 1 });
    try {
      const limiter = new LeasedRateLimiter(broken.sql);
      const decision = await limiter.take("t:down", { name: "key", ratePerSecond: 1, burst: 1 });
      expect(decision.allowed).toBe(true);
    } finally {
      await broken.close();
    }
  });
});
