import { asc, eq } from "drizzle-orm";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailEvents, emails } from "../db/schema/index.ts";
import { createSmtpTransport } from "../mail/smtp-transport.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  type TestApi,
  type TestMail,
  type TestOrg,
} from "../test/harness.ts";
import { startWorker } from "../worker.ts";

let api: TestApi;
let mail: TestMail;
let org: TestOrg;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  mail = await startTestMail(api, {
    catcher: {
      refuseRecipient: (address) =>
        address.startsWith("unknown")
          ? {
              code: 550,
              message: `5.1.1 <${address}>: Recipient address rejected: User unknown`,
            }
          : undefined,
    },
  });
});
afterAll(async () => {
  await mail.stop();
  await api.close();
});

async function send(json: Record<string, unknown>): Promise<string> {
  const response = await api.call("POST", "/emails", {
    key: org.key,
    json: {
      from: "Acme <onboarding@acme.dev>",
      subject: "hello",
      html: "<p>Hello <b>there</b></p>",
      ...json,
    },
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

function caught(id: string) {
  return mail.catcher.messages.filter((message) => message.raw.includes(`<${id}@acme.dev>`));
}

describe("email_send", () => {
  it("delivers the message as composed, and records sent then delivered", async () => {
    const id = await send({
      to: ["Ann <ann@example.com>", "bob@example.com"],
      cc: "carol@example.com",
      bcc: "dave@example.com",
      reply_to: "support@acme.dev",
      headers: { "X-Entity-Ref-ID": "ref-1" },
      attachments: [
        { filename: "hello.txt", content: Buffer.from("hello file").toString("base64") },
        {
          filename: "logo.png",
          content: "iVBORw0KGgo=",
          content_type: "image/png",
          content_id: "logo",
        },
      ],
    });
    const row = await settled(id);
    expect(row.status).toBe("delivered");
    expect(row.lastEvent).toBe("delivered");
    expect(row.sentAt).not.toBeNull();
    expect(row.providerMessageId).toMatch(/^250 /);
    expect((await eventsOf(id)).map((event) => event.type)).toEqual([
      "queued",
      "sent",
      "delivered",
    ]);

    const [message] = caught(id);
    expect(message?.envelope).toEqual({
      from: "onboarding@acme.dev",
      to: ["ann@example.com", "bob@example.com", "carol@example.com", "dave@example.com"],
    });
    const parsed = await simpleParser(message?.raw ?? Buffer.alloc(0));
    expect(parsed.messageId).toBe(`<${id}@acme.dev>`);
    expect(parsed.from?.text).toBe('"Acme" <onboarding@acme.dev>');
    expect(parsed.subject).toBe("hello");
    expect(parsed.headers.get("x-entity-ref-id")).toBe("ref-1");
    expect(parsed.headers.has("bcc")).toBe(false);
    expect(message?.raw.toString()).not.toContain("dave@example.com");
    expect(parsed.replyTo?.text).toBe("support@acme.dev");
    expect(parsed.html).toBe("<p>Hello <b>there</b></p>");
    expect(parsed.text?.trim()).toBe("Hello there");
    expect(
      parsed.attachments.map((a) => [a.filename, a.contentDisposition, a.cid ?? null]),
    ).toEqual([
      ["logo.png", "inline", "logo"],
      ["hello.txt", "attachment", null],
    ]);
    expect(parsed.attachments.find((a) => a.filename === "hello.txt")?.content.toString()).toBe(
      "hello file",
    );
  });

  it("uses the given text instead of generating one", async () => {
    const id = await send({ to: "text@example.com", text: "my own text" });
    await settled(id);
    const parsed = await simpleParser(caught(id)[0]?.raw ?? Buffer.alloc(0));
    expect(parsed.text?.trim()).toBe("my own text");
  });

  it("bounces a recipient the server refuses with 5xx, with the enhanced code and its class", async () => {
    const id = await send({ to: "unknown-user@example.com" });
    const row = await settled(id);
    expect(row.status).toBe("bounced");
    expect(row.lastEvent).toBe("bounced");
    const bounced = (await eventsOf(id)).find((event) => event.type === "bounced");
    expect(bounced?.details).toMatchObject({
      recipients: ["unknown-user@example.com"],
      smtp_code: 550,
      enhanced_code: "5.1.1",
      bounce_class: "hard",
      reason: "bad destination mailbox address",
    });
    expect(caught(id)).toHaveLength(0);
  });

  it("delivers to the accepted recipients and bounces the refused one", async () => {
    const id = await send({ to: ["ok@example.com", "unknown-2@example.com"] });
    const row = await settled(id);
    expect(row.status).toBe("delivered");
    const events = await eventsOf(id);
    expect(events.map((event) => event.type)).toEqual(["queued", "bounced", "sent", "delivered"]);
    expect(events[1]?.details).toMatchObject({ recipients: ["unknown-2@example.com"] });
    expect(caught(id)[0]?.envelope.to).toEqual(["ok@example.com"]);
  });

  it("sends a scheduled email at its time, not before", async () => {
    const at = new Date(Date.now() + 1500);
    const id = await send({ to: "later@example.com", scheduled_at: at.toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(caught(id)).toHaveLength(0);
    const row = await settled(id);
    expect(row.status).toBe("delivered");
    expect(caught(id)[0]?.receivedAt.getTime()).toBeGreaterThanOrEqual(at.getTime() - 50);
  });

  it("never sends a canceled email", async () => {
    const id = await send({
      to: "canceled@example.com",
      scheduled_at: new Date(Date.now() + 1000).toISOString(),
    });
    expect((await api.call("POST", `/emails/${id}/cancel`, { key: org.key })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(caught(id)).toHaveLength(0);
    const [row] = await api.database.db.select().from(emails).where(eq(emails.id, id));
    expect(row?.status).toBe("canceled");
  });

  it("sends each email exactly once with two workers on one database", async () => {
    const second = await startWorker({
      config: { ...api.config, workerConcurrency: 8 },
      database: api.database,
      transport: createSmtpTransport({ url: mail.catcher.url, finalHop: true }),
      logger: api.logger,
    });
    try {
      const body = Array.from({ length: 100 }, (_, i) => ({
        from: "Acme <onboarding@acme.dev>",
        to: `two-workers-${i}@example.com`,
        subject: "two workers",
        text: "hi",
      }));
      const ids: string[] = [];
      for (let round = 0; round < 3; round++) {
        const response = await api.call("POST", "/emails/batch", { key: org.key, json: body });
        ids.push(...response.body.data.map((item: { id: string }) => item.id));
      }
      await Promise.all(ids.map(settled));
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id, caught(id).length);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
    } finally {
      await second.stop();
    }
  });
});

describe("email_send with a relay", () => {
  it("records `sent`, not `delivered`, when the server is not the final hop", async () => {
    await mail.worker.stop();
    const relay = await startWorker({
      config: { ...api.config, workerConcurrency: 4 },
      database: api.database,
      transport: createSmtpTransport({ url: mail.catcher.url, finalHop: false }),
      logger: api.logger,
    });
    try {
      const id = await send({ to: "relayed@example.com" });
      const row = await settled(id);
      expect(row.status).toBe("sent");
      expect((await eventsOf(id)).map((event) => event.type)).toEqual(["queued", "sent"]);
    } finally {
      await relay.stop();
    }
  });
});
