import { eq, inArray } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GlobalProviderConfig } from "../config-providers.ts";
import { emailEvents, emails } from "../db/schema/index.ts";
import { type CaughtMessage, MailCatcher } from "../mail/catcher.ts";
import { createGlobalProviders } from "../services/providers/global-providers.ts";
import { eventually, startTestApi, type TestApi, type TestOrg } from "../test/harness.ts";
import { startWorker, type WorkerHandle } from "../worker.ts";

// The installation's chain is `smtp` (primary) then `smtp2` (secondary); the primary is
// stopped while mail is going out, and started again.
const BREAKER = { resetMs: 500, windowMs: 10_000, minSends: 3, errorPercent: 50 };

let api: TestApi;
let org: TestOrg;
let primary: MailCatcher;
/** The primary as it was before it was stopped: what it took then counts too. */
let primaryBefore: MailCatcher | undefined;
let secondary: MailCatcher;
let worker: WorkerHandle;
const logs: { msg: string; provider?: string; state?: string }[] = [];

const smtp = (name: "smtp" | "smtp2", url: string): GlobalProviderConfig => ({
  name,
  type: "smtp",
  url,
  finalHop: true,
  maxConnections: 2,
  ratePerSecond: null,
});

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  primary = new MailCatcher();
  await primary.listen();
  secondary = new MailCatcher();
  await secondary.listen();
  worker = await startWorker({
    config: { ...api.config, workerConcurrency: 8, providerBreaker: BREAKER },
    database: api.database,
    providers: createGlobalProviders([smtp("smtp", primary.url), smtp("smtp2", secondary.url)]),
    logger: pino({ level: "info" }, { write: (line: string) => logs.push(JSON.parse(line)) }),
  });
});
afterAll(async () => {
  await worker.stop();
  await Promise.all([primary.close(), secondary.close()]);
  await api.close();
});

async function sendBatch(count: number, tag: string): Promise<string[]> {
  const body = Array.from({ length: count }, (_, i) => ({
    from: "Acme <onboarding@acme.dev>",
    to: `${tag}-${i}@example.com`,
    subject: `failover ${tag}`,
    text: "hi",
  }));
  const response = await api.call("POST", "/emails/batch", { key: org.key, json: body });
  expect(response.status).toBe(200);
  return response.body.data.map((item: { id: string }) => item.id);
}

async function allDelivered(ids: string[]): Promise<void> {
  await eventually(
    async () => {
      const rows = await api.database.db
        .select({ status: emails.status })
        .from(emails)
        .where(inArray(emails.id, ids));
      return rows.every((row) => row.status === "delivered");
    },
    30_000,
    `${ids.length} emails delivered`,
  );
}

const idsIn = (messages: readonly CaughtMessage[]) =>
  messages.map(
    (message) => /^Message-ID: <([^@]+)@/im.exec(message.raw.toString("latin1"))?.[1] ?? "",
  );

async function providerOf(id: string): Promise<unknown> {
  const [sent] = await api.database.db
    .select()
    .from(emailEvents)
    .where(eq(emailEvents.emailId, id))
    .then((rows) => rows.filter((row) => row.type === "sent"));
  return sent?.details?.provider;
}

describe("failover between the installation's SMTP providers", () => {
  it("sends through the secondary while the primary is down, then through the primary again, each email once", async () => {
    const accepted: string[] = [];

    // Mid-run: the primary stops once it has taken some of the first batch.
    const first = await sendBatch(60, "first");
    accepted.push(...first);
    await primary.waitFor((messages) => messages.length >= 5, 15_000);
    const port = primary.port;
    primaryBefore = primary;
    await primary.close();
    await allDelivered(first);

    // Down: everything goes to the secondary, and the primary's breaker opens.
    const during = await sendBatch(20, "during");
    accepted.push(...during);
    await allDelivered(during);
    expect(await Promise.all(during.map(providerOf))).toEqual(during.map(() => "smtp2"));
    expect(secondary.messages.length).toBeGreaterThanOrEqual(during.length);
    const opened = logs.filter((line) => line.provider === "smtp" && line.state === "open");
    expect(opened.length).toBeGreaterThan(0);

    // Back: after the reset time one trial goes through half-open, succeeds and closes it.
    primary = new MailCatcher();
    await primary.listen(port);
    await new Promise((resolve) => setTimeout(resolve, BREAKER.resetMs + 200));
    const trial = await sendBatch(1, "trial");
    accepted.push(...trial);
    await allDelivered(trial);
    expect(await providerOf(trial[0] as string)).toBe("smtp");
    const after = await sendBatch(20, "after");
    accepted.push(...after);
    await allDelivered(after);
    expect(await Promise.all(after.map(providerOf))).toEqual(after.map(() => "smtp"));

    const states = logs
      .filter((line) => line.provider === "smtp" && line.state)
      .map((line) => line.state);
    expect(states.at(-1)).toBe("closed");
    expect(states.indexOf("open")).toBeLessThan(states.lastIndexOf("half_open"));
    expect(states.lastIndexOf("half_open")).toBeLessThan(states.lastIndexOf("closed"));

    // Exactly once overall, across the three servers.
    const received = [
      ...idsIn(primaryBefore?.messages ?? []),
      ...idsIn(primary.messages),
      ...idsIn(secondary.messages),
    ];
    expect(received.slice().sort()).toEqual(accepted.slice().sort());
  }, 90_000);
});
