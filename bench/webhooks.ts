/**
 * `pnpm bench:webhooks`: N events fanned out to one endpoint and delivered, signed, by the
 * worker to a receiver that verifies every signature. Events are inserted with SQL in batches
 * (what the API and the worker do when they record events), so the fan-out trigger makes the
 * deliveries and their jobs, and only webhook delivery is measured.
 */
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "../apps/api/src/db/client.ts";
import { newId } from "../apps/api/src/lib/ids.ts";
import { SecretBox } from "../apps/api/src/lib/secrets.ts";
import { readNumberOptions } from "./lib/args.ts";
import { type Cleanup, runBench } from "./lib/cleanup.ts";
import { count, heading, mib, num, printRows, seconds } from "./lib/format.ts";
import { machineRows } from "./lib/machine.ts";
import { createBenchDatabase, openPostgresServer, postgresVersion } from "./lib/postgres.ts";
import { cpuMeter } from "./lib/proc.ts";
import { Progress } from "./lib/progress.ts";
import { startReceiver, type WebhookReceiver } from "./lib/receiver.ts";
import type { LatencySummary } from "./lib/receiver-protocol.ts";
import { type ServerProcess, startServer } from "./lib/server.ts";

const options = readNumberOptions("bench:webhooks", {
  events: {
    flag: "events",
    env: "BENCH_EVENTS",
    fallback: 20_000,
    description: "events (one delivery each)",
  },
  batch: { flag: "batch", fallback: 500, description: "events per INSERT statement" },
  emailEvents: {
    flag: "email-events",
    fallback: 1,
    description: "1: email.delivered events (payload joins the email); 0: domain.updated events",
  },
  workerConcurrency: {
    flag: "concurrency",
    fallback: 96,
    description: "WORKER_CONCURRENCY of the worker process (32 by default in production)",
  },
  endpointConcurrency: {
    flag: "endpoint-concurrency",
    fallback: 96,
    description:
      "WEBHOOK_ENDPOINT_CONCURRENCY (10 by default in production; all of one endpoint's here)",
  },
  pacedRate: {
    flag: "paced-rate",
    fallback: 1000,
    description: "events/s of the paced phase, which measures latency below saturation",
  },
  pacedSeconds: { flag: "paced-seconds", fallback: 10, description: "length of the paced phase" },
  stallSeconds: {
    flag: "stall-seconds",
    fallback: 60,
    description: "give up when the receiver gets nothing new for this long",
  },
});

const TARGET_PER_SECOND = 3000;

await runBench(main);

async function main(cleanup: Cleanup): Promise<void> {
  heading(`Thrive-Send webhook benchmark: ${count(options.events)} events to one endpoint`);
  const server = await openPostgresServer(cleanup);
  const bench = await createBenchDatabase(server, cleanup);
  const database = bench.database;
  const [org] = await database.sql<{ id: string }[]>`select id from organizations limit 1`;
  if (!org) throw new Error("the bench organization is missing");

  const encryptionKey = randomBytes(32);
  const secret = `whsec_${randomBytes(24).toString("base64")}`;
  const receiver = await startReceiver(secret, cleanup);
  const type = options.emailEvents === 1 ? "email.delivered" : "domain.updated";
  await database.sql`
    insert into webhook_endpoints (id, org_id, endpoint, events, secret)
    values (${newId()}, ${org.id}, ${receiver.url}, ${[type]},
      ${new SecretBox(encryptionKey).seal(secret)})`;

  const worker = await startServer(
    {
      role: "worker",
      databaseUrl: bench.url,
      env: {
        // Required of a worker; no email is sent in this bench.
        SMTP_URL: "smtp://127.0.0.1:9",
        ENCRYPTION_KEY: encryptionKey.toString("hex"),
        // The receiver is on loopback, which production refuses.
        SSRF_ALLOW: "127.0.0.0/8",
        WORKER_CONCURRENCY: String(options.workerConcurrency),
        WEBHOOK_ENDPOINT_CONCURRENCY: String(options.endpointConcurrency),
      },
    },
    cleanup,
  );
  await workerStarted(database);
  printRows([
    ...machineRows(await postgresVersion(database), server.source),
    ["database", bench.name],
    ["receiver", `pid ${receiver.pid}, ${receiver.url} (own process, verifies every signature)`],
    ["worker", `pid ${worker.pid}, ${worker.describe}`],
    ["events", `${type}, inserted ${count(options.batch)} per statement`],
  ]);

  await burst(database, org.id, receiver, worker);
  await paced(database, org.id, receiver, worker);
}

