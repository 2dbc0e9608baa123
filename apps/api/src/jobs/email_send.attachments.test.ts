import { randomBytes } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domains, emailAttachments, emailEvents, emails } from "../db/schema/index.ts";
import { createSmtpTransport } from "../mail/smtp-transport.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  type TestApi,
  type TestMail,
  type TestOrg,
} from "../test/harness.ts";
import { startHttpServer, type TestHttpServer } from "../test/http-server.ts";
import { startWorker } from "../worker.ts";

// Attachments given by `path`, fetched by the worker from a real HTTP server on loopback and
// delivered into a real SMTP sink. Two attempts per email: a temporary failure is retried once
// (graphile-worker backs off about 3 s), the second attempt is the last.
const MAX_BYTES = 256 * 1024;
const FETCH = {
  ssrfAllowList: ["127.0.0.0/8"],
  attachmentFetchMaxBytes: MAX_BYTES,
  attachmentFetchTimeoutMs: 1500,
};

let api: TestApi;
let mail: TestMail;
let org: TestOrg;
let files: TestHttpServer;
/** Every path the file server was asked for, in order. */
const requested: string[] = [];
const served = new Map<string, { body: Buffer; headers: Record<string, string> }>();

function serve(path: string, body: Buffer, headers: Record<string, string> = {}): string {
  served.set(path, { body, headers });
  return `${files.origin}${path}`;
}

const requestsFor = (path: string) => requested.filter((entry) => entry === path).length;

beforeAll(async () => {
  files = await startHttpServer((request, response) => {
    const path = request.url ?? "/";
    requested.push(path);
    if (path.startsWith("/status/")) {
      response.writeHead(Number(path.split("/")[2]));
      response.end("no");
      return;
    }
    // Unavailable on its first request, there on the next.
    if (path.startsWith("/flaky/") && requestsFor(path) === 1) {
      response.writeHead(503, { "retry-after": "1" });
      response.end("busy");
      return;
    }
    if (path.startsWith("/hang/")) return; // never answers
    const file = served.get(path) ?? served.get(path.replace(/^\/flaky/, ""));
    if (!file) {
      response.writeHead(404);
      response.end("not found");
      return;
    }
    response.writeHead(200, { "content-length": String(file.body.length), ...file.headers });
    response.end(file.body);
  });
  api = await startTestApi({ emailMaxAttempts: 2 });
  org = await api.createOrg();
  // A verified domain, so that its emails go out as one copy per recipient (VERP).
  const created = await api.call("POST", "/domains", {
    key: org.key,
    json: { name: "signed.dev" },
  });
  expect(created.status).toBe(200);
  await api.database.db
    .update(domains)
    .set({ status: "verified" })
    .where(eq(domains.id, created.body.id));
  mail = await startTestMail(api, { config: FETCH });
});
afterAll(async () => {
  await mail?.stop();
  await api?.close();
  await files?.close();
});

async function send(json: Record<string, unknown>): Promise<string> {
  const response = await api.call("POST", "/emails", {
    key: org.key,
    json: { from: "Acme <onboarding@acme.dev>", subject: "files", text: "attached", ...json },
  });
  expect(response.status).toBe(200);
  return response.body.id;
}

const rowOf = async (id: string) =>
  (await api.database.db.select().from(emails).where(eq(emails.id, id)))[0];

async function settled(id: string) {
  return eventually(
    async () => {
      const row = await rowOf(id);
      return row && !["queued", "sending", "delivery_delayed"].includes(row.status)
        ? row
        : undefined;
    },
    15_000,
    `email ${id} settled`,
  );
}

const eventsOf = (id: string) =>
  api.database.db
    .select()
    .from(emailEvents)
    .where(eq(emailEvents.emailId, id))
    .orderBy(asc(emailEvents.id));

async function attachmentsOf(id: string) {
  const message = mail.catcher.messages.find((caught) => caught.raw.includes(`<${id}@`));
  if (!message) throw new Error(`no message for ${id}`);
  return (await simpleParser(message.raw)).attachments;
}

