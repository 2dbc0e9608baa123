import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../lib/ids.ts";
import { insertEmail, insertEvents } from "../../test/email-event-rows.ts";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";

let api: TestApi;
let org: TestOrg;
let other: TestOrg;
const domainId = newId();
const T0 = Date.parse("2026-11-30T10:00:00.000Z");
const ids: Record<string, string> = {};
let taggedEmail: string;
let plainEmail: string;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  other = await api.createOrg("Other");
  const db = api.database.db;
  taggedEmail = await insertEmail(db, org.orgId, {
    tags: [{ name: "category", value: "welcome" }],
    domainId,
  });
  plainEmail = await insertEmail(db, org.orgId, { subject: "Receipt" });
  const otherEmail = await insertEmail(db, other.orgId, {
    tags: [{ name: "category", value: "welcome" }],
  });
  const [queued, sent, delivered, bounced, opened, plainSent, plainDelayed, otherDelivered] =
    await insertEvents(db, [
      { orgId: org.orgId, emailId: taggedEmail, type: "queued", at: T0 },
      { orgId: org.orgId, emailId: taggedEmail, type: "sent", at: T0 + 1000 },
      { orgId: org.orgId, emailId: taggedEmail, type: "delivered", at: T0 + 2000 },
      {
        orgId: org.orgId,
        emailId: taggedEmail,
        type: "bounced",
        at: T0 + 3000,
        details: { recipients: ["delivered@example.com"], bounce_class: "hard", response: "550" },
      },
      { orgId: org.orgId, emailId: taggedEmail, type: "opened", at: T0 + 4000 },
      { orgId: org.orgId, emailId: plainEmail, type: "sent", at: T0 + 5000 },
      { orgId: org.orgId, emailId: plainEmail, type: "delivery_delayed", at: T0 + 6000 },
      { orgId: other.orgId, emailId: otherEmail, type: "delivered", at: T0 + 2500 },
    ]);
  Object.assign(ids, {
    queued,
    sent,
    delivered,
    bounced,
    opened,
    plainSent,
    plainDelayed,
    otherDelivered,
  });
});
afterAll(() => api.close());

const list = async (query = "", key = org.key) => {
  const response = await api.call("GET", `/events${query}`, { key });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as { data: { id: string; type: string }[]; has_more: boolean };
};
const idsOf = (page: { data: { id: string }[] }) => page.data.map((event) => event.id);

describe("GET /events", () => {
  it("lists the organization's email events newest first, without queued, as payloads", async () => {
    const page = await list();
    expect(idsOf(page)).toEqual([
      ids.plainDelayed,
      ids.plainSent,
      ids.opened,
      ids.bounced,
      ids.delivered,
      ids.sent,
    ]);
    expect(page.has_more).toBe(false);
    const bounced = page.data[3];
    expect(bounced).toEqual({
      object: "event",
      id: ids.bounced,
      type: "email.bounced",
      created_at: new Date(T0 + 3000).toISOString(),
      email_id: taggedEmail,
      data: {
        created_at: expect.any(String),
        email_id: taggedEmail,
        message_id: `<${taggedEmail}@acme.dev>`,
        from: "Acme <onboarding@acme.dev>",
        to: ["delivered@example.com"],
        subject: "Welcome",
        tags: { category: "welcome" },
        recipients: ["delivered@example.com"],
        bounce: { message: "550", subType: "General", type: "Permanent", enhanced_code: null },
      },
    });
  });

  it("pages with limit, after and before", async () => {
    const first = await list("?limit=2");
    expect(idsOf(first)).toEqual([ids.plainDelayed, ids.plainSent]);
    expect(first.has_more).toBe(true);
    const second = await list(`?limit=2&after=${ids.plainSent}`);
    expect(idsOf(second)).toEqual([ids.opened, ids.bounced]);
    const back = await list(`?limit=2&before=${ids.opened}`);
    expect(idsOf(back)).toEqual([ids.plainDelayed, ids.plainSent]);
  });

  it("filters by one or several types, repeated or comma-separated", async () => {
    expect(idsOf(await list("?type=email.sent"))).toEqual([ids.plainSent, ids.sent]);
    const several = [ids.plainDelayed, ids.bounced];
    expect(idsOf(await list("?type=email.bounced&type=email.delivery_delayed"))).toEqual(several);
    expect(idsOf(await list("?type=email.bounced,email.delivery_delayed"))).toEqual(several);
  });

  it("filters by email, tag and domain", async () => {
    expect(idsOf(await list(`?email_id=${plainEmail}`))).toEqual([ids.plainDelayed, ids.plainSent]);
    const tagged = [ids.opened, ids.bounced, ids.delivered, ids.sent];
    expect(idsOf(await list("?tag=category:welcome"))).toEqual(tagged);
    expect(idsOf(await list("?tag=category:other"))).toEqual([]);
    expect(idsOf(await list(`?domain_id=${domainId}`))).toEqual(tagged);
    expect(idsOf(await list(`?domain_id=${domainId}&type=email.sent&limit=1`))).toEqual([ids.sent]);
  });

  it("filters by a time range, after inclusive and before exclusive", async () => {
    const at = (ms: number) => encodeURIComponent(new Date(T0 + ms).toISOString());
    expect(idsOf(await list(`?created_after=${at(2000)}&created_before=${at(5000)}`))).toEqual([
      ids.opened,
      ids.bounced,
      ids.delivered,
    ]);
    expect(idsOf(await list(`?created_after=${at(5001)}`))).toEqual([ids.plainDelayed]);
    expect(idsOf(await list(`?created_before=${at(1001)}`))).toEqual([ids.sent]);
    // An offset other than Z.
    expect(idsOf(await list("?created_before=2026-11-30T11:00:01.001%2B01:00"))).toEqual([
      ids.sent,
    ]);
    // Bounds before 1970 (year 0 was a 500: PostgreSQL has none) mean 1970.
    expect(idsOf(await list("?created_after=0000-01-01T00:00:00Z"))).toEqual(idsOf(await list("")));
    expect(idsOf(await list("?created_before=0000-06-01T00:00:00%2B01:00"))).toEqual([]);
  });

  it.each([
    ["?type=email.queued", "type.0"],
    ["?type=bounced", "type.0"],
    ["?type=email.sent,nope", "type.1"],
    ["?tag=category", "tag"],
    ["?tag=a:b:c", "tag"],
    ["?email_id=42", "email_id"],
    ["?domain_id=nope", "domain_id"],
    ["?created_after=yesterday", "created_after"],
    ["?created_after=2026-11-30T10:00:00Z&created_before=2026-11-30T10:00:00Z", "created_before"],
    ["?limit=0", "limit"],
  ])("refuses %s", async (query, path) => {
    const response = await api.call("GET", `/events${query}`, { key: org.key });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
    expect(response.body.details.map((detail: { path: string }) => detail.path)).toContain(path);
  });

  it("shows another organization only its own events, even filtered by this one's email", async () => {
    expect(idsOf(await list("", other.key))).toEqual([ids.otherDelivered]);
    expect(idsOf(await list(`?email_id=${taggedEmail}`, other.key))).toEqual([]);
    expect(idsOf(await list(`?domain_id=${domainId}`, other.key))).toEqual([]);
  });

  it("needs events:read: a sending key is refused", async () => {
    const response = await api.call("GET", "/events", { key: org.sendingKey });
    expect(response.status).toBe(401);
    expect(response.body.name).toBe("restricted_api_key");
  });
});
