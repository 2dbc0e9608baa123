import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events, webhookDeliveries, webhookEndpoints } from "../db/schema/index.ts";
import { newId } from "../lib/ids.ts";
import { createOrganization } from "../services/organizations/create-organization.ts";
import { webhookMessageId } from "../services/webhooks/message-id.ts";
import { createTestDatabase, type TestDatabase } from "../test/database.ts";
import { eventually } from "../test/harness.ts";
import { startHttpServer } from "../test/http-server.ts";
import {
  attemptsOf,
  createEndpoint,
  deliveriesOfEvent,
  type Receiver,
  recordDomainEvent,
  startReceiver,
  startWebhookWorker,
  verifyWebhook,
  type WebhookWorker,
  webhookSecret,
} from "../test/webhooks.ts";

// Short waits instead of Svix's 5 s, 5 min, ...: 4 attempts in all.
const SCHEDULE = [150, 150, 150];

let database: TestDatabase;
let worker: WebhookWorker;
let orgId: string;
const closers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  orgId = (await createOrganization({ db: database.db, input: { name: "Webhooks" } })).orgId;
  worker = await startWebhookWorker(database, {
    policy: { retryScheduleMs: SCHEDULE, timeoutMs: 500 },
  });
});
afterAll(async () => {
  await worker.stop();
  await Promise.all(closers.map((closer) => closer.close()));
  await database.drop();
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const started = await startReceiver(...args);
  closers.push(started);
  return started;
}

/** An endpoint listening to `type` only, so each test's events reach its own endpoints. */
async function endpointFor(url: string, type: string, secret = webhookSecret()) {
  const id = await createEndpoint(database.db, { orgId, url, secret, events: [type] });
  return { id, secret };
}

async function settled(eventId: string, count = 1) {
  return eventually(
    async () => {
      const rows = await deliveriesOfEvent(database.db, eventId);
      return rows.length === count &&
        rows.every((row) => row.status === "success" || row.status === "failed")
        ? rows
        : undefined;
    },
    15_000,
    "deliveries settled",
  );
}

const endpointRow = async (id: string) =>
  (await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)))[0];

