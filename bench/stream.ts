/**
 * `pnpm bench:stream`: how long an event takes from its commit to an SSE client of
 * GET /events/stream, against the production server in a child process. Events are recorded
 * by the bench's own connections (as the worker or the API would, through the same triggers):
 * first at a steady rate, then as a burst of multi-row statements.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "../apps/api/src/db/client.ts";
import { connectDatabase } from "../apps/api/src/db/client.ts";
import { newId } from "../apps/api/src/lib/ids.ts";
import { openSse, type SseConnection } from "../apps/api/src/test/sse-client.ts";
import { readNumberOptions } from "./lib/args.ts";
import { type Cleanup, runBench } from "./lib/cleanup.ts";
import { count, heading, ms, num, printRows, seconds } from "./lib/format.ts";
import { machineRows } from "./lib/machine.ts";
import { createBenchDatabase, openPostgresServer, postgresVersion } from "./lib/postgres.ts";
import { cpuMeter } from "./lib/proc.ts";
import { startServer } from "./lib/server.ts";

const options = readNumberOptions("bench:stream", {
  events: {
    flag: "events",
    env: "BENCH_EVENTS",
    fallback: 2000,
    description: "events recorded at a steady rate",
  },
  rate: { flag: "rate", fallback: 200, description: "events per second in the steady phase" },
  burst: { flag: "burst", fallback: 5000, description: "events recorded at once in the burst" },
  burstRows: { flag: "burst-rows", fallback: 100, description: "events per burst statement" },
  burstConnections: {
    flag: "burst-connections",
    fallback: 4,
    description: "connections recording the burst concurrently",
  },
  clients: { flag: "clients", fallback: 4, description: "SSE clients of the organization" },
});

const TARGET_MS = 1000;

await runBench(main);

async function main(cleanup: Cleanup): Promise<void> {
  heading("Thrive-Send event stream latency (commit → SSE client)");
  const postgres = await openPostgresServer(cleanup);
  const bench = await createBenchDatabase(postgres, cleanup);
  const server = await startServer({ role: "api", databaseUrl: bench.url }, cleanup);
  const writer = connectDatabase(bench.url, { max: Math.max(8, options.burstConnections) });
  cleanup.add("close the bench's writers", () => writer.close());
  printRows([
    ...machineRows(await postgresVersion(bench.database), postgres.source),
    // The key is random per run, but a key all the same: not printed.
    [
      "server",
      `${server.describe.replace(/ENCRYPTION_KEY=\S+/, "ENCRYPTION_KEY=(random)")} (pid ${server.pid})`,
    ],
    [
      "run",
      `${count(options.events)} events at ${count(options.rate)}/s, then a burst of ${count(options.burst)} (${options.burstRows} per statement, ${options.burstConnections} connections), ${options.clients} SSE clients`,
    ],
  ]);

  const orgId = await organizationOf(bench.database);
  const emailId = await insertEmail(writer, orgId);
  const arrivals = new Map<string, number[]>();
  const clients: SseConnection[] = [];
  for (let i = 0; i < options.clients; i++) {
    const client = await openSse(
      `${server.url}/events/stream`,
      { authorization: `Bearer ${bench.token}` },
      (message) => {
        const times = arrivals.get(message.id) ?? [];
        times.push(message.receivedAt);
        arrivals.set(message.id, times);
      },
    );
    if (client.status !== 200) throw new Error(`GET /events/stream answered ${client.status}`);
    cleanup.add("close an SSE client", () => client.close());
    clients.push(client);
  }
  // Live once the first line came: what is committed from then on is sent.
  await waitUntil(() => clients.every((client) => client.parser.retry !== undefined), 10_000);
  const cpu = cpuMeter({ api: server.pid });

  const steady = await record(writer, orgId, emailId, "steady", async (insert) => {
    const start = performance.now();
    const inserts: Promise<void>[] = [];
    for (let i = 0; i < options.events; i++) {
      const due = start + (i * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      inserts.push(insert(1));
    }
    await Promise.all(inserts);
  });
  const steadyReport = await collect(steady, arrivals, clients);

  const burst = await record(writer, orgId, emailId, "burst", async (insert) => {
    const statements = Math.ceil(options.burst / options.burstRows);
    let next = 0;
    await Promise.all(
      Array.from({ length: options.burstConnections }, async () => {
        while (next < statements) {
          next += 1;
          await insert(options.burstRows);
        }
      }),
    );
  });
  const burstReport = await collect(burst, arrivals, clients);

  heading(`steady: ${count(options.events)} events at ${count(options.rate)}/s`);
  printRows(steadyReport);
  heading(
    `burst: ${count(burst.commits.size)} events in statements of ${options.burstRows}, ${options.burstConnections} connections`,
  );
  printRows(burstReport);
  heading("server");
  printRows([
    ["cpu", cpu()],
    [
      "peak RSS",
      server.peakRssBytes() ? `${num((server.peakRssBytes() ?? 0) / 1024 / 1024)} MiB` : "n/a",
    ],
    ["target", `every event on the stream within ${ms(TARGET_MS)} of its commit`],
  ]);
}

interface Recording {
  /** Event id → when its commit was acknowledged (performance.now()). */
  commits: Map<string, number>;
  durationMs: number;
}

