import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newApp } from "../app.ts";
import { createApiDeps } from "../deps.ts";
import { startTestApi, type TestApi, type TestOrg, testLogger } from "../test/harness.ts";
import { type ServedApp, serveApp } from "../test/serve-app.ts";

let api: TestApi;
let org: TestOrg;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg();
});
afterAll(() => api.close());

/** The same API with other settings, on the same database. */
const variant = (overrides: Partial<TestApi["config"]>) =>
  newApp(createApiDeps({ ...api.config, ...overrides }, testLogger(), { database: api.database }));

describe("security headers", () => {
  it("are on every API answer: no sniffing, no referrer, no framing, nothing to load", async () => {
    for (const response of [
      await api.app.request("/health"),
      await api.app.request("/emails", { headers: { authorization: `Bearer ${org.key}` } }),
      await api.app.request("/emails"),
      await api.app.request("/no-such-route"),
    ]) {
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("content-security-policy")).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      // HTTP here (PUBLIC_URL is http://localhost): no HSTS.
      expect(response.headers.get("strict-transport-security")).toBeNull();
      // Mail clients load the open pixel from other origins.
      expect(response.headers.get("cross-origin-resource-policy")).toBeNull();
    }
  });

  it("send HSTS when the API is served over HTTPS", async () => {
    const https = variant({ publicUrl: "https://mail.example.com" });
    const response = await https.request("/health");
    expect(response.headers.get("strict-transport-security")).toBe(
      "max-age=63072000; includeSubDomains",
    );
  });

  it("give our HTML pages a CSP that allows their inline style and nothing else", async () => {
    const response = await api.app.request("/unsubscribe/not-a-token");
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("script-src");
  });

  it("let /docs run Scalar's scripts by this request's nonce only", async () => {
    const first = await api.app.request("/docs");
    const second = await api.app.request("/docs");
    const csp = first.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("script-src 'nonce-");
    expect(csp).toContain("https://cdn.jsdelivr.net");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-eval'");
    const html = await first.text();
    // Every script of the page carries the nonce; none runs without it.
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
  });
});

describe("CORS", () => {
  const preflight = (app: ReturnType<typeof variant>, origin: string) =>
    app.request("/emails", {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });

  it("sends no CORS header without CORS_ORIGINS", async () => {
    const response = await api.app.request("/health", {
      headers: { origin: "https://app.example.com" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers the allowed origins' preflights and requests, and only theirs", async () => {
    const app = variant({ corsOrigins: ["https://app.example.com"] });
    const allowed = await preflight(app, "https://app.example.com");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("authorization");
    const refused = await preflight(app, "https://evil.example.com");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    const request = await app.request("/emails", {
      headers: { origin: "https://app.example.com", authorization: `Bearer ${org.key}` },
    });
    expect(request.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(request.headers.get("access-control-expose-headers")).toContain("ratelimit-remaining");
  });
});

describe("strict JSON", () => {
  let served: ServedApp;
  beforeAll(async () => {
    served = await serveApp(api.app);
  });
  afterAll(() => served.close());

  const post = (body: string | Uint8Array, contentType = "application/json") =>
    fetch(`${served.url}/emails`, {
      method: "POST",
      headers: { authorization: `Bearer ${org.key}`, "content-type": contentType },
      body,
    });

  it("refuses a body that is not UTF-8 with 422, on a socket and in process", async () => {
    const invalid = Buffer.concat([
      Buffer.from('{"from":"a@acme.dev","to":"b@example.com","subject":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('","text":"t"}'),
    ]);
    const response = await post(invalid);
    expect(response.status).toBe(422);
    const body = (await response.json()) as { name: string; message: string };
    expect(body).toMatchObject({
      name: "validation_error",
      message: expect.stringContaining("UTF-8"),
    });
    const inProcess = await api.app.request("/emails", {
      method: "POST",
      headers: { authorization: `Bearer ${org.key}`, "content-type": "application/json" },
      body: invalid,
    });
    expect(inProcess.status).toBe(422);
  });

  it("refuses another content type with 415 and malformed JSON with 422", async () => {
    const text = await post("from=a", "text/plain");
    expect(text.status).toBe(415);
    expect(((await text.json()) as { name: string }).name).toBe("unsupported_media_type");
    expect((await post('{"from":')).status).toBe(422);
  });
});
