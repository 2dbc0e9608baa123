import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events, webhookDeliveries, webhookEndpoints } from "../db/schema/index.ts";
import { newId } from "../lib/ids.ts";
import { createOrganization } from "../services/organizations/create-organization.ts";
import { createTestDatabase, type TestDatabase } from "../test/database.ts";
import { eventually } from "../test/harness.ts";
import {
  createEndpoint,
  deliveriesOfEvent,
  type Receiver,
  signedWith,
  startReceiver,
  startWebhookWorker,
  verifyWebhook,
  type WebhookWorker,
  webhookSecret,
} from "../test/webhooks.ts";

const DAY = 86_400_000;
// The dispatcher's clock: the test moves it days ahead instead of waiting.
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

let database: TestDatabase;
let worker: WebhookWorker;
let orgId: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  orgId = (await createOrganization({ db: database.db, input: { name: "Disable" } })).orgId;
  worker = await startWebhookWorker(database, {
    clock,
    // Many quick attempts: the endpoint keeps failing while the clock moves.
    policy: { retryScheduleMs: Array.from({ length: 20 }, () => 200) },
  });
});
afterAll(async () => {
  await worker.stop();
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await database.drop();
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

async function record(type: string): Promise<string> {
  const id = newId();
  await database.db.insert(events).values({ id, orgId, type, objectId: id, data: { id } });
  return id;
}

const endpointRow = async (id: string) =>
  (await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)))[0];

describe("an endpoint failing for 5 days", () => {
  it("is disabled at its next failure, with a webhook.disabled operational event", async () => {
    const failing = await receiver((_webhook, response) => {
      response.statusCode = 500;
      response.end("down");
    });
    const watcher = await receiver();
    const secret = webhookSecret();
    const watcherSecret = webhookSecret();
    const id = await createEndpoint(database.db, {
      orgId,
      url: failing.url,
      secret,
      events: ["domain.updated", "webhook.disabled"],
    });
    await createEndpoint(database.db, {
      orgId,
      url: watcher.url,
      secret: watcherSecret,
      events: ["webhook.disabled"],
    });

    const eventId = await record("domain.updated");
    const firstFailure = await eventually(async () => (await endpointRow(id))?.failingSince);
    expect(Math.abs(firstFailure.getTime() - Date.now())).toBeLessThan(5000);
    expect((await endpointRow(id))?.status).toBe("enabled");
    expect(verifyWebhook(secret, failing.received[0] as never)).toMatchObject({
      type: "domain.updated",
    });

    // Five days later (and a minute), its deliveries still failing.
    offsetMs = 5 * DAY + 60_000;
    const disabled = await eventually(async () => {
      const row = await endpointRow(id);
      return row?.status === "disabled" ? row : undefined;
    });
    expect(disabled).toMatchObject({
      disabledReason: "Every delivery failed for 5 days",
      failingSince: firstFailure,
    });
    const [delivery] = await deliveriesOfEvent(database.db, eventId);
    expect(delivery?.status).toBe("failed");
    // Every attempt was signed, at its own time.
    for (const webhook of failing.received) expect(signedWith(secret, webhook)).toBe(true);

    const [operational] = await database.db.select().from(events).where(eq(events.objectId, id));
    expect(operational).toMatchObject({
      type: "webhook.disabled",
      data: {
        object: "webhook",
        id,
        endpoint: failing.url,
        status: "disabled",
        disabled_reason: "Every delivery failed for 5 days",
        failing_since: firstFailure.toISOString(),
      },
    });
    // Delivered to the other endpoint that listens to it; not to the one disabled, which
    // listens to it too: no loop.
    await eventually(async () => watcher.received.length === 1);
    expect(signedWith(watcherSecret, watcher.received[0] as never)).toBe(true);
    expect(JSON.parse(watcher.received[0]?.body ?? "")).toMatchObject({
      type: "webhook.disabled",
      data: { id },
    });
    const toDisabled = await database.db
      .select({ type: webhookDeliveries.eventType })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, id));
    expect(toDisabled).toEqual([{ type: "domain.updated" }]);
    const received = failing.received.length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(failing.received).toHaveLength(received);
    expect(failing.received.every((webhook) => !webhook.body.includes("webhook.disabled"))).toBe(
      true,
    );
    offsetMs = 0;
  });

  it("is not disabled when a success came in between: the success clears failing_since", async () => {
    const recovering = await receiver((_webhook, response, index) => {
      response.statusCode = index === 0 ? 503 : 200;
      response.end();
    });
    const id = await createEndpoint(database.db, {
      orgId,
      url: recovering.url,
      secret: webhookSecret(),
      events: ["domain.deleted"],
    });
    const first = await record("domain.deleted");
    await eventually(
      async () => (await deliveriesOfEvent(database.db, first))[0]?.status === "success",
    );
    expect((await endpointRow(id))?.failingSince).toBeNull();

    // A failure 6 days later starts a new failing period instead of disabling.
    offsetMs = 6 * DAY;
    const failing = await receiver((_webhook, response) => {
      response.statusCode = 500;
      response.end();
    });
    await database.db
      .update(webhookEndpoints)
      .set({ endpoint: failing.url })
      .where(eq(webhookEndpoints.id, id));
    await record("domain.deleted");
    const since = await eventually(async () => (await endpointRow(id))?.failingSince);
    expect(Math.abs(since.getTime() - (Date.now() + 6 * DAY))).toBeLessThan(5000);
    expect((await endpointRow(id))?.status).toBe("enabled");
    offsetMs = 0;
  });
});
