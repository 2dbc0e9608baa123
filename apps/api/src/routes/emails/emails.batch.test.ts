import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emails } from "../../db/schema/index.ts";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";
import { jobsForEmail } from "../../test/jobs.ts";

const email = (to: string) => ({
  from: "Acme <onboarding@acme.dev>",
  to,
  subject: "batch",
  html: "<p>hi</p>",
});

let api: TestApi;
let org: TestOrg;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
});
afterAll(() => api.close());

const batch = (body: unknown, mode?: string, key = org.key) =>
  api.call("POST", "/emails/batch", {
    key,
    json: body,
    headers: mode ? { "x-batch-validation": mode } : {},
  });

describe("POST /emails/batch", () => {
  it("accepts up to 100 emails in one transaction, each with its job", async () => {
    const body = Array.from({ length: 100 }, (_, i) => email(`user${i}@example.com`));
    const response = await batch(body);
    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(100);
    expect(response.body.errors).toBeUndefined();
    const ids: string[] = response.body.data.map((item: { id: string }) => item.id);
    expect(new Set(ids).size).toBe(100);
    const rows = await api.database.db
      .select({ id: emails.id, to: emails.to })
      .from(emails)
      .where(inArray(emails.id, ids));
    expect(rows).toHaveLength(100);
    // Answer order matches request order.
    const toById = new Map(rows.map((row) => [row.id, row.to[0]]));
    expect(ids.map((id) => toById.get(id))).toEqual(body.map((item) => item.to));
    expect(await jobsForEmail(api.database.sql, ids[42] as string)).toHaveLength(1);
  });

  it("works with a sending_access key", async () => {
    expect((await batch([email("a@example.com")], undefined, org.sendingKey)).status).toBe(200);
  });

  it("strict (default): one invalid email rejects the whole batch", async () => {
    const response = await batch([
      email("ok1@example.com"),
      email("not-an-address"),
      email("ok2@example.com"),
    ]);
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
    expect(response.body.details.map((detail: { path: string }) => detail.path)).toContain("1.to");
    const rows = await api.database.db
      .select()
      .from(emails)
      .where(eq(emails.to, ["ok1@example.com"]));
    expect(rows).toHaveLength(0);
  });

  it("permissive: sends the valid emails and lists the others by index", async () => {
    const response = await batch(
      [
        email("p1@example.com"),
        email("bad"),
        { ...email("p3@example.com"), subject: undefined },
        email("p4@example.com"),
      ],
      "permissive",
    );
    expect(response.status).toBe(200);
    expect(response.body.data).toHaveLength(2);
    expect(response.body.errors).toEqual([
      { index: 1, message: expect.stringContaining("to") },
      { index: 2, message: expect.stringContaining("subject") },
    ]);
    const sent = await api.database.db
      .select({ to: emails.to })
      .from(emails)
      .where(
        inArray(
          emails.id,
          response.body.data.map((item: { id: string }) => item.id),
        ),
      );
    expect(sent.map((row) => row.to[0]).sort()).toEqual(["p1@example.com", "p4@example.com"]);
  });

  it("permissive with nothing valid answers empty data and every error", async () => {
    const response = await batch([email("x"), email("y")], "permissive");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: [],
      errors: [
        { index: 0, message: expect.any(String) },
        { index: 1, message: expect.any(String) },
      ],
    });
  });

  it.each([
    ["an empty array", []],
    ["101 emails", Array.from({ length: 101 }, (_, i) => email(`u${i}@example.com`))],
    ["an object instead of an array", email("a@example.com")],
  ])("answers 422 for %s", async (_, body) => {
    const response = await batch(body);
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });

  it("answers 422 for an unknown x-batch-validation mode", async () => {
    const response = await batch([email("a@example.com")], "lenient");
    expect(response.status).toBe(422);
    expect(response.body.details[0].path).toBe("x-batch-validation");
  });

  it("answers 401 without a key", async () => {
    const response = await api.call("POST", "/emails/batch", { json: [email("a@example.com")] });
    expect(response.status).toBe(401);
  });
});
