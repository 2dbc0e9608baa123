import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsoleClient, signUp, TEST_PASSWORD } from "../../test/console.ts";
import { startTestApi, type TestApi } from "../../test/harness.ts";

let api: TestApi;
let offsetMs = 0;
const now = () => Date.now() + offsetMs;
/** The code the app shows at the API's time, `steps` 30-second steps from now. */
const codeFor = (secret: string, steps = 0) =>
  generate({ secret, epoch: Math.floor(now() / 1000) + steps * 30 });

beforeAll(async () => {
  api = await startTestApi({}, { clock: () => new Date(now()) });
});
afterAll(() => api.close());

async function withMfa() {
  const person = await signUp(api);
  const setup = await person.client.call("POST", "/auth/mfa/setup");
  expect(setup.status).toBe(200);
  expect(setup.body.otpauth_uri).toMatch(/^otpauth:\/\/totp\/Thrive-Send:/);
  const secret = setup.body.secret as string;
  const enabled = await person.client.call("POST", "/auth/mfa/enable", {
    json: { code: await codeFor(secret) },
  });
  expect(enabled.status).toBe(200);
  offsetMs += 30_000; // the enabling code's step is spent
  return { ...person, secret, recoveryCodes: enabled.body.recovery_codes as string[] };
}

async function passwordStep(email: string) {
  const browser = new ConsoleClient(api);
  const response = await browser.call("POST", "/auth/sign-in", {
    json: { email, password: TEST_PASSWORD },
  });
  expect(response.status).toBe(200);
  expect(response.body.mfa_required).toBe(true);
  // Nothing is allowed before the second factor, and the session says so.
  expect(response.body.permissions).toEqual([]);
  return browser;
}

describe("MFA", () => {
  it("is enabled with a code from the app, and answers ten recovery codes once", async () => {
    const { client, recoveryCodes } = await withMfa();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const session = await client.call("GET", "/auth/session");
    expect(session.status).toBe(200);
    expect(session.body.user.mfa_enabled).toBe(true);
    // The session that enabled it proved a code: it stays signed in.
    expect(session.body.mfa_required).toBe(false);
  });

  it("refuses a wrong code at enabling, and a second setup once on", async () => {
    const { client } = await signUp(api);
    const setup = await client.call("POST", "/auth/mfa/setup");
    const wrong = await client.call("POST", "/auth/mfa/enable", { json: { code: "000000" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.name).toBe("invalid_credentials");
    const invalid = await client.call("POST", "/auth/mfa/enable", { json: {} });
    expect(invalid.status).toBe(422);
    await client.call("POST", "/auth/mfa/enable", {
      json: { code: await codeFor(setup.body.secret) },
    });
    const again = await client.call("POST", "/auth/mfa/setup");
    expect(again.status).toBe(409);
    expect(again.body.name).toBe("invalid_state");
  });

  it("holds a signed-in session at the second factor until a code is verified, then rotates it", async () => {
    const { email, secret } = await withMfa();
    const browser = await passwordStep(email);
    const pendingToken = browser.cookie("thrive_session");
    // Nothing but verification (and reading the session) works yet.
    const blocked = await browser.call("GET", "/domains");
    expect(blocked.status).toBe(403);
    expect(blocked.body.name).toBe("mfa_required");
    const wrong = await browser.call("POST", "/auth/mfa/verify", { json: { code: "123456" } });
    expect(wrong.status).toBe(401);
    const verified = await browser.call("POST", "/auth/mfa/verify", {
      json: { code: await codeFor(secret) },
    });
    expect(verified.status).toBe(200);
    expect(verified.body.mfa_required).toBe(false);
    expect(verified.body.permissions).toContain("domains:read");
    expect(browser.cookie("thrive_session")).not.toBe(pendingToken);
    expect((await browser.call("GET", "/domains")).status).toBe(200);
    // The waiting session's token is dead.
    const old = await api.app.request("/auth/session", {
      headers: { cookie: `thrive_session=${pendingToken}` },
    });
    expect(old.status).toBe(401);
  });

  it("accepts a TOTP code only once", async () => {
    const { email, secret } = await withMfa();
    const code = await codeFor(secret);
    const first = await passwordStep(email);
    expect((await first.call("POST", "/auth/mfa/verify", { json: { code } })).status).toBe(200);
    const second = await passwordStep(email);
    const replay = await second.call("POST", "/auth/mfa/verify", { json: { code } });
    expect(replay.status).toBe(401);
  });

  it("accepts each recovery code once", async () => {
    const { email, recoveryCodes } = await withMfa();
    const [code] = recoveryCodes;
    const first = await passwordStep(email);
    expect((await first.call("POST", "/auth/mfa/verify", { json: { code } })).status).toBe(200);
    const second = await passwordStep(email);
    const reused = await second.call("POST", "/auth/mfa/verify", { json: { code } });
    expect(reused.status).toBe(401);
    expect(reused.body.name).toBe("invalid_credentials");
    expect(
      (await second.call("POST", "/auth/mfa/verify", { json: { code: recoveryCodes[1] } })).status,
    ).toBe(200);
  });

  it("locks the account after repeated wrong codes", async () => {
    const { email, secret } = await withMfa();
    const browser = await passwordStep(email);
    for (let i = 0; i < 5; i++) {
      expect(
        (await browser.call("POST", "/auth/mfa/verify", { json: { code: "000000" } })).status,
      ).toBe(401);
    }
    const locked = await browser.call("POST", "/auth/mfa/verify", {
      json: { code: await codeFor(secret) },
    });
    expect(locked.status).toBe(429);
    expect(locked.body.name).toBe("account_locked");
  });

  it("waits for the code a few minutes only", async () => {
    const { email } = await withMfa();
    const browser = await passwordStep(email);
    offsetMs += 6 * 60_000;
    const expired = await browser.call("GET", "/auth/session");
    expect(expired.status).toBe(401);
  });

  it("is disabled with a code, after which the password alone signs in", async () => {
    const { client, email, secret } = await withMfa();
    const noCode = await client.call("POST", "/auth/mfa/disable", { json: { code: "000000" } });
    expect(noCode.status).toBe(401);
    const off = await client.call("POST", "/auth/mfa/disable", {
      json: { code: await codeFor(secret) },
    });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ object: "mfa", enabled: false });
    const browser = new ConsoleClient(api);
    const signIn = await browser.call("POST", "/auth/sign-in", {
      json: { email, password: TEST_PASSWORD },
    });
    expect(signIn.body.mfa_required).toBe(false);
    expect((await browser.call("GET", "/domains")).status).toBe(200);
  });
});
