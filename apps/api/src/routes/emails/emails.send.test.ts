import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailAttachments, emailEvents, emails } from "../../db/schema/index.ts";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";
import { jobsForEmail } from "../../test/jobs.ts";

const valid = {
  from: "Acme <onboarding@acme.dev>",
  to: "delivered@example.com",
  subject: "hello world",
  html: "<p>it works!</p>",
};

let api: TestApi;
let org: TestOrg;

beforeAll(async () => {
  api = await startTestApi({ maxBodyBytes: 64 * 1024 });
  org = await api.createOrg();
});
afterAll(() => api.close());

async function emailCount(orgId: string): Promise<number> {
  const [row] = await api.database.db
    .select({ count: sql<number>`count(*)::int` })
    .from(emails)
    .where(eq(emails.orgId, orgId));
  return row?.count ?? 0;
}

describe("POST /emails: accepted", () => {
  it("commits the email, its queued event and its job, and answers the id", async () => {
    const response = await api.call("POST", "/emails", { key: org.key, json: valid });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const id = response.body.id as string;

    const [row] = await api.database.db.select().from(emails).where(eq(emails.id, id));
    expect(row).toMatchObject({
      orgId: org.orgId,
      from: valid.from,
      to: ["delivered@example.com"],
      subject: "hello world",
      status: "queued",
      lastEvent: "queued",
      messageId: `<${id}@acme.dev>`,
    });
    const events = await api.database.db
      .select()
      .from(emailEvents)
      .where(eq(emailEvents.emailId, id));
    expect(events.map((event) => event.type)).toEqual(["queued"]);
    const jobs = await jobsForEmail(api.database.sql, id);
    expect(jobs).toMatchObject([
      { task_identifier: "email_send", payload: { org_id: org.orgId, email_ids: [id] }, key: null },
    ]);
  });

  it("keeps every Resend field", async () => {
    const response = await api.call("POST", "/emails", {
      key: org.key,
      json: {
        ...valid,
        to: ["a@example.com", "B <b@example.com>"],
        cc: "c@example.com",
        bcc: ["d@example.com"],
        reply_to: "reply@acme.dev",
        text: "plain",
        headers: { "X-Entity-Ref-ID": "123" },
        tags: [{ name: "category", value: "confirm_email" }],
        attachments: [
          { filename: "a.txt", content: Buffer.from("hello").toString("base64") },
          {
            filename: "logo.png",
            content: "iVBORw0KGgo=",
            content_type: "image/png",
            content_id: "logo",
          },
        ],
      },
    });
    expect(response.status).toBe(200);
    const [row] = await api.database.db
      .select()
      .from(emails)
      .where(eq(emails.id, response.body.id));
    expect(row).toMatchObject({
      to: ["a@example.com", "B <b@example.com>"],
      cc: ["c@example.com"],
      bcc: ["d@example.com"],
      replyTo: ["reply@acme.dev"],
      text: "plain",
      headers: { "X-Entity-Ref-ID": "123" },
      tags: [{ name: "category", value: "confirm_email" }],
      attachmentCount: 2,
    });
    const attachments = await api.database.db
      .select()
      .from(emailAttachments)
      .where(eq(emailAttachments.emailId, response.body.id));
    expect(
      attachments.map((a) => [a.filename, a.contentId, a.content?.toString("utf8").slice(0, 5)]),
    ).toEqual([
      ["a.txt", null, "hello"],
      ["logo.png", "logo", Buffer.from("iVBORw0KGgo=", "base64").toString("utf8").slice(0, 5)],
    ]);
  });

  it("schedules an email for later with a keyed job at that time", async () => {
    const at = new Date(Date.now() + 3600_000);
    const response = await api.call("POST", "/emails", {
      key: org.key,
      json: { ...valid, scheduled_at: at.toISOString() },
    });
    expect(response.status).toBe(200);
    const id = response.body.id as string;
    const [row] = await api.database.db.select().from(emails).where(eq(emails.id, id));
    expect(row?.status).toBe("scheduled");
    expect(row?.scheduledAt?.toISOString()).toBe(at.toISOString());
    const [job] = await jobsForEmail(api.database.sql, id);
    expect(job?.key).toBe(`email_send:${id}`);
    expect(job?.run_at.toISOString()).toBe(at.toISOString());
  });

  it("sends at once when scheduled_at is in the past", async () => {
    const response = await api.call("POST", "/emails", {
      key: org.key,
      json: { ...valid, scheduled_at: "2020-01-01T00:00:00Z" },
    });
    const [row] = await api.database.db
      .select()
      .from(emails)
      .where(eq(emails.id, response.body.id));
    expect(row?.status).toBe("queued");
  });

  it("accepts a sending_access key", async () => {
    const response = await api.call("POST", "/emails", { key: org.sendingKey, json: valid });
    expect(response.status).toBe(200);
  });

  it("accepts null for optional fields, as some SDKs send them", async () => {
    const response = await api.call("POST", "/emails", {
      key: org.key,
      json: {
        ...valid,
        cc: null,
        bcc: null,
        reply_to: null,
        text: null,
        tags: null,
        scheduled_at: null,
      },
    });
    expect(response.status).toBe(200);
  });
});

