/**
 * `pnpm bench:accept`: HTTP load on the accept path. Every 200 from POST /emails means the
 * email row and its job are committed, so this measures how fast the API can durably take
 * mail in. The API runs alone (THRIVE_ROLE=api): no worker competes for CPU or PostgreSQL.
 */
import { cpus } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { readNumberOptions } from "./lib/args.ts";
import { type Cleanup, runBench } from "./lib/cleanup.ts";
import { batchBody, benchEmail } from "./lib/email.ts";
import { count, heading, ms, num, printRows } from "./lib/format.ts";
import { acknowledged, describeStatuses, type LoadResult, runLoad } from "./lib/load.ts";
import { machineRows } from "./lib/machine.ts";
import {
  type BenchDatabase,
  countEmails,
  createBenchDatabase,
  openPostgresServer,
  postgresVersion,
} from "./lib/postgres.ts";
import { cpuMeter } from "./lib/proc.ts";
import { startServer } from "./lib/server.ts";

const options = readNumberOptions("bench:accept", {
  duration: {
    flag: "duration",
    env: "BENCH_DURATION",
    fallback: 20,
    description: "seconds of load per phase",
  },
  warmup: {
    flag: "warmup",
    fallback: 3,
    description: "seconds of unmeasured load before each phase",
  },
  connections: { flag: "connections", fallback: 64, description: "connections for POST /emails" },
  batchConnections: {
    flag: "batch-connections",
    fallback: 8,
    description: "connections for POST /emails/batch",
  },
  batchSize: { flag: "batch-size", fallback: 100, description: "emails per batch request" },
});

/** Requests per second per key and organization: enforced, but out of the bench's reach. */
const RAISED_RATE_LIMIT = 1_000_000;

await runBench(main);

async function main(cleanup: Cleanup): Promise<void> {
  heading("Thrive-Send accept benchmark");
  const server = await openPostgresServer(cleanup);
  const bench = await createBenchDatabase(server, cleanup);
  // From an unverified domain, as bench mail is: the per-organization domain check still runs.
  // The request limits are raised far above what one machine sends, not turned off: every
  // request still takes its tokens (leased from PostgreSQL) and carries the rate-limit headers.
  const api = await startServer(
    {
      role: "api",
      databaseUrl: bench.url,
      env: {
        REQUIRE_VERIFIED_DOMAIN: "false",
        RATE_LIMIT_PER_KEY: String(RAISED_RATE_LIMIT),
        RATE_LIMIT_PER_ORG: String(RAISED_RATE_LIMIT),
      },
    },
    cleanup,
  );
  printRows([
    ...machineRows(await postgresVersion(bench.database), server.source),
    ["database", bench.name],
    ["api", `pid ${api.pid}, ${api.describe}`],
    ["load generator", "autocannon in the bench process, on the same machine"],
    ["targets", "single ≥ 5,000 req/s with p99 ≤ 25 ms; batch ≥ 25,000 emails/s"],
    [
      "rate limits",
      `RATE_LIMIT_PER_KEY and RATE_LIMIT_PER_ORG raised to ${count(RAISED_RATE_LIMIT)}/s (defaults 100 and 1,000): on, never reached`,
    ],
  ]);

  const single = JSON.stringify(benchEmail(0));
  const batch = batchBody(0, options.batchSize);

  heading(
    `(a) POST /emails, ${options.connections} connections, ${options.duration} s (${count(Buffer.byteLength(single))} B body)`,
  );
  await phase(bench, api.pid, {
    label: "single",
    url: `${api.url}/emails`,
    body: single,
    connections: options.connections,
    emailsPerRequest: 1,
  });

  heading(
    `(b) POST /emails/batch, ${options.batchSize} emails per request, ${options.batchConnections} connections, ${options.duration} s (${count(Buffer.byteLength(batch))} B body)`,
  );
  await phase(bench, api.pid, {
    label: "batch",
    url: `${api.url}/emails/batch`,
    body: batch,
    connections: options.batchConnections,
    emailsPerRequest: options.batchSize,
  });

  heading("server");
  printRows([
    ["still running", api.exited() ? "NO, it exited" : "yes"],
    ["output lines", `${count(api.outputLines())} (echoed above, prefixed [server])`],
  ]);
}

/** Warm-up, measured run, then the durability check for one endpoint. */
async function phase(
  bench: BenchDatabase,
  apiPid: number,
  load: { label: string; url: string; body: string; connections: number; emailsPerRequest: number },
): Promise<void> {
  const common = {
    url: load.url,
    token: bench.token,
    body: load.body,
    connections: load.connections,
  };
  await runLoad({ ...common, label: `${load.label} warm-up`, durationS: options.warmup });
  // Let the warm-up's last requests commit before taking the baseline count.
  await sleep(500);

  const rowsBefore = await countEmails(bench.database);
  const cpu = cpuMeter({ api: apiPid, "autocannon (bench process)": process.pid });
  const measured = await runLoad({ ...common, label: load.label, durationS: options.duration });
  const cpuUsed = cpu();
  // autocannon drops the requests in flight when time is up; the server still commits them.
  await sleep(1000);
  const rows = (await countEmails(bench.database)) - rowsBefore;
  printResult(measured, load.emailsPerRequest, load.connections, rows, cpuUsed);
}

function printResult(
  { result, statuses }: LoadResult,
  emailsPerRequest: number,
  connections: number,
  rows: number,
  cpuUsed: string,
): void {
  const ok = acknowledged(statuses);
  const answered = [...statuses.values()].reduce((sum, n) => sum + n, 0);
  const perSecond = ok / result.duration;
  const { latency } = result;
  const rowsVsAcked =
    rows === ok * emailsPerRequest
      ? "equal"
      : `${rows > ok * emailsPerRequest ? "+" : ""}${count(rows - ok * emailsPerRequest)} rows vs acknowledged` +
        ` (requests cut off at the end may commit unacknowledged: at most ${count(connections * emailsPerRequest)})`;
  printRows([
    ["duration", `${num(result.duration)} s`],
    [
      "requests/s",
      `${num(perSecond)} (2xx only; autocannon's mean of per-second samples: ${num(result.requests.average)})`,
    ],
    ...(emailsPerRequest > 1
      ? ([["emails/s", num(perSecond * emailsPerRequest)]] as [string, string][])
      : []),
    [
      "latency",
      `p50 ${ms(latency.p50)}  p90 ${ms(latency.p90)}  p99 ${ms(latency.p99)}  max ${ms(latency.max)}  (mean ${ms(latency.average)}; 1 ms resolution)`,
    ],
    ["responses", describeStatuses(statuses)],
    ["non-2xx", count(result.non2xx)],
    ["errors", `${count(result.errors)} (timeouts ${count(result.timeouts)})`],
    ["sent, not answered", count(result.requests.sent - answered)],
    ["emails acknowledged", count(ok * emailsPerRequest)],
    ["email rows (SQL)", `${count(rows)}: ${rowsVsAcked}`],
    ["cpu used", `${cpuUsed} (of ${cpus().length} cores × ${num(result.duration)} s)`],
  ]);
}
