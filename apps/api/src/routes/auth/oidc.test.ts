import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleClient, signUp } from "../../test/console.ts";
import { startTestApi, type TestApi } from "../../test/harness.ts";
import { startOidcProvider, type TestOidcProvider } from "../../test/oidc-provider.ts";

let api: TestApi;
let idp: TestOidcProvider;
let owner: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  api = await startTestApi();
  idp = await startOidcProvider(`${api.config.publicUrl}/auth/oidc/callback`);
  owner = await signUp(api, { organization: "SSO Co" });
  const created = await owner.client.call("POST", "/organization/oidc", {
    json: {
      issuer: idp.issuer,
      client_id: idp.clientId,
      client_secret: idp.clientSecret,
      allowed_domains: ["sso.dev"],
      default_role: "developer",
    },
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await idp.close();
  await api.close();
});

/** A browser signing in to the organization through the provider; answers the callback's response. */
async function ssoSignIn(browser: ConsoleClient, orgId = owner.orgId) {
  const start = await browser.call("GET", `/auth/oidc/${orgId}/start`);
  expect(start.status).toBe(302);
  const location = start.headers.get("location") ?? "";
  expect(location.startsWith(`${idp.issuer}/`)).toBe(true);
  const authorize = new URL(location);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("state")).toBeTruthy();
  expect(authorize.searchParams.get("nonce")).toBeTruthy();
  const callback = await idp.authorize(location);
  expect(`${callback.origin}${callback.pathname}`).toBe(
    `${api.config.publicUrl}/auth/oidc/callback`,
  );
  return {
    callback,
    response: await browser.call("GET", `${callback.pathname}${callback.search}`),
  };
}

