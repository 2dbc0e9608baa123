import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providers } from "../../db/schema/index.ts";
import { openSettings } from "../../services/providers/provider-settings.ts";
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

const SMTP = {
  host: "smtp.postmarkapp.com",
  port: 587,
  security: "starttls",
  username: "apikey",
  password: "s3cr3t-token",
};
const SES = {
  region: "eu-west-1",
  access_key_id: "AKIAIOSFODNN7EXAMPLE",
  secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

let count = 0;
const create = (json: Record<string, unknown> = {}, key = org.key) =>
  api.call("POST", "/providers", {
    key,
    json: { name: `provider-${++count}`, type: "smtp", smtp: SMTP, ...json },
  });

const secretsIn = (body: unknown) =>
  /s3cr3t|wJalrX|AKIAIOSFODNN7EXAMPLE|apikey/.test(JSON.stringify(body));

describe("POST /providers", () => {
  it("adds an SMTP provider, answers its settings without credentials, and seals them", async () => {
    const response = await create({ name: "Postmark", priority: 2, rate_per_second: 50 });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      object: "provider",
      id: expect.any(String),
      name: "Postmark",
      type: "smtp",
      priority: 2,
      rate_per_second: 50,
      enabled: true,
      smtp: { host: "smtp.postmarkapp.com", port: 587, security: "starttls", final_hop: false },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(secretsIn(response.body)).toBe(false);

    const [row] = await api.database.db
      .select()
      .from(providers)
      .where(eq(providers.id, response.body.id));
    expect(row?.config).not.toContain("s3cr3t");
    expect(openSettings(api.deps.secrets, row?.config ?? "")).toMatchObject({
      type: "smtp",
      username: "apikey",
      password: "s3cr3t-token",
    });
  });

  it("adds an SES provider with the defaults", async () => {
    const response = await create({ type: "ses", smtp: undefined, ses: SES });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      type: "ses",
      priority: 0,
      rate_per_second: null,
      enabled: true,
      ses: { region: "eu-west-1", configuration_set: null },
    });
    expect(response.body.smtp).toBeUndefined();
    expect(secretsIn(response.body)).toBe(false);
  });

  it.each([
    ["no type", { type: undefined }],
    ["an unknown type", { type: "mailgun" }],
    ["SES settings on an SMTP provider", { ses: SES }],
    ["no settings", { smtp: undefined }],
    ["a bad host", { smtp: { ...SMTP, host: "not a host" } }],
    ["a bad port", { smtp: { ...SMTP, port: 70_000 } }],
    ["a password without a user name", { smtp: { host: "smtp.example.com", password: "x" } }],
    ["an unknown setting", { smtp: { ...SMTP, tls: true } }],
    ["a zero rate", { rate_per_second: 0 }],
    ["an empty name", { name: "  " }],
    ["SES without credentials", { type: "ses", smtp: undefined, ses: { region: "eu-west-1" } }],
    ["a bad region", { type: "ses", smtp: undefined, ses: { ...SES, region: "Ireland" } }],
  ])("refuses %s", async (_, json) => {
    const response = await create(json);
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });

  it("refuses a name already used in the organization, not in another", async () => {
    expect((await create({ name: "Shared name" })).status).toBe(200);
    const again = await create({ name: "Shared name" });
    expect(again.status).toBe(422);
    expect(again.body.details).toEqual([{ path: "name", message: expect.any(String) }]);
    expect((await create({ name: "Shared name" }, other.key)).status).toBe(200);
  });

  it("refuses an SMTP host that is a private address", async () => {
    const response = await create({ smtp: { host: "10.0.0.8" } });
    expect(response.status).toBe(422);
    expect(response.body.details).toEqual([{ path: "smtp.host", message: "is a private address" }]);
  });
});

