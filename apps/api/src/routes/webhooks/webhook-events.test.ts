import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events, webhookAttempts, webhookDeliveries } from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";

// The fan-out trigger writes deliveries; no worker runs here, so they stay as it left them.
let api: TestApi;
let org: TestOrg;
let other: TestOrg;
const hooks = { listening: "", deaf: "", disabled: "", foreign: "" };

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  other = await api.createOrg("Other");
  hooks.listening = await webhook(org, ["email.scheduled", "domain.created"]);
  hooks.deaf = await webhook(org, ["email.delivered"]);
  hooks.disabled = await webhook(org, ["email.scheduled", "domain.created"]);
  await api.call("PATCH", `/webhooks/${hooks.disabled}`, {
    key: org.key,
    json: { status: "disabled" },
  });
  hooks.foreign = await webhook(other, ["email.scheduled", "domain.created"]);
});
afterAll(() => api.close());

async function webhook(owner: TestOrg, types: string[]): Promise<string> {
  const response = await api.call("POST", "/webhooks", {
    key: owner.key,
    json: { endpoint: "https://example.com/hook", events: types },
  });
  expect(response.status).toBe(200);
  return response.body.id;
}

async function scheduleEmail(owner: TestOrg): Promise<string> {
  const response = await api.call("POST", "/emails", {
    key: owner.key,
    json: {
      from: "a@acme.dev",
      to: "later@example.com",
      subject: "later",
      text: "later",
      tags: [{ name: "kind", value: "test" }],
      scheduled_at: new Date(Date.now() + 3600_000).toISOString(),
    },
  });
  expect(response.status).toBe(200);
  return response.body.id;
}

let domains = 0;
async function addDomain(owner: TestOrg): Promise<string> {
  const name = `events-${++domains}.dev`;
  const response = await api.call("POST", "/domains", { key: owner.key, json: { name } });
  expect(response.status).toBe(200);
  return response.body.id;
}

async function eventsOf(webhookId: string, key = org.key, query = "limit=100") {
  const response = await api.call("GET", `/webhooks/${webhookId}/events?${query}`, { key });
  expect(response.status).toBe(200);
  return response.body as {
    object: "list";
    has_more: boolean;
    data: { id: string; type: string; created_at: string; status: string }[];
  };
}

const deliveryOf = async (webhookId: string, eventId: string) =>
  (
    await api.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.eventId, eventId))
  ).find((row) => row.endpointId === webhookId);

/** The webhook_deliver jobs of a delivery, in graphile-worker's queue. */
async function jobsOf(deliveryId: string) {
  return api.database.sql<{ key: string | null; max_attempts: number }[]>`
    select jobs.key, jobs.max_attempts
    from graphile_worker._private_jobs as jobs
    join graphile_worker._private_tasks as tasks on tasks.id = jobs.task_id
    where tasks.identifier = 'webhook_deliver'
      and jobs.payload::jsonb->>'delivery_id' = ${deliveryId}`;
}

/** The id of the newest event of a webhook. */
async function latestEvent(webhookId: string, key = org.key): Promise<string> {
  const id = (await eventsOf(webhookId, key, "limit=1")).data[0]?.id;
  expect(id).toBeDefined();
  return id as string;
}

describe("the fan-out, seen through GET /webhooks/{id}/events", () => {
  it("gives a scheduled email's event to the organization's enabled endpoints listening to it", async () => {
    const emailId = await scheduleEmail(org);
    const listed = await eventsOf(hooks.listening);
    const event = listed.data[0];
    expect(event).toEqual({
      id: expect.any(String),
      type: "email.scheduled",
      created_at: expect.any(String),
      status: "pending",
    });
    const eventId = event?.id as string;
    for (const id of [hooks.deaf, hooks.disabled]) {
      expect((await eventsOf(id)).data.map((e) => e.id)).not.toContain(eventId);
    }
    expect((await eventsOf(hooks.foreign, other.key)).data.map((e) => e.id)).not.toContain(eventId);

    const got = await api.call("GET", `/webhooks/${hooks.listening}/events/${eventId}`, {
      key: org.key,
    });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      object: "webhook_event",
      id: eventId,
      type: "email.scheduled",
      status: "pending",
      attempts: 0,
      next_attempt_at: expect.any(String),
      last_attempt_at: null,
      payload: {
        type: "email.scheduled",
        created_at: expect.any(String),
        data: {
          email_id: emailId,
          from: "a@acme.dev",
          to: ["later@example.com"],
          subject: "later",
          tags: { kind: "test" },
          scheduled_at: expect.any(String),
        },
      },
    });
    const delivery = await deliveryOf(hooks.listening, eventId);
    expect(await jobsOf(delivery?.id as string)).toHaveLength(1);
  });

  it("gives domain.created to the endpoints listening to it, of that organization only", async () => {
    const domainId = await addDomain(org);
    const eventId = await latestEvent(hooks.listening);
    const got = await api.call("GET", `/webhooks/${hooks.listening}/events/${eventId}`, {
      key: org.key,
    });
    expect(got.body.type).toBe("domain.created");
    expect(got.body.payload).toMatchObject({
      type: "domain.created",
      data: { id: domainId, name: `events-${domains}.dev`, status: "not_started" },
    });
    expect((await eventsOf(hooks.deaf)).data.map((e) => e.type)).not.toContain("domain.created");
    expect((await eventsOf(hooks.disabled)).data).toEqual([]);
    expect((await eventsOf(hooks.foreign, other.key)).data).toEqual([]);

    // And the other organization's own domain reaches its endpoint, not ours.
    await addDomain(other);
    const foreignEvent = await latestEvent(hooks.foreign, other.key);
    expect((await eventsOf(hooks.listening)).data.map((e) => e.id)).not.toContain(foreignEvent);
  });

  it("pages a webhook's events newest first", async () => {
    const fresh = await api.createOrg("Pages");
    const hook = await webhook(fresh, ["domain.created"]);
    for (let i = 0; i < 3; i++) await addDomain(fresh);
    const all = (await eventsOf(hook, fresh.key)).data.map((e) => e.id);
    expect(all).toHaveLength(3);
    expect([...all].sort().reverse()).toEqual(all);
    const first = await eventsOf(hook, fresh.key, "limit=2");
    expect(first.data.map((e) => e.id)).toEqual(all.slice(0, 2));
    expect(first.has_more).toBe(true);
    const next = await eventsOf(hook, fresh.key, `limit=2&after=${all[1]}`);
    expect(next.data.map((e) => e.id)).toEqual(all.slice(2));
    expect(next.has_more).toBe(false);
  });
});