describe("single sign-on (OpenID Connect)", () => {
  it("keeps the connection without showing its secret", async () => {
    const read = await owner.client.call("GET", "/organization/oidc");
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      object: "oidc_connection",
      issuer: idp.issuer,
      client_id: idp.clientId,
      allowed_domains: ["sso.dev"],
      default_role: "developer",
      enabled: true,
      redirect_uri: `${api.config.publicUrl}/auth/oidc/callback`,
    });
    expect(JSON.stringify(read.body)).not.toContain(idp.clientSecret);
    const row = await api.database
      .sql`select client_secret from oidc_connections where org_id = ${owner.orgId}`;
    expect(row[0]?.client_secret).not.toContain(idp.clientSecret);
  });

  it("creates the member on their first sign-in with the default role, and finds them again after", async () => {
    idp.signInAs({ sub: "sub-ada", email: "Ada@SSO.dev", name: "Ada" });
    const browser = new ConsoleClient(api);
    const { response } = await ssoSignIn(browser);
    expect(response.status, JSON.stringify(response.body)).toBe(302);
    expect(response.headers.get("location")).toBe(`${api.config.publicUrl}/`);
    const session = await browser.call("GET", "/auth/session");
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({
      user: { email: "ada@sso.dev", name: "Ada", email_verified: true },
      organization: { id: owner.orgId, name: "SSO Co", role: "developer" },
    });
    expect(
      (await browser.call("POST", "/domains", { json: { name: "from-sso.dev" } })).status,
    ).toBe(200);

    const again = new ConsoleClient(api);
    await ssoSignIn(again);
    const second = await again.call("GET", "/auth/session");
    expect(second.body.user.id).toBe(session.body.user.id);
    const members = await owner.client.call("GET", "/members");
    expect(
      members.body.data.filter((m: { email: string }) => m.email === "ada@sso.dev"),
    ).toHaveLength(1);
  });

  it("refuses an email outside the allowed domains, and an unverified one", async () => {
    idp.signInAs({ sub: "sub-mallory", email: "mallory@elsewhere.dev" });
    const { response } = await ssoSignIn(new ConsoleClient(api));
    expect(response.status).toBe(403);
    expect(response.body.name).toBe("forbidden");
    const users = await api.database.sql`select 1 from users where email = 'mallory@elsewhere.dev'`;
    expect(users.length).toBe(0);

    idp.signInAs({ sub: "sub-unverified", email: "eve@sso.dev", email_verified: false });
    const unverified = await ssoSignIn(new ConsoleClient(api));
    expect(unverified.response.status).toBe(400);
    expect(unverified.response.body.name).toBe("sso_failed");
  });

  it("refuses a callback with another state, or in a browser that did not start the sign-in", async () => {
    idp.signInAs({ sub: "sub-bob", email: "bob@sso.dev" });
    const browser = new ConsoleClient(api);
    const start = await browser.call("GET", `/auth/oidc/${owner.orgId}/start`);
    const callback = await idp.authorize(start.headers.get("location") ?? "");
    const forged = new URL(callback);
    forged.searchParams.set("state", "forged-state");
    const wrongState = await browser.call("GET", `${forged.pathname}${forged.search}`);
    expect(wrongState.status).toBe(400);
    expect(wrongState.body.name).toBe("sso_failed");

    const other = new ConsoleClient(api);
    const noCookie = await other.call("GET", `${callback.pathname}${callback.search}`);
    expect(noCookie.status).toBe(400);
    expect(noCookie.body.name).toBe("sso_failed");
    expect(other.cookie("thrive_session")).toBeUndefined();
  });

  it("checks the provider's iss (RFC 9207): another issuer, or none, is refused", async () => {
    idp.signInAs({ sub: "sub-iss", email: "iss@sso.dev" });
    const attempt = async (iss: string | null) => {
      const browser = new ConsoleClient(api);
      const start = await browser.call("GET", `/auth/oidc/${owner.orgId}/start`);
      const callback = await idp.authorize(start.headers.get("location") ?? "");
      // The provider names itself in the callback, and says it does in its discovery document.
      expect(callback.searchParams.get("iss")).toBe(idp.issuer);
      if (iss === null) callback.searchParams.delete("iss");
      else callback.searchParams.set("iss", iss);
      return browser.call("GET", `${callback.pathname}${callback.search}`);
    };
    for (const iss of ["https://mix-up.example", null]) {
      const refused = await attempt(iss);
      expect(refused.status, String(iss)).toBe(400);
      expect(refused.body.name).toBe("sso_failed");
    }
    const tooLong = await attempt(`https://idp.example/${"a".repeat(2000)}`);
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.name).toBe("validation_error");
    expect(tooLong.body.details[0].path).toBe("iss");
    const signedIn = await attempt(idp.issuer);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(302);
  });

  it("answers 404 where there is no enabled connection, 422 to a malformed organization id", async () => {
    const other = await signUp(api);
    const none = await new ConsoleClient(api).call("GET", `/auth/oidc/${other.orgId}/start`);
    expect(none.status).toBe(404);
    expect((await new ConsoleClient(api).call("GET", "/auth/oidc/nope/start")).status).toBe(422);
    expect((await other.client.call("GET", "/organization/oidc")).status).toBe(404);
    expect((await other.client.call("DELETE", "/organization/oidc")).status).toBe(404);

    const disabled = await owner.client.call("PATCH", "/organization/oidc", {
      json: { enabled: false },
    });
    expect(disabled.status).toBe(200);
    expect(
      (await new ConsoleClient(api).call("GET", `/auth/oidc/${owner.orgId}/start`)).status,
    ).toBe(404);
    await owner.client.call("PATCH", "/organization/oidc", { json: { enabled: true } });
  });

  it("validates the connection: a reachable issuer, no owners by default, one per organization", async () => {
    const other = await signUp(api);
    const base = {
      issuer: idp.issuer,
      client_id: idp.clientId,
      client_secret: idp.clientSecret,
      allowed_domains: ["other.dev"],
      default_role: "analyst",
    };
    const ownerRole = await other.client.call("POST", "/organization/oidc", {
      json: { ...base, default_role: "owner" },
    });
    expect(ownerRole.status).toBe(422);
    const unreachable = await other.client.call("POST", "/organization/oidc", {
      json: { ...base, issuer: "http://127.0.0.1:9" },
    });
    expect(unreachable.status).toBe(422);
    expect(unreachable.body.details[0].path).toBe("issuer");
    const badDomain = await other.client.call("POST", "/organization/oidc", {
      json: { ...base, allowed_domains: ["not a domain"] },
    });
    expect(badDomain.status).toBe(422);
    expect((await other.client.call("POST", "/organization/oidc", { json: base })).status).toBe(
      201,
    );
    const twice = await other.client.call("POST", "/organization/oidc", { json: base });
    expect(twice.status).toBe(409);
    const updated = await other.client.call("PATCH", "/organization/oidc", {
      json: { allowed_domains: ["b.dev", "a.dev"] },
    });
    expect(updated.body.allowed_domains).toEqual(["b.dev", "a.dev"]);
    const removed = await other.client.call("DELETE", "/organization/oidc");
    expect(removed.status).toBe(200);
    expect(removed.body.deleted).toBe(true);
  });

  it("is managed by admins and owners only", async () => {
    idp.signInAs({ sub: "sub-dev", email: "dev@sso.dev" });
    const developer = new ConsoleClient(api);
    await ssoSignIn(developer);
    expect((await developer.call("GET", "/organization/oidc")).status).toBe(200);
    const refused = await developer.call("PATCH", "/organization/oidc", {
      json: { default_role: "admin" },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.name).toBe("forbidden");
  });
});
