import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDatabase } from "../../db/client.ts";
import { auditLogs, invitations } from "../../db/schema/index.ts";
import { rolePermissions } from "../../lib/roles.ts";
import { RoleCache } from "../../services/roles/role-cache.ts";
import type { ConsoleClient } from "../../test/console.ts";
import { startTestApi, type TestApi } from "../../test/harness.ts";
import { routeFixtures, type TestTenant } from "../../test/route-fixtures.ts";

let api: TestApi;
let fixtures: ReturnType<typeof routeFixtures>;
let org: TestTenant;
let other: TestTenant;
let counter = 0;

beforeAll(async () => {
  api = await startTestApi();
  fixtures = routeFixtures(api);
  org = await fixtures.tenant("Roles");
  other = await fixtures.tenant("Other");
});
afterAll(() => api.close());

const unique = (prefix: string) => `${prefix}-${++counter}`;

async function createRole(client: ConsoleClient, json: Record<string, unknown>) {
  const response = await client.call("POST", "/roles", { json });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; name: string; resolved_permissions: string[] };
}

describe("GET /roles", () => {
  it("lists the built-in roles with their permissions, then the organization's own", async () => {
    const own = await createRole(org.client, {
      name: unique("listed"),
      permissions: ["emails:read"],
    });
    const response = await org.client.call("GET", "/roles");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ object: "list", has_more: false });
    const names = response.body.data.map((role: { name: string }) => role.name);
    expect(names.slice(0, 5)).toEqual(["owner", "admin", "developer", "analyst", "billing"]);
    expect(names).toContain(own.name);
    const analyst = response.body.data.find((role: { name: string }) => role.name === "analyst");
    expect(analyst).toMatchObject({ id: "analyst", built_in: true, extends: null });
    expect(new Set(analyst.resolved_permissions)).toEqual(rolePermissions("analyst"));
    // The other organization does not see it.
    const theirs = await other.client.call("GET", "/roles");
    expect(theirs.body.data.map((role: { name: string }) => role.name)).not.toContain(own.name);
  });

  it("is for people: a full_access key gets 401 restricted_api_key", async () => {
    const response = await api.call("GET", "/roles", { key: org.key });
    expect(response.status).toBe(401);
    expect(response.body.name).toBe("restricted_api_key");
  });
});

describe("POST /roles", () => {
  it("creates a role that extends others transitively, and records it", async () => {
    const base = await createRole(org.client, {
      name: unique("base"),
      description: "Analysts who also add domains",
      permissions: ["domains:write"],
      extends: "analyst",
    });
    const lead = await createRole(org.client, {
      name: unique("lead"),
      permissions: ["webhooks:write", "webhooks:write"],
      extends: base.id,
    });
    expect(lead).toMatchObject({
      object: "role",
      built_in: false,
      extends: base.name,
      permissions: ["webhooks:write"],
    });
    expect(new Set(lead.resolved_permissions)).toEqual(
      new Set([...rolePermissions("analyst"), "domains:write", "webhooks:write"]),
    );
    // By name, too.
    const byName = await createRole(org.client, { name: unique("byname"), extends: base.name });
    expect(byName.resolved_permissions).toEqual(base.resolved_permissions);
    const [entry] = await api.database.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.targetId, lead.id), eq(auditLogs.action, "role.created")));
    expect(entry).toMatchObject({ actorType: "user", targetType: "role" });
  });

  it.each([
    ["a built-in role's name", { name: "admin" }],
    ["a name with capitals", { name: "Support" }],
    ["a name with spaces", { name: "support team" }],
    ["a name like an id", { name: "a19a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e" }],
    ["a name over 50 characters", { name: `a${"b".repeat(50)}` }],
    ["deleting the organization", { name: "deleter", permissions: ["organization:delete"] }],
    ["an unknown permission", { name: "flyer", permissions: ["emails:fly"] }],
    ["extending owner", { name: "owner-like", extends: "owner" }],
    ["extending an unknown role", { name: "orphan", extends: "nobody" }],
    ["an unknown field", { name: "extra", color: "red" }],
  ])("answers 422 for %s", async (_, json) => {
    const response = await org.client.call("POST", "/roles", { json });
    expect(response.status).toBe(422);
    expect(response.body.name).toBe("validation_error");
  });

  it("answers 409 already_exists for a name taken in the organization, not in another", async () => {
    const name = unique("taken");
    await createRole(org.client, { name });
    const again = await org.client.call("POST", "/roles", { json: { name } });
    expect(again.status).toBe(409);
    expect(again.body.name).toBe("already_exists");
    await createRole(other.client, { name });
  });

  it("refuses extending another organization's role", async () => {
    const theirs = await createRole(other.client, { name: unique("theirs") });
    for (const ref of [theirs.id, theirs.name]) {
      const response = await org.client.call("POST", "/roles", {
        json: { name: unique("thief"), extends: ref },
      });
      expect(response.status).toBe(422);
      expect(response.body.details[0].path).toBe("extends");
    }
  });
});