/** (a) All N events at once: how fast the worker drains the backlog. */
async function burst(
  database: Database,
  orgId: string,
  receiver: WebhookReceiver,
  worker: ServerProcess,
): Promise<void> {
  const N = options.events;
  heading(`(a) burst: ${count(N)} events inserted as fast as possible → signed deliveries`);
  const emails = options.emailEvents === 1 ? await insertEmails(database, orgId, N) : [];
  const cpu = cpuMeter({
    worker: worker.pid,
    receiver: receiver.pid,
    "bench (inserts)": process.pid,
  });
  const start = Date.now();
  const reached = receiver.reached(N);
  let inserted = 0;
  const inserting = (async () => {
    for (let from = 0; from < N; from += options.batch) {
      const size = Math.min(options.batch, N - from);
      await insertEvents(database, orgId, size, emails.slice(from, from + size));
      inserted += size;
    }
    return Date.now() - start;
  })();
  await watch(receiver, reached, N, worker, () => `, inserted ${count(inserted)}/${count(N)}`);
  const insertMs = await inserting;
  const { at } = await reached;
  const cpuUsed = cpu();
  const totalMs = at - start;
  const rate = N / (totalMs / 1000);
  await report(database, receiver, worker, [
    [
      "signed deliveries/s",
      `${num(rate)} (target ≥ ${count(TARGET_PER_SECOND)}/s on a 2-core machine: ${rate >= TARGET_PER_SECOND ? "met" : "NOT met"})`,
    ],
    ["duration", `${seconds(totalMs)} (first insert → ${count(N)} distinct messages verified)`],
    ["insert phase", `${seconds(insertMs)} (${num(N / (insertMs / 1000))} events/s recorded)`],
    ["cpu used", `${cpuUsed} (of ${cpus().length} cores × ${seconds(totalMs)})`],
  ]);
}

/** (b) A steady rate below capacity: the latency of one event, not of a backlog. */
async function paced(
  database: Database,
  orgId: string,
  receiver: WebhookReceiver,
  worker: ServerProcess,
): Promise<void> {
  const perTick = Math.max(1, Math.round(options.pacedRate / 10));
  const ticks = Math.round(options.pacedSeconds * 10);
  const N = perTick * ticks;
  heading(
    `(b) paced: ${count(perTick * 10)} events/s for ${options.pacedSeconds} s (${count(perTick)} every 100 ms)`,
  );
  const emails = options.emailEvents === 1 ? await insertEmails(database, orgId, N) : [];
  const before = await receiver.stats();
  const target = before.distinct + N;
  const reached = receiver.reached(target);
  const cpu = cpuMeter({
    worker: worker.pid,
    receiver: receiver.pid,
    "bench (inserts)": process.pid,
  });
  const start = Date.now();
  const inserting = (async () => {
    for (let tick = 0; tick < ticks; tick++) {
      await insertEvents(
        database,
        orgId,
        perTick,
        emails.slice(tick * perTick, (tick + 1) * perTick),
      );
      const due = start + (tick + 1) * 100;
      if (due > Date.now()) await sleep(due - Date.now());
    }
  })();
  await watch(receiver, reached, target, worker, () => "");
  await inserting;
  const { at } = await reached;
  await report(
    database,
    receiver,
    worker,
    [
      ["events", `${count(N)} over ${seconds(at - start)}`],
      ["cpu used", `${cpu()} (of ${cpus().length} cores × ${seconds(at - start)})`],
    ],
    before.distinct,
  );
}

