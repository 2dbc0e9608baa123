import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ReputationSettings } from "../../config.ts";
import { sendingStats, sendingStatsCursor } from "../../db/schema/index.ts";
import { createTestDatabase, type TestDatabase } from "../../test/database.ts";
import { testConfig } from "../../test/harness.ts";
import {
  idAt,
  insertEvents,
  organization,
  sentEmail,
  verifiedDomain,
} from "../../test/reputation-events.ts";
import { utcDay } from "./rates.ts";
import { type UpdateReputationDeps, updateReputation } from "./update-reputation.ts";

let database: TestDatabase;
let deps: UpdateReputationDeps;
const settings: ReputationSettings = {
  windowDays: 7,
  // Nothing pauses here: this file is about counting.
  minSent: 1_000_000,
  bounceRateThreshold: 0.04,
  complaintRateThreshold: 0.003,
  holdMs: 3_600_000,
  statsMarginMs: 10_000,
};

beforeAll(async () => {
  database = await createTestDatabase();
  deps = { db: database.db, config: testConfig(database.url), settings };
});
afterAll(() => database.drop());

// Each test starts from zero: the cursor and the counters are global to the database.
beforeEach(async () => {
  await database.db.delete(sendingStats);
  await database.db.delete(sendingStatsCursor);
  await database.sql`delete from email_events`;
});

async function stats(scope: "organization" | "domain", scopeId: string, day = utcDay(new Date())) {
  const [row] = await database.db
    .select()
    .from(sendingStats)
    .where(
      and(
        eq(sendingStats.scope, scope),
        eq(sendingStats.scopeId, scopeId),
        eq(sendingStats.day, day),
      ),
    );
  return row ? { sent: row.sent, bounced: row.bounced, complained: row.complained } : undefined;
}

async function cursor() {
  const [row] = await database.db.select().from(sendingStatsCursor);
  return row?.lastEventId ?? null;
}

/** One org sending from one domain and from an address on no domain (dev mode). */
async function sender() {
  const orgId = await organization(database.db);
  const domainId = await verifiedDomain(database.db, orgId, `${orgId.slice(-12)}.dev`);
  return {
    orgId,
    domainId,
    fromDomain: await sentEmail(database.db, orgId, domainId),
    noDomain: await sentEmail(database.db, orgId, null),
  };
}

