/**
 * `pnpm bench:e2e`: N emails end to end, API → queue → worker → SMTP, compared with what a
 * bare nodemailer pool achieves into the same SMTP sink. The ratio says how much of the SMTP
 * hand-off rate Thrive-Send keeps once it adds durability, queueing and status tracking.
 */
import { randomUUID } from "node:crypto";
import { cpus } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import nodemailer from "nodemailer";
import { buildMime, composeMessage, textFromHtml } from "../apps/api/src/mail/compose.ts";
import { readNumberOptions } from "./lib/args.ts";
import { type Cleanup, runBench } from "./lib/cleanup.ts";
import { forEachLimited } from "./lib/concurrency.ts";
import { batchBody, FROM, HTML, SUBJECT } from "./lib/email.ts";
import { count, heading, mib, num, printRows, seconds } from "./lib/format.ts";
import { machineRows } from "./lib/machine.ts";
import {
  type BenchDatabase,
  createBenchDatabase,
  emailStatuses,
  openPostgresServer,
  postgresVersion,
} from "./lib/postgres.ts";
import { cpuMeter } from "./lib/proc.ts";
import { Progress } from "./lib/progress.ts";
import { startServer } from "./lib/server.ts";
import { SIGNING_DOMAIN, startSigningDns, verifySigningDomain } from "./lib/signing-domain.ts";
import { type Sink, startSink } from "./lib/sink.ts";

const options = readNumberOptions("bench:e2e", {
  emails: { flag: "emails", env: "BENCH_EMAILS", fallback: 20_000, description: "emails to send" },
  smtpConnections: {
    flag: "smtp-connections",
    fallback: 5,
    description: "SMTP pool size, for both the bare pool and SMTP_MAX_CONNECTIONS",
  },
  submitConcurrency: {
    flag: "concurrency",
    fallback: 4,
    description: "concurrent POST /emails/batch requests",
  },
  bareConcurrency: {
    flag: "bare-concurrency",
    fallback: 64,
    description: "sendMail calls in flight in the bare baseline",
  },
  split: {
    flag: "split",
    fallback: 1,
    description:
      "1: API and worker in two processes (as deployed); 0: one process, THRIVE_ROLE=all",
  },
  workers: {
    flag: "workers",
    fallback: 1,
    description: "worker processes (THRIVE_ROLE=worker) beside the API process, with --split 1",
  },
  signed: {
    flag: "signed",
    fallback: 1,
    description: "1: also run (c), mail signed and tracked from a verified domain; 0: skip it",
  },
  stallSeconds: {
    flag: "stall-seconds",
    fallback: 60,
    description: "give up when the sink receives nothing new for this long",
  },
});
const N = options.emails;
const BATCH = 100;

await runBench(main);

async function main(cleanup: Cleanup): Promise<void> {
  heading(`Thrive-Send end-to-end benchmark: ${count(N)} emails`);
  const server = await openPostgresServer(cleanup);
  const bench = await createBenchDatabase(server, cleanup);
  const sink = await startSink(cleanup);
  printRows([
    ...machineRows(await postgresVersion(bench.database), server.source),
    ["database", bench.name],
    ["smtp sink", `pid ${sink.pid}, ${sink.url} (own process)`],
  ]);

  const bare = { raw: await bareBaseline(sink, "raw", cleanup), composed: 0 };
  sink.reset();
  bare.composed = await bareBaseline(sink, "composed", cleanup);
  sink.reset();
  await fullPath(bench, sink, bare, cleanup, {
    title: "(b) full path",
    // Mail from a domain that is not verified goes out unsigned, as in `pnpm dev`.
    env: { REQUIRE_VERIFIED_DOMAIN: "false" },
    from: FROM,
    target: true,
  });
  if (options.signed === 1) {
    sink.reset();
    const dns = await startSigningDns(cleanup);
    await fullPath(await createBenchDatabase(server, cleanup), sink, bare, cleanup, {
      title: `(c) full path, signed and tracked: DKIM (2048-bit RSA), VERP, open and click tracking, one-click unsubscribe, from verified ${SIGNING_DOMAIN}`,
      env: dns.env,
      from: `Acme <bench@${SIGNING_DOMAIN}>`,
      target: false,
      beforeClock: (apiUrl, token) => verifySigningDomain(dns, apiUrl, token),
    });
  }
}

