import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailEvents, emails } from "../db/schema/index.ts";
import { createSesTransport } from "../mail/ses-transport.ts";
import type { MailTransport } from "../mail/transport.ts";
import { eventually, startTestApi, type TestApi, type TestOrg } from "../test/harness.ts";
import { SES_TEST_CREDENTIALS, SesServer } from "../test/ses-server.ts";
import { startWorker, type WorkerHandle } from "../worker.ts";

let api: TestApi;
let org: TestOrg;
let ses: SesServer;
let transport: MailTransport;
let worker: WorkerHandle;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  ses = new SesServer({ verifiedIdentities: ["acme.dev"] });
  await ses.listen();
  transport = createSesTransport({
    region: ses.region,
    endpoint: ses.endpoint,
    credentials: SES_TEST_CREDENTIALS,
  });
  worker = await startWorker({
    config: { ...api.config, workerConcurrency: 4 },
    database: api.database,
    transport,
    logger: api.logger,
  });
});
afterAll(async () => {
  await worker.stop();
  await ses.close();
  await api.close();
});

async function send(json: Record<string, unknown>): Promise<string> {
  const response = await api.call("POST", "/emails", {
    key: org.key,
    json: { from: "Acme <onboarding@acme.dev>", subject: "hello", html: "<p>Hello</p>", ...json },
  });
  expect(response.status).toBe(200);
  return response.body.id;
}

async function settled(id: string) {
  return eventually(
    async () => {
      const [row] = await api.database.db.select().from(emails).where(eq(emails.id, id));
      return row && !["queued", "scheduled", "sending", "delivery_delayed"].includes(row.status)
        ? row
        : undefined;
    },
    15_000,
    `email ${id} settled`,
  );
}

async function eventsOf(id: string) {
  return api.database.db
    .select()
    .from(emailEvents)
    .where(eq(emailEvents.emailId, id))
    .orderBy(asc(emailEvents.id));
}

describe("email_send through SES", () => {
  it("records `sent` with SES's message id, Bcc delivered", async () => {
    const id = await send({ to: "ann@example.com", bcc: "bob@example.com" });

    const row = await settled(id);

    expect(row.status).toBe("sent");
    const stored = ses.emails.find((email) => email.raw.includes(`<${id}@acme.dev>`));
    expect(stored?.destination).toEqual({
      ToAddresses: ["ann@example.com"],
      BccAddresses: ["bob@example.com"],
    });
    expect(row.providerMessageId).toBe(`ses:${stored?.messageId}`);
    expect((await eventsOf(id)).map((event) => event.type)).toEqual(["queued", "sent"]);
  });

  it("records a bounce for every recipient when SES rejects the message", async () => {
    ses.failFor("rejected@example.com", "MessageRejected");
    const id = await send({ to: ["rejected@example.com", "other@example.com"] });

    const row = await settled(id);

    expect(row.status).toBe("bounced");
    const bounce = (await eventsOf(id)).find((event) => event.type === "bounced");
    expect(bounce?.details).toMatchObject({
      recipients: ["rejected@example.com", "other@example.com"],
      smtp_code: 554,
      enhanced_code: "5.7.1",
      bounce_class: "hard",
    });
  });
});
