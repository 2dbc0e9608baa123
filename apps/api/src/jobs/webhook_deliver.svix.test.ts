import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events, webhookEndpoints } from "../db/schema/index.ts";
import { newId } from "../lib/ids.ts";
import { createOrganization } from "../services/organizations/create-organization.ts";
import { webhookMessageId } from "../services/webhooks/message-id.ts";
import { createTestDatabase, type TestDatabase } from "../test/database.ts";
import { eventually } from "../test/harness.ts";
import { type FakeSvix, startFakeSvix } from "../test/svix-server.ts";
import {
  attemptsOf,
  createEndpoint,
  deliveriesOfEvent,
  startWebhookWorker,
  testSecrets,
  type WebhookWorker,
  webhookSecret,
} from "../test/webhooks.ts";

let database: TestDatabase;
let svix: FakeSvix;
let worker: WebhookWorker;
let orgId: string;
const token = "testsk_thrive_send_tests.eu";

beforeAll(async () => {
  database = await createTestDatabase();
  orgId = (await createOrganization({ db: database.db, input: { name: "Svix" } })).orgId;
  svix = await startFakeSvix(token);
  worker = await startWebhookWorker(database, {
    settings: {
      endpointConcurrency: 10,
      timeoutMs: 5000,
      svix: { apiKey: token, serverUrl: svix.origin },
    },
    policy: { retryScheduleMs: [300, 300, 300] },
  });
});
afterAll(async () => {
  await worker.stop();
  await svix.close();
  await database.drop();
});

async function record(type: string): Promise<string> {
  const id = newId();
  await database.db
    .insert(events)
    .values({ id, orgId, type, objectId: id, data: { object: "domain", id, name: "acme.dev" } });
  return id;
}

async function settled(eventId: string, count: number) {
  return eventually(async () => {
    const rows = await deliveriesOfEvent(database.db, eventId);
    return rows.length === count && rows.every((row) => row.status === "success")
      ? rows
      : undefined;
  });
}

const svixApp = () => [...svix.apps.values()].find((app) => app.uid === orgId);

