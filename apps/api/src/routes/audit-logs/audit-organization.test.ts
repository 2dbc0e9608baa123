import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Browser,
  entriesOf,
  expectAudited,
  ORIGIN_HEADERS,
  organizationsRecording,
  signUpFrom,
  userActor,
  userTarget,
} from "../../test/audit-helpers.ts";
import { addMember, uniqueEmail, waitForToken } from "../../test/console.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  type TestApi,
  type TestMail,
} from "../../test/harness.ts";

let api: TestApi;
let mail: TestMail;

beforeAll(async () => {
  api = await startTestApi({ trustProxy: true });
  mail = await startTestMail(api);
});
afterAll(async () => {
  await mail.stop();
  await api.close();
});

const memberTarget = (id: string) => ({ type: "member", id });

async function ownerMemberId(owner: { browser: Browser; userId: string }) {
  const members = await owner.browser.call("GET", "/members?limit=100");
  return members.body.data.find((m: { user_id: string }) => m.user_id === owner.userId)
    .id as string;
}

describe("organization", () => {
  it("records a settings change with each changed field's before and after, and nothing when nothing changed", async () => {
    const owner = await signUpFrom(api, "Diff Co");
    const updated = await owner.browser.call("PATCH", "/organization", {
      json: { name: "Diff Inc", data_retention_days: 30, default_open_tracking: false },
    });
    expect(updated.status).toBe(200);
    const entry = await expectAudited(owner.browser, updated, "organization.updated", {
      actor: userActor(owner.userId),
      target: { type: "organization", id: owner.orgId },
      details: {
        changes: {
          name: { from: "Diff Co", to: "Diff Inc" },
          data_retention_days: { from: null, to: 30 },
        },
      },
    });
    // default_open_tracking was given but did not change.
    expect(Object.keys(entry.details?.changes as object).sort()).toEqual([
      "data_retention_days",
      "name",
    ]);
    const same = await owner.browser.call("PATCH", "/organization", { json: { name: "Diff Inc" } });
    expect(same.status).toBe(200);
    expect(await organizationsRecording(api, same)).toEqual([]);
    const invalid = await owner.browser.call("PATCH", "/organization", { json: { name: "" } });
    expect(invalid.status).toBe(422);
    expect(await organizationsRecording(api, invalid)).toEqual([]);
  });

  it("records an ownership transfer, and the two role changes it makes", async () => {
    const owner = await signUpFrom(api);
    const ownerMember = await ownerMemberId(owner);
    const admin = await addMember(owner.browser, api, mail.catcher, "admin");
    const transferred = await owner.browser.call("POST", "/organization/transfer-ownership", {
      json: { member_id: admin.memberId },
    });
    expect(transferred.status).toBe(200);
    const actor = userActor(owner.userId);
    await expectAudited(owner.browser, transferred, "organization.ownership_transferred", {
      actor,
      target: { type: "organization", id: owner.orgId },
      details: {
        from: { member_id: ownerMember, user_id: owner.userId, email: owner.email },
        to: { member_id: admin.memberId, user_id: admin.userId, email: admin.email },
      },
    });
    const roles = await entriesOf(owner.browser, transferred, "member.role_changed");
    expect(
      roles.map((e) => [e.target?.id, e.details?.from, e.details?.to, e.details?.via]).sort(),
    ).toEqual(
      [
        [admin.memberId, "admin", "owner", "ownership_transfer"],
        [ownerMember, "owner", "admin", "ownership_transfer"],
      ].sort(),
    );
    expect(roles.every((e) => e.actor.id === owner.userId && e.ip === "198.51.100.7")).toBe(true);
  });

  it("records the deletion and the keys it revokes; the purge job deletes the data and keeps the audit trail", async () => {
    const owner = await signUpFrom(api);
    const key = await owner.browser.call("POST", "/api-keys", { json: { name: "doomed" } });
    expect(key.status).toBe(200);
    await expectAudited(owner.browser, key, "api_key.created", {
      actor: userActor(owner.userId),
      target: { type: "api_key", id: key.body.id },
    });
    const deleted = await owner.browser.call("DELETE", "/organization");
    expect(deleted.status).toBe(200);
    // Nobody reads a deleted organization's log through the API: straight from the table.
    const rows = await api.database.sql<
      { action: string; actor_id: string; target_id: string; ip: string; details: object }[]
    >`select action, actor_id, target_id, ip, user_agent, details from audit_logs
      where request_id = ${deleted.headers.get("x-request-id")} order by action`;
    expect(rows).toEqual([
      {
        action: "api_key.revoked",
        actor_id: owner.userId,
        target_id: key.body.id,
        ip: "198.51.100.7",
        user_agent: "audit-trail-test/1.0",
        details: {
          name: "doomed",
          token_prefix: expect.any(String),
          reason: "organization_deleted",
        },
      },
      {
        action: "organization.deletion_requested",
        actor_id: owner.userId,
        target_id: owner.orgId,
        ip: "198.51.100.7",
        user_agent: "audit-trail-test/1.0",
        details: { api_keys_revoked: 1, invitations_revoked: 0 },
      },
    ]);
    const count = async () =>
      (
        await api.database.sql<{ n: number }[]>`
          select count(*)::int as n from audit_logs where org_id = ${owner.orgId}`
      )[0]?.n;
    const before = await count();

    // The worker's organization_purge job, although audit_logs refuses any DELETE.
    await eventually(
      async () =>
        (await api.database.sql`select 1 from organizations where id = ${owner.orgId}`).length ===
        0,
      20_000,
      "the organization purged",
    );
    const [left] = await api.database.sql<{ n: number }[]>`
      select (select count(*) from api_keys where org_id = ${owner.orgId})
        + (select count(*) from memberships where org_id = ${owner.orgId}) as n`;
    expect(Number(left?.n)).toBe(0);
    expect(await count()).toBe(before);
    expect(before).toBeGreaterThanOrEqual(5);
  });
});

