import type { ApiKeyPermission } from "../db/schema/index.ts";

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

const GRANTS: Record<ApiKeyPermission, ReadonlySet<Permission>> = {
  full_access: new Set(PERMISSIONS.filter((permission) => !PEOPLE_ONLY.has(permission))),
  sending_access: new Set<Permission>(["emails:send"]),
};

/** What a key of Resend's kind may do. */
export function keyPermissions(keyPermission: ApiKeyPermission): ReadonlySet<Permission> {
  return GRANTS[keyPermission];
}
