import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domains, emailEvents, emails, events, organizations } from "../db/schema/index.ts";
import { commitEmailWrites } from "../services/emails/email-writer.ts";
import { mergeWrites, prepareEmail } from "../services/emails/prepare-email.ts";
import { updateReputation } from "../services/reputation/update-reputation.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  type TestApi,
  type TestMail,
  type TestOrg,
  testConfig,
} from "../test/harness.ts";
import { insertEvents, sentEmail } from "../test/reputation-events.ts";

// A small minimum volume keeps the test quick; the margin lets events be read within a second.
let api: TestApi;
let mail: TestMail;
let org: TestOrg;
let bouncy: string;
/** Why bouncy.dev was paused: its counts depend on how far the counting had got. */
let bouncyReason: string;

beforeAll(async () => {
  const defaults = testConfig("postgres://localhost/unused").reputation;
  api = await startTestApi({ reputation: { ...defaults, minSent: 20, statsMarginMs: 300 } });
  org = await api.createOrg();
  mail = await startMail();
  bouncy = await verifiedDomain(org, "bouncy.dev");
});
afterAll(async () => {
  await mail.stop();
  await api.close();
});

/** The SMTP sink refuses `unknown-*` recipients as a real server refuses a missing mailbox. */
const startMail = () =>
  startTestMail(api, {
    catcher: {
      refuseRecipient: (address) =>
        address.startsWith("unknown-")
          ? { code: 550, message: "5.1.1 <unknown>: Recipient address rejected: User unknown" }
          : undefined,
    },
  });

async function verifiedDomain(owner: TestOrg, name: string): Promise<string> {
  const response = await api.call("POST", "/domains", { key: owner.key, json: { name } });
  // As verification leaves it once the records are found (routes/domains tests that part).
  await api.database.db
    .update(domains)
    .set({ status: "verified", verifiedAt: new Date() })
    .where(eq(domains.id, response.body.id));
  api.deps.senders.domains.forget(owner.orgId);
  return response.body.id;
}

const runJob = () =>
  updateReputation({
    db: api.database.db,
    config: api.config,
    settings: api.config.reputation,
  });

/** Runs the job until `check` holds: events become readable once older than the margin. */
async function runJobUntil<T>(check: () => Promise<T | undefined | false | null>, what: string) {
  return eventually(
    async () => {
      await runJob();
      return check();
    },
    15_000,
    what,
  );
}

async function sendBatch(owner: TestOrg, from: string, recipients: string[]) {
  const response = await api.call("POST", "/emails/batch", {
    key: owner.key,
    json: recipients.map((to) => ({ from, to, subject: "reputation", text: "hi" })),
  });
  expect(response.status).toBe(200);
  return (response.body.data as { id: string }[]).map((entry) => entry.id);
}

const recipients = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => `${prefix}-${i}@example.com`);

async function settled(ids: string[]) {
  await eventually(
    async () => {
      const rows = await api.database.db
        .select({ status: emails.status })
        .from(emails)
        .where(inArray(emails.id, ids));
      return rows.every((row) => row.status === "delivered" || row.status === "bounced");
    },
    20_000,
    "emails delivered or bounced",
  );
}

const domainRow = async (id: string) =>
  (await api.database.db.select().from(domains).where(eq(domains.id, id)))[0];
const orgRow = async (id: string) =>
  (await api.database.db.select().from(organizations).where(eq(organizations.id, id)))[0];
const emailRow = async (id: string) =>
  (await api.database.db.select().from(emails).where(eq(emails.id, id)))[0];
const eventTypes = async (id: string) =>
  (
    await api.database.db
      .select({ type: emailEvents.type })
      .from(emailEvents)
      .where(eq(emailEvents.emailId, id))
      .orderBy(asc(emailEvents.id))
  ).map((event) => event.type);

async function jobsOf(emailId: string) {
  const rows = await api.database.sql<
    { key: string | null; run_at: string; max_attempts: number; flags: unknown }[]
  >`select key, run_at::text, max_attempts, flags from graphile_worker._private_jobs
    where payload::jsonb->'email_ids' ? ${emailId}`;
  return rows.map((row) => ({ ...row, run_at: new Date(row.run_at) }));
}

