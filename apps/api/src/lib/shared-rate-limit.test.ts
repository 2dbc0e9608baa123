import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, type Database } from "../db/client.ts";
import { createTestDatabase, type TestDatabase } from "../test/database.ts";
import { reserveTokens, SharedRateLimiter } from "./shared-rate-limit.ts";

let database: TestDatabase;
/** A second connection pool: another process's view of the same database. */
let other: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  other = connectDatabase(database.url, { max: 4 });
});
afterAll(async () => {
  await other.close();
  await database.drop();
});

describe("reserveTokens", () => {
  it("creates a full bucket on first use, then lends against the refill", async () => {
    const bucket = { key: "test:reserve", capacity: 5, ratePerSecond: 1 };
    expect(await reserveTokens(database.sql, bucket, 3)).toBeCloseTo(2, 1);
    expect(await reserveTokens(other.sql, bucket, 3)).toBeCloseTo(-1, 1);
    const [row] = await database.sql`select tokens from rate_buckets where key = 'test:reserve'`;
    expect(Number(row?.tokens)).toBeCloseTo(-1, 1);
  });

  it("never refills past the capacity", async () => {
    const bucket = { key: "test:capacity", capacity: 2, ratePerSecond: 1000 };
    await reserveTokens(database.sql, bucket, 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await reserveTokens(database.sql, bucket, 1)).toBeCloseTo(1, 5);
  });
});

describe("SharedRateLimiter", () => {
  it("sizes leases from the rate: one reservation per 50 ms of sending, 1 to 50 tokens", () => {
    const limiter = new SharedRateLimiter(database.sql);
    expect(limiter.leaseSize(5)).toBe(1);
    expect(limiter.leaseSize(200)).toBe(10);
    expect(limiter.leaseSize(100_000)).toBe(50);
  });

  it("holds one rate across two processes together", async () => {
    const rate = 10;
    const perProcess = 15;
    const limiters = [new SharedRateLimiter(database.sql), new SharedRateLimiter(other.sql)];
    const started = Date.now();
    await Promise.all(
      limiters.flatMap((limiter) =>
        Array.from({ length: perProcess }, () => limiter.take("test:shared", rate)),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    // 30 tokens, the first 10 from the full bucket: 2 s at 10/s together. Counted per
    // process, the limit would let them through in 0.5 s.
    expect(seconds).toBeGreaterThan(1.5);
    expect(seconds).toBeLessThan(5);
  });

  it("does not limit an unlimited rate, and fails waiters when the database does", async () => {
    const limiter = new SharedRateLimiter(database.sql);
    await limiter.take("test:unlimited", Number.POSITIVE_INFINITY);
    const broken = connectDatabase("postgres://nobody@127.0.0.1:1/none", { max: 1 });
    const failing = new SharedRateLimiter(broken.sql);
    await expect(failing.take("test:broken", 5)).rejects.toThrow();
    await broken.close();
  });
});