describe("members", () => {
  it("records role changes with from and to, removals and departures", async () => {
    const owner = await signUpFrom(api);
    const developer = await addMember(owner.browser, api, mail.catcher, "developer");
    const analyst = await addMember(owner.browser, api, mail.catcher, "analyst");
    const leaver = await addMember(owner.browser, api, mail.catcher, "billing");
    const actor = userActor(owner.userId);

    const changed = await owner.browser.call("PATCH", `/members/${developer.memberId}`, {
      json: { role: "analyst" },
    });
    expect(changed.status).toBe(200);
    await expectAudited(owner.browser, changed, "member.role_changed", {
      actor,
      target: memberTarget(developer.memberId),
      details: {
        user_id: developer.userId,
        email: developer.email,
        from: "developer",
        to: "analyst",
      },
    });
    const unchanged = await owner.browser.call("PATCH", `/members/${developer.memberId}`, {
      json: { role: "analyst" },
    });
    expect(unchanged.status).toBe(200);
    expect(await organizationsRecording(api, unchanged)).toEqual([]);
    const lastOwner = await owner.browser.call("PATCH", `/members/${await ownerMemberId(owner)}`, {
      json: { role: "admin" },
    });
    expect(lastOwner.status).toBe(409);
    expect(await organizationsRecording(api, lastOwner)).toEqual([]);

    const removed = await owner.browser.call("DELETE", `/members/${analyst.memberId}`);
    expect(removed.status).toBe(200);
    await expectAudited(owner.browser, removed, "member.removed", {
      actor,
      target: memberTarget(analyst.memberId),
      details: { user_id: analyst.userId, email: analyst.email, role: "analyst" },
    });

    const left = await leaver.client.call("POST", "/members/leave", { headers: ORIGIN_HEADERS });
    expect(left.status).toBe(200);
    await expectAudited(owner.browser, left, "member.left", {
      actor: userActor(leaver.userId),
      target: memberTarget(leaver.memberId),
      details: { user_id: leaver.userId, email: leaver.email, role: "billing" },
    });
  });
});

