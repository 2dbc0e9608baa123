import { asc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domainDailySends, domains, emailEvents, emails } from "../db/schema/index.ts";
import { utcDayStart } from "../services/domains/warmup-gate.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  type TestApi,
  type TestMail,
  type TestOrg,
} from "../test/harness.ts";
import { jobsForEmail } from "../test/jobs.ts";

// A warm-up schedule of 3 messages on the first day, unlimited after it.
const SCHEDULE = [3];
let api: TestApi;
let org: TestOrg;
let mail: TestMail;
let domainId: string;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  const created = await api.call("POST", "/domains", { key: org.key, json: { name: "warm.dev" } });
  domainId = created.body.id;
  // Verified as check-domain.ts would leave it, minus the warm-up start: the first send sets it.
  await api.database.db
    .update(domains)
    .set({ status: "verified", verifiedAt: new Date(), unverifiedSince: null })
    .where(eq(domains.id, domainId));
  mail = await startTestMail(api, { config: { warmupSchedule: SCHEDULE } });
});
afterAll(async () => {
  await mail.stop();
  await api.close();
});

const rowsOf = (ids: string[]) =>
  api.database.db.select().from(emails).where(inArray(emails.id, ids));

describe("warm-up of a new domain", () => {
  it("sends the day's allowance and defers the 4th email to the next UTC day without spending an attempt", async () => {
    const response = await api.call("POST", "/emails/batch", {
      key: org.key,
      json: Array.from({ length: 4 }, (_, i) => ({
        from: "Warm <hello@warm.dev>",
        to: `reader${i}@example.com`,
        subject: "warming up",
        text: "hi",
      })),
    });
    expect(response.status).toBe(200);
    const ids: string[] = response.body.data.map((item: { id: string }) => item.id);

    const settled = await eventually(
      async () => {
        const rows = await rowsOf(ids);
        const delivered = rows.filter((row) => row.status === "delivered");
        const waiting = rows.filter((row) => row.status === "queued" && row.lastError);
        return delivered.length === 3 && waiting.length === 1 ? waiting[0] : undefined;
      },
      15_000,
      "3 delivered, 1 waiting for tomorrow",
    );
    expect(settled).toMatchObject({
      status: "queued",
      lastEvent: "queued",
      attempts: 0,
      lockedBy: null,
      lastError: "warm-up allowance for warm.dev reached (3 today)",
    });
    expect(mail.catcher.messages).toHaveLength(3);

    const tomorrow = new Date(utcDayStart(new Date()).getTime() + 24 * 60 * 60 * 1000);
    const [job] = await jobsForEmail(api.database.sql, settled.id);
    expect(job).toMatchObject({ key: `email_send:${settled.id}`, attempts: 0 });
    expect(job?.run_at.toISOString()).toBe(tomorrow.toISOString());
    const events = await api.database.db
      .select({ type: emailEvents.type })
      .from(emailEvents)
      .where(eq(emailEvents.emailId, settled.id));
    expect(events.map((event) => event.type)).toEqual(["queued"]);
    const [count] = await api.database.db
      .select()
      .from(domainDailySends)
      .where(eq(domainDailySends.domainId, domainId));
    expect(count?.sent).toBe(3);
    const [domain] = await api.database.db.select().from(domains).where(eq(domains.id, domainId));
    expect(domain?.warmupStartedAt).toBeInstanceOf(Date);

    // The next day: the domain is a day older (a new worker, with nothing cached), and the
    // job's time has come. The email goes out on its first attempt.
    await mail.stop();
    await api.database.db
      .update(domains)
      .set({ warmupStartedAt: sql`${domains.warmupStartedAt} - interval '1 day'` })
      .where(eq(domains.id, domainId));
    await api.database.sql`
      update graphile_worker._private_jobs set run_at = now() where key = ${`email_send:${settled.id}`}`;
    mail = await startTestMail(api, { config: { warmupSchedule: SCHEDULE } });
    const sent = await eventually(
      async () => {
        const [row] = await rowsOf([settled.id]);
        return row?.status === "delivered" ? row : undefined;
      },
      15_000,
      "the deferred email delivered",
    );
    expect(sent.attempts).toBe(1);
    const types = await api.database.db
      .select({ type: emailEvents.type })
      .from(emailEvents)
      .where(eq(emailEvents.emailId, settled.id))
      .orderBy(asc(emailEvents.id));
    expect(types.map((event) => event.type)).toEqual(["queued", "sent", "delivered"]);
  }, 40_000);
});