describe("GET /providers and /providers/{id}", () => {
  it("lists the organization's providers only, newest first, and pages", async () => {
    const own = await api.createOrg("Lister");
    const first = await create({}, own.key);
    const second = await create({}, own.key);
    const list = await api.call("GET", "/providers?limit=1", { key: own.key });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ object: "list", has_more: true });
    expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([second.body.id]);
    const next = await api.call("GET", `/providers?limit=1&after=${second.body.id}`, {
      key: own.key,
    });
    expect(next.body.data.map((p: { id: string }) => p.id)).toEqual([first.body.id]);
    expect(secretsIn(list.body)).toBe(false);
  });

  it("answers one provider, and 404 to another organization", async () => {
    const created = await create();
    const got = await api.call("GET", `/providers/${created.body.id}`, { key: org.key });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    const foreign = await api.call("GET", `/providers/${created.body.id}`, { key: other.key });
    expect(foreign.status).toBe(404);
    expect(foreign.body.name).toBe("not_found");
  });

  it.each([["/providers/not-a-uuid"], ["/providers?limit=0"]])("refuses %s", async (path) => {
    const response = await api.call("GET", path, { key: org.key });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });
});

describe("PATCH /providers/{id}", () => {
  it("merges settings, keeping the stored credentials", async () => {
    const created = await create();
    const response = await api.call("PATCH", `/providers/${created.body.id}`, {
      key: org.key,
      json: {
        priority: -1,
        rate_per_second: null,
        enabled: false,
        smtp: { host: "smtp.eu.example.com", port: 2525 },
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      priority: -1,
      rate_per_second: null,
      enabled: false,
      smtp: { host: "smtp.eu.example.com", port: 2525, security: "starttls" },
    });
    const [row] = await api.database.db
      .select()
      .from(providers)
      .where(eq(providers.id, created.body.id));
    expect(openSettings(api.deps.secrets, row?.config ?? "")).toMatchObject({
      host: "smtp.eu.example.com",
      username: "apikey",
      password: "s3cr3t-token",
    });
  });

  it("removes credentials given as null", async () => {
    const created = await create();
    const response = await api.call("PATCH", `/providers/${created.body.id}`, {
      key: org.key,
      json: { smtp: { username: null, password: null } },
    });
    expect(response.status).toBe(200);
    const [row] = await api.database.db
      .select()
      .from(providers)
      .where(eq(providers.id, created.body.id));
    const settings = openSettings(api.deps.secrets, row?.config ?? "");
    expect(settings.type === "smtp" && settings.username).toBeFalsy();
  });

  it.each([
    ["an empty body", {}],
    ["settings of the other type", { ses: { region: "eu-west-1" } }],
    ["a password left without its user name", { smtp: { username: null } }],
    ["a bad port", { smtp: { port: 0 } }],
    ["an unknown field", { colour: "blue" }],
  ])("refuses %s", async (_, json) => {
    const created = await create();
    const response = await api.call("PATCH", `/providers/${created.body.id}`, {
      key: org.key,
      json,
    });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });

  it("refuses a name another provider has", async () => {
    const first = await create();
    const second = await create();
    const response = await api.call("PATCH", `/providers/${second.body.id}`, {
      key: org.key,
      json: { name: first.body.name },
    });
    expect(response.status).toBe(422);
    expect(response.body.details[0].path).toBe("name");
  });

  it("answers 404 to another organization and leaves the provider as it was", async () => {
    const created = await create();
    const response = await api.call("PATCH", `/providers/${created.body.id}`, {
      key: other.key,
      json: { enabled: false },
    });
    expect(response.status).toBe(404);
    const got = await api.call("GET", `/providers/${created.body.id}`, { key: org.key });
    expect(got.body.enabled).toBe(true);
  });
});

describe("DELETE /providers/{id}", () => {
  it("deletes a provider once", async () => {
    const created = await create();
    const deleted = await api.call("DELETE", `/providers/${created.body.id}`, { key: org.key });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ object: "provider", id: created.body.id, deleted: true });
    const again = await api.call("DELETE", `/providers/${created.body.id}`, { key: org.key });
    expect(again.status).toBe(404);
  });

  it("answers 404 to another organization, and 422 to a bad id", async () => {
    const created = await create();
    const foreign = await api.call("DELETE", `/providers/${created.body.id}`, { key: other.key });
    expect(foreign.status).toBe(404);
    expect((await api.call("GET", `/providers/${created.body.id}`, { key: org.key })).status).toBe(
      200,
    );
    const bad = await api.call("DELETE", "/providers/123", { key: org.key });
    expect(bad.status).toBe(422);
  });

  it("refuses a sending_access key", async () => {
    const created = await create();
    const response = await api.call("DELETE", `/providers/${created.body.id}`, {
      key: org.sendingKey,
    });
    expect(response.status).toBe(401);
    expect(response.body.name).toBe("restricted_api_key");
  });
});