describe("invitations", () => {
  it("records invitations created, replaced, revoked and accepted", async () => {
    const owner = await signUpFrom(api);
    const actor = userActor(owner.userId);
    const email = uniqueEmail("invited");
    const first = await owner.browser.call("POST", "/invitations", {
      json: { email, role: "developer" },
    });
    expect(first.status).toBe(201);
    await expectAudited(owner.browser, first, "invitation.created", {
      actor,
      target: { type: "invitation", id: first.body.id },
      details: { email, role: "developer", expires_at: first.body.expires_at },
    });
    const second = await owner.browser.call("POST", "/invitations", {
      json: { email, role: "analyst" },
    });
    await expectAudited(owner.browser, second, "invitation.revoked", {
      actor,
      target: { type: "invitation", id: first.body.id },
      details: { email, role: "developer", replaced_by: second.body.id },
    });
    await expectAudited(owner.browser, second, "invitation.created", {
      actor,
      target: { type: "invitation", id: second.body.id },
      details: { email, role: "analyst" },
    });
    const revoked = await owner.browser.call("DELETE", `/invitations/${second.body.id}`);
    expect(revoked.status).toBe(200);
    await expectAudited(owner.browser, revoked, "invitation.revoked", {
      actor,
      target: { type: "invitation", id: second.body.id },
      details: { email, role: "analyst" },
    });
    const again = await owner.browser.call("DELETE", `/invitations/${second.body.id}`);
    expect(again.status).toBe(200);
    expect(await organizationsRecording(api, again)).toEqual([]);

    const joiner = uniqueEmail("joiner");
    const invited = await owner.browser.call("POST", "/invitations", {
      json: { email: joiner, role: "developer" },
    });
    const token = await waitForToken(mail.catcher, joiner, "/accept-invitation");
    const browser = new Browser(api);
    const accepted = await browser.call("POST", "/invitations/accept", {
      json: { token, name: "Joiner", password: "a joiner's passphrase" },
    });
    expect(accepted.status).toBe(200);
    const joinerId = accepted.body.user.id as string;
    await expectAudited(owner.browser, accepted, "user.signed_up", {
      actor: userActor(joinerId),
      target: userTarget(joinerId),
      details: { email: joiner, method: "invitation" },
    });
    await expectAudited(owner.browser, accepted, "invitation.accepted", {
      actor: userActor(joinerId),
      target: { type: "invitation", id: invited.body.id },
      details: {
        email: joiner,
        role: "developer",
        user_id: joinerId,
        member_id: expect.any(String),
      },
    });
    const lateRevoke = await owner.browser.call("DELETE", `/invitations/${invited.body.id}`);
    expect(lateRevoke.status).toBe(409);
    expect(await organizationsRecording(api, lateRevoke)).toEqual([]);
    const all = JSON.stringify((await owner.browser.call("GET", "/audit-logs?limit=100")).body);
    expect(all).not.toContain(token);
    expect(all).not.toContain("a joiner's passphrase");
  });
});

describe("one transaction", () => {
  it("rolls the entry back with its change when the change fails at commit", async () => {
    const owner = await signUpFrom(api);
    const developer = await addMember(owner.browser, api, mail.catcher, "developer");
    // Checked at commit: after the service has written its audit entry.
    await api.database.sql.unsafe(`
      create function test_refuse_billing() returns trigger language plpgsql as $$
        begin raise exception 'refused by the test'; end $$;
      create constraint trigger test_refuse_billing after update on memberships
        deferrable initially deferred for each row when (new.role = 'billing')
        execute function test_refuse_billing();`);
    try {
      const failed = await owner.browser.call("PATCH", `/members/${developer.memberId}`, {
        json: { role: "billing" },
      });
      expect(failed.status).toBe(500);
      expect(await entriesOf(owner.browser, failed, "member.role_changed")).toEqual([]);
      expect(await organizationsRecording(api, failed)).toEqual([]);
      const members = await owner.browser.call("GET", "/members?limit=100");
      expect(members.body.data.find((m: { id: string }) => m.id === developer.memberId).role).toBe(
        "developer",
      );
    } finally {
      await api.database.sql.unsafe(`
        drop trigger test_refuse_billing on memberships;
        drop function test_refuse_billing();`);
    }
  });

  it("does not commit a change whose entry cannot be written", async () => {
    const owner = await signUpFrom(api, "Kept Name");
    await api.database.sql.unsafe(`
      create function test_refuse_entry() returns trigger language plpgsql as $$
        begin raise exception 'refused by the test'; end $$;
      create trigger test_refuse_entry before insert on audit_logs
        for each row when (new.action = 'organization.updated')
        execute function test_refuse_entry();`);
    try {
      const failed = await owner.browser.call("PATCH", "/organization", {
        json: { name: "Never Saved" },
      });
      expect(failed.status).toBe(500);
    } finally {
      await api.database.sql.unsafe(`
        drop trigger test_refuse_entry on audit_logs;
        drop function test_refuse_entry();`);
    }
    expect((await owner.browser.call("GET", "/organization")).body.name).toBe("Kept Name");
  });
});