describe("counting email_events", () => {
  it("counts recipients of sent, bounced and complained events per organization, domain and UTC day", async () => {
    const s = await sender();
    const { orgId } = s;
    const yesterday = new Date(Date.now() - 86_400_000);
    await insertEvents(database.db, [
      { emailId: s.fromDomain, orgId, type: "queued" },
      { emailId: s.fromDomain, orgId, type: "sent", recipients: 3 },
      { emailId: s.fromDomain, orgId, type: "delivered", recipients: 3 },
      { emailId: s.fromDomain, orgId, type: "bounced", recipients: 2, source: "dsn" },
      { emailId: s.fromDomain, orgId, type: "complained", recipients: 1 },
      // No recipient list: one recipient.
      { emailId: s.fromDomain, orgId, type: "complained" },
      { emailId: s.noDomain, orgId, type: "sent", recipients: 5 },
      { emailId: s.noDomain, orgId, type: "suppressed", recipients: 4 },
      { emailId: s.noDomain, orgId, type: "sent", recipients: 7, createdAt: yesterday },
    ]);

    const run = await updateReputation(deps);
    expect(run.events).toBe(9);
    expect(await stats("domain", s.domainId)).toEqual({ sent: 3, bounced: 2, complained: 2 });
    expect(await stats("organization", orgId)).toEqual({ sent: 8, bounced: 2, complained: 2 });
    expect(await stats("organization", orgId, utcDay(yesterday))).toEqual({
      sent: 7,
      bounced: 0,
      complained: 0,
    });
    expect(await stats("domain", s.domainId, utcDay(yesterday))).toBeUndefined();
  });

  it("reads in chunks, and a second run counts nothing again", async () => {
    const s = await sender();
    const base = Date.now() - 60_000;
    const ids = await insertEvents(
      database.db,
      Array.from({ length: 10 }, (_, i) => ({
        emailId: s.fromDomain,
        orgId: s.orgId,
        type: "sent" as const,
        recipients: 1,
        at: base + i,
      })),
    );
    expect((await updateReputation({ ...deps, chunkSize: 3 })).events).toBe(10);
    expect(await stats("domain", s.domainId)).toMatchObject({ sent: 10 });
    expect(await cursor()).toBe(ids.at(-1));

    expect((await updateReputation({ ...deps, chunkSize: 3 })).events).toBe(0);
    expect(await stats("domain", s.domainId)).toMatchObject({ sent: 10 });

    const [later] = await insertEvents(database.db, [
      {
        emailId: s.fromDomain,
        orgId: s.orgId,
        type: "bounced",
        recipients: 1,
        source: "dsn",
        at: base + 100,
      },
    ]);
    expect((await updateReputation({ ...deps, chunkSize: 3 })).events).toBe(1);
    expect(await stats("domain", s.domainId)).toEqual({ sent: 10, bounced: 1, complained: 0 });
    expect(await cursor()).toBe(later);
  });

  it("counts once when two runs overlap (they take turns on the cursor)", async () => {
    const s = await sender();
    const base = Date.now() - 60_000;
    await insertEvents(
      database.db,
      Array.from({ length: 50 }, (_, i) => ({
        emailId: s.noDomain,
        orgId: s.orgId,
        type: "sent" as const,
        recipients: 2,
        at: base + i,
      })),
    );
    const runs = await Promise.all([
      updateReputation({ ...deps, chunkSize: 7 }),
      updateReputation({ ...deps, chunkSize: 7 }),
    ]);
    expect(runs[0].events + runs[1].events).toBe(50);
    expect(await stats("organization", s.orgId)).toMatchObject({ sent: 100 });
  });

  it("leaves counters and cursor as they were when a chunk fails halfway", async () => {
    const s = await sender();
    // The domain's counter is one short of PostgreSQL's integer limit: adding 2 fails the
    // chunk's upsert after the organization's rows were written in the same statement.
    await database.db.insert(sendingStats).values({
      scope: "domain",
      scopeId: s.domainId,
      day: utcDay(new Date()),
      sent: 2_147_483_646,
    });
    await insertEvents(database.db, [
      { emailId: s.noDomain, orgId: s.orgId, type: "sent", recipients: 1 },
      { emailId: s.fromDomain, orgId: s.orgId, type: "sent", recipients: 2 },
    ]);
    await expect(updateReputation(deps)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/out of range/) },
    });
    expect(await cursor()).toBeNull();
    expect(await stats("organization", s.orgId)).toBeUndefined();

    await database.db
      .update(sendingStats)
      .set({ sent: 0 })
      .where(eq(sendingStats.scopeId, s.domainId));
    expect((await updateReputation(deps)).events).toBe(2);
    expect(await stats("organization", s.orgId)).toMatchObject({ sent: 3 });
    expect(await stats("domain", s.domainId)).toMatchObject({ sent: 2 });
  });
});

describe("events committed late", () => {
  it("does not read events younger than the margin", async () => {
    const s = await sender();
    await insertEvents(database.db, [
      { emailId: s.noDomain, orgId: s.orgId, type: "sent", recipients: 1, at: Date.now() },
    ]);
    expect((await updateReputation(deps)).events).toBe(0);
    expect(await cursor()).toBeNull();
    const noMargin = { ...deps, settings: { ...settings, statsMarginMs: 0 } };
    expect((await updateReputation(noMargin)).events).toBe(1);
  });

  it("waits for a transaction still writing: its smaller id is counted once it commits, not skipped", async () => {
    const s = await sender();
    const margin = { ...deps, settings: { ...settings, statsMarginMs: 1000 } };
    const lateId = Date.now() - 300;
    let commit = () => {};
    const committed = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let inserted = () => {};
    const insertedLate = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    // Another process: its event's id was made (lateId), then its transaction lingers.
    const open = database.sql.begin(async (tx) => {
      await tx`insert into email_events (id, org_id, email_id, type, details, created_at)
        values (${idAt(lateId)}, ${s.orgId}, ${s.noDomain},
          'bounced', ${JSON.stringify({ recipients: ["late@example.com"], source: "dsn" })}::jsonb, now())`;
      inserted();
      await committed;
    });
    await Promise.race([insertedLate, open]);
    // Meanwhile a later event commits, and both ids become older than the margin.
    await insertEvents(database.db, [
      { emailId: s.noDomain, orgId: s.orgId, type: "sent", recipients: 4, at: Date.now() },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 1300));

    // By time alone both could be read; the open transaction holds the horizon below its id.
    expect((await updateReputation(margin)).events).toBe(0);
    expect(await stats("organization", s.orgId)).toBeUndefined();

    commit();
    await open;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await updateReputation(margin)).events).toBe(2);
    expect(await stats("organization", s.orgId)).toEqual({ sent: 4, bounced: 1, complained: 0 });
    expect((await updateReputation(margin)).events).toBe(0);
    expect(await stats("organization", s.orgId)).toEqual({ sent: 4, bounced: 1, complained: 0 });
  });
});
