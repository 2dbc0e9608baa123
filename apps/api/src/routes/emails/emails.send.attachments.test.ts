import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailAttachments, emails } from "../../db/schema/index.ts";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";

const valid = {
  from: "Acme <onboarding@acme.dev>",
  to: "delivered@example.com",
  subject: "attachments",
  text: "see attached",
};

let api: TestApi;
let org: TestOrg;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
});
afterAll(() => api.close());

const emailCount = async () =>
  (
    await api.database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(emails)
      .where(eq(emails.orgId, org.orgId))
  )[0]?.count ?? 0;

describe("POST /emails with attachments given by path", () => {
  it("stores the URL without content or size, beside content attachments, in order", async () => {
    const response = await api.call("POST", "/emails", {
      key: org.key,
      json: {
        ...valid,
        attachments: [
          { path: "https://files.example.com/q3/report.pdf" },
          { filename: "a.txt", content: Buffer.from("hello").toString("base64") },
          {
            path: "http://files.example.com/logo?v=2",
            filename: "logo.png",
            content_type: "image/png",
            content_id: "logo",
            content: null,
          },
        ],
      },
    });
    expect(response.status).toBe(200);
    const id = response.body.id as string;
    const [email] = await api.database.db.select().from(emails).where(eq(emails.id, id));
    expect(email?.attachmentCount).toBe(3);
    const rows = await api.database.db
      .select()
      .from(emailAttachments)
      .where(eq(emailAttachments.emailId, id))
      .orderBy(asc(emailAttachments.position));
    expect(
      rows.map((row) => [row.position, row.path, row.content?.toString(), row.size, row.filename]),
    ).toEqual([
      [0, "https://files.example.com/q3/report.pdf", undefined, null, null],
      [1, null, "hello", 5, "a.txt"],
      [2, "http://files.example.com/logo?v=2", undefined, null, "logo.png"],
    ]);
    expect(rows[2]).toMatchObject({ contentType: "image/png", contentId: "logo" });
  });

  it("accepts path attachments in a batch, sharing the group's statement", async () => {
    const response = await api.call("POST", "/emails/batch", {
      key: org.key,
      json: [1, 2].map((n) => ({
        ...valid,
        attachments: [{ path: `https://files.example.com/${n}.pdf` }],
      })),
    });
    expect(response.status).toBe(200);
    const ids = (response.body.data as { id: string }[]).map((entry) => entry.id);
    for (const [i, id] of ids.entries()) {
      const [row] = await api.database.db
        .select()
        .from(emailAttachments)
        .where(eq(emailAttachments.emailId, id));
      expect(row?.path).toBe(`https://files.example.com/${i + 1}.pdf`);
    }
  });

  it("leaves path attachments out of the 40 MB limit, which is for content known now", async () => {
    const response = await api.call("POST", "/emails", {
      key: org.key,
      json: {
        ...valid,
        attachments: Array.from({ length: 100 }, (_, i) => ({
          path: `https://files.example.com/big-${i}.bin`,
        })),
      },
    });
    expect(response.status).toBe(200);
  });

  const invalid: [string, unknown, string, RegExp][] = [
    [
      "both content and path",
      { content: "aGk=", path: "https://files.example.com/a.pdf" },
      "attachments.0",
      /not both/,
    ],
    ["neither content nor path", { filename: "a.pdf" }, "attachments.0", /is required/],
    ["both null", { content: null, path: null }, "attachments.0", /is required/],
    ["a relative path", { path: "/files/a.pdf" }, "attachments.0.path", /absolute http/],
    ["a local file name", { path: "invoice.pdf" }, "attachments.0.path", /absolute http/],
    ["an ftp URL", { path: "ftp://files.example.com/a.pdf" }, "attachments.0.path", /http/],
    ["a file URL", { path: "file:///etc/passwd" }, "attachments.0.path", /http/],
    [
      "credentials in the URL",
      { path: "https://user:secret@files.example.com/a.pdf" },
      "attachments.0.path",
      /credentials/,
    ],
    [
      "a user name in the URL",
      { path: "https://user@files.example.com/a.pdf" },
      "attachments.0.path",
      /credentials/,
    ],
    [
      "a URL over 2048 characters",
      { path: `https://files.example.com/${"a".repeat(2030)}` },
      "attachments.0.path",
      /2048/,
    ],
    [
      "a line break in the URL",
      { path: "https://files.example.com/a\n.pdf" },
      "attachments.0.path",
      /control/,
    ],
    ["a path that is not a string", { path: 42 }, "attachments.0.path", /string/],
  ];

  it.each(invalid)(
    "answers 422 validation_error for %s, and writes nothing",
    async (_, attachment, path, message) => {
      const before = await emailCount();
      const response = await api.call("POST", "/emails", {
        key: org.key,
        json: { ...valid, attachments: [{ content: "aGk=" }, attachment] },
      });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ statusCode: 422, name: "validation_error" });
      const details = response.body.details as { path: string; message: string }[];
      const wanted = path.replace("attachments.0", "attachments.1");
      expect(
        details.some((detail) => detail.path === wanted && message.test(detail.message)),
        JSON.stringify(details),
      ).toBe(true);
      expect(await emailCount()).toBe(before);
    },
  );

  it("accepts a URL of exactly 2048 characters", async () => {
    const path = `https://files.example.com/${"a".repeat(2048 - 26)}`;
    expect(path).toHaveLength(2048);
    const response = await api.call("POST", "/emails", {
      key: org.key,
      json: { ...valid, attachments: [{ path }] },
    });
    expect(response.status).toBe(200);
  });
});
