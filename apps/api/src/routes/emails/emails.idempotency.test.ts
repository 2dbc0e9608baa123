import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emails, idempotencyKeys } from "../../db/schema/index.ts";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";

const email = (subject: string) => ({
  from: "Acme <onboarding@acme.dev>",
  to: "delivered@example.com",
  subject,
  text: "hi",
});

let api: TestApi;
let org: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  other = await api.createOrg("Other");
});
afterAll(() => api.close());

async function emailsWithSubject(orgId: string, subject: string): Promise<number> {
  const [row] = await api.database.db
    .select({ count: sql<number>`count(*)::int` })
    .from(emails)
    .where(and(eq(emails.orgId, orgId), eq(emails.subject, subject)));
  return row?.count ?? 0;
}

async function eventuallyClaimed(key: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = await api.database.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.orgId, org.orgId), eq(idempotencyKeys.key, key)));
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the first request never claimed its key");
}

const send = (key: string, body: unknown, idempotencyKey: string, path = "/emails") =>
  api.call("POST", path, { key, json: body, headers: { "idempotency-key": idempotencyKey } });

describe("Idempotency-Key on POST /emails", () => {
  it("replays the first response for the same key and body, and sends once", async () => {
    const first = await send(org.key, email("replay"), "key-replay");
    const second = await send(org.key, email("replay"), "key-replay");
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(await emailsWithSubject(org.orgId, "replay")).toBe(1);
  });

  it("answers 409 invalid_idempotent_request for the same key with another body", async () => {
    await send(org.key, email("first body"), "key-mismatch");
    const response = await send(org.key, email("second body"), "key-mismatch");
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
    expect(await emailsWithSubject(org.orgId, "second body")).toBe(0);
  });

  it("answers 409 concurrent_idempotent_requests while the first request is in flight", async () => {
    // Hold the first request inside its write: its key is claimed, its email not committed.
    const blocker = await api.database.sql.reserve();
    await blocker`begin`;
    await blocker`lock table emails in exclusive mode`;
    const first = send(org.key, email("in flight"), "key-in-flight");
    await eventuallyClaimed("key-in-flight");
    const second = await send(org.key, email("in flight"), "key-in-flight");
    await blocker`commit`;
    blocker.release();

    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ statusCode: 409, name: "concurrent_idempotent_requests" });
    expect((await first).status).toBe(200);
    expect(await emailsWithSubject(org.orgId, "in flight")).toBe(1);
    // Once the first is done, the same request is a replay.
    const third = await send(org.key, email("in flight"), "key-in-flight");
    expect(third.body).toEqual((await first).body);
  });

  it("sends once when two requests with one key race", async () => {
    for (let round = 0; round < 5; round++) {
      const subject = `race ${round}`;
      const results = await Promise.all([
        send(org.key, email(subject), `key-race-${round}`),
        send(org.key, email(subject), `key-race-${round}`),
      ]);
      const statuses = results.map((result) => result.status).sort();
      expect(await emailsWithSubject(org.orgId, subject)).toBe(1);
      if (statuses[1] === 409) {
        expect(statuses).toEqual([200, 409]);
        const conflict = results.find((result) => result.status === 409);
        expect(conflict?.body.name).toBe("concurrent_idempotent_requests");
      } else {
        // The second arrived after the first completed: a replay of the same id.
        expect(statuses).toEqual([200, 200]);
        expect(results[0]?.body).toEqual(results[1]?.body);
      }
    }
  });

  it("takes over a claim abandoned by a process that died, for the same request", async () => {
    const body = email("abandoned");
    const first = await send(org.key, body, "key-abandoned");
    expect(first.status).toBe(200);
    // Make it look like a claim that never completed and whose lease ran out.
    await api.database.db
      .update(idempotencyKeys)
      .set({ state: "in_flight", lockedUntil: new Date(Date.now() - 1000) })
      .where(and(eq(idempotencyKeys.orgId, org.orgId), eq(idempotencyKeys.key, "key-abandoned")));
    const retry = await send(org.key, body, "key-abandoned");
    expect(retry.status).toBe(200);
  });

  it("keeps keys per organization", async () => {
    const mine = await send(org.key, email("per org"), "key-shared");
    const theirs = await send(other.key, email("per org"), "key-shared");
    expect(mine.status).toBe(200);
    expect(theirs.status).toBe(200);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it("frees the key when the request fails, so a corrected retry succeeds", async () => {
    const bad = await send(org.key, { ...email("fixed"), to: "nope" }, "key-fix");
    expect(bad.status).toBe(422);
    const good = await send(org.key, email("fixed"), "key-fix");
    expect(good.status).toBe(200);
  });

  it("answers 400 invalid_idempotency_key for a key over 256 characters", async () => {
    const response = await send(org.key, email("long key"), "k".repeat(257));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, name: "invalid_idempotency_key" });
    expect(await emailsWithSubject(org.orgId, "long key")).toBe(0);
  });

  it("treats an expired key as new", async () => {
    await send(org.key, email("expired one"), "key-expired");
    await api.database.db
      .update(idempotencyKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(and(eq(idempotencyKeys.orgId, org.orgId), eq(idempotencyKeys.key, "key-expired")));
    const response = await send(org.key, email("expired two"), "key-expired");
    expect(response.status).toBe(200);
    expect(await emailsWithSubject(org.orgId, "expired two")).toBe(1);
  });
});

describe("Idempotency-Key on POST /emails/batch", () => {
  it("replays a batch and sends it once", async () => {
    const batch = [email("batch idem"), email("batch idem")];
    const first = await send(org.key, batch, "batch-key", "/emails/batch");
    const second = await send(org.key, batch, "batch-key", "/emails/batch");
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await emailsWithSubject(org.orgId, "batch idem")).toBe(2);
  });

  it("does not mix a key used on /emails with /emails/batch", async () => {
    await send(org.key, email("cross"), "cross-key");
    const response = await send(org.key, [email("cross")], "cross-key", "/emails/batch");
    expect(response.status).toBe(409);
    expect(response.body.name).toBe("invalid_idempotent_request");
  });
});
