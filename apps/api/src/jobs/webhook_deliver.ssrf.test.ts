import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events } from "../db/schema/index.ts";
import { newId } from "../lib/ids.ts";
import { createSsrfGuard } from "../lib/ssrf-guard.ts";
import { createOrganization } from "../services/organizations/create-organization.ts";
import { createTestDatabase, type TestDatabase } from "../test/database.ts";
import { eventually } from "../test/harness.ts";
import { startHttpServer, type TestHttpServer } from "../test/http-server.ts";
import {
  attemptsOf,
  createEndpoint,
  deliveriesOfEvent,
  startWebhookWorker,
  type WebhookWorker,
  webhookSecret,
} from "../test/webhooks.ts";

// Production's guard: no allow-list, so loopback is refused like every other internal address.
const guard = createSsrfGuard({ keepAlive: true });
let database: TestDatabase;
let worker: WebhookWorker;
let orgId: string;
let server: TestHttpServer;
let requests = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  orgId = (await createOrganization({ db: database.db, input: { name: "SSRF" } })).orgId;
  server = await startHttpServer((_request, response) => {
    requests += 1;
    response.end("ok");
  });
  // One attempt: a refused address is refused again on every retry.
  worker = await startWebhookWorker(database, { guard, policy: { retryScheduleMs: [] } });
});
afterAll(async () => {
  await worker.stop();
  guard.close();
  await server.close();
  await database.drop();
});

describe("webhook endpoints on internal addresses", () => {
  it.each([
    ["loopback", () => `http://127.0.0.1:${server.port}/hooks`],
    ["loopback, another spelling", () => `http://127.1:${server.port}/hooks`],
    ["private 10/8", () => "http://10.1.2.3/hooks"],
    ["private 192.168/16", () => "http://192.168.0.10:8080/hooks"],
    ["link-local (cloud metadata)", () => "http://169.254.169.254/latest/meta-data/"],
    ["carrier-grade NAT 100.64/10", () => "http://100.64.0.1/hooks"],
    ["multicast", () => "http://224.0.0.251/hooks"],
    ["IPv4-mapped IPv6 loopback", () => `http://[::ffff:127.0.0.1]:${server.port}/hooks`],
    ["IPv6 loopback", () => `http://[::1]:${server.port}/hooks`],
    ["a host name resolving to loopback", () => `http://localhost:${server.port}/hooks`],
  ])("refuses %s: a failed attempt, no request sent", async (_name, url) => {
    const endpoint = url();
    const type = `ssrf.${newId()}`;
    await createEndpoint(database.db, {
      orgId,
      url: endpoint,
      secret: webhookSecret(),
      events: [type],
    });
    const eventId = newId();
    await database.db
      .insert(events)
      .values({ id: eventId, orgId, type, objectId: eventId, data: { object: "test" } });

    const [delivery] = await eventually(async () => {
      const rows = await deliveriesOfEvent(database.db, eventId);
      return rows[0]?.status === "failed" ? rows : undefined;
    });
    expect(delivery?.attempts).toBe(1);
    const attempts = await attemptsOf(database.db, delivery?.id ?? "");
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({
      statusCode: null,
      response: "The URL's host is not allowed: it is, or resolves to, a non-public address",
    });
    // What the endpoint's owner sees names no address.
    expect(attempts[0]?.response).not.toMatch(/127\.|10\.1|169\.254|::1|localhost/);
    expect(requests).toBe(0);
  });
});
