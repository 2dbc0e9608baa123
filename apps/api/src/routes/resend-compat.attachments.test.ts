import { randomBytes } from "node:crypto";
import { simpleParser } from "mailparser";
import { Resend } from "resend";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHandle, startApi } from "../api.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  type TestApi,
  type TestMail,
} from "../test/harness.ts";
import { startHttpServer, type TestHttpServer } from "../test/http-server.ts";

// The official Resend SDK sending an attachment by URL (`path`), over real HTTP; the worker
// fetches it from a real file server on loopback, which the allow-list lets it reach.
let api: TestApi;
let http: ApiHandle;
let mail: TestMail;
let files: TestHttpServer;
let resend: Resend;
const invoice = randomBytes(64 * 1024);

beforeAll(async () => {
  files = await startHttpServer((request, response) => {
    if (request.url !== "/invoices/2026-11.pdf") {
      response.writeHead(404);
      response.end();
      return;
    }
    response.writeHead(200, { "content-type": "application/pdf" });
    response.end(invoice);
  });
  api = await startTestApi();
  const org = await api.createOrg();
  http = await startApi({ ...api.deps, config: { ...api.config, host: "127.0.0.1", port: 0 } });
  mail = await startTestMail(api, { config: { ssrfAllowList: ["127.0.0.0/8"] } });
  resend = new Resend(org.key, { baseUrl: `http://127.0.0.1:${http.port}` });
});
afterAll(async () => {
  await mail?.stop();
  await http?.stop();
  await api?.close();
  await files?.close();
});

describe("the resend npm package with attachments by path", () => {
  it("sends a path attachment beside a content one, and it arrives whole", async () => {
    const { data, error } = await resend.emails.send({
      from: "Acme <onboarding@acme.dev>",
      to: ["billing@example.com"],
      subject: "Your invoice",
      html: "<p>Attached.</p>",
      attachments: [
        { path: `${files.origin}/invoices/2026-11.pdf`, filename: "invoice.pdf" },
        { filename: "note.txt", content: Buffer.from("thanks") },
      ],
    });
    expect(error).toBeNull();
    const id = data?.id as string;
    await eventually(async () => {
      const got = await resend.emails.get(id);
      return got.data?.last_event === "delivered";
    });
    const message = mail.catcher.messages.find((caught) => caught.raw.includes(`<${id}@`));
    const parsed = await simpleParser(message?.raw ?? Buffer.alloc(0));
    expect(parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ["invoice.pdf", "application/pdf"],
      ["note.txt", "text/plain"],
    ]);
    expect(parsed.attachments[0]?.content.equals(invoice)).toBe(true);
  });

  it("gets a validation_error for a path that is not an http(s) URL", async () => {
    const { error } = await resend.emails.send({
      from: "a@acme.dev",
      to: "b@example.com",
      subject: "x",
      text: "x",
      attachments: [{ path: "/etc/passwd" }],
    });
    expect(error).toMatchObject({ name: "validation_error", statusCode: 422 });
    expect(error?.message).toContain("attachments.0.path");
  });
});
