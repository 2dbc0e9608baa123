import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newApp } from "../app.ts";
import { createApiDeps } from "../deps.ts";
import { startTestApi, type TestApi, type TestOrg, testLogger } from "../test/harness.ts";
import { serveApp } from "../test/serve-app.ts";

let api: TestApi;
let org: TestOrg;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
});
afterAll(() => api.close());

describe("a method the path has no route for", () => {
  it("is a 405 with Allow, before authentication", async () => {
    const response = await api.call("PUT", "/domains");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST, GET, HEAD, OPTIONS");
    expect(response.body).toMatchObject({
      statusCode: 405,
      name: "method_not_allowed",
      message: "PUT is not allowed on /domains; it allows POST, GET, HEAD, OPTIONS",
    });
    expect(response.body.request_id).toBe(response.headers.get("x-request-id"));
  });

  it("is a 405 on a path with ids too, TRACE included (over a socket: fetch refuses it)", async () => {
    const id = "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e";
    const response = await api.call("PUT", `/webhooks/${id}/events`, { key: org.key });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");

    const served = await serveApp(api.app);
    try {
      const trace = await new Promise<{ status?: number; allow?: string }>((resolve, reject) => {
        request(`${served.url}/webhooks/${id}`, { method: "TRACE" }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode, allow: res.headers.allow }));
        })
          .on("error", reject)
          .end();
      });
      expect(trace).toEqual({ status: 405, allow: "GET, PATCH, DELETE, HEAD, OPTIONS" });
    } finally {
      await served.close();
    }
  });

  it("is a 405 where a literal route shadows a route with a parameter", async () => {
    // DELETE /invitations/{id} does not take `accept` for an id: the path is POST-only.
    const response = await api.call("DELETE", "/invitations/accept", { key: org.key });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
    const batch = await api.call("GET", "/emails/batch", { key: org.key });
    expect(batch.status).toBe(405);
    expect(batch.headers.get("allow")).toBe("POST, OPTIONS");
  });

  it("answers OPTIONS with 204 and Allow", async () => {
    const response = await api.app.request("/emails/019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e", {
      method: "OPTIONS",
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("GET, PATCH, HEAD, OPTIONS");
    expect(await response.text()).toBe("");
  });

  it("leaves CORS preflights to the CORS middleware", async () => {
    const app = newApp(
      createApiDeps({ ...api.config, corsOrigins: ["https://console.acme.dev"] }, testLogger(), {
        database: api.database,
      }),
    );
    const response = await app.request("/domains", {
      method: "OPTIONS",
      headers: {
        origin: "https://console.acme.dev",
        "access-control-request-method": "POST",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://console.acme.dev");
  });
});

describe("the routes themselves", () => {
  it("still answer their methods, HEAD included, and unknown paths are 404", async () => {
    expect((await api.call("GET", "/domains", { key: org.key })).status).toBe(200);
    const head = await api.app.request("/health", { method: "HEAD" });
    expect(head.status).toBe(200);
    const unknown = await api.call("DELETE", "/nowhere/at/all");
    expect(unknown.status).toBe(404);
    expect(unknown.body.name).toBe("not_found");
  });
});
