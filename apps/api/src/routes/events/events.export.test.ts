import { setTimeout as sleep } from "node:timers/promises";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHandle, startApi } from "../../api.ts";
import { emailEvents } from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";
import { EVENT_CSV_COLUMNS } from "../../services/events/event-view.ts";
import { insertEmail, insertEvents } from "../../test/email-event-rows.ts";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";

let api: TestApi;
let server: ApiHandle;
let base: string;
let org: TestOrg;
let other: TestOrg;
let big: TestOrg;
const small: string[] = [];
const T0 = Date.parse("2026-11-30T10:00:00.000Z");
const BIG = 50_000;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  other = await api.createOrg("Other");
  big = await api.createOrg("Big");
  server = await startApi({
    ...api.deps,
    config: { ...api.deps.config, port: 0, host: "127.0.0.1" },
  });
  base = `http://127.0.0.1:${server.port}`;
  const db = api.database.db;
  const awkward = await insertEmail(db, org.orgId, {
    subject: 'Hello, "friend"\nsecond line',
    to: ["Doe, John <john@example.com>"],
    tags: [{ name: "category", value: "welcome" }],
  });
  const plain = await insertEmail(db, org.orgId);
  small.push(
    ...(await insertEvents(db, [
      { orgId: org.orgId, emailId: awkward, type: "queued", at: T0 },
      { orgId: org.orgId, emailId: awkward, type: "sent", at: T0 + 1000 },
      {
        orgId: org.orgId,
        emailId: awkward,
        type: "bounced",
        at: T0 + 2000,
        details: { recipients: ["john@example.com"], bounce_class: "hard", response: "550 no" },
      },
      { orgId: org.orgId, emailId: plain, type: "delivered", at: T0 + 3000 },
    ])),
  );
});
afterAll(async () => {
  await server.stop();
  await api.close();
});

const get = (query: string, key = org.key) =>
  fetch(`${base}/events/export${query}`, { headers: { authorization: `Bearer ${key}` } });

