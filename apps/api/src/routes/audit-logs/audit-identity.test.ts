import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEntries,
  Browser,
  entriesOf,
  expectAudited,
  organizationsRecording,
  requestIdOf,
  signUpFrom,
  userActor,
  userTarget,
} from "../../test/audit-helpers.ts";
import { TEST_PASSWORD, uniqueEmail, waitForToken } from "../../test/console.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  type TestApi,
  type TestMail,
} from "../../test/harness.ts";
import { startOidcProvider, type TestOidcProvider } from "../../test/oidc-provider.ts";

let api: TestApi;
let mail: TestMail;
let idp: TestOidcProvider;
let offsetMs = 0;
const now = () => Date.now() + offsetMs;
/** The authenticator app's code at the API's time. */
const codeFor = (secret: string) => generate({ secret, epoch: Math.floor(now() / 1000) });

beforeAll(async () => {
  api = await startTestApi({ trustProxy: true }, { clock: () => new Date(now()) });
  mail = await startTestMail(api);
  idp = await startOidcProvider(`${api.config.publicUrl}/auth/oidc/callback`);
});
afterAll(async () => {
  await idp.close();
  await mail.stop();
  await api.close();
});

const signIn = (browser: Browser, email: string, password = TEST_PASSWORD) =>
  browser.call("POST", "/auth/sign-in", { json: { email, password } });

describe("sign-up and sessions", () => {
  it("records a sign-up as the new owner's doing: organization.created and user.signed_up", async () => {
    const owner = await signUpFrom(api, "Audited Co");
    const actor = userActor(owner.userId);
    await expectAudited(owner.browser, owner.response, "organization.created", {
      actor,
      target: { type: "organization", id: owner.orgId },
      details: { name: "Audited Co" },
    });
    await expectAudited(owner.browser, owner.response, "user.signed_up", {
      actor,
      target: userTarget(owner.userId),
      details: { email: owner.email, method: "password", role: "owner" },
    });
    // Nothing of the password.
    const all = await owner.browser.call("GET", "/audit-logs?limit=100");
    expect(JSON.stringify(all.body)).not.toContain(TEST_PASSWORD);
  });

  it("records sign-ins and sign-outs in each of the person's organizations, a switch in the one entered", async () => {
    const person = await signUpFrom(api, "First Co");
    const second = await signUpFrom(api, "Second Co");
    // The person joins Second Co, accepting while signed in (their session moves there).
    const invited = await second.browser.call("POST", "/invitations", {
      json: { email: person.email, role: "admin" },
    });
    const token = await waitForToken(mail.catcher, person.email, "/accept-invitation");
    const accepted = await person.browser.call("POST", "/invitations/accept", {
      json: { token },
    });
    expect(accepted.status).toBe(200);
    await expectAudited(second.browser, accepted, "invitation.accepted", {
      actor: userActor(person.userId),
      target: { type: "invitation", id: invited.body.id },
      details: { email: person.email, role: "admin", user_id: person.userId },
    });

    const browser = new Browser(api);
    const signedIn = await signIn(browser, person.email);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.organization.id).toBe(person.orgId);
    const expected = {
      actor: userActor(person.userId),
      target: userTarget(person.userId),
      details: { method: "password", session_id: signedIn.body.id },
    };
    await expectAudited(browser, signedIn, "user.signed_in", expected);
    await expectAudited(second.browser, signedIn, "user.signed_in", expected);

    const switched = await browser.call("POST", "/auth/switch-organization", {
      json: { organization_id: second.orgId },
    });
    expect(switched.status).toBe(200);
    await expectAudited(second.browser, switched, "user.organization_switched", {
      actor: userActor(person.userId),
      target: userTarget(person.userId),
      details: { session_id: switched.body.id },
    });
    expect(await organizationsRecording(api, switched)).toEqual([second.orgId]);

    const signedOut = await browser.call("POST", "/auth/sign-out");
    expect(signedOut.status).toBe(200);
    await expectAudited(second.browser, signedOut, "user.signed_out", {
      actor: userActor(person.userId),
      target: userTarget(person.userId),
      details: { session_id: switched.body.id },
    });
    expect(await organizationsRecording(api, signedOut)).toEqual(
      [person.orgId, second.orgId].sort(),
    );
  });
});

