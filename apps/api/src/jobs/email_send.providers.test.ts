import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailEvents, emails } from "../db/schema/index.ts";
import { MailCatcher } from "../mail/catcher.ts";
import { createGlobalProviders } from "../services/providers/global-providers.ts";
import { freePort } from "../test/free-port.ts";
import { eventually, startTestApi, type TestApi, type TestOrg } from "../test/harness.ts";
import { SES_TEST_CREDENTIALS, SesServer } from "../test/ses-server.ts";
import { startWorker, type WorkerHandle } from "../worker.ts";

// The installation's chain is an SMTP server that is down, then SES (a local SES server);
// organizations may have SMTP providers of their own, tried before it.
let api: TestApi;
let global: SesServer;
let own: MailCatcher;
let worker: WorkerHandle;

beforeAll(async () => {
  api = await startTestApi();
  global = new SesServer({ verifiedIdentities: ["acme.dev"] });
  await global.listen();
  own = new MailCatcher();
  await own.listen();
  worker = await startWorker({
    config: { ...api.config, workerConcurrency: 4 },
    database: api.database,
    providers: createGlobalProviders([
      {
        name: "smtp",
        type: "smtp",
        url: `smtp://127.0.0.1:${await freePort()}`,
        finalHop: true,
        maxConnections: 1,
        ratePerSecond: null,
      },
      {
        name: "ses",
        type: "ses",
        region: global.region,
        endpoint: global.endpoint,
        credentials: SES_TEST_CREDENTIALS,
        ratePerSecond: null,
      },
    ]),
    logger: api.logger,
  });
});
afterAll(async () => {
  await worker.stop();
  await Promise.all([global.close(), own.close()]);
  await api.close();
});

async function send(org: TestOrg, to: string): Promise<string> {
  const response = await api.call("POST", "/emails", {
    key: org.key,
    json: { from: "Acme <onboarding@acme.dev>", to, subject: "providers", text: "hi" },
  });
  expect(response.status).toBe(200);
  return response.body.id;
}

async function settled(id: string) {
  return eventually(
    async () => {
      const [row] = await api.database.db.select().from(emails).where(eq(emails.id, id));
      return row && ["sent", "delivered", "failed", "bounced"].includes(row.status)
        ? row
        : undefined;
    },
    20_000,
    `email ${id} settled`,
  );
}

async function sentDetails(id: string) {
  const [event] = await api.database.db
    .select()
    .from(emailEvents)
    .where(and(eq(emailEvents.emailId, id), eq(emailEvents.type, "sent")));
  return event?.details;
}

const addProvider = (org: TestOrg, json: Record<string, unknown>) =>
  api.call("POST", "/providers", {
    key: org.key,
    json: { type: "smtp", smtp: { host: "127.0.0.1", port: own.port, security: "none" }, ...json },
  });

describe("the installation's chain", () => {
  it("fails over from SMTP to SES, which takes the message as a relay (`sent`)", async () => {
    const org = await api.createOrg("Global only");
    const id = await send(org, "ann@example.com");
    const row = await settled(id);
    expect(row.status).toBe("sent");
    const stored = global.emails.find((email) => email.raw.includes(`<${id}@acme.dev>`));
    expect(stored?.recipients).toEqual(["ann@example.com"]);
    expect(row.providerMessageId).toBe(`ses:${stored?.messageId}`);
    expect(await sentDetails(id)).toMatchObject({ provider: "ses" });
  });
});

describe("an organization's own providers", () => {
  it("are used before the installation's, and their final hop means `delivered`", async () => {
    const org = await api.createOrg("Own relay");
    const created = await addProvider(org, {
      name: "Own relay",
      smtp: { host: "127.0.0.1", port: own.port, security: "none", final_hop: true },
    });
    expect(created.status).toBe(200);
    const id = await send(org, "bob@example.com");
    const row = await settled(id);
    expect(row.status).toBe("delivered");
    expect(own.messages.some((message) => message.raw.includes(`<${id}@acme.dev>`))).toBe(true);
    expect(global.emails.some((email) => email.raw.includes(`<${id}@acme.dev>`))).toBe(false);
    expect(await sentDetails(id)).toMatchObject({ provider: "Own relay" });
  });

  it("are tried by priority, and a dead one fails over to the next, then to the installation's", async () => {
    const org = await api.createOrg("Priorities");
    const dead = await freePort();
    await addProvider(org, {
      name: "Dead first",
      priority: 1,
      smtp: { host: "127.0.0.1", port: dead, security: "none" },
    });
    await addProvider(org, { name: "Working second", priority: 2 });
    const id = await send(org, "carol@example.com");
    expect((await settled(id)).status).toBe("sent");
    expect(await sentDetails(id)).toMatchObject({ provider: "Working second" });
  });

  it("are skipped when disabled, and are not another organization's", async () => {
    const org = await api.createOrg("Disabled");
    await addProvider(org, { name: "Disabled relay", enabled: false });
    const other = await api.createOrg("Neighbour");
    const id = await send(org, "dave@example.com");
    const neighbours = await send(other, "erin@example.com");
    await Promise.all([settled(id), settled(neighbours)]);
    expect(await sentDetails(id)).toMatchObject({ provider: "ses" });
    expect(await sentDetails(neighbours)).toMatchObject({ provider: "ses" });
  });
});
