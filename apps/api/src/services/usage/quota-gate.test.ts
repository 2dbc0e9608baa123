import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase, type Database } from "../../db/client.ts";
import { organizations } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { type PlanQuotas, QuotaGate } from "./quota-gate.ts";
import { nextUtcDay, nextUtcMonth, utcDayOf } from "./utc-periods.ts";

let database: TestDatabase;
/** A second pool: another API process on the same database. */
let other: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  other = connectDatabase(database.url, { max: 4 });
});
afterAll(async () => {
  await other.close();
  await database.drop();
});

const quotas = (free: PlanQuotas["free"]): PlanQuotas => ({
  free,
  pro: { daily: null, monthly: null },
  enterprise: { daily: null, monthly: null },
});

async function newOrg(): Promise<string> {
  return (await createOrganization({ db: database.db, input: { name: "quota" } })).orgId;
}

/** How many of `attempts` single takes pass, and the errors of the others. */
async function takeEach(gate: QuotaGate, orgId: string, attempts: number) {
  const results = await Promise.allSettled(
    Array.from({ length: attempts }, () => gate.take(orgId, 1)),
  );
  return {
    passed: results.filter((result) => result.status === "fulfilled").length,
    errors: results.flatMap((result) =>
      result.status === "rejected" ? [result.reason as AppError] : [],
    ),
  };
}

describe("QuotaGate", () => {
  it("never admits more than the daily quota across two processes, and says when it resets", async () => {
    const orgId = await newOrg();
    const settings = quotas({ daily: 10, monthly: null });
    const gates = [
      new QuotaGate(database.sql, database.db, settings, { leaseShare: 0.3 }),
      new QuotaGate(other.sql, other.db, settings, { leaseShare: 0.3 }),
    ];
    const [a, b] = await Promise.all(gates.map((gate) => takeEach(gate, orgId, 12)));
    expect((a?.passed ?? 0) + (b?.passed ?? 0)).toBeLessThanOrEqual(10);
    // At most one unused lease per process is the error the other way.
    expect((a?.passed ?? 0) + (b?.passed ?? 0)).toBeGreaterThanOrEqual(10 - 2 * 3);
    const error = [...(a?.errors ?? []), ...(b?.errors ?? [])][0];
    expect(error).toBeInstanceOf(AppError);
    expect(error?.errorName).toBe("daily_quota_exceeded");
    expect(error?.message).toContain(nextUtcDay(new Date()).toISOString());
    expect(Number(error?.headers?.["retry-after"])).toBeGreaterThan(0);
    const [row] = await database.sql<{ reserved: string }[]>`
      select reserved from quota_reservations where org_id = ${orgId}`;
    expect(Number(row?.reserved)).toBe(10);
  });

  it("counts the month as the sum of its days", async () => {
    const orgId = await newOrg();
    const today = new Date();
    const gate = new QuotaGate(database.sql, database.db, quotas({ daily: null, monthly: 7 }));
    let earlier = 0;
    if (today.getUTCDate() > 1) {
      // Emails of an earlier day of this month.
      earlier = 5;
      await database.sql`insert into quota_reservations (org_id, day, reserved)
        values (${orgId}, ${utcDayOf(new Date(Date.now() - 86_400_000))}, 5)`;
    }
    const { passed, errors } = await takeEach(gate, orgId, 10);
    expect(passed).toBe(7 - earlier);
    expect(errors[0]?.errorName).toBe("monthly_quota_exceeded");
    expect(errors[0]?.message).toContain(nextUtcMonth(today).toISOString());
  });

  it("takes a batch whole or not at all", async () => {
    const orgId = await newOrg();
    const gate = new QuotaGate(database.sql, database.db, quotas({ daily: 5, monthly: null }));
    await gate.take(orgId, 2);
    await expect(gate.take(orgId, 4)).rejects.toMatchObject({
      errorName: "daily_quota_exceeded",
    });
    await gate.take(orgId, 3);
    await expect(gate.take(orgId, 1)).rejects.toBeInstanceOf(AppError);
  });

  it("gives back what a failed request took", async () => {
    const orgId = await newOrg();
    const gate = new QuotaGate(database.sql, database.db, quotas({ daily: 2, monthly: null }));
    await gate.take(orgId, 2);
    gate.giveBack(orgId, 1);
    await gate.take(orgId, 1);
    await expect(gate.take(orgId, 1)).rejects.toBeInstanceOf(AppError);
  });

  it("applies the organization's plan: no quota on an unlimited one, and costs nothing when none is set", async () => {
    const orgId = await newOrg();
    await database.db.update(organizations).set({ plan: "pro" }).where(eq(organizations.id, orgId));
    const gate = new QuotaGate(database.sql, database.db, quotas({ daily: 1, monthly: 1 }));
    expect((await takeEach(gate, orgId, 5)).passed).toBe(5);
    expect(await gate.quotaOf(orgId)).toEqual({
      plan: "pro",
      quota: { daily: null, monthly: null },
    });
    const off = new QuotaGate(database.sql, database.db, quotas({ daily: null, monthly: null }));
    await off.take("00000000-0000-7000-8000-000000000000", 1000);
  });
});
