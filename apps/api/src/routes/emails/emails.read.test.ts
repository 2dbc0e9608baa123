import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";

const email = (subject: string) => ({
  from: "Acme <onboarding@acme.dev>",
  to: ["delivered@example.com", "Second <second@example.com>"],
  cc: "cc@example.com",
  subject,
  html: "<p>hi</p>",
  tags: [{ name: "kind", value: "test" }],
});

let api: TestApi;
let org: TestOrg;
let other: TestOrg;
let ids: string[] = [];

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  other = await api.createOrg("Other");
  ids = [];
  for (let i = 0; i < 5; i++) {
    const response = await api.call("POST", "/emails", { key: org.key, json: email(`read ${i}`) });
    ids.push(response.body.id);
  }
  await api.call("POST", "/emails", { key: other.key, json: email("theirs") });
});
afterAll(() => api.close());

describe("GET /emails/{id}", () => {
  it("answers the email as Resend shows it", async () => {
    const response = await api.call("GET", `/emails/${ids[0]}`, { key: org.key });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      object: "email",
      id: ids[0],
      from: "Acme <onboarding@acme.dev>",
      to: ["delivered@example.com", "Second <second@example.com>"],
      cc: ["cc@example.com"],
      bcc: null,
      reply_to: null,
      subject: "read 0",
      html: "<p>hi</p>",
      text: null,
      tags: [{ name: "kind", value: "test" }],
      last_event: "queued",
      scheduled_at: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      message_id: `<${ids[0]}@acme.dev>`,
    });
  });

  it("answers 404 for another organization's email", async () => {
    const response = await api.call("GET", `/emails/${ids[0]}`, { key: other.key });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, name: "not_found" });
  });

  it("answers 404 for an id that does not exist, and 422 for one that is not a UUID", async () => {
    expect(
      (await api.call("GET", "/emails/00000000-0000-7000-8000-000000000000", { key: org.key }))
        .status,
    ).toBe(404);
    const malformed = await api.call("GET", "/emails/not-a-uuid", { key: org.key });
    expect(malformed.status).toBe(422);
    expect(malformed.body.details[0].path).toBe("id");
  });

  it("answers 401 restricted_api_key to a sending_access key", async () => {
    const response = await api.call("GET", `/emails/${ids[0]}`, { key: org.sendingKey });
    expect(response.status).toBe(401);
    expect(response.body.name).toBe("restricted_api_key");
  });
});