describe("POST /emails: refused", () => {
  it("answers 401 missing_api_key without a key and 403 invalid_api_key with a wrong one", async () => {
    const missing = await api.call("POST", "/emails", { json: valid });
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ statusCode: 401, name: "missing_api_key" });
    expect(missing.body.request_id).toBe(missing.headers.get("x-request-id"));

    const wrong = await api.call("POST", "/emails", { key: "ts_not-a-real-key", json: valid });
    expect(wrong.status).toBe(403);
    expect(wrong.body.name).toBe("invalid_api_key");

    const malformed = await api.call("POST", "/emails", {
      json: valid,
      headers: { authorization: "Basic abc" },
    });
    expect(malformed.status).toBe(403);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ["a missing from", { ...valid, from: undefined }, "from"],
    ["an invalid from", { ...valid, from: "not an address" }, "from"],
    ["two addresses in from", { ...valid, from: "a@x.com, b@x.com" }, "from"],
    ["a line break in from", { ...valid, from: "Acme\r\nBcc: victim@x.com <a@acme.dev>" }, "from"],
    ["a missing to", { ...valid, to: undefined }, "to"],
    ["an empty to", { ...valid, to: [] }, "to"],
    [
      "51 recipients",
      { ...valid, to: Array.from({ length: 51 }, (_, i) => `r${i}@example.com`) },
      "to",
    ],
    ["an invalid cc", { ...valid, cc: ["ok@example.com", "nope"] }, "cc.1"],
    ["a missing subject", { ...valid, subject: undefined }, "subject"],
    ["a line feed in the subject", { ...valid, subject: "hi\nBcc: x@y.z" }, "subject"],
    ["a carriage return in the subject", { ...valid, subject: "hi\rthere" }, "subject"],
    ["neither html nor text", { ...valid, html: undefined }, "html"],
    ["a header name with a colon", { ...valid, headers: { "X-A:b": "1" } }, "headers"],
    ["a header name with a line break", { ...valid, headers: { "X-A\r\nBcc": "1" } }, "headers"],
    [
      "a header value with a line break",
      { ...valid, headers: { "X-A": "1\r\nBcc: x@y.z" } },
      "headers.X-A",
    ],
    ["a reserved header", { ...valid, headers: { From: "evil@x.com" } }, "headers"],
    [
      "attachment content that is not base64",
      { ...valid, attachments: [{ filename: "a", content: "%%%" }] },
      "attachments.0.content",
    ],
    ["a tag with spaces", { ...valid, tags: [{ name: "a b", value: "c" }] }, "tags.0.name"],
    ["an invalid scheduled_at", { ...valid, scheduled_at: "tomorrow-ish" }, "scheduled_at"],
    // PostgreSQL has no year 0: storing it was a 500 (fuzzing); years below 100 came back wrong.
    [
      "a scheduled_at of year 0",
      { ...valid, scheduled_at: "0000-06-01T00:00:00Z" },
      "scheduled_at",
    ],
    [
      "a scheduled_at before 1970",
      { ...valid, scheduled_at: "0050-01-01T00:00:00+01:00" },
      "scheduled_at",
    ],
    [
      "scheduled_at over a year ahead",
      { ...valid, scheduled_at: "2099-01-01T00:00:00Z" },
      "scheduled_at",
    ],
    ["an unknown field", { ...valid, surprise: true }, ""],
    ["a wrong type", { ...valid, subject: 42 }, "subject"],
  ];

  it.each(invalid)(
    "answers 422 validation_error for %s, and writes nothing",
    async (_, json, path) => {
      const before = await emailCount(org.orgId);
      const response = await api.call("POST", "/emails", { key: org.key, json });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ statusCode: 422, name: "validation_error" });
      const paths: string[] = response.body.details.map((detail: { path: string }) => detail.path);
      expect(
        paths.some((p) => p === path || p.startsWith(`${path}.`)),
        paths.join(", "),
      ).toBe(true);
      expect(await emailCount(org.orgId)).toBe(before);
    },
  );

  it("answers 422 for malformed JSON and for a body that is not an object", async () => {
    for (const body of ["{bad", "[]", "null", '"text"', ""]) {
      const response = await api.call("POST", "/emails", { key: org.key, body });
      expect(response.status, body).toBe(422);
      expect(response.body.name).toBe("validation_error");
    }
  });

  it("answers 415 for a body that is not JSON", async () => {
    const response = await api.call("POST", "/emails", {
      key: org.key,
      body: "from=a@b.c",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(415);
    expect(response.body.name).toBe("unsupported_media_type");
  });

  it("answers 413 payload_too_large for a body over the limit", async () => {
    const response = await api.call("POST", "/emails", {
      key: org.key,
      json: { ...valid, html: "x".repeat(70 * 1024) },
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ statusCode: 413, name: "payload_too_large" });
  });
});
