import { describe, expect, it } from "vitest";
import { AppError } from "./errors.ts";
import { assertMayGrant, PEOPLE_ONLY, PERMISSIONS, permissionSet } from "./permissions.ts";
import {
  BUILT_IN_ROLES,
  findCycle,
  OrganizationRoles,
  type RoleDefinition,
  resolveRoles,
  rolePermissions,
} from "./roles.ts";

const role = (
  id: string,
  permissions: string[],
  parent: { builtIn?: string; role?: string } = {},
): RoleDefinition => ({
  id,
  name: `role-${id}`,
  permissions,
  extendsBuiltIn: parent.builtIn ?? null,
  extendsRoleId: parent.role ?? null,
});

describe("resolveRoles", () => {
  it("adds what a role extends, transitively, through custom and built-in roles", () => {
    const resolved = resolveRoles([
      role("c", ["audit:read"], { role: "b" }),
      role("b", ["webhooks:write"], { role: "a" }),
      role("a", ["domains:write"], { builtIn: "billing" }),
    ]);
    expect(resolved.get("c")).toEqual(
      new Set([...rolePermissions("billing"), "domains:write", "webhooks:write", "audit:read"]),
    );
    expect(resolved.get("a")).toEqual(new Set([...rolePermissions("billing"), "domains:write"]));
  });

  it("resolves the roles of a cycle to nothing, and those extending them to their own", () => {
    const resolved = resolveRoles([
      role("a", ["emails:read"], { role: "b" }),
      role("b", ["domains:read"], { role: "a" }),
      role("c", ["usage:read"], { role: "a" }),
      role("self", ["usage:read"], { role: "self" }),
    ]);
    expect(resolved.get("a")?.size).toBe(0);
    expect(resolved.get("b")?.size).toBe(0);
    expect(resolved.get("self")?.size).toBe(0);
    expect(resolved.get("c")).toEqual(new Set(["usage:read"]));
  });

  it("never grants organization:delete, nor a name the catalog does not have", () => {
    const resolved = resolveRoles([
      role("a", ["organization:delete", "emails:fly", "emails:read"], { builtIn: "owner" }),
    ]);
    expect(resolved.get("a")?.has("organization:delete")).toBe(false);
    expect(resolved.get("a")?.has("members:manage")).toBe(true);
    expect([...(resolved.get("a") ?? [])]).not.toContain("emails:fly");
  });

  it("ignores a missing parent (it grants nothing)", () => {
    expect(resolveRoles([role("a", ["emails:read"], { role: "gone" })]).get("a")).toEqual(
      new Set(["emails:read"]),
    );
  });

  it("resolves a long chain", () => {
    const chain = Array.from({ length: 100 }, (_, i) =>
      role(`r${i}`, [PERMISSIONS[i % 10] as string], i > 0 ? { role: `r${i - 1}` } : {}),
    );
    expect(resolveRoles(chain).get("r99")?.size).toBe(10);
  });
});

describe("findCycle", () => {
  it("names the roles of a cycle through the role", () => {
    const definitions = [
      role("a", [], { role: "c" }),
      role("b", [], { role: "a" }),
      role("c", [], { role: "b" }),
    ];
    expect(findCycle(definitions, "a")).toEqual(["role-a", "role-c", "role-b", "role-a"]);
  });

  it("answers null without a cycle, or for a cycle the role only leads into", () => {
    expect(findCycle([role("a", [], { role: "b" }), role("b", [])], "a")).toBeNull();
    const leading = [
      role("x", [], { role: "a" }),
      role("a", [], { role: "b" }),
      role("b", [], { role: "a" }),
    ];
    expect(findCycle(leading, "x")).toBeNull();
    expect(findCycle(leading, "a")).not.toBeNull();
  });
});

describe("OrganizationRoles", () => {
  it("answers built-in and custom roles by name; unknown ones have nothing", () => {
    const roles = new OrganizationRoles([role("a", ["emails:read"], { builtIn: "billing" })]);
    expect(roles.permissionsOf("admin")).toBe(rolePermissions("admin"));
    expect(roles.permissionsOf("role-a")).toEqual(
      new Set([...rolePermissions("billing"), "emails:read"]),
    );
    expect(roles.permissionsOf("removed").size).toBe(0);
  });
});

describe("built-in roles", () => {
  it("keep organization:delete to owners, and give each role something", () => {
    for (const name of BUILT_IN_ROLES) {
      expect(rolePermissions(name).has("organization:delete"), name).toBe(name === "owner");
      expect(rolePermissions(name).size, name).toBeGreaterThan(0);
    }
  });
});

describe("permissionSet and assertMayGrant", () => {
  it("keeps a stored set to what its holder may have", () => {
    const keyable = PERMISSIONS.filter((permission) => !PEOPLE_ONLY.has(permission));
    expect(permissionSet(["members:manage", "emails:read", "nope"], keyable)).toEqual(
      new Set(["emails:read"]),
    );
  });

  it("refuses a person with 403 forbidden, a key with 401 restricted_api_key, naming what is missing", () => {
    const grantor = { permissions: new Set(["emails:read"] as const) };
    expect(() => assertMayGrant({ ...grantor, kind: "session" }, ["emails:read"])).not.toThrow();
    for (const [kind, name] of [
      ["session", "forbidden"],
      ["api_key", "restricted_api_key"],
    ] as const) {
      try {
        assertMayGrant({ ...grantor, kind }, ["usage:read", "emails:read", "audit:read"]);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).errorName).toBe(name);
        expect((error as AppError).message).toBe(
          "You cannot grant permissions you do not have: audit:read, usage:read",
        );
      }
    }
  });
});