describe("failed sign-ins", () => {
  it("records a wrong password in the account's organizations, without it; nothing for an unknown email, answered the same", async () => {
    const person = await signUpFrom(api);
    const attacker = new Browser(api);
    const tried = "not-the-password-4711";
    const wrong = await signIn(attacker, person.email, tried);
    expect(wrong.status).toBe(401);
    const entry = await expectAudited(person.browser, wrong, "user.sign_in_failed", {
      actor: userActor(person.userId),
      target: userTarget(person.userId),
      details: { method: "password", reason: "invalid_credentials" },
    });
    expect(JSON.stringify(entry)).not.toContain(tried);

    const unknown = await signIn(attacker, uniqueEmail("nobody"), tried);
    expect(unknown.status).toBe(401);
    expect(unknown.body.name).toBe(wrong.body.name);
    expect(unknown.body.message).toBe(wrong.body.message);
    expect(await organizationsRecording(api, unknown)).toEqual([]);
    const [leaks] = await api.database.sql<{ n: number }[]>`
      select count(*)::int as n from audit_logs where details::text like ${`%${tried}%`}`;
    expect(leaks?.n).toBe(0);
  });

  it("records the lockout, and attempts on the locked account as throttled security events", async () => {
    const person = await signUpFrom(api);
    const attacker = new Browser(api);
    let last = await signIn(attacker, person.email, "wrong-1");
    for (let i = 2; i <= 5; i++) last = await signIn(attacker, person.email, `wrong-${i}`);
    expect(last.status).toBe(401);
    await expectAudited(person.browser, last, "user.locked", {
      actor: userActor(person.userId),
      target: userTarget(person.userId),
      details: { after: "user.sign_in_failed", until: expect.any(String) },
    });
    expect(await auditEntries(person.browser, "user.sign_in_failed")).toHaveLength(5);

    // Locked: even the right password is refused, and the attempt recorded (in the background).
    const locked = await signIn(attacker, person.email);
    expect(locked.status).toBe(429);
    const entry = await eventually(
      async () => (await entriesOf(person.browser, locked, "user.sign_in_failed"))[0],
      5000,
      "the locked attempt recorded",
    );
    expect(entry).toMatchObject({
      actor: userActor(person.userId),
      details: { method: "password", reason: "account_locked" },
      request_id: requestIdOf(locked),
    });
    // A client retrying in a loop does not write an entry per attempt.
    const again = await signIn(attacker, person.email);
    expect(again.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await organizationsRecording(api, again)).toEqual([]);

    // An email without an account locks the same way, and records nothing.
    const nobody = uniqueEmail("nobody");
    const attempts = [];
    for (let i = 0; i < 6; i++) attempts.push(await signIn(attacker, nobody, `wrong-${i}`));
    expect(attempts.map((response) => response.status)).toEqual([401, 401, 401, 401, 401, 429]);
    for (const response of attempts)
      expect(await organizationsRecording(api, response)).toEqual([]);
  });
});

