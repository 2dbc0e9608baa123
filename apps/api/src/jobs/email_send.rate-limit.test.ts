import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CaughtMessage, MailCatcher } from "../mail/catcher.ts";
import { createGlobalProviders } from "../services/providers/global-providers.ts";
import { eventually, startTestApi, type TestApi, type TestOrg } from "../test/harness.ts";
import { startWorker, type WorkerHandle } from "../worker.ts";

// Two worker pools on one database, as two processes would be: the limits are in PostgreSQL,
// so they hold for both together. Rates are measured past the bucket's initial burst (one
// second's worth), with a tolerance that still tells a shared limit from one per pool.
let api: TestApi;
let org: TestOrg;
const catchers: MailCatcher[] = [];
let workers: WorkerHandle[] = [];

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await Promise.all(catchers.map((catcher) => catcher.close()));
  await api.close();
});

async function pool(options: { providerRate: number | null; domainRate: number | null }) {
  const catcher = new MailCatcher();
  await catcher.listen();
  catchers.push(catcher);
  const worker = await startWorker({
    config: { ...api.config, workerConcurrency: 2, domainRatePerSecond: options.domainRate },
    database: api.database,
    // Both pools' `smtp` is the same provider to the limit (`global:smtp`), whatever its URL.
    providers: createGlobalProviders([
      {
        name: "smtp",
        type: "smtp",
        url: catcher.url,
        finalHop: true,
        maxConnections: 2,
        ratePerSecond: options.providerRate,
      },
    ]),
    logger: api.logger,
  });
  workers.push(worker);
  return catcher;
}

async function sendBatches(batches: number, size: number, from: string): Promise<void> {
  for (let batch = 0; batch < batches; batch++) {
    const body = Array.from({ length: size }, (_, i) => ({
      from,
      to: `user-${batch}-${i}@example.com`,
      subject: "rate",
      text: "hi",
    }));
    const response = await api.call("POST", "/emails/batch", { key: org.key, json: body });
    expect(response.status).toBe(200);
  }
}

/** Messages per second after the first `burst` (the bucket's capacity). */
function rateAfterBurst(messages: CaughtMessage[], burst: number): number {
  const times = messages.map((message) => message.receivedAt.getTime()).sort((a, b) => a - b);
  const start = times[burst] ?? 0;
  const end = times.at(-1) ?? 0;
  return (times.length - 1 - burst) / ((end - start) / 1000);
}

const fromDomain = (messages: readonly CaughtMessage[], domain: string) =>
  messages.filter((message) => message.envelope.from.endsWith(`@${domain}`));

describe("a provider's send rate", () => {
  it("holds across two worker pools together", async () => {
    const [a, b] = [
      await pool({ providerRate: 10, domainRate: null }),
      await pool({ providerRate: 10, domainRate: null }),
    ];
    await sendBatches(10, 4, "Acme <rate@acme.dev>");
    const all = () => [...(a?.messages ?? []), ...(b?.messages ?? [])];
    await eventually(async () => all().length >= 40, 20_000, "40 messages received");

    // Both pools sent, and together no faster than the limit: 10/s (20/s if counted per pool).
    expect(a?.messages.length).toBeGreaterThan(0);
    expect(b?.messages.length).toBeGreaterThan(0);
    const rate = rateAfterBurst(all(), 10);
    console.log(`provider rate 10/s, two pools: measured ${rate.toFixed(1)}/s`);
    expect(rate).toBeLessThan(15);
    expect(rate).toBeGreaterThan(5);

    await Promise.all(workers.map((worker) => worker.stop()));
    workers = [];
  }, 40_000);
});

describe("a sending domain's rate", () => {
  it("holds for that domain alone, across two pools", async () => {
    const [a, b] = [
      await pool({ providerRate: null, domainRate: 4 }),
      await pool({ providerRate: null, domainRate: 4 }),
    ];
    const all = () => [...(a?.messages ?? []), ...(b?.messages ?? [])];
    await Promise.all([
      sendBatches(4, 4, "Acme <rate@slow.dev>"),
      sendBatches(2, 3, "Other <rate@other.dev>"),
    ]);
    await eventually(
      async () => fromDomain(all(), "slow.dev").length >= 16,
      20_000,
      "16 messages from slow.dev",
    );

    const slow = fromDomain(all(), "slow.dev");
    const other = fromDomain(all(), "other.dev");
    const rate = rateAfterBurst(slow, 4);
    console.log(`domain rate 4/s, two pools: measured ${rate.toFixed(1)}/s`);
    expect(rate).toBeLessThan(6);
    // The other domain has a bucket of its own: it is not held behind slow.dev's queue.
    expect(other).toHaveLength(6);
    const lastOther = Math.max(...other.map((message) => message.receivedAt.getTime()));
    const lastSlow = Math.max(...slow.map((message) => message.receivedAt.getTime()));
    expect(lastOther).toBeLessThan(lastSlow);
  }, 40_000);
});
