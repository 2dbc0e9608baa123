import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";

let api: TestApi;
let org: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  other = await api.createOrg("Other");
});
afterAll(() => api.close());

const add = (email: string, key = org.key) =>
  api.call("POST", "/suppressions", { key, json: { email } });

describe("POST /suppressions", () => {
  it("suppresses an address once, lowercased, and answers the same id again", async () => {
    const first = await add("  Steve.Wozniak@Example.com ");
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ object: "suppression", id: expect.any(String) });
    const again = await add("steve.wozniak@example.com");
    expect(again.body.id).toBe(first.body.id);

    const got = await api.call("GET", "/suppressions/STEVE.WOZNIAK@example.com", { key: org.key });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      object: "suppression",
      id: first.body.id,
      email: "steve.wozniak@example.com",
      origin: "manual",
      source_id: null,
      created_at: expect.any(String),
    });
    const byId = await api.call("GET", `/suppressions/${first.body.id}`, { key: org.key });
    expect(byId.body.email).toBe("steve.wozniak@example.com");
  });

  it.each([
    [{ email: "not an address" }],
    [{ email: "" }],
    [{}],
    [{ email: "a@example.com", origin: "bounce" }],
  ])("refuses %j", async (json) => {
    const response = await api.call("POST", "/suppressions", { key: org.key, json });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });
});

describe("batches", () => {
  it("adds and removes up to 100 addresses, by email or by id", async () => {
    const emails = Array.from({ length: 100 }, (_, i) => `batch-${i}@example.com`);
    const added = await api.call("POST", "/suppressions/batch/add", {
      key: org.key,
      json: { emails },
    });
    expect(added.status).toBe(200);
    expect(added.body.data).toHaveLength(100);

    const removedByEmail = await api.call("POST", "/suppressions/batch/remove", {
      key: org.key,
      json: { emails: emails.slice(0, 50).concat("never-suppressed@example.com") },
    });
    expect(removedByEmail.body.data).toHaveLength(50);
    expect(removedByEmail.body.data[0]).toMatchObject({ object: "suppression", deleted: true });

    const ids = added.body.data.slice(50).map((entry: { id: string }) => entry.id);
    const removedById = await api.call("POST", "/suppressions/batch/remove", {
      key: org.key,
      json: { ids },
    });
    expect(removedById.body.data.map((entry: { id: string }) => entry.id).sort()).toEqual(
      [...ids].sort(),
    );
    expect(
      (await api.call("GET", "/suppressions/batch-70@example.com", { key: org.key })).status,
    ).toBe(404);
  });

  it.each([
    ["/suppressions/batch/add", { emails: [] }],
    ["/suppressions/batch/add", { emails: Array.from({ length: 101 }, (_, i) => `x${i}@e.com`) }],
    ["/suppressions/batch/add", { emails: ["nope"] }],
    ["/suppressions/batch/remove", {}],
    ["/suppressions/batch/remove", { emails: ["a@e.com"], ids: [] }],
    ["/suppressions/batch/remove", { ids: ["not-a-uuid"] }],
  ])("refuses %s %j", async (path, json) => {
    const response = await api.call("POST", path, { key: org.key, json });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });
});

describe("GET /suppressions and DELETE /suppressions/{id_or_email}", () => {
  it("lists newest first with an origin filter, and removes by address", async () => {
    await add("list-0@example.com");
    await add("list-a@example.com");
    await add("list-b@example.com");
    const list = await api.call("GET", "/suppressions?limit=2", { key: org.key });
    expect(list.body).toMatchObject({ object: "list", has_more: true });
    expect(list.body.data.map((entry: { email: string }) => entry.email)).toEqual([
      "list-b@example.com",
      "list-a@example.com",
    ]);
    expect(list.body.data[0]).not.toHaveProperty("object");
    const bounces = await api.call("GET", "/suppressions?origin=bounce", { key: org.key });
    expect(bounces.body.data).toEqual([]);
    expect((await api.call("GET", "/suppressions?origin=spam", { key: org.key })).status).toBe(422);

    const removed = await api.call("DELETE", "/suppressions/list-a@example.com", { key: org.key });
    expect(removed.body).toEqual({ object: "suppression", id: expect.any(String), deleted: true });
    const again = await api.call("DELETE", "/suppressions/list-a@example.com", { key: org.key });
    expect(again.status).toBe(404);
    expect(again.body.name).toBe("not_found");
  });

  it("keeps organizations apart", async () => {
    const mine = await add("tenant@example.com");
    for (const path of [`/suppressions/${mine.body.id}`, "/suppressions/tenant@example.com"]) {
      expect((await api.call("GET", path, { key: other.key })).status).toBe(404);
      expect((await api.call("DELETE", path, { key: other.key })).status).toBe(404);
    }
    const removed = await api.call("POST", "/suppressions/batch/remove", {
      key: other.key,
      json: { ids: [mine.body.id] },
    });
    expect(removed.body.data).toEqual([]);
    const list = await api.call("GET", "/suppressions?limit=100", { key: other.key });
    expect(list.body.data).toEqual([]);
    expect(
      (await api.call("GET", "/suppressions/tenant@example.com", { key: org.key })).status,
    ).toBe(200);
  });
});
