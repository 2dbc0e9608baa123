import { createPublicKey } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domains, events } from "../../db/schema/index.ts";
import { startDnsServer, type TestDnsServer } from "../../test/dns-server.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  type TestApi,
  type TestMail,
  type TestOrg,
} from "../../test/harness.ts";

let api: TestApi;
let dns: TestDnsServer;
let mail: TestMail;
let org: TestOrg;
let other: TestOrg;

beforeAll(async () => {
  dns = await startDnsServer();
  api = await startTestApi({
    dnsServers: [dns.address],
    spfMechanisms: "ip4:127.0.0.1",
    bounceMxHost: "bounces.thrive.test",
    trackingHost: "track.thrive.test",
  });
  mail = await startTestMail(api);
  org = await api.createOrg();
  other = await api.createOrg("Other");
});
afterAll(async () => {
  await mail.stop();
  await api.close();
  await dns.close();
});

type Record = { record: string; name: string; type: string; value: string; status: string };

async function create(name: string, extra: object = {}, key = org.key) {
  const response = await api.call("POST", "/domains", { key, json: { name, ...extra } });
  expect(response.status).toBe(200);
  return response.body as { id: string; name: string; records: Record[] };
}

/** Publishes what the domain asks for on the test DNS server. */
function publish(name: string, records: Record[], except: string[] = []) {
  for (const record of records) {
    const host = `${record.name}.${name}`;
    if (except.includes(`${record.record}:${record.type}`)) continue;
    if (record.type === "MX") dns.set(host, "MX", [{ exchange: record.value, priority: 10 }]);
    else if (record.type === "TXT") dns.set(host, "TXT", [record.value]);
    else dns.set(host, "CNAME", [record.value]);
  }
}

async function statusOf(id: string) {
  const response = await api.call("GET", `/domains/${id}`, { key: org.key });
  return response.body as { status: string; records: Record[] };
}

const eventsOf = async (objectId: string) =>
  (
    await api.database.db
      .select()
      .from(events)
      .where(eq(events.objectId, objectId))
      .orderBy(asc(events.id))
  ).map((event) => event.type);

describe("POST /domains", () => {
  it("creates the DKIM key and answers the records to publish", async () => {
    const domain = await create("Acme-Create.dev", { open_tracking: true });
    expect(domain).toMatchObject({
      name: "acme-create.dev",
      status: "not_started",
      region: "us-east-1",
      custom_return_path: "send",
      open_tracking: true,
      click_tracking: false,
      tls: "opportunistic",
    });
    const byKind = Object.fromEntries(
      domain.records.map((record) => [`${record.record}:${record.type}`, record]),
    );
    expect(byKind["SPF:MX"]).toMatchObject({
      name: "send",
      value: "bounces.thrive.test",
      priority: 10,
      status: "not_started",
      ttl: "Auto",
    });
    expect(byKind["SPF:TXT"]).toMatchObject({ name: "send", value: "v=spf1 ip4:127.0.0.1 ~all" });
    expect(byKind["DMARC:TXT"]).toMatchObject({ name: "_dmarc", value: "v=DMARC1; p=none;" });
    expect(byKind["Tracking:CNAME"]).toMatchObject({ name: "links", value: "track.thrive.test" });
    const dkim = byKind["DKIM:TXT"];
    expect(dkim?.name).toMatch(/^ts[0-9a-f]{10}\._domainkey$/);
    const publicKey = createPublicKey({
      key: Buffer.from(dkim?.value.split("p=")[1] ?? "", "base64"),
      format: "der",
      type: "spki",
    });
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);

    const [row] = await api.database.db.select().from(domains).where(eq(domains.id, domain.id));
    expect(row?.dkimPrivateKey).toMatch(/^v1\./);
    expect(row?.dkimPrivateKey).not.toContain("PRIVATE KEY");
    expect(api.deps.secrets.open(row?.dkimPrivateKey ?? "")).toContain("BEGIN PRIVATE KEY");
    expect(await eventsOf(domain.id)).toEqual(["domain.created"]);
  });

  it.each([
    [{ name: "not a domain" }, "name"],
    [{ name: "localhost" }, "name"],
    [{ name: "192.168.1.1" }, "name"],
    [{ name: "acme.dev", region: "mars-1" }, "region"],
    [{ name: "acme.dev", custom_return_path: "a.b" }, "custom_return_path"],
    [{ name: "acme.dev", open_tracking: "yes" }, "open_tracking"],
    [{ name: "acme.dev", unknown: 1 }, ""],
    [{}, "name"],
  ])("refuses %j", async (json, field) => {
    const response = await api.call("POST", "/domains", { key: org.key, json });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
    if (field) expect(response.body.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it("refuses a domain already added, but another organization may add it", async () => {
    await create("twice.dev");
    const again = await api.call("POST", "/domains", { key: org.key, json: { name: "twice.dev" } });
    expect(again.status).toBe(422);
    expect(again.body.message).toContain("already been added");
    await create("twice.dev", {}, other.key);
  });

  it("stores an internationalized name in punycode", async () => {
    expect((await create("bücher.example")).name).toBe("xn--bcher-kva.example");
  });

  it("is not for sending_access keys", async () => {
    const response = await api.call("POST", "/domains", {
      key: org.sendingKey,
      json: { name: "restricted.dev" },
    });
    expect(response.status).toBe(401);
    expect(response.body.name).toBe("restricted_api_key");
  });
});

describe("GET, PATCH and DELETE /domains/{id}", () => {
  it("reads, lists, updates and deletes, each recorded as an event", async () => {
    const domain = await create("crud.dev");
    const got = await api.call("GET", `/domains/${domain.id}`, { key: org.key });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ object: "domain", id: domain.id, name: "crud.dev" });
    expect(got.body.records).toHaveLength(4);

    const list = await api.call("GET", "/domains?limit=100", { key: org.key });
    expect(list.body.object).toBe("list");
    expect(list.body.data.find((d: { id: string }) => d.id === domain.id)).toEqual({
      id: domain.id,
      name: "crud.dev",
      status: "not_started",
      created_at: expect.any(String),
      region: "us-east-1",
      capabilities: { sending: "enabled", receiving: "disabled" },
    });

    const patched = await api.call("PATCH", `/domains/${domain.id}`, {
      key: org.key,
      json: { click_tracking: true, tls: "enforced" },
    });
    expect(patched.body).toEqual({ object: "domain", id: domain.id });
    const after = await api.call("GET", `/domains/${domain.id}`, { key: org.key });
    expect(after.body).toMatchObject({
      click_tracking: true,
      open_tracking: false,
      tls: "enforced",
    });
    expect(after.body.records).toHaveLength(5);

    const deleted = await api.call("DELETE", `/domains/${domain.id}`, { key: org.key });
    expect(deleted.body).toEqual({ object: "domain", id: domain.id, deleted: true });
    expect((await api.call("GET", `/domains/${domain.id}`, { key: org.key })).status).toBe(404);
    expect(await eventsOf(domain.id)).toEqual([
      "domain.created",
      "domain.updated",
      "domain.deleted",
    ]);
  });

  it("takes a PATCH without a body as an empty one: nothing changes", async () => {
    const domain = await create("no-body.dev");
    const patched = await api.call("PATCH", `/domains/${domain.id}`, { key: org.key });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ object: "domain", id: domain.id });
    const after = await api.call("GET", `/domains/${domain.id}`, { key: org.key });
    expect(after.body).toMatchObject({ click_tracking: false, open_tracking: false });
  });

  it("validates ids and bodies", async () => {
    expect((await api.call("GET", "/domains/nope", { key: org.key })).status).toBe(422);
    const domain = await create("validate.dev");
    const bad = await api.call("PATCH", `/domains/${domain.id}`, {
      key: org.key,
      json: { tls: "sometimes" },
    });
    expect(bad.status).toBe(422);
    const unknown = await api.call("PATCH", `/domains/${domain.id}`, {
      key: org.key,
      json: { name: "other.dev" },
    });
    expect(unknown.status).toBe(422);
  });

  it("answers 404 for another organization's domain, on every route", async () => {
    const domain = await create("private.dev");
    for (const [method, path, json] of [
      ["GET", `/domains/${domain.id}`, undefined],
      ["PATCH", `/domains/${domain.id}`, { open_tracking: true }],
      ["POST", `/domains/${domain.id}/verify`, undefined],
      ["DELETE", `/domains/${domain.id}`, undefined],
    ] as const) {
      const response = await api.call(method, path, { key: other.key, json });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.name).toBe("not_found");
    }
    const list = await api.call("GET", "/domains?limit=100", { key: other.key });
    expect(list.body.data.map((d: { id: string }) => d.id)).not.toContain(domain.id);
    expect((await statusOf(domain.id)).status).toBe("not_started");
  });
});