describe("MFA", () => {
  it("records set up, enabled, a wrong code, a recovery code used and the sign-in it completes, and disabled: never a secret or a code", async () => {
    const person = await signUpFrom(api);
    const actor = userActor(person.userId);
    const target = userTarget(person.userId);
    const setup = await person.browser.call("POST", "/auth/mfa/setup");
    expect(setup.status).toBe(200);
    await expectAudited(person.browser, setup, "user.mfa_set_up", { actor, target });
    const secret = setup.body.secret as string;

    const wrongAtEnable = await person.browser.call("POST", "/auth/mfa/enable", {
      json: { code: "000000" },
    });
    expect(wrongAtEnable.status).toBe(401);
    const enabled = await person.browser.call("POST", "/auth/mfa/enable", {
      json: { code: await codeFor(secret) },
    });
    expect(enabled.status).toBe(200);
    await expectAudited(person.browser, enabled, "user.mfa_enabled", {
      actor,
      target,
      details: { recovery_codes: 10 },
    });
    expect(await organizationsRecording(api, wrongAtEnable, "user.mfa_enabled")).toEqual([]);
    const recoveryCodes = enabled.body.recovery_codes as string[];
    offsetMs += 30_000; // the enabling code's step is spent

    const browser = new Browser(api);
    const passwordStep = await signIn(browser, person.email);
    expect(passwordStep.body.mfa_required).toBe(true);
    // Not signed in yet: the sign-in is recorded once the second factor is given.
    expect(await organizationsRecording(api, passwordStep, "user.signed_in")).toEqual([]);
    const wrong = await browser.call("POST", "/auth/mfa/verify", { json: { code: "000000" } });
    expect(wrong.status).toBe(401);
    await expectAudited(person.browser, wrong, "user.mfa_verify_failed", {
      actor,
      target,
      details: { purpose: "sign_in", reason: "invalid_code" },
    });
    const recovered = await browser.call("POST", "/auth/mfa/verify", {
      json: { code: recoveryCodes[0] },
    });
    expect(recovered.status).toBe(200);
    await expectAudited(person.browser, recovered, "user.recovery_code_used", {
      actor,
      target,
      details: { purpose: "sign_in", remaining: 9 },
    });
    await expectAudited(person.browser, recovered, "user.signed_in", {
      actor,
      target,
      details: {
        method: "password",
        second_factor: "recovery_code",
        session_id: recovered.body.id,
      },
    });

    const disabled = await person.browser.call("POST", "/auth/mfa/disable", {
      json: { code: await codeFor(secret) },
    });
    expect(disabled.status).toBe(200);
    await expectAudited(person.browser, disabled, "user.mfa_disabled", {
      actor,
      target,
      details: { second_factor: "totp" },
    });

    const all = JSON.stringify((await person.browser.call("GET", "/audit-logs?limit=100")).body);
    expect(all).not.toContain(secret);
    for (const code of recoveryCodes) expect(all).not.toContain(code);
  });
});

describe("password reset and email verification", () => {
  it("records them as the account's, from the request's address; nothing for an unknown email", async () => {
    const person = await signUpFrom(api);
    const actor = userActor(person.userId);
    const target = userTarget(person.userId);
    const anonymous = new Browser(api);

    const verifyToken = await waitForToken(mail.catcher, person.email, "/verify-email");
    const verified = await anonymous.call("POST", "/auth/verify-email", {
      json: { token: verifyToken },
    });
    expect(verified.status).toBe(200);

    const requested = await anonymous.call("POST", "/auth/password-reset", {
      json: { email: person.email },
    });
    expect(requested.status).toBe(202);
    const unknown = await anonymous.call("POST", "/auth/password-reset", {
      json: { email: uniqueEmail("nobody") },
    });
    expect(unknown.status).toBe(202);
    expect(await organizationsRecording(api, unknown)).toEqual([]);

    const resetToken = await waitForToken(mail.catcher, person.email, "/reset-password");
    const newPassword = "a brand new passphrase";
    const reset = await anonymous.call("POST", "/auth/password-reset/confirm", {
      json: { token: resetToken, password: newPassword },
    });
    expect(reset.status).toBe(200);
    const invalid = await anonymous.call("POST", "/auth/password-reset/confirm", {
      json: { token: resetToken, password: newPassword },
    });
    expect(invalid.status).toBe(400);
    expect(await organizationsRecording(api, invalid)).toEqual([]);

    // Every session ended with the reset: the owner signs in again to read the log.
    const reader = new Browser(api);
    expect((await signIn(reader, person.email, newPassword)).status).toBe(200);
    await expectAudited(reader, verified, "user.email_verified", {
      actor,
      target,
      details: { email: person.email },
    });
    await expectAudited(reader, requested, "user.password_reset_requested", { actor, target });
    await expectAudited(reader, reset, "user.password_reset_completed", { actor, target });
    const all = JSON.stringify((await reader.call("GET", "/audit-logs?limit=100")).body);
    expect(all).not.toContain(newPassword);
    expect(all).not.toContain(resetToken);
  });
});

