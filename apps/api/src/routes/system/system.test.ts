import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newApp } from "../../app.ts";
import { connectDatabase } from "../../db/client.ts";
import { withDatabase } from "../../db/embedded.ts";
import { createApiDeps } from "../../deps.ts";
import { MailCatcher } from "../../mail/catcher.ts";
import { createSmtpTransport } from "../../mail/smtp-transport.ts";
import { startTestApi, type TestApi, testConfig, testLogger } from "../../test/harness.ts";

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe("GET /health and GET /ready", () => {
  it("answers alive and ready on a migrated database, without a key", async () => {
    expect(await api.call("GET", "/health")).toMatchObject({ status: 200, body: { status: "ok" } });
    expect(await api.call("GET", "/ready")).toMatchObject({
      status: 200,
      body: { status: "ready", database: "reachable", migrations: "applied" },
    });
  });

  it("is not ready on a database without migrations", async () => {
    const name = `${inject("databasePrefix")}_empty`;
    const admin = postgres(inject("databaseServerUrl"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const database = connectDatabase(withDatabase(inject("databaseServerUrl"), name), { max: 1 });
    try {
      const app = newApp(createApiDeps(testConfig("unused"), testLogger(), { database }));
      const response = await app.request("/ready");
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: "not_ready",
        database: "reachable",
        migrations: "pending",
      });
    } finally {
      await database.close();
      await admin.unsafe(`drop database "${name}" with (force)`);
      await admin.end();
    }
  });

  it("is not ready when the database is unreachable, and still alive", async () => {
    const database = connectDatabase("postgres://nobody:nothing@127.0.0.1:1/none", { max: 1 });
    const app = newApp(createApiDeps(testConfig("unused"), testLogger(), { database }));
    const ready = await app.request("/ready");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ database: "unreachable" });
    expect((await app.request("/health")).status).toBe(200);
    await database.close();
  });
});

describe("the spec and its reference", () => {
  it("serves the OpenAPI 3.1 document at /openapi.json", async () => {
    const response = await api.call("GET", "/openapi.json");
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe("3.1.0");
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        "/emails",
        "/emails/batch",
        "/emails/{id}",
        "/emails/{id}/cancel",
        "/api-keys",
        "/api-keys/{id}",
      ]),
    );
    expect(response.body.components.securitySchemes.bearerAuth).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
  });

  it("serves the Scalar API reference at /docs", async () => {
    const response = await api.app.request("/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain("/openapi.json");
    expect(html.toLowerCase()).toContain("scalar");
  });
});

describe("every response", () => {
  it("has a request id, also in error bodies", async () => {
    const response = await api.call("GET", "/nowhere");
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      statusCode: 404,
      name: "not_found",
      message: "No route for GET /nowhere",
      request_id: response.headers.get("x-request-id"),
    });
  });

  it("keeps a caller's request id", async () => {
    const response = await api.call("GET", "/health", { headers: { "x-request-id": "trace-123" } });
    expect(response.headers.get("x-request-id")).toBe("trace-123");
  });
});

describe("GET /dev/inbox", () => {
  it("exists only in dev mode and lists what the catcher received", async () => {
    expect((await api.call("GET", "/dev/inbox")).status).toBe(404);

    const catcher = new MailCatcher();
    await catcher.listen();
    const transport = createSmtpTransport({ url: catcher.url, finalHop: true });
    try {
      await transport.send({
        envelope: { from: "a@acme.dev", to: ["b@example.com"] },
        content: {
          from: "a@acme.dev",
          to: "b@example.com",
          subject: "caught",
          messageId: "<m1@acme.dev>",
          text: "body text",
        },
      });
      const app = newApp({ ...api.deps, devInbox: catcher });
      const list = (await (await app.request("/dev/inbox")).json()) as { data: unknown[] };
      expect(list.data).toEqual([
        expect.objectContaining({
          id: 1,
          subject: "caught",
          message_id: "<m1@acme.dev>",
          envelope: { from: "a@acme.dev", to: ["b@example.com"] },
        }),
      ]);
      const one = (await (await app.request("/dev/inbox/1")).json()) as { text: string };
      expect(one.text.trim()).toBe("body text");
      const raw = await app.request("/dev/inbox/1/raw");
      expect(raw.headers.get("content-type")).toBe("message/rfc822");
      expect((await app.request("/dev/inbox/2")).status).toBe(404);
    } finally {
      await transport.close();
      await catcher.close();
    }
  });
});