/** The emails the events are about (not timed): the payload is built from each one. */
async function insertEmails(database: Database, orgId: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let from = 0; from < n; from += 5000) {
    const rows = await database.sql<{ id: string }[]>`
      insert into emails (id, org_id, "from", "to", subject, message_id, status, last_event, tags)
      select thrive_uuidv7(), ${orgId}, 'Acme <bench@acme.dev>', array['user' || i || '@example.com'],
        'Your Acme receipt #2041', '<' || gen_random_uuid() || '@acme.dev>', 'delivered', 'delivered',
        '[{"name": "category", "value": "receipt"}]'::jsonb
      from generate_series(1, ${Math.min(5000, n - from)}) as i
      returning id`;
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

const DOMAIN_DATA = JSON.stringify({
  object: "domain",
  name: "acme.dev",
  status: "verified",
  region: "us-east-1",
  records: [
    {
      record: "SPF",
      type: "TXT",
      name: "send",
      status: "verified",
      value: "v=spf1 a:mail.example.com ~all",
    },
    {
      record: "DKIM",
      type: "TXT",
      name: "ts._domainkey",
      status: "verified",
      value: "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...",
    },
  ],
});

/** One statement: the trigger adds the deliveries and their jobs in the same transaction. */
async function insertEvents(
  database: Database,
  orgId: string,
  size: number,
  emailIds: string[],
): Promise<void> {
  if (emailIds.length > 0) {
    await database.sql`
      insert into email_events (id, org_id, email_id, type, details, created_at)
      select thrive_uuidv7(), ${orgId}, e, 'delivered',
        jsonb_build_object('recipients', jsonb_build_array('user@example.com'), 'response', '250 2.0.0 Ok: queued'),
        clock_timestamp()
      from unnest(${emailIds}::uuid[]) as e`;
    return;
  }
  await database.sql`
    insert into events (id, org_id, type, object_id, data, created_at)
    select thrive_uuidv7(), ${orgId}, 'domain.updated', gen_random_uuid(), ${DOMAIN_DATA}::jsonb,
      clock_timestamp()
    from generate_series(1, ${size})`;
}

async function report(
  database: Database,
  receiver: WebhookReceiver,
  worker: ServerProcess,
  rows: [string, string][],
  previousDistinct = 0,
): Promise<void> {
  await settled(database);
  const latency = await receiver.latencies(previousDistinct);
  const stats = await receiver.stats();
  const deliveries = await database.sql<{ status: string; n: number }[]>`
    select status, count(*)::int as n from webhook_deliveries group by status order by status`;
  const [attempts] = await database.sql<{ total: number; failed: number }[]>`
    select count(*)::int as total,
      count(*) filter (where status_code is null or status_code not between 200 and 299)::int as failed
    from webhook_attempts`;
  const [jobs] = await database.sql<{ failed: number }[]>`
    select count(*)::int as failed from graphile_worker._private_jobs where last_error is not null`;
  const peakRss = worker.peakRssBytes();
  printRows([
    ...rows,
    ["latency event → receipt", formatLatency(latency)],
    [
      "receiver",
      `${count(stats.distinct - previousDistinct)} new distinct messages, ${count(stats.duplicates)} duplicates, ${count(stats.invalid)} invalid signatures (whole run)`,
    ],
    ["deliveries (SQL)", deliveries.map((row) => `${row.status}: ${count(row.n)}`).join("  ")],
    ["attempts (SQL)", `${count(attempts?.total ?? 0)}, ${count(attempts?.failed ?? 0)} failed`],
    ["failed jobs", count(jobs?.failed ?? 0)],
    ["worker peak RSS", peakRss === undefined ? "unavailable" : mib(peakRss)],
    ["worker output lines", `${count(worker.outputLines())} (echoed above, prefixed [server])`],
  ]);
}

function formatLatency(latency: LatencySummary): string {
  return `p50 ${count(latency.p50)} ms, p90 ${count(latency.p90)} ms, p99 ${count(latency.p99)} ms, max ${count(latency.max)} ms (${count(latency.count)} messages)`;
}

/** The receiver has a message before the worker records its attempt: give those a moment. */
async function settled(database: Database): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const [row] = await database.sql<{ n: number }[]>`
      select count(*)::int as n from webhook_deliveries where status in ('pending', 'attempting')`;
    if ((row?.n ?? 0) === 0) return;
    await sleep(100);
  }
}

/** The worker's first heartbeat row says it runs, so its start-up is not part of the timing. */
async function workerStarted(database: Database): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const [row] = await database.sql<
      { n: number }[]
    >`select count(*)::int as n from worker_heartbeats`;
    if ((row?.n ?? 0) > 0) return;
    await sleep(50);
  }
  throw new Error("the worker did not start within 30 s");
}

/** A progress line until the receiver has `target`; fails on a stall or a dead worker. */
async function watch(
  receiver: WebhookReceiver,
  reached: Promise<unknown>,
  target: number,
  worker: ServerProcess,
  extra: () => string,
): Promise<void> {
  const progress = new Progress();
  const start = Date.now();
  let done = false;
  const finish = () => {
    done = true;
  };
  reached.then(finish, finish);
  let last = -1;
  let lastChange = Date.now();
  while (!done) {
    const stats = await receiver.stats();
    if (stats.distinct !== last) {
      last = stats.distinct;
      lastChange = Date.now();
    }
    progress.update(
      `${seconds(Date.now() - start)}, receiver has ${count(stats.distinct)}/${count(target)}${extra()}`,
    );
    if (worker.exited()) {
      progress.done();
      throw new Error("the worker exited during the run");
    }
    if (Date.now() - lastChange > options.stallSeconds * 1000) {
      progress.done();
      throw new Error(
        `stalled: nothing received for ${options.stallSeconds} s (${count(stats.distinct)}/${count(target)})`,
      );
    }
    await Promise.race([reached, sleep(250)]);
  }
  progress.done();
}