interface Variant {
  title: string;
  env: Record<string, string>;
  from: string;
  /** Whether the spine's target (≥ 0.8× the composing pool) applies to this run. */
  target: boolean;
  /** Runs once the servers are up, before the clock starts. */
  beforeClock?: (apiUrl: string, token: string) => Promise<void>;
}

/**
 * (a) A nodemailer pool alone, same pool size, same messages, same sink. `raw`: the messages
 * are built before the clock starts, so only the SMTP hand-over is timed (the transport's
 * ceiling). `composed`: each message is built while timed, as the worker must build it from
 * what the API received (html only): its text part made from the html (html-to-text, the same
 * compiled converter), then `sendMail({ from, to, subject, html, text })`. The same bytes
 * leave both; what the full path adds beyond this is durability, queueing and status tracking.
 */
async function bareBaseline(
  sink: Sink,
  mode: "raw" | "composed",
  cleanup: Cleanup,
): Promise<number> {
  heading(
    `(a${mode === "raw" ? "1" : "2"}) bare nodemailer pool, ${mode === "raw" ? "pre-built raw MIME" : "composing each message"}: maxConnections ${options.smtpConnections}, ${options.bareConcurrency} sendMail calls in flight`,
  );
  // Raw: built before the clock starts, as the worker composes them (html plus a text part
  // made from it; computed once here, the MIME output is the same).
  const built = Date.now();
  const text = textFromHtml(HTML);
  const messages: { envelope: { from: string; to: string[] }; raw: Buffer }[] = [];
  for (let i = 0; i < N; i++) {
    const to = `user${i}@example.com`;
    const email = {
      from: FROM,
      to: [to],
      cc: null,
      bcc: null,
      replyTo: null,
      subject: SUBJECT,
      html: HTML,
      text,
      headers: null,
      messageId: `<${randomUUID()}@acme.dev>`,
    };
    const { envelope, content } = composeMessage(email, [], [to], new Date());
    messages.push({ envelope, raw: mode === "raw" ? await buildMime(content) : Buffer.alloc(0) });
  }
  const buildMs = Date.now() - built;

  const url = new URL(sink.url);
  const transporter = nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: Number(url.port),
    secure: false,
    maxConnections: options.smtpConnections,
    maxMessages: Number.POSITIVE_INFINITY,
    logger: false,
  });
  cleanup.add("close bare pool", () => transporter.close());

  let failed = 0;
  let firstError: unknown;
  const cpu = cpuMeter({ "bench (nodemailer)": process.pid, sink: sink.pid });
  const start = Date.now();
  const reached = sink.reached(N);
  const sending = forEachLimited(N, options.bareConcurrency, async (i) => {
    const message = messages[i] as (typeof messages)[number];
    try {
      await transporter.sendMail(
        mode === "raw"
          ? { envelope: message.envelope, raw: message.raw }
          : {
              from: FROM,
              to: message.envelope.to,
              subject: SUBJECT,
              html: HTML,
              text: textFromHtml(HTML),
            },
      );
    } catch (error) {
      failed += 1;
      firstError ??= error;
    }
  });
  await watch(
    sink,
    reached,
    "bare",
    () => (failed === N ? `every send failed; first: ${String(firstError)}` : undefined),
    () => (failed > 0 ? `, ${count(failed)} failed` : ""),
  );
  const { at, stats } = await reached;
  await sending;
  transporter.close();

  const rate = N / ((at - start) / 1000);
  printRows([
    ["messages/s", num(rate)],
    ["duration", seconds(at - start)],
    ["message size", `${count(stats.bytes / stats.received)} B on the wire (average)`],
    ["cpu used", cpu()],
    ["failed sends", failed === 0 ? "0" : `${count(failed)}, first: ${String(firstError)}`],
    ...(mode === "raw"
      ? [
          ["build time", `${seconds(buildMs)} to compose ${count(N)} messages (not timed)`] as [
            string,
            string,
          ],
        ]
      : []),
  ]);
  return rate;
}

