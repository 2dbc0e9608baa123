import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domains, events, organizations, sendingStats } from "../../db/schema/index.ts";
import { utcDay } from "../../services/reputation/rates.ts";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";

let api: TestApi;
let org: TestOrg;
let other: TestOrg;
let domainId: string;
let otherDomainId: string;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  other = await api.createOrg("Other");
  domainId = await createDomain(org, "reputation.dev");
  otherDomainId = await createDomain(other, "other-reputation.dev");
  const today = utcDay(new Date());
  await api.database.db.insert(sendingStats).values([
    {
      scope: "organization",
      scopeId: org.orgId,
      day: today,
      sent: 1000,
      bounced: 12,
      complained: 1,
    },
    { scope: "domain", scopeId: domainId, day: today, sent: 800, bounced: 12, complained: 0 },
    // Out of the 7-day window: not counted.
    { scope: "domain", scopeId: domainId, day: "2020-01-01", sent: 5, bounced: 5, complained: 5 },
  ]);
});
afterAll(() => api.close());

async function createDomain(owner: TestOrg, name: string): Promise<string> {
  const response = await api.call("POST", "/domains", { key: owner.key, json: { name } });
  expect(response.status).toBe(200);
  return response.body.id;
}

async function pause(table: typeof domains | typeof organizations, id: string) {
  await api.database.db
    .update(table)
    .set({
      sendingPausedAt: new Date(),
      sendingPausedReason: "bounce rate 9% is above the 4% threshold",
    })
    .where(eq(table.id, id));
}

const eventsOf = (objectId: string) =>
  api.database.db
    .select()
    .from(events)
    .where(eq(events.objectId, objectId))
    .orderBy(asc(events.id));

describe("GET /reputation", () => {
  it("shows the rates, thresholds and pauses of the organization and each domain", async () => {
    const response = await api.call("GET", "/reputation", { key: org.key });
    expect(response.status).toBe(200);
    const windowStart = `${utcDay(new Date(Date.now() - 6 * 86_400_000))}T00:00:00.000Z`;
    expect(response.body).toEqual({
      object: "reputation",
      window_days: 7,
      min_sent: 500,
      thresholds: { bounce_rate: 0.04, complaint_rate: 0.003 },
      organization: {
        id: org.orgId,
        sent: 1000,
        bounced: 12,
        complained: 1,
        bounce_rate: 0.012,
        complaint_rate: 0.001,
        counted_since: windowStart,
        paused: false,
        paused_at: null,
        paused_reason: null,
      },
      domains: [
        {
          id: domainId,
          name: "reputation.dev",
          sent: 800,
          bounced: 12,
          complained: 0,
          bounce_rate: 0.015,
          complaint_rate: 0,
          counted_since: windowStart,
          paused: false,
          paused_at: null,
          paused_reason: null,
        },
      ],
    });
  });

  it("narrows to one domain with domain_id", async () => {
    await createDomain(org, "second-reputation.dev");
    const all = await api.call("GET", "/reputation", { key: org.key });
    expect(all.body.domains).toHaveLength(2);
    const one = await api.call("GET", `/reputation?domain_id=${domainId}`, { key: org.key });
    expect(one.status).toBe(200);
    expect(one.body.domains.map((domain: { id: string }) => domain.id)).toEqual([domainId]);
  });

  it("refuses a domain_id that is not an id", async () => {
    const response = await api.call("GET", "/reputation?domain_id=acme.dev", { key: org.key });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
    expect(response.body.details[0].path).toBe("domain_id");
  });

  it("answers 404 for another organization's domain", async () => {
    const response = await api.call("GET", `/reputation?domain_id=${otherDomainId}`, {
      key: org.key,
    });
    expect(response.status).toBe(404);
    expect(response.body.name).toBe("not_found");
  });
});

describe("POST /reputation/resume", () => {
  it("resumes a paused domain, records domain.updated with the day's counts so far, and counts from then on", async () => {
    await pause(domains, domainId);
    const paused = await api.call("GET", `/reputation?domain_id=${domainId}`, { key: org.key });
    expect(paused.body.domains[0]).toMatchObject({
      paused: true,
      paused_at: expect.any(String),
      paused_reason: "bounce rate 9% is above the 4% threshold",
    });

    const response = await api.call("POST", "/reputation/resume", {
      key: org.key,
      json: { domain_id: domainId },
    });
    expect(response.status).toBe(200);
    expect(response.body.domains).toHaveLength(1);
    const domain = response.body.domains[0];
    expect(domain).toMatchObject({ id: domainId, paused: false, paused_reason: null });
    // The window that caused the pause no longer counts: only what comes after the resume.
    expect(domain).toMatchObject({ sent: 0, bounced: 0, complained: 0, bounce_rate: 0 });
    expect(Date.parse(domain.counted_since)).toBeGreaterThan(Date.now() - 60_000);
    // The organization's own counts are untouched.
    expect(response.body.organization).toMatchObject({ sent: 1000, paused: false });

    const [event] = (await eventsOf(domainId)).filter((e) => e.type === "domain.updated");
    expect(event?.data).toMatchObject({
      object: "domain",
      id: domainId,
      name: "reputation.dev",
      sending_paused_at: null,
      sending_paused_reason: null,
      reputation_reset: { day: utcDay(new Date()), sent: 800, bounced: 12, complained: 0 },
    });
  });

  it("resumes the organization without a body, with organization.sending_resumed", async () => {
    await pause(organizations, org.orgId);
    const response = await api.call("POST", "/reputation/resume", { key: org.key });
    expect(response.status).toBe(200);
    expect(response.body.organization).toMatchObject({ paused: false, sent: 0 });
    const [event] = await eventsOf(org.orgId);
    expect(event).toMatchObject({
      type: "organization.sending_resumed",
      data: {
        object: "organization",
        id: org.orgId,
        sending_paused_at: null,
        resumed_at: expect.any(String),
        reputation_reset: { sent: 1000, bounced: 12, complained: 1 },
      },
    });
  });

  it("changes nothing when nothing is paused", async () => {
    const before = (await eventsOf(org.orgId)).length;
    const response = await api.call("POST", "/reputation/resume", { key: org.key, json: {} });
    expect(response.status).toBe(200);
    expect(response.body.organization.paused).toBe(false);
    expect(await eventsOf(org.orgId)).toHaveLength(before);
  });

  it.each([
    [{ domain_id: "acme.dev" }],
    [{ domain_id: null }],
    [{ domain: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e" }],
    [[]],
    ["resume"],
  ])("refuses %j", async (json) => {
    const response = await api.call("POST", "/reputation/resume", { key: org.key, json });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });

  it("answers 404 for another organization's domain, and leaves it paused", async () => {
    await pause(domains, otherDomainId);
    const response = await api.call("POST", "/reputation/resume", {
      key: org.key,
      json: { domain_id: otherDomainId },
    });
    expect(response.status).toBe(404);
    expect(response.body.name).toBe("not_found");
    const [row] = await api.database.db
      .select()
      .from(domains)
      .where(and(eq(domains.id, otherDomainId)));
    expect(row?.sendingPausedAt).not.toBeNull();
  });

  it("needs reputation:write, which a sending key lacks", async () => {
    const response = await api.call("POST", "/reputation/resume", { key: org.sendingKey });
    expect(response.status).toBe(401);
    expect(response.body.name).toBe("restricted_api_key");
  });
});