/** Runs `phase`, whose insert(n) records n events in one autocommit statement. */
async function record(
  writer: Database,
  orgId: string,
  emailId: string,
  label: string,
  phase: (insert: (rows: number) => Promise<void>) => Promise<void>,
): Promise<Recording> {
  const commits = new Map<string, number>();
  const started = performance.now();
  await phase(async (rows) => {
    const ids = Array.from({ length: rows }, () => newId());
    await writer.sql`
      insert into email_events (id, org_id, email_id, type, details, created_at)
      select id, ${orgId}, ${emailId}, 'delivered', ${JSON.stringify({ phase: label })}::jsonb, now()
      from unnest(${ids}::uuid[]) as id`;
    const committed = performance.now();
    for (const id of ids) commits.set(id, committed);
  });
  return { commits, durationMs: performance.now() - started };
}

/** Waits for every client to have every event, then sums up the latencies. */
async function collect(
  recording: Recording,
  arrivals: Map<string, number[]>,
  clients: SseConnection[],
): Promise<[string, string][]> {
  const ids = [...recording.commits.keys()];
  const complete = () => ids.every((id) => (arrivals.get(id)?.length ?? 0) >= clients.length);
  const arrived = await waitUntil(complete, 30_000);
  const latencies: number[] = [];
  let missing = 0;
  let duplicates = 0;
  for (const [id, committed] of recording.commits) {
    const times = arrivals.get(id) ?? [];
    missing += Math.max(0, clients.length - times.length);
    duplicates += Math.max(0, times.length - clients.length);
    for (const time of times) latencies.push(time - committed);
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  const max = latencies.at(-1) ?? Number.NaN;
  return [
    ["recorded in", seconds(recording.durationMs)],
    [
      "deliveries",
      `${count(latencies.length)} (${count(ids.length)} events × ${clients.length} clients)`,
    ],
    ["missing", `${count(missing)}${arrived ? "" : " (gave up waiting after 30 s)"}`],
    ["duplicates", count(duplicates)],
    ["latency p50", ms(at(0.5))],
    ["latency p90", ms(at(0.9))],
    ["latency p99", ms(at(0.99))],
    ["latency max", `${ms(max)} ${max < TARGET_MS ? "(< 1 s target)" : "(OVER the 1 s target)"}`],
  ];
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

async function organizationOf(database: Database): Promise<string> {
  const [row] = await database.sql<{ org_id: string }[]>`select org_id from api_keys limit 1`;
  if (!row) throw new Error("the bench database has no organization");
  return row.org_id;
}

/** The email the events are about: their payloads show its fields. */
async function insertEmail(database: Database, orgId: string): Promise<string> {
  const id = newId();
  await database.sql`
    insert into emails (id, org_id, "from", "to", subject, tags, message_id, status, last_event)
    values (${id}, ${orgId}, 'Bench <bench@acme.dev>', ${["reader@example.com"]}, 'Stream bench',
      ${JSON.stringify([{ name: "bench", value: "stream" }])}::jsonb, ${`<${id}@acme.dev>`},
      'delivered', 'delivered')`;
  return id;
}