/**
 * (b), (c) The product, fed through POST /emails/batch: the API and the worker in two processes
 * (THRIVE_ROLE=api and worker, as deployed), or in one (THRIVE_ROLE=all) with --split 0.
 */
async function fullPath(
  bench: BenchDatabase,
  sink: Sink,
  bare: { raw: number; composed: number },
  cleanup: Cleanup,
  variant: Variant,
): Promise<void> {
  const smtpEnv = {
    SMTP_URL: sink.url,
    SMTP_FINAL_HOP: "true",
    SMTP_MAX_CONNECTIONS: String(options.smtpConnections),
    ...variant.env,
  };
  const split = options.split === 1;
  const api = await startServer(
    { role: split ? "api" : "all", databaseUrl: bench.url, env: smtpEnv },
    cleanup,
  );
  const workers = split
    ? await Promise.all(
        Array.from({ length: options.workers }, () =>
          startServer({ role: "worker", databaseUrl: bench.url, env: smtpEnv }, cleanup),
        ),
      )
    : [];
  const servers = [api, ...workers];
  await workerStarted(bench);
  await variant.beforeClock?.(api.url, bench.token);
  heading(
    `${variant.title}: POST /emails/batch (${BATCH} per request, ${options.submitConcurrency} concurrent) → queue → worker → sink`,
  );
  printRows(servers.map((server) => ["server", `pid ${server.pid}, ${server.describe}`]));

  // Bodies are built before the clock starts: the client's JSON work is not the server's.
  const bodies = Array.from({ length: Math.ceil(N / BATCH) }, (_, i) =>
    batchBody(i * BATCH, Math.min(BATCH, N - i * BATCH), variant.from),
  );
  const failures: string[] = [];
  let accepted = 0;
  const cpu = cpuMeter({
    [split ? "api" : "server"]: api.pid,
    ...Object.fromEntries(
      workers.map((worker, i) => [workers.length > 1 ? `worker ${i + 1}` : "worker", worker.pid]),
    ),
    sink: sink.pid,
    bench: process.pid,
  });
  const start = Date.now();
  const reached = sink.reached(N);
  let acceptMs = 0;
  const submitting = forEachLimited(bodies.length, options.submitConcurrency, async (i) => {
    try {
      const response = await fetch(`${api.url}/emails/batch`, {
        method: "POST",
        headers: { authorization: `Bearer ${bench.token}`, "content-type": "application/json" },
        body: bodies[i],
      });
      const text = await response.text();
      if (response.ok) accepted += (JSON.parse(text) as { data: unknown[] }).data.length;
      else failures.push(`HTTP ${response.status}: ${text.slice(0, 500)}`);
    } catch (error) {
      failures.push(String(error));
    }
  }).then(() => {
    acceptMs = Date.now() - start;
  });

  await watch(
    sink,
    reached,
    "e2e",
    () => {
      if (failures.length > 0) {
        return `${failures.length} batch requests failed (${count(accepted)} emails accepted); first:\n${failures[0]}`;
      }
      if (servers.some((server) => server.exited()))
        return "a server process exited during the run";
      return undefined;
    },
    () => `, accepted ${count(accepted)}/${count(N)}`,
  );
  await submitting;
  const { at } = await reached;
  const totalMs = at - start;
  const peakRss = servers.map((server) => server.peakRssBytes());
  const cpuUsed = cpu();

  const statuses = await settledStatuses(bench);
  // Read after the statuses settle, so a late duplicate delivery would still be counted.
  const final = await sink.stats();
  const rate = N / (totalMs / 1000);
  printRows([
    ["emails/s end to end", num(rate)],
    [
      "duration",
      `${seconds(totalMs)} (first request → ${count(N)} distinct Message-IDs at the sink)`,
    ],
    ["accept phase", `${seconds(acceptMs)} (${num(N / (acceptMs / 1000))} emails/s accepted)`],
    [
      "ratio to bare, raw",
      `${num(rate / bare.raw)}× (pool with pre-built messages ${num(bare.raw)}/s: the SMTP hand-over alone)`,
    ],
    [
      "ratio to bare, composed",
      `${num(rate / bare.composed)}× (${variant.target ? "target ≥ 0.8×; " : ""}pool composing each message as the worker does ${num(bare.composed)}/s)`,
    ],
    ["cpu used", `${cpuUsed} (of ${cpus().length} cores × ${seconds(totalMs)})`],
    [
      "peak RSS (VmHWM)",
      servers
        .map(
          (server, i) =>
            `${server.describe.split(" ")[0]} ${peakRss[i] === undefined ? "unavailable" : mib(peakRss[i] as number)}`,
        )
        .join(", "),
    ],
    [
      "sink",
      `${count(final.received)} received, ${count(final.duplicates)} duplicates, ${count(final.withoutMessageId)} without Message-ID`,
    ],
    ["message size", `${count(final.bytes / final.received)} B on the wire (average)`],
    [
      "statuses (SQL)",
      Object.entries(statuses)
        .map(([s, n]) => `${s}: ${count(n)}`)
        .join("  "),
    ],
    ["all delivered", statuses.delivered === N ? "yes" : "NO"],
    [
      "server output lines",
      `${count(servers.reduce((n, server) => n + server.outputLines(), 0))} (echoed above, prefixed [server])`,
    ],
  ]);
}

