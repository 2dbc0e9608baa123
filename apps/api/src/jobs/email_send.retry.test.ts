import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailEvents, emails } from "../db/schema/index.ts";
import { MailCatcher } from "../mail/catcher.ts";
import { commitEmailWrites } from "../services/emails/email-writer.ts";
import { prepareEmail } from "../services/emails/prepare-email.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  type TestApi,
  type TestMail,
  type TestOrg,
} from "../test/harness.ts";

// Two attempts per email: the first failure is retried (graphile-worker backs off ~3 s), the
// second is the last.
let api: TestApi;
let mail: TestMail;
let org: TestOrg;
const refusedOnce = new Set<string>();

beforeAll(async () => {
  api = await startTestApi({ emailMaxAttempts: 2 });
  org = await api.createOrg();
  mail = await startTestMail(api, {
    catcher: {
      refuseRecipient: (address) => {
        if (address.startsWith("busy-once") && !refusedOnce.has(address)) {
          refusedOnce.add(address);
          return { code: 451, message: "4.3.0 Temporary lookup failure, try again" };
        }
        if (address.startsWith("busy-always")) return { code: 452, message: "4.2.2 Mailbox full" };
        return undefined;
      },
    },
  });
});
afterAll(async () => {
  await mail.stop();
  await api.close();
});

async function send(to: string | string[]): Promise<string> {
  const response = await api.call("POST", "/emails", {
    key: org.key,
    json: { from: "Acme <onboarding@acme.dev>", to, subject: "retry", text: "hi" },
  });
  return response.body.id;
}

const statusOf = async (id: string) =>
  (await api.database.db.select().from(emails).where(eq(emails.id, id)))[0];

const eventTypes = async (id: string) =>
  (
    await api.database.db
      .select()
      .from(emailEvents)
      .where(eq(emailEvents.emailId, id))
      .orderBy(asc(emailEvents.id))
  ).map((event) => event.type);

describe("temporary failures", () => {
  it("records delivery_delayed on a 4xx, retries with backoff, then delivers", async () => {
    const id = await send("busy-once@example.com");
    const delayed = await eventually(async () => {
      const row = await statusOf(id);
      return row?.status === "delivery_delayed" ? row : undefined;
    });
    expect(delayed.lastEvent).toBe("delivery_delayed");
    expect(delayed.lastError).toContain("451");
    const row = await eventually(async () => {
      const current = await statusOf(id);
      return current?.status === "delivered" ? current : undefined;
    });
    expect(row.attempts).toBe(2);
    expect(await eventTypes(id)).toEqual(["queued", "delivery_delayed", "sent", "delivered"]);
  });

  it("fails once the attempts are exhausted", async () => {
    const id = await send("busy-always@example.com");
    const row = await eventually(async () => {
      const current = await statusOf(id);
      return current?.status === "failed" ? current : undefined;
    });
    expect(row.lastEvent).toBe("failed");
    expect(await eventTypes(id)).toEqual(["queued", "delivery_delayed", "failed"]);
    const [failed] = await api.database.db
      .select()
      .from(emailEvents)
      .where(eq(emailEvents.emailId, id))
      .orderBy(asc(emailEvents.id))
      .offset(2);
    expect(failed?.details).toMatchObject({
      enhanced_code: "4.2.2",
      bounce_class: "soft",
      attempt: 2,
    });
    // The job is complete, not left failing in the queue.
    await eventually(
      async () => {
        const jobs = await api.database
          .sql`select 1 from graphile_worker._private_jobs where payload::jsonb->'email_ids' ? ${id}`;
        return jobs.length === 0;
      },
      5000,
      "job completed",
    );
  });

  it("retries only the recipients that were deferred", async () => {
    const id = await send(["fine@example.com", "busy-once-2@example.com"]);
    await eventually(async () => ((await statusOf(id))?.status === "delivered" ? true : undefined));
    const received = mail.catcher.messages.filter((message) => message.raw.includes(`<${id}@`));
    expect(received.map((message) => message.envelope.to)).toEqual([
      ["fine@example.com"],
      ["busy-once-2@example.com"],
    ]);
    expect(await eventTypes(id)).toEqual([
      "queued",
      "sent",
      "delivered",
      "delivery_delayed",
      "sent",
      "delivered",
    ]);
  });
});

describe("a batch sharing one job", () => {
  it("retries only its deferred email, and sends every other one once", async () => {
    const response = await api.call("POST", "/emails/batch", {
      key: org.key,
      json: ["first", "busy-once-batch", "third"].map((local) => ({
        from: "Acme <onboarding@acme.dev>",
        to: `${local}@example.com`,
        subject: "batch retry",
        text: "hi",
      })),
    });
    expect(response.status).toBe(200);
    const ids = (response.body.data as { id: string }[]).map((entry) => entry.id);
    const [jobs] = await api.database.sql<{ jobs: number }[]>`
      select count(*)::int as jobs from graphile_worker._private_jobs
      where payload::jsonb->'email_ids' ? ${ids[0] ?? ""}`;
    expect(jobs?.jobs).toBe(1);

    for (const id of ids) {
      await eventually(async () =>
        (await statusOf(id))?.status === "delivered" ? true : undefined,
      );
    }
    const received = ids.map(
      (id) => mail.catcher.messages.filter((message) => message.raw.includes(`<${id}@`)).length,
    );
    expect(received).toEqual([1, 1, 1]);
    expect(await eventTypes(ids[0] ?? "")).toEqual(["queued", "sent", "delivered"]);
    expect(await eventTypes(ids[1] ?? "")).toEqual([
      "queued",
      "delivery_delayed",
      "sent",
      "delivered",
    ]);
    expect((await statusOf(ids[1] ?? ""))?.attempts).toBe(2);
    expect((await statusOf(ids[0] ?? ""))?.attempts).toBe(1);
  });
});

describe("a mail server outage", () => {
  it("defers while the server is down and delivers when it is back", async () => {
    const port = mail.catcher.port;
    await mail.catcher.close();
    const id = await send("outage@example.com");
    const delayed = await eventually(async () => {
      const row = await statusOf(id);
      return row?.status === "delivery_delayed" ? row : undefined;
    });
    expect(delayed.lastError).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);

    const back = new MailCatcher();
    await back.listen(port);
    try {
      await eventually(async () =>
        (await statusOf(id))?.status === "delivered" ? true : undefined,
      );
      expect(back.messages.filter((message) => message.raw.includes(`<${id}@`))).toHaveLength(1);
    } finally {
      await back.close();
    }
  });
});

describe("an unexpected error in the task", () => {
  it("gives the email back for the retry, and fails it with the reason on the last attempt", async () => {
    // A row the API would never accept: composing it throws inside the task.
    const { id, write } = prepareEmail(
      { orgId: org.orgId, apiKeyId: null, emailMaxAttempts: 2 },
      { from: "a@acme.dev", to: "x@example.com", subject: "corrupt", text: "hi" },
      new Date(),
      null,
    );
    const [row] = write.emails;
    if (row) row.from = "not an address";
    await commitEmailWrites(api.database.sql, [write]);

    const released = await eventually(async () => {
      const current = await statusOf(id);
      return current?.status === "queued" && current.attempts === 1 ? current : undefined;
    });
    expect(released.lockedBy).toBeNull();
    expect(released.lastError).toContain("not an address");

    const failed = await eventually(async () => {
      const current = await statusOf(id);
      return current?.status === "failed" ? current : undefined;
    });
    expect(failed.attempts).toBe(2);
    expect(await eventTypes(id)).toEqual(["queued", "failed"]);
  });
});