describe("delivery through a Svix server (SVIX_API_KEY)", () => {
  const secrets = [webhookSecret(), webhookSecret(), webhookSecret()];
  const ids: string[] = [];

  it("creates the organization's application, its endpoints, and one message per event", async () => {
    ids.push(
      await createEndpoint(database.db, {
        orgId,
        url: "https://hooks.example.com/a",
        secret: secrets[0] as string,
        events: ["domain.created", "domain.updated"],
      }),
      await createEndpoint(database.db, {
        orgId,
        url: "https://hooks.example.com/b",
        secret: secrets[1] as string,
        events: ["domain.created"],
      }),
      await createEndpoint(database.db, {
        orgId,
        url: "https://hooks.example.com/c",
        secret: secrets[2] as string,
        events: ["domain.deleted"],
      }),
    );
    await database.db
      .update(webhookEndpoints)
      .set({ status: "disabled" })
      .where(eq(webhookEndpoints.id, ids[2] as string));

    const eventId = await record("domain.created");
    const deliveries = await settled(eventId, 2);
    expect(deliveries.map((row) => row.attempts)).toEqual([1, 1]);

    const app = svixApp();
    expect(app).toMatchObject({ uid: orgId, name: orgId });
    const endpoints = svix.endpoints.get(app?.id ?? "") ?? [];
    expect(
      endpoints
        .map(({ uid, url, eventTypes, disabled, secret }) => ({
          uid,
          url,
          eventTypes,
          disabled,
          secret,
        }))
        .sort((a, b) => a.url.localeCompare(b.url)),
    ).toEqual([
      {
        uid: ids[0],
        url: "https://hooks.example.com/a",
        eventTypes: ["domain.created", "domain.updated"],
        disabled: false,
        secret: secrets[0],
      },
      {
        uid: ids[1],
        url: "https://hooks.example.com/b",
        eventTypes: ["domain.created"],
        disabled: false,
        secret: secrets[1],
      },
      {
        uid: ids[2],
        url: "https://hooks.example.com/c",
        eventTypes: ["domain.deleted"],
        disabled: true,
        secret: secrets[2],
      },
    ]);

    // Both deliveries asked; Svix kept one message (eventId), which it fans out itself.
    const messages = svix.messages.get(app?.id ?? "") ?? [];
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      eventId: webhookMessageId(eventId),
      eventType: "domain.created",
      payload: { type: "domain.created", data: { object: "domain", id: eventId } },
    });
    const creates = svix.requests.filter((request) => request.path.endsWith("/msg"));
    expect(creates).toHaveLength(2);
    expect(creates.every((request) => request.path === `/api/v1/app/${orgId}/msg`)).toBe(true);
    const responses = (
      await Promise.all(deliveries.map((row) => attemptsOf(database.db, row.id)))
    ).flat();
    expect(responses.map((attempt) => attempt.response).sort()).toEqual([
      `Handed to Svix as ${messages[0]?.id}`,
      "Handed to Svix with another endpoint's delivery of this event",
    ]);
    expect(responses.every((attempt) => attempt.statusCode === null)).toBe(true);
    // Every call carried the key.
    expect(
      svix.requests.every((request) => request.headers.authorization === `Bearer ${token}`),
    ).toBe(true);
  });

  it("syncs changed endpoints before the next message: URL, secret rotation, deletion", async () => {
    const rotated = webhookSecret();
    await database.db
      .update(webhookEndpoints)
      .set({
        endpoint: "https://hooks.example.com/a2",
        secret: testSecrets.seal(rotated),
        previousSecret: testSecrets.seal(secrets[0] as string),
        previousSecretExpiresAt: new Date(Date.now() + 3_600_000),
        updatedAt: new Date(),
      })
      .where(eq(webhookEndpoints.id, ids[0] as string));
    await database.db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, ids[2] as string));
    const before = svix.requests.length;

    const eventId = await record("domain.updated");
    await settled(eventId, 1);
    const app = svixApp();
    const endpoints = svix.endpoints.get(app?.id ?? "") ?? [];
    expect(endpoints.map((endpoint) => endpoint.uid).sort()).toEqual([ids[0], ids[1]].sort());
    const first = endpoints.find((endpoint) => endpoint.uid === ids[0]);
    expect(first).toMatchObject({ url: "https://hooks.example.com/a2", secret: rotated });
    expect(first?.rotations).toHaveLength(1);
    expect(first?.rotations[0]?.key).toBe(secrets[0]);
    expect(first?.rotations[0]?.gracePeriodSeconds).toBeGreaterThan(3500);
    expect(first?.rotations[0]?.gracePeriodSeconds).toBeLessThanOrEqual(3600);
    const calls = svix.requests
      .slice(before)
      .map((request) => `${request.method} ${request.path.replace(/[0-9a-f-]{36}/g, ":id")}`);
    expect(calls).toEqual(
      expect.arrayContaining([
        "PATCH /api/v1/app/:id/endpoint/:id",
        "POST /api/v1/app/:id/endpoint/:id/secret/rotate",
        "DELETE /api/v1/app/:id/endpoint/:id",
        "POST /api/v1/app/:id/msg",
      ]),
    );
    // Nothing changed since: the next message costs no sync.
    const quiet = svix.requests.length;
    await settled(await record("domain.updated"), 1);
    expect(svix.requests.slice(quiet).map((request) => request.method)).toEqual(["POST"]);
  });

  it("retries on our schedule while the Svix server refuses the key or fails", async () => {
    svix.token = "testsk_another_key";
    const eventId = await record("domain.updated");
    const [waiting] = await eventually(async () => {
      const rows = await deliveriesOfEvent(database.db, eventId);
      return rows[0]?.status === "pending" && rows[0].attempts >= 1 ? rows : undefined;
    });
    const [failed] = await attemptsOf(database.db, waiting?.id ?? "");
    expect(failed).toMatchObject({ statusCode: null, response: "The Svix server answered 401" });
    svix.token = token;
    svix.failWith = 503;
    await new Promise((resolve) => setTimeout(resolve, 400));
    svix.failWith = null;
    const [delivery] = await settled(eventId, 1);
    expect(delivery?.attempts).toBeGreaterThanOrEqual(2);
    const attempts = await attemptsOf(database.db, delivery?.id ?? "");
    expect(attempts.at(-1)?.response).toMatch(/^Handed to Svix as msg_/);
  });
});
