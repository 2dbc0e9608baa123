import type { ApiKeyPermission } from "../db/schema/index.ts";
import { AppError } from "./errors.ts";

/**
 * What a caller may do. Every route declares one of these (shown in the spec as
 * `x-permission`); Resend's two key kinds and the members' roles (lib/roles.ts) map onto
 * sets of them.
 */
export const PERMISSIONS = [
  "emails:send",
  "emails:read",
  "emails:write",
  "api_keys:read",
  "api_keys:write",
  "domains:read",
  "domains:write",
  "suppressions:read",
  "suppressions:write",
  "reputation:read",
  "reputation:write",
  "providers:read",
  "providers:write",
  "webhooks:read",
  "webhooks:write",
  "events:read",
  "organization:read",
  "organization:write",
  "organization:delete",
  "members:read",
  "members:manage",
  "audit:read",
  "usage:read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * What only people can do: the organization itself, its members and its single sign-on. An API
 * key, even a full_access one, is a credential left in servers and CI: it must not be able to
 * add a member, change a role, or delete the organization.
 */
export const PEOPLE_ONLY: ReadonlySet<Permission> = new Set<Permission>([
  "organization:read",
  "organization:write",
  "organization:delete",
  "members:read",
  "members:manage",
]);

/** What an API key of its own set may hold: every permission but the people's. */
export const KEY_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter(
  (permission) => !PEOPLE_ONLY.has(permission),
);

const GRANTS: Record<ApiKeyPermission, ReadonlySet<Permission>> = {
  full_access: new Set(KEY_PERMISSIONS),
  sending_access: new Set<Permission>(["emails:send"]),
};

/** What a key of Resend's kind may do. */
export function keyPermissions(keyPermission: ApiKeyPermission): ReadonlySet<Permission> {
  return GRANTS[keyPermission];
}

/** What a custom role may hold: every permission but deleting the organization (owners'). */
export const CUSTOM_ROLE_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter(
  (permission) => permission !== "organization:delete",
);

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/**
 * A stored set of permissions as the code knows them today: names since removed from the
 * catalog grant nothing, and `allowed` (the kind of holder) caps the rest, whatever a row says.
 */
export function permissionSet(
  stored: readonly string[],
  allowed: readonly Permission[] = PERMISSIONS,
): ReadonlySet<Permission> {
  const known = new Set<string>(stored);
  return new Set(allowed.filter((permission) => known.has(permission)));
}

/** The catalog's order, for answers that list permissions. */
export function sortedPermissions(permissions: Iterable<Permission>): Permission[] {
  const set = new Set(permissions);
  return PERMISSIONS.filter((permission) => set.has(permission));
}

/** Who gives permissions away: an API key or a person, and what they hold themselves. */
export interface Grantor {
  kind: "api_key" | "session";
  permissions: ReadonlySet<Permission>;
}

/**
 * Nobody hands out more than they hold: a role, a member's role or a key with a permission its
 * grantor lacks would be a way up (a `members:manage` role making itself an admin). 403
 * forbidden for a person, 401 restricted_api_key for a key, naming what is missing.
 */
export function assertMayGrant(
  grantor: Grantor,
  wanted: Iterable<Permission>,
  what = "grant permissions you do not have",
): void {
  const missing = sortedPermissions([...wanted].filter((p) => !grantor.permissions.has(p)));
  if (missing.length === 0) return;
  const message = `You cannot ${what}: ${missing.join(", ")}`;
  throw new AppError(grantor.kind === "session" ? "forbidden" : "restricted_api_key", message);
}