describe("GET /webhooks/{id}/events/{event_id}/attempts", () => {
  it("lists the delivery's attempts, newest first", async () => {
    await addDomain(org);
    const eventId = await latestEvent(hooks.listening);
    const path = `/webhooks/${hooks.listening}/events/${eventId}/attempts`;
    const empty = await api.call("GET", path, { key: org.key });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ object: "list", data: [], has_more: false });

    // What the worker records, one row per HTTP attempt.
    const delivery = await deliveryOf(hooks.listening, eventId);
    const attempt = (statusCode: number | null, response: string) => ({
      id: newId(),
      orgId: org.orgId,
      deliveryId: delivery?.id as string,
      statusCode,
      response,
      latencyMs: 12,
    });
    const failed = attempt(null, "timeout after 15000 ms");
    const succeeded = attempt(200, "ok");
    await api.database.db.insert(webhookAttempts).values([failed, succeeded]);

    const listed = await api.call("GET", path, { key: org.key });
    expect(listed.body.data).toEqual([
      {
        id: succeeded.id,
        http_status_code: 200,
        response: "ok",
        sent_at: expect.any(String),
        latency_ms: 12,
      },
      {
        id: failed.id,
        http_status_code: null,
        response: "timeout after 15000 ms",
        sent_at: expect.any(String),
        latency_ms: 12,
      },
    ]);
    const page = await api.call("GET", `${path}?limit=1`, { key: org.key });
    expect(page.body).toMatchObject({ has_more: true, data: [{ id: succeeded.id }] });
    expect((await api.call("GET", `${path}?limit=101`, { key: org.key })).status).toBe(422);
  });
});

