import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OpenAPIHono } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppEnv } from "../../lib/app-env.ts";
import { registerDocsPortal } from "./docs-portal.ts";

let dir: string;
const app = new OpenAPIHono<AppEnv>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "docs-portal-"));
  await mkdir(join(dir, "guides"));
  await writeFile(join(dir, "index.html"), "<h1>Thrive-Send docs</h1>");
  await writeFile(join(dir, "guides", "webhooks.html"), "<h1>Webhooks</h1>");
  await writeFile(join(dir, "openapi.json"), '{"openapi":"3.1.0"}');
  expect(registerDocsPortal(app, dir)).toBe(true);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the docs portal in dev mode", () => {
  it("serves the built site under /docs-portal/", async () => {
    const index = await app.request("/docs-portal/");
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await index.text()).toBe("<h1>Thrive-Send docs</h1>");
    const guide = await app.request("/docs-portal/guides/webhooks.html");
    expect(await guide.text()).toBe("<h1>Webhooks</h1>");
    const spec = await app.request("/docs-portal/openapi.json");
    expect(spec.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("redirects /docs-portal to /docs-portal/ so that relative links resolve", async () => {
    const response = await app.request("/docs-portal");
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe("/docs-portal/");
  });

  it("serves nothing outside the site, nothing missing, and only GET and HEAD", async () => {
    expect((await app.request("/docs-portal/../package.json")).status).toBe(404);
    expect((await app.request("/docs-portal/%2e%2e/%2e%2e/package.json")).status).toBe(404);
    expect((await app.request("/docs-portal/missing.html")).status).toBe(404);
    expect((await app.request("/docs-portal/", { method: "POST" })).status).toBe(404);
  });

  it("registers nothing when the portal is not built", () => {
    const bare = new OpenAPIHono<AppEnv>();
    expect(registerDocsPortal(bare, join(dir, "not-built"))).toBe(false);
  });
});
