import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../test/harness.ts";
import { startOidcProvider, type TestOidcProvider } from "../../test/oidc-provider.ts";
import { type ServedApp, serveApp } from "../../test/serve-app.ts";
import { openApiDocument } from "../openapi-document.ts";
import { CSRF_TOKEN_HEADER } from "./curl-sample.ts";
import type { OpenApiDocumentLike } from "./openapi-types.ts";

// The people's cURL samples run as written, one after the other in one directory, against the
// API on a real socket: their cookie jar carries the session from the sign-up on, and the
// CSRF token read from it lets the changes through.

let api: TestApi;
let served: ServedApp;
let dir: string;
let document: OpenApiDocumentLike;
let idp: TestOidcProvider | undefined;
let organizationId = "";

beforeAll(async () => {
  // A database of its own: the samples' example person (ada@acme.dev) is free there.
  api = await startTestApi();
  served = await serveApp(api.app);
  dir = await mkdtemp(join(tmpdir(), "thrive-curl-"));
  document = openApiDocument(api.app) as OpenApiDocumentLike;
});
afterAll(async () => {
  await idp?.close();
  await served?.close();
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});

function curlSampleOf(operationId: string): string {
  const operation = Object.values(document.paths ?? {})
    .flatMap((item) => Object.values(item))
    .find((candidate) => candidate.operationId === operationId);
  const source = operation?.["x-codeSamples"]?.find((sample) => sample.lang === "Shell")?.source;
  if (!source) throw new Error(`no cURL sample for ${operationId}`);
  return source.replaceAll("http://localhost:3000", served.url);
}

/** Runs a shell command in `cwd`, where its cookies.txt is: what it prints. */
async function shell(source: string, cwd: string): Promise<string> {
  return (await promisify(execFile)("bash", ["-c", source], { cwd })).stdout;
}

/** Runs a sample in the shared directory: the JSON it prints. */
async function run(source: string): Promise<Record<string, unknown>> {
  return JSON.parse(await shell(source, dir)) as Record<string, unknown>;
}

describe("the cURL samples of a person", () => {
  it("sign up, then send the session from curl's cookie jar, the CSRF token on changes", async () => {
    const signedUp = await run(curlSampleOf("signUp"));
    expect(signedUp).toMatchObject({ object: "session", user: { email: "ada@acme.dev" } });
    organizationId = (signedUp.organization as { id: string }).id;
    expect(await run(curlSampleOf("getSession"))).toMatchObject({ id: signedUp.id });

    const updated = await run(curlSampleOf("updateOrganization"));
    expect(updated).toMatchObject({ object: "organization", name: "Acme Inc." });
    const role = await run(curlSampleOf("createRole"));
    expect(role).toMatchObject({ object: "role", name: "support", extends: "analyst" });
    expect(await run(curlSampleOf("listRoles"))).toMatchObject({ object: "list" });

    // Without the token read from the jar, the same change is refused.
    const withoutToken = curlSampleOf("updateOrganization").replace(
      ` \\\n  ${CSRF_TOKEN_HEADER}`,
      "",
    );
    expect(withoutToken).not.toContain("X-CSRF-Token");
    expect(await run(withoutToken)).toMatchObject({
      statusCode: 403,
      name: "invalid_csrf_token",
    });
  });

  it("sign out, which empties the jar's session, and sign in again", async () => {
    expect(await run(curlSampleOf("signOut"))).toMatchObject({ signed_out: true });
    expect(await run(curlSampleOf("getSession"))).toMatchObject({ statusCode: 401 });
    expect(await run(curlSampleOf("signIn"))).toMatchObject({ object: "session" });
    const roles = await run(curlSampleOf("listRoles"));
    expect((roles.data as { name: string }[]).map((role) => role.name)).toContain("support");
  });

  it("show single sign-on's redirects: where the browser goes, and back with the session", async () => {
    idp = await startOidcProvider(`${api.config.publicUrl}/auth/oidc/callback`);
    // The connection (the sample's issuer is an example's): by hand, with the jar's session.
    const connect = [
      `curl -b cookies.txt -c cookies.txt -X POST '${served.url}/organization/oidc'`,
      CSRF_TOKEN_HEADER,
      "-H 'Content-Type: application/json'",
      `-d '${JSON.stringify({
        issuer: idp.issuer,
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        allowed_domains: ["sso.dev"],
        default_role: "developer",
      })}'`,
    ].join(" ");
    expect(await run(connect)).toMatchObject({ object: "oidc_connection", enabled: true });

    // A browser of its own: the sign-in's pending cookie goes from start to callback.
    const browser = await mkdtemp(join(tmpdir(), "thrive-curl-sso-"));
    try {
      const start = curlSampleOf("startOidcSignIn").replace(
        "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11",
        organizationId,
      );
      const authorize = (await shell(start, browser)).trim();
      expect(authorize.startsWith(`${idp.issuer}/`)).toBe(true);
      idp.signInAs({ sub: "sub-katherine", email: "katherine@sso.dev", name: "Katherine" });
      const back = await idp.authorize(authorize);
      expect(back.searchParams.get("iss")).toBe(idp.issuer);
      const callback = curlSampleOf("finishOidcSignIn").replace(
        /\/auth\/oidc\/callback\?[^']*/,
        `/auth/oidc/callback${back.search}`,
      );
      expect((await shell(callback, browser)).trim()).toBe(`${api.config.publicUrl}/`);
      const session = await shell(curlSampleOf("getSession"), browser);
      expect(JSON.parse(session)).toMatchObject({
        user: { email: "katherine@sso.dev" },
        organization: { id: organizationId, role: "developer" },
      });
    } finally {
      await rm(browser, { recursive: true, force: true });
    }
  });
});
