import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRetention } from "../../services/organizations/apply-retention.ts";
import { purgeOrganization } from "../../services/organizations/purge-organization.ts";
import { addMember, type ConsoleClient, signUp } from "../../test/console.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  type TestApi,
  type TestMail,
} from "../../test/harness.ts";

let api: TestApi;
let mail: TestMail;

beforeAll(async () => {
  api = await startTestApi();
  mail = await startTestMail(api);
});
afterAll(async () => {
  await mail.stop();
  await api.close();
});

describe("organization settings", () => {
  it("reads and updates name, default from, tracking defaults and retention", async () => {
    const { client, orgId } = await signUp(api, { organization: "Settings Co" });
    const read = await client.call("GET", "/organization");
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      object: "organization",
      id: orgId,
      name: "Settings Co",
      default_from: null,
      default_open_tracking: false,
      default_click_tracking: false,
      data_retention_days: null,
    });
    const updated = await client.call("PATCH", "/organization", {
      json: {
        name: "Settings Inc",
        default_from: "Settings <hello@settings.dev>",
        default_click_tracking: true,
        data_retention_days: 30,
      },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: "Settings Inc",
      default_from: "Settings <hello@settings.dev>",
      default_open_tracking: false,
      default_click_tracking: true,
      data_retention_days: 30,
    });
    const cleared = await client.call("PATCH", "/organization", {
      json: { default_from: null, data_retention_days: null },
    });
    expect(cleared.body).toMatchObject({
      default_from: null,
      data_retention_days: null,
      name: "Settings Inc",
    });
  });

  it("gives new domains the organization's tracking defaults unless they say otherwise", async () => {
    const { client } = await signUp(api);
    await client.call("PATCH", "/organization", {
      json: { default_open_tracking: true, default_click_tracking: true },
    });
    const defaulted = await client.call("POST", "/domains", { json: { name: "defaults.dev" } });
    expect(defaulted.body).toMatchObject({ open_tracking: true, click_tracking: true });
    const explicit = await client.call("POST", "/domains", {
      json: { name: "explicit.dev", click_tracking: false },
    });
    expect(explicit.body).toMatchObject({ open_tracking: true, click_tracking: false });
  });

  it("validates", async () => {
    const { client } = await signUp(api);
    for (const json of [
      { default_from: "not an address" },
      { data_retention_days: 0 },
      { name: "" },
      { unknown: true },
    ]) {
      const response = await client.call("PATCH", "/organization", { json });
      expect(response.status, JSON.stringify(json)).toBe(422);
      expect(response.body.name).toBe("validation_error");
    }
  });

  it("lets any member read, and only admins and owners change", async () => {
    const owner = await signUp(api);
    const developer = await addMember(owner.client, api, mail.catcher, "developer");
    const billing = await addMember(owner.client, api, mail.catcher, "billing");
    expect((await billing.client.call("GET", "/organization")).status).toBe(200);
    const refused = await developer.client.call("PATCH", "/organization", {
      json: { name: "Mine now" },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.name).toBe("forbidden");
    // billing reads the organization, not its emails.
    expect((await billing.client.call("GET", "/emails")).status).toBe(403);
  });
});

/** An organization with a bit of everything: emails (sent), events, a domain, a webhook... */
async function populated(client: ConsoleClient) {
  const key = (await client.call("POST", "/api-keys", { json: { name: "purge me" } })).body
    .token as string;
  await api.call("POST", "/domains", { key, json: { name: `data-${Date.now()}.dev` } });
  await api.call("POST", "/suppressions", { key, json: { email: "gone@example.com" } });
  await api.call("POST", "/webhooks", {
    key,
    json: { endpoint: "http://127.0.0.1:9/hook", events: ["domain.created"] },
  });
  await api.call("POST", "/domains", { key, json: { name: `more-${Date.now()}.dev` } });
  const batch = Array.from({ length: 5 }, (_, i) => ({
    from: "Data <data@data.dev>",
    to: `to-${i}@example.com`,
    subject: "s",
    text: "t",
  }));
  const sent = await api.call("POST", "/emails/batch", { key, json: batch });
  expect(sent.status).toBe(200);
  return key;
}

const ORG_TABLES = [
  "emails",
  "email_events",
  "events",
  "domains",
  "api_keys",
  "suppressions",
  "webhook_endpoints",
  "webhook_deliveries",
  "memberships",
] as const;