describe("GET /emails", () => {
  it("lists the organization's emails newest first, without bodies", async () => {
    const response = await api.call("GET", "/emails", { key: org.key });
    expect(response.status).toBe(200);
    expect(response.body.object).toBe("list");
    expect(response.body.has_more).toBe(false);
    expect(response.body.data.map((item: { id: string }) => item.id)).toEqual([...ids].reverse());
    expect(response.body.data[0]).not.toHaveProperty("html");
    expect(response.body.data[0]).toMatchObject({ subject: "read 4", last_event: "queued" });
  });

  it("pages with limit, after and before", async () => {
    const first = await api.call("GET", "/emails?limit=2", { key: org.key });
    expect(first.body.data.map((item: { id: string }) => item.id)).toEqual([ids[4], ids[3]]);
    expect(first.body.has_more).toBe(true);

    const second = await api.call("GET", `/emails?limit=2&after=${ids[3]}`, { key: org.key });
    expect(second.body.data.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
    expect(second.body.has_more).toBe(true);

    const last = await api.call("GET", `/emails?limit=2&after=${ids[1]}`, { key: org.key });
    expect(last.body.data.map((item: { id: string }) => item.id)).toEqual([ids[0]]);
    expect(last.body.has_more).toBe(false);

    const back = await api.call("GET", `/emails?limit=2&before=${ids[1]}`, { key: org.key });
    expect(back.body.data.map((item: { id: string }) => item.id)).toEqual([ids[3], ids[2]]);
    expect(back.body.has_more).toBe(true);
  });

  it("shows nothing of other organizations", async () => {
    const response = await api.call("GET", "/emails?limit=100", { key: other.key });
    expect(response.body.data.map((item: { subject: string }) => item.subject)).toEqual(["theirs"]);
  });

  it.each([
    ["limit=0"],
    ["limit=101"],
    ["limit=abc"],
    ["after=nope"],
    [
      `after=${"0".repeat(8)}-0000-7000-8000-000000000000&before=${"0".repeat(8)}-0000-7000-8000-000000000001`,
    ],
  ])("answers 422 for ?%s", async (query) => {
    const response = await api.call("GET", `/emails?${query}`, { key: org.key });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });
});

describe("PATCH /emails/{id}", () => {
  const later = () => new Date(Date.now() + 7200_000).toISOString();

  async function scheduled(key = org.key): Promise<string> {
    const response = await api.call("POST", "/emails", {
      key,
      json: { ...email("scheduled"), scheduled_at: new Date(Date.now() + 3600_000).toISOString() },
    });
    return response.body.id;
  }

  it("moves a scheduled email and its job to the new time", async () => {
    const id = await scheduled();
    const at = later();
    const response = await api.call("PATCH", `/emails/${id}`, {
      key: org.key,
      json: { scheduled_at: at },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ object: "email", id });
    const fetched = await api.call("GET", `/emails/${id}`, { key: org.key });
    expect(fetched.body).toMatchObject({ scheduled_at: at, last_event: "scheduled" });
    const jobs = await api.database.sql`
      select run_at from graphile_worker._private_jobs where key = ${`email_send:${id}`}`;
    expect(jobs).toHaveLength(1);
    expect(new Date(jobs[0]?.run_at).toISOString()).toBe(at);
  });

  it("sends now when the new time is in the past", async () => {
    const id = await scheduled();
    await api.call("PATCH", `/emails/${id}`, {
      key: org.key,
      json: { scheduled_at: "2020-01-01T00:00:00Z" },
    });
    const fetched = await api.call("GET", `/emails/${id}`, { key: org.key });
    expect(fetched.body.last_event).toBe("queued");
  });

  it("answers 409 invalid_state for an email that is not scheduled", async () => {
    const response = await api.call("PATCH", `/emails/${ids[0]}`, {
      key: org.key,
      json: { scheduled_at: later() },
    });
    expect(response.status).toBe(409);
    expect(response.body.name).toBe("invalid_state");
  });

  it("answers 404 for another organization's email, and leaves it alone", async () => {
    const id = await scheduled(other.key);
    const response = await api.call("PATCH", `/emails/${id}`, {
      key: org.key,
      json: { scheduled_at: later() },
    });
    expect(response.status).toBe(404);
    const theirs = await api.call("GET", `/emails/${id}`, { key: other.key });
    expect(theirs.body.last_event).toBe("scheduled");
  });

  it.each([
    ["no body", undefined],
    ["a missing scheduled_at", {}],
    ["an invalid scheduled_at", { scheduled_at: "soon" }],
    ["an unknown field", { scheduled_at: "2030-01-01T00:00:00Z", subject: "x" }],
  ])("answers 422 for %s", async (_, json) => {
    const id = await scheduled();
    const response = await api.call("PATCH", `/emails/${id}`, { key: org.key, json });
    expect(response.status).toBe(422);
  });
});

describe("POST /emails/{id}/cancel", () => {
  it("cancels a scheduled email and removes its job", async () => {
    const created = await api.call("POST", "/emails", {
      key: org.key,
      json: { ...email("to cancel"), scheduled_at: new Date(Date.now() + 3600_000).toISOString() },
    });
    const id = created.body.id as string;
    const response = await api.call("POST", `/emails/${id}/cancel`, { key: org.key });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ object: "email", id });
    expect((await api.call("GET", `/emails/${id}`, { key: org.key })).body.last_event).toBe(
      "canceled",
    );
    const jobs = await api.database
      .sql`select 1 from graphile_worker._private_jobs where key = ${`email_send:${id}`}`;
    expect(jobs).toHaveLength(0);
  });

  it("cancels a queued email that no worker has taken yet", async () => {
    const created = await api.call("POST", "/emails", {
      key: org.key,
      json: email("queued cancel"),
    });
    const response = await api.call("POST", `/emails/${created.body.id}/cancel`, { key: org.key });
    expect(response.status).toBe(200);
  });

  it("answers 409 invalid_state when canceled twice", async () => {
    const created = await api.call("POST", "/emails", { key: org.key, json: email("twice") });
    await api.call("POST", `/emails/${created.body.id}/cancel`, { key: org.key });
    const again = await api.call("POST", `/emails/${created.body.id}/cancel`, { key: org.key });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain("canceled");
  });

  it("answers 404 for another organization's email", async () => {
    const created = await api.call("POST", "/emails", { key: other.key, json: email("not yours") });
    const response = await api.call("POST", `/emails/${created.body.id}/cancel`, { key: org.key });
    expect(response.status).toBe(404);
    expect(
      (await api.call("GET", `/emails/${created.body.id}`, { key: other.key })).body.last_event,
    ).toBe("queued");
  });

  it("answers 422 for a malformed id and 401 restricted_api_key for a sending key", async () => {
    expect((await api.call("POST", "/emails/xyz/cancel", { key: org.key })).status).toBe(422);
    const restricted = await api.call("POST", `/emails/${ids[1]}/cancel`, { key: org.sendingKey });
    expect(restricted.status).toBe(401);
    expect(restricted.body.name).toBe("restricted_api_key");
  });
});