describe("single sign-on", () => {
  /** A browser through the provider and back; answers the callback's response. */
  async function ssoSignIn(browser: Browser, orgId: string) {
    const start = await browser.call("GET", `/auth/oidc/${orgId}/start`);
    expect(start.status).toBe(302);
    const callback = await idp.authorize(start.headers.get("location") ?? "");
    return browser.call("GET", `${callback.pathname}${callback.search}`);
  }

  it("records the connection's changes without its secret, sign-ins through it, and refusals", async () => {
    const owner = await signUpFrom(api, "SSO Audit Co");
    const actor = userActor(owner.userId);
    const created = await owner.browser.call("POST", "/organization/oidc", {
      json: {
        issuer: idp.issuer,
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        allowed_domains: ["sso-audit.dev"],
        default_role: "developer",
      },
    });
    expect(created.status).toBe(201);
    const target = { type: "oidc_connection", id: created.body.id };
    await expectAudited(owner.browser, created, "oidc_connection.created", {
      actor,
      target,
      details: {
        issuer: idp.issuer,
        client_id: idp.clientId,
        allowed_domains: ["sso-audit.dev"],
        default_role: "developer",
        enabled: true,
      },
    });
    const updated = await owner.browser.call("PATCH", "/organization/oidc", {
      json: { allowed_domains: ["sso-audit.dev", "more.dev"], client_secret: idp.clientSecret },
    });
    expect(updated.status).toBe(200);
    const update = await expectAudited(owner.browser, updated, "oidc_connection.updated", {
      actor,
      target,
      details: {
        changes: {
          allowed_domains: { from: ["sso-audit.dev"], to: ["sso-audit.dev", "more.dev"] },
        },
        client_secret_changed: true,
      },
    });
    expect(Object.keys(update.details?.changes as object)).toEqual(["allowed_domains"]);

    idp.signInAs({ sub: "sub-audit-ada", email: "ada@sso-audit.dev", name: "Ada" });
    const browser = new Browser(api);
    const callback = await ssoSignIn(browser, owner.orgId);
    expect(callback.status, JSON.stringify(callback.body)).toBe(302);
    const session = await browser.call("GET", "/auth/session");
    const ada = session.body.user.id as string;
    const adaActor = userActor(ada);
    await expectAudited(owner.browser, callback, "user.signed_up", {
      actor: adaActor,
      target: userTarget(ada),
      details: { email: "ada@sso-audit.dev", method: "oidc", connection_id: created.body.id },
    });
    await expectAudited(owner.browser, callback, "member.joined", {
      actor: adaActor,
      target: { type: "member", id: expect.any(String) },
      details: { user_id: ada, role: "developer", method: "oidc" },
    });
    await expectAudited(owner.browser, callback, "user.signed_in", {
      actor: adaActor,
      target: userTarget(ada),
      details: { method: "oidc", connection_id: created.body.id, session_id: session.body.id },
    });

    idp.signInAs({ sub: "sub-audit-mallory", email: "mallory@elsewhere.dev" });
    const refused = await ssoSignIn(new Browser(api), owner.orgId);
    expect(refused.status).toBe(403);
    const failure = await eventually(
      async () => (await entriesOf(owner.browser, refused, "user.sign_in_failed"))[0],
      5000,
      "the refused single sign-on recorded",
    );
    expect(failure).toMatchObject({
      actor: userActor(null),
      target: null,
      ip: "198.51.100.7",
      user_agent: "audit-trail-test/1.0",
      details: {
        method: "oidc",
        reason: "domain_not_allowed",
        email: "mallory@elsewhere.dev",
        connection_id: created.body.id,
      },
    });

    const deleted = await owner.browser.call("DELETE", "/organization/oidc");
    expect(deleted.status).toBe(200);
    await expectAudited(owner.browser, deleted, "oidc_connection.deleted", {
      actor,
      target,
      details: { issuer: idp.issuer, client_id: idp.clientId },
    });
    const all = JSON.stringify((await owner.browser.call("GET", "/audit-logs?limit=100")).body);
    expect(all).not.toContain(idp.clientSecret);
  });
});