describe("GET, PATCH and DELETE /roles/{id}", () => {
  it("gets a role by id or name, a built-in one by name", async () => {
    const role = await createRole(org.client, { name: unique("got"), permissions: ["usage:read"] });
    for (const ref of [role.id, role.name]) {
      const response = await org.client.call("GET", `/roles/${ref}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: role.id, resolved_permissions: ["usage:read"] });
    }
    const builtIn = await org.client.call("GET", "/roles/developer");
    expect(builtIn.body).toMatchObject({ id: "developer", built_in: true });
    expect((await org.client.call("GET", "/roles/nobody")).status).toBe(404);
  });

  it("answers 404 for another organization's role, by id and by name", async () => {
    const theirs = await createRole(other.client, { name: unique("hidden") });
    for (const [method, json] of [
      ["GET", undefined],
      ["PATCH", { description: "mine now" }],
      ["DELETE", undefined],
    ] as const) {
      for (const ref of [theirs.id, theirs.name]) {
        const response = await org.client.call(method, `/roles/${ref}`, { json });
        expect(response.status, `${method} ${ref}`).toBe(404);
        expect(response.body.name).toBe("not_found");
      }
    }
    expect((await other.client.call("GET", `/roles/${theirs.id}`)).status).toBe(200);
  });

  it("refuses to change or delete a built-in role", async () => {
    for (const method of ["PATCH", "DELETE"] as const) {
      const response = await org.client.call(method, "/roles/admin", {
        json: method === "PATCH" ? { description: "x" } : undefined,
      });
      expect(response.status).toBe(409);
      expect(response.body.name).toBe("invalid_state");
    }
  });

  it("changes a role; members' rights follow at once, and their sessions rotate", async () => {
    const role = await createRole(org.client, { name: unique("support"), extends: "billing" });
    const member = await fixtures.joined(org, role.name);
    expect((await member.client.call("GET", "/emails")).status).toBe(403);
    const before = member.client.cookie("thrive_session");

    const changed = await org.client.call("PATCH", `/roles/${role.id}`, {
      json: { permissions: ["emails:read"], description: "Reads emails" },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      description: "Reads emails",
      permissions: ["emails:read"],
    });
    expect((await member.client.call("GET", "/emails")).status).toBe(200);
    expect(member.client.cookie("thrive_session")).not.toBe(before);

    // The session shows what the role now allows: billing's, and its own.
    const session = await member.client.call("GET", "/auth/session");
    expect(session.body.permissions).toEqual([
      "emails:read",
      "organization:read",
      "members:read",
      "usage:read",
    ]);

    // No extends any more: only its own permission.
    await org.client.call("PATCH", `/roles/${role.id}`, { json: { extends: null } });
    expect((await member.client.call("GET", "/usage")).status).toBe(403);
    expect((await member.client.call("GET", "/emails")).status).toBe(200);
    expect((await member.client.call("GET", "/auth/session")).body.permissions).toEqual([
      "emails:read",
    ]);
  });

  it("renames a role with its members and invitations", async () => {
    const role = await createRole(org.client, { name: unique("old") });
    const member = await fixtures.joined(org, role.name);
    const invitation = await fixtures.invite(org, role.name);
    const name = unique("new");
    const renamed = await org.client.call("PATCH", `/roles/${role.id}`, { json: { name } });
    expect(renamed.body.name).toBe(name);
    const members = await org.client.call("GET", "/members?limit=100");
    const row = members.body.data.find((m: { id: string }) => m.id === member.memberId);
    expect(row.role).toBe(name);
    const [invited] = await api.database.db
      .select({ role: invitations.role })
      .from(invitations)
      .where(eq(invitations.id, invitation.id));
    expect(invited?.role).toBe(name);
    const session = await member.client.call("GET", "/auth/session");
    expect(session.body.organization.role).toBe(name);
    const taken = await org.client.call("PATCH", `/roles/${role.id}`, { json: { name: "admin" } });
    expect(taken.status).toBe(422);
  });

  it("refuses a cycle of extends (and a role extending itself) with 422", async () => {
    const a = await createRole(org.client, { name: unique("a"), permissions: ["emails:read"] });
    const b = await createRole(org.client, { name: unique("b"), extends: a.name });
    const c = await createRole(org.client, { name: unique("c"), extends: b.id });
    const cycle = await org.client.call("PATCH", `/roles/${a.id}`, { json: { extends: c.name } });
    expect(cycle.status).toBe(422);
    expect(cycle.body.message).toContain(`${a.name} → ${c.name} → ${b.name} → ${a.name}`);
    const self = await org.client.call("PATCH", `/roles/${a.id}`, { json: { extends: a.id } });
    expect(self.status).toBe(422);
    // Nothing changed.
    const after = await org.client.call("GET", `/roles/${c.id}`);
    expect(after.body.resolved_permissions).toEqual(["emails:read"]);
  });

  it("answers 422 to an empty change", async () => {
    const role = await createRole(org.client, { name: unique("empty") });
    expect((await org.client.call("PATCH", `/roles/${role.id}`, { json: {} })).status).toBe(422);
  });

  it("deletes a role nobody uses, and refuses one in use with 409", async () => {
    const used = await createRole(org.client, { name: unique("used") });
    const member = await fixtures.joined(org, used.name);
    const refused = await org.client.call("DELETE", `/roles/${used.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ name: "invalid_state" });
    expect(refused.body.message).toContain("1 member has it");
    await org.client.call("PATCH", `/members/${member.memberId}`, { json: { role: "analyst" } });

    const invited = await createRole(org.client, { name: unique("invited") });
    const invitation = await fixtures.invite(org, invited.name);
    const pending = await org.client.call("DELETE", `/roles/${invited.id}`);
    expect(pending.status).toBe(409);
    expect(pending.body.message).toContain("1 pending invitation offers it");
    await org.client.call("DELETE", `/invitations/${invitation.id}`);
    expect((await org.client.call("DELETE", `/roles/${invited.id}`)).status).toBe(200);

    const parent = await createRole(org.client, { name: unique("parent") });
    const child = await createRole(org.client, { name: unique("child"), extends: parent.id });
    const extended = await org.client.call("DELETE", `/roles/${parent.name}`);
    expect(extended.status).toBe(409);
    expect(extended.body.message).toContain(`${child.name} extends it`);

    const deleted = await org.client.call("DELETE", `/roles/${used.id}`);
    expect(deleted.body).toEqual({ object: "role", id: used.id, deleted: true });
    expect((await org.client.call("GET", `/roles/${used.id}`)).status).toBe(404);
  });
});

describe("who may grant what", () => {
  it("lets a members:manage role hand out only what it holds", async () => {
    const manager = await createRole(org.client, {
      name: unique("manager"),
      permissions: ["members:manage"],
      extends: "analyst",
    });
    const { client } = await fixtures.joined(org, manager.name);
    // A role with more than it holds: refused, naming what is missing.
    const more = await client.call("POST", "/roles", {
      json: { name: unique("more"), permissions: ["domains:write"] },
    });
    expect(more.status).toBe(403);
    expect(more.body).toMatchObject({
      name: "forbidden",
      message: "You cannot grant permissions you do not have: domains:write",
    });
    const less = await createRole(client, { name: unique("less"), permissions: ["emails:read"] });
    // Making someone an admin, or itself one: refused.
    const developer = await fixtures.joined(org, "developer");
    for (const [id, role] of [
      [developer.memberId, "analyst"],
      [developer.memberId, "billing"],
    ]) {
      const response = await client.call("PATCH", `/members/${id}`, { json: { role } });
      expect(response.status).toBe(403);
      expect(response.body.message).toContain("a member who has permissions you do not have");
    }
    const billing = await fixtures.joined(org, "billing");
    const promote = await client.call("PATCH", `/members/${billing.memberId}`, {
      json: { role: "admin" },
    });
    expect(promote.status).toBe(403);
    expect(promote.body.message).toContain("You cannot grant permissions you do not have");
    const grant = await client.call("PATCH", `/members/${billing.memberId}`, {
      json: { role: less.name },
    });
    expect(grant.status).toBe(200);
    expect((await client.call("DELETE", `/members/${developer.memberId}`)).status).toBe(403);
    // Nor edits a mightier role.
    const mighty = await createRole(org.client, { name: unique("mighty"), extends: "admin" });
    const edit = await client.call("PATCH", `/roles/${mighty.id}`, { json: { description: "x" } });
    expect(edit.status).toBe(403);
    // Invitations follow the same rule.
    const invite = await client.call("POST", "/invitations", {
      json: { email: "mighty@example.com", role: mighty.name },
    });
    expect(invite.status).toBe(403);
  });

  it("refuses a member a role that does not exist, by name", async () => {
    const member = await fixtures.joined(org, "developer");
    const response = await org.client.call("PATCH", `/members/${member.memberId}`, {
      json: { role: "nobody" },
    });
    expect(response.status).toBe(422);
    expect(response.body.details).toEqual([{ path: "role", message: expect.any(String) }]);
    const invite = await org.client.call("POST", "/invitations", {
      json: { email: "nobody@example.com", role: "nobody" },
    });
    expect(invite.status).toBe(422);
  });

  it("lets analysts read the roles, not change them", async () => {
    const analyst = (await fixtures.joined(org, "analyst")).client;
    expect((await analyst.call("GET", "/roles")).status).toBe(200);
    const create = await analyst.call("POST", "/roles", { json: { name: unique("nope") } });
    expect(create.status).toBe(403);
  });
});

describe("RoleCache", () => {
  it("sees another process's change within its TTL, and its own at once", async () => {
    const role = await createRole(org.client, {
      name: unique("cached"),
      permissions: ["emails:read"],
    });
    const database = connectDatabase(api.database.url, { max: 1 });
    try {
      const cache = new RoleCache(database.db, { ttlMs: 200 });
      expect([...(await cache.permissionsOf(org.orgId, role.name))]).toEqual(["emails:read"]);
      await org.client.call("PATCH", `/roles/${role.id}`, {
        json: { permissions: ["usage:read"] },
      });
      // Still the cached set: this process did not make the change.
      expect([...(await cache.permissionsOf(org.orgId, role.name))]).toEqual(["emails:read"]);
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect([...(await cache.permissionsOf(org.orgId, role.name))]).toEqual(["usage:read"]);
      await org.client.call("PATCH", `/roles/${role.id}`, {
        json: { permissions: ["events:read"] },
      });
      cache.forget(org.orgId);
      expect([...(await cache.permissionsOf(org.orgId, role.name))]).toEqual(["events:read"]);
      // Built-in roles cost no query; a name nobody has grants nothing.
      expect(await cache.permissionsOf(org.orgId, "developer")).toBe(rolePermissions("developer"));
      expect((await cache.permissionsOf(org.orgId, "gone")).size).toBe(0);
    } finally {
      await database.close();
    }
  });
});
