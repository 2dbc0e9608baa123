import { simpleParser } from "mailparser";
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
let offsetMs = 0;

beforeAll(async () => {
  api = await startTestApi({}, { clock: () => new Date(Date.now() + offsetMs) });
  mail = await startTestMail(api);
});
afterAll(async () => {
  await mail.stop();
  await api.close();
});

describe("invitations", () => {
  it("emails a link; accepting it creates the account, the membership with the role, and a session", async () => {
    const owner = await signUp(api, { organization: "Inviting Co" });
    const email = uniqueEmail("grace");
    const created = await owner.client.call("POST", "/invitations", {
      json: { email, role: "developer" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      object: "invitation",
      email,
      role: "developer",
      status: "pending",
    });
    const listed = await owner.client.call("GET", "/invitations");
    expect(listed.body.data.map((i: { id: string }) => i.id)).toEqual([created.body.id]);

    const token = await waitForToken(mail.catcher, email, "/accept-invitation");
    const message = mail.catcher.messages.find((m) => m.envelope.to.includes(email));
    const parsed = await simpleParser(message?.raw ?? Buffer.alloc(0));
    expect(parsed.subject).toBe("Join Inviting Co on Thrive-Send");
    expect(parsed.text).toContain(`${owner.email} invited you`);

    const browser = new ConsoleClient(api);
    const noPassword = await browser.call("POST", "/invitations/accept", { json: { token } });
    expect(noPassword.status).toBe(422);
    const accepted = await browser.call("POST", "/invitations/accept", {
      json: { token, name: "Grace", password: TEST_PASSWORD },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      user: { email, email_verified: true },
      organization: { id: owner.orgId, role: "developer" },
    });
    expect((await browser.call("GET", "/domains")).status).toBe(200);
    expect((await owner.client.call("GET", "/invitations")).body.data).toEqual([]);
    const reused = await new ConsoleClient(api).call("POST", "/invitations/accept", {
      json: { token, password: TEST_PASSWORD },
    });
    expect(reused.status).toBe(400);
    expect(reused.body.name).toBe("invalid_token");
  });

  it("lets a signed-in person join a second organization, and switch between them", async () => {
    const first = await signUp(api, { organization: "First" });
    const second = await signUp(api, { organization: "Second" });
    await second.client.call("POST", "/invitations", {
      json: { email: first.email, role: "analyst" },
    });
    const token = await waitForToken(mail.catcher, first.email, "/accept-invitation");
    const before = first.client.cookie("thrive_session");
    const joined = await first.client.call("POST", "/invitations/accept", { json: { token } });
    expect(joined.status).toBe(200);
    expect(joined.body.organization).toMatchObject({ id: second.orgId, role: "analyst" });
    expect(joined.body.organizations).toHaveLength(2);
    expect(first.client.cookie("thrive_session")).not.toBe(before);

    const back = await first.client.call("POST", "/auth/switch-organization", {
      json: { organization_id: first.orgId },
    });
    expect(back.status).toBe(200);
    expect(back.body.organization).toMatchObject({ id: first.orgId, role: "owner" });
    const stranger = await signUp(api);
    const notMine = await first.client.call("POST", "/auth/switch-organization", {
      json: { organization_id: stranger.orgId },
    });
    expect(notMine.status).toBe(404);
    const invalid = await first.client.call("POST", "/auth/switch-organization", {
      json: { organization_id: "x" },
    });
    expect(invalid.status).toBe(422);
  });

  it("is only for the invited address", async () => {
    const owner = await signUp(api);
    const invitee = await signUp(api);
    const other = await signUp(api);
    await owner.client.call("POST", "/invitations", {
      json: { email: invitee.email, role: "developer" },
    });
    const token = await waitForToken(mail.catcher, invitee.email, "/accept-invitation");
    const wrongPerson = await other.client.call("POST", "/invitations/accept", { json: { token } });
    expect(wrongPerson.status).toBe(403);
    expect(wrongPerson.body.name).toBe("forbidden");
    // Not signed in: the address has an account, whose owner must sign in first.
    const anonymous = await new ConsoleClient(api).call("POST", "/invitations/accept", {
      json: { token, password: "somebody else's pass" },
    });
    expect(anonymous.status).toBe(403);
    expect(
      (await invitee.client.call("POST", "/invitations/accept", { json: { token } })).status,
    ).toBe(200);
  });

  it("replaces a pending invitation of the same address, and can be revoked", async () => {
    const owner = await signUp(api);
    const email = uniqueEmail("twice");
    await owner.client.call("POST", "/invitations", { json: { email, role: "developer" } });
    const firstToken = await waitForToken(mail.catcher, email, "/accept-invitation");
    const second = await owner.client.call("POST", "/invitations", {
      json: { email, role: "analyst" },
    });
    await mail.catcher.waitFor(
      (messages) => messages.filter((m) => m.envelope.to.includes(email)).length >= 2,
    );
    const secondToken = await waitForToken(mail.catcher, email, "/accept-invitation");
    expect(secondToken).not.toBe(firstToken);
    const stale = await new ConsoleClient(api).call("POST", "/invitations/accept", {
      json: { token: firstToken, password: TEST_PASSWORD },
    });
    expect(stale.status).toBe(400);

    const revoked = await owner.client.call("DELETE", `/invitations/${second.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ object: "invitation", id: second.body.id, deleted: true });
    const dead = await new ConsoleClient(api).call("POST", "/invitations/accept", {
      json: { token: secondToken, password: TEST_PASSWORD },
    });
    expect(dead.status).toBe(400);
    expect(dead.body.name).toBe("invalid_token");
  });

  it("expires", async () => {
    const owner = await signUp(api);
    const email = uniqueEmail("late");
    await owner.client.call("POST", "/invitations", { json: { email, role: "developer" } });
    const token = await waitForToken(mail.catcher, email, "/accept-invitation");
    offsetMs += 7 * 24 * 3_600_000 + 60_000;
    const late = await new ConsoleClient(api).call("POST", "/invitations/accept", {
      json: { token, password: TEST_PASSWORD },
    });
    expect(late.status).toBe(400);
    // (The owner's session ended in the meantime too.)
    const again = new ConsoleClient(api);
    await again.call("POST", "/auth/sign-in", {
      json: { email: owner.email, password: TEST_PASSWORD },
    });
    expect((await again.call("GET", "/invitations")).body.data).toEqual([]);
  });

  it("validates, refuses members and owners by non-owners, and answers 404 to other organizations", async () => {
    const owner = await signUp(api);
    const badEmail = await owner.client.call("POST", "/invitations", {
      json: { email: "nope", role: "admin" },
    });
    expect(badEmail.status).toBe(422);
    const badRole = await owner.client.call("POST", "/invitations", {
      json: { email: uniqueEmail(), role: "king" },
    });
    expect(badRole.status).toBe(422);
    const self = await owner.client.call("POST", "/invitations", {
      json: { email: owner.email, role: "admin" },
    });
    expect(self.status).toBe(409);
    expect(self.body.name).toBe("already_exists");

    const adminEmail = uniqueEmail("admin");
    await owner.client.call("POST", "/invitations", { json: { email: adminEmail, role: "admin" } });
    const token = await waitForToken(mail.catcher, adminEmail, "/accept-invitation");
    const admin = new ConsoleClient(api);
    await admin.call("POST", "/invitations/accept", { json: { token, password: TEST_PASSWORD } });
    const ownerByAdmin = await admin.call("POST", "/invitations", {
      json: { email: uniqueEmail(), role: "owner" },
    });
    expect(ownerByAdmin.status).toBe(403);

    const pending = await owner.client.call("POST", "/invitations", {
      json: { email: uniqueEmail(), role: "billing" },
    });
    const intruder = await signUp(api);
    const foreign = await intruder.client.call("DELETE", `/invitations/${pending.body.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.name).toBe("not_found");
    const stillPending = (await owner.client.call("GET", "/invitations")).body.data;
    expect(stillPending.map((i: { id: string }) => i.id)).toContain(pending.body.id);
  });
});