describe("POST /webhooks/{id}/events/{event_id}/replay", () => {
  it("starts the delivery over and enqueues its job once, however often it is clicked", async () => {
    await addDomain(org);
    const eventId = await latestEvent(hooks.listening);
    const delivery = await deliveryOf(hooks.listening, eventId);
    const deliveryId = delivery?.id as string;
    await api.database.db
      .update(webhookDeliveries)
      .set({ status: "failed", attempts: 8, nextAttemptAt: null, lastAttemptAt: new Date() })
      .where(eq(webhookDeliveries.id, deliveryId));
    const path = `/webhooks/${hooks.listening}/events/${eventId}/replay`;
    const before = Date.now();
    const replayed = await api.call("POST", path, { key: org.key });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toEqual({ object: "webhook_event", id: eventId });
    const reset = await deliveryOf(hooks.listening, eventId);
    expect(reset).toMatchObject({ status: "pending", attempts: 0 });
    expect(reset?.nextAttemptAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(reset?.lastAttemptAt).not.toBeNull();
    const keyed = (await jobsOf(deliveryId)).filter((job) => job.key !== null);
    expect(keyed).toEqual([{ key: `webhook_deliver:${deliveryId}`, max_attempts: 25 }]);

    expect((await api.call("POST", path, { key: org.key })).status).toBe(200);
    expect((await jobsOf(deliveryId)).filter((job) => job.key !== null)).toHaveLength(1);
    const got = await api.call("GET", `/webhooks/${hooks.listening}/events/${eventId}`, {
      key: org.key,
    });
    expect(got.body.status).toBe("pending");
  });

  it("refuses while an attempt is in flight, and for a disabled webhook", async () => {
    await addDomain(org);
    const eventId = await latestEvent(hooks.listening);
    const delivery = await deliveryOf(hooks.listening, eventId);
    await api.database.db
      .update(webhookDeliveries)
      .set({ status: "attempting" })
      .where(eq(webhookDeliveries.id, delivery?.id as string));
    const path = `/webhooks/${hooks.listening}/events/${eventId}/replay`;
    const busy = await api.call("POST", path, { key: org.key });
    expect(busy.status).toBe(409);
    expect(busy.body.name).toBe("invalid_state");
    expect((await deliveryOf(hooks.listening, eventId))?.status).toBe("attempting");

    const hook = await webhook(org, ["domain.created"]);
    await addDomain(org);
    const waiting = await latestEvent(hook);
    await api.call("PATCH", `/webhooks/${hook}`, { key: org.key, json: { status: "disabled" } });
    const disabled = await api.call("POST", `/webhooks/${hook}/events/${waiting}/replay`, {
      key: org.key,
    });
    expect(disabled.status).toBe(409);
    expect(disabled.body.message).toContain("disabled");
  });
});

describe("POST /webhooks/{id}/test", () => {
  it("sends a webhook.test event to this endpoint alone, whatever it listens to", async () => {
    const sent = await api.call("POST", `/webhooks/${hooks.deaf}/test`, { key: org.key });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ object: "webhook_event", id: expect.any(String) });
    const eventId = sent.body.id as string;

    const deliveries = await api.database.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.eventId, eventId));
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      endpointId: hooks.deaf,
      eventSource: "events",
      eventType: "webhook.test",
      status: "pending",
    });
    expect(await jobsOf(deliveries[0]?.id as string)).toEqual([
      { key: `webhook_deliver:${deliveries[0]?.id}`, max_attempts: 25 },
    ]);
    const [event] = await api.database.db.select().from(events).where(eq(events.id, eventId));
    expect(event).toMatchObject({ orgId: org.orgId, type: "webhook.test", objectId: hooks.deaf });

    const listed = await eventsOf(hooks.deaf);
    expect(listed.data[0]).toMatchObject({ id: eventId, type: "webhook.test", status: "pending" });
    const got = await api.call("GET", `/webhooks/${hooks.deaf}/events/${eventId}`, {
      key: org.key,
    });
    expect(got.body.payload).toEqual({
      type: "webhook.test",
      created_at: expect.any(String),
      data: {
        webhook_id: hooks.deaf,
        endpoint: "https://example.com/hook",
        message: expect.any(String),
      },
    });
    expect((await eventsOf(hooks.listening)).data.map((e) => e.id)).not.toContain(eventId);
  });

  it("refuses a disabled webhook", async () => {
    const response = await api.call("POST", `/webhooks/${hooks.disabled}/test`, { key: org.key });
    expect(response.status).toBe(409);
    expect(response.body.name).toBe("invalid_state");
  });
});

describe("ids in the path", () => {
  it("answers 404 for an event of another organization, or of another webhook, under an own webhook", async () => {
    await addDomain(other);
    const foreignEvent = await latestEvent(hooks.foreign, other.key);
    await addDomain(org);
    const ownEvent = await latestEvent(hooks.listening);
    // The event exists in this organization, but the deaf webhook never received it.
    for (const [webhookId, eventId] of [
      [hooks.listening, foreignEvent],
      [hooks.deaf, ownEvent],
      [hooks.listening, "00000000-0000-7000-8000-000000000000"],
    ] as const) {
      for (const [method, suffix] of [
        ["GET", ""],
        ["GET", "/attempts"],
        ["POST", "/replay"],
      ] as const) {
        const path = `/webhooks/${webhookId}/events/${eventId}${suffix}`;
        const response = await api.call(method, path, { key: org.key });
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(response.body.name).toBe("not_found");
      }
    }
  });

  it("answers 404 to another organization's key, for its webhook and its event", async () => {
    await addDomain(org);
    const eventId = await latestEvent(hooks.listening);
    for (const [method, suffix] of [
      ["GET", ""],
      ["GET", "/attempts"],
      ["POST", "/replay"],
    ] as const) {
      const path = `/webhooks/${hooks.listening}/events/${eventId}${suffix}`;
      const response = await api.call(method, path, { key: other.key });
      expect(response.status, `${method} ${path}`).toBe(404);
      // Even under the intruder's own webhook.
      const under = `/webhooks/${hooks.foreign}/events/${eventId}${suffix}`;
      expect((await api.call(method, under, { key: other.key })).status, under).toBe(404);
    }
  });

  it("validates both ids", async () => {
    for (const path of [
      `/webhooks/nope/events`,
      `/webhooks/${hooks.listening}/events/nope`,
      `/webhooks/nope/events/00000000-0000-7000-8000-000000000000`,
      `/webhooks/${hooks.listening}/events/nope/attempts`,
    ]) {
      const response = await api.call("GET", path, { key: org.key });
      expect(response.status, path).toBe(422);
      expect(response.body.name).toBe("validation_error");
    }
    const replay = await api.call("POST", `/webhooks/${hooks.listening}/events/1234/replay`, {
      key: org.key,
    });
    expect(replay.status).toBe(422);
    expect(replay.body.details[0].path).toBe("event_id");
  });
});
