/**
 * auth.*, organization.*, members.*, roles.* and invitations.* against the live server, with clients
 * that act as people (no API key): sign-up to deletion, the way the console goes. The steps
 * share their people and run in order.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  startOidcProvider,
  type TestOidcProvider,
} from "../../../apps/api/src/test/oidc-provider.ts";
import type { ThriveSend } from "../src/index.ts";
import { live, liveClient, livePersonClient, unique } from "./support/client.ts";
import { emailedToken, totp, uniqueEmail } from "./support/people.ts";

const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "a new horse battery staple";
const MISSING = "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47";

const adaEmail = uniqueEmail("ada");
const graceEmail = uniqueEmail("grace");
const ada = livePersonClient();
const grace = livePersonClient();
let organizationId = "";
let adaMemberId = "";
let graceMemberId = "";
let idp: TestOidcProvider | undefined;

afterAll(async () => {
  await idp?.close();
});

/** POST /organization by hand, with the client's cookie and no X-CSRF-Token. */
async function changeWithoutCsrfToken(client: ThriveSend) {
  const response = await fetch(`${live.url}/organization`, {
    method: "PATCH",
    headers: { cookie: client.sessionCookie ?? "", "content-type": "application/json" },
    body: JSON.stringify({ name: "Forged" }),
  });
  return { status: response.status, body: (await response.json()) as { name: string } };
}