/**
 * /ready only says the API is up and migrations are applied; the worker starts right after.
 * Its first heartbeat row says it is running, so its start-up is not part of the timing.
 */
async function workerStarted(bench: BenchDatabase): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const [row] = await bench.database.sql<{ n: number }[]>`
      select count(*)::int as n from worker_heartbeats`;
    if ((row?.n ?? 0) > 0) return;
    await sleep(50);
  }
  throw new Error("the worker did not start within 30 s");
}

/**
 * A progress line until the sink has all N. Fails when `problem` reports one, or when the
 * sink receives nothing new for --stall-seconds, rather than waiting forever.
 */
async function watch(
  sink: Sink,
  reached: Promise<unknown>,
  label: string,
  problem: () => string | undefined,
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
    const stats = await sink.stats();
    if (stats.distinct !== last) {
      last = stats.distinct;
      lastChange = Date.now();
    }
    progress.update(
      `${label}: ${seconds(Date.now() - start)}, sink has ${count(stats.distinct)}/${count(N)}${extra()}`,
    );
    const reason = problem();
    if (reason) {
      progress.done();
      throw new Error(reason);
    }
    if (Date.now() - lastChange > options.stallSeconds * 1000) {
      progress.done();
      throw new Error(
        `stalled: the sink received nothing for ${options.stallSeconds} s (${count(stats.distinct)}/${count(N)})`,
      );
    }
    await Promise.race([reached, sleep(250)]);
  }
  progress.done();
}

/**
 * The sink sees a message before the worker records it as delivered; give the last status
 * updates a moment before reading the breakdown.
 */
async function settledStatuses(bench: BenchDatabase): Promise<Record<string, number>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const statuses = await emailStatuses(bench.database);
    if (statuses.delivered === N || Date.now() > deadline) return statuses;
    await sleep(100);
  }
}
