import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domainDailySends, domains } from "../../db/schema/index.ts";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";
import { utcDayStart, WarmupGate } from "./warmup-gate.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
let api: TestApi;
let org: TestOrg;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
});
afterAll(() => api.close());

let count = 0;
async function domain(): Promise<string> {
  const name = `warm-${++count}.dev`;
  return (await api.call("POST", "/domains", { key: org.key, json: { name } })).body.id;
}

/** A gate whose clock is `days` after now. */
const gateAt = (schedule: number[], days: number) =>
  new WarmupGate(api.database.db, schedule, { clock: () => new Date(Date.now() + days * DAY_MS) });

async function sentOn(domainId: string, days: number): Promise<number | undefined> {
  const day = utcDayStart(new Date(Date.now() + days * DAY_MS))
    .toISOString()
    .slice(0, 10);
  const [row] = await api.database.db
    .select()
    .from(domainDailySends)
    .where(and(eq(domainDailySends.domainId, domainId), eq(domainDailySends.day, day)));
  return row?.sent;
}

describe("WarmupGate", () => {
  it("admits each day's allowance, then sends the rest to the next UTC day, then is unlimited", async () => {
    const id = await domain();
    const today = gateAt([2, 3], 0);
    expect(await today.admit(id, 1)).toEqual({ admitted: true });
    expect(await today.admit(id, 1)).toEqual({ admitted: true });
    expect(await today.admit(id, 1)).toEqual({
      admitted: false,
      allowance: 2,
      nextDay: new Date(utcDayStart(new Date()).getTime() + DAY_MS),
    });
    expect(await sentOn(id, 0)).toBe(2);

    const tomorrow = gateAt([2, 3], 1);
    for (let i = 0; i < 3; i++) expect((await tomorrow.admit(id, 1)).admitted).toBe(true);
    expect((await tomorrow.admit(id, 1)).admitted).toBe(false);

    const later = gateAt([2, 3], 2);
    for (let i = 0; i < 5; i++) expect((await later.admit(id, 1)).admitted).toBe(true);
    expect(await sentOn(id, 2)).toBeUndefined();
  });

  it("starts the schedule at the first send when the domain has no start yet", async () => {
    const id = await domain();
    await gateAt([1], 0).admit(id, 1);
    const [row] = await api.database.db.select().from(domains).where(eq(domains.id, id));
    expect(row?.warmupStartedAt).toBeInstanceOf(Date);
  });

  it("counts from a start set earlier (its verification), so an older domain is past it", async () => {
    const id = await domain();
    await api.database.db
      .update(domains)
      .set({ warmupStartedAt: sql`now() - interval '3 days'` })
      .where(eq(domains.id, id));
    const gate = gateAt([1, 1, 1], 0);
    for (let i = 0; i < 3; i++) expect((await gate.admit(id, 1)).admitted).toBe(true);
  });

  it("lets a day's first email through even when it has more recipients than the allowance", async () => {
    const id = await domain();
    const gate = gateAt([2], 0);
    expect((await gate.admit(id, 5)).admitted).toBe(true);
    expect((await gate.admit(id, 1)).admitted).toBe(false);
  });

  it("never admits more than the allowance when two workers ask at once", async () => {
    const id = await domain();
    const gates = [gateAt([5], 0), gateAt([5], 0)];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => gates[i % 2]?.admit(id, 1)),
    );
    expect(answers.filter((answer) => answer?.admitted)).toHaveLength(5);
    expect(await sentOn(id, 0)).toBe(5);
  });
});
