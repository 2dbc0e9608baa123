import { EXTENDABLE_BUILT_IN_ROLES } from "../db/schema/index.ts";
import {
  CUSTOM_ROLE_PERMISSIONS,
  PERMISSIONS,
  type Permission,
  permissionSet,
} from "./permissions.ts";

/**
 * The built-in roles of members, as sets of permissions: the one place a role's rights are
 * written. A membership's role is a plain name: one of these, or an organization's custom
 * role (resolveRoles below, services/roles).
 */
export const BUILT_IN_ROLES = ["owner", "admin", "developer", "analyst", "billing"] as const;
export type BuiltInRole = (typeof BUILT_IN_ROLES)[number];

const READ: Permission[] = [
  "emails:read",
  "api_keys:read",
  "domains:read",
  "suppressions:read",
  "reputation:read",
  "providers:read",
  "webhooks:read",
  "events:read",
  "organization:read",
  "members:read",
];

const GRANTS: Record<BuiltInRole, ReadonlySet<Permission>> = {
  owner: new Set(PERMISSIONS),
  // Everything but deleting the organization and handing over its ownership.
  admin: new Set(PERMISSIONS.filter((permission) => permission !== "organization:delete")),
  // Builds with the API: sends, keys, domains, webhooks; sees the organization and its people.
  // The audit log is the administrators' (it records what developers do).
  developer: new Set(
    PERMISSIONS.filter(
      (permission) =>
        !permission.startsWith("organization:") &&
        permission !== "members:manage" &&
        permission !== "audit:read",
    ).concat(["organization:read"]),
  ),
  analyst: new Set([...READ, "usage:read"]),
  billing: new Set<Permission>(["organization:read", "members:read", "usage:read"]),
};

export function isBuiltInRole(role: string): role is BuiltInRole {
  return (BUILT_IN_ROLES as readonly string[]).includes(role);
}

/** A built-in role's permissions; any other name (a custom role's, one removed) has none. */
export function rolePermissions(role: string): ReadonlySet<Permission> {
  return isBuiltInRole(role) ? GRANTS[role] : NONE;
}

const NONE: ReadonlySet<Permission> = new Set();

/** What each built-in role is for, as GET /roles shows it. */
export const BUILT_IN_DESCRIPTIONS: Record<BuiltInRole, string> = {
  owner: "Everything, including deleting the organization and handing its ownership over.",
  admin: "Everything but deleting the organization and handing its ownership over.",
  developer:
    "The API's objects (emails, keys, domains, webhooks, providers...); sees the organization and its people, not the audit log.",
  analyst: "Reads everything but the audit log (the usage too); changes nothing.",
  billing: "The organization, its members and its usage, read-only.",
};

/** The built-in roles a custom role may extend: not owner, whose organization:delete is theirs. */
const EXTENDABLE: readonly BuiltInRole[] = EXTENDABLE_BUILT_IN_ROLES;

export function isExtendableBuiltInRole(role: string): boolean {
  return EXTENDABLE.includes(role as BuiltInRole);
}

/** A custom role as stored: its own permissions and the role it extends, if any. */
export interface RoleDefinition {
  id: string;
  name: string;
  permissions: readonly string[];
  extendsBuiltIn: string | null;
  extendsRoleId: string | null;
}

/**
 * Every custom role's permissions: its own plus, transitively, those of the role it extends.
 * Writes refuse cycles (findCycle); should one exist anyway, its roles resolve to nothing (a
 * role nobody can reason about grants no rights). organization:delete stays the owners'
 * whatever a row holds.
 */
export function resolveRoles(
  definitions: readonly RoleDefinition[],
): Map<string, ReadonlySet<Permission>> {
  const byId = new Map(definitions.map((role) => [role.id, role]));
  const resolved = new Map<string, ReadonlySet<Permission>>();
  const visiting = new Set<string>();

  const resolve = (role: RoleDefinition): ReadonlySet<Permission> => {
    const done = resolved.get(role.id);
    if (done) return done;
    if (visiting.has(role.id)) return NONE;
    visiting.add(role.id);
    const parent = role.extendsRoleId ? byId.get(role.extendsRoleId) : undefined;
    const inherited = role.extendsBuiltIn
      ? rolePermissions(role.extendsBuiltIn)
      : parent
        ? resolve(parent)
        : NONE;
    visiting.delete(role.id);
    const permissions = findCycle(definitions, role.id)
      ? NONE
      : permissionSet([...inherited, ...role.permissions], CUSTOM_ROLE_PERMISSIONS);
    resolved.set(role.id, permissions);
    return permissions;
  };

  for (const role of definitions) resolve(role);
  return resolved;
}

/**
 * The names of the roles on a cycle of `extends` through role `id` (A, B, A), or null: B
 * extending A while A extends B would leave neither with a meaning.
 */
export function findCycle(definitions: readonly RoleDefinition[], id: string): string[] | null {
  const byId = new Map(definitions.map((role) => [role.id, role]));
  const chain: string[] = [];
  const seen = new Set<string>();
  let current = byId.get(id);
  while (current) {
    chain.push(current.name);
    if (seen.has(current.id)) return current.id === id ? chain : null;
    seen.add(current.id);
    current = current.extendsRoleId ? byId.get(current.extendsRoleId) : undefined;
  }
  return null;
}

/** An organization's roles, built-in and custom, resolved once: a name's permissions. */
export class OrganizationRoles {
  readonly #byName: Map<string, ReadonlySet<Permission>>;

  constructor(definitions: readonly RoleDefinition[]) {
    const resolved = resolveRoles(definitions);
    this.#byName = new Map(definitions.map((role) => [role.name, resolved.get(role.id) ?? NONE]));
  }

  /** Unknown names (a role deleted since) have no permissions. */
  permissionsOf(role: string): ReadonlySet<Permission> {
    return isBuiltInRole(role) ? GRANTS[role] : (this.#byName.get(role) ?? NONE);
  }
}
