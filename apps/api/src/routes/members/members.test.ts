import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, signUp } from "../../test/console.ts";
import { startTestApi, startTestMail, type TestApi, type TestMail } from "../../test/harness.ts";

let api: TestApi;
let mail: TestMail;

beforeAll(async () => {
  api = await startTestApi();
  mail = await startTestMail(api);
});
afterAll(async () => {
  await mail.stop();
  await api.close();
});

async function team() {
  const owner = await signUp(api);
  const admin = await addMember(owner.client, api, mail.catcher, "admin");
  const developer = await addMember(owner.client, api, mail.catcher, "developer");
  const members = await owner.client.call("GET", "/members");
  const ownerMemberId = members.body.data.find((m: { role: string }) => m.role === "owner")
    .id as string;
  return { owner: { ...owner, memberId: ownerMemberId }, admin, developer };
}

describe("members", () => {
  it("lists the organization's people with their roles, to any member", async () => {
    const { owner, developer } = await team();
    const listed = await developer.client.call("GET", "/members");
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((m: { role: string }) => m.role).sort()).toEqual([
      "admin",
      "developer",
      "owner",
    ]);
    expect(listed.body.data.find((m: { role: string }) => m.role === "owner").email).toBe(
      owner.email,
    );
    const page = await owner.client.call("GET", "/members?limit=1");
    expect(page.body.data).toHaveLength(1);
    expect(page.body.has_more).toBe(true);
    expect((await owner.client.call("GET", "/members?limit=0")).status).toBe(422);
  });

  it("changes a role: the member's next request rotates their session and has the new rights", async () => {
    const { owner, developer } = await team();
    expect(
      (await developer.client.call("POST", "/domains", { json: { name: "before.dev" } })).status,
    ).toBe(200);
    const before = developer.client.cookie("thrive_session");
    const changed = await owner.client.call("PATCH", `/members/${developer.memberId}`, {
      json: { role: "analyst" },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      object: "member",
      id: developer.memberId,
      role: "analyst",
    });

    const read = await developer.client.call("GET", "/domains");
    expect(read.status).toBe(200);
    const after = developer.client.cookie("thrive_session");
    expect(after).not.toBe(before);
    const replay = await api.app.request("/domains", {
      headers: { cookie: `thrive_session=${before}` },
    });
    expect(replay.status).toBe(401);
    // The CSRF token changed with the session: the new one works, the analyst may not write.
    const write = await developer.client.call("POST", "/domains", { json: { name: "after.dev" } });
    expect(write.status).toBe(403);
    expect(write.body.name).toBe("forbidden");
    expect((await developer.client.call("GET", "/auth/session")).body.organization.role).toBe(
      "analyst",
    );
  });

  it("keeps owners in the owners' hands, and the last owner an owner", async () => {
    const { owner, admin, developer } = await team();
    const promote = await admin.client.call("PATCH", `/members/${developer.memberId}`, {
      json: { role: "owner" },
    });
    expect(promote.status).toBe(403);
    expect(promote.body.name).toBe("forbidden");
    const demote = await admin.client.call("PATCH", `/members/${owner.memberId}`, {
      json: { role: "developer" },
    });
    expect(demote.status).toBe(403);
    const removeOwner = await admin.client.call("DELETE", `/members/${owner.memberId}`);
    expect(removeOwner.status).toBe(403);
    const self = await owner.client.call("PATCH", `/members/${owner.memberId}`, {
      json: { role: "admin" },
    });
    expect(self.status).toBe(409);
    expect(self.body.name).toBe("invalid_state");
    expect((await owner.client.call("DELETE", `/members/${owner.memberId}`)).status).toBe(409);
    const leave = await owner.client.call("POST", "/members/leave");
    expect(leave.status).toBe(409);
    // With a second owner, the first may step down.
    expect(
      (
        await owner.client.call("PATCH", `/members/${developer.memberId}`, {
          json: { role: "owner" },
        })
      ).status,
    ).toBe(200);
    expect(
      (await owner.client.call("PATCH", `/members/${owner.memberId}`, { json: { role: "admin" } }))
        .status,
    ).toBe(200);
  });

  it("lets admins manage non-owners, and no one below admin manage anyone", async () => {
    const { owner, admin, developer } = await team();
    const byDeveloper = await developer.client.call("PATCH", `/members/${admin.memberId}`, {
      json: { role: "analyst" },
    });
    expect(byDeveloper.status).toBe(403);
    expect(byDeveloper.body.name).toBe("forbidden");
    const byAdmin = await admin.client.call("PATCH", `/members/${developer.memberId}`, {
      json: { role: "billing" },
    });
    expect(byAdmin.status).toBe(200);
    expect(
      (await owner.client.call("GET", "/members")).body.data.some(
        (m: { role: string }) => m.role === "billing",
      ),
    ).toBe(true);
  });

  it("gives a member a custom role by name: its permissions, resolved, apply on the next request", async () => {
    const { owner, developer } = await team();
    const name = `reader-${Date.now().toString(36)}`;
    const created = await owner.client.call("POST", "/roles", {
      json: { name, extends: "billing", permissions: ["emails:read"] },
    });
    expect(created.status).toBe(201);
    const changed = await owner.client.call("PATCH", `/members/${developer.memberId}`, {
      json: { role: name },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.role).toBe(name);
    expect((await developer.client.call("GET", "/emails")).status).toBe(200);
    expect((await developer.client.call("GET", "/usage")).status).toBe(200);
    const refused = await developer.client.call("GET", "/domains");
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe(
      `Your role (${name}) does not allow this: it needs the domains:read permission`,
    );
    expect((await developer.client.call("GET", "/auth/session")).body.organization.role).toBe(name);
    // Another organization's role of that name does not exist here.
    const intruder = await signUp(api);
    const foreign = await intruder.client.call("POST", "/invitations", {
      json: { email: "someone@example.com", role: name },
    });
    expect(foreign.status).toBe(422);
  });

  it("removes a member: their session no longer acts for the organization", async () => {
    const { owner, developer } = await team();
    const removed = await owner.client.call("DELETE", `/members/${developer.memberId}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ object: "member", id: developer.memberId, deleted: true });
    const refused = await developer.client.call("GET", "/domains");
    expect(refused.status).toBe(403);
    expect(refused.body.name).toBe("forbidden");
    expect((await developer.client.call("GET", "/auth/session")).body.organization).toBeNull();
    expect((await owner.client.call("DELETE", `/members/${developer.memberId}`)).status).toBe(404);
  });

  it("lets a member leave", async () => {
    const { owner, developer } = await team();
    const left = await developer.client.call("POST", "/members/leave");
    expect(left.status).toBe(200);
    expect(left.body.id).toBe(developer.memberId);
    const remaining = await owner.client.call("GET", "/members");
    expect(remaining.body.data.map((m: { email: string }) => m.email)).not.toContain(
      developer.email,
    );
  });

  it("transfers the ownership: the member becomes owner, the owner an admin, both rotated", async () => {
    const { owner, admin, developer } = await team();
    const byAdmin = await admin.client.call("POST", "/organization/transfer-ownership", {
      json: { member_id: developer.memberId },
    });
    expect(byAdmin.status).toBe(403);
    const ownerBefore = owner.client.cookie("thrive_session");
    const transferred = await owner.client.call("POST", "/organization/transfer-ownership", {
      json: { member_id: developer.memberId },
    });
    expect(transferred.status).toBe(200);
    expect(transferred.body).toMatchObject({ id: developer.memberId, role: "owner" });
    const ownerSession = await owner.client.call("GET", "/auth/session");
    expect(ownerSession.body.organization.role).toBe("admin");
    expect(owner.client.cookie("thrive_session")).not.toBe(ownerBefore);
    expect((await developer.client.call("GET", "/auth/session")).body.organization.role).toBe(
      "owner",
    );
    // The former owner may now leave; the new one may not (the last).
    expect((await developer.client.call("POST", "/members/leave")).status).toBe(409);
    expect((await owner.client.call("POST", "/members/leave")).status).toBe(200);
    const self = await developer.client.call("POST", "/organization/transfer-ownership", {
      json: { member_id: developer.memberId },
    });
    expect(self.status).toBe(422);
  });

  it("validates, and answers 404 to another organization's members on these ids", async () => {
    const { owner, developer } = await team();
    const intruder = await signUp(api);
    const foreign = await intruder.client.call("PATCH", `/members/${developer.memberId}`, {
      json: { role: "admin" },
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.name).toBe("not_found");
    expect((await intruder.client.call("DELETE", `/members/${developer.memberId}`)).status).toBe(
      404,
    );
    const transfer = await intruder.client.call("POST", "/organization/transfer-ownership", {
      json: { member_id: developer.memberId },
    });
    expect(transfer.status).toBe(404);
    const badRole = await owner.client.call("PATCH", `/members/${developer.memberId}`, {
      json: { role: "emperor" },
    });
    expect(badRole.status).toBe(422);
    const badId = await owner.client.call("PATCH", "/members/not-a-uuid", {
      json: { role: "admin" },
    });
    expect(badId.status).toBe(422);
  });
});