const send = (owner: TestOrg, from: string, extra: object = {}) =>
  api.call("POST", "/emails", {
    key: owner.key,
    json: { from, to: "someone@example.com", subject: "s", text: "t", ...extra },
  });

describe("bounces past 4%", () => {
  it("pause the domain (not the organization, whose other mail is fine)", async () => {
    // Mail from a domain that is not a verified one (dev mode): the organization's only. Sent
    // first, so that the organization's rate stays below 4% however far the counting got.
    const fine = await sendBatch(org, "hello@elsewhere.dev", recipients(60, "friend"));
    await settled(fine);
    await runJobUntil(
      async () =>
        (await api.call("GET", "/reputation", { key: org.key })).body.organization.sent === 60,
      "good mail counted",
    );
    const ids = await sendBatch(org, "News <news@bouncy.dev>", [
      ...recipients(22, "reader"),
      ...recipients(3, "unknown"),
    ]);
    await settled(ids);

    const paused = await runJobUntil(async () => {
      const row = await domainRow(bouncy);
      return row?.sendingPausedAt ? row : undefined;
    }, "domain paused");
    // Paused as soon as 20 were counted with a rate past 4% (the job may run mid-batch).
    bouncyReason = paused.sendingPausedReason ?? "";
    expect(bouncyReason).toMatch(
      /^bounce rate [\d.]+% \([123] bounced of 2[0-5] sent in the last 7 days\) is above the 4% threshold$/,
    );
    expect((await orgRow(org.orgId))?.sendingPausedAt).toBeNull();

    const [event] = await api.database.db
      .select()
      .from(events)
      .where(eq(events.objectId, bouncy))
      .orderBy(asc(events.id))
      .offset(1); // after domain.created
    expect(event).toMatchObject({
      type: "domain.updated",
      data: {
        object: "domain",
        name: "bouncy.dev",
        sending_paused_at: paused.sendingPausedAt?.toISOString(),
        sending_paused_reason: paused.sendingPausedReason,
        reputation: { complained: 0, bounce_rate: expect.any(Number) },
      },
    });

    const reputation = await runJobUntil(async () => {
      const response = await api.call("GET", "/reputation", { key: org.key });
      return response.body.organization.sent === 85 ? response.body : undefined;
    }, "all counted");
    expect(reputation.organization).toMatchObject({ bounced: 3, paused: false });
    // The 3 refused at the hand-over count as sent too: they were attempted.
    expect(reputation.domains[0]).toMatchObject({
      name: "bouncy.dev",
      sent: 25,
      bounced: 3,
      bounce_rate: 0.12,
      paused: true,
      paused_reason: bouncyReason,
    });
  });

  it("make the API refuse sends from that domain with sending_paused, and only those", async () => {
    // The accept path caches domains for 10 s; another process would see the pause by then.
    api.deps.senders.domains.forget(org.orgId);
    const refused = await send(org, "news@bouncy.dev");
    expect(refused.status).toBe(403);
    expect(refused.body.name).toBe("sending_paused");
    expect(refused.body.message).toContain(`Sending from bouncy.dev is paused: ${bouncyReason}.`);
    expect(refused.body.message).toContain(
      `POST /reputation/resume and {"domain_id": "${bouncy}"}`,
    );
    expect((await send(org, "hello@elsewhere.dev")).status).toBe(200);

    const batch = [
      { from: "hello@elsewhere.dev", to: "a@example.com", subject: "s", text: "t" },
      { from: "news@bouncy.dev", to: "b@example.com", subject: "s", text: "t" },
    ];
    const permissive = await api.call("POST", "/emails/batch", {
      key: org.key,
      json: batch,
      headers: { "x-batch-validation": "permissive" },
    });
    expect(permissive.status).toBe(200);
    expect(permissive.body.data).toHaveLength(1);
    expect(permissive.body.errors).toEqual([
      { index: 1, message: expect.stringContaining("bouncy.dev is paused") },
    ]);
    const strict = await api.call("POST", "/emails/batch", { key: org.key, json: batch });
    expect(strict.status).toBe(403);
    expect(strict.body.name).toBe("sending_paused");
  });

  it("hold the emails already queued from it, without using their attempts, until a resume sends them", async () => {
    // A fresh worker: one that delivered a moment ago may still see the domain as not paused
    // for its cache's 10 s.
    await mail.stop();
    mail = await startMail();
    const ctx = { orgId: org.orgId, apiKeyId: null, emailMaxAttempts: 12 };
    const now = new Date();
    const input = (from: string, to: string, extra: object = {}) => ({
      from,
      to,
      subject: "held",
      text: "hi",
      ...extra,
    });
    // Accepted just before the pause, as the accept path writes them.
    const queued = [
      prepareEmail(ctx, input("news@bouncy.dev", "held-1@example.com"), now, bouncy),
      prepareEmail(ctx, input("news@bouncy.dev", "held-2@example.com"), now, bouncy),
      prepareEmail(ctx, input("hello@elsewhere.dev", "free@example.com"), now, null),
    ];
    const scheduledAt = new Date(Date.now() + 1500).toISOString();
    const scheduled = prepareEmail(
      ctx,
      input("news@bouncy.dev", "held-3@example.com", { scheduled_at: scheduledAt }),
      now,
      bouncy,
    );
    await commitEmailWrites(api.database.sql, [
      mergeWrites(queued.map((email) => email.write)),
      scheduled.write,
    ]);
    const [held1, held2, free] = queued.map((email) => email.id) as [string, string, string];
    const held = [held1, held2, scheduled.id];

    await eventually(
      async () => (await emailRow(free))?.status === "delivered",
      15_000,
      "free email delivered",
    );
    for (const id of held) {
      const jobs = await eventually(
        async () => {
          const found = await jobsOf(id);
          return found[0] && found[0].run_at.getTime() > Date.now() + 50 * 60_000
            ? found
            : undefined;
        },
        15_000,
        "held job an hour later",
      );
      expect(jobs).toHaveLength(1);
      // Not one of the 12 attempts used: the new job carries all of them.
      expect(jobs[0]?.max_attempts).toBe(12);
      expect(jobs[0]?.flags).toEqual({ [`held:${bouncy}`]: true });
      const row = await emailRow(id);
      expect(row).toMatchObject({ attempts: 0, lockedBy: null });
      expect(row?.lastError).toBe(`sending paused (${bouncyReason}): held until it resumes`);
    }
    expect((await emailRow(held1))?.status).toBe("queued");
    // A scheduled email stays scheduled, under its key: PATCH and cancel still find it.
    expect((await emailRow(scheduled.id))?.status).toBe("scheduled");
    expect((await jobsOf(scheduled.id))[0]?.key).toBe(`email_send:${scheduled.id}`);
    expect(mail.catcher.messages.filter((m) => m.raw.includes("bouncy.dev"))).toHaveLength(0);

    const resumed = await api.call("POST", "/reputation/resume", {
      key: org.key,
      json: { domain_id: bouncy },
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body.domains[0]).toMatchObject({ paused: false, sent: 0, bounced: 0 });
    for (const id of held) {
      await eventually(
        async () => (await emailRow(id))?.status === "delivered",
        15_000,
        "held email delivered after the resume",
      );
      expect((await emailRow(id))?.attempts).toBe(1);
    }
    expect(await eventTypes(held1)).toEqual(["queued", "sent", "delivered"]);
    expect(await eventTypes(scheduled.id)).toEqual(["scheduled", "sent", "delivered"]);
    expect((await send(org, "news@bouncy.dev")).status).toBe(200);
  });

  it("after a resume, judge only what is sent since: the old window does not pause again, new bounces do", async () => {
    // The sends since the resume are counted; the window's 25 sent and 3 bounced are not.
    await runJobUntil(async () => {
      const reputation = await api.call("GET", `/reputation?domain_id=${bouncy}`, {
        key: org.key,
      });
      return reputation.body.domains[0].sent >= 4;
    }, "sends since the resume counted");
    expect((await domainRow(bouncy))?.sendingPausedAt).toBeNull();

    // One bounce in about 24 since the resume: past 4% for the domain, not for the organization.
    const ids = await sendBatch(org, "news@bouncy.dev", [
      ...recipients(19, "again"),
      ...recipients(1, "unknown-again"),
    ]);
    await settled(ids);
    const paused = await runJobUntil(async () => {
      const row = await domainRow(bouncy);
      return row?.sendingPausedAt ? row : undefined;
    }, "paused again");
    expect((await orgRow(org.orgId))?.sendingPausedAt).toBeNull();
    expect(paused.sendingPausedReason).toMatch(
      /^bounce rate [\d.]+% \(1 bounced of 2\d sent since sending was resumed at .+\) is above the 4% threshold$/,
    );
  });
});

describe("complaints past 0.3%", () => {
  it("pause the whole organization, until it is resumed", async () => {
    const complaining = await api.createOrg("Complaining");
    const domainId = await verifiedDomain(complaining, "promo.dev");
    const emailId = await sentEmail(api.database.db, complaining.orgId, domainId);
    // As the worker and the feedback loop record them: 400 accepted, 2 marked as spam. Fresh
    // ids: the cursor is past anything older.
    await insertEvents(api.database.db, [
      { emailId, orgId: complaining.orgId, type: "sent", recipients: 400, at: Date.now() },
      { emailId, orgId: complaining.orgId, type: "complained", recipients: 1, at: Date.now() },
      { emailId, orgId: complaining.orgId, type: "complained", recipients: 1, at: Date.now() },
    ]);
    const paused = await runJobUntil(async () => {
      const row = await orgRow(complaining.orgId);
      return row?.sendingPausedAt ? row : undefined;
    }, "organization paused");
    expect(paused.sendingPausedReason).toBe(
      "complaint rate 0.5% (2 complaints of 400 sent in the last 7 days) is above the 0.3% threshold",
    );
    const [event] = await api.database.db
      .select()
      .from(events)
      .where(
        and(eq(events.orgId, complaining.orgId), eq(events.type, "organization.sending_paused")),
      );
    expect(event).toMatchObject({
      orgId: complaining.orgId,
      objectId: complaining.orgId,
      data: {
        object: "organization",
        id: complaining.orgId,
        sending_paused_reason: paused.sendingPausedReason,
        reputation: { sent: 400, complained: 2, complaint_rate: 0.005 },
      },
    });

    api.deps.senders.domains.forget(complaining.orgId);
    // Every sender of the organization, verified domain or not.
    for (const from of ["a@elsewhere.dev", "b@promo.dev"]) {
      const refused = await send(complaining, from);
      expect(refused.status).toBe(403);
      expect(refused.body.name).toBe("sending_paused");
      expect(refused.body.message).toMatch(
        /^Sending is paused for this organization since .+: complaint rate 0\.5% .+ then resume with POST \/reputation\/resume$/,
      );
    }

    // The domain, past the threshold too, paused on its own: resuming the organization
    // leaves the domain paused.
    expect((await domainRow(domainId))?.sendingPausedAt).not.toBeNull();
    const resumed = await api.call("POST", "/reputation/resume", { key: complaining.key });
    expect(resumed.body.organization.paused).toBe(false);
    expect((await send(complaining, "a@elsewhere.dev")).status).toBe(200);
    expect((await send(complaining, "b@promo.dev")).body.name).toBe("sending_paused");
  });
});

describe("below the minimum volume", () => {
  it("pauses nothing, whatever the rates", async () => {
    const small = await api.createOrg("Small");
    const domainId = await verifiedDomain(small, "small.dev");
    const emailId = await sentEmail(api.database.db, small.orgId, domainId);
    await insertEvents(api.database.db, [
      { emailId, orgId: small.orgId, type: "sent", recipients: 10, at: Date.now() },
      {
        emailId,
        orgId: small.orgId,
        type: "bounced",
        recipients: 5,
        source: "dsn",
        at: Date.now(),
      },
      { emailId, orgId: small.orgId, type: "complained", recipients: 5, at: Date.now() },
    ]);
    const reputation = await runJobUntil(async () => {
      const response = await api.call("GET", "/reputation", { key: small.key });
      return response.body.organization.sent === 10 ? response.body : undefined;
    }, "counted");
    expect(reputation.organization).toMatchObject({
      bounce_rate: 0.5,
      complaint_rate: 0.5,
      paused: false,
    });
    expect(reputation.domains[0]).toMatchObject({ sent: 10, paused: false });
    expect((await domainRow(domainId))?.sendingPausedAt).toBeNull();
    expect((await orgRow(small.orgId))?.sendingPausedAt).toBeNull();
  });
});
