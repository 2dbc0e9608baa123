import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConsoleClient,
  signUp,
  TEST_PASSWORD,
  uniqueEmail,
  waitForToken,
} from "../../test/console.ts";
import { startTestApi, startTestMail, type TestApi, type TestMail } from "../../test/harness.ts";

let api: TestApi;
let mail: TestMail;
/** The API's clock: tests move it forward to expire sessions and locks. */
let offsetMs = 0;
const advance = (ms: number) => {
  offsetMs += ms;
};

beforeAll(async () => {
  api = await startTestApi({}, { clock: () => new Date(Date.now() + offsetMs) });
  mail = await startTestMail(api);
});
afterAll(async () => {
  await mail.stop();
  await api.close();
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe("sign-up", () => {
  it("creates the person, their organization (as owner) and a session in HttpOnly SameSite cookies", async () => {
    const client = new ConsoleClient(api);
    const email = uniqueEmail("ada");
    const response = await client.call("POST", "/auth/sign-up", {
      json: { email, password: TEST_PASSWORD, name: "Ada", organization_name: "Analytical" },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      object: "session",
      user: { email, name: "Ada", email_verified: false, mfa_enabled: false },
      organization: { name: "Analytical", role: "owner" },
      mfa_required: false,
    });
    const sessionCookie = client.lastSetCookies.find((line) => line.startsWith("thrive_session="));
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Lax/);
    expect(sessionCookie).toMatch(/Path=\//);
    // PUBLIC_URL is plain http here: no Secure, no __Host- prefix (browsers would refuse both).
    expect(sessionCookie).not.toMatch(/Secure/);
    const csrfCookie = client.lastSetCookies.find((line) => line.startsWith("thrive_csrf="));
    expect(csrfCookie).not.toMatch(/HttpOnly/);
    expect(client.cookie("thrive_csrf")).toBe(response.body.csrf_token);

    const session = await client.call("GET", "/auth/session");
    expect(session.status).toBe(200);
    expect(session.body.user.email).toBe(email);
    expect(session.body.organizations).toEqual([
      { id: response.body.organization.id, name: "Analytical", role: "owner" },
    ]);
  });

  it("emails a link that verifies the address, once", async () => {
    const { client, email } = await signUp(api);
    const token = await waitForToken(mail.catcher, email, "/verify-email");
    const verified = await new ConsoleClient(api).call("POST", "/auth/verify-email", {
      json: { token },
    });
    expect(verified.status).toBe(200);
    expect((await client.call("GET", "/auth/session")).body.user.email_verified).toBe(true);
    const again = await new ConsoleClient(api).call("POST", "/auth/verify-email", {
      json: { token },
    });
    expect(again.status).toBe(400);
    expect(again.body.name).toBe("invalid_token");
  });

  it("refuses invalid input and an address that has an account, whatever its case", async () => {
    const client = new ConsoleClient(api);
    const weak = await client.call("POST", "/auth/sign-up", {
      json: { email: uniqueEmail(), password: "short", organization_name: "A" },
    });
    expect(weak.status).toBe(422);
    expect(weak.body.details[0].path).toBe("password");
    const noEmail = await client.call("POST", "/auth/sign-up", {
      json: { email: "not-an-email", password: TEST_PASSWORD, organization_name: "A" },
    });
    expect(noEmail.status).toBe(422);
    const { email } = await signUp(api);
    const twice = await client.call("POST", "/auth/sign-up", {
      json: { email: email.toUpperCase(), password: TEST_PASSWORD, organization_name: "B" },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.name).toBe("already_exists");
  });
});

describe("sign-in and sign-out", () => {
  it("signs in with the password (any case of the email), and a new sign-in revokes the browser's old session", async () => {
    const { email } = await signUp(api);
    const browser = new ConsoleClient(api);
    const first = await browser.call("POST", "/auth/sign-in", {
      json: { email: email.toUpperCase(), password: TEST_PASSWORD },
    });
    expect(first.status).toBe(200);
    expect(first.body.organization.role).toBe("owner");
    const oldToken = browser.cookie("thrive_session");
    const second = await browser.call("POST", "/auth/sign-in", {
      json: { email, password: TEST_PASSWORD },
    });
    expect(second.status).toBe(200);
    expect(second.body.id).not.toBe(first.body.id);
    expect(browser.cookie("thrive_session")).not.toBe(oldToken);
    const stale = await api.app.request("/auth/session", {
      headers: { cookie: `thrive_session=${oldToken}` },
    });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { name: string }).name).toBe("invalid_session");
  });

  it("answers the same 401 to a wrong password and to an unknown email", async () => {
    const { email } = await signUp(api);
    const client = new ConsoleClient(api);
    const wrong = await client.call("POST", "/auth/sign-in", {
      json: { email, password: "wrong password!" },
    });
    const unknown = await client.call("POST", "/auth/sign-in", {
      json: { email: uniqueEmail("nobody"), password: "wrong password!" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body.name).toBe("invalid_credentials");
    expect(unknown.body.message).toBe(wrong.body.message);
    expect(client.lastSetCookies).toEqual([]);
  });

  it("signs out: the cookie is cleared and its token is dead everywhere", async () => {
    const { client } = await signUp(api);
    const token = client.cookie("thrive_session");
    const out = await client.call("POST", "/auth/sign-out");
    expect(out.status).toBe(200);
    expect(client.cookie("thrive_session")).toBeUndefined();
    const replay = await api.app.request("/auth/session", {
      headers: { cookie: `thrive_session=${token}` },
    });
    expect(replay.status).toBe(401);
  });

  it("acts for the organization with the member's role on the API's routes", async () => {
    const { client } = await signUp(api);
    const created = await client.call("POST", "/domains", { json: { name: "console-made.dev" } });
    expect(created.status).toBe(200);
    const listed = await client.call("GET", "/domains");
    expect(listed.body.data.map((domain: { name: string }) => domain.name)).toEqual([
      "console-made.dev",
    ]);
  });

  it("refuses API keys on the account's own operations and on the people's", async () => {
    const org = await api.createOrg();
    const session = await api.call("GET", "/auth/session", { key: org.key });
    expect(session.status).toBe(401);
    expect(session.body.name).toBe("restricted_api_key");
    const members = await api.call("GET", "/members", { key: org.key });
    expect(members.status).toBe(401);
    expect(members.body.name).toBe("restricted_api_key");
    const none = await api.call("GET", "/auth/session");
    expect(none.status).toBe(401);
    expect(none.body.name).toBe("missing_api_key");
  });
});

describe("CSRF", () => {
  it("refuses a cookie-authenticated change without the session's token, or with another's", async () => {
    const { client } = await signUp(api);
    const other = await signUp(api);
    const missing = await client.call("PATCH", "/organization", {
      json: { name: "Hijacked" },
      csrf: false,
    });
    expect(missing.status).toBe(403);
    expect(missing.body.name).toBe("invalid_csrf_token");
    const foreign = await client.call("PATCH", "/organization", {
      json: { name: "Hijacked" },
      csrf: false,
      headers: { "x-csrf-token": other.client.cookie("thrive_csrf") ?? "" },
    });
    expect(foreign.status).toBe(403);
    const signOut = await client.call("POST", "/auth/sign-out", { csrf: false });
    expect(signOut.status).toBe(403);
    // Reads need none; with the token the change goes through.
    expect((await client.call("GET", "/organization")).body.name).toBe("Acme");
    const ok = await client.call("PATCH", "/organization", { json: { name: "Renamed" } });
    expect(ok.status).toBe(200);
    expect(ok.body.name).toBe("Renamed");
  });

  it("asks nothing of API key requests, even with a session cookie beside the key", async () => {
    const org = await api.createOrg();
    const { client } = await signUp(api);
    const response = await api.call("POST", "/domains", {
      key: org.key,
      json: { name: "key-made.dev" },
      headers: { cookie: `thrive_session=${client.cookie("thrive_session")}` },
    });
    expect(response.status).toBe(200);
  });
});

describe("session lifetime", () => {
  it("ends after the idle timeout, and use pushes it forward", async () => {
    const { client } = await signUp(api);
    advance(90 * MINUTE);
    expect((await client.call("GET", "/auth/session")).status).toBe(200);
    advance(90 * MINUTE);
    // 3 hours since sign-in, but only 1.5 since the last use.
    expect((await client.call("GET", "/auth/session")).status).toBe(200);
    advance(2 * HOUR + MINUTE);
    const idle = await client.call("GET", "/auth/session");
    expect(idle.status).toBe(401);
    expect(idle.body.name).toBe("invalid_session");
    expect(client.cookie("thrive_session")).toBeUndefined();
  });

  it("ends at the absolute timeout however much it is used", async () => {
    const { client } = await signUp(api);
    const session = await client.call("GET", "/auth/session");
    const absolute = new Date(session.body.expires_at).getTime();
    const now = Date.now() + offsetMs;
    expect(absolute - now).toBeGreaterThan(14 * 24 * HOUR - MINUTE);
    for (let used = 0; used < 14 * 24; used += 1.5) {
      advance(1.5 * HOUR);
      const response = await client.call("GET", "/auth/session");
      if (Date.now() + offsetMs >= absolute) {
        expect(response.status).toBe(401);
        return;
      }
      expect(response.status).toBe(200);
      // The idle expiry never goes past the absolute one.
      expect(new Date(response.body.idle_expires_at).getTime()).toBeLessThanOrEqual(absolute);
    }
    throw new Error("the session outlived its absolute timeout");
  });
});

describe("lockout", () => {
  it("locks after 5 failures, for longer each time, the same for unknown emails", async () => {
    const { email } = await signUp(api);
    const unknown = uniqueEmail("ghost");
    const client = new ConsoleClient(api);
    const attempt = (address: string, password: string) =>
      client.call("POST", "/auth/sign-in", { json: { email: address, password } });
    for (let i = 0; i < 5; i++) {
      expect((await attempt(email, "wrong password!")).status).toBe(401);
      expect((await attempt(unknown, "wrong password!")).status).toBe(401);
    }
    const locked = await attempt(email, TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.name).toBe("account_locked");
    const lockedUnknown = await attempt(unknown, "wrong password!");
    expect(lockedUnknown.status).toBe(429);
    expect(lockedUnknown.body.message).toBe(locked.body.message);

    // One minute later: one more failure locks for two.
    advance(61_000);
    expect((await attempt(email, "wrong password!")).status).toBe(401);
    advance(61_000);
    expect((await attempt(email, TEST_PASSWORD)).status).toBe(429);
    advance(61_000);
    const after = await attempt(email, TEST_PASSWORD);
    expect(after.status).toBe(200);
    // A success clears the count: the next failure does not lock.
    expect((await attempt(email, "wrong password!")).status).toBe(401);
    expect((await attempt(email, TEST_PASSWORD)).status).toBe(200);
  });
});

describe("cookies over https", () => {
  it("are __Host- prefixed and Secure when PUBLIC_URL is https", async () => {
    const secure = await startTestApi({
      publicUrl: "https://mail.example.com",
      identity: { ...api.config.identity, secureCookies: true },
    });
    try {
      const { client } = await signUp(secure);
      const line = client.lastSetCookies.find((cookie) =>
        cookie.startsWith("__Host-thrive_session="),
      );
      expect(line).toMatch(/; Secure/);
      expect(line).toMatch(/HttpOnly/);
      expect(line).toMatch(/Path=\//);
      expect(line).not.toMatch(/Domain=/);
      expect((await client.call("GET", "/auth/session")).status).toBe(200);
    } finally {
      await secure.close();
    }
  });
});
