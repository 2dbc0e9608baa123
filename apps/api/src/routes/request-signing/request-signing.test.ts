import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newApp } from "../../app.ts";
import { connectDatabase, type Database } from "../../db/client.ts";
import { auditLogs } from "../../db/schema/index.ts";
import { createApiDeps } from "../../deps.ts";
import type { App } from "../../lib/app-env.ts";
import { signatureBase, signRequest } from "../../lib/request-signature.ts";
import { startTestApi, type TestApi, type TestOrg, testLogger } from "../../test/harness.ts";

let api: TestApi;
let org: TestOrg;
let other: TestOrg;
/** A second API process on the same database. */
let secondDatabase: Database;
let second: App;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
  other = await api.createOrg("Other");
  secondDatabase = connectDatabase(api.database.url, { max: 4 });
  second = newApp(createApiDeps(api.config, testLogger(), { database: secondDatabase }));
});
afterAll(async () => {
  await secondDatabase.close();
  await api.close();
});

interface SignedOptions {
  secret: string;
  method?: string;
  path?: string;
  body?: string;
  timestamp?: number;
  app?: App;
  key?: string;
}

function signedHeaders(options: SignedOptions) {
  const method = options.method ?? "GET";
  const path = options.path ?? "/emails?limit=1";
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    authorization: `Bearer ${options.key ?? org.key}`,
    "x-thrive-timestamp": timestamp,
    "x-thrive-signature": signRequest(
      options.secret,
      signatureBase(method, path, timestamp, options.body ?? ""),
    ),
    ...(options.body === undefined ? {} : { "content-type": "application/json" }),
  };
}

async function signed(options: SignedOptions) {
  const method = options.method ?? "GET";
  const path = options.path ?? "/emails?limit=1";
  const response = await (options.app ?? api.app).request(path, {
    method,
    headers: signedHeaders(options),
    body: options.body,
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  const body: any = await response.json();
  return { status: response.status, body };
}

async function enable(owner: TestOrg): Promise<string> {
  const response = await api.call("POST", "/request-signing/rotate", { key: owner.key });
  expect(response.status).toBe(200);
  return response.body.secret;
}

describe("request signing", () => {
  let secret: string;

  it("is off by default, and turns on with a secret shown once", async () => {
    const before = await api.call("GET", "/request-signing", { key: org.key });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ object: "request_signing", enabled: false });
    secret = await enable(org);
    expect(secret).toMatch(/^rss_[\w-]{43}$/);
    const after = await signed({ secret, path: "/request-signing" });
    expect(after.body).toMatchObject({ enabled: true, previous_secret_expires_at: null });
    expect(JSON.stringify(after.body)).not.toContain(secret);
  });

  it("then refuses unsigned requests with 401 invalid_request_signature", async () => {
    const response = await api.call("GET", "/emails", { key: org.key });
    expect(response.status).toBe(401);
    expect(response.body.name).toBe("invalid_request_signature");
    expect(response.body.message).toContain("x-thrive-signature");
  });

  it("accepts a signed GET and a signed POST, over path, query and body", async () => {
    expect((await signed({ secret })).status).toBe(200);
    const body = JSON.stringify({
      from: "a@acme.dev",
      to: "b@example.com",
      subject: "s",
      text: "t",
    });
    const sent = await signed({ secret, method: "POST", path: "/emails", body });
    expect(sent.status).toBe(200);
    expect(sent.body.id).toBeDefined();
  });

  it("refuses a wrong signature, another body, an old timestamp and a replay", async () => {
    const wrong = await signed({ secret: "rss_not-the-secret" });
    expect(wrong.status).toBe(401);
    // Signed for one body, sent with another.
    const body = JSON.stringify({
      from: "a@acme.dev",
      to: "b@example.com",
      subject: "s",
      text: "t",
    });
    const headers = signedHeaders({ secret, method: "POST", path: "/emails", body });
    const tampered = await api.app.request("/emails", {
      method: "POST",
      headers,
      body: body.replace("b@example.com", "c@example.com"),
    });
    expect(tampered.status).toBe(401);
    const old = await signed({ secret, timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(old.status).toBe(401);
    expect(old.body.message).toContain("300 seconds");
    const timestamp = Math.floor(Date.now() / 1000);
    expect((await signed({ secret, path: "/emails?limit=2", timestamp })).status).toBe(200);
    const replay = await signed({ secret, path: "/emails?limit=2", timestamp });
    expect(replay.status).toBe(401);
    expect(replay.body.message).toContain("already received");
  });

  it("refuses a replay sent to another API process", async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    expect((await signed({ secret, path: "/emails?limit=3", timestamp })).status).toBe(200);
    const replay = await signed({ secret, path: "/emails?limit=3", timestamp, app: second });
    expect(replay.status).toBe(401);
    expect(replay.body.name).toBe("invalid_request_signature");
  });

  it("accepts the previous secret for a while after a rotation", async () => {
    const previous = secret;
    // Rotating is a request like any other: signed.
    const rotated = await signed({ secret, method: "POST", path: "/request-signing/rotate" });
    expect(rotated.status).toBe(200);
    secret = rotated.body.secret;
    expect(secret).not.toBe(previous);
    expect((await signed({ secret, path: "/emails?limit=4" })).status).toBe(200);
    expect((await signed({ secret: previous, path: "/emails?limit=5" })).status).toBe(200);
    const shown = await signed({ secret, path: "/request-signing" });
    expect(shown.body.previous_secret_expires_at).not.toBeNull();
  });

  it("records who turned it on, rotated it, and refused requests", async () => {
    const entries = await api.database.db
      .select({ action: auditLogs.action })
      .from(auditLogs)
      .where(eq(auditLogs.orgId, org.orgId));
    const actions = entries.map((entry) => entry.action);
    expect(actions).toContain("request_signing.enabled");
    expect(actions).toContain("request_signing.secret_rotated");
    expect(actions).toContain("request_signature.refused");
  });

  it("leaves other organizations alone", async () => {
    expect((await api.call("GET", "/emails", { key: other.key })).status).toBe(200);
    const theirs = await api.call("GET", "/request-signing", { key: other.key });
    expect(theirs.body.enabled).toBe(false);
  });

  it("turns off (a signed request asks), and unsigned requests work again", async () => {
    const response = await signed({ secret, method: "DELETE", path: "/request-signing" });
    expect(response.status).toBe(200);
    expect(response.body.enabled).toBe(false);
    expect((await api.call("GET", "/emails", { key: org.key })).status).toBe(200);
  });

  it("is refused to a sending_access key", async () => {
    const response = await api.call("POST", "/request-signing/rotate", { key: other.sendingKey });
    expect(response.status).toBe(401);
    expect(response.body.name).toBe("restricted_api_key");
  });
});
