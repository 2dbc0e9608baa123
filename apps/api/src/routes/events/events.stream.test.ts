import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHandle, startApi } from "../../api.ts";
import { connectDatabase, type Database } from "../../db/client.ts";
import type { ApiDeps } from "../../deps.ts";
import { uuidv7Floor } from "../../lib/id-time.ts";
import { EventNotifications } from "../../services/events/event-notifications.ts";
import { insertEmail, insertEvents } from "../../test/email-event-rows.ts";
import { eventually, startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";
import { openSse, type SseConnection } from "../../test/sse-client.ts";

let api: TestApi;
let server: ApiHandle;
let base: string;
/** Another connection pool: events are recorded by "someone else", as in production. */
let writer: Database;
let org: TestOrg;
let other: TestOrg;
let emailId: string;
let otherEmailId: string;
const open: SseConnection[] = [];

const serve = (deps: Partial<ApiDeps> = {}) =>
  startApi({
    ...api.deps,
    ...deps,
    config: { ...api.deps.config, port: 0, host: "127.0.0.1" },
  });

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  other = await api.createOrg("Other");
  server = await serve();
  base = `http://127.0.0.1:${server.port}`;
  writer = connectDatabase(api.database.url, { max: 4 });
  emailId = await insertEmail(writer.db, org.orgId);
  otherEmailId = await insertEmail(writer.db, other.orgId);
});
afterAll(async () => {
  for (const connection of open) connection.close();
  await server.stop();
  await writer.close();
  await api.close();
});

/** A live stream: resolves once its first line (`retry:`) came, when it sends what follows. */
async function connect(
  options: { key?: string; headers?: Record<string, string>; query?: string; url?: string } = {},
): Promise<SseConnection> {
  const connection = await openSse(`${options.url ?? base}/events/stream${options.query ?? ""}`, {
    authorization: `Bearer ${options.key ?? org.key}`,
    ...options.headers,
  });
  open.push(connection);
  expect(connection.status).toBe(200);
  await eventually(async () => connection.parser.retry !== undefined, 5000, "stream live");
  return connection;
}

const record = (type: "delivered" | "bounced" | "opened", count = 1, at?: number) =>
  insertEvents(
    writer.db,
    Array.from({ length: count }, () => ({ orgId: org.orgId, emailId, type, at })),
  );

