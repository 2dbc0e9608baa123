import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events } from "../db/schema/index.ts";
import { newId } from "../lib/ids.ts";
import { createOrganization } from "../services/organizations/create-organization.ts";
import { createTestDatabase, type TestDatabase } from "../test/database.ts";
import { eventually } from "../test/harness.ts";
import {
  attemptsOf,
  createEndpoint,
  deliveriesOfEvent,
  type Receiver,
  startReceiver,
  startWebhookWorker,
  verifyWebhook,
  type WebhookWorker,
  webhookSecret,
} from "../test/webhooks.ts";

let database: TestDatabase;
let worker: WebhookWorker;
let orgId: string;
let slow: Receiver;
let fast: Receiver;
const held: ServerResponse[] = [];
let inFlight = 0;
let mostInFlight = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  orgId = (await createOrganization({ db: database.db, input: { name: "Slots" } })).orgId;
  // The slow endpoint answers only when the test lets it.
  slow = await startReceiver((_webhook, response) => {
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    held.push(response);
  });
  fast = await startReceiver();
  // 4 graphile-worker slots, at most 2 of them for one endpoint.
  worker = await startWebhookWorker(database, {
    concurrency: 4,
    settings: { endpointConcurrency: 2, timeoutMs: 15_000 },
  });
});
afterAll(async () => {
  await worker.stop();
  await slow.close();
  await fast.close();
  await database.drop();
});

async function record(type: string): Promise<string> {
  const id = newId();
  await database.db.insert(events).values({ id, orgId, type, objectId: id, data: { id } });
  return id;
}

describe("the per-endpoint limit", () => {
  it("keeps a slow endpoint from delaying another endpoint's deliveries", async () => {
    const fastSecret = webhookSecret();
    await createEndpoint(database.db, {
      orgId,
      url: slow.url,
      secret: webhookSecret(),
      events: ["domain.created"],
    });
    await createEndpoint(database.db, {
      orgId,
      url: fast.url,
      secret: fastSecret,
      events: ["domain.updated"],
    });

    const slowEvents: string[] = [];
    for (let i = 0; i < 8; i++) slowEvents.push(await record("domain.created"));
    await eventually(async () => held.length === 2);

    // With the slow endpoint holding its 2 slots and 6 more deliveries waiting for them, the
    // other endpoint's deliveries go through at once.
    const started = Date.now();
    const fastEvents: string[] = [];
    for (let i = 0; i < 6; i++) fastEvents.push(await record("domain.updated"));
    await eventually(async () => fast.received.length === 6, 5000);
    expect(Date.now() - started).toBeLessThan(5000);
    for (const webhook of fast.received) verifyWebhook(fastSecret, webhook);
    expect(held).toHaveLength(2);
    expect(mostInFlight).toBe(2);

    // The waiting deliveries were put back, not attempted: no attempt counted.
    const waiting = (await Promise.all(slowEvents.map((id) => deliveriesOfEvent(database.db, id))))
      .flat()
      .filter((row) => row.status === "pending");
    expect(waiting).toHaveLength(6);
    expect(waiting.every((row) => row.attempts === 0)).toBe(true);

    // Let the slow endpoint answer, two at a time: all eight arrive, each on its first attempt.
    const release = setInterval(() => {
      for (const response of held.splice(0)) {
        inFlight -= 1;
        response.end("ok");
      }
    }, 50);
    try {
      const settled = await eventually(
        async () => {
          const rows = (
            await Promise.all(slowEvents.map((id) => deliveriesOfEvent(database.db, id)))
          ).flat();
          return rows.every((row) => row.status === "success") ? rows : undefined;
        },
        // Put back 1 to 2 s at a time, two by two: a few seconds.
        10_000,
        "slow deliveries",
      );
      expect(settled.map((row) => row.attempts)).toEqual(Array(8).fill(1));
      for (const row of settled) expect(await attemptsOf(database.db, row.id)).toHaveLength(1);
      expect(mostInFlight).toBe(2);
      expect(slow.received).toHaveLength(8);
      // Their jobs ran to completion: none failed, none is left.
      const jobs = await database.sql`select last_error from graphile_worker._private_jobs`;
      expect(jobs).toEqual([]);
    } finally {
      clearInterval(release);
    }
  });
});