describe("webhook_deliver", () => {
  it("delivers a signed message on the first try, the same message id to every endpoint", async () => {
    const first = await receiver();
    const second = await receiver();
    const a = await endpointFor(first.url, "domain.created");
    const b = await createEndpoint(database.db, {
      orgId,
      url: second.url,
      secret: webhookSecret(),
      events: ["domain.created"],
    });
    const eventId = await recordDomainEvent(database.db, orgId, "domain.created");
    const deliveries = await settled(eventId, 2);
    expect(deliveries.map((row) => [row.status, row.attempts])).toEqual([
      ["success", 1],
      ["success", 1],
    ]);

    expect(first.received).toHaveLength(1);
    const [webhook] = first.received;
    if (!webhook) throw new Error("nothing received");
    const payload = verifyWebhook(a.secret, webhook) as Record<string, unknown>;
    expect(payload).toMatchObject({
      type: "domain.created",
      data: { object: "domain", name: "acme.dev" },
    });
    expect(typeof payload.created_at).toBe("string");
    const messageId = webhookMessageId(eventId);
    expect(messageId).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(webhook.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": expect.stringMatching(/^Thrive-Send-Webhooks\//),
      "webhook-id": messageId,
      "svix-id": messageId,
    });
    expect(webhook.headers["svix-timestamp"]).toBe(webhook.headers["webhook-timestamp"]);
    expect(webhook.headers["svix-signature"]).toBe(webhook.headers["webhook-signature"]);
    expect(String(webhook.headers["webhook-signature"])).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(Math.abs(Number(webhook.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(
      10,
    );
    // The other endpoint: the same message id, its own secret.
    expect(second.received[0]?.headers["webhook-id"]).toBe(messageId);
    expect(() => verifyWebhook(a.secret, second.received[0] as never)).toThrow();

    const [delivery] = deliveries.filter((row) => row.endpointId === a.id);
    const attempts = await attemptsOf(database.db, delivery?.id ?? "");
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ statusCode: 200, response: "ok", orgId });
    expect(attempts[0]?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(delivery?.nextAttemptAt).toBeNull();
    expect((await endpointRow(b))?.failingSince).toBeNull();
  });

  it("retries a failing endpoint on the schedule, with the same message id, until it succeeds", async () => {
    const flaky = await receiver((_webhook, response, index) => {
      response.statusCode = index < 2 ? 500 : 204;
      response.end(index < 2 ? `internal error ${index}` : undefined);
    });
    const { id, secret } = await endpointFor(flaky.url, "domain.updated");
    const eventId = await recordDomainEvent(database.db, orgId, "domain.updated");
    const [delivery] = await settled(eventId);
    expect(delivery).toMatchObject({ status: "success", attempts: 3, nextAttemptAt: null });

    expect(flaky.received).toHaveLength(3);
    for (const webhook of flaky.received) verifyWebhook(secret, webhook);
    expect(new Set(flaky.received.map((webhook) => webhook.headers["webhook-id"]))).toEqual(
      new Set([webhookMessageId(eventId)]),
    );
    // The schedule's 150 ms, ±20%, between attempts.
    const gaps = flaky.received
      .slice(1)
      .map((webhook, i) => webhook.at - (flaky.received[i]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(110);

    const attempts = await attemptsOf(database.db, delivery?.id ?? "");
    expect(attempts.map((attempt) => [attempt.statusCode, attempt.response])).toEqual([
      [500, "internal error 0"],
      [500, "internal error 1"],
      [204, ""],
    ]);
    // Failing since the first failure, cleared by the success.
    expect((await endpointRow(id))?.failingSince).toBeNull();
  });

  it("fails the delivery after the last attempt and marks the endpoint failing", async () => {
    const broken = await receiver((_webhook, response) => {
      response.statusCode = 502;
      response.end("bad gateway");
    });
    const { id } = await endpointFor(broken.url, "domain.deleted");
    const before = new Date();
    const eventId = await recordDomainEvent(database.db, orgId, "domain.deleted");
    const [delivery] = await settled(eventId);
    expect(delivery).toMatchObject({ status: "failed", attempts: SCHEDULE.length + 1 });
    expect(delivery?.nextAttemptAt).toBeNull();
    expect(broken.received).toHaveLength(SCHEDULE.length + 1);
    const endpoint = await endpointRow(id);
    expect(endpoint?.status).toBe("enabled");
    expect(endpoint?.failingSince?.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
  });

  it("disables the endpoint on 410 Gone, records webhook.disabled, and stops", async () => {
    const gone = await receiver((_webhook, response) => {
      response.statusCode = 410;
      response.end("this hook is gone");
    });
    const watcher = await receiver();
    const { id } = await endpointFor(gone.url, "organization.sending_paused");
    const watching = await endpointFor(watcher.url, "webhook.disabled");
    // Both listen to webhook.disabled too: only the other one may hear of it.
    await database.db
      .update(webhookEndpoints)
      .set({ events: ["organization.sending_paused", "webhook.disabled"] })
      .where(eq(webhookEndpoints.id, id));

    const eventId = await recordSendingPaused(orgId);
    const [delivery] = await settled(eventId);
    expect(delivery).toMatchObject({ status: "failed", attempts: 1 });
    expect(gone.received).toHaveLength(1);
    const endpoint = await endpointRow(id);
    expect(endpoint).toMatchObject({
      status: "disabled",
      disabledReason: "The endpoint answered 410 Gone",
    });

    const disabled = await database.db.select().from(events).where(eq(events.objectId, id));
    expect(disabled).toHaveLength(1);
    expect(disabled[0]).toMatchObject({
      type: "webhook.disabled",
      data: { id, status: "disabled", disabled_reason: "The endpoint answered 410 Gone" },
    });
    // The news goes to the watching endpoint, never to the disabled one.
    await eventually(async () => watcher.received.length === 1);
    const news = verifyWebhook(watching.secret, watcher.received[0] as never);
    expect(news).toMatchObject({ type: "webhook.disabled", data: { id, endpoint: gone.url } });
    const toDisabled = await database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, id));
    expect(toDisabled.map((row) => row.eventType)).toEqual(["organization.sending_paused"]);

    // Later events skip it.
    await recordSendingPaused(orgId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(gone.received).toHaveLength(1);
  });

  it("honours a 429's Retry-After instead of the schedule", async () => {
    const limited = await receiver((_webhook, response, index) => {
      if (index === 0) {
        response.writeHead(429, { "retry-after": "1" });
        response.end("slow down");
        return;
      }
      response.end("ok");
    });
    const { secret } = await endpointFor(limited.url, "domain.created.429");
    const eventId = await recordTypedEvent(orgId, "domain.created.429");
    await eventually(async () => {
      const [row] = await deliveriesOfEvent(database.db, eventId);
      return row?.status === "pending" && row.attempts === 1 ? row : undefined;
    }).then((row) => {
      const wait = (row.nextAttemptAt?.getTime() ?? 0) - (row.lastAttemptAt?.getTime() ?? 0);
      // Retry-After: 1, not jittered; the schedule would have said 150 ms.
      expect(wait).toBe(1000);
    });
    const [delivery] = await settled(eventId);
    expect(delivery).toMatchObject({ status: "success", attempts: 2 });
    const gap = (limited.received[1]?.at ?? 0) - (limited.received[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(950);
    for (const webhook of limited.received) verifyWebhook(secret, webhook);
  });

  it("counts a redirect as a failure and never follows it", async () => {
    let reached = 0;
    const elsewhere = await startHttpServer((_request, response) => {
      reached += 1;
      response.end("ok");
    });
    closers.push(elsewhere);
    const redirecting = await receiver((_webhook, response) => {
      response.writeHead(307, { location: `${elsewhere.origin}/steal` });
      response.end();
    });
    await endpointFor(redirecting.url, "domain.created.307");
    const eventId = await recordTypedEvent(orgId, "domain.created.307");
    const [delivery] = await settled(eventId);
    expect(delivery).toMatchObject({ status: "failed", attempts: SCHEDULE.length + 1 });
    expect(reached).toBe(0);
    const attempts = await attemptsOf(database.db, delivery?.id ?? "");
    expect(attempts[0]).toMatchObject({
      statusCode: 307,
      response: "Redirects are not followed",
    });
  });

  it("gives up on an attempt after the timeout and tries again", async () => {
    const slow = await receiver(async (_webhook, response, index) => {
      if (index === 0) return; // never answers
      response.end("late but fine");
    });
    await endpointFor(slow.url, "domain.created.timeout");
    const eventId = await recordTypedEvent(orgId, "domain.created.timeout");
    const [delivery] = await settled(eventId);
    expect(delivery).toMatchObject({ status: "success", attempts: 2 });
    const attempts = await attemptsOf(database.db, delivery?.id ?? "");
    expect(attempts[0]).toMatchObject({
      statusCode: null,
      response: "The URL's host did not answer in time",
    });
    expect(attempts[0]?.latencyMs).toBeGreaterThanOrEqual(490);
    expect(attempts[0]?.latencyMs).toBeLessThan(2000);
    expect(attempts[1]).toMatchObject({ statusCode: 200, response: "late but fine" });
  });

  it("keeps an excerpt of a long answer", async () => {
    const chatty = await receiver((_webhook, response) => {
      response.end(`${"x".repeat(200_000)}`);
    });
    await endpointFor(chatty.url, "domain.created.long");
    const eventId = await recordTypedEvent(orgId, "domain.created.long");
    const [delivery] = await settled(eventId);
    expect(delivery?.status).toBe("success");
    const [attempt] = await attemptsOf(database.db, delivery?.id ?? "");
    expect(attempt?.response).toBe("x".repeat(1024));
  });

  it("signs with both secrets during a rotation, and with the new one once it is over", async () => {
    const rotating = await receiver();
    const [newSecret, oldSecret, expiredSecret] = [
      webhookSecret(),
      webhookSecret(),
      webhookSecret(),
    ];
    await createEndpoint(database.db, {
      orgId,
      url: rotating.url,
      secret: newSecret,
      previousSecret: oldSecret,
      previousSecretExpiresAt: new Date(Date.now() + 3_600_000),
      events: ["domain.created.rotation"],
    });
    await createEndpoint(database.db, {
      orgId,
      url: rotating.url,
      secret: newSecret,
      previousSecret: expiredSecret,
      previousSecretExpiresAt: new Date(Date.now() - 1000),
      events: ["domain.created.rotation"],
    });
    const eventId = await recordTypedEvent(orgId, "domain.created.rotation");
    await settled(eventId, 2);
    const signatures = rotating.received.map((webhook) =>
      String(webhook.headers["webhook-signature"]).split(" "),
    );
    expect(signatures.map((list) => list.length).sort()).toEqual([1, 2]);
    const during = rotating.received.find((webhook) =>
      String(webhook.headers["webhook-signature"]).includes(" "),
    );
    const after = rotating.received.find((webhook) => webhook !== during);
    if (!during || !after) throw new Error("missing a delivery");
    // A receiver that has switched and one that has not both accept the message.
    expect(verifyWebhook(newSecret, during)).toMatchObject({ type: "domain.created.rotation" });
    expect(verifyWebhook(oldSecret, during)).toMatchObject({ type: "domain.created.rotation" });
    expect(() => verifyWebhook(webhookSecret(), during)).toThrow(/No matching signature/);
    expect(verifyWebhook(newSecret, after)).toBeTruthy();
    expect(() => verifyWebhook(expiredSecret, after)).toThrow(/No matching signature/);
    // A body altered on the way fails.
    expect(() => verifyWebhook(newSecret, { ...during, body: `${during.body} ` })).toThrow();
  });

  it("does not attempt early when a stray job runs before the retry's time", async () => {
    const limited = await receiver((_webhook, response, index) => {
      response.writeHead(index === 0 ? 503 : 200, index === 0 ? { "retry-after": "2" } : {});
      response.end();
    });
    await endpointFor(limited.url, "domain.created.stray");
    const eventId = await recordTypedEvent(orgId, "domain.created.stray");
    const [waiting] = await eventually(async () => {
      const rows = await deliveriesOfEvent(database.db, eventId);
      return rows[0]?.status === "pending" && rows[0].attempts === 1 ? rows : undefined;
    });
    // A second job for the same delivery (a replay, an operator), without the delivery's key.
    await database.sql`select graphile_worker.add_job('webhook_deliver',
      json_build_object('org_id', ${orgId}::uuid, 'delivery_id', ${waiting?.id ?? ""}::uuid))`;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(limited.received).toHaveLength(1);
    const [delivery] = await settled(eventId);
    expect(delivery).toMatchObject({ status: "success", attempts: 2 });
    expect(limited.received).toHaveLength(2);
    const gap = (limited.received[1]?.at ?? 0) - (limited.received[0]?.at ?? 0);
    expect(gap).toBeGreaterThanOrEqual(1900);
  });

  it("records a failed attempt for an unreachable endpoint", async () => {
    const closed = await startHttpServer(() => {});
    await closed.close();
    await endpointFor(`${closed.origin}/hooks`, "domain.created.refused");
    const eventId = await recordTypedEvent(orgId, "domain.created.refused");
    const [delivery] = await settled(eventId);
    expect(delivery?.status).toBe("failed");
    const attempts = await attemptsOf(database.db, delivery?.id ?? "");
    expect(attempts).toHaveLength(SCHEDULE.length + 1);
    expect(attempts[0]).toMatchObject({
      statusCode: null,
      response: "Could not get a response from the URL's host",
    });
  });
});

describe("the queue", () => {
  it("has no job that failed: retries and wake-ups are jobs of our own, not errors", async () => {
    const failed = await database.sql`
      select last_error from graphile_worker._private_jobs where last_error is not null`;
    expect(failed).toEqual([]);
  });
});

/** An organization event of any type (the trigger fans out by exact type). */
async function recordTypedEvent(org: string, type: string): Promise<string> {
  const id = newId();
  await database.db
    .insert(events)
    .values({ id, orgId: org, type, objectId: id, data: { object: "test", id } });
  return id;
}

async function recordSendingPaused(org: string): Promise<string> {
  return recordTypedEvent(org, "organization.sending_paused");
}