describe("a person's client", () => {
  it("signs up, keeps the session and sends it back, with the CSRF token on changes", async () => {
    expect(ada.sessionCookie).toBeUndefined();
    const signedUp = await ada.auth.signUp({
      email: adaEmail,
      password: PASSWORD,
      name: "Ada Lovelace",
      organizationName: unique("Acme"),
    });
    expect(signedUp.error).toBeNull();
    expect(signedUp.data).toMatchObject({
      object: "session",
      user: { email: adaEmail, name: "Ada Lovelace", email_verified: false, mfa_enabled: false },
      organization: { role: "owner" },
      mfa_required: false,
    });
    organizationId = signedUp.data?.organization?.id ?? "";
    expect(ada.sessionCookie).toMatch(/^thrive_session=.{20,}/);

    const session = await ada.auth.session();
    expect(session.data?.id).toBe(signedUp.data?.id);
    const updated = await ada.organization.update({ name: "Acme Inc.", dataRetentionDays: 30 });
    expect(updated.error).toBeNull();
    expect(updated.data).toMatchObject({ id: organizationId, name: "Acme Inc." });
    expect((await ada.organization.get()).data).toMatchObject({
      object: "organization",
      name: "Acme Inc.",
      data_retention_days: 30,
    });
    // What the SDK adds: the same change without the CSRF token is refused.
    expect(await changeWithoutCsrfToken(ada)).toMatchObject({
      status: 403,
      body: { name: "invalid_csrf_token" },
    });

    const again = await livePersonClient().auth.signUp({
      email: adaEmail,
      password: PASSWORD,
      organizationName: "Twice",
    });
    expect(again.error).toMatchObject({ statusCode: 409, name: "already_exists" });
  });

  it("resumes a session from its cookie, asking for the CSRF token before a change", async () => {
    const resumed = livePersonClient({ sessionCookie: ada.sessionCookie });
    const updated = await resumed.organization.update({ defaultOpenTracking: true });
    expect(updated.error).toBeNull();
    expect(updated.data?.default_open_tracking).toBe(true);
    // The bare token works too (the cookie's name is the API's, by the URL's scheme).
    const token = ada.sessionCookie?.split("=")[1] ?? "";
    expect((await livePersonClient({ sessionCookie: token }).auth.session()).data?.id).toBe(
      (await ada.auth.session()).data?.id,
    );
  });

  it("is what people-only operations need: an API key or no session is refused", async () => {
    const keyed = liveClient();
    expect((await keyed.organization.get()).error).toMatchObject({
      statusCode: 401,
      name: "restricted_api_key",
    });
    expect((await keyed.auth.session()).error?.name).toBe("restricted_api_key");
    expect((await keyed.members.list()).error?.name).toBe("restricted_api_key");
    const signedOut = livePersonClient();
    expect((await signedOut.auth.session()).error).toMatchObject({
      statusCode: 401,
      name: "missing_api_key",
    });
    const forged = livePersonClient({ sessionCookie: "thrive_session=not-a-session-token" });
    expect((await forged.organization.get()).error).toMatchObject({
      statusCode: 401,
      name: "invalid_session",
    });
  });

  it("confirms the address with the emailed link's token", async () => {
    const verified = await ada.auth.verifyEmail({
      token: await emailedToken(adaEmail, "verify-email"),
    });
    expect(verified.data).toEqual({ object: "email_verification", verified: true });
    expect((await ada.auth.session()).data?.user.email_verified).toBe(true);
    expect((await ada.auth.verifyEmail({ token: "a-token-never-sent" })).error).toMatchObject({
      statusCode: 400,
      name: "invalid_token",
    });
  });

  it("turns MFA on, signs out, resets the password, and signs in with a second factor", async () => {
    const setUp = await ada.auth.mfa.setUp();
    expect(setUp.data?.otpauth_uri).toContain("otpauth://totp/");
    expect((await ada.auth.mfa.enable({ code: "000000" })).error?.name).toBe("invalid_credentials");
    const enabled = await ada.auth.mfa.enable({ code: totp(setUp.data?.secret ?? "") });
    expect(enabled.error).toBeNull();
    const recoveryCodes = enabled.data?.recovery_codes ?? [];
    expect(recoveryCodes).toHaveLength(10);

    expect((await ada.auth.signOut()).data).toEqual({ object: "session", signed_out: true });
    expect(ada.sessionCookie).toBeUndefined();
    expect((await ada.organization.get()).error?.statusCode).toBe(401);

    const requested = await ada.auth.passwordReset.request({ email: adaEmail });
    expect(requested.data).toEqual({ object: "password_reset", requested: true });
    const reset = await ada.auth.passwordReset.confirm({
      token: await emailedToken(adaEmail, "reset-password"),
      password: NEW_PASSWORD,
    });
    expect(reset.data).toEqual({ object: "password_reset", reset: true });

    const oldPassword = await ada.auth.signIn({ email: adaEmail, password: PASSWORD });
    expect(oldPassword.error).toMatchObject({ statusCode: 401, name: "invalid_credentials" });
    const signedIn = await ada.auth.signIn({ email: adaEmail, password: NEW_PASSWORD });
    expect(signedIn.data?.mfa_required).toBe(true);
    expect((await ada.organization.get()).error).toMatchObject({ name: "mfa_required" });
    const verified = await ada.auth.mfa.verify({ code: recoveryCodes[0] ?? "" });
    expect(verified.data).toMatchObject({ mfa_required: false, user: { mfa_enabled: true } });
    expect((await ada.organization.get()).error).toBeNull();

    const disabled = await ada.auth.mfa.disable({ code: recoveryCodes[1] ?? "" });
    expect(disabled.data).toEqual({ object: "mfa", enabled: false });

    const switched = await ada.auth.switchOrganization({ organizationId });
    expect(switched.data?.organization?.id).toBe(organizationId);
    expect((await ada.auth.switchOrganization({ organizationId: MISSING })).error).toMatchObject({
      statusCode: 404,
      name: "not_found",
    });
    // The switch rotated the session (new cookie, new CSRF token): changes still go through.
    expect((await ada.organization.update({ defaultClickTracking: false })).error).toBeNull();
  });

  it("invites Grace, who accepts with a new account; members and invitations", async () => {
    const invited = await ada.invitations.create({ email: graceEmail, role: "developer" });
    expect(invited.data).toMatchObject({ email: graceEmail, role: "developer", status: "pending" });
    const revoked = await ada.invitations.create({
      email: uniqueEmail("revoked"),
      role: "analyst",
    });
    const pending = [];
    for await (const invitation of ada.invitations.list({ limit: 1 })) pending.push(invitation.id);
    expect(pending).toEqual(expect.arrayContaining([invited.data?.id, revoked.data?.id]));
    expect((await ada.invitations.remove(revoked.data?.id ?? "")).data).toEqual({
      object: "invitation",
      id: revoked.data?.id,
      deleted: true,
    });
    expect((await ada.invitations.list()).data?.data.map((i) => i.id)).not.toContain(
      revoked.data?.id,
    );
    expect((await ada.invitations.create({ email: adaEmail, role: "admin" })).error).toMatchObject({
      statusCode: 409,
      name: "already_exists",
    });

    const accepted = await grace.invitations.accept({
      token: await emailedToken(graceEmail, "accept-invitation"),
      name: "Grace Hopper",
      password: PASSWORD,
    });
    expect(accepted.error).toBeNull();
    expect(accepted.data).toMatchObject({
      user: { email: graceEmail, email_verified: true },
      organization: { id: organizationId, role: "developer" },
    });
    expect(grace.sessionCookie).toMatch(/^thrive_session=/);
    // A developer sees the members but does not manage them.
    expect((await grace.invitations.remove(invited.data?.id ?? "")).error?.name).toBe("forbidden");

    const members = [];
    for await (const member of grace.members.list()) members.push(member);
    adaMemberId = members.find((member) => member.email === adaEmail)?.id ?? "";
    graceMemberId = members.find((member) => member.email === graceEmail)?.id ?? "";
    expect(members.map((member) => member.role).sort()).toEqual(["developer", "owner"]);
    expect((await grace.members.update(adaMemberId, { role: "developer" })).error?.name).toBe(
      "forbidden",
    );
    const promoted = await ada.members.update(graceMemberId, { role: "admin" });
    expect(promoted.data).toMatchObject({ id: graceMemberId, role: "admin" });
    expect((await ada.invitations.remove(invited.data?.id ?? "")).error).toMatchObject({
      statusCode: 409,
      name: "invalid_state",
    });
    expect((await ada.members.remove(MISSING)).error?.name).toBe("not_found");
  });

  it("makes a custom role, gives it to Grace, and deletes it once nobody has it", async () => {
    const listed = await ada.roles.list();
    expect(listed.data?.data.filter((role) => role.built_in).map((role) => role.name)).toEqual([
      "owner",
      "admin",
      "developer",
      "analyst",
      "billing",
    ]);
    expect((await liveClient().roles.list()).error).toMatchObject({
      statusCode: 401,
      name: "restricted_api_key",
    });

    const name = unique("on-call");
    const created = await ada.roles.create({
      name,
      description: "Developers who also read the audit log",
      permissions: ["audit:read", "audit:read"],
      extends: "developer",
    });
    expect(created.error).toBeNull();
    expect(created.data).toMatchObject({
      object: "role",
      name,
      built_in: false,
      extends: "developer",
      permissions: ["audit:read"],
    });
    const developer = await ada.roles.get("developer");
    expect(developer.data).toMatchObject({ id: "developer", built_in: true, created_at: null });
    expect(new Set(created.data?.resolved_permissions)).toEqual(
      new Set([...(developer.data?.resolved_permissions ?? []), "audit:read"]),
    );
    const id = created.data?.id ?? "";
    expect((await ada.roles.get(name)).data?.id).toBe(id);
    expect((await ada.roles.create({ name })).error).toMatchObject({
      statusCode: 409,
      name: "already_exists",
    });
    expect((await ada.roles.create({ name: `${name}-x`, extends: "owner" })).error).toMatchObject({
      statusCode: 422,
      name: "validation_error",
    });

    // A member with the role has its rights at once; without members:manage, no role changes.
    expect((await ada.members.update(graceMemberId, { role: name })).data?.role).toBe(name);
    expect((await grace.auditLogs.list({ limit: 1 })).error).toBeNull();
    const escalation = await grace.roles.update(name, { permissions: ["members:manage"] });
    expect(escalation.error).toMatchObject({ statusCode: 403, name: "forbidden" });
    expect((await ada.roles.remove(id)).error).toMatchObject({
      statusCode: 409,
      name: "invalid_state",
    });

    // Extending nothing any more (null is sent as null): only its own permission is left.
    const changed = await ada.roles.update(id, { extends: null, description: null });
    expect(changed.data).toMatchObject({
      extends: null,
      description: null,
      resolved_permissions: ["audit:read"],
    });
    expect((await grace.members.list()).error?.name).toBe("forbidden");

    expect((await ada.members.update(graceMemberId, { role: "admin" })).data?.role).toBe("admin");
    expect((await ada.roles.remove(name)).data).toEqual({ object: "role", id, deleted: true });
    expect((await ada.roles.get(id)).error).toMatchObject({ statusCode: 404, name: "not_found" });
  });

  it("connects single sign-on, and a person signs in through the provider", async () => {
    idp = await startOidcProvider(`${live.url}/auth/oidc/callback`);
    const created = await ada.organization.oidc.create({
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      allowedDomains: ["sso.example"],
      defaultRole: "analyst",
    });
    expect(created.error).toBeNull();
    expect(created.data?.sign_in_url).toBe(`${live.url}/auth/oidc/${organizationId}/start`);
    const updated = await ada.organization.oidc.update({ defaultRole: "developer" });
    expect(updated.data).toMatchObject({ default_role: "developer", enabled: true });
    const read = await ada.organization.oidc.get();
    expect(read.data).toMatchObject({ issuer: idp.issuer, client_id: idp.clientId });
    expect(JSON.stringify(read.data)).not.toContain(idp.clientSecret);

    idp.signInAs({ sub: "sub-katherine", email: "katherine@sso.example", name: "Katherine" });
    const katherine = livePersonClient();
    const started = await katherine.auth.oidc.start(organizationId);
    expect(started.data?.startsWith(`${idp.issuer}/`)).toBe(true);
    // The browser's part, at the provider; then its answer back to the API.
    const back = await idp.authorize(started.data ?? "");
    const finished = await katherine.auth.oidc.callback(back.searchParams);
    expect(finished.error).toBeNull();
    expect(finished.data).toBe(`${live.url}/`);
    expect((await katherine.auth.session()).data).toMatchObject({
      user: { email: "katherine@sso.example" },
      organization: { id: organizationId, role: "developer" },
    });
    const left = await katherine.members.leave();
    expect(left.data?.deleted).toBe(true);

    const refused = await katherine.auth.oidc.callback({
      state: back.searchParams.get("state") ?? "",
      error: "access_denied",
    });
    expect(refused.error).toMatchObject({
      statusCode: 400,
      name: "sso_failed",
      message: "The provider refused the sign-in: access_denied",
    });
    expect((await katherine.auth.oidc.start(MISSING)).error?.statusCode).toBe(404);
    expect((await ada.organization.oidc.remove()).data?.deleted).toBe(true);
    expect((await ada.organization.oidc.get()).error?.name).toBe("not_found");
  });

  it("hands the organization over; its new owner removes Ada, cannot leave, and deletes it", async () => {
    const transferred = await ada.organization.transferOwnership({ memberId: graceMemberId });
    expect(transferred.data).toMatchObject({ id: graceMemberId, role: "owner" });
    // Grace's session rotates on her next request (new privileges): the client follows it.
    const before = grace.sessionCookie;
    expect((await grace.organization.get()).error).toBeNull();
    expect(grace.sessionCookie).not.toBe(before);

    expect((await grace.members.remove(adaMemberId)).data).toEqual({
      object: "member",
      id: adaMemberId,
      deleted: true,
    });
    expect((await ada.organization.get()).error?.statusCode).toBe(403);
    expect((await grace.members.leave()).error).toMatchObject({
      statusCode: 409,
      name: "invalid_state",
    });
    const deleted = await grace.organization.remove();
    expect(deleted.data).toEqual({ object: "organization", id: organizationId, deleted: true });
    expect((await grace.organization.get()).error).not.toBeNull();
  });
});