describe("attachments given by path", () => {
  it("arrive byte for byte, named and typed from the response, fetched once, not stored", async () => {
    const pdf = randomBytes(100 * 1024);
    const data = randomBytes(20 * 1024);
    const id = await send({
      to: "files@example.com",
      attachments: [
        { path: serve("/files/Q3%20report.pdf", pdf, { "content-type": "application/pdf" }) },
        {
          path: serve("/download?id=7", data, {
            "content-type": "application/octet-stream",
            "content-disposition": 'attachment; filename="data.csv"',
          }),
        },
      ],
    });
    expect((await settled(id)).status).toBe("delivered");

    const attachments = await attachmentsOf(id);
    expect(attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ["Q3 report.pdf", "application/pdf"],
      // A generic type says nothing: the one derived from the filename is used instead.
      ["data.csv", "text/csv"],
    ]);
    expect(attachments[0]?.content.equals(pdf)).toBe(true);
    expect(attachments[1]?.content.equals(data)).toBe(true);
    expect(requestsFor("/files/Q3%20report.pdf")).toBe(1);

    const rows = await api.database.db
      .select()
      .from(emailAttachments)
      .where(eq(emailAttachments.emailId, id));
    expect(rows.map((row) => [row.content, row.size])).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it("keep the filename and content type the request gave", async () => {
    const body = randomBytes(1000);
    const id = await send({
      to: "named@example.com",
      attachments: [
        {
          path: serve("/files/blob", body, { "content-type": "text/plain" }),
          filename: "photo.jpg",
          content_type: "image/jpeg",
        },
      ],
    });
    await settled(id);
    const [attachment] = await attachmentsOf(id);
    expect([attachment?.filename, attachment?.contentType]).toEqual(["photo.jpg", "image/jpeg"]);
    expect(attachment?.content.equals(body)).toBe(true);
  });

  it("mix with content attachments, in the order given", async () => {
    const fetched = randomBytes(5000);
    const id = await send({
      to: "mixed@example.com",
      attachments: [
        { filename: "first.txt", content: Buffer.from("first").toString("base64") },
        { path: serve("/files/second.bin", fetched) },
        { filename: "third.txt", content: Buffer.from("third").toString("base64") },
      ],
    });
    expect((await settled(id)).status).toBe("delivered");
    const attachments = await attachmentsOf(id);
    expect(attachments.map((a) => a.filename)).toEqual(["first.txt", "second.bin", "third.txt"]);
    expect(attachments.map((a) => a.content.toString("base64"))).toEqual([
      Buffer.from("first").toString("base64"),
      fetched.toString("base64"),
      Buffer.from("third").toString("base64"),
    ]);
  });

  it("are fetched once for the copies of an email sent per recipient", async () => {
    const body = randomBytes(4000);
    const to = ["one@example.com", "two@example.com", "three@example.com"];
    const id = await send({
      from: "Signed <hello@signed.dev>",
      to,
      attachments: [{ path: serve("/files/shared.pdf", body) }],
    });
    expect((await settled(id)).status).toBe("delivered");
    const copies = mail.catcher.messages.filter((caught) => caught.raw.includes(`<${id}@`));
    expect(copies.map((copy) => copy.envelope.to).sort()).toEqual(to.map((r) => [r]).sort());
    for (const copy of copies) {
      const [attachment] = (await simpleParser(copy.raw)).attachments;
      expect(attachment?.content.equals(body)).toBe(true);
    }
    expect(requestsFor("/files/shared.pdf")).toBe(1);
  });
});

describe("a path attachment that cannot be fetched", () => {
  it("fails the email on a 404, saying which attachment and why, and sends nothing", async () => {
    const id = await send({
      to: "missing@example.com",
      attachments: [
        { filename: "ok.txt", content: "aGk=" },
        { path: `${files.origin}/status/404`, filename: "invoice.pdf" },
      ],
    });
    const row = await settled(id);
    expect(row.status).toBe("failed");
    const message =
      'Could not fetch attachments[1] ("invoice.pdf"): The URL answered with HTTP status 404';
    expect(row.lastError).toBe(message);
    const events = await eventsOf(id);
    expect(events.map((event) => event.type)).toEqual(["queued", "failed"]);
    expect(events[1]?.details).toEqual({
      message,
      attachment: { index: 1, filename: "invoice.pdf" },
      attempt: 1,
    });
    expect(row.attempts).toBe(1);
    expect(mail.catcher.messages.some((caught) => caught.raw.includes(`<${id}@`))).toBe(false);
  });

  it("retries on a 503 with the normal backoff, naming the attachment, then delivers", async () => {
    const body = randomBytes(3000);
    serve("/files/later.pdf", body);
    const id = await send({
      to: "later@example.com",
      attachments: [{ path: `${files.origin}/flaky/files/later.pdf` }],
    });
    const delayed = await eventually(async () => {
      const row = await rowOf(id);
      return row?.status === "delivery_delayed" ? row : undefined;
    });
    expect(delayed.lastError).toBe(
      'Could not fetch attachments[0] ("later.pdf"): The URL answered with HTTP status 503',
    );
    expect((await settled(id)).status).toBe("delivered");
    const events = await eventsOf(id);
    expect(events.map((event) => event.type)).toEqual([
      "queued",
      "delivery_delayed",
      "sent",
      "delivered",
    ]);
    // About the attachment, not a recipient.
    expect(events[1]?.details).toEqual({
      message: delayed.lastError,
      attachment: { index: 0, filename: "later.pdf" },
      attempt: 1,
    });
    expect((await rowOf(id))?.attempts).toBe(2);
    expect(requestsFor("/flaky/files/later.pdf")).toBe(2);
    const [attachment] = await attachmentsOf(id);
    expect(attachment?.content.equals(body)).toBe(true);
  });

  it("fails once attempts are exhausted when the host never answers in time", async () => {
    const id = await send({
      to: "slow@example.com",
      attachments: [{ path: `${files.origin}/hang/slow.pdf` }],
    });
    const row = await settled(id);
    expect(row.status).toBe("failed");
    expect(row.lastError).toBe(
      'Could not fetch attachments[0] ("slow.pdf"): The URL\'s host did not answer in time (delivery attempts exhausted)',
    );
    expect((await eventsOf(id)).map((event) => event.type)).toEqual([
      "queued",
      "delivery_delayed",
      "failed",
    ]);
    expect(requestsFor("/hang/slow.pdf")).toBe(2);
  });

  it("fails a file over the limit", async () => {
    const id = await send({
      to: "big@example.com",
      attachments: [{ path: serve("/files/big.iso", randomBytes(MAX_BYTES + 1)) }],
    });
    const row = await settled(id);
    expect(row.status).toBe("failed");
    expect(row.lastError).toBe(
      `Could not fetch attachments[0] ("big.iso"): The response is larger than allowed: the files fetched for one email may total at most ${MAX_BYTES} bytes`,
    );
  });

  it("fails files that are over the limit together, though each is under it", async () => {
    const half = randomBytes(MAX_BYTES / 2 + 1);
    const id = await send({
      to: "two-big@example.com",
      attachments: [
        { path: serve("/files/half-1.bin", half) },
        { path: serve("/files/half-2.bin", half) },
      ],
    });
    const row = await settled(id);
    expect(row.status).toBe("failed");
    expect(row.lastError).toMatch(/^Could not fetch attachments\[1\] \("half-2.bin"\): .* larger/);
  });
});

describe("the SSRF guard", () => {
  it("fails an attachment on a non-public address without a request reaching it", async () => {
    await mail.worker.stop();
    const guarded = await startWorker({
      config: { ...api.config, ...FETCH, ssrfAllowList: [], workerConcurrency: 4 },
      database: api.database,
      transport: createSmtpTransport({ url: mail.catcher.url, finalHop: true }),
      logger: api.logger,
    });
    try {
      const path = serve("/files/internal.pdf", Buffer.from("secret"));
      const id = await send({ to: "guarded@example.com", attachments: [{ path }] });
      const row = await settled(id);
      expect(row.status).toBe("failed");
      expect(row.lastError).toBe(
        `Could not fetch attachments[0] ("internal.pdf"): The URL's host is not allowed: it is, or resolves to, a non-public address`,
      );
      expect(requestsFor("/files/internal.pdf")).toBe(0);
      const [failed] = (await eventsOf(id)).filter((event) => event.type === "failed");
      expect(JSON.stringify(failed?.details)).not.toContain("127.0.0.1");
    } finally {
      await guarded.stop();
    }
  });
});