describe("verification through DNS", () => {
  it("verifies once DKIM, SPF and the bounce MX are published", async () => {
    const domain = await create("verify-me.dev");
    publish("verify-me.dev", domain.records, ["SPF:MX"]);
    const verify = await api.call("POST", `/domains/${domain.id}/verify`, { key: org.key });
    expect(verify.body).toEqual({ object: "domain", id: domain.id });

    const pending = await eventually(async () => {
      const current = await statusOf(domain.id);
      return current.records.every((r) => r.status !== "not_started") ? current : undefined;
    });
    expect(pending.status).toBe("pending");
    const byKind = (records: Record[]) =>
      Object.fromEntries(records.map((r) => [`${r.record}:${r.type}`, r.status]));
    expect(byKind(pending.records)).toMatchObject({
      "DKIM:TXT": "verified",
      "SPF:TXT": "verified",
      "SPF:MX": "pending",
      "DMARC:TXT": "verified",
    });

    publish("verify-me.dev", domain.records);
    await api.call("POST", `/domains/${domain.id}/verify`, { key: org.key });
    const verified = await eventually(async () => {
      const current = await statusOf(domain.id);
      return current.status === "verified" ? current : undefined;
    });
    expect(verified.records.every((r) => r.status === "verified")).toBe(true);
    expect(await eventsOf(domain.id)).toEqual([
      "domain.created",
      "domain.updated",
      "domain.updated",
    ]);
  });

  it("keeps a verified domain through a DNS outage, and marks records removed later", async () => {
    const domain = await create("outage.dev");
    publish("outage.dev", domain.records);
    await api.call("POST", `/domains/${domain.id}/verify`, { key: org.key });
    await eventually(async () =>
      (await statusOf(domain.id)).status === "verified" ? true : undefined,
    );

    dns.failNext(`send.outage.dev`, "SERVFAIL", 100);
    await api.call("POST", `/domains/${domain.id}/verify`, { key: org.key });
    const outage = await eventually(async () => {
      const current = await statusOf(domain.id);
      return current.status === "temporary_failure" ? current : undefined;
    });
    expect(outage.records.find((r) => r.record === "SPF" && r.type === "TXT")?.status).toBe(
      "temporary_failure",
    );
    dns.failNext(`send.outage.dev`, "SERVFAIL", 0);
    await api.call("POST", `/domains/${domain.id}/verify`, { key: org.key });
    await eventually(async () =>
      (await statusOf(domain.id)).status === "verified" ? true : undefined,
    );
  });
});