describe("GET /events/export", () => {
  it("writes NDJSON oldest first, each line as GET /events shows the event", async () => {
    const response = await get("");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="events.ndjson"',
    );
    const lines = (await response.text())
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    const listed = await api.call("GET", "/events", { key: org.key });
    expect(lines).toEqual([...listed.body.data].reverse());
    expect(lines.map((line) => line.id)).toEqual(small.slice(1));
  });

  it("writes CSV with a header row and quoted fields", async () => {
    const response = await get("?format=csv&type=email.bounced");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const text = await response.text();
    const [header, ...rest] = text.split("\r\n");
    expect(header).toBe(EVENT_CSV_COLUMNS.join(","));
    expect(rest.at(-1)).toBe("");
    const row = rest.slice(0, -1).join("\r\n");
    expect(row).toContain(`${small[2]},email.bounced,${new Date(T0 + 2000).toISOString()},`);
    expect(row).toContain('"Hello, ""friend""\nsecond line"');
    expect(row).toContain('"[""Doe, John <john@example.com>""]"');
    expect(row).toContain('"{""category"":""welcome""}"');
    expect(row).toContain(
      '"{""bounce"":{""message"":""550 no"",""subType"":""General"",""type"":""Permanent"",""enhanced_code"":null}}"',
    );
  });

  it("applies the filters: types and time range", async () => {
    const after = new Date(T0 + 1000).toISOString();
    const before = new Date(T0 + 3000).toISOString();
    const response = await get(`?created_after=${after}&created_before=${before}`);
    const ids = (await response.text())
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line).id);
    expect(ids).toEqual([small[1], small[2]]);
    const delivered = await (await get("?type=email.delivered&format=csv")).text();
    expect(delivered.split("\r\n")).toHaveLength(3);
  });

  it.each([
    ["?format=xml", "format"],
    ["?type=email.nope", "type.0"],
    ["?created_before=tomorrow", "created_before"],
  ])("refuses %s", async (query, path) => {
    const response = await get(query);
    expect(response.status).toBe(422);
    const body = (await response.json()) as { name: string; details: { path: string }[] };
    expect(body.name).toBe("validation_error");
    expect(body.details.map((detail) => detail.path)).toContain(path);
  });

  it("exports only the caller's organization", async () => {
    const response = await get("?format=csv", other.key);
    expect(await response.text()).toBe(`${EVENT_CSV_COLUMNS.join(",")}\r\n`);
    const refused = await get("", org.sendingKey);
    expect(refused.status).toBe(401);
    await refused.body?.cancel();
  });

  it(`streams ${BIG.toLocaleString("en")} events as it reads them, each once and in order, in bounded memory`, async () => {
    const expected = await seedBig();
    // What stays reachable (after a full collection), before and every 5,000 lines.
    const heapBefore = liveHeap();
    let peakHeap = heapBefore;
    const response = await get("?format=ndjson", big.key);
    expect(response.status).toBe(200);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);

    // The client stops reading: back-pressure stops the server, whose cursor stays open.
    await sleep(1500);
    expect(await exportQueries()).toBe(1);

    peakHeap = Math.max(peakHeap, liveHeap());
    const decoder = new TextDecoder();
    let pending = decoder.decode(first.value, { stream: true });
    let bytes = first.value?.byteLength ?? 0;
    let count = 0;
    let mismatch: string | undefined;
    const take = (line: string) => {
      const id = JSON.parse(line).id as string;
      if (id !== expected[count] && mismatch === undefined) mismatch = `#${count}: ${id}`;
      count += 1;
      if (count % 5000 === 0) peakHeap = Math.max(peakHeap, liveHeap());
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      pending += decoder.decode(value, { stream: true });
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) take(line);
    }
    expect(pending).toBe("");
    expect(mismatch).toBeUndefined();
    expect(count).toBe(BIG);
    expect(await exportQueries()).toBe(0);
    // Holding the rows would take more than the body; streaming holds a chunk or two.
    const growth = peakHeap - heapBefore;
    expect(bytes).toBeGreaterThan(20 * 1024 * 1024);
    expect(growth, `live heap grew ${(growth / 1024 / 1024).toFixed(1)} MB`).toBeLessThan(
      bytes / 4,
    );
  });

  it("closes the cursor when the client goes away mid-export", async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/events/export`, {
      headers: { authorization: `Bearer ${big.key}` },
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await sleep(300);
    expect(await exportQueries()).toBe(1);
    controller.abort();
    const deadline = Date.now() + 5000;
    while ((await exportQueries()) > 0 && Date.now() < deadline) await sleep(50);
    expect(await exportQueries()).toBe(0);
  });
});

/** 50,000 events of 500 emails in the big organization; their ids, oldest first. */
async function seedBig(): Promise<string[]> {
  const db = api.database.db;
  const emailIds: string[] = [];
  for (let i = 0; i < 500; i++) {
    emailIds.push(
      await insertEmail(db, big.orgId, {
        subject: `Newsletter #${i}, "big" edition`,
        to: [`reader-${i}@example.com`],
        tags: [{ name: "campaign", value: `c${i % 7}` }],
      }),
    );
  }
  const ids: string[] = [];
  const start = Date.now() - BIG;
  for (let offset = 0; offset < BIG; offset += 5000) {
    const rows = Array.from({ length: 5000 }, (_, i) => {
      const n = offset + i;
      return {
        id: newId(),
        orgId: big.orgId,
        emailId: emailIds[n % emailIds.length] as string,
        type: n % 3 === 0 ? ("bounced" as const) : ("delivered" as const),
        details: { recipients: [`reader-${n % 500}@example.com`], response: "250 2.0.0 Ok" },
        createdAt: new Date(start + n),
      };
    });
    await db.insert(emailEvents).values(rows);
    ids.push(...rows.map((row) => row.id));
  }
  return ids.sort();
}

/** Heap in use once garbage is collected: what the process really holds. */
function liveHeap(): number {
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
  return process.memoryUsage().heapUsed;
}

/** Export queries running now (a cursor between fetches counts). */
async function exportQueries(): Promise<number> {
  const [row] = await api.database.sql<{ count: number }[]>`
    select count(*)::int as count from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid()
      and query like 'select "email_events"."id"%' and query like '%order by "email_events"."id" asc%'
      and state <> 'idle'`;
  return row?.count ?? 0;
}
