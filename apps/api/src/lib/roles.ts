import { PERMISSIONS, type Permission } from "./permissions.ts";

/**
 * The built-in roles of members, as sets of permissions: the one place a role's rights are
 * written. A membership's role is a plain name, so custom roles can join these later.
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

/** A role's permissions; an unknown role (one removed since) has none. */
export function rolePermissions(role: string): ReadonlySet<Permission> {
  return isBuiltInRole(role) ? GRANTS[role] : new Set();
}