describe("GET /events/stream", () => {
  it("sends an event recorded by another connection within a second, as id, event and data", async () => {
    const stream = await connect();
    const started = performance.now();
    const [id] = await record("delivered");
    const [message] = await stream.waitFor(1);
    expect((message?.receivedAt ?? Infinity) - started).toBeLessThan(1000);
    expect(message?.id).toBe(id);
    expect(message?.event).toBe("email.delivered");
    const listed = await api.call("GET", `/events?email_id=${emailId}&limit=1`, { key: org.key });
    const { type, created_at, data } = listed.body.data[0];
    expect(JSON.parse(message?.data ?? "")).toEqual({ type, created_at, data });
    expect(stream.parser.lastEventId).toBe(id);
    stream.close();
  });

  it("starts with what is recorded after it connected, and sends organization events", async () => {
    const [before] = await record("delivered");
    const stream = await connect();
    const [after] = await record("opened");
    const domain = await api.call("POST", "/domains", { key: org.key, json: { name: "acme.dev" } });
    const messages = await stream.waitFor(2);
    expect(messages.map((message) => message.id)).not.toContain(before);
    expect(messages[0]?.id).toBe(after);
    expect(messages[1]?.event).toBe("domain.created");
    expect(JSON.parse(messages[1]?.data ?? "").data.id).toBe(domain.body.id);
    stream.close();
  });

  it("sends a burst exactly once, in id order, and never another organization's events", async () => {
    const mine = await connect();
    const theirs = await connect({ key: other.key });
    const expected: string[] = [];
    const theirIds: string[] = [];
    for (let round = 0; round < 5; round++) {
      const [ours, others] = await Promise.all([
        record("delivered", 100),
        insertEvents(
          writer.db,
          Array.from({ length: 20 }, () => ({
            orgId: other.orgId,
            emailId: otherEmailId,
            type: "delivered" as const,
          })),
        ),
      ]);
      expected.push(...ours);
      theirIds.push(...others);
    }
    const received = (await mine.waitFor(500)).map((message) => message.id);
    await theirs.waitFor(100);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mine.messages).toHaveLength(500);
    expect(received).toEqual([...expected].sort());
    expect(theirs.messages.map((message) => message.id).sort()).toEqual([...theirIds].sort());
    mine.close();
    theirs.close();
  });

  it("resumes after Last-Event-ID, or ?after=, without loss or duplicates", async () => {
    const first = await connect();
    const sent = await record("delivered", 3);
    await first.waitFor(3);
    first.close();
    await first.ended;
    const missed = await record("bounced", 3);

    const resumed = await connect({ headers: { "last-event-id": first.parser.lastEventId } });
    await resumed.waitFor(3);
    const [live] = await record("opened");
    const messages = await resumed.waitFor(4);
    expect(messages.map((message) => message.id)).toEqual([...missed, live]);
    resumed.close();

    // A first connection resumes the same way with ?after=; Last-Event-ID wins over it.
    const byQuery = await connect({ query: `?after=${sent[0]}` });
    expect((await byQuery.waitFor(6)).slice(0, 6).map((message) => message.id)).toEqual([
      ...(sent.slice(1) as string[]),
      ...missed,
      live,
    ]);
    byQuery.close();
    const both = await connect({
      query: `?after=${sent[0]}`,
      headers: { "last-event-id": missed[2] as string },
    });
    expect((await both.waitFor(1)).map((message) => message.id)).toEqual([live]);
    both.close();
  });

  it("sends an event committed after one with a larger id, and keeps the resume point", async () => {
    const stream = await connect();
    const now = Date.now();
    const [larger] = await record("delivered", 1, now);
    await stream.waitFor(1);
    // Made 2 s earlier (a batch that waited) but committed now: below what was sent.
    const [smaller] = await record("bounced", 1, now - 2000);
    const messages = await stream.waitFor(2);
    expect(messages.map((message) => message.id)).toEqual([larger, smaller]);
    // The bare `id:` after it put the client's last event id back to the highest one.
    expect(stream.parser.lastEventId).toBe(larger);
    stream.close();

    const resumed = await connect({ headers: { "last-event-id": stream.parser.lastEventId } });
    const [next] = await record("opened");
    expect((await resumed.waitFor(1)).map((message) => message.id)).toEqual([next]);
    resumed.close();
  });

  it("keeps an idle stream alive with comments, and lets go when the client leaves", async () => {
    const notifications = new EventNotifications(api.database.sql, api.logger, {
      keepAliveMs: 100,
    });
    const chatty = await serve({ eventNotifications: notifications });
    const stream = await connect({ url: `http://127.0.0.1:${chatty.port}` });
    expect(notifications.subscriberCount).toBe(1);
    await eventually(async () => stream.parser.comments >= 3, 5000, "keep-alive comments");
    stream.close();
    await eventually(async () => notifications.subscriberCount === 0, 5000, "unsubscribed");
    await chatty.stop();
  });

  it("ends its streams when the server stops", async () => {
    const notifications = new EventNotifications(api.database.sql, api.logger);
    const stopping = await serve({ eventNotifications: notifications });
    const stream = await connect({ url: `http://127.0.0.1:${stopping.port}` });
    const started = performance.now();
    await stopping.stop();
    await stream.ended;
    expect(performance.now() - started).toBeLessThan(5000);
    expect(notifications.subscriberCount).toBe(0);
  });

  it.each([
    [{ "last-event-id": "not-an-id" }, "", "last-event-id"],
    [{}, "?after=42", "after"],
  ])("refuses a bad position (%j %s)", async (headers, query, path) => {
    const response = await fetch(`${base}/events/stream${query}`, {
      headers: { authorization: `Bearer ${org.key}`, ...headers },
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { name: string; details: { path: string }[] };
    expect(body.name).toBe("validation_error");
    expect(body.details.map((detail) => detail.path)).toContain(path);
  });

  it("needs an API key with events:read", async () => {
    const anonymous = await fetch(`${base}/events/stream`);
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
    const sending = await fetch(`${base}/events/stream`, {
      headers: { authorization: `Bearer ${org.sendingKey}` },
    });
    expect(sending.status).toBe(401);
    expect(((await sending.json()) as { name: string }).name).toBe("restricted_api_key");
  });

  it("resumes from a position given as a time floor, an empty Last-Event-ID being none", async () => {
    const floor = uuidv7Floor(Date.now());
    const [id] = await record("delivered");
    const stream = await connect({ query: `?after=${floor}`, headers: { "last-event-id": "" } });
    expect((await stream.waitFor(1)).map((message) => message.id)).toEqual([id]);
    stream.close();
  });
});