async function counts(orgId: string): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of ORG_TABLES) {
    const rows = await api.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from ${sql.identifier(table)} where org_id = ${orgId}`,
    );
    result[table] = Number(rows[0]?.n);
  }
  return result;
}

/** The counts the worker does not change while it sends (it adds email events and deliveries). */
function stable(all: Record<string, number>) {
  const { email_events: _, webhook_deliveries: __, ...rest } = all;
  return rest;
}

describe("deleting the organization", () => {
  it("is for owners; it stops keys and sessions at once, and the purge job deletes its data only", async () => {
    const owner = await signUp(api);
    const bystander = await signUp(api);
    const admin = await addMember(owner.client, api, mail.catcher, "admin");
    const key = await populated(owner.client);
    await populated(bystander.client);
    const bystanderBefore = await counts(bystander.orgId);

    const byAdmin = await admin.client.call("DELETE", "/organization");
    expect(byAdmin.status).toBe(403);
    const noCsrf = await owner.client.call("DELETE", "/organization", { csrf: false });
    expect(noCsrf.status).toBe(403);

    const deleted = await owner.client.call("DELETE", "/organization");
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ object: "organization", id: owner.orgId, deleted: true });
    const keyRefused = await api.call("GET", "/domains", { key });
    expect(keyRefused.status).toBe(403);
    expect(keyRefused.body.name).toBe("invalid_api_key");
    const sessionRefused = await admin.client.call("GET", "/domains");
    expect(sessionRefused.status).toBe(403);
    expect(sessionRefused.body.name).toBe("forbidden");

    await eventually(
      async () =>
        (await api.database.sql`select 1 from organizations where id = ${owner.orgId}`).length ===
        0,
      20_000,
      "the organization purged",
    );
    expect(Object.values(await counts(owner.orgId)).every((n) => n === 0)).toBe(true);
    const bystanderAfter = await counts(bystander.orgId);
    for (const table of [
      "emails",
      "domains",
      "api_keys",
      "suppressions",
      "webhook_endpoints",
      "memberships",
    ]) {
      expect(bystanderAfter[table], table).toBe(bystanderBefore[table]);
    }
    expect(bystanderAfter.emails).toBe(5);
    // The people remain: they may belong to other organizations, or sign up again.
    expect((await admin.client.call("GET", "/auth/session")).body.organizations).toEqual([]);
  });

  it("purges in chunks and carries on after a crash from where it stopped", async () => {
    const owner = await signUp(api);
    const bystander = await signUp(api);
    await populated(owner.client);
    await populated(bystander.client);
    const before = await counts(bystander.orgId);
    // Marked deleted without the job, so that this test runs the purge itself.
    await api.database.sql`update organizations set deleted_at = now() where id = ${owner.orgId}`;

    let chunks = 0;
    await expect(
      purgeOrganization(api.database.db, owner.orgId, {
        chunkSize: 2,
        onChunk: () => {
          if (++chunks === 3) throw new Error("the worker died");
        },
      }),
    ).rejects.toThrow("the worker died");
    const halfway = await counts(owner.orgId);
    expect(Object.values(halfway).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    const { deleted } = await purgeOrganization(api.database.db, owner.orgId, { chunkSize: 2 });
    expect(deleted.emails).toBeGreaterThan(0);
    expect(Object.values(await counts(owner.orgId)).every((n) => n === 0)).toBe(true);
    expect(
      (await api.database.sql`select 1 from organizations where id = ${owner.orgId}`).length,
    ).toBe(0);
    expect(stable(await counts(bystander.orgId))).toEqual(stable(before));
  });

  it("never purges an organization that is not deleted", async () => {
    const owner = await signUp(api);
    await populated(owner.client);
    const before = await counts(owner.orgId);
    const { deleted } = await purgeOrganization(api.database.db, owner.orgId);
    expect(deleted).toEqual({});
    expect(stable(await counts(owner.orgId))).toEqual(stable(before));
  });
});

describe("data retention", () => {
  it("deletes settled emails and events past the retention, keeps emails still to send, and other organizations' data", async () => {
    const keeping = await signUp(api);
    const forgetting = await signUp(api);
    await forgetting.client.call("PATCH", "/organization", { json: { data_retention_days: 30 } });
    await populated(keeping.client);
    const key = await populated(forgetting.client);
    const later = await api.call("POST", "/emails", {
      key,
      json: {
        from: "data@data.dev",
        to: "later@example.com",
        subject: "s",
        text: "t",
        scheduled_at: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      },
    });
    await eventually(async () => {
      const rows = await api.database.sql<{ n: number }[]>`
        select count(*)::int as n from emails where org_id = ${forgetting.orgId} and status = 'delivered'`;
      return rows[0]?.n === 5;
    });
    const keptBefore = stable(await counts(keeping.orgId));

    // Nothing is old enough yet.
    await applyRetention(api.database.db, new Date());
    expect((await counts(forgetting.orgId)).emails).toBe(6);

    const deleted = await applyRetention(api.database.db, new Date(Date.now() + 31 * 86_400_000));
    expect(deleted.emails).toBe(5);
    const after = await counts(forgetting.orgId);
    expect(after.emails).toBe(1);
    expect(after.events).toBe(0);
    const [remaining] = await api.database.sql<{ id: string }[]>`
      select id from emails where org_id = ${forgetting.orgId}`;
    expect(remaining?.id).toBe(later.body.id);
    // Not data: the domains, keys, members stay.
    expect(after.domains).toBe(2);
    expect(stable(await counts(keeping.orgId))).toEqual(keptBefore);
  });
});
